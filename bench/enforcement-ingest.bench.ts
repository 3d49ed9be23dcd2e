import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { sql } from 'kysely';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { DEFAULT_DEMO_PASSWORD } from '../src/config.ts';
import { seedDemo } from '../src/demo/index.ts';
import { startOfBeijingDay } from '../src/demo/beijing-time.ts';
import { registerDemoDevices } from '../src/demo/devices.demo.ts';
import { demoEnforcementPeople, generateEnforcementDemo, type IntakeRow } from '../src/demo/enforcement.demo.ts';
import { ingestBatch } from '../src/modules/enforcement/intake.service.ts';
import { bootstrapContext } from '../src/platform/bootstrap.ts';
import { benchPGlite, benchPostgres, fmt, rate, type BenchDb } from './ledger-db.ts';

// Issue #4's first figure: rule-checked ingest of camera records through the batch path (zod
// validation, one history query per batch, the rules, one INSERT per batch, the batch's ledger
// entry) against COPY of the same stored rows into a table of the same layout (LIKE … INCLUDING
// ALL: same columns, defaults, checks and indexes) in the same run. Goal ≥ 0.6× on both.

const BATCH = 10_000;
const SENDERS = Number(process.env.BENCH_INGEST_SENDERS ?? 2);
const SEED = 20261126;

/**
 * Camera rows of the demo generator (realistic plates, devices, repeats), N of them, in batches,
 * each batch as the JSON text a sender would post. Kept as text, not as a million live objects: a
 * server holds only the batches in flight, and a heap of every input row would make each garbage
 * collection of the run trace them all (most of the run's time at 1,000,000 rows). The sender
 * parses its batch inside the timed run, as the HTTP intake parses its request body.
 */
function* cameraBatches(n: number): Generator<string> {
  for (const batch of cameraRowBatches(n)) yield JSON.stringify(batch);
}

function* cameraRowBatches(n: number): Generator<IntakeRow[]> {
  const demo = generateEnforcementDemo({ seed: SEED, cameraRecords: n, onSiteRecords: 300, people: demoEnforcementPeople(SEED), days: 90 });
  let batch: IntakeRow[] = [];
  let sent = 0;
  for (const row of demo.rows()) {
    if (row.kind !== 'camera') continue;
    batch.push(row);
    if (++sent >= n) break;
    if (batch.length === BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/**
 * Sends the batches as CONCURRENT senders would (a source system pushing, the console importing):
 * validation of one batch overlaps with the database work of another; the intake's lock keeps the
 * decisions serial. Wall-clock time from the first batch to the last answer.
 */
async function ingest(b: BenchDb, n: number, concurrency: number): Promise<{ rows: number; ms: number }> {
  const ctx = bootstrapContext('bench');
  const batches = [...cameraBatches(n)];
  let rows = 0;
  let next = 0;
  const started = performance.now();
  const sender = async () => {
    while (next < batches.length) {
      const batch = JSON.parse(batches[next++]!) as IntakeRow[];
      const s = await ingestBatch(b.database.db, ctx, batch, { skipDetectors: true });
      rows += s.created;
      if (s.rejected > 0) throw new Error(`bench rows rejected: ${JSON.stringify(s.results.find((r) => 'errors' in r))}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, sender));
  return { rows, ms: performance.now() - started };
}

async function copyPostgres(url: string): Promise<{ rows: number; ms: number }> {
  const file = path.join(os.tmpdir(), `clearlane-bench-records-${process.pid}.copy`);
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('CREATE TABLE copy_records (LIKE enforcement_records INCLUDING ALL)');
    await pipeline(c.query(copyTo('COPY enforcement_records TO STDOUT')), fs.createWriteStream(file));
    await c.query('CHECKPOINT');
    const started = performance.now();
    await pipeline(fs.createReadStream(file, { highWaterMark: 1 << 20 }), c.query(copyFrom('COPY copy_records FROM STDIN')));
    const ms = performance.now() - started;
    const { rows } = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM copy_records');
    return { rows: rows[0]!.n, ms };
  } finally {
    await c.end();
    fs.rmSync(file, { force: true });
  }
}

async function copyPGlite(b: BenchDb): Promise<{ rows: number; ms: number }> {
  const database = b.database;
  await sql`CREATE TABLE copy_records (LIKE enforcement_records INCLUDING ALL)`.execute(database.db);
  const blob = await database.copyOut!(`COPY enforcement_records TO '/dev/blob'`);
  const started = performance.now();
  await database.copyIn!(`COPY copy_records FROM '/dev/blob'`, blob);
  const ms = performance.now() - started;
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM copy_records`.execute(database.db);
  return { rows: rows[0]!.n, ms };
}

async function prepare(b: BenchDb): Promise<void> {
  // The demo brigade's organisation and reference data, no records.
  await seedDemo(b.database, DEFAULT_DEMO_PASSWORD, { enforcement: 'none' });
  // the demo cameras' registry, as a brigade has it: without it every capture is held (R-DEVICE-LAWFUL)
  await registerDemoDevices(b.database.db, bootstrapContext('bench'), startOfBeijingDay(Date.now()), 90);
}

function report(label: string, ing: { rows: number; ms: number }, copy: { rows: number; ms: number }) {
  const [ir, cr] = [rate(ing.rows, ing.ms), rate(copy.rows, copy.ms)];
  console.log(`rule-checked ingest (${label}, ${fmt(ing.rows)} camera records, batches of ${fmt(BATCH)}, ${SENDERS} senders): ${fmt(ir)} records/s in ${(ing.ms / 1000).toFixed(1)} s`);
  console.log(`COPY of the same rows into the same layout (${label}): ${fmt(cr)} rows/s in ${(copy.ms / 1000).toFixed(1)} s`);
  console.log(`RATIO ingest/COPY (${label}) = ${(ir / cr).toFixed(2)} (goal ≥ 0.6)`);
}

export async function enforcementIngestBench(): Promise<void> {
  const pgRows = Number(process.env.BENCH_INGEST_ROWS ?? 1_000_000);
  const pgDb = await benchPostgres('clearlane_bench_ingest');
  try {
    await prepare(pgDb);
    // Each timed section starts from a checkpoint: otherwise whichever runs second pays for the
    // first one's WAL (a million rows is about the server's max_wal_size), and the ratio swung
    // 0.52–0.68 between runs with the same code.
    await sql`CHECKPOINT`.execute(pgDb.database.db);
    const ing = await ingest(pgDb, pgRows, SENDERS);
    const u = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
    u.pathname = '/clearlane_bench_ingest';
    report('PostgreSQL', ing, await copyPostgres(u.toString()));
  } finally {
    await pgDb.drop();
  }
  // PGlite keeps its whole database in this process's memory; a million rows with their
  // indexes and the COPY blob would need several GiB, so it measures a fifth of that by default.
  const liteRows = Number(process.env.BENCH_INGEST_ROWS_PGLITE ?? 200_000);
  const lite = await benchPGlite();
  try {
    await prepare(lite);
    const ing = await ingest(lite, liteRows, SENDERS);
    report('PGlite', ing, await copyPGlite(lite));
  } finally {
    await lite.drop();
  }
}
