// Loads the look-up demo into a seeded demo brigade through the real paths: the personnel
// identifier registry, the watch list and the roster through their services, the look-ups through
// the intake's batch path in chunks (purpose binding, ledger), then one full detection run.
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { watchEntryCreate } from '../contracts/lookups.ts';
import { EVERYTHING } from '../modules/alerts/alerts.query.ts';
import { addPersonnelSubjects } from '../modules/lookups/detection.personnel.ts';
import { currentLookupRuleSet } from '../modules/lookups/detection.params.ts';
import { runLookupDetection } from '../modules/lookups/detection.service.ts';
import { ingestLookups } from '../modules/lookups/intake.service.ts';
import { importRoster } from '../modules/lookups/roster.service.ts';
import { subjectKeys } from '../modules/lookups/subject-crypto.ts';
import { addWatch } from '../modules/lookups/watchlist.service.ts';
import { peopleByBadge } from '../modules/org/personnel.service.ts';
import { unitTree } from '../modules/org/units.service.ts';
import { bootstrapContext } from '../platform/bootstrap.ts';
import type { Database } from '../platform/db/database.ts';
import { startOfBeijingDay } from './beijing-time.ts';
import { demoEnforcementPeople, generateEnforcementDemo } from './enforcement.demo.ts';
import type { LookupGroundTruth } from './ground-truth.ts';
import { generateLookupDemo, type OnSiteRecordRef } from './lookups.demo.ts';

export const LOOKUP_VOLUMES = { full: 300_000, small: 3_000 } as const;
const LOAD_BATCH = 10_000;

export interface LookupSeedOptions {
  seed: number;
  /** the enforcement demo's volumes, to know its on-site records (the look-ups' cases) */
  enforcement: { cameraRecords: number; onSiteRecords: number };
  lookups: number;
  /** where the subject key lives (the server's DATA_DIR): the look-ups must be readable by it */
  dataDir: string;
  onProgress?: (stored: number) => void;
}

export async function seedLookupDemo(database: Database, opts: LookupSeedOptions): Promise<{ stored: number; groundTruth: LookupGroundTruth }> {
  const db = database.db;
  const ctx = bootstrapContext('演示数据查询日志');
  const keys = subjectKeys({ dataDir: opts.dataDir });
  const endAt = startOfBeijingDay(Date.now());

  // the on-site records the enforcement demo stored, as the look-ups' cases
  const records: OnSiteRecordRef[] = [];
  const enforcement = generateEnforcementDemo({ seed: opts.seed, people: demoEnforcementPeople(opts.seed), endAt: new Date(endAt), ...opts.enforcement });
  for (const row of enforcement.rows()) {
    const x = row as { kind?: string; externalId: string; decidingOfficer?: string; occurredAt: string; plate?: string | null; driver?: { idNumber?: string | null } | null };
    if (x.kind !== 'onSite' || !x.decidingOfficer) continue;
    records.push({ externalId: x.externalId, officer: x.decidingOfficer, at: Date.parse(x.occurredAt), plate: x.plate ?? null, driverIdNumber: x.driver?.idNumber ?? null });
  }
  const badges = demoEnforcementPeople(opts.seed).map((p) => p.badgeNo);
  const [people, units, rules] = await Promise.all([peopleByBadge(db, badges), unitTree(db, EVERYTHING), currentLookupRuleSet(db)]);
  const codeOf = new Map(units.map((u) => [u.id, u.code ?? String(u.id)]));
  const demo = generateLookupDemo({
    seed: opts.seed,
    endAt,
    days: 90,
    total: opts.lookups,
    people: [...people.values()].map((p) => ({ personId: p.id, badgeNo: p.badgeNo, category: p.category, unitCode: codeOf.get(p.unitId)! })),
    records,
    unitCodes: units.flatMap((u) => (u.code ? [u.code] : [])),
    randomKey: rules.params.randomKey,
  });

  await addPersonnelSubjects(db, ctx, keys, demo.personnelSubjects);
  for (const w of demo.watch) await addWatch(db, ctx, keys, watchEntryCreate.parse({ subject: { plate: w.plate }, category: w.category, reason: w.reason }));
  const csv = ['警号,开始时间,结束时间,类型', ...demo.roster.map((x) => `${x.badgeNo},${x.from},${x.to},${x.kind}`)].join('\n');
  const roster = await importRoster(db, ctx, { filename: 'roster.csv', stream: Readable.from([Buffer.from(csv, 'utf8')]) });
  if (roster.errors.length > 0) throw new Error(`demo roster rejected: ${JSON.stringify(roster.errors)}`);

  let batch: unknown[] = [];
  let stored = 0;
  const flush = async () => {
    const s = await ingestLookups(db, ctx, keys, batch);
    if (s.rejected > 0) throw new Error(`demo look-ups rejected: ${JSON.stringify(s.results.find((r) => 'errors' in r))}`);
    stored += s.created;
    batch = [];
    opts.onProgress?.(stored);
  };
  for (const row of demo.rows()) {
    batch.push(row);
    if (batch.length === LOAD_BATCH) await flush();
  }
  if (batch.length > 0) await flush();
  await runLookupDetection(db, ctx, 'all', { keys, days: 92 });
  return { stored, groundTruth: demo.groundTruth };
}

/** What the look-up rules flagged: per rule, the accounts (subject ids) of its alerts, open or closed. */
export async function collectLookupDetections(database: Database): Promise<Map<string, Set<string>>> {
  const { rows } = await sql<{ rule: string; subject_id: string }>`
    SELECT DISTINCT rule, subject_id FROM alerts WHERE source = 'lookups'`.execute(database.db);
  const out = new Map<string, Set<string>>();
  for (const r of rows) (out.get(r.rule) ?? out.set(r.rule, new Set()).get(r.rule)!).add(r.subject_id);
  return out;
}
