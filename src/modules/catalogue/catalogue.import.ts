// Catalogue import: the whole file becomes the next version, or nothing does.
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import type { CatalogueImportReport, CatalogueRow } from '../../contracts/catalogue.ts';
import type { ImportReport } from '../../contracts/org.ts';
import type { Db } from '../../platform/db/database.ts';
import { badRequest } from '../../platform/http/errors.ts';
import { readSheetRows, SheetError, type SheetInput } from '../../platform/sheets/index.ts';
import type { RequestContext } from '../ledger/ledger.service.ts';
import { diffCounts } from './catalogue.diff.ts';
import { currentContent, publishVersion } from './catalogue.service.ts';
import { CATALOGUE_SHEET, isExampleRow, SHEET_LABEL, validateRow } from './catalogue.sheet.ts';
import { compareRows, contentSha256, findOverlaps } from './catalogue.snapshot.ts';

export const MAX_CATALOGUE_ROWS = 10_000;

type RowError = ImportReport['errors'][number];

const isTruncated = (input: SheetInput) => (input.stream as { truncated?: boolean }).truncated === true;
const tooLarge = () => badRequest('上传文件超过大小限制（50 MB）', [{ path: 'file', message: '文件过大' }]);

/** The upload as it streams past, hashed: the SHA-256 of exactly the bytes that were read. */
function hashing(stream: NodeJS.ReadableStream, hash: crypto.Hash): Readable {
  async function* pass() {
    for await (const chunk of stream) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      hash.update(bytes);
      yield bytes;
    }
  }
  return Readable.from(pass(), { objectMode: false });
}

export interface CheckedFile {
  total: number;
  rows: CatalogueRow[];
  errors: RowError[];
  sha256: string;
}

/**
 * Reads and checks every row of the file: each field of each row, then overlapping periods of
 * the same code across rows. File-level problems (format, headers, size) throw a 400.
 */
export async function checkCatalogueFile(input: SheetInput): Promise<CheckedFile> {
  const hash = crypto.createHash('sha256');
  const errors: RowError[] = [];
  const valid: Array<CatalogueRow & { row: number }> = [];
  let total = 0;
  try {
    for await (const { row, values } of readSheetRows({ filename: input.filename, stream: hashing(input.stream, hash) }, CATALOGUE_SHEET)) {
      if (isExampleRow(values)) continue;
      total += 1;
      if (total > MAX_CATALOGUE_ROWS) throw badRequest(`一次最多导入 ${MAX_CATALOGUE_ROWS} 行，请联系管理员`, [{ path: 'file', message: '行数过多' }]);
      const checked = validateRow(values);
      if (checked.ok) valid.push({ ...checked.row, row });
      else errors.push(...checked.errors.map((e) => ({ row, ...e })));
    }
  } catch (e) {
    if (isTruncated(input)) throw tooLarge();
    if (e instanceof SheetError) throw badRequest(e.message, [{ path: 'file', message: e.message }]);
    throw e;
  }
  // A multipart upload cut at the size limit ends like a shorter file: refuse it.
  if (isTruncated(input)) throw tooLarge();
  if (total === 0) throw badRequest('文件中没有违法代码（模板示例行不计）', [{ path: 'file', message: '没有数据行' }]);

  for (const { item, with: earlier } of findOverlaps(valid)) {
    const period = (r: CatalogueRow) => `${r.effectiveFrom} 至 ${r.effectiveTo ?? '长期'}`;
    errors.push({ row: item.row, field: SHEET_LABEL.effectiveFrom, message: `违法代码 ${item.code} 的有效期（${period(item)}）与第 ${earlier.row} 行（${period(earlier)}）重叠` });
  }
  errors.sort((a, b) => a.row - b.row);
  const rows = valid.map(({ row: _row, ...r }) => r).sort(compareRows);
  return { total, rows, errors, sha256: hash.digest('hex') };
}

export interface ImportOptions {
  dryRun: boolean;
  label?: string;
  note?: string;
}

/**
 * Imports a catalogue file. All or nothing: when every row is valid (and the content differs
 * from the current version) the rows become the next version, ledgered with the file's SHA-256;
 * when any row is invalid, nothing is written and the report says why, row by row. A dry run
 * checks and compares without writing.
 */
export async function importCatalogue(db: Db, ctx: RequestContext, input: SheetInput, opts: ImportOptions): Promise<CatalogueImportReport> {
  const file = await checkCatalogueFile(input);
  const rejected = new Set(file.errors.map((e) => e.row)).size;
  const report = {
    dryRun: opts.dryRun,
    total: file.total,
    valid: file.total - rejected,
    rejected,
    errors: file.errors,
    sha256: file.sha256,
  };
  if (opts.dryRun || file.errors.length > 0) {
    const current = await currentContent(db);
    // Counts compare the valid rows only; with errors they are a preview, not what would be written.
    return {
      ...report,
      version: null,
      sameAsCurrent: file.errors.length === 0 && current?.contentSha256 === contentSha256(file.rows),
      ...diffCounts(current?.rows ?? [], file.rows),
      baseVersion: current?.meta.version ?? null,
    };
  }
  const published = await publishVersion(db, ctx, {
    label: opts.label ?? `导入：${input.filename}`.slice(0, 100),
    isSample: false,
    sourceFilename: input.filename.slice(0, 200),
    sourceSha256: file.sha256,
    note: opts.note ?? null,
    rows: file.rows,
  });
  return { ...report, version: published.version, sameAsCurrent: published.version === null, ...published.counts, baseVersion: published.base?.version ?? null };
}
