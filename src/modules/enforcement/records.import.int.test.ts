import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import { seedDemo } from '../../demo/index.ts';
import { bootstrapContext } from '../../platform/bootstrap.ts';
import { importRecords } from './records.import.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemo(database, 'Clearlane@2026', { enforcement: 'none' });
});
afterAll(() => database.drop());

it('an upload cut at the size limit stores nothing of its last, possibly cut, row', async () => {
  const row = (id: string, evidence: string) => `${id},非现场,苏A1000${id.slice(-1)},K33,1625,2026-11-20 08:00:00,中山路,SXJ-0001,${evidence}`;
  const photo = (c: string) => `photo|${c}.jpg|${c.repeat(64)}`;
  // the cut fell inside the third row's evidence (a photo and a video): what is left still validates
  const cut = ['外部编号,记录类型,号牌号码,车辆类型,违法代码,违法时间,道路,设备编号,证据', row('CUT-1', photo('a')), row('CUT-2', photo('b')), row('CUT-3', photo('c'))].join('\n');
  const stream = Object.assign(Readable.from([Buffer.from(cut, 'utf8')]), { truncated: true });
  const report = await importRecords(database.db, bootstrapContext('test'), { filename: 'cut.csv', stream }, { awaitDetectors: true });
  expect(report).toMatchObject({ total: 2, created: 2 });
  expect(report.errors).toEqual([{ row: 4, field: '文件', message: '文件超过上传大小限制，此行及之后的行未导入；请拆分文件或使用命令行导入' }]);
  const stored = await sql<{ external_id: string }>`SELECT external_id FROM enforcement_records ORDER BY external_id`.execute(database.db);
  expect(stored.rows.map((r) => r.external_id)).toEqual(['CUT-1', 'CUT-2']);
});
