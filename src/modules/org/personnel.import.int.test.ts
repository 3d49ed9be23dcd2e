import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTable } from '../../platform/sheets/index.ts';
import { loginAs, nextBadge, testApp, uploadFile, type Client, type TestApp } from '../../../test/factories.ts';
import { PERSON_SHEET } from './personnel.import.ts';

let t: TestApp;
let admin: Client;
let auditor: Client;

const HEADER = '姓名,警号,类别,所属单位,职务,手机号';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const csv = (...lines: string[]) => Buffer.from([HEADER, ...lines].join('\r\n') + '\r\n');

async function upload(filename: string, content: Buffer, as: Client = admin) {
  const res = await uploadFile(t.app, as, '/api/org/personnel/import', filename, content);
  return { status: res.status, body: res.body, requestId: String(res.headers['x-request-id']) };
}

async function peopleMatching(q: string) {
  const res = await admin.get(`/api/org/personnel?pageSize=500&q=${encodeURIComponent(q)}`);
  return res.body.items as Array<{ name: string; badgeNo: string; category: string; unitName: string; position: string | null; phoneMasked: string | null }>;
}
const peopleTotal = async () => (await admin.get('/api/org/personnel?pageSize=1')).body.total as number;

/** The ledger entries one import request wrote. */
async function entriesOf(requestId: string) {
  const res = await auditor.get('/api/ledger/entries?pageSize=500&action=org.person');
  return (res.body.items as Array<{ action: string; requestId: string; subjectId: string; payload: Record<string, unknown> }>).filter((e) => e.requestId === requestId);
}

// Row 1 is the header; row 4 is left empty and still counts, as it does in Excel.
const FILE = [
  '导入甲,IMP0001,民警,二中队,民警,13800000001', // 2 good
  '导入乙,IMP0002,辅警,三中队,,', //                  3 good, optional columns empty
  ',,,,,', //                                         4 empty
  '导入丙,12,民警,二中队,民警,', //                   5 bad badge
  '导入丁,IMP0004,民警,九中队,民警,', //              6 unknown unit
  '导入戊,IMP0005,协警,二中队,,', //                  7 bad category
  '导入己,IMP0001,民警,二中队,,', //                  8 duplicate of row 2
  '导入庚,IMP0007,民警,二中队,,12345', //             9 bad phone
  '导入辛,IMP0008,民警,32050104,副中队长,13900000008', // 10 good, unit by 机构代码
];

beforeAll(async () => {
  t = await testApp();
  admin = await loginAs(t.app, 'admin');
  auditor = await loginAs(t.app, 'auditor');
});
afterAll(() => t.close());

describe('import template', () => {
  it('downloads as .xlsx and as .csv', async () => {
    const xlsx = await admin.get('/api/org/personnel/import-template?format=xlsx');
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers['content-type']).toBe(XLSX);
    expect(xlsx.raw.subarray(0, 2).toString('latin1')).toBe('PK');
    expect((await admin.get('/api/org/personnel/import-template')).headers['content-type']).toBe(XLSX);
    const text = await admin.get('/api/org/personnel/import-template?format=csv');
    expect(text.status).toBe(200);
    expect(String(text.headers['content-type'])).toMatch(/^text\/csv/);
    expect(String(text.headers['content-disposition'])).toContain(encodeURIComponent('人员导入模板.csv'));
    expect(text.raw.toString('utf8').replace(/^\uFEFF/, '').split('\r\n')[0]).toBe(HEADER);
    expect((await admin.get('/api/org/personnel/import-template?format=pdf')).status).toBe(400);
    const leader = await loginAs(t.app, 'leader');
    expect((await leader.get('/api/org/personnel/import-template')).status).toBe(403);
  });

  it('imports nothing from a template sent back unchanged (the example row is not a person)', async () => {
    const before = await peopleTotal();
    for (const format of ['csv', 'xlsx'] as const) {
      const template = await admin.get(`/api/org/personnel/import-template?format=${format}`);
      const res = await upload(`template.${format}`, template.raw);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ created: 0, updated: 0, rejected: 0, errors: [] });
    }
    expect(await peopleTotal()).toBe(before);
    expect(await peopleMatching('010234')).toEqual([]);
    const csvTemplate = (await admin.get('/api/org/personnel/import-template?format=csv')).raw;
    const filled = await upload('template.csv', Buffer.concat([csvTemplate, Buffer.from('模板填写,TPL0001,民警,一中队,,\r\n')]));
    expect(filled.body).toMatchObject({ total: 1, created: 1, rejected: 0 });
    expect((await peopleMatching('TPL0001')).map((p) => p.name)).toEqual(['模板填写']);
  });
});

describe('importing a CSV', () => {
  let first: Awaited<ReturnType<typeof upload>>;

  it('imports the good rows and reports each bad one by row, column and reason', async () => {
    const before = await peopleTotal();
    first = await upload('people.csv', csv(...FILE));
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      total: 8,
      created: 3,
      updated: 0,
      unchanged: 0,
      rejected: 5,
      errors: [
        { row: 5, field: '警号', message: '警号应为4-12位字母或数字' },
        { row: 6, field: '所属单位', message: expect.stringContaining('九中队') },
        { row: 7, field: '类别', message: expect.stringContaining('协警') },
        { row: 8, field: '警号', message: '与第 2 行警号重复' },
        { row: 9, field: '手机号', message: '手机号应为11位中国大陆手机号' },
      ],
    });
    expect(await peopleTotal()).toBe(before + 3);
    const imported = await peopleMatching('导入');
    expect(imported.map((p) => p.name).sort()).toEqual(['导入乙', '导入甲', '导入辛']);
    expect(imported.find((p) => p.badgeNo === 'IMP0001')).toMatchObject({ name: '导入甲', category: 'police', unitName: '二中队', position: '民警', phoneMasked: '138****0001' });
    expect(imported.find((p) => p.badgeNo === 'IMP0002')).toMatchObject({ category: 'auxiliary', unitName: '三中队', position: null, phoneMasked: null });
    expect(imported.find((p) => p.badgeNo === 'IMP0008')).toMatchObject({ unitName: '高速中队', position: '副中队长' });
  });

  it('ledgers each created person (via import) and the import itself, in the same request', async () => {
    const entries = await entriesOf(first.requestId);
    const creates = entries.filter((e) => e.action === 'org.person.create');
    expect(creates).toHaveLength(3);
    expect(creates.every((e) => e.payload.via === 'import')).toBe(true);
    const imports = entries.filter((e) => e.action === 'org.person.import');
    expect(imports).toHaveLength(1);
    expect(imports[0]).toMatchObject({ subjectId: 'people.csv', payload: { total: 8, created: 3, updated: 0, unchanged: 0, rejectedRows: 5 } });
  });

  it('is idempotent on 警号, and updates a changed row', async () => {
    const again = await upload('people.csv', csv(...FILE));
    expect(again.body).toMatchObject({ total: 8, created: 0, updated: 0, unchanged: 3, rejected: 5 });
    expect((await entriesOf(again.requestId)).map((e) => e.action)).toEqual(['org.person.import']);

    const changed = FILE.map((line) => (line.startsWith('导入甲') ? '导入甲,IMP0001,民警,二中队,副中队长,13800000001' : line));
    const updated = await upload('people.csv', csv(...changed));
    expect(updated.body).toMatchObject({ total: 8, created: 0, updated: 1, unchanged: 2, rejected: 5 });
    expect((await peopleMatching('IMP0001'))[0]!.position).toBe('副中队长');
    const [update] = (await entriesOf(updated.requestId)).filter((e) => e.action === 'org.person.update');
    expect(update!.payload).toMatchObject({ via: 'import', before: { position: '民警' }, after: { position: '副中队长' } });
  });

  it('writes nothing but the import record when every row is bad', async () => {
    const before = await peopleTotal();
    const res = await upload('people.csv', csv('全错甲,1,民警,二中队,,', '全错乙,IMP0102,警察,二中队,,', '全错丙,IMP0103,民警,不存在的中队,,'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 3, created: 0, updated: 0, unchanged: 0, rejected: 3 });
    expect(res.body.errors.map((e: { row: number; field: string }) => [e.row, e.field])).toEqual([[2, '警号'], [3, '类别'], [4, '所属单位']]);
    expect(await peopleTotal()).toBe(before);
    expect(await peopleMatching('全错')).toEqual([]);
    const entries = await entriesOf(res.requestId);
    expect(entries.map((e) => e.action)).toEqual(['org.person.import']);
    expect(entries[0]!.payload).toMatchObject({ total: 3, created: 0, rejectedRows: 3 });
  });
});

describe('importing an .xlsx and refusing bad files', () => {
  it('imports an .xlsx, keeping the leading zeros of a text 警号', async () => {
    const file = await writeTable(
      PERSON_SHEET,
      [
        { name: '表格甲', badgeNo: '007001', category: '民警', unit: '一中队', position: '民警', phone: '13700000001' },
        { name: '表格乙', badgeNo: 'F70002', category: '辅警', unit: '高速中队', position: '', phone: '' },
        { name: '导入甲', badgeNo: 'IMP0001', category: '民警', unit: '二中队', position: '副中队长', phone: '13800000001' },
        { name: '表格丙', badgeNo: '7003', category: '辅警', unit: '天上中队', position: '', phone: '' },
      ],
      'xlsx',
    );
    const res = await upload('people.xlsx', file);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 4, created: 2, updated: 0, unchanged: 1, rejected: 1, errors: [{ row: 5, field: '所属单位' }] });
    const [person] = await peopleMatching('表格甲');
    expect(person).toMatchObject({ badgeNo: '007001', unitName: '一中队' });
  });

  it('refuses a file without a required column, naming it, and writes nothing', async () => {
    const before = await peopleTotal();
    const res = await upload('people.csv', Buffer.from('姓名,类别,所属单位\r\n缺列甲,民警,二中队\r\n'));
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('警号');
    expect(res.body.details).toEqual([{ path: 'file', message: res.body.message }]);
    expect(await peopleTotal()).toBe(before);
  });

  it('refuses other file types and requests without a file', async () => {
    const txt = await upload('people.txt', csv(FILE[0]!));
    expect(txt.status).toBe(400);
    expect(txt.body.message).toContain('.xlsx 或 .csv');
    expect(await peopleMatching('IMP0001')).toHaveLength(1);
    const json = await admin.send('POST', '/api/org/personnel/import', { file: 'people.csv' });
    expect(json.status).toBe(400);
    const leader = await loginAs(t.app, 'leader');
    expect((await upload('people.csv', csv(FILE[0]!), leader)).status).toBe(403);
  });
});

describe('upload size limit', () => {
  it('refuses a file cut at the 50 MB limit, writing nothing', async () => {
    const before = await peopleTotal();
    // One good row first, then rows of ~0.9 MB each until the upload passes the limit.
    const good = `限额测试,${nextBadge('06')},民警,二中队,民警,`;
    const big = Array.from({ length: 64 }, (_, i) => `超大${i},${nextBadge('06')},民警,二中队,${'职'.repeat(300_000)},`);
    const res = await upload('huge.csv', csv(good, ...big));
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/超过大小限制/);
    expect(await peopleTotal()).toBe(before);
  });
});
