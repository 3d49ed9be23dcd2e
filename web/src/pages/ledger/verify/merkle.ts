// RFC 6962 / RFC 9162 Merkle tree hashing and the inclusion-proof walk, in the browser.
//   leaf hash = SHA-256(0x00 ‖ leaf), node hash = SHA-256(0x01 ‖ left ‖ right).
// Sizes and indexes are plain numbers (exact up to 2^53); no bitwise operators, which are 32-bit.

import { concat, sha256 } from './bytes.ts';

export const HASH_SIZE = 32;
const LEAF_PREFIX = Uint8Array.of(0x00);
const NODE_PREFIX = Uint8Array.of(0x01);

export const leafHash = (leaf: Uint8Array): Promise<Uint8Array> => sha256(concat(LEAF_PREFIX, leaf));
export const nodeHash = (left: Uint8Array, right: Uint8Array): Promise<Uint8Array> => sha256(concat(NODE_PREFIX, left, right));

export class ProofError extends Error {
  override name = 'ProofError';
}

const isLsbSet = (n: number) => n % 2 === 1;
const half = (n: number) => Math.floor(n / 2);

/**
 * RFC 9162 §2.1.3.2: the root an inclusion proof leads to, from the leaf hash at `index` (0-based)
 * in a tree of `size` leaves. Throws ProofError when the proof has the wrong shape for that
 * position (too long, too short, wrong hash length); compare the result with a trusted root.
 */
export async function rootFromInclusionProof(index: number, size: number, leaf: Uint8Array, proof: readonly Uint8Array[]): Promise<Uint8Array> {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0) throw new ProofError('叶索引或树大小不合法');
  if (index >= size) throw new ProofError(`叶索引 ${index} 不小于树大小 ${size}`);
  if (leaf.length !== HASH_SIZE) throw new ProofError('叶哈希长度不是 32 字节');
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (p.length !== HASH_SIZE) throw new ProofError('审计路径中的哈希长度不是 32 字节');
    if (sn === 0) throw new ProofError('审计路径过长');
    if (isLsbSet(fn) || fn === sn) {
      r = await nodeHash(p, r);
      if (!isLsbSet(fn)) {
        while (!isLsbSet(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) throw new ProofError('审计路径过短');
  return r;
}

/** Root of a whole tree from its leaf hashes (RFC 6962 §2.1 MTH); for tests and small trees. */
export async function rootOfLeafHashes(hashes: readonly Uint8Array[]): Promise<Uint8Array> {
  if (hashes.length === 0) return sha256(new Uint8Array());
  if (hashes.length === 1) return hashes[0]!;
  let k = 1;
  while (k * 2 < hashes.length) k *= 2;
  return nodeHash(await rootOfLeafHashes(hashes.slice(0, k)), await rootOfLeafHashes(hashes.slice(k)));
}
