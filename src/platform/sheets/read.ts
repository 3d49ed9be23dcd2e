import type { ColumnSpec } from './columns.ts';
import { SheetError } from './errors.ts';
import { readCsvCells } from './read-csv.ts';
import { readXlsxCells } from './read-xlsx.ts';
import { type RawRow, drainSource, toReadable } from './source.ts';

export type SheetInput = {
  /** Original file name; only its extension is used, to pick the format. */
  filename: string;
  stream: NodeJS.ReadableStream;
};

export type SheetRow<K extends string = string> = {
  /** Row number as the user sees it in Excel; the header is row 1. */
  row: number;
  /** Trimmed cell text per column key; '' for empty cells and for absent optional columns. */
  values: Record<K, string>;
};

type Layout<K extends string> = { key: K; index: number }[];

/**
 * Streams the data rows of an uploaded .csv or .xlsx file. The header is the first non-empty
 * row; columns are matched by header text or alias and unknown columns are ignored. Fully
 * empty rows are skipped but still counted, so `row` always points at the right Excel row.
 *
 * User-fixable problems throw SheetError (zh-CN message) from the iteration. The input is
 * always read to its end — also when the caller stops early — so an upload never stalls.
 */
export async function* readSheetRows<K extends string>(
  input: SheetInput,
  columns: readonly ColumnSpec<K>[],
): AsyncGenerator<SheetRow<K>> {
  const source = toReadable(input.stream);
  try {
    const headerIndex = indexHeaders(columns);
    const raw = formatOf(input.filename) === 'csv' ? readCsvCells(source) : readXlsxCells(source);
    yield* matchRows(raw, columns, headerIndex);
  } finally {
    drainSource(source);
  }
}

function formatOf(filename: string): 'csv' | 'xlsx' {
  const extension = /\.([^.]+)$/.exec(filename.trim())?.[1]?.toLowerCase();
  if (extension === 'csv' || extension === 'xlsx') return extension;
  throw new SheetError('不支持的文件格式，请上传 .xlsx 或 .csv 文件', 'UNSUPPORTED_FORMAT');
}

async function* matchRows<K extends string>(
  raw: AsyncIterable<RawRow>,
  columns: readonly ColumnSpec<K>[],
  headerIndex: Map<string, ColumnSpec<K>>,
): AsyncGenerator<SheetRow<K>> {
  let layout: Layout<K> | undefined;
  for await (const { row, cells } of raw) {
    const texts = cells.map((cell) => cell.trim());
    if (texts.every((text) => text === '')) continue;
    if (layout) {
      yield { row, values: pickValues(layout, texts) };
    } else {
      layout = matchHeader(texts, row, columns, headerIndex);
    }
  }
  if (!layout) throw new SheetError('文件为空，未找到表头行', 'EMPTY_FILE');
}

function pickValues<K extends string>(layout: Layout<K>, texts: readonly string[]): Record<K, string> {
  const values = {} as Record<K, string>;
  for (const { key, index } of layout) values[key] = texts[index] ?? '';
  return values;
}

/** Case-, width- and whitespace-insensitive: '警号 ', '警　号' and 'ＩＤ' match '警号' and 'id'. */
function normalizeHeader(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
}

/** Every accepted header text → its column. Clashes are a bug in the spec, not in the file. */
function indexHeaders<K extends string>(columns: readonly ColumnSpec<K>[]): Map<string, ColumnSpec<K>> {
  const index = new Map<string, ColumnSpec<K>>();
  for (const column of columns) {
    for (const text of [column.header, ...(column.aliases ?? [])]) {
      const name = normalizeHeader(text);
      const owner = index.get(name);
      if (owner && owner !== column) {
        throw new Error(`sheets: header '${text}' of column '${column.key}' also names column '${owner.key}'`);
      }
      index.set(name, column);
    }
  }
  return index;
}

function matchHeader<K extends string>(
  texts: readonly string[],
  row: number,
  columns: readonly ColumnSpec<K>[],
  headerIndex: Map<string, ColumnSpec<K>>,
): Layout<K> {
  const found = new Map<ColumnSpec<K>, number>();
  texts.forEach((text, index) => {
    const column = headerIndex.get(normalizeHeader(text));
    if (!column) return;
    // Two columns feeding one field would make the import silently pick one of them.
    if (found.has(column)) {
      throw new SheetError(`表头（第 ${row} 行）中「${column.header}」列出现了多次`, 'DUPLICATE_HEADER', { row });
    }
    found.set(column, index);
  });

  const missing = columns.filter((column) => column.required !== false && !found.has(column));
  if (missing.length > 0) {
    const names = missing.map((column) => column.header).join('、');
    throw new SheetError(`表头（第 ${row} 行）缺少必需的列：${names}`, 'MISSING_HEADERS', { row });
  }
  // Absent optional columns get index -1, which holds no cell in any row and so reads as ''.
  return columns.map((column) => ({ key: column.key, index: found.get(column) ?? -1 }));
}
