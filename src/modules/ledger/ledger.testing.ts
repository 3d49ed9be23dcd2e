// Helpers for the ledger's own tests: a throw-away signing key, bulk appends, and the superuser
// moves of an attacker who disables the append-only triggers.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import { bootstrapContext } from '../../platform/bootstrap.ts';
import { record, type LedgerRecord } from './ledger.service.ts';
import { ledgerKeys, type LedgerKeys } from './signing-key.ts';

export const TEST_ORIGIN = 'clearlane/test-ledger';

/** Keys in a fresh temporary directory, so no test ever touches a real DATA_DIR key. */
export function tempKeys(origin = TEST_ORIGIN): LedgerKeys & { dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clearlane-ledger-'));
  return { ...ledgerKeys({ LEDGER_ORIGIN: origin, dataDir: dir }), dir };
}

export const testCtx = bootstrapContext('ledger-test');

export function sampleRecord(i: number): LedgerRecord {
  return { action: 'test.change', subjectType: 'thing', subjectId: i, payload: { before: { n: i - 1 }, after: { n: i, note: `第${i}次` } } };
}

/** Appends `count` entries, `perTransaction` at a time. */
export async function appendMany(db: Db, count: number, perTransaction = 100, from = 1): Promise<void> {
  for (let done = 0; done < count; done += perTransaction) {
    const n = Math.min(perTransaction, count - done);
    await db.transaction().execute((trx) => record(trx, testCtx, ...Array.from({ length: n }, (_, i) => sampleRecord(from + done + i))));
  }
}

const LEDGER_TABLES = ['ledger_entries', 'ledger_nodes', 'ledger_checkpoints', 'ledger_head'] as const;

/** Runs `fn` with every ledger trigger disabled, as a superuser could, then re-enables them. */
export async function asAttacker(db: Db, fn: (db: Db) => Promise<unknown>): Promise<void> {
  for (const t of LEDGER_TABLES) await sql.raw(`ALTER TABLE ${t} DISABLE TRIGGER ALL`).execute(db);
  try {
    await fn(db);
  } finally {
    for (const t of LEDGER_TABLES) await sql.raw(`ALTER TABLE ${t} ENABLE TRIGGER ALL`).execute(db);
  }
}

export async function ledgerCounts(db: Db): Promise<{ entries: number; nodes: number; size: number; treeSize: number }> {
  const { rows } = await sql<{ entries: number; nodes: number; size: number; tree_size: number }>`
    SELECT (SELECT count(*)::int FROM ledger_entries) AS entries, (SELECT count(*)::int FROM ledger_nodes) AS nodes, size, tree_size
    FROM ledger_head WHERE id = 1`.execute(db);
  const r = rows[0]!;
  return { entries: r.entries, nodes: r.nodes, size: Number(r.size), treeSize: Number(r.tree_size) };
}
