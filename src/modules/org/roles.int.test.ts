import { sql } from 'kysely';
import { ensureReferenceData } from '../index.ts';
import { bootstrapContext } from '../../platform/bootstrap.ts';
import { invalidatePrincipals } from '../../platform/authz/principal-cache.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_IN_ROLES, ROLE_CODES } from '../../contracts/permissions.ts';
import { loginAs, testApp, type Client, type Response, type TestApp } from '../../../test/factories.ts';

let t: TestApp;
let admin: Client;
let auditor: Client;
let units: Array<{ id: number; name: string }>;
const unitId = (name: string) => units.find((u) => u.name === name)!.id;

type Role = { code: string; name: string; dataScope: string; customUnitIds: number[]; permissions: string[]; builtIn: boolean; accountCount: number };
const role = async (code: string): Promise<Role> => (await admin.get(`/api/org/roles/${code}`)).body;
const paths = (res: Response) => (res.body.details ?? []).map((d: { path: string }) => d.path);
async function ledger(query: string) {
  const res = await auditor.get(`/api/ledger/entries?pageSize=500&${query}`);
  expect(res.status).toBe(200);
  return res.body.items as Array<{ action: string; actorName: string; payload: Record<string, any> }>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

beforeAll(async () => {
  t = await testApp();
  admin = await loginAs(t.app, 'admin');
  auditor = await loginAs(t.app, 'auditor');
  units = (await admin.get('/api/org/units/tree')).body.items;
});
afterAll(() => t.close());

describe('roles', () => {
  it('lists the 8 built-in roles with their defaults and account counts', async () => {
    const res = await admin.get('/api/org/roles');
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(8);
    expect(res.body.items.map((r: Role) => r.code).sort()).toEqual([...ROLE_CODES].sort());
    for (const r of res.body.items as Role[]) {
      const defaults = BUILT_IN_ROLES[r.code as keyof typeof BUILT_IN_ROLES];
      expect(r).toMatchObject({ builtIn: true, name: defaults.name, dataScope: defaults.dataScope, customUnitIds: [], accountCount: 1 });
      expect(r.permissions).toEqual([...defaults.permissions].sort());
    }
    const officer = await loginAs(t.app, 'officer');
    expect((await officer.get('/api/org/roles')).status).toBe(403);
    expect((await admin.get('/api/org/roles/no_such_role')).status).toBe(404);
  });

  it('a permission change reaches signed-in users on their next request, and is ledgered', async () => {
    const officer = await loginAs(t.app, 'officer');
    const before = ['catalogue:view', 'enforcement:view', 'explanation:answer', 'org:person:view'];
    expect((await officer.get('/api/auth/me')).body.account.permissions).toEqual(before);
    expect((await officer.get('/api/org/units/tree')).status).toBe(403);
    const res = await admin.send('PATCH', '/api/org/roles/officer', { permissions: [...before, 'org:unit:view', 'org:unit:view'] });
    expect(res.status).toBe(200);
    expect(res.body.permissions).toEqual([...before, 'org:unit:view']);
    expect((await officer.get('/api/auth/me')).body.account.permissions).toEqual([...before, 'org:unit:view']);
    expect((await officer.get('/api/org/units/tree')).status).toBe(200);
    const [entry] = await ledger('action=org.role.update&subjectId=officer');
    expect(entry!.actorName).toBe('陈思远(050001)');
    expect(entry!.payload.before.permissions).toEqual(before);
    expect(entry!.payload.after.permissions).toEqual([...before, 'org:unit:view']);

    const back = await admin.send('PATCH', '/api/org/roles/officer', { permissions: before });
    expect(back.status).toBe(200);
    expect((await officer.get('/api/org/units/tree')).status).toBe(403);
  });

  it('refuses unknown permissions, incomplete custom scopes, and stripping the admin of role editing', async () => {
    const unknown = await admin.send('PATCH', '/api/org/roles/officer', { permissions: ['org:person:view', 'case:delete:all'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.details).toEqual([{ path: 'permissions.1', message: '未知的权限代码' }]);
    const noUnits = await admin.send('PATCH', '/api/org/roles/legal', { dataScope: 'custom' });
    expect(noUnits.status).toBe(400);
    expect(paths(noUnits)).toEqual(['customUnitIds']);
    const emptyUnits = await admin.send('PATCH', '/api/org/roles/legal', { dataScope: 'custom', customUnitIds: [] });
    expect(paths(emptyUnits)).toEqual(['customUnitIds']);
    const ghostUnit = await admin.send('PATCH', '/api/org/roles/legal', { dataScope: 'custom', customUnitIds: [999_999] });
    expect(ghostUnit.status).toBe(400);
    expect(paths(ghostUnit)).toEqual(['customUnitIds']);
    expect(paths(await admin.send('PATCH', '/api/org/roles/legal', { dataScope: 'world' }))).toEqual(['dataScope']);
    expect((await admin.send('PATCH', '/api/org/roles/no_such_role', { name: '无' })).status).toBe(404);

    const adminPerms = (await role('admin')).permissions;
    const strip = await admin.send('PATCH', '/api/org/roles/admin', { permissions: adminPerms.filter((p) => p !== 'org:role:edit') });
    expect(strip.status).toBe(400);
    expect(paths(strip)).toEqual(['permissions']);
    expect((await role('admin')).permissions).toEqual(adminPerms);
    expect((await role('legal')).dataScope).toBe('all');
  });

  it('a custom data scope limits a role’s holders to the chosen units', async () => {
    const legal = await loginAs(t.app, 'legal'); // 周文静 sits in 大队综合室, not in 二中队
    const sq2 = unitId('二中队');
    const res = await admin.send('PATCH', '/api/org/roles/legal', { dataScope: 'custom', customUnitIds: [sq2] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ dataScope: 'custom', customUnitIds: [sq2] });

    const inSq2 = (await admin.get(`/api/org/personnel?unitId=${sq2}&pageSize=1`)).body.total;
    const seen = await legal.get('/api/org/personnel?pageSize=500');
    expect(seen.body.total).toBe(inSq2);
    expect(new Set(seen.body.items.map((p: { unitName: string }) => p.unitName))).toEqual(new Set(['二中队']));
    const outsider = (await admin.get(`/api/org/personnel?unitId=${unitId('一中队')}&pageSize=1`)).body.items[0];
    expect((await legal.get(`/api/org/personnel/${outsider.id}`)).status).toBe(404);
    expect((await legal.get('/api/org/units/tree')).body.items.map((u: { name: string }) => u.name)).toEqual(['二中队']);

    // leaving the custom scope forgets its units
    const back = await admin.send('PATCH', '/api/org/roles/legal', { dataScope: 'unitTree' });
    expect(back.body).toMatchObject({ dataScope: 'unitTree', customUnitIds: [] });
    expect(new Set((await legal.get('/api/org/personnel?pageSize=500')).body.items.map((p: { unitName: string }) => p.unitName))).toEqual(new Set(['大队综合室']));
  });

  it('creates a new role, refuses a taken or malformed code, and ledgers the creation', async () => {
    const body = { code: 'analyst', name: '数据分析员', description: '统计分析', dataScope: 'unitTree', permissions: ['org:unit:view', 'org:person:view'] };
    const created = await admin.send('POST', '/api/org/roles', body);
    expect(created.status).toBe(200);
    expect(created.body).toEqual({ code: 'analyst', name: '数据分析员', description: '统计分析', dataScope: 'unitTree', customUnitIds: [], permissions: ['org:person:view', 'org:unit:view'], builtIn: false, accountCount: 0 });
    const taken = await admin.send('POST', '/api/org/roles', { ...body, name: '另一个' });
    expect(taken.status).toBe(409);
    expect(paths(taken)).toEqual(['code']);
    expect((await admin.send('POST', '/api/org/roles', { ...body, code: 'officer' })).status).toBe(409);
    expect(paths(await admin.send('POST', '/api/org/roles', { ...body, code: 'Bad-Code' }))).toEqual(['code']);
    expect(paths(await admin.send('POST', '/api/org/roles', { ...body, code: 'custom_role', dataScope: 'custom' }))).toEqual(['customUnitIds']);
    const list = await admin.get('/api/org/roles');
    expect(list.body.total).toBe(9);
    expect(list.body.items.at(-1).code).toBe('analyst');
    const [entry] = await ledger('action=org.role.create&subjectId=analyst');
    expect(entry!.payload.after).toMatchObject({ code: 'analyst', permissions: ['org:person:view', 'org:unit:view'] });
    const auditorRole = await auditor.send('POST', '/api/org/roles', { ...body, code: 'sneaky' });
    expect(auditorRole.status).toBe(403);
  });
});

describe('built-in roles on an existing installation', () => {
  it('get the default permissions a release adds, once; an administrator’s later removal stands', async () => {
    const db = t.database.db;
    const legalPerms = async () => (await admin.get('/api/org/roles/legal')).body.permissions as string[];
    // the legal role as an installation from before the enforcement release had it
    await sql`UPDATE roles SET permissions = ARRAY['org:unit:view', 'org:person:view'] WHERE code = 'legal'`.execute(db);
    await sql`DELETE FROM role_default_grants WHERE role_code = 'legal' AND permission NOT IN ('org:unit:view', 'org:person:view')`.execute(db);
    invalidatePrincipals();
    const ensure = () => db.transaction().execute((trx) => ensureReferenceData(trx, bootstrapContext('测试升级')));
    await ensure();
    expect(await legalPerms()).toEqual(expect.arrayContaining(['enforcement:ingest', 'enforcement:review', 'rules:edit', 'catalogue:edit']));
    const [entry] = await ledger('action=org.role.update&subjectId=legal');
    expect(entry!.payload.reason).toBe('新版本的默认权限');

    const without = (await legalPerms()).filter((p) => p !== 'rules:edit');
    expect((await admin.send('PATCH', '/api/org/roles/legal', { permissions: without })).status).toBe(200);
    await ensure();
    expect(await legalPerms()).not.toContain('rules:edit');
  });
});
