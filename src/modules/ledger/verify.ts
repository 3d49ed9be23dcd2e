// The verifier: recomputes the whole log from the entry rows and checks everything stored against
// it — every leaf hash, every tree node, every checkpoint's root, signature and consistency with
// the previous one, the head — and optionally a checkpoint kept outside. It trusts nothing in the
// database but the entry rows themselves and stops at the first problem, naming the entry.
//
// Work is split in seq-range batches (verify-range.ts), checked in worker threads on a large log
// (or here), while later batches are read — with a binary COPY on PostgreSQL (leaf-copy.ts), a
// range query on PGlite — and folded into the tree in seq order here, so what is reported is the
// first problem in seq order, whichever batch finishes first.

import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { CompiledQuery, sql } from 'kysely';
import { to as copyTo } from 'pg-copy-streams';
import { databaseKindOf, type Db } from '../../platform/db/database.ts';
import type { LedgerTables } from './ledger.tables.ts';
import { EMPTY_ROOT, consistencyProof, frontierRoot, leafHash, nodeHash, verifyConsistency } from './merkle.ts';
import { noteProblemZh, verifyNote, type Checkpoint } from './note.ts';
import { columnEntry, encodeLeaf, entryLeafHash } from './leaf.ts';
import { COPY_ENTRY_COLUMNS, CopyLeafReader, LEAF_COPY_COLUMNS, leafHasSeq, LeafCopyBatcher, emptyHashedRows, hashLeafRows, reserveRow, type HashedRows } from './leaf-copy.ts';
import { nodeProblem, verifyRange, type Piece, type RangeJob, type RangeResult, type StoredLevel } from './verify-range.ts';
import { checkpointsAfter, type StoredCheckpoint } from './checkpoints.service.ts';
import { ENTRY_COLUMNS, asBuffer, nodeStore, splitFrontier } from './tree.repo.ts';

export type ProblemKind = 'gap' | 'outOfRange' | 'leaf' | 'node' | 'truncated' | 'head' | 'checkpoint' | 'signature' | 'consistency' | 'outside';

export interface VerifyProblem {
  kind: ProblemKind;
  /** The first entry that does not match, when one can be named. */
  seq: number | null;
  message: string;
}

export interface VerifyReport {
  ok: boolean;
  /** Entries recomputed (up to the first problem). */
  entries: number;
  checkpoints: number;
  /** Root of the recomputed tree of `entries` leaves. */
  rootHash: Buffer;
  problem: VerifyProblem | null;
  /** The outside checkpoint's size, when one was given and the log was found to extend it. */
  outsideSize: number | null;
  durationMs: number;
}

export interface VerifyOptions {
  origin: string;
  /** Verifier key of the log's own checkpoints. */
  verifierKey: string;
  /** A signed checkpoint kept outside the system (e.g. by the discipline office). */
  outsideCheckpoint?: string;
  /** The verifier key the outside holder trusts; default `verifierKey`. */
  outsideKey?: string;
  /** Entries per batch (the unit of reading, of work for a worker, and of progress). */
  batchSize?: number;
  /**
   * Worker threads checking batches in parallel; 0 checks them in this thread. Default: from
   * `PARALLEL_FROM` entries on, one per core but one (this thread reads, folds, and checks every
   * batch no worker is free for; the database is often on the same machine), at least 1, at most
   * 4; none below (starting a worker costs more).
   */
  workers?: number;
  onProgress?: (done: number, total: number) => void;
  /**
   * Also check, once everything else passed, that every entry's search-hint columns say what its
   * leaf says (README, Verification: what only deep verify proves).
   */
  deep?: boolean;
}

export const PARALLEL_FROM = 50_000;
export const defaultWorkers = (): number => Math.max(1, Math.min(4, os.availableParallelism() - 1));

type Snapshot = { min_seq: number | null; max_seq: number | null; last_old: number | null; size: number | null; tree_size: number | null; frontier: Uint8Array | null; leaves: number | null; max_cp: number | null };

class Found extends Error {
  constructor(readonly problem: VerifyProblem) {
    super(problem.message);
  }
}
const fail = (kind: ProblemKind, seq: number | null, message: string): never => {
  throw new Found({ kind, seq, message });
};

export async function verifyLedger(db: Db, opts: VerifyOptions): Promise<VerifyReport> {
  const started = performance.now();
  const batch = opts.batchSize ?? 16_384;
  const state = { size: 0, frontier: [] as Buffer[], checkpoints: 0, outsideSize: null as number | null };
  const report = (problem: VerifyProblem | null): VerifyReport => ({
    ok: problem === null,
    entries: state.size,
    checkpoints: state.checkpoints,
    rootHash: frontierRoot(state.frontier),
    problem,
    outsideSize: state.outsideSize,
    durationMs: Math.round(performance.now() - started),
  });

  let pool: WorkerPool | null = null;
  let leafSource: LeafSource | null = null;
  try {
    let outside: Checkpoint | null = null;
    if (opts.outsideCheckpoint !== undefined) {
      try {
        outside = verifyNote(opts.outsideCheckpoint, opts.outsideKey ?? opts.verifierKey, { origin: opts.origin });
      } catch (e) {
        fail('outside', null, `外部检查点验证失败（签名密钥或账本名称不符，账本可能已被整体重建）：${noteProblemZh(e)}`);
      }
    }
    let outsideRoot: Buffer | null = outside?.size === 0 ? EMPTY_ROOT : null;

    // One statement, one snapshot: rows, head, tree and checkpoints as of the same moment, so
    // appends committed while we read are simply not part of this run.
    const { rows: snaps } = await sql<Snapshot>`
      SELECT (SELECT min(seq) FROM ledger_entries) AS min_seq, (SELECT max(seq) FROM ledger_entries) AS max_seq,
             (SELECT max(seq) FROM ledger_entries WHERE leaf IS NULL) AS last_old,
             h.size, h.tree_size, h.frontier,
             (SELECT max((m.idx + 1) << l) FROM generate_series(0, 62) l, LATERAL (SELECT max(idx) AS idx FROM ledger_nodes WHERE level = l) m) AS leaves,
             (SELECT max(size) FROM ledger_checkpoints) AS max_cp
      FROM (SELECT 1) one LEFT JOIN ledger_head h ON h.id = 1`.execute(db);
    const snap = snaps[0]!;
    const n = Number(snap.max_seq ?? 0);
    if (snap.min_seq !== null && Number(snap.min_seq) < 1) fail('outOfRange', Number(snap.min_seq), `条目序号 ${snap.min_seq} 不合法（序号从 1 开始）`);

    const store = nodeStore(db);
    let previous: { size: number; root: Buffer } | null = null;
    // Checkpoints up to the snapshot, oldest first, a page at a time.
    const queue: StoredCheckpoint[] = [];
    let cursor = -1;
    let exhausted = false;
    const peekCheckpoint = async (): Promise<StoredCheckpoint | undefined> => {
      if (queue.length === 0 && !exhausted) {
        const page = await checkpointsAfter(db, cursor, 1000);
        cursor = page.at(-1)?.size ?? cursor;
        queue.push(...page.filter((c) => c.size <= n));
        exhausted = page.length < 1000 || queue.length < page.length;
      }
      return queue[0];
    };

    const checkCheckpoint = async (cp: StoredCheckpoint, root: Buffer) => {
      let signed: Checkpoint;
      try {
        signed = verifyNote(cp.note, opts.verifierKey, { origin: opts.origin });
      } catch (e) {
        return fail('signature', null, `大小为 ${cp.size} 的检查点签名无效：${noteProblemZh(e)}`);
      }
      const from = (previous?.size ?? 0) + 1;
      if (signed.size !== cp.size || !signed.rootHash.equals(cp.root)) fail('checkpoint', null, `大小为 ${cp.size} 的检查点记录与其签名内容不符`);
      if (!signed.rootHash.equals(root)) fail('checkpoint', from, `条目 ${from}–${cp.size} 与大小为 ${cp.size} 的已签名检查点不符（内容与树哈希均被改写）`);
      if (previous) {
        const proof = await consistencyProof(store, previous.size, cp.size);
        if (!verifyConsistency(previous.size, cp.size, previous.root, root, proof)) {
          fail('consistency', from, `检查点 ${previous.size} 与 ${cp.size} 之间的一致性证明不成立`);
        }
      }
      previous = { size: cp.size, root };
      state.checkpoints += 1;
    };

    // A checkpoint of the empty log is checked before any entry.
    if ((await peekCheckpoint())?.size === 0) await checkCheckpoint(queue.shift()!, EMPTY_ROOT);

    // Sizes at which a root is needed inside a batch: every checkpoint, and the outside one.
    const { rows: cpRows } = await sql<{ size: number }>`SELECT size FROM ledger_checkpoints WHERE size > 0 AND size <= ${n} ORDER BY size`.execute(db);
    const rootSizes = cpRows.map((r) => Number(r.size));
    if (outside && outside.size > 0 && outside.size <= n) rootSizes.push(outside.size);
    const sortedSizes = [...new Set(rootSizes)].sort((a, b) => a - b);
    let nextSize = 0;

    const kind = databaseKindOf(db);
    const workers = opts.workers ?? (n >= PARALLEL_FROM ? defaultWorkers() : 0);
    pool = workers > 0 ? new WorkerPool(workers) : null;
    // Entries up to the last one without a leaf (written before 0012, or tampered) are read with
    // their columns, batch by batch; every entry after it has its leaf and comes from one COPY
    // stream of seq, leaf hash and leaf (PostgreSQL), hashed as stored.
    const leavesFrom = Math.min(n, Number(snap.last_old ?? 0));
    const streamSizes: number[] = [];
    for (let at = leavesFrom; at < n; at += batch) streamSizes.push(Math.min(batch, n - at));
    const takeLeaves = async (start: number, end: number): Promise<Uint8Array> => {
      if (kind === 'postgres') {
        leafSource ??= leafStream(db, leavesFrom, n, streamSizes);
        return leafSource.take();
      }
      return blobLeafBytes(db, start, end);
    };
    // A batch: its rows (reduced to leaf hashes, here or in a worker) and the stored nodes it
    // completes, fetched and checked while earlier batches are folded in. Batches left behind by a
    // problem must not become unhandled rejections.
    const checkBatch = async (start: number, end: number) => {
      const sizes = sortedSizes.filter((s) => s > start && s <= end);
      const storedP = storedNodes(db, start, end);
      storedP.catch(() => undefined);
      let result: RangeResult;
      if (kind && start >= leavesFrom) {
        const leaves = await takeLeaves(start, end);
        const stored = await storedP;
        // This thread hashes too, whenever no worker can take the batch: reading and folding leave
        // it mostly idle, and hashing is the run's work (a worker alone was the run's bottleneck).
        result = pool?.canTakeJob()
          ? await pool.run({ start, end, leaves: leaves.buffer as ArrayBuffer, leavesLength: leaves.byteLength, stored, sizes }, [leaves.buffer as ArrayBuffer])
          : verifyRange({ start, end, rows: hashLeafRows(Buffer.from(leaves.buffer, leaves.byteOffset, leaves.byteLength), end - start), stored, sizes });
      } else if (pool && kind) {
        const data = await (kind === 'postgres' ? copyBytes : blobBytes)(db, start, end);
        result = await pool.run({ start, end, data, stored: await storedP, sizes }, [data]);
      } else {
        const rows = await (kind === 'postgres' ? copyRows : kind === 'pglite' ? blobRows : queryRows)(db, start, end);
        result = pool ? await pool.run({ start, end, rows, stored: await storedP, sizes }, []) : verifyRange({ start, end, rows, stored: await storedP, sizes });
      }
      return { start, end, stored: await storedP, result };
    };
    const inflight: Array<ReturnType<typeof checkBatch>> = [];
    let queued = 0;
    const refill = () => {
      while (inflight.length < (pool ? pool.size * JOBS_PER_WORKER + 2 : 2) && queued < n) {
        // Batches end at the last entry without a leaf, so none mixes the two row sources.
        const end = queued < leavesFrom ? Math.min(queued + batch, leavesFrom) : Math.min(queued + batch, n);
        const p = checkBatch(queued, end);
        p.catch(() => undefined);
        inflight.push(p);
        queued = end;
      }
    };

    // Folds a range's compact form onto the verified frontier; every node this completes spans
    // two ranges, and is checked against the store here.
    const fold = (start: number, stored: Array<StoredLevel | null>, pieces: Piece[]): Buffer[] => {
      const frontier = state.frontier.slice();
      let size = start;
      for (const piece of pieces) {
        let hash = Buffer.from(piece.hash.buffer, piece.hash.byteOffset, piece.hash.byteLength);
        let level = piece.level;
        let index = piece.index;
        for (let s = index; s % 2 === 1; s = Math.floor(s / 2)) {
          hash = nodeHash(frontier.pop()!, hash);
          level += 1;
          index = Math.floor(index / 2);
          const p = nodeProblem(stored, level, index, hash, size + 2 ** piece.level);
          if (p) fail('node', p.seq, p.message);
        }
        frontier.push(hash);
        size += 2 ** piece.level;
      }
      return frontier;
    };

    refill();
    while (inflight.length > 0) {
      const { start, end, stored, result } = await inflight.shift()!;
      refill();
      const piecesAt = new Map(result.pieces.map((p) => [p.size, p.pieces]));
      const before = result.problem ? result.problem.at : Infinity;
      for (; nextSize < sortedSizes.length && sortedSizes[nextSize]! <= end && sortedSizes[nextSize]! < before; nextSize++) {
        const size = sortedSizes[nextSize]!;
        const root = frontierRoot(fold(start, stored, piecesAt.get(size)!));
        if (outside && outside.size === size) outsideRoot = root;
        const due = await peekCheckpoint();
        // Nodes first (fold checked them), so a checkpoint's consistency proof only ever reads verified nodes.
        if (due?.size === size) await checkCheckpoint(queue.shift()!, root);
      }
      if (result.problem) {
        const verified = piecesAt.get(result.problem.at - 1);
        if (verified) {
          state.frontier = fold(start, stored, verified);
          state.size = result.problem.at - 1;
        }
        fail(result.problem.kind, result.problem.seq, result.problem.message);
      }
      state.frontier = fold(start, stored, piecesAt.get(end)!);
      state.size = end;
      opts.onProgress?.(state.size, n);
    }
    pool?.throwIfBroken();
    // A checkpoint of the whole log signed after the size list was read: checked all the same.
    const late = await peekCheckpoint();
    if (late && late.size === state.size) await checkCheckpoint(queue.shift()!, frontierRoot(state.frontier));
    // Any other checkpoint within the log was written behind our back while we read: never pass it by.
    const unchecked = await peekCheckpoint();
    if (unchecked) fail('checkpoint', null, `大小为 ${unchecked.size} 的检查点在核验期间出现，未能核验`);

    // Anything that says the log was longer than the rows now are: a deleted tail.
    const claims = [snap.size, snap.tree_size, snap.leaves, snap.max_cp].map((v) => Number(v ?? 0));
    const longest = Math.max(...claims);
    if (longest > n) fail('truncated', n + 1, `条目 ${n + 1} 起缺失：账本头、树或检查点记录了 ${longest} 条，现存 ${n} 条`);
    if (!snap.frontier || Number(snap.tree_size) !== n || !Buffer.concat(splitFrontier(snap.frontier)).equals(Buffer.concat(state.frontier))) {
      fail('head', null, '账本头保存的树边界与重算结果不符');
    }

    if (outside) {
      if (outside.size > n) fail('outside', n + 1, `账本只有 ${n} 条，短于外部检查点的 ${outside.size} 条：条目 ${n + 1} 起被删除`);
      if (!outsideRoot!.equals(outside.rootHash)) fail('outside', null, `账本前 ${outside.size} 条与外部检查点不符：账本已被改写或重建`);
      const proof = await consistencyProof(store, outside.size, n);
      if (!verifyConsistency(outside.size, n, outside.rootHash, frontierRoot(state.frontier), proof)) {
        fail('outside', null, `无法证明当前账本是外部检查点（${outside.size} 条）的延续`);
      }
      state.outsideSize = outside.size;
    }
    if (opts.deep) {
      const lying = await firstLyingHint(db, n);
      if (lying !== null) fail('leaf', lying, `条目 ${lying} 的检索字段与其叶不符（检索字段被单独改动：按字段筛选可能漏掉或错列此条；显示的内容以叶为准，未被改动）`);
    }
    return report(null);
  } catch (e) {
    if (e instanceof Found) return report(e.problem);
    throw e;
  } finally {
    // A stream left behind by a problem is read to its end and dropped (not awaited), so its
    // connection goes back to the pool clean.
    (leafSource as LeafSource | null)?.abandon();
    await pool?.close();
  }
}

/**
 * Deep verify, after everything else passed: the first entry with a leaf whose search-hint
 * columns do not say what the leaf says (a filter could miss it or list it wrongly; what is shown
 * comes from the leaf all the same), or whose payload column is not empty. One set-based query;
 * a leaf the database cannot read as JSON makes it fail, and then the rows are compared here.
 */
async function firstLyingHint(db: Db, n: number): Promise<number | null> {
  try {
    const { rows } = await sql<{ seq: number | null }>`SELECT min(e.seq) AS seq FROM ledger_entries e
      CROSS JOIN LATERAL (SELECT convert_from(e.leaf, 'UTF8')::jsonb AS l OFFSET 0) j
      WHERE e.seq <= ${n} AND e.leaf IS NOT NULL AND ${sql.raw(HINTS_DISAGREE)}`.execute(db);
    return rows[0]?.seq == null ? null : Number(rows[0].seq);
  } catch {
    for (let after = 0; after < n; after += 10_000) {
      const { rows } = await sql<LedgerTables['ledger_entries']>`SELECT ${ENTRY_COLUMNS} FROM ledger_entries
        WHERE seq > ${after} AND seq <= ${Math.min(n, after + 10_000)} AND leaf IS NOT NULL ORDER BY seq`.execute(db);
      const bad = rows.find((row) => {
        try {
          return row.payload !== null || !encodeLeaf({ ...columnEntry(row), payload: {} }).equals(encodeLeaf({ ...JSON.parse(asBuffer(row.leaf!).toString('utf8')), payload: {} }));
        } catch {
          return true;
        }
      });
      if (bad) return Number(bad.seq);
    }
    return null;
  }
}

/** A row whose hints say something else than its leaf; every member compared as the JSON value the leaf holds, the time as the leaf writes it. */
const HINTS_DISAGREE = `(e.payload IS NOT NULL
    OR l->'action' IS DISTINCT FROM to_jsonb(e.action)
    OR l->'actorAccountId' IS DISTINCT FROM coalesce(to_jsonb(e.actor_account_id), 'null'::jsonb)
    OR l->'actorName' IS DISTINCT FROM to_jsonb(e.actor_name)
    OR l->'actorPersonId' IS DISTINCT FROM coalesce(to_jsonb(e.actor_person_id), 'null'::jsonb)
    OR l->>'at' IS DISTINCT FROM to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
    OR e.at <> date_trunc('milliseconds', e.at)
    OR l->'clientIp' IS DISTINCT FROM to_jsonb(e.client_ip)
    OR l->'requestId' IS DISTINCT FROM to_jsonb(e.request_id)
    OR l->'seq' IS DISTINCT FROM to_jsonb(e.seq)
    OR l->'subjectId' IS DISTINCT FROM to_jsonb(e.subject_id)
    OR l->'subjectType' IS DISTINCT FROM to_jsonb(e.subject_type))`;

interface LeafSource {
  take(): Promise<Uint8Array>;
  abandon(): void;
}

/**
 * PostgreSQL: the entries (from, to] with their leaves as one binary COPY on a connection of its
 * own, cut into batches of `sizes` rows as it arrives. The server writes on while batches are
 * hashed, until a few wait unhashed (then the socket is paused). Abandoned early (a problem found),
 * the rest is read and dropped, so the connection goes back to the pool clean.
 */
function leafStream(db: Db, from: number, to: number, sizes: number[]): LeafSource {
  let stream: { pause(): void; resume(): void } | null = null;
  let paused = false;
  const batcher = new LeafCopyBatcher(sizes, (pause) => {
    if (pause === paused || !stream) return;
    paused = pause;
    if (pause) stream.pause();
    else stream.resume();
  });
  const done = copyEntries(
    db,
    `COPY (SELECT ${LEAF_COPY_COLUMNS} FROM ledger_entries WHERE seq > ${from} AND seq <= ${to} ORDER BY seq) TO STDOUT (FORMAT binary)`,
    (chunk) => batcher.push(chunk),
    (s) => {
      stream = s;
    },
  ).then(
    () => batcher.end(),
    (e: Error) => batcher.fail(e),
  );
  void done;
  return {
    take: () => batcher.take(),
    abandon: () => {
      batcher.discard();
      if (paused && stream) stream.resume();
      paused = false;
    },
  };
}

/** PGlite: one batch of the leaf stream as its own COPY to `/dev/blob`, without header and trailer. */
async function blobLeafBytes(db: Db, start: number, end: number): Promise<Uint8Array> {
  const result = (await sql
    .raw(`COPY (SELECT ${LEAF_COPY_COLUMNS} FROM ledger_entries WHERE seq > ${start} AND seq <= ${end} ORDER BY seq) TO '/dev/blob' (FORMAT binary)`)
    .execute(db)) as { blob?: Blob };
  if (!result.blob) throw new Error('PGlite returned no COPY blob');
  const batcher = new LeafCopyBatcher([end - start]);
  batcher.push(new Uint8Array(await result.blob.arrayBuffer()));
  batcher.end();
  return batcher.take();
}

// ---------------------------------------------------------------------------------------------
// Row sources: a batch of entry rows reduced to leaf hashes (leaf-copy.ts's HashedRows).

/**
 * PostgreSQL: `COPY … TO STDOUT (FORMAT binary)` of the batch's entries, chunk by chunk. The copy
 * stream is handed to the pool's client as the query itself (the app's pool passes anything but
 * text through untouched), on a connection held for the batch.
 */
async function copyEntries(db: Db, copySql: string, onChunk: (chunk: Buffer) => void, onStream?: (s: { pause(): void; resume(): void }) => void): Promise<void> {
  let broken: unknown = null;
  await db.connection().execute(async (conn) => {
    const stream = copyTo(copySql);
    onStream?.(stream);
    const done = new Promise<void>((resolve, reject) => {
      stream.on('data', (chunk: Buffer) => {
        if (broken) return;
        try {
          onChunk(chunk);
        } catch (e) {
          broken = e;
        }
      });
      stream.on('end', resolve);
      stream.on('error', reject);
    });
    await conn.executeQuery({ ...CompiledQuery.raw(''), sql: stream as unknown as string });
    await done;
  });
  if (broken) throw broken;
}

const entriesCopy = (start: number, end: number) =>
  `COPY (SELECT ${COPY_ENTRY_COLUMNS} FROM ledger_entries WHERE seq > ${start} AND seq <= ${end} ORDER BY seq) TO STDOUT (FORMAT binary)`;

/** The batch hashed here, chunk by chunk as it arrives, so the server writes on while we hash. */
async function copyRows(db: Db, start: number, end: number): Promise<HashedRows> {
  const reader = new CopyLeafReader(end - start);
  await copyEntries(db, entriesCopy(start, end), (chunk) => reader.push(chunk));
  return reader.finish();
}

/** The batch's COPY bytes in one buffer of their own, to hand (not copy) to a worker. */
async function copyBytes(db: Db, start: number, end: number): Promise<ArrayBuffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  await copyEntries(db, entriesCopy(start, end), (chunk) => {
    chunks.push(chunk);
    length += chunk.length;
  });
  const out = new Uint8Array(new ArrayBuffer(length));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out.buffer as ArrayBuffer;
}

const JOBS_PER_WORKER = 2;

/**
 * Worker threads (verify-worker.mjs) checking batches; results come back per job, in any order.
 * A worker that dies or cannot start fails the whole run — never a hang, never a pass, even when
 * this thread could have checked every batch itself: a verifier that cannot run as built must say so.
 */
class WorkerPool {
  /**
   * A worker once per job it can take now: one while it starts (the job waits in its port), then
   * JOBS_PER_WORKER, so it never waits while this thread is busy with a batch of its own.
   */
  private readonly free: Worker[] = [];
  private readonly all: Worker[] = [];
  private readonly exited = new Set<Worker>();
  private readonly waiting: Array<(w: Worker | null) => void> = [];
  private failure: Error | null = null;
  private closing = false;
  private readonly pending = new Map<number, { resolve: (r: RangeResult) => void; reject: (e: Error) => void; worker: Worker }>();
  private nextId = 0;

  constructor(readonly size: number) {
    for (let i = 0; i < size; i++) {
      // Its own execArgv: the worker registers tsx itself (a parent's --import tsx would load it twice).
      const w = new Worker(new URL('./verify-worker.mjs', import.meta.url), { execArgv: [] });
      w.on('message', (m: { id?: number; result?: RangeResult; error?: string; ready?: boolean }) => {
        if (m.ready) {
          for (let i = 1; i < JOBS_PER_WORKER; i++) this.release(w);
          return;
        }
        if (m.id === undefined) return;
        const job = this.pending.get(m.id);
        if (!job) return;
        this.pending.delete(m.id);
        if (m.error !== undefined) job.reject(new Error(`账本核验线程出错：${m.error}`));
        else job.resolve(m.result!);
        this.release(w);
      });
      const broken = (e: Error) => {
        if (this.closing) return;
        this.failure ??= e;
        for (const job of this.pending.values()) job.reject(this.failure);
        this.pending.clear();
        for (const waiter of this.waiting.splice(0)) waiter(null);
      };
      w.on('error', (e) => broken(new Error(`账本核验线程出错：${e.message}`)));
      w.on('exit', (code) => {
        this.exited.add(w);
        broken(new Error(`账本核验线程意外退出（${code}）`));
      });
      this.all.push(w);
      this.free.push(w);
    }
  }

  /** Whether a worker can take a job now (else the caller checks the batch itself); throws once one has failed. */
  canTakeJob(): boolean {
    this.throwIfBroken();
    return this.free.length > 0;
  }

  throwIfBroken(): void {
    if (this.failure) throw this.failure;
  }

  private release(w: Worker) {
    if (this.exited.has(w)) return;
    const next = this.waiting.shift();
    if (next) next(w);
    else this.free.push(w);
  }

  async run(job: Omit<RangeJob, 'rows'> & ({ data: ArrayBuffer } | { leaves: ArrayBuffer; leavesLength: number } | { rows: HashedRows }), transfer: ArrayBuffer[]): Promise<RangeResult> {
    const worker = this.failure ? null : (this.free.pop() ?? (await new Promise<Worker | null>((resolve) => this.waiting.push(resolve))));
    if (!worker) throw this.failure!;
    const id = this.nextId++;
    return new Promise<RangeResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, worker });
      worker.postMessage({ ...job, id }, transfer);
    });
  }

  /**
   * Asks each live worker to finish (it exits on its own once idle); one that does not within a
   * second is stopped. A worker that already exited sends no second 'exit': not waited for.
   */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(
      this.all.map(async (w) => {
        if (this.exited.has(w)) return;
        const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
        w.postMessage({ close: true });
        const timer = setTimeout(() => void w.terminate(), 1000);
        await exited;
        clearTimeout(timer);
      }),
    );
  }
}

/**
 * PGlite has no COPY TO STDOUT stream, but writes a binary COPY to `/dev/blob` and hands it back
 * with the query's result: the same bytes as PostgreSQL's, for the same reader.
 */
async function blobBytes(db: Db, start: number, end: number): Promise<ArrayBuffer> {
  const result = (await sql
    .raw(`COPY (SELECT ${COPY_ENTRY_COLUMNS} FROM ledger_entries WHERE seq > ${start} AND seq <= ${end} ORDER BY seq) TO '/dev/blob' (FORMAT binary)`)
    .execute(db)) as { blob?: Blob };
  if (!result.blob) throw new Error('PGlite returned no COPY blob');
  return result.blob.arrayBuffer();
}

async function blobRows(db: Db, start: number, end: number): Promise<HashedRows> {
  const reader = new CopyLeafReader(end - start);
  reader.push(Buffer.from(await blobBytes(db, start, end)));
  return reader.finish();
}

type EntryRow = LedgerTables['ledger_entries'] & { at_ms: boolean };

/** Any other handle (e.g. one bound to a transaction): the batch as one ordinary range query. */
async function queryRows(db: Db, start: number, end: number): Promise<HashedRows> {
  const { rows } = await sql<EntryRow>`SELECT ${ENTRY_COLUMNS}, leaf_hash, at = date_trunc('milliseconds', at) AS at_ms
    FROM ledger_entries WHERE seq > ${start} AND seq <= ${end} ORDER BY seq`.execute(db);
  const out = emptyHashedRows(rows.length);
  for (const row of rows) {
    reserveRow(out);
    const r = out.count++;
    out.seqs[r] = Number(row.seq);
    out.storedLength[r] = row.leaf_hash ? row.leaf_hash.length : -1;
    if (row.leaf_hash) asBuffer(row.leaf_hash).copy(out.stored, r * 32, 0, Math.min(32, row.leaf_hash.length));
    if (row.leaf) {
      if (!leafHasSeq(row.leaf, 0, row.leaf.length, Number(row.seq))) out.problems.set(r, { kind: 'moved' });
      leafHash(row.leaf).copy(out.leafHashes, r * 32);
      continue;
    }
    if (!row.at_ms) {
      out.problems.set(r, { kind: 'time' });
      continue;
    }
    try {
      entryLeafHash(columnEntry(row)).copy(out.leafHashes, r * 32);
    } catch (e) {
      out.problems.set(r, { kind: 'encode', message: (e as Error).message });
    }
  }
  return out;
}

/**
 * The stored nodes a batch of leaves [start, end) completes — level 0 (leaf hashes of entries
 * from before the tree) over the batch, and above it each level's index range — in one query,
 * each level packed by the database as `int8 idx ‖ hash` in idx order. A level whose hashes are
 * not all 32 bytes (tampered) is read again row by row.
 */
async function storedNodes(db: Db, start: number, end: number): Promise<Array<StoredLevel | null>> {
  const ranges: Array<{ level: number; lo: number; hi: number }> = [{ level: 0, lo: start, hi: end - 1 }];
  for (let level = 1, width = 2; width <= end; level++, width *= 2) {
    const lo = Math.floor(start / width);
    const hi = Math.floor(end / width) - 1;
    if (hi >= lo) ranges.push({ level, lo, hi });
  }
  const { rows } = await sql<{ level: number; packed: Uint8Array | null; sized: boolean | null; nodes: number }>`
    SELECT r.level, n.packed, n.sized, n.nodes
    FROM unnest(${ranges.map((r) => r.level)}::smallint[], ${ranges.map((r) => r.lo)}::bigint[], ${ranges.map((r) => r.hi)}::bigint[]) AS r(level, lo, hi)
    CROSS JOIN LATERAL (
      SELECT string_agg(int8send(idx) || hash, ''::bytea ORDER BY idx) AS packed, bool_and(octet_length(hash) = 32) AS sized, count(*)::int AS nodes
      FROM ledger_nodes WHERE level = r.level AND idx BETWEEN r.lo AND r.hi) n`.execute(db);
  const levels: Array<StoredLevel | null> = [];
  for (const row of rows) {
    const range = ranges.find((r) => r.level === Number(row.level))!;
    if (!row.packed || row.nodes === 0) continue;
    if (row.sized && row.packed.length === row.nodes * 40) {
      levels[range.level] = { lo: range.lo, packed: row.packed, byIndex: null };
      continue;
    }
    const { rows: loose } = await sql<{ idx: number; hash: Uint8Array }>`SELECT idx, hash FROM ledger_nodes WHERE level = ${range.level} AND idx BETWEEN ${range.lo} AND ${range.hi}`.execute(db);
    const byIndex = new Map<number, Uint8Array[]>();
    for (const r of loose) byIndex.set(Number(r.idx), [...(byIndex.get(Number(r.idx)) ?? []), r.hash]);
    levels[range.level] = { lo: range.lo, packed: null, byIndex };
  }
  for (let i = 0; i < levels.length; i++) levels[i] ??= null;
  return levels;
}
