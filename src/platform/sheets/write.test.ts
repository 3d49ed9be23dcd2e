import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { defineColumns } from './columns.ts';
import { readSheetRows } from './read.ts';
import { personColumns, readAll } from './testing.ts';
import { contentTypeFor, filenameFor, streamTable, writeTable, writeTemplate } from './write.ts';
import { xlsxTableStream } from './write-xlsx.ts';

async function loadXlsx(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  return workbook;
}

function firstSheet(workbook: ExcelJS.Workbook): ExcelJS.Worksheet {
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new Error('workbook has no worksheet');
  return sheet;
}

const exportColumns = defineColumns([
  { key: 'badgeNo', header: '警号' },
  { key: 'name', header: '姓名' },
  { key: 'at', header: '查询时间' },
  { key: 'count', header: '次数' },
]);

describe('writeTemplate', () => {
  it.each(['xlsx', 'csv'] as const)('reads back as the example row, numbered 2 (%s)', async (format) => {
    const bytes = await writeTemplate(personColumns, format);
    expect(await readAll(`模板.${format}`, bytes)).toEqual([
      { row: 2, values: { badgeNo: '012345', name: '张三', joinedOn: '2024-03-01', remark: '' } },
    ]);
  });

  it('styles the xlsx header: bold, frozen, notes as comments, widths, text-formatted columns', async () => {
    const sheet = firstSheet(await loadXlsx(await writeTemplate(personColumns, 'xlsx')));
    const badge = sheet.getCell('A1');
    expect(badge.value).toBe('警号');
    expect(badge.font?.bold).toBe(true);
    expect(badge.note).toBe('6 位数字，前导 0 保留');
    expect(sheet.getCell('B1').note).toBeUndefined();
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    // Derived from the widest of header and example, CJK counted double: '入职日期' → 8 + 2.
    expect(sheet.getColumn(3).width).toBe(12);
    expect(sheet.getColumn(1).numFmt).toBe('@');
  });

  it('writes the csv template with BOM and CRLF, and no example row when there are no examples', async () => {
    const bytes = await writeTemplate([{ key: 'a', header: '警号' }], 'csv');
    expect(bytes.toString('utf8')).toBe('\uFEFF警号\r\n');
  });
});

describe('writeTable: CSV', () => {
  it('starts with a BOM, quotes per RFC 4180 and guards formula-like text', async () => {
    const rows = [
      { badgeNo: '=HYPERLINK("http://x")', name: '张三, "老张"', at: '+86', count: -5 },
      { badgeNo: '@SUM(1)', name: '-1+2', at: '\tTAB', count: 3n },
      { badgeNo: '\rCR', name: '第一行\n第二行', at: null, count: undefined },
      { badgeNo: 'a=b', name: ' -x', at: '', count: 1e21 },
    ];
    const text = (await writeTable(exportColumns, rows, 'csv')).toString('utf8');
    expect(text).toBe(
      '\uFEFF警号,姓名,查询时间,次数\r\n' +
        `"'=HYPERLINK(""http://x"")","张三, ""老张""",'+86,-5\r\n` +
        `'@SUM(1),'-1+2,'\tTAB,3\r\n` +
        `"'\rCR","第一行\n第二行",,\r\n` +
        'a=b, -x,,1000000000000000000000\r\n',
    );
  });

  it('writes instants in Beijing time and booleans and objects readably', async () => {
    const rows = [{ badgeNo: true, name: { a: 1 }, at: new Date('2024-03-01T00:30:05.900Z'), count: Number.NaN }];
    const text = (await writeTable(exportColumns, rows, 'csv')).toString('utf8');
    expect(text.split('\r\n')[1]).toBe('TRUE,"{""a"":1}",2024-03-01 08:30:05,');
  });

  it('round-trips through readSheetRows, apostrophe included', async () => {
    const bytes = await writeTable(exportColumns, [{ badgeNo: '=1+1', name: '张三,李四', count: 7 }], 'csv');
    const rows = [];
    for await (const row of readSheetRows({ filename: 'x.csv', stream: Readable.from([bytes]) }, exportColumns)) {
      rows.push(row);
    }
    expect(rows).toEqual([{ row: 2, values: { badgeNo: "'=1+1", name: '张三,李四', at: '', count: '7' } }]);
  });
});

describe('writeTable: XLSX', () => {
  it('writes typed cells: text stays text (never a formula), dates in Beijing time, numbers as numbers', async () => {
    const rows = (async function* () {
      yield { badgeNo: '=1+1', name: '张三', at: new Date('2024-03-01T00:30:05Z'), count: 42 };
      yield { badgeNo: '000002', name: 'x'.repeat(40_000), count: 12345678901234567890n };
    })();
    const bytes = await writeTable(exportColumns, rows, 'xlsx', { sheetName: '查询日志[2024/03]' });
    const sheet = firstSheet(await loadXlsx(bytes));
    expect(sheet.name).toBe('查询日志202403');
    expect(sheet.getCell('A1').font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getCell('A2').type).toBe(ExcelJS.ValueType.String);
    expect(sheet.getCell('A2').value).toBe('=1+1');
    expect(sheet.getCell('C2').value).toEqual(new Date('2024-03-01T08:30:05Z'));
    expect(sheet.getCell('C2').numFmt).toBe('yyyy-mm-dd hh:mm:ss');
    expect(sheet.getCell('D2').value).toBe(42);
    expect(sheet.getCell('A3').value).toBe('000002');
    expect((sheet.getCell('B3').value as string).length).toBe(32_767);
    expect(sheet.getCell('D3').value).toBe('12345678901234567890');
  });

  it('reads back through readSheetRows', async () => {
    const bytes = await writeTable(exportColumns, [{ badgeNo: '000001', at: new Date('2024-03-01T16:00:00Z'), count: 0.5 }], 'xlsx');
    const rows = [];
    for await (const row of readSheetRows({ filename: 'x.xlsx', stream: Readable.from([bytes]) }, exportColumns)) {
      rows.push(row);
    }
    expect(rows).toEqual([{ row: 2, values: { badgeNo: '000001', name: '', at: '2024-03-02', count: '0.5' } }]);
  });

  it('continues on a new worksheet with the header repeated past the row limit', async () => {
    const rows = Array.from({ length: 5 }, (_, index) => ({ badgeNo: String(index + 1) }));
    const chunks: Buffer[] = [];
    for await (const chunk of xlsxTableStream(exportColumns, rows, '日志', 3)) chunks.push(chunk as Buffer);
    const workbook = await loadXlsx(Buffer.concat(chunks));
    const sheets = workbook.worksheets.map((sheet) => [
      sheet.name,
      sheet.getSheetValues().flatMap((values) => (Array.isArray(values) ? [values[1]] : [])),
    ]);
    expect(sheets).toEqual([
      ['日志', ['警号', '1', '2']],
      ['日志(2)', ['警号', '3', '4']],
      ['日志(3)', ['警号', '5']],
    ]);
  });

});

describe('writeTable: failures', () => {
  it.each(['xlsx', 'csv'] as const)('rejects when the rows fail (%s)', async (format) => {
    const rows = (async function* () {
      yield { badgeNo: '1' };
      throw new Error('database gone');
    })();
    await expect(writeTable(exportColumns, rows, format)).rejects.toThrow('database gone');
  });
});

describe('streamTable', () => {
  it.each(['xlsx', 'csv'] as const)('stops pulling rows once the consumer goes away (%s)', async (format) => {
    let pulled = 0;
    let closed = false;
    const rows = (function* () {
      try {
        for (;;) {
          pulled += 1;
          yield { badgeNo: String(pulled), name: '张三'.repeat(50) };
        }
      } finally {
        closed = true;
      }
    })();
    const stream = streamTable(exportColumns, rows, format);
    for await (const chunk of stream) {
      void chunk;
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    const pulledAtStop = pulled;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(pulled).toBe(pulledAtStop);
    expect(closed).toBe(true);
    expect(pulled).toBeLessThan(200_000);
  });
});

describe('download headers', () => {
  it('names content types', () => {
    expect(contentTypeFor('xlsx')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(contentTypeFor('csv')).toBe('text/csv; charset=utf-8');
  });

  it('encodes Chinese names per RFC 5987 with an ASCII fallback', () => {
    expect(filenameFor('人员名单', 'xlsx')).toBe(
      `attachment; filename="export.xlsx"; filename*=UTF-8''%E4%BA%BA%E5%91%98%E5%90%8D%E5%8D%95.xlsx`,
    );
    expect(filenameFor('login-log 2024 (1)', 'csv')).toBe(
      `attachment; filename="login-log 2024 (1).csv"; filename*=UTF-8''login-log%202024%20%281%29.csv`,
    );
  });

  it('keeps header injection, path characters and lone surrogates out', () => {
    expect(filenameFor('a"\r\nSet-Cookie: x/..\\b\uD800', 'csv')).toBe(
      `attachment; filename="aSet-Cookie x..b.csv"; filename*=UTF-8''aSet-Cookie%20x..b.csv`,
    );
    expect(filenameFor(' \r\n ', 'xlsx')).toBe(`attachment; filename="export.xlsx"; filename*=UTF-8''export.xlsx`);
  });
});
