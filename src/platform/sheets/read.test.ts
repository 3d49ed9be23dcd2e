import { once } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { SheetError } from './errors.ts';
import { readSheetRows } from './read.ts';
import { bytesStream, gbkEncoder, personColumns, readAll } from './testing.ts';

const HEADER = '警号,姓名,入职日期,备注';

async function xlsxOf(build: (workbook: ExcelJS.Workbook) => void): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  build(workbook);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function sheetErrorOf(promise: Promise<unknown>): Promise<SheetError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SheetError);
  return error as SheetError;
}

describe('readSheetRows: CSV', () => {
  it('reads UTF-8 with BOM; the header is row 1 and values are trimmed', async () => {
    const rows = await readAll('人员.csv', `\uFEFF${HEADER}\r\n 001234 ,张三,2024-03-01,\r\n`);
    expect(rows).toEqual([{ row: 2, values: { badgeNo: '001234', name: '张三', joinedOn: '2024-03-01', remark: '' } }]);
  });

  it('reads GBK as exported by Chinese Excel, even with characters split across chunks', async () => {
    const encode = gbkEncoder();
    expect([...encode('警号')]).toEqual([0xbe, 0xaf, 0xba, 0xc5]);
    const bytes = encode(`${HEADER}\r\n000001,欧阳娜娜,2023-12-31,借调至城区中队\r\n`);
    // Odd chunk size: every two-byte character boundary is crossed somewhere.
    const rows = await readAll('人员.CSV', bytes, { chunkSize: 3 });
    expect(rows).toEqual([
      { row: 2, values: { badgeNo: '000001', name: '欧阳娜娜', joinedOn: '2023-12-31', remark: '借调至城区中队' } },
    ]);
  });

  it('fails instead of importing garbage when non-UTF-8 bytes appear after the sniffed start', async () => {
    const start = Buffer.from(`${HEADER}\r\n${'000001,张三,2024-01-01,\r\n'.repeat(5000)}`);
    const tail = gbkEncoder()('000002,李四,2024-01-01,\r\n');
    const error = await sheetErrorOf(readAll('a.csv', Buffer.concat([start, tail])));
    expect(error.reason).toBe('BAD_ENCODING');
    expect(error.message).toContain('UTF-8 或 GBK');
  });

  it('keeps commas, quotes and line breaks inside quoted fields; row numbers count records', async () => {
    const csv = `${HEADER}\n"000001","张三, 李四","2024-01-01","第一行\n第二行"\n000002,"王""五",2024-01-02,\n`;
    const rows = await readAll('a.csv', csv);
    expect(rows).toEqual([
      { row: 2, values: { badgeNo: '000001', name: '张三, 李四', joinedOn: '2024-01-01', remark: '第一行\n第二行' } },
      { row: 3, values: { badgeNo: '000002', name: '王"五', joinedOn: '2024-01-02', remark: '' } },
    ]);
  });

  it('skips empty and blank rows but keeps counting them', async () => {
    const csv = `\n${HEADER}\n\n000001,张三,2024-01-01,\n,,,\n  , ,\t,\n000002,李四,2024-01-02,\n\n`;
    const rows = await readAll('a.csv', csv);
    expect(rows.map((row) => [row.row, row.values.badgeNo])).toEqual([
      [4, '000001'],
      [7, '000002'],
    ]);
  });

  it('reports an unclosed quote with its row number', async () => {
    const error = await sheetErrorOf(readAll('a.csv', `${HEADER}\n000001,张三,2024-01-01,\n000002,"李四,2024-01-02,\n`));
    expect(error.reason).toBe('MALFORMED_CSV');
    expect(error.row).toBe(3);
    expect(error.message).toContain('第 3 行');
  });

  it('rejects an empty file', async () => {
    const error = await sheetErrorOf(readAll('a.csv', ''));
    expect(error.reason).toBe('EMPTY_FILE');
  });

  it('reads a file with a header and no data as no rows', async () => {
    expect(await readAll('a.csv', `${HEADER}\r\n`)).toEqual([]);
  });
});

describe('readSheetRows: headers', () => {
  it('matches aliases and ignores case, width, whitespace and column order; extra columns are dropped', async () => {
    const csv = `入职 日期,ＮＡＭＥ,说明,警员编号\n2024-01-01,Zhang San,x,000001\n`;
    const rows = await readAll('a.csv', csv);
    expect(rows).toEqual([{ row: 2, values: { badgeNo: '000001', name: 'Zhang San', joinedOn: '2024-01-01', remark: '' } }]);
  });

  it('names every missing required column in zh-CN, but not the optional one', async () => {
    const error = await sheetErrorOf(readAll('a.csv', '姓名,备注\n张三,\n'));
    expect(error.reason).toBe('MISSING_HEADERS');
    expect(error.message).toBe('表头（第 1 行）缺少必需的列：警号、入职日期');
  });

  it('rejects a column given twice (once by alias) rather than picking one', async () => {
    const error = await sheetErrorOf(readAll('a.csv', '警号,姓名,入职日期,警员编号\n1,张三,2024-01-01,2\n'));
    expect(error.reason).toBe('DUPLICATE_HEADER');
    expect(error.message).toContain('「警号」');
  });

  it('treats a header text claimed by two columns as a programming error', async () => {
    const columns = [
      { key: 'a', header: '编号' },
      { key: 'b', header: '名称', aliases: ['编 号'] },
    ];
    const reading = readSheetRows({ filename: 'a.csv', stream: bytesStream('编号\n1\n') }, columns).next();
    await expect(reading).rejects.toThrow("also names column 'a'");
    await expect(reading).rejects.not.toBeInstanceOf(SheetError);
  });
});

describe('readSheetRows: XLSX', () => {
  it('converts dates, numbers, booleans, rich text and formula results to text', async () => {
    const bytes = await xlsxOf((workbook) => {
      const sheet = workbook.addWorksheet('人员');
      sheet.addRow(['警号', '姓名', '入职日期', '备注']);
      sheet.addRow([12345, { richText: [{ text: '张' }, { text: '三', font: { bold: true } }] }, new Date(Date.UTC(2024, 2, 1)), 1e21]);
      sheet.addRow([
        { formula: 'A2+1', result: 12346 },
        '李四',
        new Date(Date.UTC(2024, 2, 1, 8, 30, 5)),
        0.1 + 0.2,
      ]);
      sheet.addRow([{ formula: 'A3&"X"', result: '12346X' }, true, { formula: 'C2+1', result: 45353 }, -0.5]);
      sheet.getCell('C4').numFmt = 'yyyy"年"m"月"d"日"';
      sheet.addRow(['000004', '王五', { formula: 'NOW()', result: 45353.75 }, 123456789012345678]);
      sheet.getCell('C5').numFmt = 'yyyy-mm-dd hh:mm';
    });
    const rows = await readAll('人员.xlsx', bytes);
    expect(rows).toEqual([
      { row: 2, values: { badgeNo: '12345', name: '张三', joinedOn: '2024-03-01', remark: '1000000000000000000000' } },
      { row: 3, values: { badgeNo: '12346', name: '李四', joinedOn: '2024-03-01T08:30:05', remark: '0.3' } },
      { row: 4, values: { badgeNo: '12346X', name: 'TRUE', joinedOn: '2024-03-02', remark: '-0.5' } },
      // Excel itself keeps 15 significant digits of a number.
      { row: 5, values: { badgeNo: '000004', name: '王五', joinedOn: '2024-03-02T18:00:00', remark: '123456789012346000' } },
    ]);
  });

  it('honours the 1904 date system, for formula results too', async () => {
    const bytes = await xlsxOf((workbook) => {
      workbook.properties.date1904 = true;
      const sheet = workbook.addWorksheet('s');
      sheet.addRow(['警号', '姓名', '入职日期', '备注']);
      sheet.addRow(['1', new Date(Date.UTC(2024, 2, 1)), { formula: 'B2', result: 45352 - 1462 }]);
      sheet.getCell('C2').numFmt = 'yyyy-mm-dd';
    });
    const [row] = await readAll('a.xlsx', bytes);
    expect(row?.values).toMatchObject({ name: '2024-03-01', joinedOn: '2024-03-01' });
  });

  it('shows time-only cells as HH:mm:ss and errors as their code', async () => {
    const bytes = await xlsxOf((workbook) => {
      const sheet = workbook.addWorksheet('s');
      sheet.addRow(['警号', '姓名', '入职日期', '备注']);
      sheet.addRow(['1', { error: '#N/A' }, 0.75, '']);
      sheet.getCell('C2').numFmt = 'h:mm';
    });
    const [row] = await readAll('a.xlsx', bytes);
    expect(row?.values).toMatchObject({ name: '#N/A', joinedOn: '18:00:00' });
  });

  it('skips empty rows, including rows of blanks, and keeps Excel row numbers', async () => {
    const bytes = await xlsxOf((workbook) => {
      const sheet = workbook.addWorksheet('s');
      sheet.getRow(2).values = ['警号', '姓名', '入职日期'];
      sheet.getRow(3).values = ['1', '张三', '2024-01-01'];
      sheet.getRow(4).values = ['  ', '', ' '];
      sheet.getRow(9).values = ['2', '李四', '2024-01-02'];
    });
    const rows = await readAll('a.xlsx', bytes);
    expect(rows.map((row) => [row.row, row.values.name])).toEqual([
      [3, '张三'],
      [9, '李四'],
    ]);
  });

  it('reads only the first worksheet in tab order, even when it is stored second', async () => {
    const bytes = await xlsxOf((workbook) => {
      const stored1st = workbook.addWorksheet('说明');
      stored1st.addRow(['这不是数据']);
      const stored2nd = workbook.addWorksheet('人员');
      stored2nd.addRow(['警号', '姓名', '入职日期']);
      stored2nd.addRow(['1', '张三', '2024-01-01']);
      // Tab position; ExcelJS supports it but does not type it.
      Object.assign(stored2nd, { orderNo: 0 });
      Object.assign(stored1st, { orderNo: 1 });
    });
    const rows = await readAll('a.xlsx', bytes);
    expect(rows.map((row) => row.values.name)).toEqual(['张三']);
  });

  it('names missing headers for XLSX too', async () => {
    const bytes = await xlsxOf((workbook) => workbook.addWorksheet('s').addRow(['姓名', '入职日期']));
    const error = await sheetErrorOf(readAll('a.xlsx', bytes));
    expect(error.message).toBe('表头（第 1 行）缺少必需的列：警号');
  });

  it('turns a non-zip or truncated file into a SheetError', async () => {
    const bytes = await xlsxOf((workbook) => workbook.addWorksheet('s').addRow(['警号']));
    expect((await sheetErrorOf(readAll('a.xlsx', 'PK not really a zip'))).reason).toBe('CORRUPT_XLSX');
    expect((await sheetErrorOf(readAll('a.xlsx', bytes.subarray(0, 300)))).reason).toBe('CORRUPT_XLSX');
    expect((await sheetErrorOf(readAll('a.xlsx', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0, 0, 0, 0])))).reason).toBe(
      'CORRUPT_XLSX',
    );
  });

  it('rejects an empty file instead of waiting forever', async () => {
    expect((await sheetErrorOf(readAll('a.xlsx', ''))).reason).toBe('EMPTY_FILE');
  });
});

describe('readSheetRows: input handling', () => {
  it('rejects other extensions in zh-CN', async () => {
    for (const filename of ['人员.xls', '人员.txt', 'csv', '人员.csv.exe']) {
      const error = await sheetErrorOf(readAll(filename, `${HEADER}\n`));
      expect(error).toMatchObject({ reason: 'UNSUPPORTED_FORMAT', message: '不支持的文件格式，请上传 .xlsx 或 .csv 文件' });
    }
  });

  it.each(['a.csv', 'a.xlsx'])('passes a failure of the input stream through unchanged (%s)', async (filename) => {
    const source = new PassThrough();
    source.write(filename.endsWith('.csv') ? `${HEADER}\n` : Buffer.from('PK\u0003\u0004'));
    setTimeout(() => source.destroy(new Error('upload aborted')), 20);
    const reading = (async () => {
      for await (const row of readSheetRows({ filename, stream: source }, personColumns)) void row;
    })();
    await expect(reading).rejects.toThrow('upload aborted');
  });

  // For .xlsx as Excel writes it (worksheets before shared strings) ExcelJS has read the whole
  // archive before the first row, so there the test guards the invariant more than the drain.
  it.each(['csv', 'xlsx'] as const)('consumes the whole input when the caller stops early (%s)', async (format) => {
    const lines = Array.from({ length: 3000 }, (_, index) => [String(index), '张三', '2024-01-01']);
    const bytes =
      format === 'csv'
        ? Buffer.from(`${HEADER}\n${lines.map((line) => line.join(',')).join('\n')}\n`)
        : await xlsxOf((workbook) => workbook.addWorksheet('s').addRows([['警号', '姓名', '入职日期'], ...lines]));
    const source: Readable = bytesStream(bytes, 1024);
    const ended = once(source, 'end');
    for await (const row of readSheetRows({ filename: `a.${format}`, stream: source }, personColumns)) {
      expect(row.row).toBe(2);
      break;
    }
    await ended;
    expect(source.destroyed && !source.readableEnded).toBe(false);
  });
});
