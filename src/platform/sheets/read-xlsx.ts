import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { SheetError } from './errors.ts';
import type { RawRow } from './source.ts';
import { excelDateText, excelNumberText, excelSerialToDate, isDateFormat } from './text.ts';

// Parsed parts of the workbook that ExcelJS's streaming reader keeps but does not type.
type ReaderInternals = {
  model?: { sheets?: { name: string; rId: string }[] };
  workbookRels?: { Id: string; Target: string }[];
  properties?: { model?: { date1904?: boolean } };
};

/**
 * Rows of the first worksheet (in tab order). Shared strings are held in memory — the format
 * requires random access to them — everything else streams. Excel writes the worksheets before
 * the shared strings, so ExcelJS spools them to a temporary file first: disk, not heap.
 */
export async function* readXlsxCells(source: Readable): AsyncGenerator<RawRow> {
  const { input, watch } = watchSource(source);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    sharedStrings: 'cache',
    // Styles are needed to tell a date from a number: both are stored as serial numbers.
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  const internals = reader as unknown as ReaderInternals;

  for await (const worksheet of guarded(reader, watch)) {
    const wanted = firstSheetName(internals);
    const name = (worksheet as unknown as { name?: string }).name;
    if (wanted !== undefined && name !== wanted) continue;
    const date1904 = internals.properties?.model?.date1904 === true;
    for await (const row of guarded(worksheet, watch)) {
      yield { row: row.number, cells: rowCells(row, date1904) };
    }
    return;
  }
  throw new SheetError('文件中没有工作表', 'CORRUPT_XLSX');
}

/**
 * ExcelJS never hears about errors of the stream it reads (pipe() does not forward them) and
 * waits forever on an empty one; both would hang the upload request. The watch fails in those
 * cases so the reading loop can give up.
 */
function watchSource(source: Readable): { input: Readable; watch: SourceWatch } {
  // A buffer between source and reader: the reader attaches lazily, and counting bytes with a
  // 'data' listener on the source would otherwise start the flow before anyone consumes it.
  const input = new PassThrough();
  source.pipe(input);
  const watch = new SourceWatch();
  let bytes = 0;
  source.on('data', (chunk: Buffer) => (bytes += chunk.length));
  source.once('error', (error) => watch.fail(error));
  source.once('end', () => {
    if (bytes === 0) watch.fail(new SheetError('文件为空', 'EMPTY_FILE'));
  });
  return { input, watch };
}

/**
 * Races each step of the reader against a failure of the source. Not Promise.race with one
 * long-lived failure promise: every race would leave a reaction on it holding the step's row,
 * which leaks about 2 KB per row — gigabytes on a million-row file.
 */
class SourceWatch {
  private failure: { error: unknown } | undefined;
  private readonly waiting = new Set<(error: unknown) => void>();

  fail(error: unknown): void {
    if (this.failure) return;
    this.failure = { error };
    for (const reject of this.waiting) reject(error);
    this.waiting.clear();
  }

  race<T>(step: Promise<T>): Promise<T> {
    if (this.failure) return Promise.reject(this.failure.error);
    return new Promise<T>((resolve, reject) => {
      this.waiting.add(reject);
      void step.then(resolve, reject).finally(() => this.waiting.delete(reject));
    });
  }
}

/** Iterates `iterable` until it ends or the source fails; ExcelJS's own errors become SheetErrors. */
async function* guarded<T>(iterable: AsyncIterable<T>, watch: SourceWatch): AsyncGenerator<T> {
  const iterator = iterable[Symbol.asyncIterator]();
  try {
    for (;;) {
      const step = await watch.race(iterator.next().catch(corrupt));
      if (step.done) return;
      yield step.value;
    }
  } finally {
    // Not awaited: after a failure the iterator's pending next() never settles, and return()
    // would queue behind it.
    void iterator.return?.().catch(() => {});
  }
}

function corrupt(error: unknown): never {
  if (error instanceof SheetError) throw error;
  throw new SheetError('无法读取该 .xlsx 文件：文件可能已损坏，或是改了扩展名的旧版 .xls 文件（请在 Excel 中另存为 .xlsx）', 'CORRUPT_XLSX', {
    cause: error,
  });
}

/**
 * Name of the first tab, when ExcelJS can tell which emitted worksheet that is: it names a
 * worksheet only when the relationship target has the usual relative form. Otherwise undefined,
 * and the first worksheet in the archive is taken.
 */
function firstSheetName(reader: ReaderInternals): string | undefined {
  const first = reader.model?.sheets?.[0];
  const rel = first && reader.workbookRels?.find((candidate) => candidate.Id === first.rId);
  return rel && /^worksheets\/sheet\d+\.xml$/.test(rel.Target) ? first.name : undefined;
}

function rowCells(row: ExcelJS.Row, date1904: boolean): string[] {
  const cells: string[] = [];
  row.eachCell({ includeEmpty: false }, (cell, column) => {
    cells[column - 1] = cellText(cell.value, cell.numFmt, date1904);
  });
  // Array.from turns the holes left by empty cells into ''.
  return Array.from(cells, (text) => text ?? '');
}

/** The text a user would type to reproduce the cell. */
export function cellText(value: ExcelJS.CellValue, numFmt: string | undefined, date1904: boolean): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return excelNumberText(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return excelDateText(value);
  if ('richText' in value) return value.richText.map((run) => run.text ?? '').join('');
  if ('error' in value) return value.error;
  if ('formula' in value || 'sharedFormula' in value) return formulaResultText(value.result, numFmt, date1904);
  return typeof value.text === 'string' ? value.text : '';
}

// ExcelJS converts date-formatted plain cells to Date itself, but leaves formula results as serials.
function formulaResultText(
  result: ExcelJS.CellFormulaValue['result'],
  numFmt: string | undefined,
  date1904: boolean,
): string {
  if (typeof result === 'number' && isDateFormat(numFmt)) {
    return excelDateText(excelSerialToDate(result, date1904));
  }
  return cellText(result, numFmt, date1904);
}
