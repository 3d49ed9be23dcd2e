// What the console's device charts read: one device's daily captures by code with the anomaly
// days the detectors find in them, and the capture summary of the device list. Data scope: the
// device's owning unit, applied in SQL.
import { sql } from 'kysely';
import type { DeviceAnomaly, DeviceCaptureSeries, DeviceCaptureSummary, DeviceCapturesQuery } from '../../contracts/device-captures.ts';
import type { ResolvedScope } from '../../platform/authz/principal.ts';
import type { Db } from '../../platform/db/database.ts';
import { notFound } from '../../platform/http/errors.ts';
import { dayIndexOf } from '../rules/device-detectors.ts';
import { beijingDay, dayIndexToIso } from '../rules/time.ts';
import { deviceCodeSeries } from './captures.service.ts';
import { detectDevices } from './device-detectors.service.ts';

/** The default chart: the 90 days up to and including today. */
export const DEFAULT_CHART_DAYS = 90;

/** Owning unit in the caller's scope; a device with no unit (unregistered) only with scope 全部. */
const unitScope = (scope: ResolvedScope) => (scope.all ? sql<boolean>`true` : sql<boolean>`d.owning_unit_id = ANY(${scope.unitIds}::int[])`);

/**
 * One device's daily captures by code over [from, to) with every day present, and what the
 * device detectors find in that range (the same pure functions as the alerts, under the current
 * rule set). 404 for a device outside the caller's scope; an unregistered device that captured
 * something is visible with scope 全部 only.
 */
export async function deviceCaptures(db: Db, scope: ResolvedScope, deviceId: string, query: DeviceCapturesQuery, now = Date.now()): Promise<DeviceCaptureSeries> {
  const { rows: found } = await sql<{ id: string; allowed_codes: string[] | null }>`
    SELECT d.id, d.allowed_codes FROM devices d WHERE d.id = ${deviceId} AND ${unitScope(scope)}
    UNION ALL
    SELECT ${deviceId}::text, NULL::text[] WHERE ${scope.all}::boolean AND NOT EXISTS (SELECT 1 FROM devices WHERE id = ${deviceId})
       AND EXISTS (SELECT 1 FROM device_daily_captures WHERE device_id = ${deviceId})`.execute(db);
  const device = found[0];
  if (!device) throw notFound('监控设备');

  const today = beijingDay(now);
  const to = query.to ?? dayIndexToIso(dayIndexOf(today) + 1);
  const from = query.from ?? dayIndexToIso(dayIndexOf(to) - DEFAULT_CHART_DAYS);
  const days: string[] = [];
  for (let i = dayIndexOf(from); i < dayIndexOf(to); i++) days.push(dayIndexToIso(i));
  const at = new Map(days.map((d, i) => [d, i]));

  const [cells, detection] = await Promise.all([
    deviceCodeSeries(db, deviceId, from, to),
    detectDevices(db, new Set([deviceId]), { from, to: dayIndexToIso(dayIndexOf(to) - 1) }),
  ]);
  const total = days.map(() => 0);
  const freight = days.map(() => 0);
  const byCode = new Map<string, number[]>();
  for (const c of cells) {
    const i = at.get(c.day)!;
    total[i]! += c.captures;
    freight[i]! += c.freight;
    (byCode.get(c.code) ?? byCode.set(c.code, days.map(() => 0)).get(c.code)!)[i]! += c.captures;
  }
  const allowed = device.allowed_codes;
  const anomalies: DeviceAnomaly[] = detection.findings
    .flatMap((f) => f.marks.map((m) => ({ detector: f.detector, day: m.day, lastDay: m.lastDay, severity: f.severity, reason: m.reason, dedupKey: f.dedupKey })))
    .filter((a) => a.lastDay >= from && a.day < to)
    .sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.detector < b.detector ? -1 : 1));
  return {
    deviceId,
    from,
    to,
    days,
    total,
    freight,
    byCode: [...byCode.keys()].sort().map((code) => {
      const counts = byCode.get(code)!;
      return { code, allowed: allowed ? allowed.includes(code) : null, counts, total: counts.reduce((s, n) => s + n, 0) };
    }),
    anomalies,
    ruleSetVersion: detection.version,
  };
}

/**
 * Captures of every device in the caller's scope over the last `days` days (today included), one
 * query: totals, freight, the last day with a capture, captures of codes outside the allowed set.
 * Devices without captures in the range are absent (the list shows 0).
 */
export async function deviceCaptureSummary(db: Db, scope: ResolvedScope, days: number, now = Date.now()): Promise<DeviceCaptureSummary> {
  const to = dayIndexToIso(dayIndexOf(beijingDay(now)) + 1);
  const from = dayIndexToIso(dayIndexOf(to) - days);
  const { rows } = await sql<{ device_id: string; captures: number; freight: number; last_day: string; disallowed: number }>`
    SELECT c.device_id, sum(c.captures)::int AS captures, sum(c.freight_captures)::int AS freight,
           to_char(max(c.day) FILTER (WHERE c.captures > 0), 'YYYY-MM-DD') AS last_day,
           (coalesce(sum(c.captures) FILTER (WHERE d.id IS NOT NULL AND NOT (c.violation_code = ANY(d.allowed_codes))), 0))::int AS disallowed
      FROM device_daily_captures c
      LEFT JOIN devices d ON d.id = c.device_id
     WHERE c.day >= ${from}::date AND c.day < ${to}::date AND ${unitScope(scope)}
     GROUP BY c.device_id
     ORDER BY c.device_id`.execute(db);
  return {
    from,
    to,
    items: rows.map((r) => ({ deviceId: r.device_id, captures: Number(r.captures), freight: Number(r.freight), lastDay: r.last_day ?? null, disallowed: Number(r.disallowed) })),
  };
}
