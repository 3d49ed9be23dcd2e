import { describe, expect, it } from 'vitest';
import { fmtTime } from './format.ts';

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
