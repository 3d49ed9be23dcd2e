import { describe, expect, it } from 'vitest';
import { fromHex, toHex, utf8 } from './bytes.ts';
import { HASH_SIZE, ProofError, leafHash, nodeHash, rootFromInclusionProof, rootOfLeafHashes } from './merkle.ts';
import { inclusionPath } from './ledger.testing.ts';
import { vectors } from './rfc6962.testdata.ts';

const hex = (b: Uint8Array) => toHex(b);

describe('RFC 6962 hashing', () => {
  it('hashes the vector leaves to the vector leaf hashes', async () => {
    expect(vectors.leaves_hex.length).toBeGreaterThan(0);
    for (const [i, leaf] of vectors.leaves_hex.entries()) {
      expect(hex(await leafHash(fromHex(leaf)))).toBe(vectors.leaf_hashes_hex[i]);
    }
  });

  it('passes the hasher vectors (empty root, empty leaf, L123456, N123‖N456)', async () => {
    const byDesc = (start: string) => vectors.hasher_vectors.find((v) => v.desc.startsWith(start))!.hex;
    expect(hex(await rootOfLeafHashes([]))).toBe(vectors.empty_root_hex);
    expect(hex(await rootOfLeafHashes([]))).toBe(byDesc('empty tree root'));
    expect(hex(await leafHash(new Uint8Array()))).toBe(byDesc('leaf hash of empty leaf'));
    expect(hex(await leafHash(utf8('L123456')))).toBe(byDesc("leaf hash of ASCII 'L123456'"));
    expect(hex(await nodeHash(utf8('N123'), utf8('N456')))).toBe(byDesc("node hash of ASCII 'N123'"));
  });

  it('builds the vector roots for every size and the level-1..3 nodes', async () => {
    const hashes = vectors.leaf_hashes_hex.map(fromHex);
    for (const [size, root] of Object.entries(vectors.roots_hex)) {
      expect(hex(await rootOfLeafHashes(hashes.slice(0, Number(size))))).toBe(root);
    }
    expect(hex(await nodeHash(hashes[0]!, hashes[1]!))).toBe(vectors.node_hashes_hex.level1![0]);
  });
});

describe('inclusion proof walk (RFC 9162 §2.1.3.2)', () => {
  const cases = vectors.inclusion.map((c) => ({ ...c, index: c.index - c.index_base }));

  it('walks every vector proof to the vector root', async () => {
    expect(cases.length).toBeGreaterThan(0);
    for (const c of cases) {
      const root = await rootFromInclusionProof(c.index, c.size, fromHex(c.leaf_hash), c.proof.map(fromHex));
      expect(hex(root), `size ${c.size} index ${c.index}`).toBe(vectors.roots_hex[String(c.size)]);
    }
  });

  it('walks a proof for every leaf of every tree up to size 8 built from the vectors', async () => {
    // Proofs from the tree itself (the recursive PATH of RFC 6962 §2.1.1), checked by the walk.
    const hashes = vectors.leaf_hashes_hex.map(fromHex);
    for (let size = 1; size <= hashes.length; size++) {
      const leaves = hashes.slice(0, size);
      for (let m = 0; m < size; m++) {
        const root = await rootFromInclusionProof(m, size, leaves[m]!, await inclusionPath(m, leaves));
        expect(hex(root)).toBe(vectors.roots_hex[String(size)]);
      }
    }
  });

  it('any flipped bit in the leaf hash or the path leads to another root', async () => {
    const c = cases.find((x) => x.size === 8 && x.index === 5)!;
    const root = vectors.roots_hex['8'];
    const leaf = fromHex(c.leaf_hash);
    const proof = c.proof.map(fromHex);
    for (let bit = 0; bit < HASH_SIZE * 8; bit += 37) {
      const badLeaf = leaf.slice();
      badLeaf[bit >> 3]! ^= 1 << (bit & 7);
      expect(hex(await rootFromInclusionProof(c.index, c.size, badLeaf, proof))).not.toBe(root);
      for (let p = 0; p < proof.length; p++) {
        const badProof = proof.map((h) => h.slice());
        badProof[p]![bit >> 3]! ^= 1 << (bit & 7);
        expect(hex(await rootFromInclusionProof(c.index, c.size, leaf, badProof))).not.toBe(root);
      }
    }
  });

  it('a wrong index or size leads to another root or is refused', async () => {
    const c = cases.find((x) => x.size === 8 && x.index === 5)!;
    const root = vectors.roots_hex['8'];
    const leaf = fromHex(c.leaf_hash);
    const proof = c.proof.map(fromHex);
    for (const index of [4, 6, 7, 0]) {
      expect(hex(await rootFromInclusionProof(index, 8, leaf, proof))).not.toBe(root);
    }
    await expect(rootFromInclusionProof(8, 8, leaf, proof)).rejects.toThrow(ProofError);
    await expect(rootFromInclusionProof(-1, 8, leaf, proof)).rejects.toThrow(ProofError);
    await expect(rootFromInclusionProof(5, 4, leaf, proof)).rejects.toThrow(ProofError);
  });

  it('refuses a path that is too long, too short or has a hash of the wrong length', async () => {
    const c = cases.find((x) => x.size === 8 && x.index === 0)!;
    const leaf = fromHex(c.leaf_hash);
    const proof = c.proof.map(fromHex);
    await expect(rootFromInclusionProof(0, 8, leaf, [...proof, proof[0]!])).rejects.toThrow('过长');
    await expect(rootFromInclusionProof(0, 8, leaf, proof.slice(0, -1))).rejects.toThrow('过短');
    await expect(rootFromInclusionProof(0, 8, leaf, [proof[0]!.slice(1), ...proof.slice(1)])).rejects.toThrow('32 字节');
    await expect(rootFromInclusionProof(0, 1, leaf, [])).resolves.toEqual(leaf);
  });

  it('handles indexes and sizes beyond 32 bits without bitwise overflow', async () => {
    // A path of the right length for index 2^40 + 3 in a tree of 2^41 leaves: 41 hashes.
    const leaf = fromHex(vectors.leaf_hashes_hex[0]!);
    const proof = Array.from({ length: 41 }, (_, i) => fromHex(vectors.leaf_hashes_hex[i % 8]!));
    await expect(rootFromInclusionProof(2 ** 40 + 3, 2 ** 41, leaf, proof)).resolves.toHaveLength(32);
    await expect(rootFromInclusionProof(2 ** 40 + 3, 2 ** 41, leaf, proof.slice(1))).rejects.toThrow('过短');
  });
});
