import { describe, expect, it } from 'vitest';
import type { LookupOverview } from '@contracts/lookups.ts';
import { alertRuleRows, alertUnitRows, daysOf, heatmapOption, perDayOption, profileVolumeOption, purposeRows, ruleLabel } from './charts.ts';

const overview = (over: Partial<LookupOverview> = {}): LookupOverview => ({
  from: '2026-03-01T00:00:00+08:00',
  to: '2026-03-03T23:59:59+08:00',
  perDay: [],
  total: 0,
  unjustified: 0,
  unjustifiedShare: null,
  unknownAccounts: 0,
  byQueryType: [],
  alertsByRule: [],
  alertsByUnit: [],
  openExplanations: 0,
  overdueExplanations: 0,
  ...over,
});

describe('look-up charts', () => {
  it('has every Beijing day of the period, days without look-ups at zero', () => {
    expect(daysOf('2026-02-28T16:00:00Z', '2026-03-03T15:59:59Z', [])).toEqual(['2026-03-01', '2026-03-02', '2026-03-03']);
    const option = perDayOption(overview({ perDay: [{ day: '2026-03-02', total: 10, unjustified: 3 }] }));
    const series = option.series as { name: string; data: number[]; stack: string }[];
    expect(series.map((s) => [s.name, s.data])).toEqual([
      ['有事由', [0, 7, 0]],
      ['无正当事由', [0, 3, 0]],
    ]);
    expect(new Set(series.map((s) => s.stack)).size).toBe(1);
  });

  it('ranks rules by how often they fired but keeps units in the server’s order', () => {
    const o = overview({
      alertsByRule: [
        { rule: 'L-PURPOSE', total: 2, unclosed: 1 },
        { rule: 'L-BULK', total: 5, unclosed: 5 },
      ],
      alertsByUnit: [
        { unitId: 1, unitName: '一中队', total: 1, unclosed: 1 },
        { unitId: 2, unitName: '二中队', total: 9, unclosed: 0 },
        { unitId: null, unitName: null, total: 2, unclosed: 2 },
      ],
    });
    expect(alertRuleRows(o).map((r) => r.name)).toEqual(['L-BULK 短时批量查询', 'L-PURPOSE 无正当事由查询']);
    expect(alertUnitRows(o).map((r) => r.name)).toEqual(['一中队', '二中队', '未归属单位']);
    expect(ruleLabel('X-NEW')).toBe('X-NEW');
  });

  it('draws the heat map Monday on top, hours along the x axis', () => {
    const option = heatmapOption({
      heatmap: [
        { weekday: 1, hour: 9, count: 4 },
        { weekday: 0, hour: 23, count: 2 },
      ],
    });
    const yAxis = option.yAxis as { data: string[] };
    // ECharts draws the first category at the bottom: Sunday first, Monday last
    expect(yAxis.data).toEqual(['周日', '周六', '周五', '周四', '周三', '周二', '周一']);
    const data = (option.series as { data: number[][] }[])[0]!.data;
    expect(data).toEqual([
      [9, 6, 4],
      [23, 0, 2],
    ]);
    expect((option.visualMap as { max: number }).max).toBe(4);
  });

  it('sets the person against the peer median day by day', () => {
    const option = profileVolumeOption({
      from: '2026-03-01T00:00:00+08:00',
      to: '2026-03-02T23:59:59+08:00',
      perDay: [{ day: '2026-03-02', count: 40, peerMedian: 6 }],
    });
    const series = option.series as { name: string; data: number[] }[];
    expect(series.map((s) => s.data)).toEqual([
      [0, 40],
      [0, 6],
    ]);
  });

  it('names a missing purpose', () => {
    expect(purposeRows([{ purposeCategory: null, count: 3 }, { purposeCategory: 'roadCheck', count: 1 }]).map((r) => r.name)).toEqual(['未填写事由', '路面检查']);
  });
});
