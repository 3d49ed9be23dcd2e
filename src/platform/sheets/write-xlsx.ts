import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { type ColumnSpec, columnWidth } from './columns.ts';
import { toBeijingWallClock } from './text.ts';
import { type Scalar, type TableRows, toScalar } from './write-values.ts';

/** Rows per worksheet Excel can open, header included. */
export const XLSX_MAX_ROWS = 1_048_576;
// Excel refuses (and "repairs" away) cells longer than this.
const XLSX_MAX_CELL_CHARS = 32_767;
const DATE_TIME_FORMAT = 'yyyy-mm-dd hh:mm:ss';
// ExcelJS commits rows synchronously and pipes them on without backpressure; zlib compresses
// them on the thread pool, whose results arrive only on event-loop turns. Without giving it
// turns (and waiting when it falls behind) a million-row export piles up as uncompressed XML.
const ROWS_PER_BREATH = 100;
const MAX_PENDING_XML_BYTES = 1024 * 1024;

type WorkbookWriter = ExcelJS.stream.xlsx.WorkbookWriter;

/**
 * A streamed .xlsx of `rows`. Past Excel's row limit the table continues on a new worksheet
 * ("名称(2)", …) with the header repeated. Stops pulling rows when the consumer destroys the stream.
 */
export function xlsxTableStream<K extends string>(
  columns: readonly ColumnSpec<K>[],
  rows: TableRows<K>,
  sheetName: string,
  maxRowsPerSheet = XLSX_MAX_ROWS,
): Readable {
  const output = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  writeWorkbook(workbook, output, columns, rows, sheetName, maxRowsPerSheet).catch((error: unknown) =>
    output.destroy(error instanceof Error ? error : new Error(String(error))),
  );
  return output;
}

async function writeWorkbook<K extends string>(
  workbook: WorkbookWriter,
  output: PassThrough,
  columns: readonly ColumnSpec<K>[],
  rows: TableRows<K>,
  sheetName: string,
  maxRowsPerSheet: number,
): Promise<void> {
  const baseName = safeSheetName(sheetName);
  let sheetCount = 1;
  let sheet = addTableSheet(workbook, columns, baseName);
  let sheetRows = 1;
  let sinceBreath = 0;
  for await (const record of rows) {
    if (sheetRows === maxRowsPerSheet) {
      sheet.commit();
      sheetCount += 1;
      sheet = addTableSheet(workbook, columns, continuationName(baseName, sheetCount));
      sheetRows = 1;
    }
    addDataRow(sheet, columns.map((column) => xlsxValue(record[column.key])));
    sheetRows += 1;
    if (++sinceBreath === ROWS_PER_BREATH) {
      sinceBreath = 0;
      await breathe(sheet, output);
      if (output.destroyed) return;
    }
  }
  await workbook.commit();
}

function addTableSheet(workbook: WorkbookWriter, columns: readonly ColumnSpec[], name: string): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((column) => ({ key: column.key, width: columnWidth(column) }));
  const header = sheet.addRow(columns.map((column) => column.header));
  header.font = { bold: true };
  header.commit();
  return sheet;
}

function addDataRow(sheet: ExcelJS.Worksheet, values: ExcelJS.CellValue[]): void {
  const row = sheet.addRow(values);
  values.forEach((value, index) => {
    if (value instanceof Date) row.getCell(index + 1).numFmt = DATE_TIME_FORMAT;
  });
  row.commit();
}

/**
 * Text is written as text cells, which Excel never evaluates, so unlike CSV no formula guard is
 * needed (and an apostrophe would become part of the value). Dates are shown in Beijing time.
 */
export function xlsxValue(value: unknown): Scalar {
  const scalar = toScalar(value);
  if (typeof scalar === 'string') return scalar.slice(0, XLSX_MAX_CELL_CHARS);
  if (scalar instanceof Date) return toBeijingWallClock(scalar);
  return scalar;
}

async function breathe(sheet: ExcelJS.Worksheet, output: PassThrough): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  // A timer, not setImmediate: waiting on the thread pool must not spin the CPU.
  while (pendingXmlBytes(sheet) > MAX_PENDING_XML_BYTES && !output.destroyed) {
    await new Promise<void>((resolve) => setTimeout(resolve, 1));
  }
  if (!output.writableNeedDrain || output.destroyed) return;
  // Wait for the consumer, or for it to go away; whichever comes first.
  const abort = new AbortController();
  try {
    await Promise.race([
      once(output, 'drain', { signal: abort.signal }),
      once(output, 'close', { signal: abort.signal }),
    ]);
  } finally {
    abort.abort();
  }
}

/**
 * Worksheet XML written by ExcelJS but not yet taken by the zip compressor. Read from ExcelJS
 * 4.4 internals (its last release, so they will not move); 0 if their shape is ever different,
 * which leaves only the event-loop turns above.
 */
export function pendingXmlBytes(sheet: ExcelJS.Worksheet): number {
  const internals = sheet as unknown as { stream?: { pipes?: { _writableState?: { length?: unknown } }[] } };
  const pending = internals.stream?.pipes?.[0]?._writableState?.length;
  return typeof pending === 'number' ? pending : 0;
}

// Excel's rules: at most 31 characters, none of : \ / ? * [ ], no apostrophe at either end.
const SHEET_NAME_CHARS = 31;

export function safeSheetName(name: string): string {
  const cleaned = name
    .replace(/[:\\/?*[\]]/g, '')
    .replace(/^'+|'+$/g, '')
    .trim()
    .slice(0, SHEET_NAME_CHARS);
  return cleaned || 'Sheet1';
}

function continuationName(baseName: string, sheetNumber: number): string {
  const suffix = `(${sheetNumber})`;
  return `${baseName.slice(0, SHEET_NAME_CHARS - suffix.length)}${suffix}`;
}

/** The import template: small, so built in memory with the full (non-streaming) workbook API. */
export async function xlsxTemplate(columns: readonly ColumnSpec[], withExample: boolean): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('导入模板', { views: [{ state: 'frozen', ySplit: 1 }] });
  // Text format for whole columns: otherwise Excel turns an 18-digit 身份证号 into 1.10101E+17
  // and drops the leading zero of a 警号 the moment the user types it.
  sheet.columns = columns.map((column) => ({ key: column.key, width: columnWidth(column), style: { numFmt: '@' } }));
  const header = sheet.addRow(columns.map((column) => column.header));
  header.font = { bold: true };
  columns.forEach((column, index) => {
    if (column.note) header.getCell(index + 1).note = column.note;
  });
  if (withExample) sheet.addRow(columns.map((column) => column.example ?? ''));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
