// The dashboard's chart options, built from the API's answers. Pure functions of their input.
//
// By law (《道路交通安全法》第86条; 《道路交通安全违法行为处理程序规定》第66条) nothing here ranks
// officers or units by fines or tickets: no builder takes per-officer or per-unit penalty counts,
// and alerts by unit keep the server's unit order instead of being sorted by count.
import type { AlertSummary } from '@contracts/alerts.ts';
import { CAMERA_OUTCOMES, OUTCOMES, type Outcome } from '@contracts/enforcement.ts';
import { OUTCOME_STYLE, ruleName } from '../records/labels.ts';
import type { Stats } from './api.ts';
import type { ChartOption } from './EChart.tsx';

const OUTCOME_ORDER = Object.keys(OUTCOMES) as Outcome[];
const DAY_MS = 86_400_000;
/** The server counts Beijing calendar days (UTC+8, no daylight saving), whatever the browser's zone. */
const BEIJING_MS = 8 * 3_600_000;
const beijingDay = (iso: string) => new Date(Date.parse(iso) + BEIJING_MS).toISOString().slice(0, 10);

/** Every Beijing day of the period (and any day the data has), oldest first. */
export function periodDays(stats: Pick<Stats, 'from' | 'to' | 'perDay'>): string[] {
  const days = new Set(stats.perDay.map((d) => d.day));
  const first = Date.parse(beijingDay(stats.from));
  const last = Date.parse(beijingDay(stats.to));
  // a period of years would make thousands of bars; the data's own days suffice then
  if (last - first <= 400 * DAY_MS) {
    for (let d = first; d <= last; d += DAY_MS) days.add(new Date(d).toISOString().slice(0, 10));
  }
  return [...days].sort();
}

export function perDayOption(stats: Stats): ChartOption {
  const days = periodDays(stats);
  const index = new Map(days.map((d, i) => [d, i]));
  const counts = new Map<Outcome, number[]>();
  for (const row of stats.perDay) {
    const i = index.get(row.day);
    if (i === undefined) continue;
    const series = counts.get(row.outcome) ?? days.map(() => 0);
    series[i] = (series[i] ?? 0) + row.count;
    counts.set(row.outcome, series);
  }
  const outcomes = OUTCOME_ORDER.filter((o) => counts.has(o));
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0, type: 'scroll' },
    grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: days.map((d) => d.slice(5)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: outcomes.map((o) => ({
      type: 'bar',
      name: OUTCOMES[o],
      stack: 'records',
      data: counts.get(o),
      itemStyle: { color: OUTCOME_STYLE[o].chart },
      emphasis: { focus: 'series' },
    })),
  };
}

export function cameraOutcomeOption(stats: Stats): ChartOption | null {
  const rows = stats.totals.filter((t) => t.outcome in CAMERA_OUTCOMES && t.count > 0);
  if (rows.length === 0) return null;
  return {
    tooltip: { trigger: 'item', formatter: '{b}：{c}（{d}%）' },
    legend: { bottom: 0, type: 'scroll' },
    series: [
      {
        type: 'pie',
        radius: ['38%', '62%'],
        center: ['50%', '45%'],
        avoidLabelOverlap: true,
        label: { formatter: '{b}\n{d}%' },
        data: rows.map((r) => ({ name: OUTCOMES[r.outcome], value: r.count, itemStyle: { color: OUTCOME_STYLE[r.outcome].chart } })),
      },
    ],
  };
}

/** Horizontal bars, one per category, in the order given. */
export function categoryBars(rows: { name: string; count: number }[], color: string, seriesName: string): ChartOption {
  // ECharts draws the first category at the bottom; reverse so the list reads top-down
  const shown = [...rows].reverse();
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 32, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: shown.map((r) => r.name), axisLabel: { width: 160, overflow: 'truncate' } },
    series: [{ type: 'bar', name: seriesName, data: shown.map((r) => r.count), itemStyle: { color }, label: { show: true, position: 'right' } }],
  };
}

export const barsHeight = (n: number) => Math.max(160, n * 32 + 40);

/** Rules, not people: sorting rules by how often they found something is fine. */
export function findingsRows(stats: Stats) {
  return [...stats.onSiteFindingsByRule].sort((a, b) => b.count - a.count).map((r) => ({ name: ruleName(r.rule), count: r.count }));
}

export function alertRuleRows(summary: AlertSummary) {
  return [...summary.byRule].sort((a, b) => b.count - a.count).map((r) => ({ name: ruleName(r.rule), count: r.count }));
}

/** In the server's unit order — never ranked by count. */
export function alertUnitRows(summary: AlertSummary) {
  return summary.byUnit.map((u) => ({ name: u.unitName ?? '未归属单位', count: u.count }));
}
