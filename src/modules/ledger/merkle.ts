// RFC 6962 / RFC 9162 Merkle tree hashing for the tamper-evident ledger.
//
// Storage model: a store keeps the hash of every *complete* subtree — a perfect subtree of 2^k
// leaves starting at a multiple of 2^k — addressed as (level k, index i), covering leaves
// [i·2^k, (i+1)·2^k). Level 0 holds the leaf hashes. Complete nodes never change once written,
// so the store is append-only, and every node of the RFC tree of any size n is the right fold of
// at most log2(n)+1 complete nodes. That is what keeps roots and proofs at O(log n) reads and
// appends at O(log n) writes (see `appendToFrontier`).
//
// Tree sizes and indices are JS numbers; all arithmetic below avoids 32-bit bitwise operators so
// that every safe integer works.

import { createHash, hash } from 'node:crypto';

export const HASH_SIZE = 32;

const LEAF_PREFIX = Buffer.of(0x00);
const NODE_PREFIX = Buffer.of(0x01);

// One-shot crypto.hash over the concatenation: about half the cost of a createHash object per
// call, which matters at one leaf and about one node per appended or verified entry.
export function leafHash(data: Uint8Array): Buffer {
  return hash('sha256', Buffer.concat([LEAF_PREFIX, data]), 'buffer');
}

// One buffer for every interior node hashed in this thread: the verifier hashes as many nodes as leaves.
const nodeInput = Buffer.alloc(65, 1);

export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  if (left.length !== 32 || right.length !== 32) return hash('sha256', Buffer.concat([NODE_PREFIX, left, right]), 'buffer');
  nodeInput.set(left, 1);
  nodeInput.set(right, 33);
  return hash('sha256', nodeInput, 'buffer');
}

/**
 * nodeHash of the 32-byte hashes at left[lo] and right[ro], written to out[oo] (which may overlap
 * either): for the verifier's two hashes per entry. A digest handed back as a latin1 string and
 * written costs less than half of one handed back as a new Buffer.
 */
export function nodeHashInto(left: Buffer, lo: number, right: Buffer, ro: number, out: Buffer, oo: number): void {
  left.copy(nodeInput, 1, lo, lo + 32);
  right.copy(nodeInput, 33, ro, ro + 32);
  out.write(hash('sha256', nodeInput, 'binary'), oo, 'latin1');
}

/** SHA-256 of `data` written to out[oo] (see nodeHashInto); `data` must already carry its 0x00 or 0x01 prefix. */
export function sha256Into(data: Uint8Array, out: Buffer, oo: number): void {
  out.write(hash('sha256', data, 'binary'), oo, 'latin1');
}

/** MTH({}) — the root of the empty tree. */
export const EMPTY_ROOT: Buffer = createHash('sha256').digest();

/** Largest power of two strictly less than n (the RFC's split point k), for n ≥ 2. */
export function largestPowerOfTwoBelow(n: number): number {
  if (!Number.isSafeInteger(n) || n < 2) throw new RangeError(`expected an integer n >= 2, got ${n}`);
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** Address of a complete subtree: leaves [index·2^level, (index+1)·2^level). */
export interface NodeId {
  level: number;
  index: number;
}

/** A complete-subtree node together with its hash, as written by an append. */
export interface TreeNode extends NodeId {
  hash: Buffer;
}

/**
 * Read access to complete-subtree hashes. `get(0, i)` is leaf hash i. Only nodes of complete
 * subtrees are ever requested, so a store never has to materialise a node that could still
 * change. `getMany` lets a database store answer a whole root or proof in one query; when absent,
 * `get` is called once per node.
 */
export interface SubtreeStore {
  get(level: number, index: number): Promise<Buffer>;
  getMany?(nodes: readonly NodeId[]): Promise<Buffer[]>;
}

function assertSize(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative safe integer, got ${value}`);
  }
}

function largestPowerOfTwoAtMost(n: number): { size: number; level: number } {
  let size = 1;
  let level = 0;
  while (size * 2 <= n) {
    size *= 2;
    level += 1;
  }
  return { size, level };
}

/**
 * Splits leaf range [start, end) into complete subtrees of strictly decreasing size. Their right
 * fold is MTH(D[start:end]) whenever each piece is aligned — which holds for every node of an RFC
 * tree (start is a multiple of the power of two ≥ end−start). Other ranges are rejected, because
 * their standalone hash would need nodes the store does not keep.
 */
export function perfectSubtrees(start: number, end: number): NodeId[] {
  assertSize('start', start);
  assertSize('end', end);
  if (end <= start) throw new RangeError(`empty leaf range [${start}, ${end})`);
  const nodes: NodeId[] = [];
  let pos = start;
  while (pos < end) {
    const { size, level } = largestPowerOfTwoAtMost(end - pos);
    if (pos % size !== 0) {
      throw new RangeError(`leaf range [${start}, ${end}) is not a node of a Merkle tree`);
    }
    nodes.push({ level, index: pos / size });
    pos += size;
  }
  return nodes;
}

/** Right fold of subtree hashes ordered left to right: H(a, H(b, H(c, d))). */
export function foldRight(hashes: readonly Buffer[]): Buffer {
  const last = hashes[hashes.length - 1];
  if (last === undefined) return EMPTY_ROOT;
  let acc = last;
  for (let i = hashes.length - 2; i >= 0; i -= 1) acc = nodeHash(hashes[i]!, acc);
  return acc;
}

export type LeafRange = readonly [start: number, end: number];

/**
 * Leaf ranges whose MTHs form the audit path PATH(index, D[0:size]), ordered leaf to root
 * (RFC 9162 §2.1.3.1, unrolled).
 */
export function inclusionRanges(index: number, size: number): LeafRange[] {
  assertSize('index', index);
  assertSize('size', size);
  if (index >= size) throw new RangeError(`leaf index ${index} is outside a tree of size ${size}`);
  const topDown: LeafRange[] = [];
  let start = 0;
  let end = size;
  while (end - start > 1) {
    const k = largestPowerOfTwoBelow(end - start);
    if (index - start < k) {
      topDown.push([start + k, end]);
      end = start + k;
    } else {
      topDown.push([start, start + k]);
      start += k;
    }
  }
  return topDown.reverse();
}

/**
 * Leaf ranges whose MTHs form PROOF(m, D[0:n]), ordered as the RFC emits them (deepest first)
 * (RFC 9162 §2.1.4.1, SUBPROOF unrolled). Empty when m is 0 or m equals n.
 */
export function consistencyRanges(m: number, n: number): LeafRange[] {
  assertSize('m', m);
  assertSize('n', n);
  if (m > n) throw new RangeError(`old size ${m} exceeds new size ${n}`);
  if (m === 0 || m === n) return [];
  const topDown: LeafRange[] = [];
  let start = 0;
  let end = n;
  // Whether the current subtree is the old tree's own root so far, which the verifier already has.
  let isOldRoot = true;
  while (m !== end) {
    const k = largestPowerOfTwoBelow(end - start);
    if (m - start <= k) {
      topDown.push([start + k, end]);
      end = start + k;
    } else {
      topDown.push([start, start + k]);
      start += k;
      isOldRoot = false;
    }
  }
  if (!isOldRoot) topDown.push([start, end]);
  return topDown.reverse();
}

async function fetchNodes(store: SubtreeStore, nodes: readonly NodeId[]): Promise<Buffer[]> {
  const hashes = store.getMany
    ? await store.getMany(nodes)
    : await Promise.all(nodes.map((n) => store.get(n.level, n.index)));
  if (hashes.length !== nodes.length) {
    throw new Error(`subtree store returned ${hashes.length} hashes for ${nodes.length} nodes`);
  }
  return hashes;
}

/** MTH of each range, fetching every needed complete subtree in a single batch. */
export async function rangeRoots(store: SubtreeStore, ranges: readonly LeafRange[]): Promise<Buffer[]> {
  const plans = ranges.map(([start, end]) => perfectSubtrees(start, end));
  const hashes = await fetchNodes(store, plans.flat());
  let offset = 0;
  return plans.map((plan) => {
    const group = hashes.slice(offset, offset + plan.length);
    offset += plan.length;
    return foldRight(group);
  });
}

export async function rootAt(store: SubtreeStore, size: number): Promise<Buffer> {
  assertSize('size', size);
  if (size === 0) return EMPTY_ROOT;
  const [root] = await rangeRoots(store, [[0, size]]);
  return root!;
}

export async function inclusionProof(
  store: SubtreeStore,
  index: number,
  size: number,
): Promise<Buffer[]> {
  return rangeRoots(store, inclusionRanges(index, size));
}

export async function consistencyProof(store: SubtreeStore, m: number, n: number): Promise<Buffer[]> {
  return rangeRoots(store, consistencyRanges(m, n));
}

// ---------------------------------------------------------------------------------------------
// Appends: the frontier (compact range [0, size)) is the list of complete-subtree roots along the
// right edge, largest first — one per set bit of size, so at most log2(size)+1 hashes.

/** Complete subtrees making up the frontier of a tree of `size` leaves, largest first. */
export function frontierNodes(size: number): NodeId[] {
  assertSize('size', size);
  return size === 0 ? [] : perfectSubtrees(0, size);
}

/** Loads the frontier of a tree of `size` leaves, e.g. to resume appending after a restart. */
export async function frontierAt(store: SubtreeStore, size: number): Promise<Buffer[]> {
  return fetchNodes(store, frontierNodes(size));
}

export function frontierRoot(frontier: readonly Buffer[]): Buffer {
  return foldRight(frontier);
}

function popCount(n: number): number {
  let count = 0;
  for (let v = n; v > 0; v = Math.floor(v / 2)) count += v % 2;
  return count;
}

export interface AppendResult {
  frontier: Buffer[];
  /**
   * Every complete subtree the new leaf completes, bottom up, starting with the leaf itself at
   * level 0 — so a store keeping all levels in one table inserts them uniformly, in the same
   * transaction as the leaf row.
   */
  nodes: TreeNode[];
}

/** Appends leaf `size` (0-based) to a tree whose frontier is `frontier`. Pure; O(log n). */
export function appendToFrontier(
  frontier: readonly Buffer[],
  size: number,
  newLeafHash: Buffer,
): AppendResult {
  assertSize('size', size);
  if (frontier.length !== popCount(size)) {
    throw new Error(
      `frontier has ${frontier.length} hashes but a tree of size ${size} needs ${popCount(size)}`,
    );
  }
  const next = frontier.slice();
  let hash = newLeafHash;
  let level = 0;
  let index = size;
  const nodes: TreeNode[] = [{ level, index, hash }];
  // Each trailing 1-bit of size is a same-sized complete subtree on the left that the new one
  // now pairs with, exactly like carry propagation in binary addition.
  for (let s = size; s % 2 === 1; s = Math.floor(s / 2)) {
    hash = nodeHash(next.pop()!, hash);
    level += 1;
    index = Math.floor(index / 2);
    nodes.push({ level, index, hash });
  }
  next.push(hash);
  return { frontier: next, nodes };
}

// ---------------------------------------------------------------------------------------------
// In-memory tree, for tests and offline verification of exported ledgers.

/** levels[k][i] = hash of complete node (k, i); incomplete right-edge nodes are not included. */
export function computeLevels(leafHashes: readonly Buffer[]): Buffer[][] {
  const levels: Buffer[][] = [leafHashes.slice()];
  for (let below = levels[0]!; below.length >= 2; ) {
    const above: Buffer[] = [];
    for (let i = 0; i + 1 < below.length; i += 2) above.push(nodeHash(below[i]!, below[i + 1]!));
    levels.push(above);
    below = above;
  }
  return levels;
}

/** A SubtreeStore over `computeLevels` output; asking for a node that is not complete throws. */
export function memoryStore(levels: readonly (readonly Buffer[])[]): SubtreeStore {
  return {
    get(level, index) {
      const hash = levels[level]?.[index];
      if (hash === undefined) {
        return Promise.reject(new RangeError(`no complete subtree at level ${level}, index ${index}`));
      }
      return Promise.resolve(hash);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Verifiers (RFC 9162 §2.1.3.2 and §2.1.4.2). They return false on any malformed input rather than
// throwing, since every input comes from an untrusted prover.

function isHash(value: Uint8Array): boolean {
  return value.length === HASH_SIZE;
}

function sameHash(a: Uint8Array, b: Uint8Array): boolean {
  return isHash(a) && isHash(b) && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}

function isValidSize(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

const isOdd = (v: number): boolean => v % 2 === 1;
const half = (v: number): number => Math.floor(v / 2);

export function verifyInclusion(
  leaf: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!isValidSize(index) || !isValidSize(size) || index >= size) return false;
  if (!isHash(leaf) || !proof.every(isHash)) return false;
  let fn = index;
  let sn = size - 1;
  let r: Buffer = Buffer.from(leaf);
  for (const p of proof) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      // A left-edge node with no right sibling is promoted unchanged; skip those levels.
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && sameHash(r, root);
}

export function verifyConsistency(
  m: number,
  n: number,
  rootM: Uint8Array,
  rootN: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!isValidSize(m) || !isValidSize(n) || m > n) return false;
  if (!isHash(rootM) || !isHash(rootN) || !proof.every(isHash)) return false;
  if (m === n) return proof.length === 0 && sameHash(rootM, rootN);
  // Every tree extends the empty one; insist the claimed old root really is the empty root.
  if (m === 0) return proof.length === 0 && sameHash(rootM, EMPTY_ROOT);
  if (proof.length === 0) return false;

  // When m is a power of two the old root is itself a node of the new tree, so the RFC omits it
  // from the proof and the verifier supplies it.
  const path = popCount(m) === 1 ? [rootM, ...proof] : proof;
  let fn = m - 1;
  let sn = n - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr: Buffer = Buffer.from(path[0]!);
  let sr: Buffer = fr;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && sameHash(fr, rootM) && sameHash(sr, rootN);
}
