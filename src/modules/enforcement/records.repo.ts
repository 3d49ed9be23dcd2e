// Set-based storage of enforcement records: one INSERT … SELECT FROM json_to_recordset(…) per
// batch (one parameter whatever the batch size) and one history query per batch.
import { sql, type Selectable } from 'kysely';
import type { CameraOutcome, OnSiteOutcome, Place, RecordKind } from '../../contracts/enforcement.ts';
import { copyFromStdin, type Db, type DatabaseKind } from '../../platform/db/database.ts';
import type { Tx } from '../../platform/db/tx.ts';
import type { HistoryRecord } from '../rules/types.ts';
import type { EnforcementTables } from './enforcement.tables.ts';

/** One row as written: the intake facts plus the decision. */
export interface NewRecordRow {
  id: number;
  externalId: string;
  kind: RecordKind;
  plate: string;
  vehicleType: string;
  freight: boolean;
  violationCode: string;
  occurredAt: Date;
  place: Place;
  deviceId: string | null;
  decidingOfficer: string | null;
  decidingPersonId: number | null;
  assistants: string[];
  procedure: string | null;
  party: string | null;
  fineYuan: number | null;
  points: number | null;
  paymentMethod: string | null;
  receiptNo: string | null;
  remoteArea: boolean;
  evidence: unknown[];
  driverName: string | null;
  driverIdNumber: string | null;
  driverLicenceNo: string | null;
  driverKey: string | null;
  unitId: number;
  outcome: string;
  linkedRecordId: number | null;
  decidedFineYuan: number | null;
  decidedPoints: number | null;
  reasons: unknown[];
  ruleSetVersion: number;
  catalogueVersion: number;
  heldAt: Date | null;
  batchSeq: number;
  /** the registry revision of the capture's device the decision used; null: on-site or unknown device */
  deviceRevision: number | null;
}

/**
 * The columns as the batch INSERT receives them. The batch travels as ONE json parameter and is
 * unpacked by json_to_recordset: stringifying is native in V8 and parsing native in PostgreSQL,
 * where 40 text[] parameters of 10,000 elements each cost most of a second in node-postgres's
 * array escaping alone.
 */
const RECORDSET = sql.raw(`x(
  id bigint, external_id text, kind text, plate text, vehicle_type text, freight boolean, violation_code text, occurred_at timestamptz,
  road text, direction text, km float8, lat float8, lon float8, place_description text, device_id text,
  deciding_officer text, deciding_person_id int, assistants text[], procedure text, party text, fine_yuan numeric, points smallint,
  payment_method text, receipt_no text, remote_area boolean, evidence jsonb,
  driver_name text, driver_id_number text, driver_licence_no text, driver_key text, unit_id int,
  outcome text, linked_record_id bigint, decided_fine_yuan numeric, decided_points smallint, reasons jsonb,
  rule_set_version int, catalogue_version int, held_at timestamptz, batch_seq bigint, device_revision int)`);

function toJsonRow(r: NewRecordRow) {
  return {
    id: r.id,
    external_id: r.externalId,
    kind: r.kind,
    plate: r.plate,
    vehicle_type: r.vehicleType,
    freight: r.freight,
    violation_code: r.violationCode,
    occurred_at: r.occurredAt.toISOString(),
    road: r.place.road,
    direction: r.place.direction ?? null,
    km: r.place.km ?? null,
    lat: r.place.lat ?? null,
    lon: r.place.lon ?? null,
    place_description: r.place.description ?? null,
    device_id: r.deviceId,
    deciding_officer: r.decidingOfficer,
    deciding_person_id: r.decidingPersonId,
    assistants: r.assistants,
    procedure: r.procedure,
    party: r.party,
    fine_yuan: r.fineYuan,
    points: r.points,
    payment_method: r.paymentMethod,
    receipt_no: r.receiptNo,
    remote_area: r.remoteArea,
    evidence: r.evidence,
    driver_name: r.driverName,
    driver_id_number: r.driverIdNumber,
    driver_licence_no: r.driverLicenceNo,
    driver_key: r.driverKey,
    unit_id: r.unitId,
    outcome: r.outcome,
    linked_record_id: r.linkedRecordId,
    decided_fine_yuan: r.decidedFineYuan,
    decided_points: r.decidedPoints,
    reasons: r.reasons,
    rule_set_version: r.ruleSetVersion,
    catalogue_version: r.catalogueVersion,
    held_at: r.heldAt?.toISOString() ?? null,
    batch_seq: r.batchSeq,
    device_revision: r.deviceRevision,
  };
}

const INSERT_COLUMNS = [
  'id', 'external_id', 'kind', 'plate', 'vehicle_type', 'freight', 'violation_code', 'occurred_at',
  'road', 'direction', 'km', 'lat', 'lon', 'place_description', 'device_id',
  'deciding_officer', 'deciding_person_id', 'assistants', 'procedure', 'party', 'fine_yuan', 'points',
  'payment_method', 'receipt_no', 'remote_area', 'evidence',
  'driver_name', 'driver_id_number', 'driver_licence_no', 'driver_key', 'unit_id',
  'outcome', 'decided_outcome', 'linked_record_id', 'decided_fine_yuan', 'decided_points', 'reasons',
  'rule_set_version', 'catalogue_version', 'held_at', 'batch_seq', 'device_revision',
] as const;

/** One value in COPY text format: \N for null, backslash escapes for the four special characters. */
function copyValue(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  const text = typeof v === 'string' ? v : typeof v === 'boolean' ? (v ? 't' : 'f') : typeof v === 'number' ? String(v) : JSON.stringify(v);
  return /[\\\t\n\r]/.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : text;
}

function copyData(rows: NewRecordRow[]): string {
  const v = copyValue;
  let out = '';
  for (const r of rows) {
    // the order of INSERT_COLUMNS; badge numbers are letters and digits, quoted so that one
    // spelled NULL stays a string
    out +=
      `${r.id}\t${v(r.externalId)}\t${r.kind}\t${v(r.plate)}\t${r.vehicleType}\t${r.freight ? 't' : 'f'}\t${v(r.violationCode)}\t${r.occurredAt.toISOString()}\t` +
      `${v(r.place.road)}\t${v(r.place.direction)}\t${v(r.place.km)}\t${v(r.place.lat)}\t${v(r.place.lon)}\t${v(r.place.description)}\t${v(r.deviceId)}\t` +
      `${v(r.decidingOfficer)}\t${v(r.decidingPersonId)}\t{${r.assistants.map((a) => `"${a}"`).join(',')}}\t${v(r.procedure)}\t${v(r.party)}\t${v(r.fineYuan)}\t${v(r.points)}\t` +
      `${v(r.paymentMethod)}\t${v(r.receiptNo)}\t${r.remoteArea ? 't' : 'f'}\t${v(r.evidence)}\t` +
      `${v(r.driverName)}\t${v(r.driverIdNumber)}\t${v(r.driverLicenceNo)}\t${v(r.driverKey)}\t${r.unitId}\t` +
      `${r.outcome}\t${r.outcome}\t${v(r.linkedRecordId)}\t${v(r.decidedFineYuan)}\t${v(r.decidedPoints)}\t${v(r.reasons)}\t` +
      `${r.ruleSetVersion}\t${r.catalogueVersion}\t${r.heldAt ? r.heldAt.toISOString() : '\\N'}\t${r.batchSeq}\t${v(r.deviceRevision)}\n`;
  }
  return out;
}

/**
 * On PostgreSQL the batch goes in by COPY FROM STDIN (its fastest load path, still inside the
 * batch's transaction); on PGlite, which has no STDIN, by one INSERT from json_to_recordset.
 */
export async function insertRecords(trx: Tx, rows: NewRecordRow[], engine: DatabaseKind | undefined): Promise<void> {
  if (rows.length === 0) return;
  if (engine === 'postgres') {
    await trx.executeQuery(copyFromStdin(`COPY enforcement_records (${INSERT_COLUMNS.join(', ')}) FROM STDIN`, copyData(rows)));
    return;
  }
  await sql`
    INSERT INTO enforcement_records (
      id, external_id, kind, plate, vehicle_type, freight, violation_code, occurred_at,
      road, direction, km, lat, lon, place_description, device_id,
      deciding_officer, deciding_person_id, assistants, procedure, party, fine_yuan, points,
      payment_method, receipt_no, remote_area, evidence,
      driver_name, driver_id_number, driver_licence_no, driver_key, unit_id,
      outcome, decided_outcome, linked_record_id, decided_fine_yuan, decided_points, reasons,
      rule_set_version, catalogue_version, held_at, batch_seq, device_revision)
    SELECT id, external_id, kind, plate, vehicle_type, freight, violation_code, occurred_at,
      road, direction, km, lat, lon, place_description, device_id,
      deciding_officer, deciding_person_id, assistants, procedure, party, fine_yuan, points,
      payment_method, receipt_no, remote_area, evidence,
      driver_name, driver_id_number, driver_licence_no, driver_key, unit_id,
      outcome, outcome, linked_record_id, decided_fine_yuan, decided_points, reasons,
      rule_set_version, catalogue_version, held_at, batch_seq, device_revision
    FROM json_to_recordset(${JSON.stringify(rows.map(toJsonRow))}::json) AS ${RECORDSET}`.execute(trx);
}

type HistoryRow = Pick<
  Selectable<EnforcementTables['enforcement_records']>,
  'id' | 'kind' | 'plate' | 'violation_code' | 'occurred_at' | 'road' | 'direction' | 'km' | 'lat' | 'lon' | 'device_id' | 'driver_key' | 'outcome' | 'batch_seq'
>;

export function toHistory(r: HistoryRow): HistoryRecord {
  const place: Place = { road: r.road };
  if (r.direction !== null) place.direction = r.direction;
  if (r.km !== null) place.km = Number(r.km);
  if (r.lat !== null) place.lat = Number(r.lat);
  if (r.lon !== null) place.lon = Number(r.lon);
  const h: HistoryRecord = {
    id: Number(r.id),
    kind: r.kind as RecordKind,
    plate: r.plate,
    violationCode: r.violation_code,
    occurredAt: new Date(r.occurred_at).getTime(),
    place,
    outcome: r.outcome as CameraOutcome | OnSiteOutcome,
    // A record still waiting for the legal officer is not yet dealt with; everything else is.
    handled: r.outcome !== 'held',
  };
  if (r.device_id !== null) h.deviceId = r.device_id;
  if (r.driver_key !== null) h.driverKey = r.driver_key;
  return h;
}

/** The history of a batch: every stored record of its plates (and of its known drivers) in one time window — one query. */
export async function loadHistory(db: Db | Tx, plates: string[], from: Date, to: Date, excludeId?: number, driverKeys: string[] = []): Promise<Array<HistoryRecord & { batchSeq: number }>> {
  if (plates.length === 0 && driverKeys.length === 0) return [];
  const { rows } = await sql<HistoryRow>`
    SELECT id, kind, plate, violation_code, occurred_at, road, direction, km, lat, lon, device_id, driver_key, outcome, batch_seq
      FROM enforcement_records
     WHERE (plate = ANY(${plates}::text[]) OR driver_key = ANY(${driverKeys}::text[]))
       AND occurred_at >= ${from.toISOString()}::timestamptz AND occurred_at < ${to.toISOString()}::timestamptz
       AND id <> ${excludeId ?? 0}`.execute(db);
  return rows.map((r) => ({ ...toHistory(r), batchSeq: Number(r.batch_seq) }));
}

export interface StoredResult {
  id: number;
  external_id: string;
  outcome: string;
  linked_record_id: number | null;
  reasons: unknown;
}

export async function findByExternalIds(trx: Db | Tx, externalIds: string[]): Promise<Map<string, StoredResult>> {
  if (externalIds.length === 0) return new Map();
  const { rows } = await sql<StoredResult>`
    SELECT id, external_id, outcome, linked_record_id, reasons FROM enforcement_records WHERE external_id = ANY(${externalIds}::text[])`.execute(trx);
  return new Map(rows.map((r) => [r.external_id, r]));
}

export async function allocateIds(trx: Db | Tx, n: number): Promise<number[]> {
  if (n === 0) return [];
  const { rows } = await sql<{ id: number }>`SELECT nextval('enforcement_records_id_seq') AS id FROM generate_series(1, ${n}::int)`.execute(trx);
  return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
}

/** The latest committed batch (0 before the first). */
export async function lastBatchSeq(q: Db | Tx): Promise<number> {
  const { rows } = await sql<{ seq: number | null }>`SELECT max(batch_seq) AS seq FROM enforcement_records`.execute(q);
  return Number(rows[0]?.seq ?? 0);
}

export async function nextBatchSeq(trx: Tx): Promise<number> {
  const { rows } = await sql<{ seq: number }>`SELECT nextval('enforcement_batches_seq') AS seq`.execute(trx);
  return Number(rows[0]!.seq);
}

// China keeps UTC+8 all year (no daylight saving since 1991), so Beijing days are a fixed offset
// away and need no time-zone database.

/** Simple-procedure decisions per officer and Beijing day, for the officer-days a batch touched. */
export async function simpleCountsFor(trx: Tx, pairs: Array<{ badgeNo: string; day: string }>): Promise<Array<{ badgeNo: string; day: string; simpleCount: number }>> {
  if (pairs.length === 0) return [];
  const { rows } = await sql<{ badge_no: string; day: string; n: number }>`
    SELECT r.deciding_officer AS badge_no, to_char((r.occurred_at AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM-DD') AS day, count(*)::int AS n
      FROM unnest(${pairs.map((p) => p.badgeNo)}::text[], ${pairs.map((p) => p.day)}::date[]) AS k(badge_no, day)
      JOIN enforcement_records r
        ON r.deciding_officer = k.badge_no
       AND r.occurred_at >= ((k.day::timestamp - interval '8 hours') AT TIME ZONE 'UTC')
       AND r.occurred_at < (((k.day + 1)::timestamp - interval '8 hours') AT TIME ZONE 'UTC')
     WHERE r.kind = 'onSite' AND r.procedure = 'simple'
     GROUP BY 1, 2`.execute(trx);
  return rows.map((r) => ({ badgeNo: r.badge_no, day: r.day, simpleCount: Number(r.n) }));
}

/**
 * Voids stored held captures whose act was handled on the spot, appending the reason; only rows
 * still held change (a review in between wins). Returns the ids voided.
 */
export async function voidHandledCaptures(trx: Tx, voids: ReadonlyArray<{ id: number; onSiteRecordId: number; reason: unknown }>): Promise<number[]> {
  if (voids.length === 0) return [];
  const { rows } = await sql<{ id: number }>`
    UPDATE enforcement_records r
       SET outcome = 'voided', linked_record_id = v.on_site, reasons = r.reasons || jsonb_build_array(v.reason::jsonb)
      FROM unnest(${voids.map((v) => v.id)}::bigint[], ${voids.map((v) => v.onSiteRecordId)}::bigint[], ${voids.map((v) => JSON.stringify(v.reason))}::text[]) AS v(id, on_site, reason)
     WHERE r.id = v.id AND r.outcome = 'held'
    RETURNING r.id`.execute(trx);
  return rows.map((r) => Number(r.id));
}

/** A camera capture as the device registry's retroactive finding reads it. */
export interface DeviceCapture {
  id: number;
  occurredAt: number;
  plate: string;
  violationCode: string;
  outcome: string;
  road: string;
}

/** A device's captures, for the registry's retroactive finding: one query over the device's index. */
export async function capturesOfDevice(q: Db | Tx, deviceId: string, from: Date | null, to: Date | null): Promise<DeviceCapture[]> {
  const { rows } = await sql<{ id: string; occurred_at: Date; plate: string; violation_code: string; outcome: string; road: string }>`
    SELECT id, occurred_at, plate, violation_code, outcome, road
      FROM enforcement_records
     WHERE device_id = ${deviceId} AND kind = 'camera'
       AND (${from?.toISOString() ?? null}::timestamptz IS NULL OR occurred_at >= ${from?.toISOString() ?? null}::timestamptz)
       AND (${to?.toISOString() ?? null}::timestamptz IS NULL OR occurred_at < ${to?.toISOString() ?? null}::timestamptz)
     ORDER BY occurred_at, id`.execute(q);
  return rows.map((r) => ({ id: Number(r.id), occurredAt: new Date(r.occurred_at).getTime(), plate: r.plate, violationCode: r.violation_code, outcome: r.outcome, road: r.road }));
}

/**
 * The camera captures of several devices, each before its own `to`, by device — one query over
 * the device index (`capturesOfDevice` is its one-device form, used by the API).
 */
export async function capturesOfDevices(q: Db | Tx, keys: ReadonlyArray<{ deviceId: string; to: Date }>): Promise<Map<string, DeviceCapture[]>> {
  const { rows } = await sql<{ id: string; device_id: string; occurred_at: Date; plate: string; violation_code: string; outcome: string; road: string }>`
    SELECT r.id, r.device_id, r.occurred_at, r.plate, r.violation_code, r.outcome, r.road
      FROM enforcement_records r
      JOIN unnest(${keys.map((k) => k.deviceId)}::text[], ${keys.map((k) => k.to.toISOString())}::timestamptz[]) AS k(device_id, until)
        ON r.device_id = k.device_id
     WHERE r.device_id = ANY(${keys.map((k) => k.deviceId)}::text[]) AND r.kind = 'camera' AND r.occurred_at < k.until
     ORDER BY r.device_id, r.occurred_at, r.id`.execute(q);
  const out = new Map<string, DeviceCapture[]>();
  for (const r of rows) {
    const list = out.get(r.device_id) ?? out.set(r.device_id, []).get(r.device_id)!;
    list.push({ id: Number(r.id), occurredAt: new Date(r.occurred_at).getTime(), plate: r.plate, violationCode: r.violation_code, outcome: r.outcome, road: r.road });
  }
  return out;
}
