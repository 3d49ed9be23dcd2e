// Small display helpers shared by the pages.
import dayjs, { type Dayjs } from 'dayjs';
import { BUILT_IN_ROLES, PERMISSIONS, isPermission } from '@contracts/permissions.ts';
import { t } from '../locales/zh-CN.ts';

/**
 * An instant in Beijing time (UTC+8, no daylight saving), whatever zone the browser is set to:
 * the brigade's records, deadlines and imports all speak Beijing time.
 */
export function fmtTime(value: string | null | undefined): string {
  if (!value) return t.empty;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return value;
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * Today's date in Beijing, as a calendar date for the date pickers: the brigade's days are Beijing
 * days, and a supervisor's laptop abroad (or set to UTC) must not shift them.
 */
export const beijingToday = (): Dayjs => dayjs(new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10));

/** The last `n` Beijing days, today included. */
export function lastDays(n: number): [Dayjs, Dayjs] {
  const today = beijingToday();
  return [today.subtract(n - 1, 'day'), today];
}

/** The last second of a picked Beijing date, as the API's instant. */
export const beijingEndOfDay = (day: Dayjs): string => `${day.format('YYYY-MM-DD')}T23:59:59+08:00`;

/** Whole Beijing days [first, last] picked in a RangePicker → the API's `from`/`to` instants. */
export function beijingDays([first, last]: readonly [Dayjs, Dayjs]): { from: string; to: string } {
  return { from: `${first.format('YYYY-MM-DD')}T00:00:00+08:00`, to: beijingEndOfDay(last) };
}

/** A role code as people know it; custom roles fall back to the names the server sent, then the code. */
export function roleName(code: string, known?: ReadonlyMap<string, string>): string {
  return known?.get(code) ?? (BUILT_IN_ROLES as Record<string, { name: string } | undefined>)[code]?.name ?? code;
}

export function permissionLabel(code: string): string {
  return isPermission(code) ? PERMISSIONS[code] : code;
}

/** `[from, to]` of a RangePicker → the ISO 8601 (with offset) the API expects. */
export function rangeQuery(range: [dayjs.Dayjs | null, dayjs.Dayjs | null] | null | undefined) {
  return { from: range?.[0]?.format() ?? undefined, to: range?.[1]?.format() ?? undefined };
}
