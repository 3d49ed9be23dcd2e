import { describe, expect, it } from 'vitest';
import type { DeviceCaptureSeries } from '@contracts/device-captures.ts';
import { captureOption } from './captureChart.ts';

const base: DeviceCaptureSeries = {
  deviceId: 'SXJ-0001',
  from: '2026-03-01',
  to: '2026-03-05',
  days: ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04'],
  total: [3, 4, 40, 2],
  freight: [0, 0, 1, 0],
  byCode: [
    { code: '1625', allowed: true, counts: [3, 3, 30, 2], total: 38 },
    { code: '1352', allowed: false, counts: [0, 1, 10, 0], total: 11 },
  ],
  anomalies: [
    { detector: 'D-DEVICE-SPIKE', day: '2026-03-03', lastDay: '2026-03-03', severity: 'high', reason: '抓拍40起', dedupKey: 'k' },
    { detector: 'D-DEVICE-CODES', day: '2026-02-01', lastDay: '2026-02-02', severity: 'high', reason: '范围外', dedupKey: 'k2' },
  ],
  ruleSetVersion: 3,
};

type Series = { name: string; data: number[]; itemStyle: { color: string }; markArea?: { data: [{ name: string; xAxis: string }, { xAxis: string }][] } };

describe('captureOption', () => {
  it('stacks one bar series per code, a disallowed code named and drawn apart', () => {
    const option = captureOption(base);
    const series = option.series as Series[];
    expect(series.map((s) => s.name)).toEqual(['1625', '1352（未准许）']);
    expect(series[1]!.data).toEqual([0, 1, 10, 0]);
    expect(series[0]!.itemStyle.color).not.toBe(series[1]!.itemStyle.color);
    expect((option.xAxis as { data: string[] }).data).toEqual(['03-01', '03-02', '03-03', '03-04']);
  });

  it('marks the anomaly days inside the range by detector name, and leaves out those outside it', () => {
    const series = captureOption(base).series as Series[];
    expect(series[0]!.markArea!.data).toEqual([[expect.objectContaining({ name: '抓拍量突增', xAxis: '03-03' }), { xAxis: '03-03' }]]);
    expect(series[1]!.markArea).toBeUndefined();
  });

  it('a device with no captures still draws its zero totals, unmarked', () => {
    const series = captureOption({ ...base, byCode: [], total: [0, 0, 0, 0], anomalies: [] }).series as Series[];
    expect(series).toHaveLength(1);
    expect(series[0]!.data).toEqual([0, 0, 0, 0]);
    expect(series[0]!.markArea).toBeUndefined();
  });
});
