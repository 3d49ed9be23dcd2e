// Pattern detectors over stored records (D-TRUCK-REPEAT, D-FLAT-AMOUNT, D-NONLOCAL, D-PERIOD-END):
// one GROUP BY query per detector feeds the pure functions of rules/detectors.ts, and their
// findings become alerts. After each batch they run for the keys the batch touched (plates,
// officers, checkpoints), coalesced and one run at a time, off the intake's answer path; in full
// on demand.
import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import { bootstrapContext } from '../../platform/bootstrap.ts';
import { closedFindings, raiseAlerts, type AlertInput } from '../alerts/alerts.service.ts';
import type { RequestContext } from '../ledger/ledger.service.ts';
import { peopleByBadge } from '../org/personnel.service.ts';
import { detectFlatAmount, detectNonLocal, detectPeriodEnd, detectTruckRepeat, type Period } from '../rules/detectors.ts';
import { currentRuleSet } from '../rules/rule-sets.service.ts';
import { beijingDay } from '../rules/time.ts';
import type { DetectorFinding } from '../rules/types.ts';
import { recordEvidence } from './evidence.ts';

/** How far back the pattern detectors look. */
export const DETECTOR_PERIOD_DAYS = 90;
const DAY_MS = 86_400_000;

export interface TouchedKeys {
  plates: Set<string>;
  officers: Set<string>;
  /** `device:<id>` for cameras, `road:<road>` for on-site places */
  checkpoints: Set<string>;
}

// A record counts as penalised when a camera record became a penalty, or an on-site decision
// carried a fine. The checkpoint of a camera record is its device, of an on-site record its road.
const PENALISED = sql<boolean>`((kind = 'camera' AND outcome = 'penalty') OR (kind = 'onSite' AND coalesce(fine_yuan, 0) > 0))`;
const CHECKPOINT = sql<string>`CASE WHEN device_id IS NOT NULL THEN 'device:' || device_id ELSE 'road:' || road END`;
const BEIJING = sql`((occurred_at AT TIME ZONE 'UTC') + interval '8 hours')`;

/** Start (as an instant) of the Beijing month holding `ms`. */
export function monthStartAtOrBefore(ms: number): number {
  const local = new Date(ms + 8 * 3_600_000);
  return Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1) - 8 * 3_600_000;
}

/**
 * D-PERIOD-END compares whole months only: the complete Beijing months inside [from, to), as
 * instants [first month start ≥ from, last month start ≤ to).
 */
export function completeMonths(from: number, to: number): { from: string; to: string } {
  const start = monthStartAtOrBefore(from);
  const first = start === from ? start : monthStartAtOrBefore(start + 32 * DAY_MS);
  return { from: new Date(first).toISOString(), to: new Date(Math.max(first, monthStartAtOrBefore(to))).toISOString() };
}

const label = (key: string) => key.replace(/^(device|road):/, '');

/** Runs every detector over the period for the given keys ('all' = every subject); returns alerts created. */
export async function runDetectors(db: Db, ctx: RequestContext, keys: TouchedKeys | 'all', now = Date.now()): Promise<number> {
  const { version, params } = await currentRuleSet(db);
  const period: Period = { from: now - DETECTOR_PERIOD_DAYS * DAY_MS, to: now };
  const from = new Date(period.from).toISOString();
  const to = new Date(period.to).toISOString();
  const all = keys === 'all';
  const plates = all ? [] : [...keys.plates];
  const officers = all ? [] : [...keys.officers];
  const checkpoints = all ? [] : [...keys.checkpoints];
  const subjectFilter = all
    ? sql<boolean>`true`
    : sql<boolean>`(deciding_officer = ANY(${officers}::text[]) OR ${CHECKPOINT} = ANY(${checkpoints}::text[]))`;

  const months = completeMonths(period.from, period.to);
  const truckWindowFrom = new Date(now - Math.max(params.truckRepeatDays * 2, DETECTOR_PERIOD_DAYS) * DAY_MS).toISOString();
  const [trucks, amounts, nonLocalRows, brigade, daily] = await Promise.all([
    all || plates.length > 0
      ? sql<{ id: number; plate: string; occurred_at: Date; officer: string | null; checkpoint: string }>`
          SELECT id, plate, occurred_at, deciding_officer AS officer, ${CHECKPOINT} AS checkpoint
            FROM enforcement_records
           WHERE freight AND ${PENALISED} AND occurred_at >= ${truckWindowFrom}::timestamptz AND occurred_at < ${to}::timestamptz
             ${all ? sql`` : sql`AND plate = ANY(${plates}::text[])`}`.execute(db)
      : Promise.resolve({ rows: [] }),
    // Only on-site fines: a camera penalty's amount comes from the catalogue, not from a person.
    sql<{ officer: string | null; road: string; code: string; fine: number; n: number; ids: number[] }>`
      SELECT deciding_officer AS officer, road, violation_code AS code, fine_yuan::float8 AS fine, count(*)::int AS n, array_agg(id ORDER BY id) AS ids
        FROM enforcement_records
       WHERE kind = 'onSite' AND freight AND coalesce(fine_yuan, 0) > 0 AND occurred_at >= ${from}::timestamptz AND occurred_at < ${to}::timestamptz AND ${subjectFilter}
       GROUP BY GROUPING SETS ((deciding_officer, violation_code, fine_yuan), (road, violation_code, fine_yuan))`.execute(db),
    sql<{ officer: string | null; checkpoint: string | null; total: number; non_local: number; ids: number[] }>`
      SELECT deciding_officer AS officer, ${CHECKPOINT} AS checkpoint, count(*)::int AS total,
             count(*) FILTER (WHERE NOT (substr(plate, 1, 2) = ANY(${params.localPlatePrefixes}::text[])))::int AS non_local,
             array_agg(id ORDER BY id) FILTER (WHERE NOT (substr(plate, 1, 2) = ANY(${params.localPlatePrefixes}::text[]))) AS ids
        FROM enforcement_records
       WHERE freight AND ${PENALISED} AND occurred_at >= ${from}::timestamptz AND occurred_at < ${to}::timestamptz AND ${subjectFilter}
       GROUP BY GROUPING SETS ((deciding_officer), (${CHECKPOINT}))`.execute(db),
    sql<{ total: number; non_local: number }>`
      SELECT count(*)::int AS total, count(*) FILTER (WHERE NOT (substr(plate, 1, 2) = ANY(${params.localPlatePrefixes}::text[])))::int AS non_local
        FROM enforcement_records
       WHERE freight AND ${PENALISED} AND occurred_at >= ${from}::timestamptz AND occurred_at < ${to}::timestamptz`.execute(db),
    // Complete months only (the detector compares a month's end with the rest of it).
    sql<{ officer: string | null; checkpoint: string | null; month: string; day: string; n: number }>`
      SELECT deciding_officer AS officer, ${CHECKPOINT} AS checkpoint, to_char(${BEIJING}, 'YYYY-MM') AS month, to_char(${BEIJING}, 'YYYY-MM-DD') AS day, count(*)::int AS n
        FROM enforcement_records
       WHERE ${PENALISED} AND occurred_at >= ${months.from}::timestamptz AND occurred_at < ${months.to}::timestamptz
         AND ${subjectFilter}
       GROUP BY GROUPING SETS ((deciding_officer, 3, 4), (${CHECKPOINT}, 3, 4))`.execute(db),
  ]);

  const findings: DetectorFinding[] = [
    ...detectTruckRepeat(
      trucks.rows.map((r) => ({ id: Number(r.id), plate: r.plate, occurredAt: new Date(r.occurred_at).getTime(), ...(r.officer ? { officer: r.officer } : {}), checkpoint: r.checkpoint })),
      params,
      version,
    ),
    ...detectFlatAmount(
      amounts.rows.map((r) => ({
        subjectKind: r.officer !== null ? ('officer' as const) : ('checkpoint' as const),
        subject: r.officer ?? `road:${r.road}`,
        code: r.code,
        fineYuan: Number(r.fine),
        count: Number(r.n),
        recordIds: r.ids.map(Number),
      })).filter((r) => r.subject !== null),
      period,
      params,
      version,
    ),
    ...detectNonLocal(
      nonLocalRows.rows
        .filter((r) => r.officer !== null || r.checkpoint !== null)
        .map((r) => ({ subjectKind: r.officer !== null ? ('officer' as const) : ('checkpoint' as const), subject: (r.officer ?? r.checkpoint)!, total: Number(r.total), nonLocal: Number(r.non_local), recordIds: (r.ids ?? []).map(Number) })),
      { total: Number(brigade.rows[0]?.total ?? 0), nonLocal: Number(brigade.rows[0]?.non_local ?? 0) },
      period,
      params,
      version,
    ),
    ...detectPeriodEnd(
      daily.rows
        .filter((r) => r.officer !== null || r.checkpoint !== null)
        .map((r) => ({ subjectKind: r.officer !== null ? ('officer' as const) : ('checkpoint' as const), subject: (r.officer ?? r.checkpoint)!, month: r.month, day: r.day, count: Number(r.n) })),
      params,
      version,
    ),
  ];
  // Incremental runs look only at what the batch touched (the GROUP BYs' rows may include
  // officers' other checkpoints, which are not new information).
  const relevant = all ? findings : findings.filter((f) => (f.subjectKind === 'officer' ? keys.officers.has(f.subject) : keys.checkpoints.has(f.subject)) || f.detector === 'D-TRUCK-REPEAT');
  if (relevant.length === 0) return 0;
  const found = await toAlerts(db, relevant, now);
  const closed = await closedFindings(db, found.map((a) => ({ rule: a.rule, dedupKey: a.dedupKey })));
  const alerts = found.filter((a) => !closed.has(`${a.rule}\u0000${a.dedupKey}`));
  if (alerts.length === 0) return 0;
  return db.transaction().execute(async (trx) => (await raiseAlerts(trx, ctx, alerts)).created);
}

async function toAlerts(db: Db, findings: DetectorFinding[], now: number): Promise<AlertInput[]> {
  const month = beijingDay(now).slice(0, 7);
  // the officers findings are about, and the officers named in truck findings: one query
  const people = await peopleByBadge(db, findings.flatMap((f) => (f.subjectKind === 'officer' ? [f.subject] : typeof f.facts.officer === 'string' ? [f.facts.officer] : [])));
  const evidenceIds = [...new Set(findings.flatMap((f) => f.evidenceIds))];
  const evidence = new Map(
    evidenceIds.length === 0
      ? []
      : (
          await sql<{ id: number; plate: string; violation_code: string; occurred_at: Date; road: string; deciding_officer: string | null; device_id: string | null; fine: number | null }>`
            SELECT id, plate, violation_code, occurred_at, road, deciding_officer, device_id, coalesce(decided_fine_yuan, fine_yuan)::float8 AS fine
              FROM enforcement_records WHERE id = ANY(${evidenceIds}::bigint[])`.execute(db)
        ).rows.map((r) => [
          Number(r.id),
          recordEvidence({ id: Number(r.id), plate: r.plate, code: r.violation_code, occurredAt: new Date(r.occurred_at).getTime(), road: r.road, officer: r.deciding_officer, deviceId: r.device_id, fineYuan: r.fine === null ? null : Number(r.fine) }),
        ]),
  );
  return findings.map((f) => {
    const person = f.subjectKind === 'officer' ? people.get(f.subject) : typeof f.facts.officer === 'string' ? people.get(f.facts.officer) : undefined;
    const isDevice = f.subjectKind === 'checkpoint' && f.subject.startsWith('device:');
    // Aggregate detectors keep one alert per subject and Beijing month: later runs that month
    // refresh its numbers, and an alert dismissed with a reason stays dismissed for the month
    // instead of coming back after the next batch.
    const dedupKey = f.detector === 'D-FLAT-AMOUNT' || f.detector === 'D-NONLOCAL' ? `${f.detector}|${f.subjectKind}:${f.subject}|${month}` : f.dedupKey;
    return {
      source: 'enforcement',
      rule: f.detector,
      ruleSetVersion: f.ruleSetVersion,
      subjectType: f.detector === 'D-TRUCK-REPEAT' ? 'vehicle' : f.subjectKind === 'officer' ? 'person' : isDevice ? 'device' : 'unit',
      subjectId: f.detector === 'D-TRUCK-REPEAT' ? String(f.facts.plate ?? f.subject) : label(f.subject),
      subjectLabel: person ? `${person.name}(${person.badgeNo})` : label(f.subject),
      unitId: person?.unitId ?? null,
      personId: person?.id ?? null,
      severity: f.severity,
      title: f.title.replace(/(device|road):/g, ''),
      explanation: f.explanation.replace(/(device|road):/g, ''),
      basis: f.basis,
      facts: f.facts,
      evidence: f.evidenceIds.slice(0, 200).flatMap((id) => evidence.get(id) ?? []),
      dedupKey,
      occurredAt: new Date(f.occurredAt),
    } satisfies AlertInput;
  });
}

// ---- after-batch scheduling ----

interface Queue {
  pending: TouchedKeys | null;
  running: Promise<void> | null;
  waiters: Array<() => void>;
}
const queues = new WeakMap<Db, Queue>();

/**
 * Queues the keys a batch touched; the detectors run for them after the batch's answer, one run at
 * a time per database, with keys of batches that arrive meanwhile merged into the next run. The
 * promise resolves when a run covering these keys has finished (failures are logged, not thrown:
 * a detector problem must never fail an intake that has committed).
 */
export function scheduleDetectors(db: Db, keys: TouchedKeys, log: (e: unknown) => void = (e) => console.error('detectors failed', e)): Promise<void> {
  const q = queues.get(db) ?? queues.set(db, { pending: null, running: null, waiters: [] }).get(db)!;
  const p = (q.pending ??= { plates: new Set(), officers: new Set(), checkpoints: new Set() });
  for (const x of keys.plates) p.plates.add(x);
  for (const x of keys.officers) p.officers.add(x);
  for (const x of keys.checkpoints) p.checkpoints.add(x);
  const done = new Promise<void>((resolve) => q.waiters.push(resolve));
  q.running ??= drain(db, q, log);
  return done;
}

async function drain(db: Db, q: Queue, log: (e: unknown) => void): Promise<void> {
  while (q.pending) {
    const keys = q.pending;
    q.pending = null;
    const resolved = q.waiters.splice(0);
    try {
      await runDetectors(db, bootstrapContext('模式检测'), keys);
    } catch (e) {
      log(e);
    }
    for (const r of resolved) r();
  }
  q.running = null;
}

/** Resolves when no detector run is queued or running for this database (tests, shutdown). */
export async function detectorsIdle(db: Db): Promise<void> {
  for (let q = queues.get(db); q?.running; ) await q.running;
}
