import type { FastifyReply } from 'fastify';
import { contentTypeFor, filenameFor, streamTable, type ColumnSpec } from '../sheets/index.ts';

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
