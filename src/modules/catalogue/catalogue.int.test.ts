import crypto from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/db.ts';
import { loginAs, testApp, uploadFile, type Client, type TestApp } from '../../../test/factories.ts';
import { bootstrapContext } from '../../platform/bootstrap.ts';
import { writeTable } from '../../platform/sheets/index.ts';
import { currentCatalogueVersion, ensureSampleCatalogue, listCodes, listVersions, loadCatalogue, loadCatalogueVersion } from './catalogue.service.ts';
import { CATALOGUE_SHEET } from './catalogue.sheet.ts';
import { SAMPLE_CATALOGUE } from './sample-catalogue.ts';

let t: TestApp;
let legal: Client;
let officer: Client;
let auditor: Client;

const HEADER = '违法代码,违法行为,法律依据,罚款下限,罚款上限,默认罚款,记分,类别,首违警告,连续违法时长(分钟),生效日期,失效日期';
const csv = (...lines: string[]) => Buffer.from([HEADER, ...lines].join('\r\n') + '\r\n');
const bj = (wall: string) => Date.parse(`${wall}+08:00`);

// A province's list: 1039 with a fine change from 2024-02-01 (two periods), 1625, and a new code.
const GOOD = [
  '1039,机动车违反规定停放、临时停车，妨碍其它车辆、行人通行的,《道路交通安全法》第93条,20,200,100,0,停车,是,1440,2022-04-01,2024-02-01',
  '1039,机动车违反规定停放、临时停车，妨碍其它车辆、行人通行的,《道路交通安全法》第93条,20,200,150,0,停车,是,1440,2024-02-01,',
  '1625,驾驶机动车违反道路交通信号灯通行的,《道路交通安全法》第90条；《记分管理办法》第10条,20,200,200,6,信号灯,否,,2022-04-01,',
  '1345,机动车违反禁止标线指示的,《道路交通安全法》第90条；《记分管理办法》第12条,20,200,100,1,标志标线,是,,2022-04-01,',
  '13441,驾驶机动车在高速公路上倒车的,《道路交通安全法》第90条；《记分管理办法》第8条,20,200,200,12,驾驶行为,否,,2022-04-01,',
];

async function importAs(as: Client, filename: string, content: Buffer, query = '') {
  const res = await uploadFile(t.app, as, `/api/catalogue/import${query}`, filename, content);
  return { status: res.status, body: res.body, requestId: String(res.headers['x-request-id']) };
}

async function ledgerEntries(requestId?: string) {
  const res = await auditor.get('/api/ledger/entries?pageSize=500&action=catalogue.');
  const items = res.body.items as Array<{ action: string; requestId: string; subjectId: string; payload: Record<string, unknown> }>;
  return requestId ? items.filter((e) => e.requestId === requestId) : items;
}

const versionCount = async () => (await legal.get('/api/catalogue/versions')).body.total as number;

beforeAll(async () => {
  t = await testApp();
  legal = await loginAs(t.app, 'legal');
  officer = await loginAs(t.app, 'officer');
  auditor = await loginAs(t.app, 'auditor');
});
afterAll(() => t.close());

describe('on a fresh database (before start-up seeding)', () => {
  it('has no catalogue: version 0, and the rules get a clear 409 instead of an empty catalogue', async () => {
    const fresh = await createTestDatabase();
    try {
      expect(await currentCatalogueVersion(fresh.db)).toBe(0);
      expect(await listCodes(fresh.db, { page: 1, pageSize: 20, q: undefined })).toMatchObject({ items: [], total: 0, version: null });
      await expect(loadCatalogue(fresh.db)).rejects.toMatchObject({ statusCode: 409, code: 'CATALOGUE_EMPTY' });

      expect(await ensureSampleCatalogue(fresh.db, bootstrapContext('test'))).toEqual({ created: true, version: 1 });
      expect(await fresh.db.transaction().execute((trx) => ensureSampleCatalogue(trx, bootstrapContext('test')))).toEqual({ created: false, version: 1 });
      expect((await listVersions(fresh.db, 1, 20)).items.map((v) => [v.version, v.isSample])).toEqual([[1, true]]);
      expect(await currentCatalogueVersion(fresh.db)).toBe(1);
    } finally {
      await fresh.drop();
    }
  });
});

describe('the sample catalogue', () => {
  it('is version 1, labelled 样例, ledgered once; ensuring it again changes nothing', async () => {
    // testApp may already have run the start-up seeding; either way there is exactly one version.
    await ensureSampleCatalogue(t.database.db, bootstrapContext('test'));
    expect(await ensureSampleCatalogue(t.database.db, bootstrapContext('test'))).toEqual({ created: false, version: 1 });

    const versions = (await officer.get('/api/catalogue/versions')).body;
    expect(versions.total).toBe(1);
    expect(versions.items[0]).toMatchObject({ version: 1, label: '样例', isSample: true, entryCount: SAMPLE_CATALOGUE.length, sourceFilename: null, createdByName: '系统(test)' });

    const entries = (await ledgerEntries()).filter((e) => e.action === 'catalogue.version.create');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ subjectId: '1', payload: { version: 1, isSample: true, entryCount: SAMPLE_CATALOGUE.length, added: SAMPLE_CATALOGUE.length } });
  });

  it('is what loadCatalogue returns, resolved by Beijing day', async () => {
    const snapshot = await loadCatalogue(t.database.db);
    expect(snapshot).toMatchObject({ version: 1, isSample: true });
    expect(snapshot.codes()).toHaveLength(SAMPLE_CATALOGUE.length);
    expect(snapshot.entryAt('1625', bj('2022-04-01T00:00:00'))).toMatchObject({ points: 6, fineDefault: 200, warningEligible: false });
    expect(snapshot.entryAt('1625', bj('2022-03-31T23:59:59'))).toBeUndefined();
    // Immutable versions are cached: the same snapshot object comes back.
    expect(await loadCatalogue(t.database.db)).toBe(snapshot);
  });

  it('is listed with its version (the console shows the sample banner from isSample), filterable', async () => {
    const all = await officer.get('/api/catalogue/codes?pageSize=100');
    expect(all.status).toBe(200);
    expect(all.body.version).toMatchObject({ version: 1, isSample: true });
    expect(all.body.total).toBe(SAMPLE_CATALOGUE.length);
    expect(all.body.items.map((r: { code: string }) => r.code)).toEqual(SAMPLE_CATALOGUE.map((r) => r.code).sort());

    const parking = await officer.get(`/api/catalogue/codes?q=${encodeURIComponent('停放')}`);
    expect(parking.body.items.map((r: { code: string }) => r.code)).toEqual(['1039']);
    expect((await officer.get('/api/catalogue/codes?q=162')).body.items.map((r: { code: string }) => r.code)).toEqual(['1625']);
    const overload = await officer.get('/api/catalogue/codes?category=overload&warningEligible=false');
    expect(overload.body.items.map((r: { code: string }) => r.code)).toEqual(['6046', '6047']);
    expect((await officer.get('/api/catalogue/codes?effectiveOn=2022-03-31')).body.total).toBe(0);
    expect((await officer.get('/api/catalogue/codes?category=nope')).status).toBe(400);
    expect((await officer.get('/api/catalogue/codes?version=9')).status).toBe(404);
  });
});

describe('the import template', () => {
  it('downloads as .xlsx and .csv for the legal officer only', async () => {
    const xlsx = await legal.get('/api/catalogue/template?format=xlsx');
    expect(xlsx.status).toBe(200);
    expect(xlsx.raw.subarray(0, 2).toString('latin1')).toBe('PK');
    const text = await legal.get('/api/catalogue/template?format=csv');
    expect(text.raw.toString('utf8').replace(/^\uFEFF/, '').split('\r\n')[0]).toBe(HEADER);
    expect((await officer.get('/api/catalogue/template')).status).toBe(403);
  });

  it('sent back unchanged holds no codes: refused as a whole, nothing written', async () => {
    const template = await legal.get('/api/catalogue/template?format=xlsx');
    const res = await importAs(legal, 'template.xlsx', template.raw);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION', details: [{ path: 'file' }] });
    expect(await versionCount()).toBe(1);
  });
});

describe('importing', () => {
  it('refuses an officer (403) and writes nothing', async () => {
    const res = await importAs(officer, 'codes.csv', csv(...GOOD));
    expect(res.status).toBe(403);
    expect(await versionCount()).toBe(1);
  });

  it('a file with a bad row writes nothing and reports row, column and reason', async () => {
    const bad = [
      ...GOOD,
      '1240,驾驶人未按规定使用安全带的,《道路交通安全法》第90条,20,200,500,1,安全装置,是,,2022-04-01,', // 7: default above max
      '1357,行经人行横道未避让行人的,《道路交通安全法》第90条,20,200,100,3,驾驶行为,也许,,2022-04-01,', // 8: 首违警告
      '1625,驾驶机动车违反道路交通信号灯通行的,《道路交通安全法》第90条,20,200,200,6,信号灯,否,,2023-01-01,', // 9: overlaps row 4
    ];
    const res = await importAs(legal, 'codes.csv', csv(...bad));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ dryRun: false, total: 8, valid: 5, rejected: 3, version: null });
    expect(res.body.errors).toEqual([
      { row: 7, field: '默认罚款', message: '默认罚款（500）应在罚款下限与上限之间（20-200）' },
      { row: 8, field: '首违警告', message: '“也许”无效，应为是或否' },
      { row: 9, field: '生效日期', message: '违法代码 1625 的有效期（2023-01-01 至 长期）与第 4 行（2022-04-01 至 长期）重叠' },
    ]);
    expect(await versionCount()).toBe(1);
    expect(await ledgerEntries(res.requestId)).toEqual([]);
    expect((await loadCatalogue(t.database.db)).version).toBe(1);
  });

  it('a dry run checks and compares against the current version, and writes nothing', async () => {
    const content = csv(...GOOD);
    const res = await importAs(legal, 'codes.csv', content, '?dryRun=true');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      dryRun: true,
      total: 5,
      valid: 5,
      rejected: 0,
      errors: [],
      version: null,
      sameAsCurrent: false,
      baseVersion: 1,
      sha256: crypto.createHash('sha256').update(content).digest('hex'),
      // against the sample: 13441 is new; 13 sample codes are not in the file; 1039 has new periods
      added: 1,
      removed: SAMPLE_CATALOGUE.length - 3,
      changed: 1,
    });
    expect(await versionCount()).toBe(1);
    expect(await ledgerEntries(res.requestId)).toEqual([]);
  });

  let imported: Awaited<ReturnType<typeof importAs>>;

  it('a valid file becomes version 2, ledgered with counts and the file SHA-256; loadCatalogue returns it', async () => {
    const content = csv(...GOOD);
    imported = await importAs(legal, '江苏省违法代码.csv', content, `?label=${encodeURIComponent('2024年版')}`);
    expect(imported.status).toBe(200);
    const sha256 = crypto.createHash('sha256').update(content).digest('hex');
    expect(imported.body).toMatchObject({ dryRun: false, total: 5, valid: 5, rejected: 0, sameAsCurrent: false, baseVersion: 1, sha256 });
    expect(imported.body.version).toMatchObject({ version: 2, label: '2024年版', isSample: false, sourceFilename: '江苏省违法代码.csv', sourceSha256: sha256, entryCount: 5, createdByName: expect.stringContaining('周文静') });

    const [entry, ...more] = await ledgerEntries(imported.requestId);
    expect(more).toEqual([]);
    expect(entry).toMatchObject({
      action: 'catalogue.version.create',
      subjectId: '2',
      payload: { version: 2, sourceSha256: sha256, entryCount: 5, codeCount: 4, baseVersion: 1, added: 1, removed: SAMPLE_CATALOGUE.length - 3, changed: 1 },
    });

    expect(await currentCatalogueVersion(t.database.db)).toBe(2);
    const snapshot = await loadCatalogue(t.database.db);
    expect(snapshot).toMatchObject({ version: 2, isSample: false });
    expect(snapshot.codes()).toEqual(['1039', '13441', '1345', '1625']);
    expect(snapshot.entryAt('1039', bj('2024-01-31T23:59:59'))?.fineDefault).toBe(100);
    expect(snapshot.entryAt('1039', bj('2024-02-01T00:00:00'))?.fineDefault).toBe(150);
    expect(snapshot.entryAt('1240', bj('2024-02-01T00:00:00'))).toBeUndefined();
    // The sample stays available for replaying decisions made under it.
    expect((await loadCatalogueVersion(t.database.db, 1)).entryAt('1240', bj('2024-02-01T00:00:00'))?.points).toBe(1);
    await expect(loadCatalogueVersion(t.database.db, 7)).rejects.toMatchObject({ statusCode: 404 });

    const listed = await officer.get('/api/catalogue/codes');
    expect(listed.body.version).toMatchObject({ version: 2, isSample: false });
    expect(listed.body.items.map((r: { code: string; effectiveFrom: string }) => `${r.code}@${r.effectiveFrom}`)).toEqual([
      '1039@2022-04-01', '1039@2024-02-01', '13441@2022-04-01', '1345@2022-04-01', '1625@2022-04-01',
    ]);
    const inForce = await officer.get('/api/catalogue/codes?effectiveOn=2024-01-31&q=1039');
    expect(inForce.body.items).toEqual([expect.objectContaining({ code: '1039', fineDefault: 100, effectiveTo: '2024-02-01' })]);
  });

  it('shows every period of a code; an unknown code is 404', async () => {
    const detail = await officer.get('/api/catalogue/codes/1039');
    expect(detail.status).toBe(200);
    expect(detail.body.version.version).toBe(2);
    expect(detail.body.periods.map((p: { effectiveFrom: string; effectiveTo: string | null; fineDefault: number }) => [p.effectiveFrom, p.effectiveTo, p.fineDefault])).toEqual([
      ['2022-04-01', '2024-02-01', 100],
      ['2024-02-01', null, 150],
    ]);
    expect((await officer.get('/api/catalogue/codes/1240')).status).toBe(404);
    expect((await officer.get('/api/catalogue/codes/1240?version=1')).body.periods).toHaveLength(1);
  });

  it('the same content again makes no new version', async () => {
    const res = await importAs(legal, 'again.csv', csv(...[...GOOD].reverse()));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version: null, sameAsCurrent: true, added: 0, removed: 0, changed: 0, baseVersion: 2 });
    expect(await versionCount()).toBe(2);
    expect(await ledgerEntries(res.requestId)).toEqual([]);
  });

  it('an exported version imports back unchanged (.xlsx round trip)', async () => {
    const exported = await officer.get('/api/catalogue/export');
    expect(exported.status).toBe(200);
    expect(String(exported.headers['content-disposition'])).toContain(encodeURIComponent('违法代码_第2版.xlsx'));
    const dry = await importAs(legal, 'export.xlsx', exported.raw, '?dryRun=true');
    expect(dry.body).toMatchObject({ total: 5, rejected: 0, sameAsCurrent: true, added: 0, removed: 0, changed: 0 });
    // The sample's 1039 row is a real row, not the template's example: it survives the round trip.
    const sample = await officer.get('/api/catalogue/export?version=1');
    expect((await importAs(legal, 'sample.xlsx', sample.raw, '?dryRun=true')).body).toMatchObject({ total: SAMPLE_CATALOGUE.length, rejected: 0 });
    const csvExport = await officer.get('/api/catalogue/export?version=1&format=csv');
    expect(csvExport.raw.toString('utf8').replace(/^\uFEFF/, '').split('\r\n').filter(Boolean)).toHaveLength(SAMPLE_CATALOGUE.length + 1);
  });

  it('an .xlsx file imports like a .csv', async () => {
    const rows = [
      { code: '1039', description: '机动车违反规定停放、临时停车，妨碍其它车辆、行人通行的', basis: '《道路交通安全法》第93条', fineMin: 20, fineMax: 200, fineDefault: 200, points: 0, category: '停车', warningEligible: '是', continuingWindowMinutes: 720, effectiveFrom: '2022-04-01', effectiveTo: '' },
    ];
    const res = await importAs(legal, 'one.xlsx', await writeTable(CATALOGUE_SHEET, rows, 'xlsx'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ rejected: 0, version: { version: 3, entryCount: 1 }, removed: 3, changed: 1 });
    expect((await loadCatalogue(t.database.db)).entryAt('1039', bj('2025-01-01T00:00:00'))?.continuingWindowMinutes).toBe(720);
  });
});

describe('diff', () => {
  it('compares two versions by code with the changed fields; defaults to previous → current', async () => {
    const res = await officer.get('/api/catalogue/diff?from=1&to=2');
    expect(res.status).toBe(200);
    expect(res.body.from.version).toBe(1);
    expect(res.body.to.version).toBe(2);
    expect(res.body.added.map((r: { code: string }) => r.code)).toEqual(['13441']);
    expect(res.body.removed).toHaveLength(SAMPLE_CATALOGUE.length - 3);
    expect(res.body.changed).toEqual([
      {
        code: '1039',
        description: expect.any(String),
        changes: [
          { field: 'periods', effectiveFrom: null, before: '2022-04-01 起', after: '2022-04-01 至 2024-02-01；2024-02-01 起' },
          { field: 'fineDefault', effectiveFrom: '2022-04-01', before: '200', after: '100' },
        ],
      },
    ]);
    const latest = await officer.get('/api/catalogue/diff');
    expect(latest.body).toMatchObject({ from: { version: 2 }, to: { version: 3 } });
    expect(latest.body.changed[0]).toMatchObject({ code: '1039' });
    expect((await officer.get('/api/catalogue/diff?to=1')).status).toBe(400);
    expect((await officer.get('/api/catalogue/diff?from=1&to=99')).status).toBe(404);
  });
});

describe('versions are immutable', () => {
  it('the database refuses to update or delete a version or its codes', async () => {
    const db = t.database.db;
    await expect(sql`UPDATE violation_codes SET fine_default = 1`.execute(db)).rejects.toThrow(/immutable/);
    await expect(sql`DELETE FROM catalogue_versions WHERE version = 1`.execute(db)).rejects.toThrow(/immutable/);
    await expect(sql`INSERT INTO catalogue_versions (version, label, content_sha256, entry_count, created_by_name) VALUES (2, 'x', ${'0'.repeat(64)}, 0, 'x')`.execute(db)).rejects.toThrow();
  });
});
