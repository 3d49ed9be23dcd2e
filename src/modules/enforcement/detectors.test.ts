import { describe, expect, it } from 'vitest';
import { completeMonths, monthStartAtOrBefore } from './detectors.service.ts';

const bj = (s: string) => Date.parse(`${s}+08:00`);

describe('complete Beijing months of a detector period', () => {
  it('finds the month start in Beijing time, also when UTC is still in the previous month', () => {
    expect(new Date(monthStartAtOrBefore(bj('2026-11-01T03:00:00'))).toISOString()).toBe('2026-10-31T16:00:00.000Z');
    expect(new Date(monthStartAtOrBefore(bj('2026-11-30T23:59:59'))).toISOString()).toBe('2026-10-31T16:00:00.000Z');
  });
  it('leaves out the partial months at both ends', () => {
    expect(completeMonths(bj('2026-08-28T00:00:00'), bj('2026-11-26T10:00:00'))).toEqual({ from: '2026-08-31T16:00:00.000Z', to: '2026-10-31T16:00:00.000Z' });
  });
  it('keeps a period that starts and ends exactly on month starts', () => {
    expect(completeMonths(bj('2026-09-01T00:00:00'), bj('2026-11-01T00:00:00'))).toEqual({ from: '2026-08-31T16:00:00.000Z', to: '2026-10-31T16:00:00.000Z' });
  });
  it('is empty when no whole month fits', () => {
    const m = completeMonths(bj('2026-11-03T00:00:00'), bj('2026-11-26T00:00:00'));
    expect(m.from).toBe(m.to);
  });
});
