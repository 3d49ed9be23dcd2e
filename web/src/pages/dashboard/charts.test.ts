import { describe, expect, it } from 'vitest';
import type { AlertSummary } from '@contracts/alerts.ts';
import type { Stats } from './api.ts';
import { alertUnitRows, cameraOutcomeOption, findingsRows, perDayOption, periodDays } from './charts.ts';

const stats = (over: Partial<Stats> = {}): Stats => ({
  from: '2026-03-01T00:00:00+08:00',
  to: '2026-03-04T23:59:59+08:00',
  perDay: [],
  totals: [],
  warningShare: null,
  heldBacklog: 0,
  heldOverdue: 0,
  onSiteFindingsByRule: [],
  ...over,
});

describe('dashboard charts', () => {
  it('has a bar for every day of the period, days without records at zero', () => {
    const s = stats({
      perDay: [
        { day: '2026-03-01', outcome: 'penalty', count: 3 },
        { day: '2026-03-03', outcome: 'penalty', count: 1 },
        { day: '2026-03-03', outcome: 'warning', count: 2 },
      ],
    });
    expect(periodDays(s)).toEqual(['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04']);
    const option = perDayOption(s);
    const series = option.series as { name: string; data: number[]; stack: string }[];
    expect(series.map((x) => x.name)).toEqual(['处罚', '首违警告']);
    expect(series[0]!.data).toEqual([3, 0, 1, 0]);
    expect(series[1]!.data).toEqual([0, 0, 2, 0]);
    expect(new Set(series.map((x) => x.stack)).size).toBe(1);
  });

  it('draws the camera outcomes only, and nothing when there are none', () => {
    expect(cameraOutcomeOption(stats({ totals: [{ outcome: 'compliant', count: 5 }] }))).toBeNull();
    const option = cameraOutcomeOption(
      stats({ totals: [{ outcome: 'penalty', count: 2 }, { outcome: 'warning', count: 3 }, { outcome: 'nonCompliant', count: 4 }] }),
    );
    const [pie] = option!.series as { data: { name: string; value: number }[] }[];
    expect(pie!.data.map((d) => d.name)).toEqual(['处罚', '首违警告']);
  });

  it('names rules in Chinese and keeps unknown ones by code', () => {
    const rows = findingsRows(stats({ onSiteFindingsByRule: [{ rule: 'R-CASH', count: 1 }, { rule: 'X-NEW', count: 4 }] }));
    expect(rows).toEqual([
      { name: 'X-NEW', count: 4 },
      { name: '当场收缴', count: 1 },
    ]);
  });

  it('keeps alerts by unit in the unit order the server gives — never ranked by count', () => {
    const summary = {
      byUnit: [
        { unitId: 1, unitName: '一中队', count: 1 },
        { unitId: 2, unitName: '二中队', count: 9 },
        { unitId: null, unitName: null, count: 3 },
      ],
    } as AlertSummary;
    expect(alertUnitRows(summary).map((r) => r.name)).toEqual(['一中队', '二中队', '未归属单位']);
  });
});
