// The intake's validation. Every row is checked against the zod contract (recordInput), whose
// answer is the only one: a row it rejects gets its errors row by row. Most rows of a bulk load
// are camera captures in canonical form, for which zod spends most of its time building copies
// and running refinements that cannot fail; `canonicalCamera` accepts exactly those, returning
// what zod would return, and answers undefined for anything else (an on-site record, a text
// with surrounding spaces, an upper-case digest, a time in the future …), which then goes to zod.
// intake.validate.test.ts compares the two on the demo rows and on mutations of them.
import { EVIDENCE_KINDS, recordInput, VEHICLE_TYPE_VALUES, type BatchResult, type RecordInput } from '../../contracts/enforcement.ts';
import { isoDateTime } from '../../contracts/common.ts';
import { normalizePlate } from '../../contracts/plate.ts';

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const CODE = /^[0-9A-Za-z]{4,6}$/;
const SHA256_LOWER = /^[0-9a-f]{64}$/;
/** The contract's own ISO 8601 pattern (z.iso.datetime({ offset: true })). */
const ISO_DATETIME = (isoDateTime as unknown as { def: { pattern: RegExp } }).def.pattern;
const VEHICLE_TYPES = new Set<string>(VEHICLE_TYPE_VALUES);
const EVIDENCE = new Set<string>(Object.keys(EVIDENCE_KINDS));
const ROW_KEYS = new Set(['externalId', 'kind', 'plate', 'vehicleType', 'violationCode', 'occurredAt', 'place', 'deviceId', 'assistants', 'remoteArea', 'evidence', 'fineYuan', 'points']);
const PLACE_KEYS = new Set(['road', 'direction', 'km', 'lat', 'lon', 'description']);
const EVIDENCE_KEYS = new Set(['kind', 'ref', 'sha256']);

type Obj = Record<string, unknown>;

function plain(v: unknown): v is Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Only known keys, none of them present with the value undefined. */
function keysIn(o: Obj, allowed: ReadonlySet<string>): boolean {
  for (const k in o) if (!allowed.has(k) || o[k] === undefined) return false;
  return true;
}

/** A text as text(what, max) accepts it unchanged: no surrounding white space, no control character. */
function cleanText(v: unknown, max: number, nonEmpty: boolean): v is string {
  return typeof v === 'string' && v.length <= max && (!nonEmpty || v.length > 0) && v.trim() === v && !CONTROL.test(v);
}

function numberIn(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max;
}

/** What recordInput.parse returns for a canonical camera row, or undefined: ask zod. */
export function canonicalCamera(row: unknown, now: number): RecordInput | undefined {
  if (!plain(row) || !keysIn(row, ROW_KEYS)) return undefined;
  const { externalId, kind, plate, vehicleType, violationCode, occurredAt, place, deviceId, assistants, remoteArea, evidence, fineYuan, points } = row;
  if (kind !== 'camera' || !cleanText(externalId, 64, true) || !cleanText(deviceId, 40, true)) return undefined;
  if (typeof vehicleType !== 'string' || !VEHICLE_TYPES.has(vehicleType)) return undefined;
  if (typeof violationCode !== 'string' || !CODE.test(violationCode)) return undefined;
  if (typeof occurredAt !== 'string' || !ISO_DATETIME.test(occurredAt) || !(Date.parse(occurredAt) <= now)) return undefined;
  if (typeof plate !== 'string') return undefined;
  const p = normalizePlate(plate);
  if (!p.ok) return undefined;

  if (!plain(place) || !keysIn(place, PLACE_KEYS) || !cleanText(place.road, 100, true)) return undefined;
  const placeOut: RecordInput['place'] = { road: place.road };
  if ('direction' in place) {
    if (!cleanText(place.direction, 30, false)) return undefined;
    placeOut.direction = place.direction;
  }
  if ('km' in place) {
    if (!numberIn(place.km, 0, 10000)) return undefined;
    placeOut.km = place.km;
  }
  if ('lat' in place) {
    if (!numberIn(place.lat, -90, 90)) return undefined;
    placeOut.lat = place.lat;
  }
  if ('lon' in place) {
    if (!numberIn(place.lon, -180, 180)) return undefined;
    placeOut.lon = place.lon;
  }
  if ('description' in place) {
    if (!cleanText(place.description, 200, false)) return undefined;
    placeOut.description = place.description;
  }

  const evidenceOut: RecordInput['evidence'] = [];
  if (evidence !== undefined) {
    if (!Array.isArray(evidence) || evidence.length > 50) return undefined;
    for (const e of evidence as unknown[]) {
      if (!plain(e) || !keysIn(e, EVIDENCE_KEYS) || typeof e.kind !== 'string' || !EVIDENCE.has(e.kind) || !cleanText(e.ref, 500, true)) return undefined;
      const item: RecordInput['evidence'][number] = { kind: e.kind as RecordInput['evidence'][number]['kind'], ref: e.ref };
      if ('sha256' in e) {
        if (typeof e.sha256 !== 'string' || !SHA256_LOWER.test(e.sha256)) return undefined;
        item.sha256 = e.sha256;
      }
      evidenceOut.push(item);
    }
  }
  if (assistants !== undefined && !(Array.isArray(assistants) && assistants.length === 0)) return undefined;
  if (remoteArea !== undefined && typeof remoteArea !== 'boolean') return undefined;

  const out: RecordInput = {
    externalId,
    kind: 'camera',
    plate: p.plate,
    vehicleType: vehicleType as RecordInput['vehicleType'],
    violationCode,
    occurredAt,
    place: placeOut,
    deviceId,
    assistants: [],
    remoteArea: remoteArea ?? false,
    evidence: evidenceOut,
  };
  if (fineYuan !== undefined) {
    if (!numberIn(fineYuan, 0, 100000)) return undefined;
    out.fineYuan = fineYuan;
  }
  if (points !== undefined) {
    if (!numberIn(points, 0, 12) || !Number.isInteger(points)) return undefined;
    out.points = points;
  }
  return out;
}

function zodErrors(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>) {
  return issues.map((i) => ({ path: i.path.map(String).join('.') || '(row)', message: i.message }));
}

/** The rows of a batch, validated: the valid ones with their input index, an error result for each other. */
export async function validateRows(rows: readonly unknown[]): Promise<{ results: BatchResult[]; valid: Array<{ index: number; input: RecordInput }>; rejected: number }> {
  const results: BatchResult[] = new Array(rows.length);
  const valid: Array<{ index: number; input: RecordInput }> = [];
  let rejected = 0;
  const now = Date.now();
  for (let index = 0; index < rows.length; index++) {
    // a turn for the event loop now and then (intake.service.ts, YIELD_EVERY)
    if ((index & 511) === 511) await new Promise<void>((resolve) => setImmediate(resolve));
    const row = rows[index];
    const fast = canonicalCamera(row, now);
    if (fast) {
      valid.push({ index, input: fast });
      continue;
    }
    const parsed = recordInput.safeParse(row);
    if (parsed.success) valid.push({ index, input: parsed.data });
    else {
      rejected++;
      const ext = (row as { externalId?: unknown } | null)?.externalId;
      results[index] = { externalId: typeof ext === 'string' ? ext : null, errors: zodErrors(parsed.error.issues) };
    }
  }
  return { results, valid, rejected };
}
