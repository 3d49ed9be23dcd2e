import type { ColumnSpec } from './columns.ts';
import { type TableRows, csvField } from './write-values.ts';

// Chinese Excel reads a CSV without BOM as GBK and garbles every UTF-8 character.
const BOM = '\uFEFF';
// Rows are batched into chunks of about this many characters to keep per-chunk overhead low.
const CHUNK_CHARS = 64 * 1024;

/** BOM, header line, then one CRLF-terminated line per row, as Excel writes CSV. */
export async function* csvChunks<K extends string>(
  columns: readonly ColumnSpec<K>[],
  rows: TableRows<K>,
): AsyncGenerator<Buffer> {
  let chunk = BOM + csvLine(columns.map((column) => column.header));
  for await (const record of rows) {
    chunk += csvLine(columns.map((column) => record[column.key]));
    if (chunk.length >= CHUNK_CHARS) {
      yield Buffer.from(chunk);
      chunk = '';
    }
  }
  if (chunk) yield Buffer.from(chunk);
}

function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}
