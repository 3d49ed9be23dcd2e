// The verifier: recomputes the whole log from the entry rows and checks everything stored against
// it — every leaf hash, every tree node, every checkpoint's root, signature and consistency with
// the previous one, the head — and optionally a checkpoint kept outside. It trusts nothing in the
// database but the entry rows themselves, reads in seq-range batches (the next batch is fetched
// while the current one is hashed) and stops at the first problem, naming the entry.

import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { LedgerTables } from './ledger.tables.ts';
import { EMPTY_ROOT, appendToFrontier, consistencyProof, frontierRoot, verifyConsistency, type TreeNode } from './merkle.ts';
import { noteProblemZh, verifyNote, type Checkpoint } from './note.ts';
import { entryLeafHash, toLedgerEntry } from './leaf.ts';
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
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
}

type EntryRow = LedgerTables['ledger_entries'] & { at_ms: boolean };
type Snapshot = { min_seq: number | null; max_seq: number | null; size: number | null; tree_size: number | null; frontier: Uint8Array | null; leaves: number | null; max_cp: number | null };

class Found extends Error {
  constructor(readonly problem: VerifyProblem) {
    super(problem.message);
  }
}
const fail = (kind: ProblemKind, seq: number | null, message: string): never => {
  throw new Found({ kind, seq, message });
};

const span = (n: TreeNode) => {
  const width = 2 ** n.level;
  return `${n.index * width + 1}–${(n.index + 1) * width}`;
};

export async function verifyLedger(db: Db, opts: VerifyOptions): Promise<VerifyReport> {
  const started = performance.now();
  const batch = opts.batchSize ?? 10_000;
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

    // A batch: its entries (with their own leaf hashes), and the level-0 nodes in its range, which
    // only entries from before migration 0003 have. Two range scans, no per-row lookups.
    const fetch = async (after: number) => {
      const until = Math.min(after + batch, n);
      const [entries, legacy] = await Promise.all([
        sql<EntryRow>`SELECT ${ENTRY_COLUMNS}, leaf_hash, at = date_trunc('milliseconds', at) AS at_ms
          FROM ledger_entries WHERE seq > ${after} AND seq <= ${until} ORDER BY seq`.execute(db),
        sql<{ idx: number; hash: Uint8Array }>`SELECT idx, hash FROM ledger_nodes WHERE level = 0 AND idx >= ${after} AND idx < ${until}`.execute(db),
      ]);
      return { rows: entries.rows, legacy: new Map(legacy.rows.map((r) => [Number(r.idx), asBuffer(r.hash)])) };
    };

    // A prefetch left behind when a problem ends the run must not become an unhandled rejection.
    const prefetch = (after: number) => {
      const p = fetch(after);
      p.catch(() => undefined);
      return p;
    };
    let next = n > 0 ? prefetch(0) : null;
    while (next) {
      const { rows, legacy } = await next;
      const end = Math.min(state.size + batch, n);
      next = end < n ? prefetch(end) : null;
      const completed: TreeNode[] = [];
      // Stored interior nodes against the recomputed ones, one query for all collected so far:
      // what a batch completes is a contiguous index range per level, read as a range scan.
      const compareNodes = async () => {
        if (completed.length === 0) return;
        const ranges = new Map<number, { lo: number; hi: number }>();
        for (const node of completed) {
          const r = ranges.get(node.level);
          if (r) r.hi = node.index;
          else ranges.set(node.level, { lo: node.index, hi: node.index });
        }
        const levels = [...ranges.keys()];
        const { rows: storedRows } = await sql<{ level: number; idx: number; hash: Uint8Array }>`
          SELECT r.level, n.idx, n.hash
          FROM unnest(${levels}::smallint[], ${levels.map((l) => ranges.get(l)!.lo)}::bigint[], ${levels.map((l) => ranges.get(l)!.hi)}::bigint[]) AS r(level, lo, hi)
          CROSS JOIN LATERAL (SELECT idx, hash FROM ledger_nodes WHERE level = r.level AND idx BETWEEN r.lo AND r.hi) n`.execute(db);
        const stored = new Map(storedRows.map((r) => [`${r.level}:${r.idx}`, asBuffer(r.hash)]));
        for (const node of completed) {
          const got = stored.get(`${node.level}:${node.index}`);
          if (!got || !got.equals(node.hash)) fail('node', node.index * 2 ** node.level + 1, `覆盖条目 ${span(node)} 的树节点（第 ${node.level} 层）${got ? '与重算结果不符' : '缺失'}`);
        }
        completed.length = 0;
      };
      let due = await peekCheckpoint();
      for (const row of rows) {
        const seq = state.size + 1;
        if (Number(row.seq) !== seq) fail('gap', seq, `条目 ${seq} 缺失（之后是 ${row.seq}）`);
        if (!row.at_ms) fail('leaf', seq, `条目 ${seq} 的时间被改动（超出毫秒精度）`);
        let hash: Buffer;
        try {
          hash = entryLeafHash(toLedgerEntry(row));
        } catch (e) {
          hash = fail('leaf', seq, `条目 ${seq} 无法编码：${(e as Error).message}`);
        }
        const old = legacy.get(seq - 1);
        if (row.leaf_hash && old) fail('leaf', seq, `条目 ${seq} 有两个叶哈希`);
        const stored = row.leaf_hash ? asBuffer(row.leaf_hash) : old;
        if (!stored) fail('leaf', seq, `条目 ${seq} 没有叶哈希`);
        if (!hash.equals(stored!)) fail('leaf', seq, `条目 ${seq} 的内容与其叶哈希不符`);
        const step = appendToFrontier(state.frontier, state.size, hash);
        state.frontier = step.frontier;
        state.size = seq;
        for (const node of step.nodes) if (node.level > 0) completed.push(node);
        if (outside && outside.size === seq) outsideRoot = frontierRoot(state.frontier);
        if (due?.size === seq) {
          // Nodes first, so a checkpoint's consistency proof only ever reads verified nodes.
          await compareNodes();
          await checkCheckpoint(queue.shift()!, frontierRoot(state.frontier));
          due = await peekCheckpoint();
        }
      }
      if (state.size < end) fail('gap', state.size + 1, `条目 ${state.size + 1} 缺失`);
      await compareNodes();
      opts.onProgress?.(state.size, n);
    }

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
    return report(null);
  } catch (e) {
    if (e instanceof Found) return report(e.problem);
    throw e;
  }
}
