// `clearlane import records FILE`: the same streaming import as the console's upload, for files
// too large to upload, with a progress bar over the bytes read.
import fs from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import cliProgress from 'cli-progress';
import type { RecordImportReport } from '../contracts/enforcement.ts';
import { OUTCOMES } from '../contracts/enforcement.ts';
import { importRecords } from '../modules/enforcement/records.import.ts';
import type { Config } from '../config.ts';
import type { LookupImportReport } from '../contracts/lookups.ts';
import { detectionHook } from '../modules/lookups/hooks.ts';
import { importLookups } from '../modules/lookups/lookups.import.ts';
import { subjectKeys } from '../modules/lookups/subject-crypto.ts';
import type { Database } from '../platform/db/database.ts';
import { bootstrapContext } from '../platform/bootstrap.ts';
import { CliError } from './admin.ts';

export async function importRecordsFile(database: Database, file: string, opts: { progress: boolean }): Promise<{ report: RecordImportReport; lines: string[] }> {
  const { size, stream, read } = countedStream(file);
  const bar = progressBar(opts.progress, size);
  try {
    const report = await importRecords(database.db, bootstrapContext(`命令行导入 ${path.basename(file)}`), { filename: file, stream }, {
      onProgress: (p) => bar?.update(read(), { rows: p.rows }),
      awaitDetectors: true,
    });
    bar?.update(size, { rows: report.total });
    return { report, lines: describeImport(report) };
  } finally {
    bar?.stop();
  }
}

export function describeImport(r: RecordImportReport): string[] {
  const outcomes = Object.entries(r.outcomes)
    .map(([k, n]) => `${OUTCOMES[k as keyof typeof OUTCOMES] ?? k} ${n}`)
    .join('，');
  const lines = [`共 ${r.total} 行：新入库 ${r.created}，重复 ${r.duplicates}，有误 ${r.rejected}${outcomes ? `（${outcomes}）` : ''}`];
  return [...lines, ...errorLines(r)];
}

/** The first 50 refused rows of a report, one line each, and a note when there are more. */
function errorLines(r: { errors: Array<{ row: number; field: string; message: string }>; errorsTruncated: boolean }): string[] {
  const lines = r.errors.slice(0, 50).map((e) => `  第 ${e.row} 行 ${e.field}：${e.message}`);
  if (r.errors.length > 50 || r.errorsTruncated) lines.push(`  ……其余错误未列出`);
  return lines;
}

/** A progress bar over a file's bytes on stderr, started; null when progress is off. */
function progressBar(on: boolean, size: number): cliProgress.SingleBar | null {
  if (!on) return null;
  const bar = new cliProgress.SingleBar({ format: '导入 [{bar}] {percentage}% | {rows} 行 | 剩余 {eta_formatted}', stream: process.stderr }, cliProgress.Presets.shades_classic);
  bar.start(size, 0, { rows: 0 });
  return bar;
}

/** A file's size and a pass-through stream counting the bytes read, for the progress bar. */
function countedStream(file: string): { size: number; stream: NodeJS.ReadableStream; read: () => number } {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch (e) {
    throw new CliError(`无法读取文件 ${file}: ${(e as Error).message}`);
  }
  let read = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      read += chunk.length;
      done(null, chunk);
    },
  });
  return { size, stream: fs.createReadStream(file).pipe(counter), read: () => read };
}

/**
 * `clearlane import lookups FILE`: the traffic-management system's query log, streamed through the
 * same batch path as the console's upload (purpose binding, hashing, one ledger entry per chunk);
 * the detection rules run once at the end, and the command waits for them.
 */
export async function importLookupsFile(database: Database, config: Pick<Config, 'dataDir'>, file: string, opts: { progress: boolean }): Promise<{ report: LookupImportReport; lines: string[] }> {
  const { size, stream, read } = countedStream(file);
  const bar = progressBar(opts.progress, size);
  const keys = subjectKeys(config);
  const ctx = bootstrapContext(`命令行导入 ${path.basename(file)}`);
  const detect = detectionHook(database.db, keys);
  try {
    const report = await importLookups(database.db, ctx, keys, { filename: file, stream }, {
      onProgress: (p) => bar?.update(read(), { rows: p.rows }),
      afterImport: (t) => detect(ctx, t),
      awaitAfterImport: true,
    });
    bar?.update(size, { rows: report.total });
    return { report, lines: describeLookupImport(report) };
  } finally {
    bar?.stop();
  }
}

export function describeLookupImport(r: LookupImportReport): string[] {
  const lines = [
    `共 ${r.total} 行：新入库 ${r.created}（事由已核实 ${r.justified}，未核实 ${r.unjustified}，账号不对应在册人员 ${r.unknownAccounts}），重复 ${r.duplicates}，有误 ${r.rejected}`,
  ];
  return [...lines, ...errorLines(r)];
}
