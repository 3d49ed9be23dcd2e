// The batch path every record takes (HTTP batch, CSV/XLSX import, demo seeding, benchmark):
// validate each row → one transaction: known externalIds, people, catalogue, rule set, the
// devices' registry state and the plates' history loaded once → decide every row in time order
// (earlier rows of the batch are history for later ones) → one INSERT for all rows, alerts for
// on-site findings and daily caps, one ledger entry for the batch with a digest of what was stored.
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { FREIGHT_VEHICLE_TYPES, recordInput, type BatchResult, type RecordInput, type ReasonBody } from '../../contracts/enforcement.ts';
import type { RuleParams } from '../../contracts/rules.ts';
import { databaseKindOf, type Db } from '../../platform/db/database.ts';
import { AppError } from '../../platform/http/errors.ts';
import { inTransaction, type Tx } from '../../platform/db/tx.ts';
import { raiseAlerts, type AlertInput } from '../alerts/alerts.service.ts';
import { registryFor } from '../devices/devices.repo.ts';
import { loadCatalogue, type CatalogueSnapshot } from '../catalogue/catalogue.service.ts';
import { record, type RequestContext } from '../ledger/ledger.service.ts';
import { topUnit } from '../org/bulk.service.ts';
import { peopleByBadge, type PersonByBadge } from '../org/personnel.service.ts';
import { dailyCapReasons } from '../rules/daily-cap.ts';
import { handledOnSite } from '../rules/checks/onsite-handled.ts';
import { decide } from '../rules/decide.ts';
import { beijingDay } from '../rules/time.ts';
import { currentRuleSet } from '../rules/rule-sets.service.ts';
import type { HistoryRecord, PersonFacts, Reason, RecordFacts, RuleContext } from '../rules/types.ts';
import { allocateIds, findByExternalIds, insertRecords, lastBatchSeq, loadHistory, nextBatchSeq, simpleCountsFor, voidHandledCaptures, type NewRecordRow } from './records.repo.ts';
import { scheduleDetectors, type TouchedKeys } from './detectors.service.ts';
import { addDailyCaptures } from '../devices/captures.service.ts';
import { scheduleDeviceDetectors, touchedDevices } from '../devices/device-detectors.service.ts';
import { recordEvidence } from './evidence.ts';

const DAY_MS = 86_400_000;

export interface IngestOptions {
  /** wait for the pattern detectors of the touched keys instead of running them after the answer */
  awaitDetectors?: boolean;
  /** leave the pattern detectors out (bulk loads that run them in full afterwards, benchmarks) */
  skipDetectors?: boolean;
  /**
   * `false` turns R-DEVICE-LAWFUL off and skips the registry read: only for measuring the gate's
   * cost (bench/device-gate.bench.ts). Never set on a path that stores real decisions.
   */
  deviceGate?: boolean;
  /**
   * Runs after the batch was planned outside the lock and before the lock is taken: only for tests
   * that change the registry or the records in that gap (the re-plan under the lock).
   */
  afterPlan?: () => Promise<void>;
}

export interface IngestSummary {
  results: BatchResult[];
  /** what the batch touched, for the pattern detectors */
  touched: TouchedKeys;
  created: number;
  duplicates: number;
  rejected: number;
  outcomes: Record<string, number>;
}

/** A pseudonymous key for "the same driver": licence number first, ID number otherwise. */
export function driverKeyOf(d: RecordInput['driver']): string | null {
  const id = d?.licenceNo ?? d?.idNumber;
  return id ? crypto.createHash('sha256').update(`clearlane-driver\0${id}`).digest('hex').slice(0, 32) : null;
}

export function toFacts(r: RecordInput): RecordFacts {
  const f: RecordFacts = {
    kind: r.kind,
    plate: r.plate,
    vehicleType: r.vehicleType,
    violationCode: r.violationCode,
    occurredAt: Date.parse(r.occurredAt),
    place: r.place,
    assistants: r.assistants,
    remoteArea: r.remoteArea,
    evidence: r.evidence,
  };
  if (r.deviceId !== undefined) f.deviceId = r.deviceId;
  if (r.decidingOfficer !== undefined) f.decidingOfficer = r.decidingOfficer;
  if (r.procedure !== undefined) f.procedure = r.procedure;
  if (r.party !== undefined) f.party = r.party;
  if (r.fineYuan !== undefined) f.fineYuan = r.fineYuan;
  if (r.points !== undefined) f.points = r.points;
  if (r.payment !== undefined) f.payment = r.payment.receiptNo === undefined ? { method: r.payment.method } : { method: r.payment.method, receiptNo: r.payment.receiptNo };
  const key = driverKeyOf(r.driver);
  if (key) f.driverKey = key;
  return f;
}

/**
 * How far back a record's history reaches — the longest window any rule needs, the catalogue's
 * continuing-violation windows in force at `at` included — and how far forward (on-site records
 * handled just after).
 */
export function historyWindow(params: RuleParams, catalogue: CatalogueSnapshot, at: number): { backMs: number; forwardMs: number } {
  const longestContinuing = Math.max(0, ...catalogue.codes().map((c) => catalogue.entryAt(c, at)?.continuingWindowMinutes ?? 0));
  const back = Math.max(params.warningWindowDays * DAY_MS, params.repeatWindowMinutes * 60_000, longestContinuing * 60_000, params.onSiteHandledMinutes * 60_000);
  return { backMs: back, forwardMs: params.onSiteHandledMinutes * 60_000 };
}

function zodErrors(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>) {
  return issues.map((i) => ({ path: i.path.map(String).join('.') || '(row)', message: i.message }));
}

function toPersonFacts(p: PersonByBadge): PersonFacts {
  return { badgeNo: p.badgeNo, name: p.name, category: p.category, status: p.status };
}

const asReasons = (v: unknown): ReasonBody[] => (typeof v === 'string' ? JSON.parse(v) : v) as ReasonBody[];

export async function ingestBatch(db: Db, ctx: RequestContext, rows: readonly unknown[], opts: IngestOptions = {}): Promise<IngestSummary> {
  const results: BatchResult[] = new Array(rows.length);
  const valid: Array<{ index: number; input: RecordInput }> = [];
  let rejected = 0;
  rows.forEach((row, index) => {
    const parsed = recordInput.safeParse(row);
    if (parsed.success) valid.push({ index, input: parsed.data });
    else {
      rejected++;
      const ext = (row as { externalId?: unknown } | null)?.externalId;
      results[index] = { externalId: typeof ext === 'string' ? ext : null, errors: zodErrors(parsed.error.issues) };
    }
  });

  let plan: BatchPlan | null = null;
  if (valid.length > 0) {
    // Decide outside the intake lock, on a snapshot; under the lock, only a check that no batch
    // committed since touched the same plates, drivers or externalIds and that none of the batch's
    // devices changed in the registry (else decide again, under the lock).
    plan = await planBatch(db, ctx, valid, opts.deviceGate !== false);
    if (opts.afterPlan) await opts.afterPlan();
    await inTransaction(db, async (trx) => {
      // One intake commits at a time: two batches with the same plate must see each other's records.
      await sql`SELECT pg_advisory_xact_lock(7401, 1)`.execute(trx);
      if (await changedSince(trx, plan!)) plan = await planBatch(trx, ctx, valid, opts.deviceGate !== false);
      const p = plan!;
      if (p.rows.length === 0) return;
      const batchSeq = await nextBatchSeq(trx);
      for (const r of p.rows) r.batchSeq = batchSeq;
      await insertRecords(trx, p.rows, databaseKindOf(db));
      // the devices' daily capture counts, in the same transaction: one upsert for the batch
      await addDailyCaptures(trx, p.rows);
      const voided = await voidHandledCaptures(trx, p.voids);
      const counts = await simpleCountsFor(trx, [...p.capPairs.values()]);
      const alerts = [...p.alerts, ...dailyCapAlerts(dailyCapReasons(counts, p.ruleSet.params, p.ruleSet.version), p.people, p.ruleSet.version)];
      if (alerts.length > 0) await raiseAlerts(trx, ctx, alerts);
      await record(trx, ctx, {
        action: 'enforcement.batch.ingest',
        subjectType: 'enforcement_batch',
        subjectId: batchSeq,
        payload: {
          count: p.rows.length,
          duplicates: p.duplicates,
          rejected,
          outcomes: p.outcomes,
          firstId: p.rows[0]!.id,
          lastId: p.rows[p.rows.length - 1]!.id,
          ruleSetVersion: p.ruleSet.version,
          catalogueVersion: p.catalogueVersion,
          digest: batchDigest(p.rows),
          voidedCaptures: voided,
        },
      }, ...voided.map((id) => ({ action: 'enforcement.record.void', subjectType: 'enforcement_record', subjectId: id, payload: { rule: 'R-ONSITE-HANDLED', onSiteRecordId: p.voids.find((v) => v.id === id)!.onSiteRecordId } })));
    });
    for (const [index, result] of plan!.results) results[index] = result;
  }

  const created = plan?.rows.length ?? 0;
  if (created > 0 && !opts.skipDetectors) {
    const run = Promise.all([scheduleDetectors(db, plan!.touched), scheduleDeviceDetectors(db, touchedDevices(plan!.touched.checkpoints))]);
    if (opts.awaitDetectors) await run;
  }
  const touched = plan?.touched ?? { plates: new Set<string>(), officers: new Set<string>(), checkpoints: new Set<string>() };
  return { results, touched, created, duplicates: plan?.duplicates ?? 0, rejected, outcomes: plan?.outcomes ?? {} };
}

/** Everything a batch will write, decided before it takes the intake lock. */
interface BatchPlan {
  /** the latest batch committed when the history was read */
  snapshot: number;
  plates: string[];
  driverKeys: string[];
  externalIds: string[];
  /** the batch's devices and the revision each had when planned (0: not registered then) */
  deviceIds: string[];
  deviceRevisions: number[];
  rows: NewRecordRow[];
  results: Map<number, BatchResult>;
  alerts: AlertInput[];
  capPairs: Map<string, { badgeNo: string; day: string }>;
  touched: TouchedKeys;
  outcomes: Record<string, number>;
  duplicates: number;
  people: Map<string, PersonByBadge>;
  ruleSet: { version: number; params: RuleParams };
  catalogueVersion: number;
  /** stored held captures of acts this batch's on-site records handled: voided at commit */
  voids: Array<{ id: number; onSiteRecordId: number; reason: Reason }>;
}

/**
 * Whether a batch committed after the plan's snapshot touched its plates, drivers or externalIds,
 * or a device of the plan changed revision (or was registered) since it was read: R-DEVICE-LAWFUL
 * must decide from the registry state in force at commit.
 */
async function changedSince(trx: Tx, plan: BatchPlan): Promise<boolean> {
  const { rows } = await sql<{ changed: boolean }>`
    SELECT EXISTS (SELECT 1 FROM enforcement_records WHERE plate = ANY(${plan.plates}::text[]) AND batch_seq > ${plan.snapshot})
        OR EXISTS (SELECT 1 FROM enforcement_records WHERE driver_key = ANY(${plan.driverKeys}::text[]) AND batch_seq > ${plan.snapshot})
        OR EXISTS (SELECT 1 FROM enforcement_records WHERE external_id = ANY(${plan.externalIds}::text[]) AND batch_seq > ${plan.snapshot})
        OR EXISTS (SELECT 1 FROM unnest(${plan.deviceIds}::text[], ${plan.deviceRevisions}::int[]) AS k(id, revision)
                     JOIN devices d ON d.id = k.id WHERE d.revision <> k.revision) AS changed`.execute(trx);
  return rows[0]!.changed;
}

async function planBatch(q: Db | Tx, ctx: RequestContext, valid: ReadonlyArray<{ index: number; input: RecordInput }>, deviceGate: boolean): Promise<BatchPlan> {
  // Read the snapshot mark first: any batch committed after it is seen by changedSince.
  const snapshot = await lastBatchSeq(q);
  const externalIds = [...new Set(valid.map((v) => v.input.externalId))];
  const stored = await findByExternalIds(q, externalIds);
  const results = new Map<number, BatchResult>();
  const outcomes: Record<string, number> = {};
  const touched: TouchedKeys = { plates: new Set(), officers: new Set(), checkpoints: new Set() };
  let duplicates = 0;

  // Rows already stored, and repeats of an externalId inside this batch, create nothing.
  const firstOfBatch = new Map<string, number>();
  const fresh: Array<{ index: number; input: RecordInput }> = [];
  const repeats: Array<{ index: number; of: string }> = [];
  for (const v of valid) {
    const s = stored.get(v.input.externalId);
    if (s) {
      duplicates++;
      results.set(v.index, { externalId: s.external_id, outcome: s.outcome as never, recordId: Number(s.id), linkedRecordId: s.linked_record_id === null ? null : Number(s.linked_record_id), duplicate: true, reasons: asReasons(s.reasons) });
    } else if (firstOfBatch.has(v.input.externalId)) {
      duplicates++;
      repeats.push({ index: v.index, of: v.input.externalId });
    } else {
      firstOfBatch.set(v.input.externalId, v.index);
      fresh.push(v);
    }
  }
  const plan: BatchPlan = {
    snapshot,
    plates: [],
    driverKeys: [],
    externalIds,
    deviceIds: [],
    deviceRevisions: [],
    rows: [],
    results,
    alerts: [],
    capPairs: new Map(),
    touched,
    outcomes,
    duplicates,
    people: new Map(),
    ruleSet: { version: 0, params: undefined as unknown as RuleParams },
    catalogueVersion: 0,
    voids: [],
  };
  if (fresh.length === 0) return plan;

  // The registry state of the batch's devices, one query: R-DEVICE-LAWFUL decides from it, and a
  // capture belongs to its device's owning unit.
  const deviceIds = deviceGate ? [...new Set(fresh.flatMap((v) => (v.input.kind === 'camera' && v.input.deviceId ? [v.input.deviceId] : [])))] : [];
  const [ruleSet, catalogue, ids, registry] = await Promise.all([currentRuleSet(q), loadCatalogue(q as Db), allocateIds(q, fresh.length), registryFor(q, deviceIds)]);
  const badges = fresh.flatMap((v) => [v.input.decidingOfficer, ...v.input.assistants]).filter((b): b is string => !!b);
  const people = await peopleByBadge(q, badges);
  const fallbackUnit = ctx.principal.unitId ?? (await topUnit(q as Db))?.id;
  if (fallbackUnit === undefined) throw new AppError(409, 'CONFLICT', '系统中还没有任何单位，无法归档执法记录：请先建立组织机构（clearlane admin create 或在控制台新增单位）');
  Object.assign(plan, { people, ruleSet, catalogueVersion: catalogue.version });
  plan.deviceIds = deviceIds;
  plan.deviceRevisions = deviceIds.map((id) => registry.get(id)?.state.revision ?? 0);

  const facts = fresh.map((v) => ({ ...v, facts: toFacts(v.input) }));
  // Time order, ties by input order: ids then grow with time, and history is causal.
  facts.sort((a, b) => a.facts.occurredAt - b.facts.occurredAt || a.index - b.index);
  const win = historyWindow(ruleSet.params, catalogue, facts[0]!.facts.occurredAt);
  const minAt = facts[0]!.facts.occurredAt;
  const maxAt = facts[facts.length - 1]!.facts.occurredAt;
  plan.plates = [...new Set(facts.map((f) => f.facts.plate))];
  plan.driverKeys = [...new Set(facts.flatMap((f) => (f.facts.driverKey ? [f.facts.driverKey] : [])))];
  // One query: the plates' records, and the known drivers' records in any vehicle (R-WARN-FIRST
  // asks about the vehicle and the driver).
  const history = await loadHistory(q, plan.plates, new Date(minAt - win.backMs), new Date(maxAt + win.forwardMs + 1), undefined, plan.driverKeys);
  const byPlate = new Map<string, HistoryRecord[]>();
  const byDriver = new Map<string, HistoryRecord[]>();
  const file = (h: HistoryRecord) => {
    (byPlate.get(h.plate) ?? byPlate.set(h.plate, []).get(h.plate)!).push(h);
    if (h.driverKey) (byDriver.get(h.driverKey) ?? byDriver.set(h.driverKey, []).get(h.driverKey)!).push(h);
  };
  for (const h of history) file(h);

  const ruleCtx: RuleContext = {
    ruleSetVersion: ruleSet.version,
    params: ruleSet.params,
    catalogue: (code, at) => catalogue.entryAt(code, at),
    people: (badge) => {
      const p = people.get(badge);
      return p ? toPersonFacts(p) : undefined;
    },
    devices: deviceGate ? (id) => registry.get(id)?.state : null,
  };

  const now = new Date();
  const asHistory = (f: RecordFacts, id: number, outcome: HistoryRecord['outcome']): HistoryRecord => ({
    id,
    kind: f.kind,
    plate: f.plate,
    violationCode: f.violationCode,
    occurredAt: f.occurredAt,
    place: f.place,
    ...(f.deviceId !== undefined ? { deviceId: f.deviceId } : {}),
    ...(f.driverKey !== undefined ? { driverKey: f.driverKey } : {}),
    outcome,
    handled: outcome !== 'held',
  });
  /** The vehicle's records, plus the driver's in other vehicles. */
  const historyFor = (f: RecordFacts): HistoryRecord[] => {
    const own = byPlate.get(f.plate) ?? [];
    const driver = f.driverKey ? (byDriver.get(f.driverKey) ?? []).filter((h) => h.plate !== f.plate) : [];
    return driver.length === 0 ? own : [...own, ...driver];
  };
  // The batch's on-site rows are history for every row, also the captures before them in time:
  // the officer's record of an act often arrives after the camera's (R-ONSITE-HANDLED looks both
  // ways). Their outcome is filled in when they are decided.
  const onSiteOfBatch = new Map<number, HistoryRecord>();
  facts.forEach((f, i) => {
    if (f.facts.kind !== 'onSite') return;
    const h = asHistory(f.facts, ids[i]!, 'compliant');
    onSiteOfBatch.set(i, h);
    file(h);
  });

  facts.forEach((f, i) => {
    const id = ids[i]!;
    const d = decide({ ...f.facts, id }, historyFor(f.facts), ruleCtx);
    const decider = f.input.decidingOfficer ? people.get(f.input.decidingOfficer) : undefined;
    const device = f.input.kind === 'camera' && f.input.deviceId ? registry.get(f.input.deviceId) : undefined;
    const unitId = f.input.kind === 'onSite' ? (decider?.unitId ?? fallbackUnit) : (device?.owningUnitId ?? fallbackUnit);
    const own = onSiteOfBatch.get(i);
    if (own) own.outcome = d.outcome;
    else file(asHistory(f.facts, id, d.outcome));
    if (own) handledStoredCaptures(own, history, ruleCtx, plan, fallbackUnit);
    const r = f.input;
    plan.rows.push({
      id,
      externalId: r.externalId,
      kind: r.kind,
      plate: r.plate,
      vehicleType: r.vehicleType,
      freight: FREIGHT_VEHICLE_TYPES.has(r.vehicleType),
      violationCode: r.violationCode,
      occurredAt: new Date(f.facts.occurredAt),
      place: r.place,
      deviceId: r.deviceId ?? null,
      decidingOfficer: r.decidingOfficer ?? null,
      decidingPersonId: decider?.id ?? null,
      assistants: r.assistants,
      procedure: r.procedure ?? null,
      party: r.party ?? null,
      fineYuan: r.fineYuan ?? null,
      points: r.points ?? null,
      paymentMethod: r.payment?.method ?? null,
      receiptNo: r.payment?.receiptNo ?? null,
      remoteArea: r.remoteArea,
      evidence: r.evidence,
      driverName: r.driver?.name ?? null,
      driverIdNumber: r.driver?.idNumber ?? null,
      driverLicenceNo: r.driver?.licenceNo ?? null,
      driverKey: f.facts.driverKey ?? null,
      unitId,
      outcome: d.outcome,
      linkedRecordId: d.linkedRecordId ?? null,
      decidedFineYuan: d.fineYuan,
      decidedPoints: d.points,
      reasons: d.reasons,
      ruleSetVersion: ruleSet.version,
      catalogueVersion: catalogue.version,
      heldAt: d.outcome === 'held' ? now : null,
      batchSeq: 0, // set under the lock
      deviceRevision: device?.state.revision ?? null,
    });
    outcomes[d.outcome] = (outcomes[d.outcome] ?? 0) + 1;
    results.set(f.index, { externalId: r.externalId, outcome: d.outcome, recordId: id, linkedRecordId: d.linkedRecordId ?? null, duplicate: false, reasons: d.reasons as ReasonBody[] });
    if (r.kind === 'onSite') {
      if (d.outcome === 'nonCompliant') for (const finding of d.reasons) plan.alerts.push(findingAlert(finding, id, f.facts, unitId, decider?.id ?? null));
      if (r.procedure === 'simple' && r.decidingOfficer) {
        const day = beijingDay(f.facts.occurredAt);
        plan.capPairs.set(`${r.decidingOfficer}|${day}`, { badgeNo: r.decidingOfficer, day });
      }
      if (r.decidingOfficer) touched.officers.add(r.decidingOfficer);
      touched.checkpoints.add(`road:${r.place.road}`);
    } else if (r.deviceId) touched.checkpoints.add(`device:${r.deviceId}`);
    touched.plates.add(r.plate);
  });
  for (const rep of repeats) {
    const first = results.get(firstOfBatch.get(rep.of)!)!;
    results.set(rep.index, { ...(first as Extract<BatchResult, { recordId: number }>), duplicate: true });
  }
  return plan;
}

/**
 * Stored captures (earlier batches) of the act an on-site record of this batch handled. A held
 * one is voided at commit (L1 Art.22: deleted, never a penalty); one already decided as a penalty
 * or warning has entered the violation system, so the legal officer gets an alert to revoke it.
 */
function handledStoredCaptures(onSite: HistoryRecord, history: ReadonlyArray<HistoryRecord>, ctx: RuleContext, plan: BatchPlan, unitId: number): void {
  for (const h of history) {
    if (h.kind !== 'camera' || h.plate !== onSite.plate || !['held', 'penalty', 'warning'].includes(h.outcome)) continue;
    const handled = handledOnSite(h as unknown as RecordFacts, [onSite], ctx);
    if (!handled) continue;
    if (h.outcome === 'held') {
      plan.voids.push({ id: h.id, onSiteRecordId: onSite.id, reason: handled.reason });
      continue;
    }
    plan.alerts.push({
      source: 'enforcement',
      rule: 'R-ONSITE-HANDLED',
      ruleSetVersion: ctx.ruleSetVersion,
      subjectType: 'record',
      subjectId: String(h.id),
      subjectLabel: `${h.plate} ${h.violationCode}${h.deviceId ? ` · ${h.deviceId}` : ''}`,
      unitId,
      personId: null,
      severity: 'high',
      title: `已现场处理的违法行为又被电子监控${h.outcome === 'penalty' ? '处罚' : '警告'}：${h.plate}`,
      explanation: `${handled.reason.message}该电子监控记录已判定为${h.outcome === 'penalty' ? '处罚' : '首违警告'}，依法应予删除：请在交通管理信息系统中撤销，避免对同一违法行为重复处罚。`,
      basis: handled.reason.basis,
      facts: { ...handled.reason.facts, captureRecordId: h.id, captureOutcome: h.outcome },
      evidence: [
        recordEvidence({ id: h.id, plate: h.plate, code: h.violationCode, occurredAt: h.occurredAt, road: h.place.road, deviceId: h.deviceId ?? null }),
        recordEvidence({ id: onSite.id, plate: onSite.plate, code: onSite.violationCode, occurredAt: onSite.occurredAt, road: onSite.place.road }),
      ],
      dedupKey: `${h.id}|R-ONSITE-HANDLED`,
      occurredAt: new Date(h.occurredAt),
    });
  }
}

function dailyCapAlerts(reasons: Reason[], people: Map<string, PersonByBadge>, ruleSetVersion: number): AlertInput[] {
  return reasons.map((reason) => {
    const badge = String(reason.facts.badgeNo);
    const p = people.get(badge);
    return {
      source: 'enforcement',
      rule: reason.rule,
      ruleSetVersion,
      subjectType: 'person',
      subjectId: badge,
      subjectLabel: p ? `${p.name}(${badge})` : badge,
      unitId: p?.unitId ?? null,
      personId: p?.id ?? null,
      severity: reason.severity ?? 'medium',
      title: `简易程序日处罚量超上限：${p?.name ?? badge} ${String(reason.facts.day)}`,
      explanation: reason.message,
      basis: reason.basis,
      facts: reason.facts,
      evidence: [],
      dedupKey: `${badge}|${String(reason.facts.day)}`,
      occurredAt: new Date(`${String(reason.facts.day)}T00:00:00+08:00`),
    };
  });
}

/**
 * SHA-256 over the stored essentials of a batch, in id order: the ledger entry of the batch pins
 * each record's identity and decision, so a later edit of a row is detectable against it.
 */
export function batchDigest(rows: ReadonlyArray<Pick<NewRecordRow, 'id' | 'externalId' | 'plate' | 'violationCode' | 'occurredAt' | 'outcome' | 'decidedFineYuan' | 'decidedPoints' | 'ruleSetVersion'>>): string {
  const h = crypto.createHash('sha256');
  for (const r of [...rows].sort((a, b) => a.id - b.id)) {
    h.update(JSON.stringify([r.id, r.externalId, r.plate, r.violationCode, r.occurredAt.toISOString(), r.outcome, r.decidedFineYuan, r.decidedPoints, r.ruleSetVersion]));
    h.update('\n');
  }
  return h.digest('hex');
}


function findingAlert(finding: Reason | ReasonBody, recordId: number, f: RecordFacts, unitId: number, personId: number | null): AlertInput {
  return {
    source: 'enforcement',
    rule: finding.rule,
    ruleSetVersion: finding.ruleSetVersion,
    subjectType: 'record',
    subjectId: String(recordId),
    subjectLabel: `${f.plate} ${f.violationCode}${f.decidingOfficer ? ` · ${f.decidingOfficer}` : ''}`,
    unitId,
    personId,
    severity: finding.severity ?? 'medium',
    title: finding.message.length > 60 ? `${finding.message.slice(0, 59)}…` : finding.message,
    explanation: finding.message,
    basis: finding.basis,
    facts: finding.facts,
    evidence: [recordEvidence({ id: recordId, plate: f.plate, code: f.violationCode, occurredAt: f.occurredAt, road: f.place.road, officer: f.decidingOfficer ?? null, fineYuan: f.fineYuan ?? null })],
    dedupKey: `${recordId}|${finding.rule}`,
    occurredAt: new Date(f.occurredAt),
  };
}
