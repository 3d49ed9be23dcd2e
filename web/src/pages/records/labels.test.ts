import { describe, expect, it } from 'vitest';
import { fineText, lastDueDay, outcomeLabel, ruleName } from './labels.ts';

describe('enforcement labels', () => {
  it('shows the last Beijing working day of a review deadline, whatever the browser zone', () => {
    // 00:00 Beijing time on 4 December is the end of 3 December
    expect(lastDueDay('2026-12-03T16:00:00.000Z')).toBe('2026-12-03');
    expect(lastDueDay('2026-12-04T00:00:00+08:00')).toBe('2026-12-03');
  });

  it('names outcomes and rules, falling back to the code', () => {
    expect(outcomeLabel('warning')).toBe('首违警告');
    expect(outcomeLabel('somethingNew')).toBe('somethingNew');
    expect(ruleName('R-WARN-FIRST')).toBe('首违警告');
    expect(ruleName('D-UNKNOWN')).toBe('D-UNKNOWN');
  });

  it('writes fine and points together', () => {
    expect(fineText(200, 6)).toBe('200 元 / 6 分');
    expect(fineText(null, null)).toBe('-');
  });
});
