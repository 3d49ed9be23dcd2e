// Reading enforcement records: the filtered list, the detail with its explanation, the unmasked
// driver (ledgered) and the replay of a decision under another rule-set version.
import { sql, type Selectable } from 'kysely';
import type { z } from 'zod';
import type { Page } from '../../contracts/common.ts';
import type { Outcome, ReasonBody, RecordDetail, RecordSummary, recordListQuery, replayResponse } from '../../contracts/enforcement.ts';
import type { ResolvedScope } from '../../platform/authz/principal.ts';
import { inScope } from '../../platform/authz/scope.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Tx } from '../../platform/db/tx.ts';
import { contains, totalCount, totalOf } from '../../platform/db/paging.ts';
import { notFound } from '../../platform/http/errors.ts';
import { maskIdNumber, maskName } from '../../platform/mask.ts';
import { loadCatalogue, loadCatalogueVersion } from '../catalogue/catalogue.service.ts';
import { recordAlone, type RequestContext } from '../ledger/ledger.service.ts';
import { accountLabels } from '../org/credentials.service.ts';
import { peopleByBadge } from '../org/personnel.service.ts';
import { unitNames, unitWithDescendants } from '../org/units.service.ts';
import { revisionStates } from '../devices/devices.repo.ts';
import { decide } from '../rules/decide.ts';
import { ruleParamsOf } from '../rules/rule-sets.service.ts';
import { reviewDue } from '../rules/working-days.ts';
import type { RecordFacts, RuleContext } from '../rules/types.ts';
import type { EnforcementTables } from './enforcement.tables.ts';
import { historyWindow } from './intake.service.ts';
import { loadHistory } from './records.repo.ts';

/** A device's captures (the device registry's retroactive finding reads them through here). */
export { capturesOfDevice, capturesOfDevices, type DeviceCapture } from './records.repo.ts';

const t = (db: Db | Tx) => db.withTables<EnforcementTables>();
type Row = Selectable<EnforcementTables['enforcement_records']>;

export const num = (v: string | number | null): number | null => (v === null ? null : Number(v));
export const reasonsOf = (r: Pick<Row, 'reasons'>): ReasonBody[] => (typeof r.reasons === 'string' ? JSON.parse(r.reasons) : r.reasons) as ReasonBody[];

/** Records a principal may see: their units' records, and their own decisions under scope `self`. */
export function selectRecords(db: Db | Tx, scope: ResolvedScope) {
  return t(db)
    .selectFrom('enforcement_records')
    .where((eb) => inScope(eb, scope, 'enforcement_records.unit_id', 'enforcement_records.deciding_person_id'));
}

export type RecordFilter = Omit<z.output<typeof recordListQuery>, 'page' | 'pageSize'>;

/** The filter's unit as the unit and everything below it (a squadron's filter includes its stations). */
export async function resolveUnitFilter<F extends { unitId?: number | undefined }>(db: Db, f: F): Promise<F & { unitIds?: number[] }> {
  return f.unitId ? { ...f, unitIds: await unitWithDescendants(db, f.unitId) } : f;
}

export function applyFilter<Q extends ReturnType<typeof selectRecords>>(q: Q, f: RecordFilter & { unitIds?: number[] }): Q {
  let out = q;
  if (f.kind) out = out.where('kind', '=', f.kind) as Q;
  if (f.outcome) out = out.where('outcome', '=', f.outcome) as Q;
  if (f.code) out = out.where('violation_code', '=', f.code) as Q;
  if (f.plate) out = out.where('plate', 'like', contains(f.plate.toUpperCase())) as Q;
  if (f.officer) out = out.where('deciding_officer', '=', f.officer) as Q;
  if (f.device) out = out.where('device_id', '=', f.device) as Q;
  if (f.unitIds) out = out.where('unit_id', '=', sql<number>`ANY(${f.unitIds}::int[])`) as Q;
  if (f.from) out = out.where('occurred_at', '>=', new Date(f.from)) as Q;
  if (f.to) out = out.where('occurred_at', '<', new Date(f.to)) as Q;
  if (f.freight) out = out.where('freight', '=', f.freight === 'true') as Q;
  return out;
}

async function labels(db: Db, rows: Row[]) {
  const [units, people, catalogue] = await Promise.all([
    unitNames(db),
    peopleByBadge(db, rows.map((r) => r.deciding_officer).filter((b): b is string => b !== null)),
    loadCatalogue(db),
  ]);
  return { units, people, catalogue };
}

/**
 * The rules that flagged a record: what held, merged or voided it, made it a warning, or broke
 * on-site. A penalty's and a compliant record's reasons only explain the outcome.
 */
function flaggedRules(r: Pick<Row, 'outcome' | 'decided_outcome' | 'reasons'>): string[] {
  const outcome = r.outcome === 'penalty' && r.decided_outcome !== 'penalty' ? r.decided_outcome : r.outcome;
  if (outcome === 'penalty' || outcome === 'compliant') return [];
  const reasons = reasonsOf(r);
  const decisive = outcome === 'warning' ? reasons.filter((x) => x.rule === 'R-WARN-FIRST') : reasons;
  return [...new Set(decisive.map((x) => x.rule))];
}

function toSummary(r: Row, l: Awaited<ReturnType<typeof labels>>): RecordSummary {
  const at = new Date(r.occurred_at).getTime();
  return {
    id: Number(r.id),
    externalId: r.external_id,
    kind: r.kind as RecordSummary['kind'],
    plate: r.plate,
    vehicleType: r.vehicle_type as RecordSummary['vehicleType'],
    violationCode: r.violation_code,
    violationDescription: l.catalogue.entryAt(r.violation_code, at)?.description ?? null,
    occurredAt: new Date(r.occurred_at).toISOString(),
    road: r.road,
    deviceId: r.device_id,
    decidingOfficer: r.deciding_officer,
    decidingOfficerName: r.deciding_officer ? (l.people.get(r.deciding_officer)?.name ?? null) : null,
    unitId: r.unit_id,
    unitName: l.units.get(r.unit_id) ?? '',
    outcome: r.outcome as Outcome,
    decidedOutcome: r.decided_outcome as Outcome,
    fineYuan: num(r.decided_fine_yuan ?? r.fine_yuan),
    points: r.decided_points ?? r.points,
    rules: flaggedRules(r),
  };
}

export async function listRecords(db: Db, scope: ResolvedScope, query: z.output<typeof recordListQuery>): Promise<Page<RecordSummary>> {
  const { page, pageSize, ...rest } = query;
  const f = await resolveUnitFilter(db, rest);
  const rows = await applyFilter(selectRecords(db, scope), f)
    .selectAll()
    .select(totalCount)
    .orderBy('occurred_at', 'desc')
    .orderBy('id', 'desc')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  const total = await totalOf(rows, page, async () => {
    const c = await applyFilter(selectRecords(db, scope), f).select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
    return Number(c.n);
  });
  const l = await labels(db, rows);
  return { items: rows.map((r) => toSummary(r, l)), total, page, pageSize };
}

/** Summaries of given records (no scope check: callers select the ids within scope). */
export async function listRecordsByIds(db: Db, ids: number[]): Promise<Map<number, { summary: RecordSummary; heldAt: string; reasons: ReasonBody[] }>> {
  if (ids.length === 0) return new Map();
  const rows = await t(db).selectFrom('enforcement_records').selectAll().where('id', '=', sql<number>`ANY(${ids}::bigint[])`).execute();
  const l = await labels(db, rows);
  return new Map(rows.map((r) => [Number(r.id), { summary: toSummary(r, l), heldAt: r.held_at ? new Date(r.held_at).toISOString() : '', reasons: reasonsOf(r) }]));
}

async function findRow(db: Db, scope: ResolvedScope, id: number): Promise<Row> {
  const row = await selectRecords(db, scope).selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('执法记录');
  return row;
}

export async function getRecord(db: Db, scope: ResolvedScope, id: number): Promise<RecordDetail> {
  const r = await findRow(db, scope, id);
  const l = await labels(db, [r]);
  const params = await ruleParamsOf(db, r.rule_set_version);
  const reviewer = r.reviewed_by === null ? undefined : (await accountLabels(db, { ids: [r.reviewed_by] })).get(r.reviewed_by);
  const due = r.outcome === 'held' ? reviewDue(new Date(r.occurred_at).getTime(), Date.now(), params) : null;
  const hasDriver = r.driver_name !== null || r.driver_id_number !== null || r.driver_licence_no !== null;
  return {
    ...toSummary(r, l),
    place: placeOf(r),
    assistants: r.assistants,
    procedure: r.procedure,
    party: r.party,
    givenFineYuan: num(r.fine_yuan),
    givenPoints: r.points,
    payment: r.payment_method ? { method: r.payment_method, receiptNo: r.receipt_no } : null,
    remoteArea: r.remote_area,
    evidence: (typeof r.evidence === 'string' ? JSON.parse(r.evidence) : r.evidence) as RecordDetail['evidence'],
    driver: hasDriver ? { name: maskName(r.driver_name), idNumber: maskIdNumber(r.driver_id_number), licenceNo: maskIdNumber(r.driver_licence_no) } : null,
    linkedRecordId: num(r.linked_record_id),
    reasons: reasonsOf(r),
    ruleSetVersion: r.rule_set_version,
    catalogueVersion: r.catalogue_version,
    heldAt: r.held_at ? new Date(r.held_at).toISOString() : null,
    reviewDueAt: due ? new Date(due.dueAt).toISOString() : null,
    reviewedAt: r.reviewed_at ? new Date(r.reviewed_at).toISOString() : null,
    reviewedBy: reviewer?.personName ?? null,
    reviewNote: r.review_note,
    ingestedAt: new Date(r.ingested_at).toISOString(),
  };
}

function placeOf(r: Row) {
  return {
    road: r.road,
    ...(r.direction !== null ? { direction: r.direction } : {}),
    ...(r.km !== null ? { km: Number(r.km) } : {}),
    ...(r.lat !== null ? { lat: Number(r.lat) } : {}),
    ...(r.lon !== null ? { lon: Number(r.lon) } : {}),
    ...(r.place_description !== null ? { description: r.place_description } : {}),
  };
}

/** The unmasked driver; the read goes into the ledger before the data leaves. */
export async function readDriver(db: Db, ctx: RequestContext, id: number) {
  const r = await findRow(db, ctx.principal.scope, id);
  await recordAlone(db, ctx, { action: 'enforcement.record.pii.read', subjectType: 'enforcement_record', subjectId: id, payload: { fields: ['driverName', 'driverIdNumber', 'driverLicenceNo'] } });
  return { name: r.driver_name, idNumber: r.driver_id_number, licenceNo: r.driver_licence_no };
}

/** The stored record as rule facts again (what the rules saw at intake). */
export function factsOf(r: Row): RecordFacts {
  const f: RecordFacts = {
    id: Number(r.id),
    kind: r.kind as RecordFacts['kind'],
    plate: r.plate,
    vehicleType: r.vehicle_type as RecordFacts['vehicleType'],
    violationCode: r.violation_code,
    occurredAt: new Date(r.occurred_at).getTime(),
    place: placeOf(r),
    assistants: r.assistants,
    remoteArea: r.remote_area,
    evidence: (typeof r.evidence === 'string' ? JSON.parse(r.evidence) : r.evidence) as RecordFacts['evidence'],
  };
  if (r.device_id !== null) f.deviceId = r.device_id;
  if (r.deciding_officer !== null) f.decidingOfficer = r.deciding_officer;
  if (r.procedure !== null) f.procedure = r.procedure as RecordFacts['procedure'] & string;
  if (r.party !== null) f.party = r.party as RecordFacts['party'] & string;
  if (r.fine_yuan !== null) f.fineYuan = Number(r.fine_yuan);
  if (r.points !== null) f.points = r.points;
  if (r.payment_method !== null) f.payment = r.receipt_no === null ? { method: r.payment_method as 'bank' } : { method: r.payment_method as 'bank', receiptNo: r.receipt_no };
  if (r.driver_key !== null) f.driverKey = r.driver_key;
  return f;
}

/**
 * What the given rule-set version decides for a stored record, against the history it was
 * decided with (records committed before it, with their current outcomes) and the catalogue
 * version it was decided with. Changes nothing.
 */
export async function replayRecord(db: Db, scope: ResolvedScope, id: number, ruleSetVersion: number): Promise<z.infer<typeof replayResponse>> {
  const r = await findRow(db, scope, id);
  const params = await ruleParamsOf(db, ruleSetVersion);
  const catalogue = await loadCatalogueVersion(db, r.catalogue_version);
  const facts = factsOf(r);
  const win = historyWindow(params, catalogue, facts.occurredAt);
  // The history the record was decided against: records decided before it (batches commit one
  // at a time, in batch_seq order).
  const before = await loadHistory(db, [r.plate], new Date(facts.occurredAt - win.backMs), new Date(facts.occurredAt + win.forwardMs + 1), r.driver_key ? [r.driver_key] : [], {
    batchSeq: Number(r.batch_seq),
    id: Number(r.id),
  });
  const people = await peopleByBadge(db, [r.deciding_officer, ...r.assistants].filter((b): b is string => !!b));
  // The device as the decision saw it: the revision it names (none = the device was not registered).
  const device = r.device_id !== null && r.device_revision !== null ? (await revisionStates(db, [{ deviceId: r.device_id, revision: r.device_revision }])).get(`${r.device_id}#${r.device_revision}`) : undefined;
  const ctx: RuleContext = {
    ruleSetVersion,
    params,
    catalogue: (code, at) => catalogue.entryAt(code, at),
    people: (b) => {
      const p = people.get(b);
      return p ? { badgeNo: p.badgeNo, name: p.name, category: p.category, status: p.status } : undefined;
    },
    devices: (id) => (id === r.device_id ? device : undefined),
  };
  const d = decide(facts, before, ctx);
  const decided = r.decided_outcome as Outcome;
  return {
    recordId: Number(r.id),
    ruleSetVersion,
    storedOutcome: decided,
    storedRuleSetVersion: r.rule_set_version,
    outcome: d.outcome,
    linkedRecordId: d.linkedRecordId ?? null,
    fineYuan: d.fineYuan,
    points: d.points,
    reasons: d.reasons as ReasonBody[],
    same: d.outcome === decided && (d.linkedRecordId ?? null) === num(r.linked_record_id),
  };
}
