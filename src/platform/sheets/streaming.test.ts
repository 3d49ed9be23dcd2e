import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readSheetRows } from './read.ts';
import { bytesStream, personColumns } from './testing.ts';
import { writeTable } from './write.ts';
import { pendingXmlBytes } from './write-xlsx.ts';

const MB = 2 ** 20;
// ~350 bytes per CSV row: 200,000 rows make a ~70 MB file, well above the growth we allow.
const REMARK = '该员于执勤期间查询车辆信息，事由：'.repeat(6);

function memoryInUse(): number {
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
}

/** Reads every row, sampling memory growth above the level before reading. */
async function readMeasured(filename: string, stream: Readable, onRow: (row: number, badgeNo: string) => void) {
  const baseline = memoryInUse();
  let peakGrowth = 0;
  let count = 0;
  for await (const { row, values } of readSheetRows({ filename, stream }, personColumns)) {
    count += 1;
    onRow(row, values.badgeNo);
    if (count % 10_000 === 0) peakGrowth = Math.max(peakGrowth, memoryInUse() - baseline);
  }
  return { count, peakGrowth };
}

describe('readSheetRows: streaming', () => {
  it('reads 200,000 CSV rows without holding the file in memory', { timeout: 120_000 }, async () => {
    const ROWS = 200_000;
    let producedRows = 0;
    async function* generate(): AsyncGenerator<Buffer> {
      yield Buffer.from('\uFEFF警号,姓名,入职日期,备注\r\n');
      while (producedRows < ROWS) {
        let chunk = '';
        for (let i = 0; i < 500; i++) {
          producedRows += 1;
          chunk += `${String(producedRows).padStart(6, '0')},姓名${producedRows},2024-01-01,${REMARK}\r\n`;
        }
        yield Buffer.from(chunk);
      }
    }

    let producedAtFirstRow = -1;
    let lastRow = 0;
    let misplaced = 0;
    const { count, peakGrowth } = await readMeasured('big.csv', Readable.from(generate()), (row, badgeNo) => {
      if (producedAtFirstRow < 0) producedAtFirstRow = producedRows;
      if (badgeNo !== String(row - 1).padStart(6, '0')) misplaced += 1;
      lastRow = row;
    });

    expect(count).toBe(ROWS);
    expect(misplaced).toBe(0);
    expect(lastRow).toBe(ROWS + 1);
    // Rows reach the caller while most of the file has not even been produced...
    expect(producedAtFirstRow).toBeLessThan(ROWS / 20);
    // ...and memory does not grow with the file (loose bound: GC timing varies).
    expect(peakGrowth).toBeLessThan(48 * MB);
  });

  it('reads 100,000 XLSX rows with flat memory', { timeout: 120_000 }, async () => {
    const ROWS = 100_000;
    const rows = Array.from({ length: ROWS }, (_, index) => ({
      badgeNo: String(index + 1).padStart(6, '0'),
      name: `姓名${index}`,
      joinedOn: '2024-01-01',
    }));
    const bytes = await writeTable(personColumns, rows, 'xlsx');
    rows.length = 0;

    let lastRow = 0;
    let misplaced = 0;
    const { count, peakGrowth } = await readMeasured('big.xlsx', bytesStream(bytes), (row, badgeNo) => {
      if (badgeNo !== String(row - 1).padStart(6, '0')) misplaced += 1;
      lastRow = row;
    });

    expect(count).toBe(ROWS);
    expect(misplaced).toBe(0);
    expect(lastRow).toBe(ROWS + 1);
    // Each row retained by the reader would cost ~2 KB, i.e. ~200 MB here. The margin is wide
    // because the full suite runs beside this file and the collector runs when it likes.
    expect(peakGrowth).toBeLessThan(100 * MB);
  });
});

describe('xlsx export backpressure', () => {
  it('can see the XML ExcelJS has not yet handed to the compressor', () => {
    // If an ExcelJS upgrade moves these internals, exports lose their brake: this test says so.
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({});
    const sheet = workbook.addWorksheet('s');
    for (let i = 0; i < 5_000; i++) sheet.addRow([i, '查询事由说明']).commit();
    expect(pendingXmlBytes(sheet)).toBeGreaterThan(64 * 1024);
  });
});
