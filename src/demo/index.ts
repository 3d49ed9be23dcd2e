import fs from 'node:fs';
import path from 'node:path';
import type { Database } from '../platform/db/database.ts';
import { runDetectors } from '../modules/enforcement/detectors.service.ts';
import { ingestBatch } from '../modules/enforcement/intake.service.ts';
import { sweepReviewDue } from '../modules/enforcement/review.service.ts';
import { demoEnforcementPeople, generateEnforcementDemo } from './enforcement.demo.ts';
import { bootstrapContext } from '../platform/bootstrap.ts';
import { hashPassword } from '../platform/password.ts';
import { countUnits, createAccounts, createPeople, createUnitTree } from '../modules/org/bulk.service.ts';
import { DEMO_ACCOUNT_PEOPLE, DEMO_UNITS, demoPersonnel } from './org.demo.ts';
import { seededRandom } from './random.ts';
import { ensureReferenceData } from '../modules/index.ts';

export const DEMO_SEED = 20261126;

export interface DemoSummary {
  seeded: boolean;
  units: number;
  people: number;
  accounts: string[];
  /** enforcement records stored (0 with `enforcement: 'none'`) */
  records: number;
}

export interface DemoOptions {
  /**
   * Enforcement records: `full` = 90 days, ~200,000 camera and ~5,000 on-site records (the
   * console's demo); `small` = the same injected misconduct in ~2,300 records (browser tests);
   * `none` = the organisation only (most tests bring their own records).
   */
  enforcement?: 'full' | 'small' | 'none';
  /** where to write the ground truth of the injected misconduct (JSON) */
  groundTruthFile?: string;
  /** progress of the record load, for the CLI */
  onProgress?: (stored: number) => void;
}

const RECORD_VOLUMES = { full: { cameraRecords: 200_000, onSiteRecords: 5_000 }, small: { cameraRecords: 2_000, onSiteRecords: 300 } } as const;
const LOAD_BATCH = 10_000;

/**
 * Seeds the demo brigade into an empty database, deterministically (fixed seed), in one
 * transaction. A database that already has units is left alone. Enforcement records follow,
 * as asked by `opts.enforcement`.
 */
export async function seedDemo(database: Database, password: string, opts: DemoOptions = {}): Promise<DemoSummary> {
  const accounts = DEMO_ACCOUNT_PEOPLE.map((p) => p.role);
  if ((await countUnits(database.db)) > 0) return { seeded: false, units: 0, people: 0, accounts, records: 0 };
  const r = seededRandom(DEMO_SEED);
  const passwordHash = await hashPassword(password);
  const ctx = bootstrapContext('演示数据');
  const org = await database.db.transaction().execute(async (trx) => {
    await ensureReferenceData(trx, ctx);
    const unitIds = await createUnitTree(trx, ctx, DEMO_UNITS);
    const people = demoPersonnel(r, unitIds);
    const personIds = await createPeople(trx, ctx, people);
    await createAccounts(
      trx,
      ctx,
      DEMO_ACCOUNT_PEOPLE.map((p) => ({ username: p.role, personId: personIds.get(p.badgeNo)!, passwordHash, roles: [p.role], mustChangePassword: false })),
    );
    return { seeded: true, units: unitIds.size, people: people.length, accounts, records: 0 };
  });
  const volume = opts.enforcement ?? 'none';
  if (volume === 'none') return org;
  return { ...org, records: await seedEnforcementDemo(database, RECORD_VOLUMES[volume], opts) };
}

/**
 * Sends the generated records through the real batch path (rules, alerts, ledger) in batches,
 * then runs the pattern detectors and the review-deadline sweep once over everything, as the
 * legal officer's "全量检测" would. Writes the ground truth beside the database.
 */
async function seedEnforcementDemo(database: Database, volume: { cameraRecords: number; onSiteRecords: number }, opts: DemoOptions): Promise<number> {
  const ctx = bootstrapContext('演示执法记录');
  const demo = generateEnforcementDemo({ seed: DEMO_SEED, people: demoEnforcementPeople(DEMO_SEED), ...volume });
  let batch: unknown[] = [];
  let stored = 0;
  const flush = async () => {
    const s = await ingestBatch(database.db, ctx, batch, { skipDetectors: true });
    if (s.rejected > 0) throw new Error(`demo rows rejected: ${JSON.stringify(s.results.find((r) => 'errors' in r))}`);
    stored += s.created;
    batch = [];
    opts.onProgress?.(stored);
  };
  for (const row of demo.rows()) {
    batch.push(row);
    if (batch.length === LOAD_BATCH) await flush();
  }
  if (batch.length > 0) await flush();
  await runDetectors(database.db, ctx, 'all');
  await sweepReviewDue(database.db, ctx);
  if (opts.groundTruthFile) {
    fs.mkdirSync(path.dirname(opts.groundTruthFile), { recursive: true });
    fs.writeFileSync(opts.groundTruthFile, `${JSON.stringify(demo.groundTruth, null, 2)}\n`);
  }
  return stored;
}
