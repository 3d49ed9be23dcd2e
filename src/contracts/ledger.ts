import { z } from 'zod';
import { isoDateTime, optionalText, pageOf, pageQuery } from './common.ts';

export const ledgerEntry = z.object({
  seq: z.number().int(),
  at: z.string(),
  actorAccountId: z.number().int().nullable(),
  actorPersonId: z.number().int().nullable(),
  actorName: z.string(),
  action: z.string(),
  subjectType: z.string(),
  subjectId: z.string(),
  payload: z.unknown(),
  requestId: z.string(),
  clientIp: z.string(),
});
export type LedgerEntry = z.infer<typeof ledgerEntry>;

export const ledgerQuery = z.strictObject({
  ...pageQuery,
  actor: optionalText,
  action: optionalText,
  subjectType: optionalText,
  subjectId: optionalText,
  from: isoDateTime.optional(),
  to: isoDateTime.optional(),
});
export const ledgerPage = pageOf(ledgerEntry);

// ---- the Merkle log (issue #3). Hashes, leaves and proofs are standard padded base64, as in
// the checkpoint notes; `seq` is 1-based, leaf indexes and tree sizes are RFC 6962's (leaf = seq − 1).

const base64 = z.string();
const treeSize = z.coerce.number().int().min(0, '大小不能为负').max(Number.MAX_SAFE_INTEGER);

export const ledgerSeqParam = z.strictObject({ seq: z.coerce.number().int().min(1, '序号从 1 开始').max(Number.MAX_SAFE_INTEGER) });

export const ledgerEntryWithLeaf = z.object({
  entry: ledgerEntry,
  leafIndex: z.number().int(),
  /** RFC 8785 canonical JSON of `entry`, the bytes hashed into the tree. */
  leaf: base64,
  /** Stored leaf hash SHA-256(0x00 ‖ leaf); null if the tree has no hash for this entry yet. */
  leafHash: base64.nullable(),
});
export type LedgerEntryWithLeaf = z.infer<typeof ledgerEntryWithLeaf>;

export const inclusionQuery = z.strictObject({
  seq: z.coerce.number().int().min(1, '序号从 1 开始').max(Number.MAX_SAFE_INTEGER),
  /** Tree size to prove against; default the latest checkpoint's. */
  size: z.coerce.number().int().min(1, '大小至少为 1').max(Number.MAX_SAFE_INTEGER).optional(),
});
export const inclusionProof = z.object({
  seq: z.number().int(),
  leafIndex: z.number().int(),
  treeSize: z.number().int(),
  leafHash: base64,
  rootHash: base64,
  /** Audit path, leaf to root (RFC 9162 §2.1.3). */
  proof: z.array(base64),
  /** The signed checkpoint of exactly `treeSize`, when there is one. */
  checkpoint: z.string().nullable(),
});
export type InclusionProof = z.infer<typeof inclusionProof>;

export const consistencyQuery = z.strictObject({
  from: treeSize,
  /** Default: the latest checkpoint's size. */
  to: treeSize.optional(),
});
export const consistencyProof = z.object({
  from: z.number().int(),
  to: z.number().int(),
  fromRoot: base64,
  toRoot: base64,
  /** RFC 9162 §2.1.4 consistency proof. */
  proof: z.array(base64),
});
export type ConsistencyProof = z.infer<typeof consistencyProof>;

export const ledgerCheckpoint = z.object({
  size: z.number().int(),
  rootHash: base64,
  /** The C2SP signed note, verbatim. */
  note: z.string(),
  createdAt: z.string(),
});
export type LedgerCheckpoint = z.infer<typeof ledgerCheckpoint>;
export const ledgerCheckpointQuery = z.strictObject({ ...pageQuery });
export const ledgerCheckpointPage = pageOf(ledgerCheckpoint);
export const ledgerCheckpointCreated = z.object({ checkpoint: ledgerCheckpoint, created: z.boolean() });

export const ledgerPublicKey = z.object({
  origin: z.string(),
  /** signed-note verifier key `<name>+<hex key id>+<base64(0x01 ‖ Ed25519 key)>`. */
  verifierKey: z.string(),
  keyId: z.string(),
  publicKey: base64,
});

export const LEDGER_PROBLEMS = {
  gap: '条目缺失',
  outOfRange: '序号不合法',
  leaf: '条目内容被改动',
  node: '树节点被改动',
  truncated: '账本尾部被删除',
  head: '账本头被改动',
  checkpoint: '与已签名检查点不符',
  signature: '检查点签名无效',
  consistency: '检查点之间不一致',
  outside: '与外部检查点不符',
} as const;

export const ledgerVerifyBody = z.strictObject({
  /** A signed checkpoint kept outside, to prove the log still extends it. */
  checkpoint: z.string().max(4000).optional(),
  /** The verifier key the outside holder trusts (default: this server's key). */
  key: z.string().max(500).optional(),
});
export const ledgerVerifyResult = z.object({
  ok: z.boolean(),
  entries: z.number().int(),
  checkpoints: z.number().int(),
  rootHash: base64,
  problem: z
    .object({
      kind: z.enum(Object.keys(LEDGER_PROBLEMS) as [keyof typeof LEDGER_PROBLEMS, ...Array<keyof typeof LEDGER_PROBLEMS>]),
      seq: z.number().int().nullable(),
      message: z.string(),
    })
    .nullable(),
  outsideSize: z.number().int().nullable(),
  durationMs: z.number().int(),
});
export type LedgerVerifyResult = z.infer<typeof ledgerVerifyResult>;
