// The tampering matrix: what a superuser can do with the append-only triggers disabled, and the
// verifier catching each, naming the first entry that does not match.
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import type { Db } from '../../platform/db/database.ts';
import { createCheckpoint, ensureTree } from './checkpoints.service.ts';
import { appendMany, asAttacker, sampleRecord, tempKeys, testCtx } from './ledger.testing.ts';
import { record } from './ledger.service.ts';
import { signCheckpoint, formatCheckpoint, parseCheckpoint } from './note.ts';
import type { LedgerKeys } from './signing-key.ts';
import { verifyLedger, type VerifyReport } from './verify.ts';
import { entryWithLeaf } from './proofs.service.ts';
import { listEntries } from './ledger.query.ts';
import { ledgerQuery } from '../../contracts/ledger.ts';
import { UnreadableLeafError, encodeLeaf } from './leaf.ts';

let database: TestDatabase;
let db: Db;
const keys = tempKeys();
/** A checkpoint the discipline office copied from the public endpoint before anything happened. */
let outsideNote: string;

const verify = (opts: { outside?: string; outsideKey?: string; keys?: LedgerKeys } = {}): Promise<VerifyReport> =>
  verifyLedger(db, {
    origin: keys.origin,
    verifierKey: (opts.keys ?? keys).verifierKey(),
    outsideCheckpoint: opts.outside,
    outsideKey: opts.outsideKey,
    batchSize: 64,
  });

async function wipe() {
  await asAttacker(db, async () => {
    await sql`TRUNCATE ledger_entries, ledger_nodes, ledger_checkpoints`.execute(db);
    await sql`UPDATE ledger_head SET size = 0, tree_size = 0, frontier = '\\x'::bytea`.execute(db);
  });
}

/** 300 entries, checkpoints at 100 and 250, then 50 more not yet checkpointed; `skip` leaves one out. */
async function buildLog(k: LedgerKeys = keys, skip?: number) {
  for (const [from, to] of [[1, 100], [101, 250], [251, 300]] as const) {
    for (let i = from; i <= to; i += 10) {
      const batch = Array.from({ length: Math.min(10, to - i + 1) }, (_, j) => i + j).filter((n) => n !== skip);
      await db.transaction().execute((trx) => record(trx, testCtx, ...batch.map(sampleRecord)));
    }
    if (to < 300) await createCheckpoint(db, k);
  }
}

/** Rewrites entry `seq`'s leaf — the record — as an attacker would: `from` becomes `to` in its text. */
const rewriteLeaf = (seq: number, from = `"after":{"n":${seq},`, to = '"after":{"n":0,') =>
  asAttacker(db, () => sql`UPDATE ledger_entries SET leaf = convert_to(replace(convert_from(leaf, 'UTF8'), ${from}, ${to}), 'UTF8') WHERE seq = ${seq}`.execute(db));

/** Rehashes the whole tree from the rows as they are now, as an attacker with the code could. */
async function rehashEverything() {
  await asAttacker(db, async () => {
    await sql`TRUNCATE ledger_nodes`.execute(db);
    await sql`UPDATE ledger_entries SET leaf_hash = NULL`.execute(db);
    await sql`UPDATE ledger_head SET tree_size = 0, frontier = '\\x'::bytea`.execute(db);
  });
  await ensureTree(db);
}

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
});
afterAll(() => database.drop());
beforeEach(async () => {
  await wipe();
  await buildLog();
  const latest = await sql<{ note: string }>`SELECT note FROM ledger_checkpoints ORDER BY size DESC LIMIT 1`.execute(db);
  outsideNote = latest.rows[0]!.note;
});

const problem = (r: VerifyReport) => ({ kind: r.problem?.kind, seq: r.problem?.seq });

describe('verify', () => {
  it('passes an untouched log, every checkpoint checked, and proves it extends the outside checkpoint', async () => {
    const r = await verify({ outside: outsideNote });
    expect(r).toMatchObject({ ok: true, entries: 300, checkpoints: 2, problem: null, outsideSize: 250 });
  });

  it('reports progress batch by batch', async () => {
    const seen: number[] = [];
    await verifyLedger(db, { origin: keys.origin, verifierKey: keys.verifierKey(), batchSize: 100, onProgress: (done) => seen.push(done) });
    expect(seen).toEqual([100, 200, 300]);
  });
});

describe('the leaf is the record, the other columns are search hints (0012)', () => {
  const deep = () => verifyLedger(db, { origin: keys.origin, verifierKey: keys.verifierKey(), batchSize: 64, deep: true });
  const shown = async (seq: number) => (await listEntries(db, ledgerQuery.parse({ page: 1, pageSize: 500 }))).items.find((e) => e.seq === seq);

  it('stores no payload beside the leaf, and the leaf is exactly the entry shown', async () => {
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ledger_entries WHERE payload IS NOT NULL OR leaf IS NULL`.execute(db);
    expect(rows[0]!.n).toBe(0);
    const { entry, leaf } = await entryWithLeaf(db, 42);
    expect(entry).toMatchObject({ seq: 42, subjectId: '42', payload: sampleRecord(42).payload });
    expect(encodeLeaf(entry).equals(leaf)).toBe(true);
    expect(await shown(42)).toEqual(entry);
    expect(await deep()).toMatchObject({ ok: true, entries: 300 });
  });

  it.each([
    ['subject_id', sql`subject_id = 'hidden'`],
    ['subject_type', sql`subject_type = 'x'`],
    ['action', sql`action = 'x'`],
    ['actor_name', sql`actor_name = '无名'`],
    ['actor_account_id', sql`actor_account_id = 77`],
    ['request_id', sql`request_id = 'x'`],
    ['client_ip', sql`client_ip = '6.6.6.6'`],
    ['at (a millisecond)', sql`at = at + interval '1 millisecond'`],
    ['at (a microsecond)', sql`at = at + interval '1 microsecond'`],
    ['payload (set beside the leaf)', sql`payload = '{"after":{"n":0}}'`],
  ])('a lying %s hint is never shown, passes default verify, and is caught by deep verify', async (_name, change) => {
    const before = (await entryWithLeaf(db, 42)).entry;
    await asAttacker(db, () => sql`UPDATE ledger_entries SET ${change} WHERE seq = 42`.execute(db));
    expect((await entryWithLeaf(db, 42)).entry).toEqual(before);
    expect(await shown(42)).toEqual(before);
    const { rows } = await sql<{ subject_id: string; payload: unknown; at: Date }>`SELECT subject_id, payload, at FROM ledger_entry_view WHERE seq = 42`.execute(db);
    expect(rows[0]).toEqual({ subject_id: '42', payload: before.payload, at: new Date(before.at) });
    expect(await verify()).toMatchObject({ ok: true, entries: 300 });
    const r = await deep();
    expect(problem(r)).toEqual({ kind: 'leaf', seq: 42 });
    expect(r.problem!.message).toContain('检索字段');
  });

  it('a lone surrogate (JSON can carry one) is written alike in the leaf and its hint, so deep verify passes', async () => {
    const ctx = { ...testCtx, principal: { ...testCtx.principal, name: '张\ud800三' } };
    const [seq] = await db.transaction().execute((trx) => record(trx, ctx, { action: 'test.change', subjectType: 'thing', subjectId: 'x\udc00', payload: { note: '\ud83d' } }));
    const { entry } = await entryWithLeaf(db, seq!);
    expect(entry).toMatchObject({ actorName: '张\ufffd三', subjectId: 'x\ufffd', payload: { note: '\ud83d' } });
    expect(await deep()).toMatchObject({ ok: true, entries: 301 });
  });

  it('a lying hint can hide an entry from a filter (what deep verify is for), never change it', async () => {
    expect((await listEntries(db, ledgerQuery.parse({ page: 1, pageSize: 10, subjectId: '42' }))).total).toBe(1);
    await asAttacker(db, () => sql`UPDATE ledger_entries SET subject_id = 'hidden' WHERE seq = 42`.execute(db));
    expect((await listEntries(db, ledgerQuery.parse({ page: 1, pageSize: 10, subjectId: '42' }))).total).toBe(0);
    expect((await listEntries(db, ledgerQuery.parse({ page: 1, pageSize: 10, subjectId: 'hidden' }))).items.map((e) => e.subjectId)).toEqual(['42']);
  });

  it('a tampered leaf is caught by default verify, and one that is not an entry is not shown at all', async () => {
    await rewriteLeaf(8);
    expect(problem(await verify())).toEqual({ kind: 'leaf', seq: 8 });
    await asAttacker(db, () => sql`UPDATE ledger_entries SET leaf = '\xff00'::bytea WHERE seq = 7`.execute(db));
    expect(problem(await verify())).toEqual({ kind: 'leaf', seq: 7 });
    await expect(entryWithLeaf(db, 7)).rejects.toThrow(UnreadableLeafError);
    expect(problem(await deep())).toEqual({ kind: 'leaf', seq: 7 });
  });

  it('a leaf moved to another entry’s place is named where it lies', async () => {
    await asAttacker(db, async () => {
      await sql`ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_pkey`.execute(db);
      await sql`UPDATE ledger_entries SET leaf = (SELECT leaf FROM ledger_entries WHERE seq = 70), leaf_hash = (SELECT leaf_hash FROM ledger_entries WHERE seq = 70) WHERE seq = 69`.execute(db);
    });
    try {
      const r = await verify();
      expect(problem(r)).toEqual({ kind: 'leaf', seq: 69 });
      expect(r.problem!.message).toContain('移动');
      await expect(entryWithLeaf(db, 69)).rejects.toThrow(UnreadableLeafError);
    } finally {
      await asAttacker(db, () => sql`ALTER TABLE ledger_entries ADD PRIMARY KEY (seq)`.execute(db));
    }
  });

  it('entries without a leaf (written before 0012) are shown and verified from their columns, mixed with entries with one', async () => {
    // What 0003–0011 wrote: the columns, payload included, and no leaf.
    await asAttacker(db, () => sql`UPDATE ledger_entries SET payload = convert_from(leaf, 'UTF8')::jsonb -> 'payload', leaf = NULL WHERE seq <= 120 OR seq % 7 = 0`.execute(db));
    expect(await verify()).toMatchObject({ ok: true, entries: 300 });
    expect(await verifyLedger(db, { origin: keys.origin, verifierKey: keys.verifierKey(), batchSize: 64, workers: 1, deep: true })).toMatchObject({ ok: true, entries: 300 });
    const { entry, leaf } = await entryWithLeaf(db, 3);
    expect(entry).toMatchObject({ seq: 3, subjectId: '3', payload: sampleRecord(3).payload });
    expect(encodeLeaf(entry).equals(leaf)).toBe(true);
    // Their columns are their record: a changed column there is a changed entry, by default.
    await asAttacker(db, () => sql`UPDATE ledger_entries SET at = at + interval '1 microsecond' WHERE seq = 99`.execute(db));
    expect(problem(await verify())).toEqual({ kind: 'leaf', seq: 99 });
    await asAttacker(db, () => sql`UPDATE ledger_entries SET payload = '{"after":{"n":0}}' WHERE seq = 98`.execute(db));
    expect(problem(await verify())).toEqual({ kind: 'leaf', seq: 98 });
    await rewriteLeaf(250);
    await asAttacker(db, () => sql`UPDATE ledger_entries SET payload = NULL, leaf = NULL WHERE seq < 120`.execute(db));
    expect(problem(await verifyLedger(db, { origin: keys.origin, verifierKey: keys.verifierKey(), batchSize: 64, workers: 1 }))).toEqual({ kind: 'leaf', seq: 1 });
  });
});

describe('tampering with the triggers disabled', () => {
  it('one payload changed (in the leaf, the record)', async () => {
    await rewriteLeaf(137);
    expect(problem(await verify())).toEqual({ kind: 'leaf', seq: 137 });
  });

  it('one payload changed and the whole tree rehashed to match: the signed checkpoint catches it', async () => {
    await rewriteLeaf(137, '"actorName":"', '"actorName":"无名');
    await rehashEverything();
    const r = await verify();
    expect(problem(r)).toEqual({ kind: 'checkpoint', seq: 101 });
    expect(r.problem!.message).toContain('101–250');
  });

  it('a time changed in the leaf', async () => {
    await rewriteLeaf(5, '"at":"2', '"at":"1');
    expect(problem(await verify())).toEqual({ kind: 'leaf', seq: 5 });
  });

  it('one entry deleted', async () => {
    await asAttacker(db, () => sql`DELETE FROM ledger_entries WHERE seq = 42`.execute(db));
    expect(problem(await verify())).toEqual({ kind: 'gap', seq: 42 });
  });

  it('the tail deleted', async () => {
    await asAttacker(db, () => sql`DELETE FROM ledger_entries WHERE seq > 280`.execute(db));
    expect(problem(await verify())).toEqual({ kind: 'truncated', seq: 281 });
  });

  it('the tail deleted with its hashes and the head rewound: the checkpoint still covers it', async () => {
    await asAttacker(db, async () => {
      await sql`DELETE FROM ledger_entries WHERE seq > 240`.execute(db);
      await sql`UPDATE ledger_head SET size = 240`.execute(db);
    });
    await rehashEverything();
    expect(problem(await verify())).toEqual({ kind: 'truncated', seq: 241 });
  });

  it('an entry inserted in the middle, the rest renumbered', async () => {
    await asAttacker(db, async () => {
      await sql`UPDATE ledger_entries SET seq = -seq WHERE seq >= 120`.execute(db);
      await sql`UPDATE ledger_entries SET seq = -seq + 1 WHERE seq < 0`.execute(db);
      await sql`INSERT INTO ledger_entries (seq, at, actor_name, action, subject_type, subject_id, payload, request_id, client_ip)
        VALUES (120, now(), '张三', 'org.person.update', 'person', '7', '{}', 'forged', '10.0.0.1')`.execute(db);
    });
    expect(problem(await verify())).toEqual({ kind: 'leaf', seq: 120 });
  });

  it('an entry appended behind the ledger’s back', async () => {
    await asAttacker(db, () =>
      sql`INSERT INTO ledger_entries (seq, at, actor_name, action, subject_type, subject_id, payload, request_id, client_ip)
        VALUES (301, now(), '张三', 'org.person.update', 'person', '7', '{}', 'forged', '10.0.0.1')`.execute(db),
    );
    expect(problem(await verify())).toEqual({ kind: 'leaf', seq: 301 });
  });

  it('two entries swapped', async () => {
    await asAttacker(db, async () => {
      await sql`UPDATE ledger_entries SET seq = -1 WHERE seq = 50`.execute(db);
      await sql`UPDATE ledger_entries SET seq = 50 WHERE seq = 60`.execute(db);
      await sql`UPDATE ledger_entries SET seq = 60 WHERE seq = -1`.execute(db);
    });
    expect(problem(await verify())).toEqual({ kind: 'leaf', seq: 50 });
  });

  it('an interior tree node changed', async () => {
    await asAttacker(db, () => sql`UPDATE ledger_nodes SET hash = sha256(hash) WHERE level = 3 AND idx = 4`.execute(db));
    expect(problem(await verify())).toEqual({ kind: 'node', seq: 33 });
  });

  it('the head’s frontier changed', async () => {
    await asAttacker(db, () => sql`UPDATE ledger_head SET frontier = sha256(substr(frontier, 1, 32)) || substr(frontier, 33)`.execute(db));
    expect(problem(await verify())).toMatchObject({ kind: 'head' });
  });

  it('a checkpoint replaced by one signed with another key', async () => {
    const other = tempKeys();
    const forged = signCheckpoint(formatCheckpoint(parseCheckpoint(outsideNote)), other.signingKey());
    await asAttacker(db, () => sql`UPDATE ledger_checkpoints SET note = ${forged} WHERE size = 250`.execute(db));
    expect(problem(await verify())).toEqual({ kind: 'signature', seq: null });
  });

  it('the whole log rebuilt from scratch with a new key: only the checkpoint kept outside catches it', async () => {
    const oldKey = keys.verifierKey();
    const newKeys = tempKeys();
    await wipe();
    await buildLog(newKeys, 137);
    // Internally consistent: every leaf, node and checkpoint matches, under the new key.
    expect(await verify({ keys: newKeys })).toMatchObject({ ok: true, entries: 299, checkpoints: 2 });
    // The outside copy was signed by the old key: it does not verify under the new one…
    const byNewKey = await verify({ keys: newKeys, outside: outsideNote });
    expect(byNewKey.problem?.kind).toBe('outside');
    // …and checked against the old key its root is not the rebuilt log's.
    const byOldKey = await verify({ keys: newKeys, outside: outsideNote, outsideKey: oldKey });
    expect(byOldKey.problem).toMatchObject({ kind: 'outside' });
    expect(byOldKey.problem!.message).toMatch(/改写或重建/);
  });

  it('a log shorter than the outside checkpoint', async () => {
    await wipe();
    await appendMany(db, 200, 50);
    const r = await verify({ outside: outsideNote });
    expect(problem(r)).toEqual({ kind: 'outside', seq: 201 });
  });
});

describe('checkpoints refuse to sign a rewritten log', () => {
  it('after a consistent rehash of changed history', async () => {
    await rewriteLeaf(10, '"action":"test.change"', '"action":"nothing"');
    await rehashEverything();
    await expect(createCheckpoint(db, keys)).rejects.toThrow(/不一致/);
  });

  it('when stored nodes disagree with the head', async () => {
    await asAttacker(db, () => sql`UPDATE ledger_nodes SET hash = sha256(hash) WHERE level = 2 AND idx = 74`.execute(db));
    await expect(createCheckpoint(db, keys)).rejects.toThrow(/不一致/);
  });
});

describe('verifying in parallel (worker threads, batches of 64: ranges 1–64, 65–128, …, 257–300)', () => {
  const parallel = (opts: { outside?: string } = {}) =>
    verifyLedger(db, { origin: keys.origin, verifierKey: keys.verifierKey(), outsideCheckpoint: opts.outside, batchSize: 64, workers: 2 });

  it('agrees with the single-threaded run on an untouched log', async () => {
    const [one, many] = [await verify({ outside: outsideNote }), await parallel({ outside: outsideNote })];
    expect(many).toMatchObject({ ok: true, entries: 300, checkpoints: 2, problem: null, outsideSize: 250 });
    expect(many.rootHash.equals(one.rootHash)).toBe(true);
  });

  it.each([1, 64, 65, 100, 101, 128, 129, 250, 251, 300])('catches a payload changed at %i, whichever range it is in', async (seq) => {
    await rewriteLeaf(seq);
    const r = await parallel();
    expect(problem(r)).toEqual({ kind: 'leaf', seq });
    expect(r.entries).toBe(seq - 1);
  });

  it('names the first of two tampered ranges, even when a later range finishes first', async () => {
    await rewriteLeaf(290, '"action":"test.change"', '"action":"x"');
    await rewriteLeaf(140, '"at":"2', '"at":"1');
    expect(problem(await parallel())).toEqual({ kind: 'leaf', seq: 140 });
  });

  it('catches an entry deleted at a range boundary', async () => {
    await asAttacker(db, () => sql`DELETE FROM ledger_entries WHERE seq = 129`.execute(db));
    expect(problem(await parallel())).toEqual({ kind: 'gap', seq: 129 });
  });

  it('catches a node inside a range and a node spanning ranges', async () => {
    await asAttacker(db, () => sql`UPDATE ledger_nodes SET hash = sha256(hash) WHERE level = 3 AND idx = 20`.execute(db));
    expect(problem(await parallel())).toEqual({ kind: 'node', seq: 161 });
    await asAttacker(db, () => sql`UPDATE ledger_nodes SET hash = sha256(hash) WHERE level = 7 AND idx = 0`.execute(db));
    expect(problem(await parallel())).toEqual({ kind: 'node', seq: 1 });
  });

  it('catches a node stored with a hash of the wrong length, or missing', async () => {
    // The superuser drops the length check too; the packed read must not be fooled by 33 bytes.
    await asAttacker(db, async () => {
      await sql`ALTER TABLE ledger_nodes DROP CONSTRAINT ledger_nodes_hash_check`.execute(db);
      await sql`UPDATE ledger_nodes SET hash = hash || '\\x00'::bytea WHERE level = 1 AND idx = 70`.execute(db);
    });
    try {
      expect(problem(await parallel())).toEqual({ kind: 'node', seq: 141 });
      expect(problem(await verify())).toEqual({ kind: 'node', seq: 141 });
    } finally {
      await asAttacker(db, async () => {
        await sql`UPDATE ledger_nodes SET hash = substr(hash, 1, 32) WHERE level = 1 AND idx = 70`.execute(db);
        await sql`ALTER TABLE ledger_nodes ADD CONSTRAINT ledger_nodes_hash_check CHECK (octet_length(hash) = 32)`.execute(db);
      });
    }
    await asAttacker(db, () => sql`DELETE FROM ledger_nodes WHERE level = 2 AND idx = 10`.execute(db));
    expect(problem(await parallel())).toEqual({ kind: 'node', seq: 41 });
  });

  it('catches a rewrite hidden by a full rehash through the checkpoint inside a range', async () => {
    await rewriteLeaf(137, '"actorName":"', '"actorName":"无名');
    await rehashEverything();
    expect(problem(await parallel())).toEqual({ kind: 'checkpoint', seq: 101 });
  });
});

describe('verifying through a handle that is not the database’s own (ordinary range queries)', () => {
  it('passes the untouched log and catches a changed payload all the same', async () => {
    const other = db.withTables<Record<string, Record<string, unknown>>>() as unknown as Db;
    const run = () => verifyLedger(other, { origin: keys.origin, verifierKey: keys.verifierKey(), batchSize: 64 });
    expect(await run()).toMatchObject({ ok: true, entries: 300, checkpoints: 2 });
    await rewriteLeaf(137);
    expect(problem(await run())).toEqual({ kind: 'leaf', seq: 137 });
  });
});
