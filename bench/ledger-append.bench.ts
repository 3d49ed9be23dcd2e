import { sql } from 'kysely';
import type { Db } from '../src/platform/db/database.ts';
import { record, type RequestContext } from '../src/modules/ledger/ledger.service.ts';
import { bootstrapContext } from '../src/platform/bootstrap.ts';
import { benchPGlite, benchPostgres, fmt, rate, type BenchDb } from './ledger-db.ts';

// Issue #3's first figure: ledger append throughput, batched (1,000 entries per transaction) and
// single (one per transaction), against plain INSERT of the same rows into an unhashed copy of
// ledger_entries (same columns and indexes, no triggers, no tree) in the same run. Goal on
// PostgreSQL: ≥ 20,000 entries/s batched and ≥ 0.5 × the plain INSERT rate.

const ctx: RequestContext = bootstrapContext('bench');
const rowsOf = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({
    action: 'org.person.update',
    subjectType: 'person',
    subjectId: from + i,
    payload: { before: { unitId: 3, position: '民警' }, after: { unitId: 4, position: '副中队长' }, via: 'bench' },
  }));

/** The plain limit: the same rows, the same multi-row insert, nothing else. */
async function plainInsert(db: Db, from: number, n: number): Promise<void> {
  const rows = rowsOf(from, n);
  const at = new Date().toISOString();
  await db.transaction().execute((trx) =>
    sql`INSERT INTO plain_entries (seq, at, actor_account_id, actor_person_id, actor_name, action, subject_type, subject_id, payload, request_id, client_ip)
      SELECT seq, at::timestamptz, NULL, NULL, ${ctx.principal.name}, action, stype, sid, payload::jsonb, ${ctx.requestId}, ${ctx.clientIp}
      FROM unnest(${rows.map((_, i) => from + i)}::bigint[], ${rows.map(() => at)}::text[], ${rows.map((r) => r.action)}::text[],
                  ${rows.map((r) => r.subjectType)}::text[], ${rows.map((r) => String(r.subjectId))}::text[], ${rows.map((r) => JSON.stringify(r.payload))}::text[])
        AS x(seq, at, action, stype, sid, payload)`.execute(trx),
  );
}

async function timed(fn: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

async function measure(b: BenchDb, batched: number, single: number): Promise<void> {
  const db = b.database.db;
  await sql`CREATE TABLE plain_entries (LIKE ledger_entries INCLUDING ALL)`.execute(db);
  const batch = 1000;
  // Warm-up of both paths (plans, caches), not counted.
  await db.transaction().execute((trx) => record(trx, ctx, ...rowsOf(0, batch)));
  await plainInsert(db, 1, batch);
  let next = batch + 1;
  // Interleaved rounds, so both paths see the same table sizes and machine state.
  let ledgerMs = 0;
  let plainMs = 0;
  for (let done = 0; done < batched; done += batch) {
    ledgerMs += await timed(() => db.transaction().execute((trx) => record(trx, ctx, ...rowsOf(done, batch))).then(() => undefined));
    plainMs += await timed(() => plainInsert(db, next, batch));
    next += batch;
  }
  const [lb, pb] = [rate(batched, ledgerMs), rate(batched, plainMs)];
  let ledgerOne = 0;
  let plainOne = 0;
  for (let i = 0; i < single; i++) {
    ledgerOne += await timed(() => db.transaction().execute((trx) => record(trx, ctx, ...rowsOf(i, 1))).then(() => undefined));
    plainOne += await timed(() => plainInsert(db, next++, 1));
  }
  const [ls, ps] = [rate(single, ledgerOne), rate(single, plainOne)];
  console.log(`ledger append, batched ×1000 (${b.label}, ${fmt(batched)} entries): ${fmt(lb)} entries/s · plain INSERT same rows ${fmt(pb)} rows/s`);
  console.log(`ledger append, single      (${b.label}, ${fmt(single)} entries): ${fmt(ls)} entries/s · plain INSERT same rows ${fmt(ps)} rows/s`);
  const goal = b.label === 'PostgreSQL' ? ` · ${fmt(lb)} / 20,000 goal = ${(lb / 20_000).toFixed(2)} (goal ≥ 1)` : '';
  console.log(`RATIO ledger/plain append (${b.label}): batched ${(lb / pb).toFixed(2)} (goal ≥ 0.5) · single ${(ls / ps).toFixed(2)}${goal}`);
}

export async function ledgerAppendBench(): Promise<void> {
  const pgDb = await benchPostgres('clearlane_bench_ledger_append');
  try {
    await measure(pgDb, Number(process.env.BENCH_LEDGER_APPEND ?? 200_000), 3000);
  } finally {
    await pgDb.drop();
  }
  const lite = await benchPGlite();
  try {
    await measure(lite, Number(process.env.BENCH_LEDGER_APPEND_PGLITE ?? 50_000), 3000);
  } finally {
    await lite.drop();
  }
}
