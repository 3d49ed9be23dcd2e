// The device registry's service: list and detail in data scope (owning unit), and every change —
// create, update, status change, import — as a new immutable revision with the document it rests
// on, ledgered in the same transaction. A change that shrinks the window in which the device was
// lawful raises one alert listing the captures it affects (devices.retro.ts).
import { sql, type Selectable } from 'kysely';
import { z } from 'zod';
import {
  DEVICE_TYPE_RULES,
  type Device,
  type DeviceCreate,
  type DeviceDetail,
  type DeviceState,
  type DeviceStatusChange,
  type DeviceUpdate,
  checkDeviceDates,
  deviceListQuery,
} from '../../contracts/devices.ts';
import type { Page } from '../../contracts/common.ts';
import type { RuleParams } from '../../contracts/rules.ts';
import type { ResolvedScope } from '../../platform/authz/principal.ts';
import { unitInScope } from '../../platform/authz/scope.ts';
import type { Db } from '../../platform/db/database.ts';
import { inTransaction, type Tx } from '../../platform/db/tx.ts';
import { badRequest, conflict, notFound, pgErrorCode, PG_UNIQUE_VIOLATION } from '../../platform/http/errors.ts';
import { loadCatalogue } from '../catalogue/catalogue.service.ts';
import { record, type RequestContext } from '../ledger/ledger.service.ts';
import { unitNames, unitWithDescendants } from '../org/units.service.ts';
import { isDeviceLawful } from '../rules/checks/device-lawful.ts';
import { currentRuleSet } from '../rules/rule-sets.service.ts';
import { asJson, t } from './devices.repo.ts';
import { retroactiveFinding } from './devices.retro.ts';
import type { DeviceTables } from './devices.tables.ts';

/** A device as stored: the fields of the registry, without revision bookkeeping. */
export interface DeviceRecord {
  id: string;
  type: DeviceState['type'];
  location: Device['location'];
  owningUnitId: number;
  allowedCodes: string[];
  legalReview: DeviceState['legalReview'];
  technicalReview: DeviceState['technicalReview'];
  announcement: DeviceState['announcement'];
  signage: DeviceState['signage'];
  verification: DeviceState['verification'];
  verificationHistory: DeviceState['verificationHistory'];
  policeOperated: boolean;
  statusHistory: DeviceState['statusHistory'];
}

/** zh-CN labels of the registry fields, for the revision list and import messages. */
export const DEVICE_FIELD_LABELS: Record<Exclude<keyof DeviceRecord, 'id'>, string> = {
  type: '设备类型',
  location: '设置地点',
  owningUnitId: '管理单位',
  allowedCodes: '准许抓拍的违法代码',
  legalReview: '法制审核',
  technicalReview: '技术审核',
  announcement: '向社会公布',
  signage: '警示标志',
  verification: '计量检定',
  verificationHistory: '历史检定证书',
  policeOperated: '民警操作',
  statusHistory: '状态',
};

const DAY = (col: string) => sql.raw(`to_char(${col}, 'YYYY-MM-DD')`);
const DEVICE_SELECT = sql`
  SELECT id, type, road, direction, km, lat, lon, location_description, owning_unit_id, allowed_codes,
         ${DAY('legal_review_date')} AS legal_review_date, legal_review_doc_no, legal_reviewer,
         ${DAY('technical_review_date')} AS technical_review_date, technical_review_doc_no, technical_reviewer,
         ${DAY('announcement_date')} AS announcement_date, announcement_channel, announcement_url,
         signage, signage_distance_m, verification_cert_no,
         ${DAY('verification_valid_from')} AS verification_valid_from, ${DAY('verification_valid_to')} AS verification_valid_to, verification_history,
         police_operated, status_history, status, revision, created_at, updated_at
    FROM devices`;

/** A device row as the registry query reads it (dates as 'YYYY-MM-DD' text). */
type Row = Selectable<DeviceTables['devices']>;

const compact = <T extends Record<string, unknown>>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null && v !== '')) as T;

function recordOf(r: Row): DeviceRecord {
  const review = (date: string | null, documentNo: string | null, reviewer: string | null) => (date ? { date, documentNo: documentNo ?? '', reviewer: reviewer ?? '' } : null);
  return {
    id: r.id,
    type: r.type as DeviceRecord['type'],
    location: compact({ road: r.road, direction: r.direction ?? undefined, km: r.km ?? undefined, lat: r.lat ?? undefined, lon: r.lon ?? undefined, description: r.location_description ?? undefined }) as Device['location'],
    owningUnitId: r.owning_unit_id,
    allowedCodes: r.allowed_codes,
    legalReview: review(r.legal_review_date, r.legal_review_doc_no, r.legal_reviewer),
    technicalReview: review(r.technical_review_date, r.technical_review_doc_no, r.technical_reviewer),
    announcement: r.announcement_date ? compact({ date: r.announcement_date, channel: r.announcement_channel ?? '', url: r.announcement_url ?? undefined }) as DeviceRecord['announcement'] : null,
    signage: r.signage_distance_m === null ? { present: r.signage } : { present: r.signage, distanceM: r.signage_distance_m },
    verification: r.verification_cert_no && r.verification_valid_from && r.verification_valid_to ? { certificateNo: r.verification_cert_no, validFrom: r.verification_valid_from, validTo: r.verification_valid_to } : null,
    verificationHistory: asJson<DeviceRecord['verificationHistory']>(r.verification_history),
    policeOperated: r.police_operated,
    statusHistory: asJson<DeviceRecord['statusHistory']>(r.status_history),
  };
}

/** The rules' view of a device at a revision. */
export function stateOf(d: DeviceRecord, revision: number): DeviceState {
  return {
    id: d.id,
    revision,
    type: d.type,
    allowedCodes: d.allowedCodes,
    legalReview: d.legalReview,
    technicalReview: d.technicalReview,
    announcement: d.announcement,
    signage: d.signage,
    verification: d.verification,
    verificationHistory: d.verificationHistory,
    policeOperated: d.policeOperated,
    statusHistory: d.statusHistory,
  };
}

/** Effective order: by first day, then the order the changes were made in. */
const ordered = (h: DeviceRecord['statusHistory']) => h.map((s, i) => ({ s, i })).sort((a, b) => (a.s.from < b.s.from ? -1 : a.s.from > b.s.from ? 1 : a.i - b.i)).map((x) => x.s);
/** The status in force today; before the first entry starts, the first entry's (e.g. active from next week). */
const currentStatus = (h: DeviceRecord['statusHistory'], today: string) => {
  const all = ordered(h);
  let cur = all[0];
  for (const s of all) if (s.from <= today) cur = s;
  return cur?.status ?? 'suspended';
};

const beijingToday = (now: number) => new Date(now + 8 * 3_600_000).toISOString().slice(0, 10);

function toDevice(r: Row, units: Map<number, string>, params: RuleParams, now: number): Device {
  const d = recordOf(r);
  const today = isDeviceLawful(stateOf(d, r.revision), null, now, params);
  return {
    ...d,
    owningUnitName: units.get(d.owningUnitId) ?? String(d.owningUnitId),
    // from the history on read: a status dated in the future comes into force without a write
    status: currentStatus(d.statusHistory, beijingToday(now)) as Device['status'],
    revision: r.revision,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    today: { lawful: today.lawful, missing: today.missing },
  };
}

async function rowsWhere(q: Db | Tx, where: ReturnType<typeof sql>, forUpdate = false): Promise<Row[]> {
  const { rows } = await sql<Row>`${DEVICE_SELECT} WHERE ${where} ORDER BY id${forUpdate ? sql` FOR UPDATE` : sql``}`.execute(q);
  return rows;
}

const scopeSql = (scope: ResolvedScope) => (scope.all ? sql`true` : sql`owning_unit_id = ANY(${scope.unitIds}::int[])`);

// ---- reading ----

export async function listDevices(db: Db, scope: ResolvedScope, query: z.output<typeof deviceListQuery>, now = Date.now()): Promise<Page<Device>> {
  const conds = [scopeSql(scope)];
  if (query.type) conds.push(sql`type = ${query.type}`);
  // a unit's filter includes the units below it (a brigade's lists its squadrons' devices)
  if (query.unitId) conds.push(sql`owning_unit_id = ANY(${await unitWithDescendants(db, query.unitId)}::int[])`);
  if (query.q) {
    const like = `%${query.q.replace(/[\\%_]/g, '\\$&')}%`;
    conds.push(sql`(id ILIKE ${like} OR road ILIKE ${like} OR coalesce(location_description, '') ILIKE ${like})`);
  }
  // A brigade has hundreds of devices, not millions: status and lawfulness today are computed from
  // the history for the scoped, filtered set and the page cut after it, so filters and total agree.
  const [rows, units, ruleSet] = await Promise.all([rowsWhere(db, sql.join(conds, sql` AND `)), unitNames(db), currentRuleSet(db)]);
  let items = rows.map((r) => toDevice(r, units, ruleSet.params, now));
  if (query.status) items = items.filter((d) => d.status === query.status);
  if (query.unlawfulToday) items = items.filter((d) => d.today.lawful === (query.unlawfulToday === 'false'));
  const start = (query.page - 1) * query.pageSize;
  return { items: items.slice(start, start + query.pageSize), total: items.length, page: query.page, pageSize: query.pageSize };
}

async function findInScope(q: Db | Tx, scope: ResolvedScope, id: string, forUpdate = false): Promise<Row> {
  const [row] = await rowsWhere(q, sql`id = ${id} AND ${scopeSql(scope)}`, forUpdate);
  if (!row) throw notFound('设备');
  return row;
}

/** Which registry fields differ between two states (zh-CN labels). */
export function changedFields(before: DeviceRecord | null, after: DeviceRecord): string[] {
  if (!before) return [];
  const keys = Object.keys(DEVICE_FIELD_LABELS) as Array<keyof typeof DEVICE_FIELD_LABELS>;
  return keys.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])).map((k) => DEVICE_FIELD_LABELS[k]);
}

export async function getDevice(db: Db, scope: ResolvedScope, id: string, now = Date.now()): Promise<DeviceDetail> {
  const row = await findInScope(db, scope, id);
  const [units, ruleSet, revisions] = await Promise.all([
    unitNames(db),
    currentRuleSet(db),
    t(db).selectFrom('device_revisions').selectAll().where('device_id', '=', id).orderBy('revision').execute(),
  ]);
  let previous: DeviceRecord | null = null;
  const history = revisions.map((r) => {
    const state = asJson<DeviceRecord & { revision?: number; owningUnitId?: number; location?: Device['location'] }>(r.state);
    const changed = previous ? changedFields(previous, state) : [];
    previous = state;
    return { revision: r.revision, changeKind: r.change_kind as 'create', documentNo: r.document_no, note: r.note, createdAt: r.created_at.toISOString(), createdByName: r.created_by_name, changed };
  });
  return { ...toDevice(row, units, ruleSet.params, now), revisions: history.reverse() };
}

// ---- writing ----

export interface WriteOptions {
  /** for tests and the demo: the instant used as "now" by the retroactive finding */
  now?: number;
}

/** The codes the current catalogue knows; a device may be approved only for those. */
async function checkCodes(db: Db | Tx, codes: readonly string[], path = 'allowedCodes'): Promise<Array<{ path: string; message: string }>> {
  const known = new Set((await loadCatalogue(db as Db)).codes());
  return codes.flatMap((c, i) => (known.has(c) ? [] : [{ path: `${path}.${i}`, message: `违法代码${c}不在当前违法代码目录中` }]));
}

async function checkUnit(db: Db | Tx, scope: ResolvedScope, unitId: number, path = 'owningUnitId'): Promise<Array<{ path: string; message: string }>> {
  const units = await unitNames(db as Db);
  if (!units.has(unitId)) return [{ path, message: '管理单位不存在' }];
  if (!unitInScope(scope, unitId)) return [{ path, message: '无权为该单位登记设备（超出数据权限）' }];
  return [];
}

const fail = (details: Array<{ path: string; message: string }>) => badRequest(details[0]!.message, details);

export interface RevisionWrite {
  record: DeviceRecord;
  revision: number;
  kind: 'create' | 'update' | 'status' | 'import';
  basis: { documentNo: string; note?: string | undefined };
  changed: string[];
}

function columnsOf(d: DeviceRecord, revision: number, today: string) {
  return {
    id: d.id,
    type: d.type,
    road: d.location.road,
    direction: d.location.direction || null,
    km: d.location.km ?? null,
    lat: d.location.lat ?? null,
    lon: d.location.lon ?? null,
    location_description: d.location.description || null,
    owning_unit_id: d.owningUnitId,
    allowed_codes: d.allowedCodes,
    legal_review_date: d.legalReview?.date ?? null,
    legal_review_doc_no: d.legalReview?.documentNo ?? null,
    legal_reviewer: d.legalReview?.reviewer ?? null,
    technical_review_date: d.technicalReview?.date ?? null,
    technical_review_doc_no: d.technicalReview?.documentNo ?? null,
    technical_reviewer: d.technicalReview?.reviewer ?? null,
    announcement_date: d.announcement?.date ?? null,
    announcement_channel: d.announcement?.channel ?? null,
    announcement_url: d.announcement?.url || null,
    signage: d.signage.present,
    signage_distance_m: d.signage.distanceM ?? null,
    verification_cert_no: d.verification?.certificateNo ?? null,
    verification_valid_from: d.verification?.validFrom ?? null,
    verification_valid_to: d.verification?.validTo ?? null,
    verification_history: JSON.stringify(d.verificationHistory),
    police_operated: d.policeOperated,
    status_history: JSON.stringify(d.statusHistory),
    status: currentStatus(d.statusHistory, today),
    revision,
  };
}

const UPDATABLE = Object.keys(columnsOf({ id: '', type: 'other', location: { road: '' }, owningUnitId: 0, allowedCodes: [], legalReview: null, technicalReview: null, announcement: null, signage: { present: false }, verification: null, verificationHistory: [], policeOperated: false, statusHistory: [] }, 1, '')).filter((k) => k !== 'id');

/**
 * Writes device changes set-based: one INSERT … ON CONFLICT for the devices, one INSERT for their
 * revisions, one ledger call with an entry per device naming the document the change rests on.
 */
export async function saveRevisions(trx: Tx, ctx: RequestContext, writes: readonly RevisionWrite[]): Promise<void> {
  if (writes.length === 0) return;
  const today = beijingToday(Date.now());
  await t(trx)
    .insertInto('devices')
    .values(writes.map((w) => columnsOf(w.record, w.revision, today)))
    .onConflict((oc) => oc.column('id').doUpdateSet((eb) => ({ ...Object.fromEntries(UPDATABLE.map((k) => [k, eb.ref(`excluded.${k}` as 'excluded.type')])), updated_at: sql`now()` })))
    .execute();
  await t(trx)
    .insertInto('device_revisions')
    .values(
      writes.map((w) => ({
        device_id: w.record.id,
        revision: w.revision,
        // the full registry entry: the rules' state plus location and unit, for the detail's timeline
        state: JSON.stringify({ ...stateOf(w.record, w.revision), location: w.record.location, owningUnitId: w.record.owningUnitId }),
        change_kind: w.kind,
        document_no: w.basis.documentNo,
        note: w.basis.note || null,
        created_by: ctx.principal.accountId,
        created_by_name: ctx.principal.name,
      })),
    )
    .execute();
  const action = { create: 'device.create', update: 'device.update', status: 'device.status', import: 'device.import' } as const;
  await record(
    trx,
    ctx,
    ...writes.map((w) => ({
      action: action[w.kind],
      subjectType: 'device',
      subjectId: w.record.id,
      payload: { revision: w.revision, documentNo: w.basis.documentNo, note: w.basis.note || null, changed: w.changed, state: stateOf(w.record, w.revision), owningUnitId: w.record.owningUnitId },
    })),
  );
}

const saveRevision = (trx: Tx, ctx: RequestContext, record: DeviceRecord, revision: number, kind: RevisionWrite['kind'], basis: RevisionWrite['basis'], changed: string[]) =>
  saveRevisions(trx, ctx, [{ record, revision, kind, basis, changed }]);

export async function createDevice(db: Db, ctx: RequestContext, body: Omit<DeviceCreate, 'verificationHistory'> & { verificationHistory?: DeviceCreate['verificationHistory'] }): Promise<DeviceDetail> {
  const errors = [...(await checkUnit(db, ctx.principal.scope, body.owningUnitId)), ...(await checkCodes(db, body.allowedCodes))];
  if (errors.length > 0) throw fail(errors);
  const { basis: _basis, status, ...fields } = body;
  const d: DeviceRecord = { ...fields, verificationHistory: body.verificationHistory ?? [], statusHistory: [status] };
  try {
    await inTransaction(db, async (trx) => {
      const exists = await t(trx).selectFrom('devices').select('id').where('id', '=', d.id).executeTakeFirst();
      if (exists) throw conflict(`设备编号${d.id}已登记`, 'id');
      await saveRevision(trx, ctx, d, 1, 'create', body.basis, []);
    });
  } catch (e) {
    // two creates of one id at once both pass the check above; the second then fails on the
    // revision's primary key (device_id, revision 1) and rolls back whole
    if (pgErrorCode(e) === PG_UNIQUE_VIOLATION) throw conflict(`设备编号${d.id}已登记`, 'id');
    throw e;
  }
  return getDevice(db, { all: true, unitIds: [], selfPersonId: null }, d.id);
}

/**
 * Applies a change to a stored device under a row lock: the next revision, ledgered; then the
 * retroactive finding between the old and the new state, in the same transaction.
 */
async function changeDevice(
  db: Db,
  ctx: RequestContext,
  id: string,
  kind: 'update' | 'status',
  basis: { documentNo: string; note?: string | undefined },
  change: (before: DeviceRecord) => Promise<DeviceRecord>,
  opts: WriteOptions,
): Promise<DeviceDetail> {
  await inTransaction(db, async (trx) => {
    const row = await findInScope(trx, ctx.principal.scope, id, true);
    const before = recordOf(row);
    const after = await change(before);
    const changed = changedFields(before, after);
    if (changed.length === 0) throw conflict('没有需要保存的变更');
    const dates = checkDeviceDates(after);
    if (dates.length > 0) throw fail(dates.map((i) => ({ path: i.path.join('.'), message: i.message })));
    await saveRevision(trx, ctx, after, row.revision + 1, kind, basis, changed);
    await retroactiveFinding(trx, ctx, { before: stateOf(before, row.revision), after: stateOf(after, row.revision + 1), owningUnitId: after.owningUnitId, documentNo: basis.documentNo, now: opts.now ?? Date.now() });
  });
  return getDevice(db, ctx.principal.scope, id);
}

export async function updateDevice(db: Db, ctx: RequestContext, id: string, body: DeviceUpdate, opts: WriteOptions = {}): Promise<DeviceDetail> {
  // Checked before the row lock: on PGlite the transaction holds the only connection.
  const errors = [...(body.owningUnitId !== undefined ? await checkUnit(db, ctx.principal.scope, body.owningUnitId) : []), ...(body.allowedCodes ? await checkCodes(db, body.allowedCodes) : [])];
  if (errors.length > 0) throw fail(errors);
  return changeDevice(db, ctx, id, 'update', body.basis, async (before) => {
    const { basis: _basis, ...fields } = body;
    const after = { ...before };
    for (const [k, v] of Object.entries(fields)) if (v !== undefined) (after as Record<string, unknown>)[k] = v;
    return withArchivedCertificate(before, after, body.verificationHistory !== undefined);
  }, opts);
}

export function changeDeviceStatus(db: Db, ctx: RequestContext, id: string, body: DeviceStatusChange, opts: WriteOptions = {}): Promise<DeviceDetail> {
  return changeDevice(db, ctx, id, 'status', { documentNo: body.documentNo, note: body.reason }, async (before) => {
    const removal = before.statusHistory.find((s) => s.status === 'removed');
    if (removal && body.from >= removal.from) throw fail([{ path: 'from', message: `设备已于${removal.from}撤除，不能再变更之后的状态` }]);
    return { ...before, statusHistory: [...before.statusHistory, body] };
  }, opts);
}

/**
 * A certificate with a new number is a renewal: the one it replaces stays on record (captures of
 * its days remain lawful). The same number is a correction of that certificate (e.g. a validity
 * end found to be earlier) and replaces it. An explicit verificationHistory is taken as given.
 */
export function withArchivedCertificate(before: DeviceRecord, after: DeviceRecord, historyGiven: boolean): DeviceRecord {
  const old = before.verification;
  if (historyGiven || !old || !after.verification || after.verification.certificateNo === old.certificateNo) return after;
  if (after.verificationHistory.some((v) => v.certificateNo === old.certificateNo)) return after;
  return { ...after, verificationHistory: [old, ...after.verificationHistory] };
}

// ---- for other modules ----

/** Whether a type's devices must show signage / verification / a police operator (for imports and the console). */
export const typeNeeds = (type: DeviceState['type']) => DEVICE_TYPE_RULES[type];

/** Every registered device record with its revision (import: compare and update). */
export async function devicesByIds(q: Db | Tx, ids: readonly string[]): Promise<Map<string, { record: DeviceRecord; revision: number }>> {
  if (ids.length === 0) return new Map();
  const rows = await rowsWhere(q, sql`id = ANY(${[...ids]}::text[])`);
  return new Map(rows.map((r) => [r.id, { record: recordOf(r), revision: r.revision }]));
}

