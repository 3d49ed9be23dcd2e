import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DEFAULT_DEMO_PASSWORD } from '../src/config.ts';
import type { LookupRuleParams } from '../src/contracts/lookup-rules.ts';
import { formatScoreTable, scoreLookupDetections, type GroundTruth } from '../src/demo/ground-truth.ts';
import { seedDemo } from '../src/demo/index.ts';
import { seededRandom } from '../src/demo/random.ts';
import { collectLookupDetections } from '../src/demo/lookups.seed.ts';
import * as q from '../src/modules/lookups/detection.queries.ts';
import { currentLookupRuleSet } from '../src/modules/lookups/detection.params.ts';
import { runLookupDetection } from '../src/modules/lookups/detection.service.ts';
import { isSampled } from '../src/modules/lookups/rules/activity-rules.ts';
import { rebuildLookupSummaries } from '../src/modules/lookups/summaries.ts';
import { ingestLookups } from '../src/modules/lookups/intake.service.ts';
import { subjectKeys } from '../src/modules/lookups/subject-crypto.ts';
import { createPeople } from '../src/modules/org/bulk.service.ts';
import { bootstrapContext } from '../src/platform/bootstrap.ts';
import { benchPostgres, fmt } from './ledger-db.ts';

// Issue #6's figures, on PostgreSQL:
// 1. all look-up rules in full over BENCH_LOOKUPS look-ups (default 10,000,000, bulk-loaded with
//    COPY), against one SQL aggregate pass over the same table (count per account per day) in the
//    same run — goal ≤ 2×;
// 2. incremental detection for an arriving batch of 10,000 look-ups through the real intake;
// 3. every rule's recall and precision on the demo's ground truth (BENCH_LOOKUP_DEMO=full|small|none).
// Run small to check it works: BENCH_LOOKUPS=200000 BENCH_LOOKUP_DEMO=small npm run bench -- lookup

const N = Number(process.env.BENCH_LOOKUPS ?? 10_000_000);
const DEMO = (process.env.BENCH_LOOKUP_DEMO ?? 'full') as 'full' | 'small' | 'none';
const DAYS = 90;
const DAY = 86_400_000;
/** about 55 look-ups per person and day, as the demo brigade's busy officers */
const PEOPLE = Math.max(50, Math.min(20_000, Math.round(N / DAYS / 55)));
const VEHICLES = Math.max(10_000, Math.round(N / 5));

const hex = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

/** The synthetic table: people at steady volumes, 1% unjustified, a few looking up the same hot subjects. */
function* copyLines(now: number, badges: Array<{ badge: string; personId: number; unitId: number }>, sample: Pick<LookupRuleParams, 'randomKey' | 'randomOneIn'>): Generator<string> {
  const rnd = seededRandom(12345).next;
  const start = now - DAYS * DAY;
  const types = ['vehicle', 'vehicle', 'vehicle', 'driver', 'violations', 'locationTrack', 'other'];
  const plates = Array.from({ length: 1000 }, (_, i) => hex(`plate:${i}`));
  const ids = Array.from({ length: 1000 }, (_, i) => hex(`id:${i}`));
  const justification = JSON.stringify({ rule: 'L-PURPOSE-BINDING', paramsVersion: 1, justified: true, reason: 'case' });
  const masked = JSON.stringify({ plate: '苏A***00', idNumber: null, name: null });
  for (let i = 1; i <= N; i++) {
    const p = badges[Math.floor(rnd() * badges.length)]!;
    const at = new Date(start + Math.floor(rnd() * DAYS) * DAY + Math.floor(rnd() * 12 * 3_600_000)).toISOString();
    const type = types[Math.floor(rnd() * types.length)]!;
    const driver = type === 'driver';
    const v = Math.floor(rnd() * VEHICLES);
    // subject hashes: a pool of real-looking hashes, varied by the vehicle number
    const plate = driver ? '\\N' : `${plates[v % 1000]!.slice(0, 48)}${v.toString(16).padStart(16, '0')}`;
    const idNo = driver ? `${ids[v % 1000]!.slice(0, 48)}${v.toString(16).padStart(16, '0')}` : '\\N';
    const sex = driver ? (rnd() < 0.5 ? 'F' : 'M') : '\\N';
    const justified = rnd() >= 0.01;
    const drawn = isSampled(`B${i}`, sample);
    yield [
      i,
      `B${i}`,
      at,
      p.badge,
      p.personId,
      p.unitId,
      `CERT-${p.badge}`,
      `TERM-${p.badge}`,
      '10.0.0.1',
      '\\N',
      '\\N',
      type,
      plate,
      idNo,
      '\\N',
      sex,
      'v1.bench',
      masked,
      justified ? 'caseHandling' : '\\N',
      '\\N',
      justified ? `CASE-${v}` : '\\N',
      type === 'locationTrack' ? 1 : '\\N',
      justified ? 't' : 'f',
      justification,
      // L-RANDOM's draw, as intake makes it on arrival (the loader knows the installation's key), and its ratio
      drawn ? 't' : 'f',
      drawn ? sample.randomOneIn : '\\N',
      1,
    ].join('\t') + '\n';
  }
}

export async function loadSyntheticLookups(b: Awaited<ReturnType<typeof benchPostgres>>, url: string, now: number): Promise<void> {
  const ctx = bootstrapContext('bench');
  await seedDemo(b.database, DEFAULT_DEMO_PASSWORD, { enforcement: 'none' });
  const { rows: units } = await sql<{ id: number }>`SELECT id FROM units WHERE kind = 'squadron' ORDER BY id`.execute(b.database.db);
  const people = Array.from({ length: PEOPLE }, (_, i) => ({ name: `测试${i}`, badgeNo: `B${String(i).padStart(6, '0')}`, category: 'police' as const, unitId: units[i % units.length]!.id, position: null, phone: null }));
  const ids = await b.database.db.transaction().execute((trx) => createPeople(trx, ctx, people));
  const badges = people.map((p) => ({ badge: p.badgeNo, personId: ids.get(p.badgeNo)!, unitId: p.unitId }));
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const started = performance.now();
    const columns =
      'id, external_id, at, account, person_id, unit_id, certificate_id, terminal_id, terminal_ip, terminal_unit, terminal_unit_id, query_type, ' +
      'subject_plate_hash, subject_id_hash, subject_name_hash, subject_sex, subject_enc, subject_masked, purpose_category, purpose_text, case_ref, result_count, justified, justification, sampled, sample_one_in, batch_seq';
    const { params } = await currentLookupRuleSet(b.database.db);
    // secondary indexes are built after the load, as a bulk load would (the same definitions)
    const { rows: indexes } = await client.query<{ name: string; def: string }>(
      `SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE tablename = 'lookups' AND indexname NOT IN ('lookups_pkey', 'lookups_external_id_key')`,
    );
    for (const i of indexes) await client.query(`DROP INDEX ${i.name}`);
    await pipeline(Readable.from(copyLines(now, badges, params)), client.query(copyFrom(`COPY lookups (${columns}) FROM STDIN`)));
    for (const i of indexes) await client.query(i.def);
    await client.query(`SELECT setval('lookups_id_seq', ${N})`);
    // the loaded rows are batch 1: the next batch through intake is batch 2
    await client.query(`SELECT setval('lookup_batches_seq', 1)`);
    console.log(`loaded ${fmt(N)} look-ups of ${fmt(PEOPLE)} people by COPY in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    // COPY bypassed intake, which keeps the rules' daily summary per batch: built here in one
    // set-based INSERT … SELECT, as a bulk loader would after its load
    const summarised = await timed(() => rebuildLookupSummaries(b.database.db));
    const { rows: summaryRows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM lookup_account_days`.execute(b.database.db);
    console.log(
      `summaries built after the COPY (one INSERT … SELECT over all ${fmt(N)} look-ups, as a bulk loader would; intake maintains them per batch): ` +
        `${fmt(summarised.ms)} ms, ${fmt(summaryRows[0]!.n)} account-days — NOT counted in the ratio below`,
    );
    // as autovacuum would: statistics, and the visibility map the index-only scans need
    await client.query('VACUUM ANALYZE lookups');
    await client.query('VACUUM ANALYZE lookup_account_days');
  } finally {
    await client.end();
  }
}

/** Where a full run's time goes: each rule's query alone, same windows as the runner's full run. */
async function breakdown(db: Parameters<typeof runLookupDetection>[0], now: number): Promise<void> {
  const { params } = await currentLookupRuleSet(db);
  const all: q.Scope = { all: true, accounts: [], subjectHashes: [], certificates: [] };
  const iso = (t: number) => new Date(t).toISOString();
  const r = { from: iso(now - (DAYS + 1) * DAY), to: iso(now + DAY) };
  const today = Math.floor((now + 8 * 3_600_000) / DAY);
  const judged = { from: today - DAYS, to: today + 1 };
  let counts: q.DailyRow[] = [];
  const parts: Array<[string, () => Promise<unknown>]> = [
    ['daily summary (volume, unknown, skew, candidates)', async () => (counts = (await q.dailyCounts(db, all, judged, judged.from - params.volumeBaselineDays)).days)],
    ['unjustified (candidate days)', () => q.unjustifiedRows(db, counts.filter((c) => c.personId !== null && c.unjustified >= Math.min(params.purposeMinPerDay, params.offDutyMinPerDay)))],
    ['matches', () => q.subjectMatchRows(db, all, r)],
    ['hot', () => q.hotRows(db, all, r, params)],
    ['watch', () => q.watchRows(db, all, r)],
    ['random (last week, drawn on arrival)', () => q.randomRows(db, all, { from: iso(now - 7 * DAY), to: r.to }, params)],
    ['bulk (candidate days)', () => q.bulkRows(db, q.bulkCandidates(counts, params), params)],
    ['shared', async () => q.sharedRows(db, all, r, await q.sharedCandidates(db, judged))],
    ['leaver', () => q.leaverRows(db, all, r, [])],
    ['criminal', () => q.trackSeries(db, all, today, params)],
  ];
  const out: string[] = [];
  for (const [name, fn] of parts) out.push(`${name} ${fmt((await timed(fn)).ms)}`);
  console.log(`per query (ms): ${out.join(' · ')}`);
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

export async function lookupRulesBench(): Promise<void> {
  const name = 'clearlane_bench_lookups';
  const b = await benchPostgres(name);
  const url = (() => {
    const u = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
    u.pathname = `/${name}`;
    return u.toString();
  })();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clearlane-bench-lookups-'));
  const now = Date.now();
  try {
    await loadSyntheticLookups(b, url, now);
    const db = b.database.db;
    const ctx = bootstrapContext('bench');
    // warm the cache once, then time the aggregate and the rules back to back
    await sql`SELECT count(*) FROM lookups`.execute(db);
    // the same Beijing-day expression the rules group by (its group statistics: migrations/0013)
    const aggregate = await timed(() => sql`SELECT account, ${q.DAY_INDEX} AS day, count(*) FROM lookups GROUP BY 1, 2`.execute(db));
    const rules = await timed(() => runLookupDetection(db, ctx, 'all', { now, days: DAYS }));
    console.log(`aggregate pass (count per account per day): ${fmt(aggregate.ms)} ms · all rules in full: ${fmt(rules.ms)} ms (${Object.entries(rules.value.byRule).map(([r, n]) => `${r} ${n}`).join(', ')}; ${rules.value.created} alerts)`);
    console.log(`RATIO all rules / one aggregate pass over ${fmt(N)} look-ups = ${(rules.ms / aggregate.ms).toFixed(2)} (goal ≤ 2)`);
    await breakdown(db, now);

    // an arriving batch of 10,000 through the real intake, then detection for what it touched
    const keys = subjectKeys({ dataDir });
    const { rows: people } = await sql<{ badge_no: string }>`SELECT badge_no FROM personnel WHERE badge_no LIKE 'B%' ORDER BY badge_no LIMIT 500`.execute(db);
    const batch = Array.from({ length: 10_000 }, (_, i) => ({
      externalId: `INC-${i}`,
      at: new Date(now - 3_600_000 + i * 300).toISOString(),
      account: people[i % people.length]!.badge_no,
      certificateId: `CERT-${people[i % people.length]!.badge_no}`,
      terminal: { id: `TERM-${people[i % people.length]!.badge_no}`, ip: '10.0.0.2' },
      queryType: 'vehicle',
      subject: { plate: `苏A${String(10000 + (i % 90000)).padStart(5, '0')}` },
    }));
    const ingest = await timed(() => ingestLookups(db, ctx, keys, batch));
    const incremental = await timed(() => runLookupDetection(db, ctx, ingest.value.touched, { keys, now: Date.now() }));
    console.log(`a batch of 10,000: intake ${fmt(ingest.ms)} ms, then detection for what it touched (${ingest.value.touched.accounts.size} accounts, ${ingest.value.touched.subjectHashes.size} subjects): ${fmt(incremental.ms)} ms`);
    console.log(`RATIO incremental detection / intake of the batch = ${(incremental.ms / ingest.ms).toFixed(2)} (reported; time ${fmt(incremental.ms)} ms)`);
  } finally {
    await b.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }

  if (DEMO === 'none') return;
  const a = await benchPostgres('clearlane_bench_lookup_accuracy');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clearlane-bench-lookup-truth-'));
  try {
    const started = performance.now();
    const s = await seedDemo(a.database, DEFAULT_DEMO_PASSWORD, { enforcement: DEMO, dataDir: dir, groundTruthFile: path.join(dir, 'truth.json') });
    console.log(`demo (${DEMO}) seeded on PostgreSQL: ${fmt(s.lookups ?? 0)} look-ups in ${((performance.now() - started) / 1000).toFixed(1)} s (intake, then the rules in full)`);
    const truth = JSON.parse(fs.readFileSync(path.join(dir, 'truth.json'), 'utf8')) as GroundTruth;
    const scores = scoreLookupDetections(truth.lookups!, await collectLookupDetections(a.database));
    console.log(formatScoreTable(scores));
    const worstRecall = Math.min(...scores.map((x) => x.recall ?? 1));
    const worstPrecision = Math.min(...scores.map((x) => x.precision ?? 1));
    console.log(`RATIO worst recall = ${worstRecall.toFixed(2)} (goal 1.00) · worst precision = ${worstPrecision.toFixed(2)} (goal ≥ 0.90)`);
  } finally {
    await a.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
