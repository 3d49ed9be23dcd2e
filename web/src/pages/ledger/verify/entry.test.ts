import { describe, expect, it } from 'vitest';
import type { InclusionProof, LedgerEntryWithLeaf } from '@contracts/ledger.ts';
import { fromBase64, toBase64 } from './bytes.ts';
import { verifyEntryInBrowser, type EntryVerification, type StepKey } from './entry.ts';
import { fakeLedger } from './ledger.testing.ts';
import { encodeLeaf } from './leaf.ts';
import { leafHash, rootFromInclusionProof } from './merkle.ts';
import { newSigner } from './signer.testing.ts';

const status = (v: EntryVerification) => Object.fromEntries(v.steps.map((s) => [s.key, s.status])) as Record<StepKey, string>;
const ALL_PASS = { leaf: 'pass', leafHash: 'pass', path: 'pass', signature: 'pass' };

describe('in-browser verification of a ledger entry', async () => {
  const ledger = await fakeLedger(11);

  it('passes every step for every entry of an honest ledger', async () => {
    for (let seq = 1; seq <= 11; seq++) {
      const v = await verifyEntryInBrowser({ entry: ledger.entry(seq), proof: await ledger.proof(seq), key: ledger.publicKey });
      expect(status(v), `seq ${seq}`).toEqual(ALL_PASS);
      expect(v.ok).toBe(true);
    }
  });

  it('a displayed entry that differs from the hashed leaf fails at the leaf (and so at the hash)', async () => {
    const e = ledger.entry(5);
    (e.entry.payload as { after: { unitId: number } }).after.unitId = 99;
    const v = await verifyEntryInBrowser({ entry: e, proof: await ledger.proof(5), key: ledger.publicKey });
    expect(status(v)).toMatchObject({ leaf: 'fail', leafHash: 'fail' });
    expect(v.ok).toBe(false);
    expect(v.steps[0]!.summary).toContain('不一致');
  });

  it('an entry rewritten together with its leaf fails at the leaf hash', async () => {
    const e = ledger.entry(5);
    e.entry.actorName = '李四';
    e.leaf = toBase64(encodeLeaf(e.entry));
    const v = await verifyEntryInBrowser({ entry: e, proof: await ledger.proof(5), key: ledger.publicKey });
    expect(status(v)).toMatchObject({ leaf: 'pass', leafHash: 'fail' });
    expect(v.ok).toBe(false);
  });

  it('entry, leaf and leaf hashes rewritten: the walked root differs from the signed root', async () => {
    const e = ledger.entry(5);
    e.entry.subjectId = '999';
    const leaf = encodeLeaf(e.entry);
    e.leaf = toBase64(leaf);
    e.leafHash = toBase64(await leafHash(leaf));
    const proof = { ...(await ledger.proof(5)), leafHash: e.leafHash };
    let v = await verifyEntryInBrowser({ entry: e, proof, key: ledger.publicKey });
    expect(status(v)).toMatchObject({ leaf: 'pass', leafHash: 'pass', path: 'fail', signature: 'pass' });

    // …and a proof root rewritten to match still disagrees with the checkpoint's signed root line
    const forgedRoot = toBase64(await rootFromInclusionProof(4, 11, fromBase64(e.leafHash), proof.proof.map(fromBase64)));
    v = await verifyEntryInBrowser({ entry: e, proof: { ...proof, rootHash: forgedRoot }, key: ledger.publicKey });
    expect(status(v).path).toBe('fail');
    expect(v.steps[2]!.summary).toContain('检查点的根哈希行不同');

    // …and a checkpoint with that root but the old signature fails at the signature
    const forgedNote = ledger.checkpoint.replace(toBase64(ledger.root), forgedRoot);
    v = await verifyEntryInBrowser({ entry: e, proof: { ...proof, rootHash: forgedRoot, checkpoint: forgedNote }, key: ledger.publicKey });
    expect(status(v)).toMatchObject({ path: 'pass', signature: 'fail' });
    expect(v.ok).toBe(false);
  });

  it('a whole log rebuilt with a new key verifies against the new key but not against the key kept outside', async () => {
    const rebuilt = await fakeLedger(11, 'clearlane/test-ledger');
    const input = { entry: rebuilt.entry(3), proof: await rebuilt.proof(3) };
    expect((await verifyEntryInBrowser({ ...input, key: rebuilt.publicKey })).ok).toBe(true);
    const v = await verifyEntryInBrowser({ ...input, key: { verifierKey: ledger.publicKey.verifierKey } });
    expect(status(v)).toMatchObject({ path: 'pass', signature: 'fail' });
    expect(v.steps[3]!.summary).toContain('没有密钥');
  });

  it('a proof for another entry, a flipped path bit or a wrong tree size fails the path', async () => {
    const e = ledger.entry(6);
    const other: InclusionProof = await ledger.proof(7);
    expect(status(await verifyEntryInBrowser({ entry: e, proof: other, key: ledger.publicKey })).path).toBe('fail');

    const p = await ledger.proof(6);
    const bad = fromBase64(p.proof[1]!);
    bad[0]! ^= 0x80;
    const flipped = { ...p, proof: p.proof.map((h, i) => (i === 1 ? toBase64(bad) : h)) };
    expect(status(await verifyEntryInBrowser({ entry: e, proof: flipped, key: ledger.publicKey })).path).toBe('fail');
    expect(status(await verifyEntryInBrowser({ entry: e, proof: { ...p, treeSize: 12 }, key: ledger.publicKey })).path).toBe('fail');
    expect(status(await verifyEntryInBrowser({ entry: e, proof: { ...p, proof: p.proof.slice(1) }, key: ledger.publicKey })).path).toBe('fail');
  });

  it('a published key whose fields disagree with its verifier key string fails', async () => {
    const other = await newSigner('clearlane/test-ledger');
    const key = { ...ledger.publicKey, publicKey: toBase64(other.publicKey) };
    const v = await verifyEntryInBrowser({ entry: ledger.entry(2), proof: await ledger.proof(2), key });
    expect(status(v).signature).toBe('fail');
  });

  it('without a proof the path and signature are pending, never passed', async () => {
    const v = await verifyEntryInBrowser({ entry: ledger.entry(2), proof: null, key: ledger.publicKey, pendingReason: '晚于最新检查点' });
    expect(status(v)).toEqual({ leaf: 'pass', leafHash: 'pass', path: 'pending', signature: 'pending' });
    expect(v.ok).toBe(false);
    expect(v.steps[3]!.summary).toBe('晚于最新检查点');
  });

  it('a proof the server could not give is a failure, not pending', async () => {
    const v = await verifyEntryInBrowser({ entry: ledger.entry(2), proof: null, key: ledger.publicKey, proofError: '账本不一致' });
    expect(status(v)).toEqual({ leaf: 'pass', leafHash: 'pass', path: 'fail', signature: 'fail' });
  });

  it('missing or malformed server data fails instead of throwing', async () => {
    const e: LedgerEntryWithLeaf = { ...ledger.entry(2), leafHash: null };
    expect(status(await verifyEntryInBrowser({ entry: e, proof: null, key: null })).leafHash).toBe('fail');
    const junk: LedgerEntryWithLeaf = { ...ledger.entry(2), leaf: 'not base64!' };
    expect(status(await verifyEntryInBrowser({ entry: junk, proof: null, key: null })).leaf).toBe('fail');
    const p = await ledger.proof(2);
    expect(status(await verifyEntryInBrowser({ entry: ledger.entry(2), proof: { ...p, checkpoint: null }, key: ledger.publicKey }))).toMatchObject({ path: 'fail', signature: 'fail' });
    expect(status(await verifyEntryInBrowser({ entry: ledger.entry(2), proof: p, key: null })).signature).toBe('fail');
    expect(status(await verifyEntryInBrowser({ entry: ledger.entry(2), proof: { ...p, checkpoint: 'garbage' }, key: ledger.publicKey }))).toMatchObject({ path: 'fail', signature: 'fail' });
  });
});
