// Daily capture counts per device, Beijing day and violation code (device_daily_captures,
// migrations/0009_device_captures.sql): kept by the intake, one upsert per batch, and read by the
// device detectors and the console's charts with GROUP BY queries over every device at once.
import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { Tx } from '../../platform/db/tx.ts';
import type { DeviceCodeDay, DeviceDay } from '../rules/device-detectors.ts';
import { beijingDay } from '../rules/time.ts';

/** What the intake stored, as far as the counts care. */
export interface StoredCapture {
  kind: string;
  deviceId: string | null;
  occurredAt: Date;
  violationCode: string;
  freight: boolean;
}

/**
 * Adds a batch's stored records to the daily counts, inside the batch's transaction: camera
 * records with a device id only, grouped here, then ONE INSERT … ON CONFLICT DO UPDATE for the
 * whole batch. Call it with the rows actually inserted (a re-sent record is not among them, so
 * it is never counted twice). Returns the number of (device, day, code) cells touched.
 */
export async function addDailyCaptures(trx: Tx, rows: readonly StoredCapture[]): Promise<number> {
  const cells = new Map<string, { deviceId: string; day: string; code: string; captures: number; freight: number }>();
  for (const r of rows) {
    if (r.kind !== 'camera' || !r.deviceId) continue;
    const day = beijingDay(r.occurredAt.getTime());
    const key = `${r.deviceId}\u0000${day}\u0000${r.violationCode}`;
    const c = cells.get(key) ?? cells.set(key, { deviceId: r.deviceId, day, code: r.violationCode, captures: 0, freight: 0 }).get(key)!;
    c.captures += 1;
    if (r.freight) c.freight += 1;
  }
  if (cells.size === 0) return 0;
  const list = [...cells.values()];
  await sql`
    INSERT INTO device_daily_captures AS d (device_id, day, violation_code, captures, freight_captures)
    SELECT * FROM unnest(${list.map((c) => c.deviceId)}::text[], ${list.map((c) => c.day)}::date[], ${list.map((c) => c.code)}::text[],
                         ${list.map((c) => c.captures)}::int[], ${list.map((c) => c.freight)}::int[])
    ON CONFLICT (device_id, day, violation_code) DO UPDATE
      SET captures = d.captures + excluded.captures, freight_captures = d.freight_captures + excluded.freight_captures`.execute(trx);
  return list.length;
}

/**
 * Recomputes every count from enforcement_records in one statement (the migration's backfill, for
 * a repair or a check). Run it where no intake commits meanwhile (it takes the intake lock).
 */
export async function rebuildDailyCaptures(trx: Tx): Promise<number> {
  await sql`SELECT pg_advisory_xact_lock(7401, 1)`.execute(trx);
  await sql`DELETE FROM device_daily_captures`.execute(trx);
  const r = await sql`
    INSERT INTO device_daily_captures (device_id, day, violation_code, captures, freight_captures)
    SELECT device_id, ((occurred_at AT TIME ZONE 'UTC') + interval '8 hours')::date, violation_code,
           count(*)::int, (count(*) FILTER (WHERE freight))::int
      FROM enforcement_records
     WHERE kind = 'camera' AND device_id IS NOT NULL
     GROUP BY 1, 2, 3`.execute(trx);
  return Number(r.numAffectedRows ?? 0);
}

/** `device_id = ANY(ids)`, or every device when `ids` is 'all'. */
const devicesIn = (ids: readonly string[] | 'all') => (ids === 'all' ? sql<boolean>`true` : sql<boolean>`device_id = ANY(${[...ids]}::text[])`);

/** Captures per device and day (all codes), days [from, to] inclusive: one GROUP BY. */
export async function dailyTotals(db: Db | Tx, ids: readonly string[] | 'all', from: string, to: string): Promise<DeviceDay[]> {
  if (ids !== 'all' && ids.length === 0) return [];
  const { rows } = await sql<{ device_id: string; day: string; captures: number; freight: number }>`
    SELECT device_id, to_char(day, 'YYYY-MM-DD') AS day, sum(captures)::int AS captures, sum(freight_captures)::int AS freight
      FROM device_daily_captures
     WHERE day >= ${from}::date AND day <= ${to}::date AND ${devicesIn(ids)}
     GROUP BY device_id, day
     ORDER BY device_id, day`.execute(db);
  return rows.map((r) => ({ deviceId: r.device_id, day: r.day, captures: Number(r.captures), freight: Number(r.freight) }));
}

/**
 * Captures per device, day and code of codes outside each device's allowed set, days [from, to].
 * `allowed` maps the registered devices to look at onto their allowed codes.
 */
export async function disallowedCodeDays(db: Db | Tx, allowed: ReadonlyMap<string, readonly string[]>, from: string, to: string): Promise<DeviceCodeDay[]> {
  if (allowed.size === 0) return [];
  const ids = [...allowed.keys()];
  const { rows } = await sql<{ device_id: string; day: string; code: string; captures: number }>`
    SELECT c.device_id, to_char(c.day, 'YYYY-MM-DD') AS day, c.violation_code AS code, c.captures
      FROM device_daily_captures c
      JOIN unnest(${ids}::text[], ${ids.map((id) => allowed.get(id)!.join(','))}::text[]) AS a(device_id, codes) ON a.device_id = c.device_id
     WHERE c.day >= ${from}::date AND c.day <= ${to}::date AND c.captures > 0
       AND NOT (c.violation_code = ANY(string_to_array(a.codes, ',')))
     ORDER BY c.device_id, c.day, c.violation_code`.execute(db);
  return rows.map((r) => ({ deviceId: r.device_id, day: r.day, code: r.code, captures: Number(r.captures) }));
}

/** One device's counts by day and code, days [from, to). */
export async function deviceCodeSeries(db: Db | Tx, deviceId: string, from: string, toExclusive: string): Promise<Array<{ day: string; code: string; captures: number; freight: number }>> {
  const { rows } = await sql<{ day: string; code: string; captures: number; freight: number }>`
    SELECT to_char(day, 'YYYY-MM-DD') AS day, violation_code AS code, captures, freight_captures AS freight
      FROM device_daily_captures
     WHERE device_id = ${deviceId} AND day >= ${from}::date AND day < ${toExclusive}::date
     ORDER BY day, violation_code`.execute(db);
  return rows.map((r) => ({ day: r.day, code: r.code, captures: Number(r.captures), freight: Number(r.freight) }));
}
