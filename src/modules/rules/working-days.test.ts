import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULE_PARAMS, type RuleParams } from '../../contracts/rules.ts';
import { at, DAY } from './rules.testing.ts';
import { beijingDay } from './time.ts';
import { addWorkingDays, isWorkingDay, reviewDue, reviewDueReason, workingDaysBetween } from './working-days.ts';

// Qingming 2026 as a test calendar: Monday 04-06 a holiday, Saturday 04-11 a make-up working day
const params: RuleParams = { ...DEFAULT_RULE_PARAMS, holidays: ['2026-04-06'], makeUpWorkdays: ['2026-04-11'] };
const plain = DEFAULT_RULE_PARAMS;

describe('brigade calendar', () => {
  it('weekends are off, listed holidays are off, make-up days are on', () => {
    expect(isWorkingDay('2026-04-03', params)).toBe(true); // Friday
    expect(isWorkingDay('2026-04-04', params)).toBe(false); // Saturday
    expect(isWorkingDay('2026-04-06', params)).toBe(false); // Monday, holiday
    expect(isWorkingDay('2026-04-11', params)).toBe(true); // Saturday, make-up
    expect(isWorkingDay('2026-04-12', params)).toBe(false); // Sunday
    expect(isWorkingDay('2026-04-06', { holidays: ['2026-04-06'], makeUpWorkdays: ['2026-04-06'] })).toBe(false);
  });

  it('adds working days over a weekend, keeping the time of day', () => {
    expect(addWorkingDays(at('2026-03-06T10:00:00+08:00'), 1, plain)).toBe(at('2026-03-09T10:00:00+08:00'));
    expect(addWorkingDays(at('2026-03-02T10:00:00+08:00'), 5, plain)).toBe(at('2026-03-09T10:00:00+08:00'));
    expect(addWorkingDays(at('2026-03-07T10:00:00+08:00'), 0, plain)).toBe(at('2026-03-07T10:00:00+08:00'));
  });

  it('skips a holiday and counts a make-up Saturday', () => {
    const fri = at('2026-04-03T10:00:00+08:00');
    expect(beijingDay(addWorkingDays(fri, 1, params))).toBe('2026-04-07');
    expect(beijingDay(addWorkingDays(fri, 5, params))).toBe('2026-04-11');
    expect(beijingDay(addWorkingDays(fri, 6, params))).toBe('2026-04-13');
    expect(beijingDay(addWorkingDays(fri, 5, plain))).toBe('2026-04-10');
  });

  it('counts days in Beijing time: 00:30 Saturday Beijing is still Friday in UTC', () => {
    const satEarly = at('2026-03-07T00:30:00+08:00');
    expect(beijingDay(satEarly)).toBe('2026-03-07');
    expect(addWorkingDays(satEarly, 1, plain)).toBe(at('2026-03-09T00:30:00+08:00'));
    expect(workingDaysBetween(at('2026-03-06T23:59:00+08:00'), satEarly, plain)).toBe(0);
  });

  it('counts working days after the first day up to and including the last', () => {
    const fri = at('2026-04-03T10:00:00+08:00');
    const mon = at('2026-04-13T09:00:00+08:00');
    expect(workingDaysBetween(fri, mon, params)).toBe(6);
    expect(workingDaysBetween(mon, fri, params)).toBe(-6);
    expect(workingDaysBetween(fri, fri + 3 * 3_600_000, params)).toBe(0);
  });

  it('refuses a negative or fractional count', () => {
    expect(() => addWorkingDays(0, -1, plain)).toThrow(RangeError);
    expect(() => addWorkingDays(0, 1.5, plain)).toThrow(RangeError);
  });

  it('workingDaysBetween(a, addWorkingDays(a, n)) = n, and the n-th day is a working day', () => {
    const start = at('2025-12-01T00:00:00+08:00');
    const cal = fc.record({
      holidays: fc.uniqueArray(fc.integer({ min: 0, max: 120 }).map((d) => beijingDay(start + d * DAY)), { maxLength: 20 }),
      makeUpWorkdays: fc.uniqueArray(fc.integer({ min: 0, max: 120 }).map((d) => beijingDay(start + d * DAY)), { maxLength: 5 }),
    });
    fc.assert(
      fc.property(cal, fc.integer({ min: 0, max: 90 * DAY }), fc.integer({ min: 0, max: 30 }), (c, offset, n) => {
        const a = start + offset;
        const b = addWorkingDays(a, n, c);
        expect(workingDaysBetween(a, b, c)).toBe(n);
        if (n > 0) expect(isWorkingDay(beijingDay(b), c)).toBe(true);
        expect(addWorkingDays(a, n + 1, c)).toBeGreaterThan(b);
      }),
      { numRuns: 300 },
    );
  });
});

describe('R-REVIEW-DUE', () => {
  const held = at('2026-04-03T10:00:00+08:00'); // Friday before the holiday; 5 working days end on make-up Saturday 04-11

  it('is due at the end of the 5th working day', () => {
    const due = reviewDue(held, at('2026-04-07T09:00:00+08:00'), params);
    expect(due).toEqual({ dueAt: at('2026-04-12T00:00:00+08:00'), overdue: false, workingDaysLeft: 4 });
  });

  it('the last day is still in time; the next instant is overdue', () => {
    expect(reviewDue(held, at('2026-04-11T23:59:59+08:00'), params)).toMatchObject({ overdue: false, workingDaysLeft: 0 });
    expect(reviewDue(held, at('2026-04-12T00:00:00+08:00'), params)).toMatchObject({ overdue: true, workingDaysLeft: 0 });
    expect(reviewDue(held, at('2026-04-14T08:00:00+08:00'), params)).toMatchObject({ overdue: true, workingDaysLeft: -2 });
  });

  it('builds the reason with the dates and L1 Art.19', () => {
    const r = reviewDueReason(held, at('2026-04-14T08:00:00+08:00'), params, 3);
    expect(r).toMatchObject({ rule: 'R-REVIEW-DUE', ruleSetVersion: 3, severity: 'medium', facts: { overdue: true, workingDaysLeft: -2, reviewDueWorkingDays: 5 } });
    expect(r.message).toContain('最迟2026-04-11');
    expect(r.message).toContain('超过审核时限2个工作日');
    expect(r.basis).toContain('《道路交通安全违法行为处理程序规定》第19条');
  });
});
