// Small display helpers shared by the pages.
import dayjs from 'dayjs';
import { BUILT_IN_ROLES, PERMISSIONS, isPermission } from '@contracts/permissions.ts';
import { t } from '../locales/zh-CN.ts';

export function fmtTime(value: string | null | undefined): string {
  return value ? dayjs(value).format('YYYY-MM-DD HH:mm:ss') : t.empty;
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
