// Laws of the Merkle core for random trees of up to a few thousand leaves (fast-check): every
// inclusion and consistency proof verifies, and flipping any single bit of a proof, a root or a
// leaf makes it fail.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeLevels, consistencyProof, inclusionProof, leafHash, memoryStore, rootAt, verifyConsistency, verifyInclusion } from './merkle.ts';

const leaves = (n: number) => Array.from({ length: n }, (_, i) => leafHash(Buffer.from(`leaf ${i}`)));
const treeCache = new Map<number, ReturnType<typeof memoryStore>>();
const storeOf = (n: number) => {
  let s = treeCache.get(n);
  if (!s) treeCache.set(n, (s = memoryStore(computeLevels(leaves(n)))));
  return s;
};

function flip(b: Buffer, bit: number): Buffer {
  const out = Buffer.from(b);
  out[Math.floor(bit / 8) % out.length]! ^= 1 << (bit % 8);
  return out;
}

const MAX = 3000;

describe('Merkle proofs (property)', () => {
  it('every inclusion proof verifies; any flipped bit in proof, root or leaf fails', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: MAX }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n - 1 }), fc.nat(), fc.nat())),
        async ([n, index, which, bit]) => {
          const store = storeOf(n);
          const [proof, root, leaf] = await Promise.all([inclusionProof(store, index, n), rootAt(store, n), store.get(0, index)]);
          expect(verifyInclusion(leaf, index, n, proof, root)).toBe(true);
          expect(verifyInclusion(flip(leaf, bit % 256), index, n, proof, root)).toBe(false);
          expect(verifyInclusion(leaf, index, n, proof, flip(root, bit % 256))).toBe(false);
          if (proof.length > 0) {
            const k = which % proof.length;
            expect(verifyInclusion(leaf, index, n, proof.map((p, i) => (i === k ? flip(p, bit % 256) : p)), root)).toBe(false);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('every consistency proof verifies; any flipped bit in proof or either root fails', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: MAX }).chain((n) => fc.tuple(fc.integer({ min: 1, max: n }), fc.constant(n), fc.nat(), fc.nat())),
        async ([m, n, which, bit]) => {
          const store = storeOf(n);
          const [proof, rootM, rootN] = await Promise.all([consistencyProof(store, m, n), rootAt(store, m), rootAt(store, n)]);
          expect(verifyConsistency(m, n, rootM, rootN, proof)).toBe(true);
          expect(verifyConsistency(m, n, flip(rootM, bit % 256), rootN, proof)).toBe(false);
          expect(verifyConsistency(m, n, rootM, flip(rootN, bit % 256), proof)).toBe(false);
          if (proof.length > 0) {
            const k = which % proof.length;
            expect(verifyConsistency(m, n, rootM, rootN, proof.map((p, i) => (i === k ? flip(p, bit % 256) : p)))).toBe(false);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
