import type { FastifyReply, FastifyRequest } from 'fastify';
import { contentTypeFor, filenameFor, streamTable, writeTemplate, type ColumnSpec, type SheetFormat, type SheetInput } from '../sheets/index.ts';
import { badRequest } from './errors.ts';

/**
 * Streams rows as an .xlsx download. Callers pass rows already filtered by the actor's data
 * scope: an export reaches exactly what the list does.
 */
export function sendTable<K extends string>(
  reply: FastifyReply,
  baseName: string,
  columns: readonly ColumnSpec<K>[],
  rows: AsyncIterable<Partial<Record<K, unknown>>>,
) {
  const stamp = new Date().toISOString().slice(0, 10).replaceAll('-', '');
  reply.header('content-type', contentTypeFor('xlsx'));
  reply.header('content-disposition', filenameFor(`${baseName}_${stamp}`, 'xlsx'));
  return reply.send(streamTable(columns, rows, 'xlsx', { sheetName: baseName }));
}

export async function* mapRows<T, U>(rows: AsyncIterable<T>, fn: (row: T) => U): AsyncGenerator<U> {
  for await (const row of rows) yield fn(row);
}

/** An import template (header, notes, example row) as a download. */
export async function sendTemplate<K extends string>(reply: FastifyReply, name: string, columns: readonly ColumnSpec<K>[], format: SheetFormat) {
  reply.header('content-type', contentTypeFor(format));
  reply.header('content-disposition', filenameFor(name, format));
  return reply.send(await writeTemplate(columns, format));
}

/**
 * The spreadsheet of a multipart upload (field `file`), as a stream for the sheet reader: an
 * import never holds the file in memory. `maxBytes` raises the app's default upload limit.
 */
export async function uploadedSheet(request: FastifyRequest, opts: { maxBytes?: number } = {}): Promise<SheetInput> {
  if (!request.isMultipart()) throw badRequest('请以 multipart/form-data 上传文件（字段名 file）', [{ path: 'file', message: '缺少文件' }]);
  const file = await request.file(opts.maxBytes ? { limits: { fileSize: opts.maxBytes } } : undefined);
  if (!file) throw badRequest('请选择要导入的文件', [{ path: 'file', message: '缺少文件' }]);
  return { filename: file.filename, stream: file.file };
}
