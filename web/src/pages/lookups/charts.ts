// Chart options of the look-up pages, built from the API's answers. Pure functions of their input.
//
// Alerts by unit keep the server's unit-tree order and nobody is ranked: these charts lead an
// inspector to look, they grade no one.
import { LOOKUP_RULE_NAMES } from '@contracts/lookup-rules.ts';
import { PURPOSE_CATEGORIES, QUERY_TYPES, type LookupOverview, type LookupProfile } from '@contracts/lookups.ts';
import type { LookupChartOption } from './LookupChart.tsx';

const DAY_MS = 86_400_000;
const BEIJING_MS = 8 * 3_600_000;
const beijingDay = (iso: string) => new Date(Date.parse(iso) + BEIJING_MS).toISOString().slice(0, 10);

/** Every Beijing day from `from` to `to` (and any the data has), oldest first; a long period keeps the data's days only. */
export function daysOf(from: string, to: string, dataDays: string[]): string[] {
  const days = new Set(dataDays);
  const first = Date.parse(beijingDay(from));
  const last = Date.parse(beijingDay(to));
  if (last - first <= 400 * DAY_MS) {
    for (let d = first; d <= last; d += DAY_MS) days.add(new Date(d).toISOString().slice(0, 10));
  }
  return [...days].sort();
}

export const ruleLabel = (rule: string) => {
  const name = (LOOKUP_RULE_NAMES as Record<string, string>)[rule];
  return name ? `${rule} ${name}` : rule;
};

/** Look-ups per day: justified and unjustified stacked. */
export function perDayOption(o: Pick<LookupOverview, 'from' | 'to' | 'perDay'>): LookupChartOption {
  const days = daysOf(o.from, o.to, o.perDay.map((d) => d.day));
  const byDay = new Map(o.perDay.map((d) => [d.day, d]));
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: days.map((d) => d.slice(5)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { type: 'bar', name: '有事由', stack: 'lookups', data: days.map((d) => (byDay.get(d)?.total ?? 0) - (byDay.get(d)?.unjustified ?? 0)), itemStyle: { color: '#52c41a' } },
      { type: 'bar', name: '无正当事由', stack: 'lookups', data: days.map((d) => byDay.get(d)?.unjustified ?? 0), itemStyle: { color: '#f5222d' } },
    ],
  };
}

/** Horizontal bars with the total and the unclosed part, categories in the order given; `narrow` for phones. */
export function totalUnclosedBars(rows: { name: string; total: number; unclosed: number }[], narrow = false): LookupChartOption {
  const shown = [...rows].reverse(); // ECharts draws the first category at the bottom
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0 },
    grid: { left: 8, right: 32, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: shown.map((r) => r.name), axisLabel: { width: narrow ? 84 : 180, overflow: 'truncate' } },
    series: [
      { type: 'bar', name: '期间告警', data: shown.map((r) => r.total), itemStyle: { color: '#fa8c16' }, label: { show: true, position: 'right' } },
      { type: 'bar', name: '未办结', data: shown.map((r) => r.unclosed), itemStyle: { color: '#cf1322' } },
    ],
  };
}

export const barsHeight = (n: number) => Math.max(160, n * 44 + 48);

/** Rules sorted by how often they fired (rules, not people, may be ranked). */
export const alertRuleRows = (o: LookupOverview) =>
  [...o.alertsByRule].sort((a, b) => b.total - a.total).map((r) => ({ name: ruleLabel(r.rule), total: r.total, unclosed: r.unclosed }));

/** In the server's unit order — never ranked by count. */
export const alertUnitRows = (o: LookupOverview) => o.alertsByUnit.map((u) => ({ name: u.unitName ?? '未归属单位', total: u.total, unclosed: u.unclosed }));

/** The person's look-ups per day against the median of their unit's other people. */
export function profileVolumeOption(p: Pick<LookupProfile, 'from' | 'to' | 'perDay'>): LookupChartOption {
  const days = daysOf(p.from, p.to, p.perDay.map((d) => d.day));
  const byDay = new Map(p.perDay.map((d) => [d.day, d]));
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: days.map((d) => d.slice(5)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { type: 'bar', name: '本人查询数', data: days.map((d) => byDay.get(d)?.count ?? 0), itemStyle: { color: '#1f4e99' } },
      { type: 'line', name: '同单位人员中位数', data: days.map((d) => byDay.get(d)?.peerMedian ?? 0), itemStyle: { color: '#fa8c16' }, symbol: 'none', step: 'middle' },
    ],
  };
}

export const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

/** Hours of day (x) by weekday (y), Monday on top. */
export function heatmapOption(p: Pick<LookupProfile, 'heatmap'>): LookupChartOption {
  // rows top-down Monday … Sunday; ECharts puts the first category at the bottom
  const order = [0, 6, 5, 4, 3, 2, 1];
  const max = Math.max(1, ...p.heatmap.map((c) => c.count));
  return {
    tooltip: {
      position: 'top',
      formatter: (params: unknown) => {
        const v = (params as { value: [number, number, number] }).value;
        return `${WEEKDAYS[order[v[1]]!]} ${v[0]}时：${v[2]} 次`;
      },
    },
    grid: { left: 8, right: 16, top: 8, bottom: 44, containLabel: true },
    xAxis: { type: 'category', data: Array.from({ length: 24 }, (_, h) => `${h}`), splitArea: { show: true } },
    yAxis: { type: 'category', data: order.map((w) => WEEKDAYS[w]!), splitArea: { show: true } },
    visualMap: { min: 0, max, calculable: false, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 120, text: [`${max}`, '0'], inRange: { color: ['#f0f5ff', '#1f4e99'] } },
    series: [
      {
        type: 'heatmap',
        name: '查询次数',
        data: p.heatmap.map((c) => [c.hour, order.indexOf(c.weekday), c.count]),
        emphasis: { itemStyle: { shadowBlur: 6, shadowColor: 'rgba(0,0,0,0.3)' } },
      },
    ],
  };
}

/** One series of vertical bars per category: query types or purposes; `narrow` slants the labels for phones. */
export function countBars(rows: { name: string; count: number }[], color: string, seriesName: string, narrow = false): LookupChartOption {
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: rows.map((r) => r.name), axisLabel: { interval: 0, width: 72, overflow: 'truncate', rotate: narrow ? 40 : 0 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ type: 'bar', name: seriesName, data: rows.map((r) => r.count), itemStyle: { color }, label: { show: true, position: 'top' } }],
  };
}

export const queryTypeRows = (rows: { queryType: keyof typeof QUERY_TYPES; count: number }[]) => rows.map((r) => ({ name: QUERY_TYPES[r.queryType], count: r.count }));
export const purposeRows = (rows: { purposeCategory: string | null; count: number }[]) =>
  rows.map((r) => ({ name: r.purposeCategory ? ((PURPOSE_CATEGORIES as Record<string, string>)[r.purposeCategory] ?? r.purposeCategory) : '未填写事由', count: r.count }));
