// The in-browser verification of one ledger entry, step by step:
//   1. rebuild the leaf from the displayed entry (RFC 8785) and compare with the server's leaf bytes;
//   2. SHA-256(0x00 ‖ leaf) and compare with the leaf hash stored in the tree and in the proof;
//   3. walk the audit path to a root (RFC 9162 §2.1.3.2) and compare with the proof's root and the
//      checkpoint's root line;
//   4. verify the checkpoint's Ed25519 signature with the published key (key id computed here).
// Every comparison is made on bytes computed locally; a step that cannot be completed is never
// reported as passed.

import type { InclusionProof, LedgerEntryWithLeaf } from '@contracts/ledger.ts';
import { equalBytes, firstDifference, fromBase64, fromUtf8, toBase64, toHex } from './bytes.ts';
import { encodeLeaf, leafIndexOf } from './leaf.ts';
import { leafHash, rootFromInclusionProof } from './merkle.ts';
import { parseCheckpoint, parseVerifierKey, verifyCheckpointNote } from './note.ts';

export type StepKey = 'leaf' | 'leafHash' | 'path' | 'signature';
/** pass ✓, fail ✗ (a mismatch or a malformed input), pending: cannot be checked yet (no checkpoint covers the entry). */
export type StepStatus = 'pass' | 'fail' | 'pending';

export interface StepDetail {
  label: string;
  value: string;
  /** whether this value matched what it was compared with (undefined: informative only) */
  match?: boolean;
}

export interface VerificationStep {
  key: StepKey;
  title: string;
  status: StepStatus;
  summary: string;
  details: StepDetail[];
}

export interface PublicKeyInfo {
  origin: string;
  verifierKey: string;
  keyId: string;
  publicKey: string;
}

export interface EntryVerificationInput {
  entry: LedgerEntryWithLeaf;
  /** null when no signed checkpoint covers the entry yet */
  proof: InclusionProof | null;
  /** the key to verify the checkpoint with (the server's published key, or one the user supplied) */
  key: PublicKeyInfo | { verifierKey: string; origin?: undefined } | null;
  /** why there is no proof, shown on the pending steps */
  pendingReason?: string;
  /** the server was asked for a proof and did not give one (e.g. it found its own log inconsistent): a failure */
  proofError?: string;
}

export interface EntryVerification {
  ok: boolean;
  steps: VerificationStep[];
}

export const STEP_TITLES: Record<StepKey, string> = {
  leaf: '重算规范叶（RFC 8785）',
  leafHash: '叶哈希 SHA-256(0x00‖叶)',
  path: '审计路径推算树根（RFC 9162）',
  signature: '检查点 Ed25519 签名',
};

const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** A short excerpt of text bytes around `at`, for showing where two leaves diverge. */
function excerpt(bytes: Uint8Array, at: number): string {
  const from = Math.max(0, at - 24);
  const slice = bytes.slice(from, Math.min(bytes.length, at + 24));
  let text: string;
  try {
    text = fromUtf8(slice);
  } catch {
    text = new TextDecoder().decode(slice); // cut inside a multi-byte character: show it lossy
  }
  return (from > 0 ? '…' : '') + text + (at + 24 < bytes.length ? '…' : '');
}

export async function verifyEntryInBrowser(input: EntryVerificationInput): Promise<EntryVerification> {
  const { entry: ewl, proof, key } = input;
  const seq = ewl.entry.seq;
  const steps: VerificationStep[] = [];
  const step = (k: StepKey, status: StepStatus, summary: string, details: StepDetail[] = []) =>
    steps.push({ key: k, title: STEP_TITLES[k], status, summary, details });

  // 1. The leaf, rebuilt from the displayed fields.
  let localLeaf: Uint8Array | null = null;
  try {
    localLeaf = encodeLeaf(ewl.entry);
    let serverLeaf: Uint8Array;
    try {
      serverLeaf = fromBase64(ewl.leaf);
    } catch (e) {
      throw new Error(`服务器给出的叶无法解码：${errText(e)}`);
    }
    const diff = firstDifference(localLeaf, serverLeaf);
    if (diff < 0) {
      step('leaf', 'pass', `由上方条目字段重新编码得到 ${localLeaf.length} 字节，与服务器给出的叶逐字节一致`, [
        { label: '本地编码字节数', value: String(localLeaf.length) },
      ]);
    } else {
      step('leaf', 'fail', `本地编码与服务器给出的叶不一致（自第 ${diff + 1} 字节起不同）`, [
        { label: '本地编码', value: excerpt(localLeaf, diff), match: false },
        { label: '服务器的叶', value: excerpt(serverLeaf, diff), match: false },
        { label: '字节数（本地 / 服务器）', value: `${localLeaf.length} / ${serverLeaf.length}` },
      ]);
    }
  } catch (e) {
    step('leaf', 'fail', `无法重算规范叶：${errText(e)}`);
  }

  // 2. The leaf hash of the locally rebuilt leaf.
  let localLeafHash: Uint8Array | null = null;
  if (!localLeaf) {
    step('leafHash', 'fail', '本地未能得到叶，无法计算叶哈希');
  } else {
    localLeafHash = await leafHash(localLeaf);
    const local = toBase64(localLeafHash);
    const details: StepDetail[] = [{ label: '本地计算', value: local }];
    const problems: string[] = [];
    if (ewl.leafHash === null) problems.push('账本树中尚无此条目的叶哈希');
    else {
      const same = ewl.leafHash === local;
      details.push({ label: '账本树中存储的叶哈希', value: ewl.leafHash, match: same });
      if (!same) problems.push('与账本树中存储的叶哈希不同');
    }
    if (proof) {
      const same = proof.leafHash === local;
      details.push({ label: '包含证明中的叶哈希', value: proof.leafHash, match: same });
      if (!same) problems.push('与包含证明中的叶哈希不同');
    }
    if (problems.length) step('leafHash', 'fail', `本地计算的叶哈希${problems.join('；')}`, details);
    else step('leafHash', 'pass', proof ? '本地计算的叶哈希与账本树和包含证明中的一致' : '本地计算的叶哈希与账本树中存储的一致', details);
  }

  // 3. The audit path walked from the local leaf hash to a root.
  if (input.proofError !== undefined) {
    step('path', 'fail', `未取得包含证明：${input.proofError}`);
  } else if (!proof) {
    step('path', 'pending', input.pendingReason ?? '尚无覆盖此条目的已签名检查点，暂不能核验');
  } else if (!localLeafHash) {
    step('path', 'fail', '本地未能得到叶哈希，无法推算树根');
  } else {
    const details: StepDetail[] = [];
    const problems: string[] = [];
    const index = leafIndexOf(seq);
    details.push({ label: '叶索引（序号 − 1）/ 树大小', value: `${index} / ${proof.treeSize}` });
    if (proof.seq !== seq || proof.leafIndex !== index) problems.push(`证明针对的是序号 ${proof.seq}（叶索引 ${proof.leafIndex}），不是本条目`);
    try {
      const path = proof.proof.map(fromBase64);
      const root = toBase64(await rootFromInclusionProof(index, proof.treeSize, localLeafHash, path));
      details.push({ label: '本地推算的树根', value: root });
      const sameProof = root === proof.rootHash;
      details.push({ label: '包含证明中的树根', value: proof.rootHash, match: sameProof });
      if (!sameProof) problems.push('推算的树根与包含证明中的树根不同');
      if (proof.checkpoint === null) problems.push('证明未附带该大小的已签名检查点');
      else {
        try {
          const checkpoint = parseCheckpoint(proof.checkpoint);
          const cpRoot = toBase64(checkpoint.rootHash);
          const sameCp = cpRoot === root;
          details.push({ label: '检查点根哈希行', value: cpRoot, match: sameCp });
          if (!sameCp) problems.push('推算的树根与检查点的根哈希行不同');
          if (checkpoint.size !== proof.treeSize) problems.push(`检查点大小 ${checkpoint.size} 与证明的树大小 ${proof.treeSize} 不同`);
        } catch (e) {
          problems.push(`检查点无法解析：${errText(e)}`);
        }
      }
    } catch (e) {
      problems.push(`审计路径无效：${errText(e)}`);
    }
    if (problems.length) step('path', 'fail', problems.join('；'), details);
    else step('path', 'pass', `沿 ${proof.proof.length} 个审计路径哈希推算出的树根，与包含证明及检查点（大小 ${proof.treeSize}）的根一致`, details);
  }

  // 4. The checkpoint's signature.
  if (input.proofError !== undefined) {
    step('signature', 'fail', `未取得包含证明及其检查点：${input.proofError}`);
  } else if (!proof) {
    step('signature', 'pending', input.pendingReason ?? '尚无覆盖此条目的已签名检查点，暂不能核验');
  } else if (proof.checkpoint === null) {
    step('signature', 'fail', '没有可验签的检查点');
  } else if (!key) {
    step('signature', 'fail', '未取得验签公钥');
  } else {
    const details: StepDetail[] = [{ label: '验签公钥', value: key.verifierKey }];
    try {
      const vkey = await parseVerifierKey(key.verifierKey);
      const problems: string[] = [];
      if ('publicKey' in key && key.publicKey !== undefined) {
        // The published key's fields must agree with its verifier-key string.
        if (toBase64(vkey.publicKey) !== key.publicKey) problems.push('公钥接口返回的公钥与验签公钥串不一致');
        if (toHex(vkey.keyId) !== key.keyId.toLowerCase()) problems.push('公钥接口返回的密钥编号与本地计算不符');
      }
      details.push({ label: '密钥编号（本地计算）', value: toHex(vkey.keyId) });
      const cp = await verifyCheckpointNote(proof.checkpoint, vkey, key.origin ?? vkey.name);
      details.push({ label: '检查点', value: `${cp.origin} · 大小 ${cp.size}` });
      if (problems.length) step('signature', 'fail', problems.join('；'), details);
      else step('signature', 'pass', `检查点的 Ed25519 签名有效（密钥 ${vkey.name}，编号 ${toHex(vkey.keyId)}）`, details);
    } catch (e) {
      step('signature', 'fail', `验签失败：${errText(e)}`, details);
    }
  }

  return { ok: steps.every((s) => s.status === 'pass'), steps };
}
