import crypto from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import { openPGlite, openPostgres, type Database } from '../../platform/db/database.ts';
import { migrate, readMigrations } from '../../platform/db/migrate.ts';
import { urlFor, withAdmin } from '../../../test/pg.ts';
import { record } from './ledger.service.ts';
import { appendMany, ledgerCounts, sampleRecord, tempKeys, testCtx } from './ledger.testing.ts';
import { computeLevels, rootAt } from './merkle.ts';
import { entryLeafHash, toLedgerEntry } from './leaf.ts';
import { joinLeaves, nodeStore, readHead } from './tree.repo.ts';
import { verifyLedger } from './verify.ts';
import { createCheckpoint } from './checkpoints.service.ts';
import type { LedgerTables } from './ledger.tables.ts';

let database: TestDatabase;
const keys = tempKeys();
const verify = (db = database.db) => verifyLedger(db, { origin: keys.origin, verifierKey: keys.verifierKey(), batchSize: 37 });

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

async function allEntries(db = database.db) {
  const { rows } = await sql<LedgerTables['ledger_entries']>`SELECT * FROM ledger_entries ORDER BY seq`.execute(db);
  return rows.map(toLedgerEntry);
}

describe('appending to the Merkle log', () => {
  it('refuses to send a leaf holding the separator the database cuts leaves at', () => {
    expect(joinLeaves(['{"a":1}', '{"b":"\\u001e"}'])).toBe('{"a":1}\u001e{"b":"\\u001e"}');
    expect(() => joinLeaves(['{"a":1}', '{"b":"\u001e"}'])).toThrow(/U\+001E/);
  });

  it('stores every complete subtree, so the stored root is the root of the recomputed leaves', async () => {
    await appendMany(database.db, 150, 7);
    const entries = await allEntries();
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 150 }, (_, i) => i + 1));
    const levels = computeLevels(entries.map(entryLeafHash));
    const counts = await ledgerCounts(database.db);
    // Leaf hashes live on the entry rows; ledger_nodes holds the interior complete subtrees.
    expect(counts).toMatchObject({ entries: 150, size: 150, treeSize: 150, nodes: levels.slice(1).flat().length });
    for (const size of [1, 2, 3, 64, 100, 150]) {
      expect((await rootAt(nodeStore(database.db), size)).equals(await rootAt({ get: async (l, i) => levels[l]![i]! }, size))).toBe(true);
    }
    expect((await verify()).ok).toBe(true);
  });

  it('hashes exactly what the database gives back, for awkward payloads too', async () => {
    const awkward: Array<Record<string, unknown>> = [
      { z: 1, a: { y: [3, 2, 1], b: { d: null, c: true } }, m: [] },
      { text: '中文 ünïcödé 🚓 "quoted" \\ back\nslash\ttab \u2028 \u001f \u001e (the separator of the leaves of an append)', emoji: '👮🏻‍♀️' },
      { floats: [0.1, 0.30000000000000004, -1.5e-7, 1e21, 1.7976931348623157e308, 5e-324, -0], big: Number.MAX_SAFE_INTEGER, neg: -9007199254740991 },
      { empty: {}, emptyArr: [], nested: [[[]], [{}]], nul: null, f: false },
      { 'é': 1, e: 2, E: 3, '': 4, 'e\u0301': 5, '10': 6, '9': 7, a0: 8 },
      { dropped: undefined, date: new Date('2024-02-29T12:00:00.5Z'), nan: Number.NaN } as Record<string, unknown>,
    ];
    const seqs = await database.db.transaction().execute((trx) =>
      record(trx, testCtx, ...awkward.map((payload, i) => ({ action: 'test.awkward', subjectType: 'payload', subjectId: `p${i}`, payload }))),
    );
    const rows = (await allEntries()).filter((e) => seqs.includes(e.seq));
    expect(rows[5]!.payload).toEqual({ date: '2024-02-29T12:00:00.500Z', nan: null });
    expect(rows[2]!.payload).toMatchObject({ big: Number.MAX_SAFE_INTEGER, floats: [0.1, 0.30000000000000004, -1.5e-7, 1e21, 1.7976931348623157e308, 5e-324, 0] });
    const report = await verify();
    expect(report.problem).toBeNull();
    expect(report.entries).toBe(156);
  });

  it('keeps at to the millisecond, as the leaf encodes it', async () => {
    const [entry] = (await allEntries()).slice(-1);
    expect(entry!.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('leaves no entry, node or head change when the change rolls back, and the next append takes the same seq', async () => {
    const before = await ledgerCounts(database.db);
    await expect(
      database.db.transaction().execute(async (trx) => {
        await record(trx, testCtx, sampleRecord(1), sampleRecord(2));
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await ledgerCounts(database.db)).toEqual(before);
    const [seq] = await database.db.transaction().execute((trx) => record(trx, testCtx, sampleRecord(3)));
    expect(seq).toBe(before.size + 1);
    expect((await verify()).ok).toBe(true);
  });

  it('refuses to run outside a transaction', async () => {
    await expect(record(database.db as never, testCtx, sampleRecord(1))).rejects.toThrow(/inside the transaction/);
  });
});

describe('append-only by trigger', () => {
  const refused = async (statement: string) => {
    await expect(sql.raw(statement).execute(database.db)).rejects.toThrow(/append-only|refused|only grow|does not match/);
  };

  it('refuses UPDATE, DELETE and TRUNCATE on entries, nodes and checkpoints', async () => {
    await createCheckpoint(database.db, keys);
    for (const t of ['ledger_entries', 'ledger_nodes', 'ledger_checkpoints']) {
      await refused(`DELETE FROM ${t}`);
      await refused(`TRUNCATE ${t} CASCADE`);
    }
    await refused(`UPDATE ledger_entries SET payload = '{}' WHERE seq = 1`);
    await refused(`UPDATE ledger_nodes SET hash = hash WHERE level = 1 AND idx = 0`);
    await refused(`UPDATE ledger_checkpoints SET note = note`);
  });

  it('lets the head only move forward', async () => {
    await refused('DELETE FROM ledger_head');
    await refused('TRUNCATE ledger_head');
    await refused('UPDATE ledger_head SET size = size - 1, tree_size = tree_size - 1');
    await refused(`UPDATE ledger_head SET frontier = '\\x00'::bytea`);
  });

  it('refuses a checkpoint that does not extend the latest', async () => {
    await expect(sql`INSERT INTO ledger_checkpoints (size, root, note) VALUES (1, ${Buffer.alloc(32)}, 'x')`.execute(database.db)).rejects.toThrow(/does not extend/);
  });
});

// A database created before migration 0003 has entries but no tree; the first appender hashes them.
describe('databases from before the tree', () => {
  async function freshDatabase(): Promise<{ db: Database; drop(): Promise<void> }> {
    if (inject('testDb') === 'pglite') {
      const db = await openPGlite();
      return { db, drop: () => db.close() };
    }
    const name = `clearlane_t_${crypto.randomBytes(6).toString('hex')}`;
    await withAdmin((c) => c.query(`CREATE DATABASE ${name}`));
    const db = await openPostgres(urlFor(name), 2);
    return { db, drop: async () => { await db.close(); await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)); } };
  }

  it('backfills leaf hashes and nodes on the first append, then verifies', async () => {
    const fresh = await freshDatabase();
    try {
      const all = readMigrations();
      await migrate(fresh.db, all.filter((m) => m.version <= 2));
      // 0002's record(): entries and a head size, nothing else.
      await sql`INSERT INTO ledger_entries (seq, at, actor_account_id, actor_person_id, actor_name, action, subject_type, subject_id, payload, request_id, client_ip)
        SELECT g, timestamptz '2025-01-01T00:00:00Z' + g * interval '1 second', NULL, NULL, '系统', 'legacy.change', 'thing', g::text,
               jsonb_build_object('after', jsonb_build_object('n', g, 'x', 1.5)), 'req', '127.0.0.1'
        FROM generate_series(1, 12000) g`.execute(fresh.db.db);
      await sql`UPDATE ledger_head SET size = 12000`.execute(fresh.db.db);
      await migrate(fresh.db, all);
      expect(await readHead(fresh.db.db)).toMatchObject({ size: 12000, treeSize: 0 });
      const [seq] = await fresh.db.db.transaction().execute((trx) => record(trx, testCtx, sampleRecord(1)));
      expect(seq).toBe(12001);
      expect(await readHead(fresh.db.db)).toMatchObject({ size: 12001, treeSize: 12001 });
      const report = await verifyLedger(fresh.db.db, { origin: keys.origin, verifierKey: keys.verifierKey(), batchSize: 5000 });
      expect(report.problem).toBeNull();
      expect(report.entries).toBe(12001);
    } finally {
      await fresh.drop();
    }
  });
});

// The figure is 8 × 500 on PostgreSQL; PGlite (one serialized connection) runs the same
// race at 8 × 100 to keep the suite quick.
const PER_WRITER = inject('testDb') === 'postgres' ? 500 : 100;

describe('concurrent writers', () => {
  it(`8 writers × ${PER_WRITER} changes give a contiguous sequence that verifies`, async () => {
    const before = (await ledgerCounts(database.db)).size;
    await Promise.all(
      Array.from({ length: 8 }, async (_, w) => {
        for (let i = 0; i < PER_WRITER; i++) {
          await database.db.transaction().execute((trx) => record(trx, { ...testCtx, requestId: `w${w}-${i}` }, sampleRecord(w * 1000 + i)));
        }
      }),
    );
    const total = 8 * PER_WRITER;
    const { rows } = await sql<{ n: number; lo: number; hi: number }>`SELECT count(*)::int AS n, min(seq) AS lo, max(seq) AS hi FROM ledger_entries WHERE seq > ${before}`.execute(database.db);
    expect(rows[0]).toEqual({ n: total, lo: before + 1, hi: before + total });
    const report = await verify();
    expect(report.problem).toBeNull();
    expect(report.entries).toBe(before + total);
  });
});
