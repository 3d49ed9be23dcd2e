import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../src/platform/db/database.ts';
import { createCheckpoint } from '../src/modules/ledger/checkpoints.service.ts';
import { record, type LedgerRecord, type RequestContext } from '../src/modules/ledger/ledger.service.ts';
import { bootstrapContext } from '../src/platform/bootstrap.ts';
import { consistency, inclusion } from '../src/modules/ledger/proofs.service.ts';
import { ledgerKeys } from '../src/modules/ledger/signing-key.ts';
import { PARALLEL_FROM, defaultWorkers, verifyLedger } from '../src/modules/ledger/verify.ts';
import { benchPGlite, benchPostgres, fmt, rate, type BenchDb } from './ledger-db.ts';
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';

// Issue #3's second and third figures, on one large log:
// - verify rate over 1,000,000 entries against raw SHA-256 of the same leaf bytes (goal ≥ 0.5×);
// - inclusion and consistency proof time at 1,000,000 entries (goal p99 ≤ 5 ms).
// PostgreSQL gets the full million; PGlite (in memory, ~1 GiB at a million) a smaller log.

const keys = ledgerKeys({ LEDGER_ORIGIN: 'clearlane/bench', dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'clearlane-bench-')) });

const ctx: RequestContext = bootstrapContext('bench');

/**
 * Entries as the application writes them — record() in transactions of 5,000, so every entry has
 * its stored leaf (0012) — in 10 rounds each ending in a checkpoint.
 */
async function build(db: Db, n: number): Promise<number> {
  const started = performance.now();
  const round = Math.ceil(n / 10);
  for (let from = 1; from <= n; from += round) {
    const to = Math.min(n, from + round - 1);
    for (let g = from; g <= to; g += 5000) {
      const records: LedgerRecord[] = [];
      for (let i = g; i <= Math.min(to, g + 4999); i++) {
        records.push({
          action: 'org.person.update',
          subjectType: 'person',
          subjectId: i % 1000,
          payload: { before: { unitId: i % 7, position: '民警' }, after: { unitId: i % 5, position: '副中队长', score: i / 3 } },
        });
      }
      await db.transaction().execute((trx) => record(trx, ctx, ...records));
    }
    await createCheckpoint(db, keys);
  }
  return performance.now() - started;
}

/** The limit: SHA-256(0x00 ‖ leaf) of exactly the stored leaves verify hashes, on this one thread; only the hashing is timed. */
async function rawHashRate(db: Db, n: number): Promise<{ raw: number; floor: number }> {
  let hashMs = 0;
  const started = performance.now();
  for (let after = 0; after < n; after += 10_000) {
    const { rows } = await sql<{ leaf: Uint8Array }>`SELECT leaf FROM ledger_entries WHERE seq > ${after} AND seq <= ${after + 10_000} ORDER BY seq`.execute(db);
    const leaves = rows.map((r) => r.leaf);
    const t = performance.now();
    for (const leaf of leaves) createHash('sha256').update(Buffer.of(0)).update(leaf).digest();
    hashMs += performance.now() - t;
  }
  return { raw: rate(n, hashMs), floor: rate(n, performance.now() - started) };
}

function p99(samples: number[]): number {
  const sorted = samples.slice().sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length * 0.99)]!;
}

async function measure(b: BenchDb, n: number, note: string): Promise<void> {
  const db = b.database.db;
  const buildMs = await build(db, n);
  console.log(`ledger tree (${b.label}): ${fmt(n)} entries appended by record() in ${(buildMs / 1000).toFixed(1)} s (${fmt(rate(n, buildMs))} entries/s)${note}`);

  // The first reader of a million rows written a moment ago also sets every row's hint bits and
  // rewrites every page; a ledger an auditor verifies was mostly written long before, and vacuumed
  // since. So: one run as written (for the record), then vacuum as autovacuum would, then the figure.
  const fresh = await verifyLedger(db, { origin: keys.origin, verifierKey: keys.verifierKey() });
  if (!fresh.ok) throw new Error(`verify failed: ${fresh.problem!.message}`);
  await sql`VACUUM (ANALYZE) ledger_entries, ledger_nodes`.execute(db);
  console.log(`ledger verify (${b.label}) right after the writes, before any vacuum: ${fmt(rate(n, fresh.durationMs))} entries/s (for the record; the figure below is after VACUUM)`);
  const report = await verifyLedger(db, { origin: keys.origin, verifierKey: keys.verifierKey() });
  if (!report.ok) throw new Error(`verify failed: ${report.problem!.message}`);
  const verifyRate = rate(n, report.durationMs);
  const { raw, floor } = await rawHashRate(db, n);
  const threads = n >= PARALLEL_FROM ? `main thread + ${defaultWorkers()} hashing worker thread(s)` : 'main thread only';
  console.log(`ledger verify (${b.label}, ${fmt(n)} entries, ${report.checkpoints} checkpoints, ${threads}, ${os.availableParallelism()} cores shared with the database): ${fmt(verifyRate)} entries/s · raw SHA-256 of the same leaves (1 thread, hashing only, leaves already in memory) ${fmt(raw)} leaves/s · read+hash floor (1 thread, range queries) ${fmt(floor)} entries/s`);
  console.log(`RATIO verify/raw-sha256 (${b.label}) = ${(verifyRate / raw).toFixed(2)} (goal ≥ 0.5; verify: ${threads}; raw: 1 thread) · verify/read+hash floor = ${(verifyRate / floor).toFixed(2)}`);
  const deep = await verifyLedger(db, { origin: keys.origin, verifierKey: keys.verifierKey(), deep: true });
  if (!deep.ok) throw new Error(`deep verify failed: ${deep.problem!.message}`);
  console.log(`ledger verify --deep (${b.label}, also every search hint against its leaf in SQL): ${fmt(rate(n, deep.durationMs))} entries/s (not the goal's figure; for the record)`);

  const samples = { inclusion: [] as number[], consistency: [] as number[] };
  const random = (max: number) => 1 + Math.floor(Math.random() * max);
  for (let i = 0; i < 2200; i++) {
    let t = performance.now();
    await inclusion(db, random(n), n);
    if (i >= 200) samples.inclusion.push(performance.now() - t);
    t = performance.now();
    await consistency(db, random(n), n);
    if (i >= 200) samples.consistency.push(performance.now() - t);
  }
  const [pi, pc] = [p99(samples.inclusion), p99(samples.consistency)];
  console.log(`ledger proofs (${b.label}, tree of ${fmt(n)}): inclusion p99 ${pi.toFixed(2)} ms · consistency p99 ${pc.toFixed(2)} ms (2,000 random each)`);
  console.log(`RATIO proof p99 / 5 ms limit (${b.label}): inclusion ${(pi / 5).toFixed(2)} · consistency ${(pc / 5).toFixed(2)} (goal ≤ 1)`);
}

export async function ledgerTreeBench(): Promise<void> {
  const pgDb = await benchPostgres('clearlane_bench_ledger_tree');
  try {
    await measure(pgDb, Number(process.env.BENCH_LEDGER_SIZE ?? 1_000_000), '');
  } finally {
    await pgDb.drop();
  }
  const liteSize = Number(process.env.BENCH_LEDGER_PGLITE_SIZE ?? 200_000);
  const lite = await benchPGlite();
  try {
    await measure(lite, liteSize, ` — PGlite kept to ${fmt(liteSize)} (a million entries in WebAssembly memory is ~1 GiB)`);
  } finally {
    await lite.drop();
  }
}
