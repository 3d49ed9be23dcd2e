import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import { seedDemo } from '../demo/index.ts';
import { ensureReferenceData } from '../modules/index.ts';
import { importLookups } from '../modules/lookups/lookups.import.ts';
import { SUBJECT_KEY_FILE, subjectKeys } from '../modules/lookups/subject-crypto.ts';
import { bootstrapContext } from '../platform/bootstrap.ts';
import { importLookupsFile } from './import.ts';

let database: TestDatabase;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clearlane-cli-lookups-'));
beforeAll(async () => {
  database = await createTestDatabase();
  await database.db.transaction().execute((trx) => ensureReferenceData(trx, bootstrapContext('test')));
  await seedDemo(database, 'Clearlane@2026');
});
afterAll(async () => {
  await database.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('clearlane import lookups', () => {
  it('streams a file through the batch path in chunks, reports by row, and is idempotent', async () => {
    const header = '外部编号,查询时间,查询账号,数字证书编号,终端编号,终端IP,查询类型,号牌号码,身份证号,姓名,查询事由类别,查询事由,关联编号,返回条数';
    const rows = Array.from({ length: 12_000 }, (_, i) => `CLI-${i},2026-10-01 ${String(8 + (i % 10)).padStart(2, '0')}:00:00,050007,CERT-1,PC-1,10.0.0.1,机动车信息,苏A${String(10_000 + (i % 5000)).slice(-5)},,,路面检查,,,1`);
    rows.push('CLI-bad,2026-10-01 09:00:00,050007,CERT-1,PC-1,10.0.0.1,机动车信息,,,,,,,');
    const file = path.join(dir, 'lookups.csv');
    fs.writeFileSync(file, [header, ...rows].join('\n'));
    const { report, lines } = await importLookupsFile(database, { dataDir: dir }, file, { progress: false });
    expect(report).toMatchObject({ total: 12_001, created: 12_000, duplicates: 0, rejected: 1, unjustified: 12_000 });
    expect(report.errors).toEqual([{ row: 12_002, field: '查询对象', message: '查询对象至少要有号牌、身份证号或姓名之一' }]);
    expect(lines[0]).toContain('新入库 12000');
    // three chunks, one ledger entry each
    const batches = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ledger_entry_view WHERE action = 'lookup.batch.ingest'`.execute(database.db);
    expect(batches.rows[0]!.n).toBe(3);
    // the key was created beside the data, readable by the owner only
    expect(fs.statSync(path.join(dir, SUBJECT_KEY_FILE)).mode & 0o077).toBe(0);
    const again = await importLookupsFile(database, { dataDir: dir }, file, { progress: false });
    expect(again.report).toMatchObject({ created: 0, duplicates: 12_000 });
  }, 120_000);

  it('an upload cut at the size limit stores nothing of its last, possibly cut, row', async () => {
    const header = '外部编号,查询时间,查询账号,数字证书编号,终端编号,终端IP,查询类型,号牌号码,身份证号,姓名,查询事由类别,查询事由,关联编号,返回条数';
    // the cut fell inside the third data row, whose 返回条数 was 12: what is left still validates
    const cut = [header, 'CUT-1,2026-10-02 09:00:00,050007,CERT-1,PC-1,10.0.0.1,机动车信息,苏A10001,,,路面检查,,,1', 'CUT-2,2026-10-02 09:01:00,050007,CERT-1,PC-1,10.0.0.1,机动车信息,苏A10002,,,路面检查,,,1', 'CUT-3,2026-10-02 09:02:00,050007,CERT-1,PC-1,10.0.0.1,机动车信息,苏A12345,,,路面检查,,,1'].join('\n');
    const stream = Object.assign(Readable.from([Buffer.from(cut, 'utf8')]), { truncated: true });
    const report = await importLookups(database.db, bootstrapContext('test'), subjectKeys({ dataDir: dir }), { filename: 'cut.csv', stream });
    expect(report).toMatchObject({ total: 2, created: 2 });
    expect(report.errors).toEqual([{ row: 4, field: '文件', message: '文件超过上传大小限制，此行及之后的行未导入；请拆分文件或使用命令行导入' }]);
    const stored = await sql<{ external_id: string }>`SELECT external_id FROM lookups WHERE external_id LIKE 'CUT-%' ORDER BY external_id`.execute(database.db);
    expect(stored.rows.map((r) => r.external_id)).toEqual(['CUT-1', 'CUT-2']);
  });
});
