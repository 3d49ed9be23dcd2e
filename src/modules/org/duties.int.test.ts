import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs, nextBadge, testApp, type Client, type TestApp } from '../../../test/factories.ts';

// Who may grant what: separation of duties (三员分立), no self-escalation, auxiliaries stay assistants.

let t: TestApp;
let admin: Client;
let unitOf: (name: string) => number;

const INITIAL = 'Initial#Pass1';
const OWN = 'Own#Pass2026x';
let seq = 0;

async function userWith(roles: string[], by: Client = admin, category: 'police' | 'auxiliary' = 'police') {
  seq += 1;
  const person = await admin.send('POST', '/api/org/personnel', { name: `职责测试${seq}`, badgeNo: nextBadge('08'), category, unitId: unitOf('二中队') });
  const created = await by.send('POST', '/api/org/accounts', { username: `duty.user${seq}`, personId: person.body.id, roles, password: INITIAL });
  return { created, personId: person.body.id as number, username: `duty.user${seq}` };
}

beforeAll(async () => {
  t = await testApp();
  admin = await loginAs(t.app, 'admin');
  const units: Array<{ id: number; name: string }> = (await admin.get('/api/org/units/tree')).body.items;
  unitOf = (name) => units.find((u) => u.name === name)!.id;
});
afterAll(() => t.close());

describe('separation of duties', () => {
  it('the admin role cannot be given audit permissions', async () => {
    const admins = (await admin.get('/api/org/roles?pageSize=50')).body.items.find((r: { code: string }) => r.code === 'admin');
    const res = await admin.send('PATCH', '/api/org/roles/admin', { permissions: [...admins.permissions, 'log:operation:view'] });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/三员分立/);
  });

  it('no account holds both administration and audit roles', async () => {
    const res = await userWith(['admin', 'auditor']);
    expect(res.created.status).toBe(400);
    expect(res.created.body.message).toMatch(/三员分立/);
  });

  it('a role edit that would mix duties for an account holding it is refused', async () => {
    const made = await admin.send('POST', '/api/org/roles', { code: 'records_clerk', name: '内勤', dataScope: 'unit', permissions: ['org:person:view'] });
    expect(made.status).toBe(200);
    expect((await userWith(['admin', 'records_clerk'])).created.status).toBe(200);
    const res = await admin.send('PATCH', '/api/org/roles/records_clerk', { permissions: ['org:person:view', 'log:operation:view'] });
    expect(res.status).toBe(400);
  });

  it('an admin cannot mint a token with a permission it lacks, such as reading the audit record', async () => {
    const res = await admin.send('POST', '/api/auth/tokens', { name: '越权令牌', permissions: ['log:operation:view'], expiresInDays: 30 });
    expect(res.status).toBe(400);
    expect(res.body.details[0].path).toBe('permissions');
  });
});

describe('no escalation', () => {
  it('an account manager without role editing grants only what they hold, and never changes their own roles', async () => {
    const role = await admin.send('POST', '/api/org/roles', {
      code: 'sq2_accounts',
      name: '二中队账号员',
      dataScope: 'custom',
      customUnitIds: [unitOf('二中队')],
      // holds everything the officer role holds, so it may grant that role
      permissions: ['org:person:view', 'org:account:view', 'org:account:edit', 'enforcement:view', 'catalogue:view', 'explanation:answer'],
    });
    expect(role.status).toBe(200);
    const manager = await userWith(['sq2_accounts']);
    const client = await loginAs(t.app, manager.username, INITIAL);
    await client.send('POST', '/api/auth/password', { oldPassword: INITIAL, newPassword: OWN });
    const me = await loginAs(t.app, manager.username, OWN);
    const self = await me.send('PATCH', `/api/org/accounts/${manager.created.body.id}`, { roles: ['admin'] });
    expect(self.status).toBe(409);
    const grantAdmin = await userWith(['admin'], me);
    expect(grantAdmin.created.status).toBe(400);
    expect(grantAdmin.created.body.message).toMatch(/超出本人权限/);
    const grantOfficer = await userWith(['officer'], me);
    expect(grantOfficer.created.status).toBe(200);
  });

  it('an auxiliary gets no role beyond an assistant, built-in or custom', async () => {
    await admin.send('POST', '/api/org/roles', { code: 'aux_plus', name: '辅警加强', dataScope: 'unit', permissions: ['org:person:view', 'org:person:edit'] });
    const custom = await userWith(['aux_plus'], admin, 'auxiliary');
    expect(custom.created.status).toBe(400);
    expect(custom.created.body.message).toMatch(/辅警/);
    expect((await userWith(['auxiliary'], admin, 'auxiliary')).created.status).toBe(200);
  });
});

describe('integration tokens', () => {
  it('a token never reaches further than its creator: only all-unit accounts create one', async () => {
    const role = await admin.send('POST', '/api/org/roles', {
      code: 'sq2_integrations',
      name: '二中队对接员',
      dataScope: 'unitTree',
      permissions: ['org:person:view', 'enforcement:view', 'enforcement:pii', 'auth:token:view', 'auth:token:edit'],
    });
    expect(role.status).toBe(200);
    const user = await userWith(['sq2_integrations']);
    const first = await loginAs(t.app, user.username, INITIAL);
    await first.send('POST', '/api/auth/password', { oldPassword: INITIAL, newPassword: OWN });
    const me = await loginAs(t.app, user.username, OWN);
    const token = await me.send('POST', '/api/auth/tokens', { name: '越范围令牌', permissions: ['enforcement:pii'], expiresInDays: 7 });
    expect(token.status).toBe(400);
    expect(token.body.message).toMatch(/数据权限为“全部”/);
  });
});
