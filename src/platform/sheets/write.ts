import { Readable } from 'node:stream';
import type { ColumnSpec } from './columns.ts';
import { csvChunks } from './write-csv.ts';
import type { TableRows } from './write-values.ts';
import { xlsxTableStream, xlsxTemplate } from './write-xlsx.ts';

export type SheetFormat = 'xlsx' | 'csv';

export type TableOptions = {
  /** Worksheet name (.xlsx only); cleaned to Excel's rules. Defaults to 'Sheet1'. */
  sheetName?: string;
};

/** Import template: bold frozen header (with `note` as cell comments in .xlsx), then the example row. */
export async function writeTemplate(columns: readonly ColumnSpec[], format: SheetFormat): Promise<Buffer> {
  const withExample = columns.some((column) => column.example !== undefined && column.example !== '');
  if (format === 'xlsx') return xlsxTemplate(columns, withExample);
  const example = Object.fromEntries(columns.map((column) => [column.key, column.example ?? '']));
  return collect(Readable.from(csvChunks(columns, withExample ? [example] : [])));
}

/** Export of `rows` into one in-memory file. For very large exports prefer `streamTable`. */
export async function writeTable<K extends string>(
  columns: readonly ColumnSpec<K>[],
  rows: TableRows<K>,
  format: SheetFormat,
  opts: TableOptions = {},
): Promise<Buffer> {
  return collect(streamTable(columns, rows, format, opts));
}

/**
 * The same file as `writeTable`, as a stream with backpressure: rows are pulled only as fast as
 * the consumer (an HTTP response) takes the bytes, and no more are pulled once it is destroyed.
 */
export function streamTable<K extends string>(
  columns: readonly ColumnSpec<K>[],
  rows: TableRows<K>,
  format: SheetFormat,
  opts: TableOptions = {},
): Readable {
  if (format === 'csv') return Readable.from(csvChunks(columns, rows));
  return xlsxTableStream(columns, rows, opts.sheetName ?? 'Sheet1');
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const CONTENT_TYPES: Record<SheetFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
};

export function contentTypeFor(format: SheetFormat): string {
  return CONTENT_TYPES[format];
}

/**
 * `Content-Disposition` value for a download named `base.format`. Browsers use the RFC 5987
 * `filename*` (UTF-8, so Chinese names survive); `filename` is the ASCII fallback for the rest.
 */
export function filenameFor(base: string, format: SheetFormat): string {
  const cleaned = cleanFilename(base);
  const name = `${cleaned}.${format}`;
  const fallback = /^[\w .()-]+$/.test(cleaned) ? name : `export.${format}`;
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeRfc5987(name)}`;
}

// The name lands in a response header and on the user's disk: no control characters (header
// injection), no characters Windows forbids in file names, no lone surrogates (encodeURIComponent throws).
function cleanFilename(base: string): string {
  const cleaned = base
    .replace(/[\u0000-\u001f\u007f\\/:*?"<>|]/g, '')
    .replace(/\p{Surrogate}/gu, '')
    .trim();
  return cleaned || 'export';
}

// encodeURIComponent leaves ' ( ) * unescaped, but RFC 5987 attr-char does not allow them.
function encodeRfc5987(text: string): string {
  return encodeURIComponent(text).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}
