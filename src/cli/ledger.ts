// `clearlane ledger …`: verify the log, print or sign a checkpoint, prove an entry, print the public
// key. Each function takes an open database and returns what to print, so tests drive them as
// the CLI does. These tools write nothing to the ledger: they may run against a replica, and an
// operator at the console is not a request to record.

import fs from 'node:fs';
import cliProgress from 'cli-progress';
import type { Database } from '../platform/db/database.ts';
import { createCheckpoint, ensureTree, latestCheckpoint } from '../modules/ledger/checkpoints.service.ts';
import { inclusion } from '../modules/ledger/proofs.service.ts';
import type { LedgerKeys } from '../modules/ledger/signing-key.ts';
import { verifyLedger, type VerifyReport } from '../modules/ledger/verify.ts';
import { LEDGER_PROBLEMS } from '../contracts/ledger.ts';
import { CliError } from './admin.ts';

/** Below this many entries a progress bar would only flicker. */
const PROGRESS_FROM = 20_000;

function readOutside(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`无法读取检查点文件 ${file}: ${(e as Error).message}`);
  }
}

/** `--key` is a verifier key itself, or a file holding one. */
function readKey(keyOrFile: string): string {
  if (/^[^+\s]+\+[0-9a-f]{8}\+\S+$/i.test(keyOrFile.trim())) return keyOrFile.trim();
  try {
    return fs.readFileSync(keyOrFile, 'utf8').trim();
  } catch (e) {
    throw new CliError(`--key 既不是验签公钥，也不是可读取的文件: ${(e as Error).message}`);
  }
}

export function describeReport(r: VerifyReport, deep = false): string[] {
  if (r.ok) {
    return [
      `账本核验通过：${r.entries} 条，${r.checkpoints} 个检查点，用时 ${(r.durationMs / 1000).toFixed(1)} 秒`,
      `根哈希 ${r.rootHash.toString('base64')}`,
      ...(deep ? ['检索字段（筛选用）与叶一致'] : ['未核对检索字段（筛选用）：加 --deep 核对']),
      ...(r.outsideSize !== null ? [`已证明当前账本是外部检查点（${r.outsideSize} 条）的延续`] : []),
    ];
  }
  const p = r.problem!;
  const where = p.seq !== null ? `第一个不符的条目序号：${p.seq}` : '无法定位到单个条目';
  return [`账本核验失败（${LEDGER_PROBLEMS[p.kind]}）。${where}`, p.message];
}

export async function ledgerVerify(
  database: Database,
  keys: LedgerKeys,
  /** `deep`: also check every entry's search-hint columns against its leaf (`--deep`). */
  opts: { checkpoint?: string; key?: string; progress?: boolean; batchSize?: number; deep?: boolean },
): Promise<{ ok: boolean; lines: string[]; report: VerifyReport }> {
  await ensureTree(database.db);
  let bar: cliProgress.SingleBar | null = null;
  const report = await verifyLedger(database.db, {
    origin: keys.origin,
    verifierKey: keys.verifierKey(),
    outsideCheckpoint: opts.checkpoint !== undefined ? readOutside(opts.checkpoint) : undefined,
    outsideKey: opts.key !== undefined ? readKey(opts.key) : undefined,
    batchSize: opts.batchSize,
    deep: opts.deep,
    onProgress: (done, total) => {
      if (!opts.progress || total < PROGRESS_FROM) return;
      if (!bar) {
        bar = new cliProgress.SingleBar({ format: '核验 [{bar}] {percentage}% | {value}/{total} 条 | 剩余 {eta_formatted}', stream: process.stderr }, cliProgress.Presets.shades_classic);
        bar.start(total, 0);
      }
      bar.update(done);
    },
  });
  (bar as cliProgress.SingleBar | null)?.stop();
  return { ok: report.ok, lines: describeReport(report, opts.deep), report };
}

/** The latest signed checkpoint; signs one first if there is none, or if `fresh` and the log grew. */
export async function ledgerCheckpoint(database: Database, keys: LedgerKeys, opts: { fresh?: boolean } = {}): Promise<string> {
  const latest = await latestCheckpoint(database.db);
  if (latest && !opts.fresh) return latest.note;
  return (await createCheckpoint(database.db, keys)).checkpoint.note;
}

export async function ledgerProve(database: Database, seq: number, size?: number): Promise<string> {
  if (!Number.isSafeInteger(seq) || seq < 1) throw new CliError('序号应为正整数');
  if (size !== undefined && (!Number.isSafeInteger(size) || size < 1)) throw new CliError('--size 应为正整数');
  let p;
  try {
    p = await inclusion(database.db, seq, size);
  } catch (e) {
    throw new CliError((e as Error).message);
  }
  const b64 = (b: Buffer) => b.toString('base64');
  return JSON.stringify({ ...p, leafHash: b64(p.leafHash), rootHash: b64(p.rootHash), proof: p.proof.map(b64) }, null, 2);
}

export function ledgerPublicKey(keys: LedgerKeys): string {
  return keys.verifierKey();
}
