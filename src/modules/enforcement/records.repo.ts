// Set-based storage of enforcement records: one INSERT … SELECT FROM json_to_recordset(…) per
// batch (one parameter whatever the batch size) and one history query per batch.
import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Place, RecordKind } from '../../contracts/enforcement.ts';
import { copyFromStdin, type Db } from '../../platform/db/database.ts';
import type { Tx } from '../../platform/db/tx.ts';
import type { HistoryRecord } from '../rules/types.ts';

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

// batch_seq first: it is known only under the intake lock, so each encoded line waits for it
const COPY_COLUMNS = [
  'batch_seq', 'id', 'external_id', 'kind', 'plate', 'vehicle_type', 'freight', 'violation_code', 'occurred_at',
  'road', 'direction', 'km', 'lat', 'lon', 'place_description', 'device_id',
  'deciding_officer', 'deciding_person_id', 'assistants', 'procedure', 'party', 'fine_yuan', 'points',
  'payment_method', 'receipt_no', 'remote_area', 'evidence',
  'driver_name', 'driver_id_number', 'driver_licence_no', 'driver_key', 'unit_id',
  'outcome', 'decided_outcome', 'linked_record_id', 'decided_fine_yuan', 'decided_points', 'reasons',
  'rule_set_version', 'catalogue_version', 'held_at', 'device_revision',
] as const;
const COPY_STATEMENT = `COPY enforcement_records (${COPY_COLUMNS.join(', ')}) FROM STDIN`;

const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_SPECIALS = /[\\\t\n\r]/g;
const copyEscape = (c: string) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r');

/** Free text in COPY text format: \N for null, backslash escapes for the four special characters. */
function text(v: string | null | undefined): string {
  if (v === null || v === undefined) return '\\N';
  return COPY_SPECIAL.test(v) ? v.replace(COPY_SPECIALS, copyEscape) : v;
}

/** A number or null. */
function num(v: number | null | undefined): string {
  return v === null || v === undefined ? '\\N' : String(v);
}

/**
 * JSON in COPY text format. JSON.stringify escapes every control character, so only its
 * backslashes need doubling.
 */
function json(v: unknown): string {
  const s = JSON.stringify(v);
  return s.includes('\\') ? s.replaceAll('\\', '\\\\') : s;
}

/** Printable ASCII but the quote and the backslash: such a text is its own JSON string body, and needs no COPY escape. */
const JSON_PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

function plainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}

/**
 * The evidence list in COPY text format: what json() writes, without a generic walk of each item —
 * evidence items are flat objects of ASCII texts (kind, ref, digest); anything else goes to json().
 */
function evidenceJson(items: readonly unknown[]): string {
  let out = '[';
  for (let i = 0; i < items.length; i++) {
    const e = items[i];
    if (!plainObject(e)) return json(items);
    let o = '{';
    for (const k in e) {
      const v = e[k];
      if (v === undefined) continue;
      if (typeof v !== 'string' || !JSON_PLAIN.test(v) || !JSON_PLAIN.test(k)) return json(items);
      o += `${o.length === 1 ? '"' : ',"'}${k}":"${v}"`;
    }
    out += `${i === 0 ? '' : ','}${o}}`;
  }
  return `${out}]`;
}

const DAY_MS = 86_400_000;
let isoDay = Number.NaN;
let isoDayPrefix = '';
const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/**
 * Date#toISOString of an instant, the date part kept from the row before (a batch is a day or
 * two of records): the same text, at a fraction of its cost. Years outside 1970–9999 go to
 * toISOString.
 */
export function isoInstant(ms: number): string {
  if (!(ms >= 0 && ms < 253402300800000) || !Number.isInteger(ms)) return new Date(ms).toISOString();
  const day = Math.floor(ms / DAY_MS);
  if (day !== isoDay) {
    isoDay = day;
    isoDayPrefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
  }
  let t = ms - day * DAY_MS;
  const milli = t % 1000;
  t = (t - milli) / 1000;
  const sec = t % 60;
  t = (t - sec) / 60;
  const min = t % 60;
  const hour = (t - min) / 60;
  return `${isoDayPrefix}${pad2(hour)}:${pad2(min)}:${pad2(sec)}.${milli < 10 ? `00${milli}` : milli < 100 ? `0${milli}` : milli}Z`;
}

/** Width of the batch_seq placeholder each line starts with (leading zeros read as the same bigint). */
const SEQ_WIDTH = 15;
const SEQ_PLACEHOLDER = `${'0'.repeat(SEQ_WIDTH)}\t`;

/**
 * A batch encoded for COPY before the intake lock, in UTF-8 outside the JS heap (a batch's text
 * is tens of MB; kept as strings until the commit it would be copied by every young-generation
 * collection meanwhile). Each line starts with a batch_seq placeholder, filled in under the lock.
 */
export interface EncodedRecords {
  buf: Buffer;
  length: number;
  lineStarts: number[];
  /** the batch's ledger digest (intake.service.ts batchDigest), computed on the way; undefined when the rows were not in id order */
  digest?: string;
}

/** The fields of a record the batch digest pins. */
export type DigestFields = Pick<NewRecordRow, 'id' | 'externalId' | 'plate' | 'violationCode' | 'occurredAt' | 'outcome' | 'decidedFineYuan' | 'decidedPoints' | 'ruleSetVersion'>;

/** One record's line of the batch digest; `occurredAt` as toISOString gives it. */
export function digestLine(r: DigestFields, occurredAt: string): string {
  return `${JSON.stringify([r.id, r.externalId, r.plate, r.violationCode, occurredAt, r.outcome, r.decidedFineYuan, r.decidedPoints, r.ruleSetVersion])}\n`;
}

export async function encodeRecords(rows: readonly NewRecordRow[]): Promise<EncodedRecords> {
  let buf = Buffer.allocUnsafeSlow(Math.max(1 << 16, rows.length * 2048));
  let length = 0;
  const lineStarts: number[] = new Array(rows.length);
  const hash = crypto.createHash('sha256');
  let digestText = '';
  let inIdOrder = true;
  for (let i = 0; i < rows.length; i++) {
    // a turn for the event loop now and then: it writes the COPY of the batch before
    if ((i & 511) === 511) {
      hash.update(digestText);
      digestText = '';
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    const r = rows[i]!;
    const p = r.place;
    const occurredAt = isoInstant(r.occurredAt.getTime());
    if (i > 0 && r.id <= rows[i - 1]!.id) inIdOrder = false;
    digestText += digestLine(r, occurredAt);
    // the order of COPY_COLUMNS; kind, vehicle type, outcome and the other enums are validated
    // words; badge numbers are letters and digits, quoted so that one spelled NULL stays a string
    const line =
      `${SEQ_PLACEHOLDER}${r.id}\t${text(r.externalId)}\t${r.kind}\t${text(r.plate)}\t${r.vehicleType}\t${r.freight ? 't' : 'f'}\t${text(r.violationCode)}\t${occurredAt}\t` +
      `${text(p.road)}\t${text(p.direction)}\t${num(p.km)}\t${num(p.lat)}\t${num(p.lon)}\t${text(p.description)}\t${text(r.deviceId)}\t` +
      `${text(r.decidingOfficer)}\t${num(r.decidingPersonId)}\t${r.assistants.length === 0 ? '{}' : `{${r.assistants.map((a) => `"${a}"`).join(',')}}`}\t${r.procedure ?? '\\N'}\t${r.party ?? '\\N'}\t${num(r.fineYuan)}\t${num(r.points)}\t` +
      `${r.paymentMethod ?? '\\N'}\t${text(r.receiptNo)}\t${r.remoteArea ? 't' : 'f'}\t${evidenceJson(r.evidence)}\t` +
      `${text(r.driverName)}\t${text(r.driverIdNumber)}\t${text(r.driverLicenceNo)}\t${text(r.driverKey)}\t${r.unitId}\t` +
      `${r.outcome}\t${r.outcome}\t${num(r.linkedRecordId)}\t${num(r.decidedFineYuan)}\t${num(r.decidedPoints)}\t${reasonsJson(r.reasons)}\t` +
      `${r.ruleSetVersion}\t${r.catalogueVersion}\t${r.heldAt ? r.heldAt.toISOString() : '\\N'}\t${num(r.deviceRevision)}\n`;
    // at most 3 bytes per UTF-16 unit
    if (length + line.length * 3 > buf.length) {
      const bigger = Buffer.allocUnsafeSlow(Math.max(buf.length * 2, length + line.length * 3));
      buf.copy(bigger, 0, 0, length);
      buf = bigger;
    }
    lineStarts[i] = length;
    length += buf.write(line, length);
  }
  hash.update(digestText);
  return { buf, length, lineStarts, digest: inIdOrder ? hash.digest('hex') : undefined };
}

/** Reasons shared by many rows (one object per catalogue entry and amount) are serialised once. */
const reasonJson = new WeakMap<object, string>();
function reasonsJson(reasons: readonly unknown[]): string {
  let out = '[';
  for (let i = 0; i < reasons.length; i++) {
    const r = reasons[i] as object;
    let j = reasonJson.get(r);
    if (j === undefined) {
      j = JSON.stringify(r);
      if (j.includes('\\')) j = j.replaceAll('\\', '\\\\');
      if (Object.isFrozen(r)) reasonJson.set(r, j);
    }
    out += i === 0 ? j : `,${j}`;
  }
  return `${out}]`;
}

/** PostgreSQL: one COPY FROM STDIN of an encoded batch (its fastest load path, inside the batch's transaction). */
export async function copyRecords(trx: Tx, encoded: EncodedRecords, batchSeq: number): Promise<void> {
  if (encoded.lineStarts.length === 0) return;
  const seq = String(batchSeq).padStart(SEQ_WIDTH, '0');
  if (seq.length !== SEQ_WIDTH) throw new Error(`batch_seq ${batchSeq} does not fit the COPY placeholder`);
  for (const at of encoded.lineStarts) encoded.buf.write(seq, at, SEQ_WIDTH, 'latin1');
  await trx.executeQuery(copyFromStdin(COPY_STATEMENT, encoded.buf.subarray(0, encoded.length)));
}

/**
 * One INSERT … SELECT FROM json_to_recordset for the whole batch: PGlite, which has no STDIN
 * (PostgreSQL takes encodeRecords + copyRecords).
 */
export async function insertRecords(trx: Tx, rows: NewRecordRow[]): Promise<void> {
  if (rows.length === 0) return;
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

/** A record's place in the decision order: batches commit one at a time, in batch_seq order, and a batch's rows in id order. */
export interface DecisionPoint {
  batchSeq: number;
  id: number;
}

/**
 * The history of a batch — every stored record of its plates (and of its known drivers) in one
 * time window — in one query; for a replay, only the records decided before `before` (of batches
 * committed before its own, and the earlier rows of its own batch). Built by the server as ONE
 * json value in HistoryRecord's shape: at a million stored records a batch's history is tens of
 * thousands of rows; read as rows, each costs a row object, a Date and a string per column, all
 * alive until the last row arrives and so copied by every young-generation collection meanwhile —
 * most of the intake's growth in cost per row. One JSON.parse builds the records directly (a null
 * member left out, as HistoryRecord leaves it out).
 */
export async function loadHistory(db: Db | Tx, plates: string[], from: Date, to: Date, driverKeys: string[], before?: DecisionPoint): Promise<HistoryRecord[]> {
  if (plates.length === 0 && driverKeys.length === 0) return [];
  const decidedBefore = before ? sql`AND (batch_seq < ${before.batchSeq} OR (batch_seq = ${before.batchSeq} AND id < ${before.id}))` : sql``;
  const { rows } = await sql<{ history: HistoryRecord[] | string | null }>`
    SELECT json_agg(json_strip_nulls(json_build_object(
             'id', id, 'kind', kind, 'plate', plate, 'violationCode', violation_code,
             'occurredAt', floor(extract(epoch FROM occurred_at) * 1000)::bigint,
             'place', json_build_object('road', road, 'direction', direction, 'km', km, 'lat', lat, 'lon', lon),
             'outcome', outcome, 'handled', outcome <> 'held', 'deviceId', device_id, 'driverKey', driver_key))) AS history
      FROM enforcement_records
     WHERE (plate = ANY(${plates}::text[]) OR driver_key = ANY(${driverKeys}::text[]))
       AND occurred_at >= ${from.toISOString()}::timestamptz AND occurred_at < ${to.toISOString()}::timestamptz
       ${decidedBefore}`.execute(db);
  const h = rows[0]?.history ?? null;
  if (h === null) return [];
  return typeof h === 'string' ? (JSON.parse(h) as HistoryRecord[]) : h;
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
