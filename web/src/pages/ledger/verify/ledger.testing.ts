// Test-only: a small ledger built in memory (entries, leaves, tree, a signed checkpoint), answering
// as the server's API would, so the in-browser verification can be checked end to end and tampered with.
import type { InclusionProof, LedgerEntry, LedgerEntryWithLeaf } from '@contracts/ledger.ts';
import { toBase64, toHex } from './bytes.ts';
import type { PublicKeyInfo } from './entry.ts';
import { encodeLeaf } from './leaf.ts';
import { leafHash, rootOfLeafHashes } from './merkle.ts';
import { newSigner } from './signer.testing.ts';

/** RFC 6962 §2.1.1 PATH(m, D[n]), leaf to root, computed from the whole tree. */
export async function inclusionPath(m: number, leaves: Uint8Array[]): Promise<Uint8Array[]> {
  if (leaves.length <= 1) return [];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return m < k
    ? [...(await inclusionPath(m, leaves.slice(0, k))), await rootOfLeafHashes(leaves.slice(k))]
    : [...(await inclusionPath(m - k, leaves.slice(k))), await rootOfLeafHashes(leaves.slice(0, k))];
}

export function sampleEntry(seq: number): LedgerEntry {
  return {
    seq,
    at: new Date(Date.UTC(2026, 2, 1, 8, 0, seq)).toISOString(),
    actorAccountId: seq % 3 === 0 ? null : 3,
    actorPersonId: 7,
    actorName: seq % 2 ? '张伟(010234)' : '系统(启动初始化)',
    action: 'org.person.update',
    subjectType: 'person',
    subjectId: String(40 + seq),
    payload: { before: { unitId: seq, 名称: '一中队' }, after: { unitId: seq + 1, ratio: 0.1 * seq, tags: [], note: 'a"b\\c\n😀' } },
    requestId: `req-${seq}`,
    clientIp: '10.0.0.8',
  };
}

export async function fakeLedger(size: number, origin = 'clearlane/test-ledger') {
  const signer = await newSigner(origin);
  const entries = Array.from({ length: size }, (_, i) => sampleEntry(i + 1));
  const leaves = entries.map(encodeLeaf);
  const hashes = await Promise.all(leaves.map(leafHash));
  const root = await rootOfLeafHashes(hashes);
  const checkpoint = await signer.sign(`${origin}\n${size}\n${toBase64(root)}\n`);
  const publicKey: PublicKeyInfo = { origin, verifierKey: signer.vkey, keyId: toHex(signer.keyId), publicKey: toBase64(signer.publicKey) };
  return {
    signer,
    publicKey,
    checkpoint,
    root,
    entry(seq: number): LedgerEntryWithLeaf {
      return { entry: structuredClone(entries[seq - 1]!), leafIndex: seq - 1, leaf: toBase64(leaves[seq - 1]!), leafHash: toBase64(hashes[seq - 1]!) };
    },
    async proof(seq: number): Promise<InclusionProof> {
      return {
        seq,
        leafIndex: seq - 1,
        treeSize: size,
        leafHash: toBase64(hashes[seq - 1]!),
        rootHash: toBase64(root),
        proof: (await inclusionPath(seq - 1, hashes)).map(toBase64),
        checkpoint,
      };
    },
  };
}
