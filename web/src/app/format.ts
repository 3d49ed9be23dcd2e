// Small display helpers shared by the pages.
import dayjs from 'dayjs';
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
