import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  EMPTY_ROOT,
  appendToFrontier,
  computeLevels,
  consistencyProof,
  consistencyRanges,
  frontierAt,
  frontierRoot,
  inclusionProof,
  inclusionRanges,
  largestPowerOfTwoBelow,
  leafHash,
  memoryStore,
  nodeHash,
  perfectSubtrees,
  rootAt,
  verifyConsistency,
  verifyInclusion,
  type NodeId,
  type SubtreeStore,
} from './merkle.ts';

interface Vectors {
  leaves_hex: string[];
  empty_root_hex: string;
  leaf_hashes_hex: string[];
  roots_hex: Record<string, string>;
  inclusion: { size: number; index: number; index_base: number; leaf_hash: string; proof: string[] }[];
  consistency: { size1: number; size2: number; proof: string[] }[];
  hasher_vectors: { desc: string; hex: string }[];
  node_hashes_hex: Record<string, string[]>;
}

const vectors = JSON.parse(
  readFileSync(new URL('../../../../shared/testdata/rfc6962.json', import.meta.url), 'utf8'),
) as Vectors;

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const unhex = (s: string): Buffer => Buffer.from(s, 'hex');
const leaves = vectors.leaves_hex.map(unhex);
const leafHashes = leaves.map(leafHash);
const vectorStore = memoryStore(computeLevels(leafHashes));

function knownRoot(size: number): Buffer {
  const root = vectors.roots_hex[String(size)];
  if (root === undefined) throw new Error(`no root vector for size ${size}`);
  return unhex(root);
}

// Straight transcriptions of the RFC 9162 §2.1 recursive definitions, used as the oracle for the
// store-backed, O(log n) implementations.
function refRoot(hashes: Buffer[]): Buffer {
  if (hashes.length === 0) return EMPTY_ROOT;
  if (hashes.length === 1) return hashes[0]!;
  const k = largestPowerOfTwoBelow(hashes.length);
  return nodeHash(refRoot(hashes.slice(0, k)), refRoot(hashes.slice(k)));
}

function refPath(m: number, hashes: Buffer[]): Buffer[] {
  if (hashes.length <= 1) return [];
  const k = largestPowerOfTwoBelow(hashes.length);
  return m < k
    ? [...refPath(m, hashes.slice(0, k)), refRoot(hashes.slice(k))]
    : [...refPath(m - k, hashes.slice(k)), refRoot(hashes.slice(0, k))];
}

function refSubproof(m: number, hashes: Buffer[], b: boolean): Buffer[] {
  if (m === hashes.length) return b ? [] : [refRoot(hashes)];
  const k = largestPowerOfTwoBelow(hashes.length);
  return m <= k
    ? [...refSubproof(m, hashes.slice(0, k), b), refRoot(hashes.slice(k))]
    : [...refSubproof(m - k, hashes.slice(k), false), refRoot(hashes.slice(0, k))];
}

function flipBit(b: Buffer, bit: number): Buffer {
  const copy = Buffer.from(b);
  copy[bit >> 3] = copy[bit >> 3]! ^ (1 << (bit & 7));
  return copy;
}

function syntheticLeaves(n: number): Buffer[] {
  return Array.from({ length: n }, (_, i) => leafHash(Buffer.from(`entry ${i}`)));
}

const MAX_N = 70;
const bigLeaves = syntheticLeaves(MAX_N);
const bigStore = memoryStore(computeLevels(bigLeaves));
const refRoots = Array.from({ length: MAX_N + 1 }, (_, n) => refRoot(bigLeaves.slice(0, n)));

describe('hashing (RFC 6962 §2.1)', () => {
  it('matches the transparency-dev hasher vectors', () => {
    const [empty, emptyLeaf, leafL, nodeN] = vectors.hasher_vectors.map((v) => v.hex);
    expect(hex(EMPTY_ROOT)).toBe(empty);
    expect(hex(EMPTY_ROOT)).toBe(vectors.empty_root_hex);
    expect(hex(leafHash(new Uint8Array()))).toBe(emptyLeaf);
    expect(hex(leafHash(Buffer.from('L123456')))).toBe(leafL);
    expect(hex(nodeHash(Buffer.from('N123'), Buffer.from('N456')))).toBe(nodeN);
  });

  it('hashes every test leaf', () => {
    expect(leafHashes.map(hex)).toEqual(vectors.leaf_hashes_hex);
  });

  it('builds the expected interior nodes', () => {
    const levels = computeLevels(leafHashes);
    for (const [name, expected] of Object.entries(vectors.node_hashes_hex)) {
      const level = Number(name.replace('level', ''));
      expect(levels[level]?.map(hex), name).toEqual(expected);
    }
  });

  it('computes largestPowerOfTwoBelow', () => {
    const cases: [number, number][] = [[2, 1], [3, 2], [4, 2], [5, 4], [8, 4], [9, 8], [70, 64]];
    for (const [n, k] of cases) expect(largestPowerOfTwoBelow(n)).toBe(k);
    expect(largestPowerOfTwoBelow(2 ** 40 + 1)).toBe(2 ** 40);
    expect(largestPowerOfTwoBelow(2 ** 40)).toBe(2 ** 39);
    expect(() => largestPowerOfTwoBelow(1)).toThrow(RangeError);
  });
});

describe('roots', () => {
  it('matches the known roots for sizes 0..8', async () => {
    expect(await rootAt(vectorStore, 0)).toEqual(EMPTY_ROOT);
    for (let size = 1; size <= 8; size += 1) {
      expect(hex(await rootAt(vectorStore, size)), `size ${size}`).toBe(hex(knownRoot(size)));
    }
  });

  it('matches the recursive definition for every size up to 70', async () => {
    for (let n = 0; n <= MAX_N; n += 1) expect(await rootAt(bigStore, n)).toEqual(refRoots[n]);
  });
});

describe('inclusion proofs', () => {
  for (const v of vectors.inclusion) {
    const index = v.index - v.index_base;
    it(`reproduces the vector for leaf ${index} of ${v.size}`, async () => {
      expect(hex(leafHashes[index]!)).toBe(v.leaf_hash);
      const proof = await inclusionProof(vectorStore, index, v.size);
      expect(proof.map(hex)).toEqual(v.proof);
      const ok = verifyInclusion(unhex(v.leaf_hash), index, v.size, v.proof.map(unhex), knownRoot(v.size));
      expect(ok).toBe(true);
    });
  }

  it('generates RFC proofs that verify, and rejects every single-bit change, for n <= 70', async () => {
    for (let n = 1; n <= MAX_N; n += 1) {
      const root = refRoots[n]!;
      for (let i = 0; i < n; i += 1) {
        const leaf = bigLeaves[i]!;
        const proof = await inclusionProof(bigStore, i, n);
        expect(proof).toEqual(refPath(i, bigLeaves.slice(0, n)));
        expect(verifyInclusion(leaf, i, n, proof, root)).toBe(true);

        const bit = (i * 31 + n) % 256;
        expect(verifyInclusion(flipBit(leaf, bit), i, n, proof, root)).toBe(false);
        expect(verifyInclusion(leaf, i, n, proof, flipBit(root, bit))).toBe(false);
        for (let j = 0; j < proof.length; j += 1) {
          const tampered = proof.map((p, k) => (k === j ? flipBit(p, bit) : p));
          expect(verifyInclusion(leaf, i, n, tampered, root)).toBe(false);
        }
        if (n > 1) {
          expect(verifyInclusion(leaf, (i + 1) % n, n, proof, root)).toBe(false);
          expect(verifyInclusion(leaf, i, n, proof.slice(1), root)).toBe(false);
        }
        expect(verifyInclusion(leaf, i, n, [...proof, leaf], root)).toBe(false);
        if (n < MAX_N) expect(verifyInclusion(leaf, i, n + 1, proof, refRoots[n + 1]!)).toBe(false);
      }
    }
  });

  it('rejects out-of-range and malformed input without throwing', () => {
    const root = knownRoot(8);
    const leaf = leafHashes[0]!;
    expect(verifyInclusion(leaf, 8, 8, [], root)).toBe(false);
    expect(verifyInclusion(leaf, -1, 8, [], root)).toBe(false);
    expect(verifyInclusion(leaf, 0.5, 8, [], root)).toBe(false);
    expect(verifyInclusion(leaf, 0, 0, [], EMPTY_ROOT)).toBe(false);
    expect(verifyInclusion(leaf.subarray(1), 0, 1, [], root)).toBe(false);
    expect(() => inclusionRanges(8, 8)).toThrow(RangeError);
  });
});

describe('consistency proofs', () => {
  for (const v of vectors.consistency) {
    it(`reproduces the vector for ${v.size1} -> ${v.size2}`, async () => {
      const proof = await consistencyProof(vectorStore, v.size1, v.size2);
      expect(proof.map(hex)).toEqual(v.proof);
      const [rootM, rootN] = [knownRoot(v.size1), knownRoot(v.size2)];
      expect(verifyConsistency(v.size1, v.size2, rootM, rootN, v.proof.map(unhex))).toBe(true);
    });
  }

  it('generates RFC proofs that verify, and rejects single-bit changes, for m <= n <= 70', async () => {
    for (let n = 1; n <= MAX_N; n += 1) {
      for (let m = 1; m <= n; m += 1) {
        const rootM = refRoots[m]!;
        const rootN = refRoots[n]!;
        const proof = await consistencyProof(bigStore, m, n);
        expect(proof).toEqual(m === n ? [] : refSubproof(m, bigLeaves.slice(0, n), true));
        expect(verifyConsistency(m, n, rootM, rootN, proof)).toBe(true);

        const bit = (m * 7 + n) % 256;
        expect(verifyConsistency(m, n, flipBit(rootM, bit), rootN, proof)).toBe(false);
        expect(verifyConsistency(m, n, rootM, flipBit(rootN, bit), proof)).toBe(false);
        for (let j = 0; j < proof.length; j += 1) {
          const tampered = proof.map((p, k) => (k === j ? flipBit(p, bit) : p));
          expect(verifyConsistency(m, n, rootM, rootN, tampered)).toBe(false);
        }
        if (m < n) {
          expect(verifyConsistency(m, n, rootM, rootN, proof.slice(0, -1))).toBe(false);
          expect(verifyConsistency(m, n, rootM, rootN, [...proof, rootN])).toBe(false);
        }
      }
    }
  });

  it('treats the empty tree as a prefix of every tree, but only with the empty root', () => {
    expect(verifyConsistency(0, 5, EMPTY_ROOT, knownRoot(5), [])).toBe(true);
    expect(verifyConsistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [])).toBe(true);
    expect(verifyConsistency(0, 5, knownRoot(1), knownRoot(5), [])).toBe(false);
    expect(verifyConsistency(0, 5, EMPTY_ROOT, knownRoot(5), [knownRoot(1)])).toBe(false);
    expect(consistencyRanges(0, 5)).toEqual([]);
  });

  it('rejects shrinking trees and equal sizes with different roots', () => {
    expect(verifyConsistency(5, 4, knownRoot(5), knownRoot(4), [])).toBe(false);
    expect(verifyConsistency(4, 4, knownRoot(4), knownRoot(5), [])).toBe(false);
    expect(verifyConsistency(4, 4, knownRoot(4), knownRoot(4), [])).toBe(true);
    expect(verifyConsistency(3, 5, knownRoot(3), knownRoot(5), [])).toBe(false);
    expect(() => consistencyRanges(5, 4)).toThrow(RangeError);
  });
});

describe('frontier appends', () => {
  it('produces the same roots and complete nodes as a full rebuild', async () => {
    const levels = computeLevels(bigLeaves);
    const written = new Map<string, Buffer>();
    let frontier: Buffer[] = [];
    for (let size = 0; size < MAX_N; size += 1) {
      const result = appendToFrontier(frontier, size, bigLeaves[size]!);
      frontier = result.frontier;
      expect(frontierRoot(frontier), `size ${size + 1}`).toEqual(refRoots[size + 1]);
      expect(frontier).toEqual(await frontierAt(bigStore, size + 1));
      expect(result.nodes[0]).toEqual({ level: 0, index: size, hash: bigLeaves[size] });
      for (const node of result.nodes) {
        const key = `${node.level}/${node.index}`;
        expect(written.has(key), `node ${key} written twice`).toBe(false);
        written.set(key, node.hash);
      }
    }
    const expected = new Map(levels.flatMap((level, k) => level.map((h, i) => [`${k}/${i}`, h] as const)));
    expect(written).toEqual(expected);
    expect(frontierRoot([])).toEqual(EMPTY_ROOT);
  });

  it('refuses a frontier that does not match the tree size', () => {
    expect(() => appendToFrontier([], 1, bigLeaves[0]!)).toThrow(/frontier/);
    expect(() => appendToFrontier([bigLeaves[0]!], 3, bigLeaves[2]!)).toThrow(/frontier/);
  });
});

describe('complete-subtree reads', () => {
  function countingStore(inner: SubtreeStore): { store: SubtreeStore; reads: () => number } {
    let reads = 0;
    return {
      store: {
        get(level, index) {
          reads += 1;
          return inner.get(level, index);
        },
      },
      reads: () => reads,
    };
  }

  it('needs O(log n) lookups for roots and proofs', async () => {
    const n = 5000;
    const leavesN = syntheticLeaves(n);
    const base = memoryStore(computeLevels(leavesN));
    const rootN = await rootAt(base, n);
    const logN = Math.ceil(Math.log2(n));
    for (const i of [0, 1, 2047, 2048, 4095, 4096, 4999]) {
      const { store, reads } = countingStore(base);
      const proof = await inclusionProof(store, i, n);
      expect(reads()).toBeLessThanOrEqual(2 * logN);
      expect(verifyInclusion(leavesN[i]!, i, n, proof, rootN)).toBe(true);
    }
    for (const m of [1, 3, 1000, 2048, 4097, 4999]) {
      const { store, reads } = countingStore(base);
      const proof = await consistencyProof(store, m, n);
      expect(reads()).toBeLessThanOrEqual(3 * logN);
      expect(verifyConsistency(m, n, await rootAt(base, m), rootN, proof)).toBe(true);
    }
    const { store, reads } = countingStore(base);
    await rootAt(store, n);
    expect(reads()).toBe(5); // 5000 = 4096 + 512 + 256 + 128 + 8
  });

  it('fetches a whole proof with one getMany call when the store offers it', async () => {
    const calls: NodeId[][] = [];
    const store: SubtreeStore = {
      get: () => Promise.reject(new Error('get should not be used')),
      getMany: (nodes) => {
        calls.push([...nodes]);
        return Promise.all(nodes.map((node) => bigStore.get(node.level, node.index)));
      },
    };
    const proof = await inclusionProof(store, 5, 70);
    expect(calls).toHaveLength(1);
    expect(verifyInclusion(bigLeaves[5]!, 5, 70, proof, refRoots[70]!)).toBe(true);
  });

  it('only decomposes ranges that are nodes of the tree', () => {
    expect(perfectSubtrees(0, 7)).toEqual([
      { level: 2, index: 0 },
      { level: 1, index: 2 },
      { level: 0, index: 6 },
    ]);
    expect(perfectSubtrees(64, 70)).toEqual([
      { level: 2, index: 16 },
      { level: 1, index: 34 },
    ]);
    expect(() => perfectSubtrees(1, 5)).toThrow(/not a node/);
    expect(() => perfectSubtrees(3, 3)).toThrow(RangeError);
  });

  it('handles tree sizes beyond 32 bits', async () => {
    // Every leaf equal, so the complete subtree at level k has the same hash at every index and a
    // tree of 2^40 leaves can be served without materialising it.
    const byLevel = [leafHash(Buffer.from('same'))];
    for (let k = 1; k <= 53; k += 1) byLevel.push(nodeHash(byLevel[k - 1]!, byLevel[k - 1]!));
    const uniform: SubtreeStore = { get: (level) => Promise.resolve(byLevel[level]!) };
    const n = 2 ** 40 + 2 ** 33 + 5;
    const root = await rootAt(uniform, n);
    for (const i of [0, 2 ** 32 + 1, 2 ** 40 - 1, 2 ** 40 + 2 ** 33 + 4]) {
      const proof = await inclusionProof(uniform, i, n);
      expect(verifyInclusion(byLevel[0]!, i, n, proof, root)).toBe(true);
      expect(verifyInclusion(byLevel[1]!, i, n, proof, root)).toBe(false);
    }
    const m = 2 ** 33 + 3;
    const proof = await consistencyProof(uniform, m, n);
    expect(verifyConsistency(m, n, await rootAt(uniform, m), root, proof)).toBe(true);
  });
});
