import fs from 'node:fs';
import path from 'node:path';
import type { Database } from '../platform/db/database.ts';
import { runDetectors } from '../modules/enforcement/detectors.service.ts';
import { ingestBatch } from '../modules/enforcement/intake.service.ts';
import { sweepReviewDue } from '../modules/enforcement/review.service.ts';
import { demoEnforcementPeople, generateEnforcementDemo, startOfBeijingDay } from './enforcement.demo.ts';
import { NEW_DEMO_CAMERA, newDemoDeviceRegistration } from './device-anomalies.demo.ts';
import { deviceLawGroundTruth, registerDemoDevices, reviewDemoDeviceHolds } from './devices.demo.ts';
import { runDeviceDetectors } from '../modules/devices/device-detectors.service.ts';
import { createDevice } from '../modules/devices/devices.service.ts';
import { unitTree } from '../modules/org/units.service.ts';
import { bootstrapContext } from '../platform/bootstrap.ts';
import { hashPassword } from '../platform/password.ts';
import { countUnits, createAccounts, createPeople, createUnitTree } from '../modules/org/bulk.service.ts';
import { DEMO_ACCOUNT_PEOPLE, DEMO_UNITS, demoPersonnel } from './org.demo.ts';
import { seededRandom } from './random.ts';
import { LOOKUP_VOLUMES, seedLookupDemo } from './lookups.seed.ts';
import { ensureReferenceData } from '../modules/index.ts';

export const DEMO_SEED = 20261126;

export interface DemoSummary {
  seeded: boolean;
  units: number;
  people: number;
  accounts: string[];
  /** enforcement records stored (0 with `enforcement: 'none'`) */
  records: number;
  /** look-ups stored (absent when none were seeded) */
  lookups?: number;
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
  /**
   * Look-ups of vehicle and driver data (issue #6): `full` = ~300,000 over the 90 days, `small` = the
   * same injected misuse in ~3,000. Default: the enforcement volume. Seeded only with `dataDir` and
   * enforcement records (their on-site records are the look-ups' cases).
   */
  lookups?: 'full' | 'small' | 'none';
  /** the server's DATA_DIR: the look-up subjects' key lives there, so the server can read them */
  dataDir?: string;
  /** progress of the look-up load, for the CLI */
  onLookupProgress?: (stored: number) => void;
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
  const records = await seedEnforcementDemo(database, RECORD_VOLUMES[volume], opts);
  const lookupVolume = opts.lookups ?? volume;
  if (lookupVolume === 'none' || !opts.dataDir) return { ...org, records };
  const lookups = await seedLookupDemo(database, {
    seed: DEMO_SEED,
    enforcement: RECORD_VOLUMES[volume],
    lookups: LOOKUP_VOLUMES[lookupVolume],
    dataDir: opts.dataDir,
    ...(opts.onLookupProgress ? { onProgress: opts.onLookupProgress } : {}),
  });
  if (opts.groundTruthFile) {
    const truth = JSON.parse(fs.readFileSync(opts.groundTruthFile, 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(opts.groundTruthFile, `${JSON.stringify({ ...truth, lookups: lookups.groundTruth }, null, 2)}\n`);
  }
  return { ...org, records, lookups: lookups.stored };
}

/**
 * Sends the generated records through the real batch path (rules, alerts, ledger) in batches,
 * then runs the pattern detectors and the review-deadline sweep once over everything, as the
 * legal officer's "全量检测" would. Writes the ground truth beside the database.
 */
async function seedEnforcementDemo(database: Database, volume: { cameraRecords: number; onSiteRecords: number }, opts: DemoOptions): Promise<number> {
  const ctx = bootstrapContext('演示执法记录');
  // One window end for the records and the registry dates that must match them.
  const endAt = startOfBeijingDay(Date.now());
  const demo = generateEnforcementDemo({ seed: DEMO_SEED, people: demoEnforcementPeople(DEMO_SEED), endAt: new Date(endAt), ...volume });
  // The device anomalies' new camera (issue #5) enters the registry 20 days before the end, lawfully.
  const owner = (await unitTree(database.db, { all: true, unitIds: [], selfPersonId: null })).find((u) => u.code === DEMO_UNITS.find((x) => x.key === NEW_DEMO_CAMERA.owningUnitKey)!.code)!;
  await createDevice(database.db, ctx, newDemoDeviceRegistration(endAt, owner.id));
  // The demo cameras' registry (devices.demo.ts): lawful before the captures load, but three.
  const deviceTruth = deviceLawGroundTruth(await registerDemoDevices(database.db, ctx, endAt, demo.groundTruth.generatedFor.days));
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
    deviceTruth.observe(row);
    batch.push(row);
    if (batch.length === LOAD_BATCH) await flush();
  }
  if (batch.length > 0) await flush();
  await reviewDemoDeviceHolds(database.db, ctx);
  await runDetectors(database.db, ctx, 'all');
  await runDeviceDetectors(database.db, ctx, 'all');
  await sweepReviewDue(database.db, ctx);
  demo.groundTruth.cases.push(...deviceTruth.cases());
  if (opts.groundTruthFile) {
    fs.mkdirSync(path.dirname(opts.groundTruthFile), { recursive: true });
    fs.writeFileSync(opts.groundTruthFile, `${JSON.stringify(demo.groundTruth, null, 2)}\n`);
  }
  return stored;
}
