// The brigade calendar (Beijing time): Saturdays and Sundays are off unless listed as make-up
// working days (调休上班); listed public holidays are always off. L1 Art.81 counts its "五日" in
// working days, and the day a period starts from is not counted.
import type { RuleParams } from '../../contracts/rules.ts';
import { reason } from './reason.ts';
import { beijingDateTime, beijingDayIndex, beijingDayStartMs, DAY_MS, dayIndexToIso, weekday } from './time.ts';
import type { Reason } from './types.ts';

type Calendar = Pick<RuleParams, 'holidays' | 'makeUpWorkdays'>;

/** Is this 'YYYY-MM-DD' a working day of the brigade? */
export function isWorkingDay(day: string, params: Calendar): boolean {
  return workingIndex(params)(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
}

function workingIndex(params: Calendar) {
  const holidays = new Set(params.holidays);
  const makeUp = new Set(params.makeUpWorkdays);
  return (index: number) => {
    const day = dayIndexToIso(index);
    if (holidays.has(day)) return false;
    if (makeUp.has(day)) return true;
    const wd = weekday(index);
    return wd !== 0 && wd !== 6;
  };
}

/** Index of the n-th working day after the Beijing day containing startMs (n = 0: that day itself). */
function nthWorkingDayIndex(startMs: number, n: number, params: Calendar): number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`addWorkingDays: n must be a non-negative integer, got ${n}`);
  const working = workingIndex(params);
  let index = beijingDayIndex(startMs);
  for (let left = n; left > 0; ) {
    index++;
    if (working(index)) left--;
  }
  return index;
}

/**
 * The same Beijing time of day on the n-th working day after startMs's day (n = 0: startMs).
 * The start day itself is not counted, whether it is a working day or not.
 */
export function addWorkingDays(startMs: number, n: number, params: Calendar): number {
  return startMs + (nthWorkingDayIndex(startMs, n, params) - beijingDayIndex(startMs)) * DAY_MS;
}

/**
 * Working days after aMs's day up to and including bMs's day (Beijing time); negative when bMs
 * is earlier. So workingDaysBetween(a, addWorkingDays(a, n)) === n.
 */
export function workingDaysBetween(aMs: number, bMs: number, params: Calendar): number {
  const a = beijingDayIndex(aMs);
  const b = beijingDayIndex(bMs);
  if (b < a) return -workingDaysBetween(bMs, aMs, params);
  const working = workingIndex(params);
  let n = 0;
  for (let i = a + 1; i <= b; i++) if (working(i)) n++;
  return n;
}

export interface ReviewDue {
  /** end of the last working day allowed (00:00 Beijing time of the next day), epoch ms */
  dueAt: number;
  overdue: boolean;
  /** working days left after today; 0 on the last day; negative = working days overdue */
  workingDaysLeft: number;
}

/** R-REVIEW-DUE: a held camera record must be reviewed within reviewDueWorkingDays working days (L1 Art.19, 81). */
export function reviewDue(capturedAtMs: number, nowMs: number, params: RuleParams): ReviewDue {
  const limit = params.reviewDueWorkingDays;
  const dueAt = beijingDayStartMs(nthWorkingDayIndex(capturedAtMs, limit, params) + 1);
  return { dueAt, overdue: nowMs >= dueAt, workingDaysLeft: limit - workingDaysBetween(capturedAtMs, nowMs, params) };
}

/** The R-REVIEW-DUE reason for a held record (the caller raises it when reviewDue(…).overdue). */
export function reviewDueReason(capturedAtMs: number, nowMs: number, params: RuleParams, ruleSetVersion: number): Reason {
  const due = reviewDue(capturedAtMs, nowMs, params);
  const limit = params.reviewDueWorkingDays;
  const lastDay = beijingDateTime(due.dueAt - 1).slice(0, 10);
  const start = `该电子监控记录抓拍于${beijingDateTime(capturedAtMs)}，依法应在抓拍后${limit}个工作日内（最迟${lastDay}）审核`;
  const message = due.overdue
    ? `${start}，现已超过审核时限${due.workingDaysLeft < 0 ? `${-due.workingDaysLeft}个工作日` : ''}。未经审核的记录不得作为处罚证据，请尽快审核。`
    : `${start}，尚余${due.workingDaysLeft}个工作日。`;
  return reason(
    'R-REVIEW-DUE',
    { ruleSetVersion },
    message,
    { capturedAt: capturedAtMs, now: nowMs, dueAt: due.dueAt, overdue: due.overdue, workingDaysLeft: due.workingDaysLeft, reviewDueWorkingDays: limit },
    { severity: 'medium' },
  );
}
