// One seq range of the verifier's work, with no database access, so that it can run in a worker
// thread as well as inline: the range's rows (already reduced to leaf hashes, see leaf-copy.ts),
// checked against their stored leaf hashes, and every complete subtree lying wholly inside the
// range rebuilt and checked against the stored nodes. What it hands back is the range's compact
// form — the maximal complete subtrees covering it, left to right — at its end and at each size
// asked for (checkpoints), from which verify.ts folds the whole tree in seq order.

import { nodeHashInto } from './merkle.ts';
import type { HashedRows } from './leaf-copy.ts';

export type RangeProblemKind = 'gap' | 'leaf' | 'node';

export interface RangeProblem {
  kind: RangeProblemKind;
  /** The first entry that does not match. */
  seq: number;
  /** The entry at which it was found (a node is found when its last leaf is appended). */
  at: number;
  message: string;
}

/** A complete subtree (level, index) with its hash. */
export interface Piece {
  level: number;
  index: number;
  hash: Uint8Array;
}

/**
 * Stored nodes of one level over an index range, as the database packs them: `int8 idx ‖ hash`
 * per node in idx order (`packed`, when every hash is 32 bytes), or one by one (`byIndex`).
 */
export interface StoredLevel {
  lo: number;
  packed: Uint8Array | null;
  byIndex: Map<number, Uint8Array[]> | null;
}

export interface RangeJob {
  /** Leaf range [start, end): entries start+1 … end. */
  start: number;
  end: number;
  rows: HashedRows;
  /** By level; level 0 holds the leaf hashes of entries from before the tree (migration 0003). */
  stored: Array<StoredLevel | null>;
  /** Sizes in (start, end] whose compact form is wanted (checkpoints). */
  sizes: number[];
}

export interface RangeResult {
  problem: RangeProblem | null;
  /** Compact form of [start, size) for each size asked for (and `end`), up to the problem. */
  pieces: Array<{ size: number; pieces: Piece[] }>;
}

const RECORD = 40;

/** int8 big-endian at `o`, exact below 2^53. */
const readIdx = (b: Uint8Array, o: number) => (((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) * 4294967296 + (((b[o + 4]! << 24) | (b[o + 5]! << 16) | (b[o + 6]! << 8) | b[o + 7]!) >>> 0));

/** The stored hash of node (level, index), `null` when missing, `undefined` when stored twice. */
export function storedNode(level: StoredLevel | null | undefined, index: number): Uint8Array | null | undefined {
  if (!level) return null;
  if (level.byIndex) {
    const found = level.byIndex.get(index);
    if (!found) return null;
    return found.length === 1 ? found[0]! : undefined;
  }
  const packed = level.packed!;
  const o = (index - level.lo) * RECORD;
  if (o < 0 || o + RECORD > packed.length || readIdx(packed, o) !== index) return null;
  if (o + 2 * RECORD <= packed.length && readIdx(packed, o + RECORD) === index) return undefined;
  return packed.subarray(o + 8, o + RECORD);
}

const equal32 = (a: Uint8Array, ao: number, b: Uint8Array, bo: number) => {
  for (let i = 0; i < 32; i++) if (a[ao + i] !== b[bo + i]) return false;
  return true;
};

export const spanText = (level: number, index: number) => {
  const width = 2 ** level;
  return `${index * width + 1}–${(index + 1) * width}`;
};

/** Checks a rebuilt interior node (the 32 bytes at hash[offset]) against the stored one; the problem, or null. */
export function nodeProblem(stored: Array<StoredLevel | null>, level: number, index: number, hash: Uint8Array, at: number, offset = 0): RangeProblem | null {
  const got = storedNode(stored[level], index);
  if (got && got.length === 32 && equal32(got, 0, hash, offset)) return null;
  const state = got === undefined ? '重复存储' : got ? '与重算结果不符' : '缺失';
  return { kind: 'node', seq: index * 2 ** level + 1, at, message: `覆盖条目 ${spanText(level, index)} 的树节点（第 ${level} 层）${state}` };
}

/** Leaf hashes of entries from before the tree, in idx order: a cursor over level 0's packed records. */
class LegacyLeaves {
  private p = 0;
  constructor(private readonly level: StoredLevel | null) {}
  /** The stored level-0 hash of leaf `index` (asked in increasing order). */
  get(index: number): Uint8Array | null | undefined {
    const level = this.level;
    if (!level) return null;
    if (level.byIndex) {
      const found = level.byIndex.get(index);
      return !found ? null : found.length === 1 ? found[0]! : undefined;
    }
    const packed = level.packed!;
    while (this.p + RECORD <= packed.length && readIdx(packed, this.p) < index) this.p += RECORD;
    if (this.p + RECORD > packed.length || readIdx(packed, this.p) !== index) return null;
    if (this.p + 2 * RECORD <= packed.length && readIdx(packed, this.p + RECORD) === index) return undefined;
    return packed.subarray(this.p + 8, this.p + RECORD);
  }
}

export function verifyRange(job: RangeJob): RangeResult {
  const { start, end, rows, stored } = job;
  const wanted = new Set(job.sizes);
  wanted.add(end);
  const legacy = new LegacyLeaves(stored[0] ?? null);
  // The compact form of [start, pos), left to right: piece i is (levels[i], indexes[i]) with its
  // hash at stack[32·i] — hashed in place, no Buffer per node.
  const levels: number[] = [];
  const indexes: number[] = [];
  // At most two pieces per level (rising to the range's largest aligned subtree, then falling).
  const stack = Buffer.alloc((2 * Math.ceil(Math.log2(end - start + 2)) + 2) * 32);
  const pieces: RangeResult['pieces'] = [];
  // Copies: a view into a batch-sized buffer would drag the whole buffer across a postMessage.
  const snapshot = (size: number) => pieces.push({ size, pieces: levels.map((level, i) => ({ level, index: indexes[i]!, hash: new Uint8Array(stack.subarray(i * 32, i * 32 + 32)) })) });
  // A leaf problem leaves the compact form at seq − 1: handed back, so the report says how far the log verified.
  const problem = (kind: RangeProblemKind, seq: number, message: string): RangeResult => {
    if (seq - 1 > start && !wanted.has(seq - 1)) snapshot(seq - 1);
    return { problem: { kind, seq, at: seq, message }, pieces };
  };

  for (let r = 0; r < end - start; r++) {
    const seq = start + r + 1;
    if (r >= rows.count) return problem('gap', seq, `条目 ${seq} 缺失`);
    if (rows.seqs[r] !== seq) return problem('gap', seq, `条目 ${seq} 缺失（之后是 ${rows.seqs[r]}）`);
    const bad = rows.problems.get(r);
    if (bad) {
      const why = bad.kind === 'time' ? `条目 ${seq} 的时间被改动（超出毫秒精度）` : bad.kind === 'moved' ? `条目 ${seq} 位置上的叶不是该条目的（条目被移动或改号）` : `条目 ${seq} 无法编码：${bad.message}`;
      return problem('leaf', seq, why);
    }
    const own = rows.storedLength[r]!;
    const old = legacy.get(seq - 1);
    if (old === undefined) return problem('leaf', seq, `条目 ${seq} 有两个叶哈希`);
    if (own !== -1 && old) return problem('leaf', seq, `条目 ${seq} 有两个叶哈希`);
    if (own === -1 && !old) return problem('leaf', seq, `条目 ${seq} 没有叶哈希`);
    const matches = own === -1 ? old!.length === 32 && equal32(old!, 0, rows.leafHashes, r * 32) : own === 32 && equal32(rows.stored, r * 32, rows.leafHashes, r * 32);
    if (!matches) return problem('leaf', seq, `条目 ${seq} 的内容与其叶哈希不符`);

    // Append the leaf; every node it completes inside the range is checked as it appears.
    let level = 0;
    let index = seq - 1;
    let top = levels.length;
    rows.leafHashes.copy(stack, top * 32, r * 32, r * 32 + 32);
    while (index % 2 === 1 && top > 0 && levels[top - 1] === level && indexes[top - 1] === index - 1) {
      top -= 1;
      nodeHashInto(stack, top * 32, stack, (top + 1) * 32, stack, top * 32);
      levels.pop();
      indexes.pop();
      level += 1;
      index = (index - 1) / 2;
      const p = nodeProblem(stored, level, index, stack, seq, top * 32);
      if (p) return { problem: p, pieces };
    }
    levels.push(level);
    indexes.push(index);
    if (wanted.has(seq)) snapshot(seq);
  }
  return { problem: null, pieces };
}
