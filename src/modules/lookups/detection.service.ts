// The look-up rules' runner: after each batch, for the accounts, subjects and certificates it
// touched, over the calendar windows those look-ups fall in (whole Beijing days or months, so every
// finding is computed from all of its window's look-ups); in full on demand. One query per rule
// (detection.queries.ts) feeds the pure rules (rules/), whose findings become alerts: source
// 'lookups', subject the person who looked up, the look-ups as (masked) evidence, deduplicated per
// (rule, account, window), and a finding someone dismissed or resolved is not raised again.
import { QUERY_TYPES } from '../../contracts/lookups.ts';
import { LOOKUP_RULE_IDS, type LookupDetectionRunResult } from '../../contracts/lookup-rules.ts';
import type { Db } from '../../platform/db/database.ts';
import { bootstrapContext } from '../../platform/bootstrap.ts';
import { EVERYTHING } from '../alerts/alerts.query.ts';
import { closedFindings, raiseAlerts, type AlertInput } from '../alerts/alerts.service.ts';
import type { RequestContext } from '../ledger/ledger.service.ts';
import { peopleByBadge } from '../org/personnel.service.ts';
import { unitTree } from '../org/units.service.ts';
import { beijingDateTime, beijingDay, beijingDayIndex, beijingDayStartMs, DAY_MS } from '../rules/time.ts';
import { currentLookupRuleSet } from './detection.params.ts';
import * as q from './detection.queries.ts';
import { detectLeaver, detectShared, detectUnknown } from './rules/account-rules.ts';
import { detectBulk, detectCriminal, detectOffDuty, detectPurpose, detectVolume, sampleRandom } from './rules/activity-rules.ts';
import { LOOKUP_BASIS } from './rules/basis.ts';
import { detectHot, detectSkew, detectSubjectMatches, detectWatch, sexOfIdNumber } from './rules/subject-rules.ts';
import type { LookupFinding } from './rules/types.ts';
import { rebindInScope, registerLookupKeys } from './rebind.service.ts';
import type { SubjectKeys } from './subject-crypto.ts';

/** What a batch touched (the intake's LookupTouched fits). */
export interface DetectionTouched {
  accounts: ReadonlySet<string>;
  subjectHashes: ReadonlySet<string>;
  certificates: ReadonlySet<string>;
  from: Date | null;
  to: Date | null;
}

export interface DetectionOptions {
  /** the subject keys: needed to read plates for sequential runs (L-BULK) and the sex of ID numbers (L-SKEW) */
  keys?: SubjectKeys;
  /** the clock, for the windows relative to now (L-SKEW, L-CRIMINAL) */
  now?: number;
  /** a full run's period in days back from now (default 90) */
  days?: number;
}

/** How far back a full run looks, and the period L-SKEW compares over. */
export const FULL_RUN_DAYS = 90;
/**
 * L-RANDOM draws its sample as look-ups arrive (each batch's days); a full run re-draws only the
 * last week, so a new sampling key does not send a whole quarter of history for justification
 * (and the keyed hash is not computed over every stored look-up).
 */
export const RANDOM_FULL_RUN_DAYS = 7;

const dayStart = (t: number) => beijingDayStartMs(beijingDayIndex(t));
function monthStart(t: number): number {
  const local = new Date(t + 8 * 3_600_000);
  return Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1) - 8 * 3_600_000;
}
const nextMonthStart = (t: number) => monthStart(monthStart(t) + 32 * DAY_MS);
const iso = (t: number) => new Date(t).toISOString();
const range = (from: number, to: number): q.Range => ({ from: iso(from), to: iso(to) });

export { sexOfIdNumber } from './rules/subject-rules.ts';

/** Runs every rule over what a batch touched, or everything; returns what it raised. */
export async function runLookupDetection(db: Db, ctx: RequestContext, touched: DetectionTouched | 'all', opts: DetectionOptions = {}): Promise<LookupDetectionRunResult> {
  const started = performance.now();
  const now = opts.now ?? Date.now();
  const all = touched === 'all';
  if (!all && (touched.from === null || touched.to === null || touched.accounts.size + touched.certificates.size + touched.subjectHashes.size === 0)) {
    return { created: 0, byRule: {}, ruleSetVersion: 0, tookMs: 0 };
  }
  const { version, params } = await currentLookupRuleSet(db);
  const scope: q.Scope = all
    ? { all: true, accounts: [], subjectHashes: [], certificates: [] }
    : { all: false, accounts: [...touched.accounts], subjectHashes: [...touched.subjectHashes], certificates: [...touched.certificates] };
  const from = all ? now - (opts.days ?? FULL_RUN_DAYS) * DAY_MS : touched.from!.getTime();
  const to = all ? now : touched.to!.getTime();
  // whole days and whole months around the batch: a finding is always computed from its whole window
  const days = range(dayStart(from), dayStart(to) + DAY_MS);
  const months = range(monthStart(from), nextMonthStart(to));
  const hotRange = range(monthStart(from) - params.hotWindowDays * DAY_MS, nextMonthStart(to) + params.hotWindowDays * DAY_MS);
  const firstJudged = beijingDayIndex(dayStart(from));
  const lastJudged = beijingDayIndex(to);

  if (opts.keys) {
    registerLookupKeys(db, opts.keys);
    // look-ups that cite a record which arrived after them are bound first, so the rules see the verdicts
    await rebindInScope(db, ctx, opts.keys, all ? 'all' : scope.accounts, days);
    await backfillSex(db, scope, days, opts.keys);
  }

  // the rules that do not count per account and day start at once; the summary meanwhile
  const independent = Promise.all([
    q.subjectMatchRows(db, scope, months),
    q.hotRows(db, scope, hotRange, params),
    q.watchRows(db, scope, months),
    q.randomRows(db, scope, all ? range(dayStart(now - RANDOM_FULL_RUN_DAYS * DAY_MS), now + 1) : days, params),
    all ? q.sharedCandidates(db, { from: firstJudged, to: lastJudged + 1 }).then((c) => q.sharedRows(db, scope, days, c)) : q.sharedRows(db, scope, days),
    q.trackSeries(db, scope, beijingDayIndex(now), params),
  ]);
  // a failure is thrown by the await below, not reported meanwhile as unhandled
  independent.catch(() => undefined);
  // the summary: everyone's days in the judged range (peers), the touched accounts' back to the baseline
  const { days: counts, sex } = await q.dailyCounts(db, scope, { from: firstJudged, to: lastJudged + 1 }, firstJudged - params.volumeBaselineDays);
  const touchedAccounts = new Set(scope.accounts);
  const judgedCounts = counts.filter((c) => c.day >= firstJudged && (all || touchedAccounts.has(c.account)));
  // L-PURPOSE and L-OFFDUTY count unjustified look-ups per account and day: only days reaching the lower threshold can hold a finding
  const unjustifiedPerDay = new Map<string, q.AccountDay & { n: number }>();
  for (const c of judgedCounts) {
    if (c.personId === null || c.unjustified === 0) continue;
    const key = `${c.account}\u0000${c.day}`;
    const e = unjustifiedPerDay.get(key) ?? unjustifiedPerDay.set(key, { account: c.account, day: c.day, n: 0 }).get(key)!;
    e.n += c.unjustified;
  }
  const perDayMin = Math.min(params.purposeMinPerDay, params.offDutyMinPerDay);
  const purposeCandidates = [...unjustifiedPerDay.values()].filter((e) => e.n >= perDayMin).map(({ account, day }) => ({ account, day }));

  const [[matches, hot, watch, random, shared, tracks], unjustified, bulk, unknown] = await Promise.all([
    independent,
    q.unjustifiedRows(db, purposeCandidates),
    q.bulkRows(db, q.bulkCandidates(judgedCounts, params), params),
    q.rowsOfAccountDays(db, counts.filter((c) => c.personId === null && c.day >= firstJudged).map((c) => ({ account: c.account, day: c.day }))),
  ]);
  const accounts = all ? [...new Set(counts.map((c) => c.account))] : scope.accounts;
  const [people, units] = await Promise.all([peopleByBadge(db, accounts), unitTree(db, EVERYTHING)]);
  const inactive = [...people.values()].filter((p) => p.status !== 'active').map((p) => p.id);
  const personIds = [...new Set(unjustified.flatMap((r) => (r.personId === null ? [] : [r.personId])))];
  const [roster, leavers] = await Promise.all([q.rosters(db, personIds, days), q.leaverRows(db, scope, months, inactive)]);
  const status = new Map([...people.values()].map((p) => [p.id, p.status]));

  const firstMonth = beijingDay(monthStart(from)).slice(0, 7);
  const lastMonth = beijingDay(to).slice(0, 7);
  const judged = new Set<number>();
  for (let d = firstJudged; d <= lastJudged; d++) judged.add(d);
  const volume = detectVolume(all ? counts : counts.filter((c) => touchedAccounts.has(c.account) || judged.has(c.day)), judged, params).filter((f) => all || touchedAccounts.has(f.account));
  const volumeIds = await q.idsOfAccountDays(db, volume.map((f) => ({ account: f.account, day: beijingDayIndex(Date.parse(`${f.window}T00:00:00+08:00`)) })));

  const findings: LookupFinding[] = [
    ...detectUnknown(unknown),
    ...detectPurpose(unjustified, params),
    ...detectOffDuty(unjustified, roster, params),
    ...detectSubjectMatches(matches, params),
    ...detectHot(hot, params).filter((f) => f.window.slice(0, 7) >= firstMonth && f.window.slice(0, 7) <= lastMonth),
    ...detectWatch(watch),
    ...(all ? detectSkew(sex.map((t) => ({ account: t.account, personId: t.personId, known: t.known, female: t.female, lookupIds: t.lookupIds, lastAt: beijingDayStartMs(t.lastDay + 1) - 1 })), now, params) : []),
    ...volume.map((f) => withIds(f, volumeIds.get(`${f.account}\u0000${beijingDayIndex(Date.parse(`${f.window}T00:00:00+08:00`))}`) ?? [])),
    ...detectBulk(await withPlates(bulk, opts.keys), params),
    ...detectShared(shared, new Map(units.map((u) => [u.id, u.parentId])), params),
    ...detectLeaver(leavers.map((r) => ({ ...r, status: (status.get(r.personId ?? -1) ?? 'active') as 'active' | 'left' | 'suspended' }))),
    ...detectCriminal(tracks, beijingDayIndex(now), params, await q.criminalAlertKeys(db, tracks.map((t) => t.account))),
    ...sampleRandom(random),
  ];
  const byRule: Record<string, number> = Object.fromEntries(LOOKUP_RULE_IDS.map((r) => [r, 0]));
  for (const f of findings) byRule[f.rule]!++;
  const created = await raise(db, ctx, findings, version);
  return { created, byRule, ruleSetVersion: version, tookMs: Math.round(performance.now() - started) };
}

function withIds(f: LookupFinding, ids: number[]): LookupFinding {
  return { ...f, lookupIds: ids, facts: { ...f.facts, lookupCount: ids.length } };
}

/** Reads the plates of the burst candidates (sequential runs need the numbers); without the keys, bursts only. */
async function withPlates(rows: Awaited<ReturnType<typeof q.bulkRows>>, keys: SubjectKeys | undefined) {
  return rows.map((r) => {
    let plate: string | null = null;
    if (keys && r.plateHash) {
      try {
        plate = keys.decrypt(r.enc).plate;
      } catch {
        plate = null;
      }
    }
    return { id: r.id, at: r.at, account: r.account, personId: r.personId, subject: r.subject, plate };
  });
}

async function backfillSex(db: Db, scope: q.Scope, days: q.Range, keys: SubjectKeys): Promise<void> {
  const missing = await q.missingSex(db, scope, days);
  const out: Array<{ id: number; sex: 'F' | 'M' }> = [];
  for (const m of missing) {
    try {
      const sex = sexOfIdNumber(keys.decrypt(m.enc).idNumber);
      if (sex) out.push({ id: m.id, sex });
    } catch {
      // a row the key cannot read stays without sex; the subject view reports the key problem
    }
  }
  await q.storeSex(db, out);
}

const EVIDENCE_LIMIT = 200;

async function raise(db: Db, ctx: RequestContext, findings: LookupFinding[], version: number): Promise<number> {
  if (findings.length === 0) return 0;
  const closed = await closedFindings(db, findings.map((f) => ({ rule: f.rule, dedupKey: f.dedupKey })));
  const open = findings.filter((f) => !closed.has(`${f.rule}\u0000${f.dedupKey}`));
  if (open.length === 0) return 0;
  const [people, evidence] = await Promise.all([
    peopleByBadge(db, open.map((f) => f.account)),
    q.evidenceRows(db, [...new Set(open.flatMap((f) => f.lookupIds.slice(0, EVIDENCE_LIMIT)))]),
  ]);
  const alerts: AlertInput[] = open.map((f) => {
    const person = people.get(f.account);
    return {
      source: 'lookups',
      rule: f.rule,
      ruleSetVersion: version,
      subjectType: 'person',
      subjectId: f.account,
      subjectLabel: person ? `${person.name}(${person.badgeNo})` : `未知账号(${f.account})`,
      unitId: person?.unitId ?? null,
      personId: person?.id ?? null,
      severity: f.severity,
      title: person ? f.title.replace(`警号${f.account}`, `${person.name}(${f.account})`) : f.title,
      explanation: f.explanation,
      basis: LOOKUP_BASIS[f.rule],
      facts: { ...f.facts, account: f.account, ruleSetVersion: version, lookupIds: f.lookupIds.slice(0, 1000) },
      evidence: f.lookupIds.slice(0, EVIDENCE_LIMIT).flatMap((id) => {
        const e = evidence.get(id);
        if (!e) return [];
        const subject = [e.subject.plate, e.subject.idNumber, e.subject.name].filter(Boolean).join(' ');
        return [
          {
            lookupId: e.id,
            externalId: e.externalId,
            at: beijingDateTime(e.at),
            account: e.account,
            queryType: QUERY_TYPES[e.queryType] ?? e.queryType,
            subject,
            certificateId: e.certificateId,
            terminalId: e.terminalId,
            purpose: e.purposeCategory ?? '（未填写）',
            caseRef: e.caseRef ?? '',
            justified: e.justified ? '是' : '否',
          },
        ];
      }),
      dedupKey: f.dedupKey,
      occurredAt: new Date(f.occurredAt),
    };
  });
  let created = 0;
  // bounded statements: the alerts service chunks inside, one transaction per run
  await db.transaction().execute(async (trx) => {
    created = (await raiseAlerts(trx, ctx, alerts)).created;
  });
  return created;
}

// ---- after-batch scheduling (as the enforcement detectors) ----

interface Pending {
  accounts: Set<string>;
  subjectHashes: Set<string>;
  certificates: Set<string>;
  from: Date | null;
  to: Date | null;
}
interface Queue {
  pending: Pending | null;
  opts: DetectionOptions;
  running: Promise<void> | null;
  waiters: Array<() => void>;
}
const queues = new WeakMap<Db, Queue>();

/**
 * The intake's hook: queues what a batch touched; the rules run for it after the batch's answer,
 * one run at a time per database, with batches that arrive meanwhile merged into the next run.
 * Resolves when a run covering the batch finished; failures are logged, never thrown (the batch
 * has committed).
 */
export function detectForBatch(db: Db, _ctx: RequestContext, touched: DetectionTouched, opts: DetectionOptions = {}, log: (e: unknown) => void = (e) => console.error('lookup detection failed', e)): Promise<void> {
  const q0 = queues.get(db) ?? queues.set(db, { pending: null, opts, running: null, waiters: [] }).get(db)!;
  q0.opts = { ...q0.opts, ...opts };
  const p = (q0.pending ??= { accounts: new Set(), subjectHashes: new Set(), certificates: new Set(), from: null, to: null });
  for (const a of touched.accounts) p.accounts.add(a);
  for (const h of touched.subjectHashes) p.subjectHashes.add(h);
  for (const c of touched.certificates) p.certificates.add(c);
  if (touched.from && (!p.from || touched.from < p.from)) p.from = touched.from;
  if (touched.to && (!p.to || touched.to > p.to)) p.to = touched.to;
  const done = new Promise<void>((resolve) => q0.waiters.push(resolve));
  q0.running ??= drain(db, q0, log);
  return done;
}

async function drain(db: Db, q0: Queue, log: (e: unknown) => void): Promise<void> {
  while (q0.pending) {
    const keys = q0.pending;
    q0.pending = null;
    const resolved = q0.waiters.splice(0);
    try {
      await runLookupDetection(db, bootstrapContext('查询审计检测'), keys, q0.opts);
    } catch (e) {
      log(e);
    }
    for (const r of resolved) r();
  }
  q0.running = null;
}

/** Resolves when no detection run is queued or running for this database (tests, shutdown). */
export async function lookupDetectionIdle(db: Db): Promise<void> {
  for (let x = queues.get(db); x?.running; ) await x.running;
}

