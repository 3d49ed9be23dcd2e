import { describe, expect, it } from 'vitest';
import { daysOf, median, period } from './stats.service.ts';

describe('stats periods', () => {
  it('covers every Beijing day of the period, and refuses an empty or overlong one', () => {
    expect(daysOf(new Date('2026-09-30T16:00:00Z'), new Date('2026-10-03T16:00:00Z'))).toEqual(['2026-10-01', '2026-10-02', '2026-10-03']);
    expect(() => period({ from: '2026-10-02T00:00:00+08:00', to: '2026-10-01T00:00:00+08:00' })).toThrow(/早于/);
    expect(() => period({ from: '2024-01-01T00:00:00+08:00', to: '2026-01-01T00:00:00+08:00' })).toThrow(/366/);
    expect(period({}, Date.parse('2026-10-31T00:00:00Z')).from.toISOString()).toBe('2026-10-01T00:00:00.000Z');
  });
  it('median of peers, zero without peers', () => {
    expect(median([])).toBe(0);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });
});
