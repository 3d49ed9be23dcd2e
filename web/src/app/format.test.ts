import { afterEach, describe, expect, it, vi } from 'vitest';
import { beijingDays, beijingEndOfDay, beijingToday, fmtTime, lastDays } from './format.ts';

describe('fmtTime', () => {
  it('shows instants in Beijing time whatever the offset they arrive with', () => {
    expect(fmtTime('2026-11-25T16:30:05.000Z')).toBe('2026-11-26 00:30:05');
    expect(fmtTime('2026-11-26T00:30:05+08:00')).toBe('2026-11-26 00:30:05');
  });
  it('shows a dash for nothing and passes through what is not a time', () => {
    expect(fmtTime(null)).toBe('-');
    expect(fmtTime('not a time')).toBe('not a time');
  });
});

describe('Beijing days in the date pickers', () => {
  const zone = process.env.TZ;
  afterEach(() => {
    vi.useRealTimers();
    process.env.TZ = zone;
  });

  it('means Beijing dates whatever zone the browser is in', () => {
    // 17:00 UTC on 26 November: still the 26th in Los Angeles, already 01:00 on the 27th in Beijing.
    process.env.TZ = 'America/Los_Angeles';
    vi.useFakeTimers({ now: new Date('2026-11-26T17:00:00Z') });
    expect(beijingToday().format('YYYY-MM-DD')).toBe('2026-11-27');
    expect(beijingDays(lastDays(7))).toEqual({ from: '2026-11-21T00:00:00+08:00', to: '2026-11-27T23:59:59+08:00' });
    expect(beijingEndOfDay(beijingToday())).toBe('2026-11-27T23:59:59+08:00');
  });

  it('gives the same days in Beijing itself', () => {
    process.env.TZ = 'Asia/Shanghai';
    vi.useFakeTimers({ now: new Date('2026-11-26T15:59:59Z') });
    expect(beijingDays(lastDays(1))).toEqual({ from: '2026-11-26T00:00:00+08:00', to: '2026-11-26T23:59:59+08:00' });
  });
});
