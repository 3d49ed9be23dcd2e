// The batch path every record takes (HTTP batch, CSV/XLSX import, demo seeding, benchmark):
// validate each row → one transaction: known externalIds, people, catalogue, rule set, the
// devices' registry state and the plates' history loaded once → decide every row in time order
// (earlier rows of the batch are history for later ones) → one INSERT for all rows, alerts for
// on-site findings and daily caps, one ledger entry for the batch with a digest of what was stored.
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { FREIGHT_VEHICLE_TYPES, type BatchResult, type RecordInput, type ReasonBody } from '../../contracts/enforcement.ts';
import type { RuleParams } from '../../contracts/rules.ts';
import { databaseKindOf, type DatabaseKind, type Db } from '../../platform/db/database.ts';
import { Mutex } from '../../platform/db/mutex.ts';
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
import { compareRecords } from '../rules/history.ts';
import { beijingDay, beijingDayIndex } from '../rules/time.ts';
import { currentRuleSet } from '../rules/rule-sets.service.ts';
import type { CatalogueEntry, HistoryRecord, PersonFacts, Reason, RecordFacts, RuleContext } from '../rules/types.ts';
import { allocateIds, copyRecords, digestLine, type DigestFields, encodeRecords, findByExternalIds, insertRecords, type EncodedRecords, lastBatchSeq, loadHistory, nextBatchSeq, simpleCountsFor, voidHandledCaptures, type NewRecordRow } from './records.repo.ts';
import { scheduleDetectors, type TouchedKeys } from './detectors.service.ts';
import { rebindLookupsForRecords } from '../lookups/rebind.service.ts';
import { addDailyCaptures } from '../devices/captures.service.ts';
import { scheduleDeviceDetectors, touchedDevices } from '../devices/device-detectors.service.ts';
import { recordEvidence } from './evidence.ts';
import { validateRows } from './intake.validate.ts';

const DAY_MS = 86_400_000;

/**
 * Long loops over a batch give the event loop a turn every 512 rows: the COPY of the batch before
 * is written to PostgreSQL's socket by the event loop, and a loop that keeps it for a whole batch
 * leaves the database waiting for its data.
 */
const YIELD_EVERY = 511;
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

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
   * that change the registry or the records in that gap (the re-plan under the lock). It must not
   * ingest through the same handle: that batch would wait for this one's commit.
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
  /** the batch was decided again under the lock (another writer committed into its history, or the registry changed) */
  replanned: boolean;
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

/**
 * The catalogue lookup of a batch: an entry depends on the code and the Beijing day only, and a
 * batch asks for the same few thousand pairs again and again.
 */
function catalogueByDay(catalogue: CatalogueSnapshot): RuleContext['catalogue'] {
  const byCode = new Map<string, Map<number, CatalogueEntry | undefined>>();
  return (code, at) => {
    let days = byCode.get(code);
    if (!days) byCode.set(code, (days = new Map()));
    const day = beijingDayIndex(at);
    if (days.has(day)) return days.get(day);
    const entry = catalogue.entryAt(code, at);
    days.set(day, entry);
    return entry;
  };
}

function toPersonFacts(p: PersonByBadge): PersonFacts {
  return { badgeNo: p.badgeNo, name: p.name, category: p.category, status: p.status };
}

const asReasons = (v: unknown): ReasonBody[] => (typeof v === 'string' ? JSON.parse(v) : v) as ReasonBody[];

/**
 * A batch this process planned and has not committed yet. Batches of one process commit in the
 * order they were planned, so a batch planned while earlier ones are still committing takes their
 * planned rows as history (the overlay) instead of finding them at its commit and deciding again.
 */
interface Flight {
  plan: BatchPlan;
  /** its batch_seq once committed (null: nothing stored, or not committed) */
  batchSeq: number | null;
  /** rolled back: its rows never existed */
  failed: boolean;
  /** decided again under the lock: what later batches saw of it may not be what was stored */
  replanned: boolean;
  /** read again in its planning turn: on data newer than what later batches read before their turn */
  reread: boolean;
}

/** Per database handle: planning one batch at a time, commits in planning order. */
interface Pipeline {
  planning: Mutex;
  open: Set<Flight>;
  /** settles when the last planned batch has committed or failed */
  tail: Promise<void>;
  /** flights planned so far, and the latest of them (committed ones too), for reads made before the planning turn */
  planned: number;
  recent: Flight[];
  /** batches reading before their planning turn: while there are none, no flight needs remembering */
  readers: number;
  /** settles when the last batch to arrive has made its reads before its turn */
  reads: Promise<void>;
}

/** How many of the latest flights a pipeline remembers (a batch read before its turn needs those planned meanwhile). */
const RECENT = 32;

const pipelines = new WeakMap<Db, Pipeline>();
function pipelineOf(db: Db): Pipeline {
  let p = pipelines.get(db);
  if (!p) pipelines.set(db, (p = { planning: new Mutex(), open: new Set(), tail: Promise.resolve(), planned: 0, recent: [], readers: 0, reads: Promise.resolve() }));
  return p;
}

export async function ingestBatch(db: Db, ctx: RequestContext, rows: readonly unknown[], opts: IngestOptions = {}): Promise<IngestSummary> {
  const { results, valid, rejected } = await validateRows(rows);
  const gate = opts.deviceGate !== false;
  const engine = databaseKindOf(db);

  let plan: BatchPlan | null = null;
  let replanned = false;
  if (valid.length > 0 && db.isTransaction) {
    // inside the caller's transaction: nothing to overlap with
    plan = await planBatch(db, ctx, valid, gate, []);
    if (opts.afterPlan) await opts.afterPlan();
    const first = plan;
    plan = await commitBatch(db as Tx, ctx, plan, [], { valid, gate, rejected, engine, encoded: null });
    replanned = plan !== first;
  } else if (valid.length > 0) {
    // Decide outside the intake lock, on a snapshot plus the batches this process planned but has
    // not committed yet; encode the rows for COPY while the batch before commits. Under the lock,
    // only a check that no OTHER writer committed since the snapshot touching the same plates,
    // drivers or externalIds and that none of the batch's devices changed in the registry (else
    // decide again, under the lock).
    //
    // The reads come first, before the planning turn, so that they overlap with the deciding of
    // the batch before. The overlay is then every flight open when the reads began and every
    // flight planned since (committed ones too: their rows are in the history once, their
    // batch_seq is known at the commit check). A flight planned since whose rows have an
    // externalId of this batch changes what the batch creates: then it reads again, in its turn.
    //
    // The planning turn is taken in arrival order, and so are the reads: a batch reads only once
    // the batch before it has read. So a batch planned later never decides on older data than one
    // planned before it (a review, a rule set or a roster committed between two reads), as in a
    // serial run; and one planned since that read again in its turn makes it read again too.
    const pipe = pipelineOf(db);
    const turnToPlan = pipe.planning.acquire();
    pipe.readers++;
    const readsBefore = pipe.reads;
    let readsDone!: () => void;
    pipe.reads = new Promise<void>((resolve) => (readsDone = resolve));
    let early: BatchReads;
    let openAtRead: Flight[];
    let plannedAtRead: number;
    try {
      await readsBefore;
      openAtRead = [...pipe.open];
      plannedAtRead = pipe.planned;
      early = await readBatch(db, ctx, valid, gate, openAtRead.map((f) => f.plan), false);
    } catch (e) {
      if (--pipe.readers === 0) pipe.recent = [];
      void turnToPlan.then((release) => release());
      throw e;
    } finally {
      readsDone();
    }
    const release = await turnToPlan;
    const since = pipe.planned - plannedAtRead;
    const sinceRead = since <= pipe.recent.length ? pipe.recent.slice(pipe.recent.length - since) : null;
    if (--pipe.readers === 0) pipe.recent = [];
    let flight: Flight;
    let overlay: Flight[];
    let turn: Promise<void>;
    let settle!: () => void;
    try {
      let reads: BatchReads = early;
      let reread = false;
      if (sinceRead !== null && !sinceRead.some((f) => f.reread || early.fresh.some((v) => createdResultsOf(f.plan).has(v.input.externalId)))) {
        const atRead = new Set(openAtRead);
        overlay = [...openAtRead, ...sinceRead.filter((f) => !atRead.has(f))];
      } else {
        overlay = [...pipe.open];
        reads = await readBatch(db, ctx, valid, gate, overlay.map((f) => f.plan), false);
        reread = true;
      }
      if (!reads.done) reads.ids = await allocateIds(db, reads.fresh.length);
      plan = await decideBatch(reads, overlay.map((f) => f.plan), gate);
      flight = { plan, batchSeq: null, failed: false, replanned: false, reread };
      pipe.open.add(flight);
      pipe.planned++;
      if (pipe.readers > 0) {
        pipe.recent.push(flight);
        if (pipe.recent.length > RECENT) pipe.recent.shift();
      }
      turn = pipe.tail;
      pipe.tail = new Promise<void>((resolve) => (settle = resolve));
    } finally {
      release();
    }
    try {
      const encoded = engine === 'postgres' && plan.rows.length > 0 ? await encodeRecords(plan.rows) : null;
      plan.digest = encoded?.digest ?? batchDigest(plan.rows);
      if (opts.afterPlan) await opts.afterPlan();
      await turn;
      plan = await commitBatch(db, ctx, plan, overlay, { valid, gate, rejected, engine, encoded, flight });
      replanned = flight.replanned;
    } catch (e) {
      flight.failed = true;
      throw e;
    } finally {
      pipe.open.delete(flight);
      settle();
    }
  }
  if (plan) for (const [index, result] of plan.results) results[index] = result;

  const created = plan?.rows.length ?? 0;
  if (created > 0 && !opts.skipDetectors) {
    const run = Promise.all([
      scheduleDetectors(db, plan!.touched),
      scheduleDeviceDetectors(db, touchedDevices(plan!.touched.checkpoints)),
      // look-ups that cited these records before they arrived are bound now (lookups/README.md, re-binding)
      rebindLookupsForRecords(db, ctx, plan!.rows.map((r) => r.id)).catch((e: unknown) => console.error('look-up re-binding failed after an enforcement batch', e)),
    ]);
    if (opts.awaitDetectors) await run;
  }
  const touched = plan?.touched ?? { plates: new Set<string>(), officers: new Set<string>(), checkpoints: new Set<string>() };
  return { results, touched, created, duplicates: plan?.duplicates ?? 0, rejected, outcomes: plan?.outcomes ?? {}, replanned };
}

/**
 * The commit of a planned batch, in one transaction under the intake lock. Returns the plan
 * stored (a new one when it had to be decided again).
 */
async function commitBatch(
  db: Db | Tx,
  ctx: RequestContext,
  planned: BatchPlan,
  overlay: readonly Flight[],
  o: { valid: ReadonlyArray<{ index: number; input: RecordInput }>; gate: boolean; rejected: number; engine: DatabaseKind | undefined; encoded: EncodedRecords | null; flight?: Flight },
): Promise<BatchPlan> {
  let plan = planned;
  let encoded = o.encoded;
  await inTransaction(db as Db, async (trx) => {
    // One intake commits at a time: two batches with the same plate must see each other's records.
    await sql`SELECT pg_advisory_xact_lock(7401, 1)`.execute(trx);
    // A batch of the overlay that failed, was decided again, or voided stored captures (which
    // changes rows the later batch read as held) leaves the later plan on a wrong history.
    const stale = overlay.some((f) => f.failed || f.replanned || f.plan.voids.length > 0);
    const known = overlay.flatMap((f) => (f.batchSeq === null ? [] : [f.batchSeq]));
    if (stale || (await changedSince(trx, plan, known))) {
      plan = await planBatch(trx, ctx, o.valid, o.gate, []);
      encoded = null;
      if (o.flight) {
        o.flight.plan = plan;
        o.flight.replanned = true;
      }
    }
    const p = plan;
    if (p.rows.length === 0) return;
    const batchSeq = await nextBatchSeq(trx);
    for (const r of p.rows) r.batchSeq = batchSeq;
    if (o.engine === 'postgres') await copyRecords(trx, encoded ?? (await encodeRecords(p.rows)), batchSeq);
    else await insertRecords(trx, p.rows);
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
        rejected: o.rejected,
        outcomes: p.outcomes,
        firstId: p.rows[0]!.id,
        lastId: p.rows[p.rows.length - 1]!.id,
        ruleSetVersion: p.ruleSet.version,
        catalogueVersion: p.catalogueVersion,
        digest: p.digest ?? batchDigest(p.rows),
        voidedCaptures: voided,
      },
    }, ...voided.map((id) => ({ action: 'enforcement.record.void', subjectType: 'enforcement_record', subjectId: id, payload: { rule: 'R-ONSITE-HANDLED', onSiteRecordId: p.voids.find((v) => v.id === id)!.onSiteRecordId } })));
    if (o.flight) o.flight.batchSeq = batchSeq;
  });
  return plan;
}

/** A planned row as the history query will read it once stored (records.repo.ts loadHistory). */
function storedHistory(r: NewRecordRow): HistoryRecord {
  const place: HistoryRecord['place'] = { road: r.place.road };
  if (r.place.direction !== undefined) place.direction = r.place.direction;
  if (r.place.km !== undefined) place.km = r.place.km;
  if (r.place.lat !== undefined) place.lat = r.place.lat;
  if (r.place.lon !== undefined) place.lon = r.place.lon;
  const h: HistoryRecord = {
    id: r.id,
    kind: r.kind,
    plate: r.plate,
    violationCode: r.violationCode,
    occurredAt: r.occurredAt.getTime(),
    place,
    outcome: r.outcome as HistoryRecord['outcome'],
    handled: r.outcome !== 'held',
  };
  if (r.deviceId !== null) h.deviceId = r.deviceId;
  if (r.driverKey !== null) h.driverKey = r.driverKey;
  return h;
}

const createdResults = new WeakMap<BatchPlan, Map<string, BatchResult>>();
/** The results of the rows a plan creates, by externalId. */
function createdResultsOf(plan: BatchPlan): Map<string, BatchResult> {
  let m = createdResults.get(plan);
  if (!m) {
    m = new Map();
    for (const r of plan.results.values()) if ('recordId' in r && !r.duplicate) m.set(r.externalId, r);
    createdResults.set(plan, m);
  }
  return m;
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
  /** the ledger digest of `rows`, computed before the lock */
  digest?: string;
}

/**
 * Whether a batch committed after the plan's snapshot by another writer (not one of `known`, the
 * batches of this process the plan took as history) touched its plates, drivers or externalIds,
 * or a device of the plan changed revision (or was registered) since it was read: R-DEVICE-LAWFUL
 * must decide from the registry state in force at commit. The first query is cheap (the batch
 * index past the snapshot); the keys are compared only when another writer did commit.
 */
async function changedSince(trx: Tx, plan: BatchPlan, known: number[]): Promise<boolean> {
  // The batch_seqs after the snapshot that are not `known`, as the open gaps between the known
  // ones: each gap is one range of the batch index, empty or answered by its first entry. A
  // filter "batch_seq > snapshot AND NOT batch_seq = ANY(known)" reads every row of the known
  // batches (the planner even chose a scan of the whole table: 0.6 s under the lock at 1M rows).
  const inside = [...new Set(known)].filter((k) => k > plan.snapshot).sort((a, b) => a - b);
  const lo = [plan.snapshot, ...inside];
  const hi = [...inside, Number.MAX_SAFE_INTEGER];
  const gaps = sql`unnest(${lo}::bigint[], ${hi}::bigint[]) AS k(lo, hi)`;
  const { rows } = await sql<{ other: boolean; devices: boolean }>`
    SELECT EXISTS (SELECT 1 FROM ${gaps} WHERE EXISTS (SELECT 1 FROM enforcement_records r WHERE r.batch_seq > k.lo AND r.batch_seq < k.hi)) AS other,
           EXISTS (SELECT 1 FROM unnest(${plan.deviceIds}::text[], ${plan.deviceRevisions}::int[]) AS k(id, revision)
                     JOIN devices d ON d.id = k.id WHERE d.revision <> k.revision) AS devices`.execute(trx);
  if (rows[0]!.devices) return true;
  if (!rows[0]!.other) return false;
  // the keys of the batch through their own indexes (a few probes each), the batch filter on the rows found
  const other = sql`batch_seq > ${plan.snapshot} AND NOT (batch_seq = ANY(${known}::bigint[]))`;
  const { rows: keys } = await sql<{ changed: boolean }>`
    SELECT EXISTS (SELECT 1 FROM enforcement_records WHERE plate = ANY(${plan.plates}::text[]) AND ${other})
        OR EXISTS (SELECT 1 FROM enforcement_records WHERE driver_key = ANY(${plan.driverKeys}::text[]) AND ${other})
        OR EXISTS (SELECT 1 FROM enforcement_records WHERE external_id = ANY(${plan.externalIds}::text[]) AND ${other}) AS changed`.execute(trx);
  return keys[0]!.changed;
}

/**
 * Decides a batch. `overlay`: batches this process planned before and will commit before this
 * one; their rows count as stored (each row once, also when its batch committed meanwhile and
 * the history query saw it), so the decisions are those of a run that waited for them.
 */
async function planBatch(q: Db | Tx, ctx: RequestContext, valid: ReadonlyArray<{ index: number; input: RecordInput }>, deviceGate: boolean, overlay: readonly BatchPlan[]): Promise<BatchPlan> {
  return decideBatch(await readBatch(q, ctx, valid, deviceGate, overlay), overlay, deviceGate);
}

/** What a plan reads from the database, with the batch's rows in decision order. */
type BatchReads = Awaited<ReturnType<typeof readBatch>>;

/**
 * The reads of a plan: the snapshot mark, then everything else. `overlay` (the batches planned
 * before, not committed) answers the externalIds in flight; its rows join the history only in
 * decideBatch, so the reads can be made before the planning turn, while the batch before decides.
 * Ids are taken from the sequence in the planning turn (`allocate` false before it): ids grow in
 * the order batches are planned, as the decisions and replays order them.
 */
async function readBatch(q: Db | Tx, ctx: RequestContext, valid: ReadonlyArray<{ index: number; input: RecordInput }>, deviceGate: boolean, overlay: readonly BatchPlan[], allocate = true) {
  // Read the snapshot mark first: any batch committed after it is seen by changedSince.
  const snapshot = await lastBatchSeq(q);
  const externalIds = [...new Set(valid.map((v) => v.input.externalId))];
  // Everything else the plan reads, at once (each a round trip the batch would otherwise wait for
  // in turn): stored externalIds; the rule set and catalogue; the registry state of the devices
  // (R-DEVICE-LAWFUL decides from it, and a capture belongs to its device's owning unit) and the
  // people the rows name — of every valid row, a superset of the rows that create a record.
  const deviceIdsOf = (rows: ReadonlyArray<{ input: RecordInput }>) => {
    const ids = new Set<string>();
    if (deviceGate) for (const { input } of rows) if (input.kind === 'camera' && input.deviceId) ids.add(input.deviceId);
    return [...ids];
  };
  const badges: string[] = [];
  for (const { input } of valid) {
    if (input.decidingOfficer) badges.push(input.decidingOfficer);
    for (const b of input.assistants) if (b) badges.push(b);
  }
  const [stored, ruleSet, catalogue, registry, people, fallbackUnit] = await Promise.all([
    findByExternalIds(q, externalIds),
    currentRuleSet(q),
    loadCatalogue(q as Db),
    registryFor(q, deviceIdsOf(valid)),
    peopleByBadge(q, badges),
    ctx.principal.unitId ?? topUnit(q as Db).then((u) => u?.id),
  ]);
  const inFlight = (externalId: string): BatchResult | undefined => {
    for (const o of overlay) {
      const r = createdResultsOf(o).get(externalId);
      if (r) return r;
    }
    return undefined;
  };
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
    const pending = s || overlay.length === 0 ? undefined : inFlight(v.input.externalId);
    if (s) {
      duplicates++;
      results.set(v.index, { externalId: s.external_id, outcome: s.outcome as never, recordId: Number(s.id), linkedRecordId: s.linked_record_id === null ? null : Number(s.linked_record_id), duplicate: true, reasons: asReasons(s.reasons) });
    } else if (pending) {
      duplicates++;
      results.set(v.index, { ...(pending as Extract<BatchResult, { recordId: number }>), duplicate: true });
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
  if (fresh.length === 0) return { plan, fresh, repeats, firstOfBatch, done: true as const };

  if (fallbackUnit === undefined) throw new AppError(409, 'CONFLICT', '系统中还没有任何单位，无法归档执法记录：请先建立组织机构（clearlane admin create 或在控制台新增单位）');
  Object.assign(plan, { people, ruleSet, catalogueVersion: catalogue.version });
  const deviceIds = deviceIdsOf(fresh);
  plan.deviceIds = deviceIds;
  plan.deviceRevisions = deviceIds.map((id) => registry.get(id)?.state.revision ?? 0);

  const facts = fresh.map((v) => ({ index: v.index, input: v.input, facts: toFacts(v.input) }));
  // Time order, ties by input order: ids then grow with time, and history is causal.
  facts.sort((a, b) => a.facts.occurredAt - b.facts.occurredAt || a.index - b.index);
  const win = historyWindow(ruleSet.params, catalogue, facts[0]!.facts.occurredAt);
  const minAt = facts[0]!.facts.occurredAt;
  const maxAt = facts[facts.length - 1]!.facts.occurredAt;
  plan.plates = [...new Set(facts.map((f) => f.facts.plate))];
  plan.driverKeys = [...new Set(facts.flatMap((f) => (f.facts.driverKey ? [f.facts.driverKey] : [])))];
  // One query: the plates' records, and the known drivers' records in any vehicle (R-WARN-FIRST
  // asks about the vehicle and the driver).
  const fromMs = minAt - win.backMs;
  const toMs = maxAt + win.forwardMs + 1;
  const [ids, history] = await Promise.all([allocate ? allocateIds(q, fresh.length) : null, loadHistory(q, plan.plates, new Date(fromMs), new Date(toMs), plan.driverKeys)]);
  return { plan, fresh, repeats, firstOfBatch, done: false as const, facts, ids, history, fromMs, toMs, ruleSet, catalogue, registry, people, fallbackUnit };
}

/** Decides the rows of a batch on its reads plus the rows of `overlay` (the batches planned before it). */
async function decideBatch(reads: BatchReads, overlay: readonly BatchPlan[], deviceGate: boolean): Promise<BatchPlan> {
  if (reads.done) return reads.plan;
  const ids = reads.ids;
  if (ids === null) throw new Error('decideBatch: ids not allocated');
  const { plan, repeats, firstOfBatch, facts, history, fromMs, toMs, ruleSet, catalogue, registry, people, fallbackUnit } = reads;
  const { results, outcomes, touched } = plan;
  if (overlay.length > 0) {
    // the rows the history query would return once the overlay's batches are stored
    const loaded = new Set(history.map((h) => h.id));
    const plates = new Set(plan.plates);
    const drivers = new Set(plan.driverKeys);
    for (const o of overlay)
      for (const r of o.rows) {
        const t = r.occurredAt.getTime();
        if (t < fromMs || t >= toMs || loaded.has(r.id)) continue;
        if (plates.has(r.plate) || (r.driverKey !== null && drivers.has(r.driverKey))) history.push(storedHistory(r));
      }
  }
  const byPlate = new Map<string, HistoryRecord[]>();
  const byDriver = new Map<string, HistoryRecord[]>();
  const file = (h: HistoryRecord) => {
    (byPlate.get(h.plate) ?? byPlate.set(h.plate, []).get(h.plate)!).push(h);
    if (h.driverKey) (byDriver.get(h.driverKey) ?? byDriver.set(h.driverKey, []).get(h.driverKey)!).push(h);
  };
  for (const h of history) file(h);
  // each plate's and driver's records in time order (rules/history.ts sortedHistory then takes
  // them as they are); the rows of the batch join them in time order
  for (const list of byPlate.values()) if (list.length > 1) list.sort(compareRecords);
  for (const list of byDriver.values()) if (list.length > 1) list.sort(compareRecords);

  const ruleCtx: RuleContext = {
    ruleSetVersion: ruleSet.version,
    params: ruleSet.params,
    catalogue: catalogueByDay(catalogue),
    people: (badge) => {
      const p = people.get(badge);
      return p ? toPersonFacts(p) : undefined;
    },
    devices: deviceGate ? (id) => registry.get(id)?.state : null,
  };

  const now = new Date();
  // one checkpoint key per device, not one string per row
  const deviceKeys = new Map<string, string>();
  const deviceCheckpoint = (id: string) => deviceKeys.get(id) ?? deviceKeys.set(id, `device:${id}`).get(id)!;
  const asHistory = (f: RecordFacts, id: number, outcome: HistoryRecord['outcome']): HistoryRecord => {
    const h: HistoryRecord = { id, kind: f.kind, plate: f.plate, violationCode: f.violationCode, occurredAt: f.occurredAt, place: f.place, outcome, handled: outcome !== 'held' };
    if (f.deviceId !== undefined) h.deviceId = f.deviceId;
    if (f.driverKey !== undefined) h.driverKey = f.driverKey;
    return h;
  };
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
  const plateRows = new Map<string, number>();
  const driverRows = new Map<string, number>();
  for (const f of facts) {
    plateRows.set(f.facts.plate, (plateRows.get(f.facts.plate) ?? 0) + 1);
    if (f.facts.driverKey !== undefined) driverRows.set(f.facts.driverKey, (driverRows.get(f.facts.driverKey) ?? 0) + 1);
  }
  facts.forEach((f, i) => {
    if (f.facts.kind !== 'onSite') return;
    const h = asHistory(f.facts, ids[i]!, 'compliant');
    onSiteOfBatch.set(i, h);
    file(h);
  });

  for (let i = 0; i < facts.length; i++) {
    if ((i & YIELD_EVERY) === YIELD_EVERY) await yieldToLoop();
    const f = facts[i]!;
    const id = ids[i]!;
    f.facts.id = id;
    const d = decide(f.facts, historyFor(f.facts), ruleCtx);
    const decider = f.input.decidingOfficer ? people.get(f.input.decidingOfficer) : undefined;
    const device = f.input.kind === 'camera' && f.input.deviceId ? registry.get(f.input.deviceId) : undefined;
    const unitId = f.input.kind === 'onSite' ? (decider?.unitId ?? fallbackUnit) : (device?.owningUnitId ?? fallbackUnit);
    const own = onSiteOfBatch.get(i);
    if (own) own.outcome = d.outcome;
    // a decided row is history only for later rows of the batch with its plate or driver
    else if (plateRows.get(f.facts.plate)! > 1 || (f.facts.driverKey !== undefined && driverRows.get(f.facts.driverKey)! > 1)) file(asHistory(f.facts, id, d.outcome));
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
    } else if (r.deviceId) touched.checkpoints.add(deviceCheckpoint(r.deviceId));
  }
  // the plates of the rows created, in the order they were decided
  for (const p of plan.plates) touched.plates.add(p);
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
export function batchDigest(rows: ReadonlyArray<DigestFields>): string {
  // one update of the whole text: the same digest as one update per line, without a native call per row
  let text = '';
  for (const r of [...rows].sort((a, b) => a.id - b.id)) text += digestLine(r, r.occurredAt.toISOString());
  return crypto.createHash('sha256').update(text).digest('hex');
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
