import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD_RULE } from '../../contracts/org.ts';
import { defineColumns, readSheetRows } from '../../platform/sheets/index.ts';
import { call, nextBadge, PASSWORD, testApp, type Client, type Response, type TestApp } from '../../../test/factories.ts';

let t: TestApp;
let admin: Client;
let auditor: Client;
let units: Array<{ id: number; name: string }>;
const unitId = (name: string) => units.find((u) => u.name === name)!.id;

const INITIAL = 'Initial#Pass1';
const OWN = 'Own#Pass2026x';

// Logins are rate limited per client address (20 a minute): each attempt comes from its own.
let ipSeq = 0;
async function attempt(username: string, password: string): Promise<Response> {
  ipSeq += 1;
  const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: `10.30.${ipSeq >> 8}.${ipSeq & 255}`, payload: { username, password } });
  return { status: res.statusCode, body: res.json(), headers: res.headers, raw: res.rawPayload };
}
async function signIn(username: string, password = PASSWORD): Promise<Client> {
  const res = await attempt(username, password);
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  const cookie = String(([] as string[]).concat(res.headers['set-cookie'] as string[])[0]).split(';')[0]!;
  const csrf = res.body.csrfToken as string;
  return { cookie, csrf, get: (url) => call(t.app, 'GET', url, { cookie }), send: (method, url, body) => call(t.app, method, url, { cookie, csrf, body }) };
}

let seq = 0;
async function newPerson(unit: string, category: 'police' | 'auxiliary' = 'police'): Promise<number> {
  seq += 1;
  const res = await admin.send('POST', '/api/org/personnel', { name: `账号测试${seq}`, badgeNo: nextBadge(), category, unitId: unitId(unit) });
  expect(res.status).toBe(200);
  return res.body.id;
}
/** An account (by `by`, admin by default) whose owner has replaced the initial password; returns a signed-in client. */
async function newUser(roles: string[], unit = '二中队', by = admin) {
  const personId = await newPerson(unit);
  const username = `acct.user${seq}`;
  const created = await by.send('POST', '/api/org/accounts', { username, personId, roles, password: INITIAL });
  expect(created.status).toBe(200);
  const client = await signIn(username, INITIAL);
  expect((await client.send('POST', '/api/auth/password', { oldPassword: INITIAL, newPassword: OWN })).status).toBe(200);
  return { username, id: created.body.id as number, client };
}
async function ledger(query: string) {
  const res = await auditor.get(`/api/ledger/entries?pageSize=500&${query}`);
  expect(res.status).toBe(200);
  return res.body.items as Array<{ action: string; payload: Record<string, any> }>; // eslint-disable-line @typescript-eslint/no-explicit-any
}
const paths = (res: Response) => (res.body.details ?? []).map((d: { path: string }) => d.path);

beforeAll(async () => {
  t = await testApp();
  admin = await signIn('admin');
  auditor = await signIn('auditor');
  units = (await admin.get('/api/org/units/tree')).body.items;
});
afterAll(() => t.close());

describe('creating accounts', () => {
  it('validates username, password, person and roles field by field', async () => {
    const personId = await newPerson('二中队');
    const body = { username: 'zhang.wei', personId, roles: ['officer'], password: INITIAL };
    for (const username of ['1abc', 'ab', 'has space', 'x'.repeat(33), '张伟']) {
      const res = await admin.send('POST', '/api/org/accounts', { ...body, username });
      expect(res.status, username).toBe(400);
      expect(paths(res)).toEqual(['username']);
    }
    for (const password of ['short', 'alllowercaseletters', 'Abcdefghij']) {
      const res = await admin.send('POST', '/api/org/accounts', { ...body, password });
      expect(res.status, password).toBe(400);
      expect(res.body.details).toEqual([{ path: 'password', message: PASSWORD_RULE }]);
    }
    const ghost = await admin.send('POST', '/api/org/accounts', { ...body, personId: 999_999 });
    expect(ghost.status).toBe(400);
    expect(paths(ghost)).toEqual(['personId']);
    expect(paths(await admin.send('POST', '/api/org/accounts', { ...body, roles: ['no_such_role'] }))).toEqual(['roles']);
    expect(paths(await admin.send('POST', '/api/org/accounts', { ...body, roles: [] }))).toEqual(['roles']);
    expect((await admin.get(`/api/org/personnel/${personId}`)).body.hasAccount).toBe(false);

    const ok = await admin.send('POST', '/api/org/accounts', body);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ username: 'zhang.wei', personId, unitName: '二中队', roles: ['officer'], active: true, mustChangePassword: true, lockedUntil: null, lastLoginAt: null });
    expect((await admin.get(`/api/org/personnel/${personId}`)).body.hasAccount).toBe(true);
    const [entry] = await ledger(`action=org.account.create&subjectId=${ok.body.id}`);
    expect(entry!.payload.after.username).toBe('zhang.wei');
    expect(JSON.stringify(entry)).not.toContain(INITIAL);
  });

  it('gives a person one account and a username to one person, ignoring case', async () => {
    const personId = await newPerson('二中队');
    const first = await admin.send('POST', '/api/org/accounts', { username: 'li.na', personId, roles: ['officer'], password: INITIAL });
    expect(first.status).toBe(200);
    const second = await admin.send('POST', '/api/org/accounts', { username: 'li.na2', personId, roles: ['officer'], password: INITIAL });
    expect(second.status).toBe(409);
    expect(paths(second)).toEqual(['personId']);
    const other = await newPerson('二中队');
    for (const username of ['LI.NA', 'Li.Na', 'ADMIN']) {
      const res = await admin.send('POST', '/api/org/accounts', { username, personId: other, roles: ['officer'], password: INITIAL });
      expect(res.status, username).toBe(409);
      expect(res.body.details).toEqual([{ path: 'username', message: '用户名已被使用' }]);
    }
    // and the username signs in whatever case it is typed in
    expect((await attempt('LI.NA', INITIAL)).status).toBe(200);
  });

  it('never gives an auxiliary a police role', async () => {
    const personId = await newPerson('二中队', 'auxiliary');
    for (const roles of [['officer'], ['auxiliary', 'leader']]) {
      const res = await admin.send('POST', '/api/org/accounts', { username: 'fu.jing', personId, roles, password: INITIAL });
      expect(res.status).toBe(400);
      expect(paths(res)).toEqual(['roles']);
      expect(res.body.message).toContain(roles.at(-1));
    }
    const ok = await admin.send('POST', '/api/org/accounts', { username: 'fu.jing', personId, roles: ['auxiliary'], password: INITIAL });
    expect(ok.status).toBe(200);
    const promote = await admin.send('PATCH', `/api/org/accounts/${ok.body.id}`, { roles: ['inspector'] });
    expect(promote.status).toBe(400);
    expect((await admin.get(`/api/org/accounts/${ok.body.id}`)).body.roles).toEqual(['auxiliary']);
  });

  it('keeps an account manager inside their data scope', async () => {
    const role = await admin.send('POST', '/api/org/roles', {
      code: 'sq2_account_admin',
      name: '二中队账号管理员',
      dataScope: 'custom',
      customUnitIds: [unitId('二中队')],
      // everything the officer role holds, so it may grant that role
      permissions: ['org:person:view', 'org:account:view', 'org:account:edit', 'enforcement:view', 'catalogue:view', 'explanation:answer'],
    });
    expect(role.status).toBe(200);
    const manager = (await newUser(['sq2_account_admin'])).client;
    const outside = await newPerson('一中队');
    const refused = await manager.send('POST', '/api/org/accounts', { username: 'outside.one', personId: outside, roles: ['officer'], password: INITIAL });
    expect(refused.status).toBe(400);
    expect(paths(refused)).toEqual(['personId']);
    const inside = await newPerson('二中队');
    expect((await manager.send('POST', '/api/org/accounts', { username: 'inside.one', personId: inside, roles: ['officer'], password: INITIAL })).status).toBe(200);
    const listed = (await manager.get('/api/org/accounts?pageSize=500')).body.items;
    expect(new Set(listed.map((a: { unitName: string }) => a.unitName))).toEqual(new Set(['二中队']));
    const officer = (await admin.get('/api/org/accounts?q=officer')).body.items.find((a: { username: string }) => a.username === 'officer');
    expect((await manager.send('PATCH', `/api/org/accounts/${officer.id}`, { active: false })).status).toBe(404);
    expect((await manager.send('POST', `/api/org/accounts/${officer.id}/password`, { password: 'Taken#Over2026' })).status).toBe(404);
    expect((await attempt('officer', PASSWORD)).status).toBe(200);
  });
});

describe('changing accounts', () => {
  it('a role change ends the user’s sessions; the new roles apply at the next login', async () => {
    const user = await newUser(['officer']);
    const res = await admin.send('PATCH', `/api/org/accounts/${user.id}`, { roles: ['officer', 'legal'] });
    expect(res.status).toBe(200);
    expect(res.body.roles).toEqual(['legal', 'officer']);
    expect((await user.client.get('/api/auth/me')).status).toBe(401);
    const again = await signIn(user.username, OWN);
    const me = (await again.get('/api/auth/me')).body.account;
    expect(me.roles).toEqual(['legal', 'officer']);
    expect(me.permissions).toContain('org:unit:view');
    const ended = await ledger('action=auth.session.end');
    expect(ended.some((e) => e.payload.reason === '角色变更')).toBe(true);
    const [update] = await ledger(`action=org.account.update&subjectId=${user.id}`);
    expect(update!.payload.before.roles).toEqual(['officer']);
    expect(update!.payload.after.roles).toEqual(['legal', 'officer']);
  });

  it('disabling an account ends its sessions and refuses its login; enabling restores it', async () => {
    const user = await newUser(['officer']);
    const off = await admin.send('PATCH', `/api/org/accounts/${user.id}`, { active: false });
    expect(off.body.active).toBe(false);
    expect((await user.client.get('/api/auth/me')).status).toBe(401);
    const refused = await attempt(user.username, OWN);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('ACCOUNT_DISABLED');
    const log = (await admin.get(`/api/auth/login-log?username=${user.username}&pageSize=1`)).body.items;
    expect(log[0]).toMatchObject({ result: 'failure', reason: '账号停用或人员不在职' });
    // a wrong password on a disabled account says nothing about the account
    expect((await attempt(user.username, 'Wrong#Pass1x')).status).toBe(401);
    expect((await admin.send('PATCH', `/api/org/accounts/${user.id}`, { active: true })).body.active).toBe(true);
    expect((await attempt(user.username, OWN)).status).toBe(200);
  });

  it('an administrator can neither disable their own account nor drop their own admin role', async () => {
    const self = (await admin.get('/api/auth/me')).body.account.accountId;
    const disable = await admin.send('PATCH', `/api/org/accounts/${self}`, { active: false });
    expect(disable.status).toBe(409);
    expect(disable.body.message).toBe('不能停用自己的账号');
    expect((await admin.send('PATCH', `/api/org/accounts/${self}`, { roles: ['auditor'] })).status).toBe(409);
    const still = (await admin.get(`/api/org/accounts/${self}`)).body;
    expect(still).toMatchObject({ active: true, roles: ['admin'] });
    expect((await admin.get('/api/auth/me')).status).toBe(200);
  });

  it('a password reset ends sessions, unlocks, and makes the user choose a new password at next login', async () => {
    const user = await newUser(['officer']);
    for (let i = 0; i < 5; i++) await attempt(user.username, 'Wrong#Pass1x');
    expect((await attempt(user.username, OWN)).status).toBe(423);
    const weak = await admin.send('POST', `/api/org/accounts/${user.id}/password`, { password: 'password' });
    expect(weak.status).toBe(400);
    expect(paths(weak)).toEqual(['password']);
    const reset = await admin.send('POST', `/api/org/accounts/${user.id}/password`, { password: 'Reset#Pass2026' });
    expect(reset.body).toEqual({ ok: true });
    expect((await user.client.get('/api/auth/me')).status).toBe(401);
    expect((await attempt(user.username, OWN)).status).toBe(401);
    const next = await signIn(user.username, 'Reset#Pass2026');
    expect((await next.get('/api/auth/me')).body.account.mustChangePassword).toBe(true);
    const blocked = await next.get('/api/org/personnel');
    expect(blocked.status).toBe(403);
    expect(blocked.body.code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect((await next.send('POST', '/api/auth/password', { oldPassword: 'Reset#Pass2026', newPassword: OWN })).status).toBe(200);
    expect((await next.get('/api/org/personnel')).status).toBe(200);
    expect(await ledger(`action=org.account.password.reset&subjectId=${user.id}`)).toHaveLength(1);
  });
});

describe('exporting accounts', () => {
  it('downloads the accounts as .xlsx within the filters', async () => {
    const res = await admin.get('/api/org/accounts/export?active=true');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(String(res.headers['content-disposition'])).toMatch(/^attachment; .*filename\*=UTF-8''.+\.xlsx$/);
    expect(res.raw.subarray(0, 2).toString('latin1')).toBe('PK');
    const columns = defineColumns([
      { key: 'username', header: '用户名' },
      { key: 'roles', header: '角色' },
      { key: 'active', header: '状态' },
    ]);
    const rows: Array<Record<string, string>> = [];
    for await (const { values } of readSheetRows({ filename: 'a.xlsx', stream: Readable.from(res.raw) }, columns)) rows.push(values);
    expect(rows.length).toBe((await admin.get('/api/org/accounts?active=true&pageSize=1')).body.total);
    expect(rows.find((r) => r.username === 'admin')).toEqual({ username: 'admin', roles: 'admin', active: '启用' });
    expect(rows.every((r) => r.active === '启用')).toBe(true);
    const officer = await signIn('officer');
    expect((await officer.get('/api/org/accounts/export')).status).toBe(403);
  });
});
