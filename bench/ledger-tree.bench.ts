import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../src/platform/db/database.ts';
import type { LedgerTables } from '../src/modules/ledger/ledger.tables.ts';
import { createCheckpoint, ensureTree } from '../src/modules/ledger/checkpoints.service.ts';
import { encodeLeaf, toLedgerEntry } from '../src/modules/ledger/leaf.ts';
import { consistency, inclusion } from '../src/modules/ledger/proofs.service.ts';
import { ledgerKeys } from '../src/modules/ledger/signing-key.ts';
import { PARALLEL_FROM, defaultWorkers, verifyLedger } from '../src/modules/ledger/verify.ts';
import { ENTRY_COLUMNS } from '../src/modules/ledger/tree.repo.ts';
import { benchPGlite, benchPostgres, fmt, rate, type BenchDb } from './ledger-db.ts';
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';

// Issue #3's second and third figures, on one large log:
// - verify rate over 1,000,000 entries against raw SHA-256 of the same leaf bytes (goal ≥ 0.5×);
// - inclusion and consistency proof time at 1,000,000 entries (goal p99 ≤ 5 ms).
// PostgreSQL gets the full million; PGlite (in memory, ~1 GiB at a million) a smaller log.

const keys = ledgerKeys({ LEDGER_ORIGIN: 'clearlane/bench', dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'clearlane-bench-')) });

/** Entries by set-based SQL, then the tree over them by the start-up catch-up, in 10 rounds each ending in a checkpoint. */
async function build(db: Db, n: number): Promise<number> {
  const started = performance.now();
  const round = Math.ceil(n / 10);
  for (let from = 1; from <= n; from += round) {
    const to = Math.min(n, from + round - 1);
    await sql`INSERT INTO ledger_entries (seq, at, actor_account_id, actor_person_id, actor_name, action, subject_type, subject_id, payload, request_id, client_ip)
      SELECT g, timestamptz '2026-01-01T00:00:00Z' + g * interval '1 millisecond', g % 50 + 1, g % 120 + 1, '张伟(010234)', 'org.person.update', 'person', (g % 1000)::text,
             jsonb_build_object('before', jsonb_build_object('unitId', g % 7, 'position', '民警'), 'after', jsonb_build_object('unitId', g % 5, 'position', '副中队长', 'score', g / 3.0)),
             'req-' || g, '10.0.0.' || (g % 250)
      FROM generate_series(${from}::bigint, ${to}::bigint) g`.execute(db);
    await sql`UPDATE ledger_head SET size = ${to}`.execute(db);
    await ensureTree(db);
    await createCheckpoint(db, keys);
  }
  return performance.now() - started;
}

/** The limit: SHA-256(0x00 ‖ leaf) of exactly the leaves verify hashes; only the hashing is timed. */
async function rawHashRate(db: Db, n: number): Promise<{ raw: number; floor: number }> {
  let hashMs = 0;
  const started = performance.now();
  for (let after = 0; after < n; after += 10_000) {
    const { rows } = await sql<LedgerTables['ledger_entries']>`SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE seq > ${after} AND seq <= ${after + 10_000} ORDER BY seq`.execute(db);
    const leaves = rows.map((r) => encodeLeaf(toLedgerEntry(r)));
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
  console.log(`ledger tree (${b.label}): ${fmt(n)} entries built set-based + hashed in ${(buildMs / 1000).toFixed(1)} s (${fmt(rate(n, buildMs))} entries/s)${note}`);

  const report = await verifyLedger(db, { origin: keys.origin, verifierKey: keys.verifierKey() });
  if (!report.ok) throw new Error(`verify failed: ${report.problem!.message}`);
  const verifyRate = rate(n, report.durationMs);
  const { raw, floor } = await rawHashRate(db, n);
  const threads = n >= PARALLEL_FROM ? `${defaultWorkers()} worker thread(s)` : 'no worker threads';
  console.log(`ledger verify (${b.label}, ${fmt(n)} entries, ${report.checkpoints} checkpoints, ${threads}): ${fmt(verifyRate)} entries/s · raw SHA-256 of the same leaves ${fmt(raw)} leaves/s · read+encode+hash floor ${fmt(floor)} entries/s`);
  console.log(`RATIO verify/raw-sha256 (${b.label}) = ${(verifyRate / raw).toFixed(2)} (goal ≥ 0.5) · verify/read+encode+hash floor = ${(verifyRate / floor).toFixed(2)}`);

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
