import crypto from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { PASSWORD_RULE } from '../../contracts/org.ts';
import { call, nextBadge, PASSWORD, testApp, type Client, type Response, type TestApp } from '../../../test/factories.ts';

let t: TestApp;
let admin: Client;
let auditor: Client;
let unitId: number;

const MINUTE = 60_000;
const USER_PASSWORD = 'Own#Pass2026x';
type Entry = { action: string; subjectId: string; actorName: string; requestId: string; payload: Record<string, unknown> };

// Logins are rate limited per client address (20 a minute): each attempt comes from its own.
let ipSeq = 0;
const freshIp = () => `10.20.${++ipSeq >> 8}.${ipSeq & 255}`;

async function attempt(username: string, password: string, ip = freshIp()): Promise<Response & { requestId: string; ip: string }> {
  const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: ip, payload: { username, password } });
  return { status: res.statusCode, body: res.json(), headers: res.headers, raw: res.rawPayload, requestId: String(res.headers['x-request-id']), ip };
}

function clientOf(res: Response): Client {
  const cookie = String(([] as string[]).concat(res.headers['set-cookie'] as string[])[0]).split(';')[0]!;
  const csrf = res.body.csrfToken as string;
  return { cookie, csrf, get: (url) => call(t.app, 'GET', url, { cookie }), send: (method, url, body) => call(t.app, method, url, { cookie, csrf, body }) };
}

async function signIn(username: string, password = PASSWORD): Promise<Client> {
  const res = await attempt(username, password);
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  return clientOf(res);
}

const bearer = (method: string, url: string, secret: string, body?: unknown) => call(t.app, method, url, { body, headers: { authorization: `Bearer ${secret}` } });

async function ledger(query: string): Promise<Entry[]> {
  const res = await auditor.get(`/api/ledger/entries?pageSize=500&${query}`);
  expect(res.status).toBe(200);
  return res.body.items;
}
const byRequest = (entries: Entry[], requestId: unknown) => entries.filter((e) => e.requestId === requestId);

/** A fresh officer account whose owner has already replaced the initial password and signed out. */
let userSeq = 0;
async function createAccount(password: string) {
  userSeq += 1;
  const person = await admin.send('POST', '/api/org/personnel', { name: `认证测试${userSeq}`, badgeNo: nextBadge(), category: 'police', unitId });
  expect(person.status).toBe(200);
  const username = `auth.user${userSeq}`;
  const account = await admin.send('POST', '/api/org/accounts', { username, personId: person.body.id, roles: ['officer'], password });
  expect(account.status).toBe(200);
  return { username, accountId: account.body.id as number };
}
async function newUser() {
  const initial = 'Initial#Pass1';
  const { username, accountId } = await createAccount(initial);
  const first = await signIn(username, initial);
  expect((await first.send('POST', '/api/auth/password', { oldPassword: initial, newPassword: USER_PASSWORD })).status).toBe(200);
  expect((await first.send('POST', '/api/auth/logout')).status).toBe(200);
  return { username, accountId };
}

beforeAll(async () => {
  t = await testApp();
  admin = await signIn('admin');
  auditor = await signIn('auditor');
  unitId = (await admin.get('/api/org/units/tree')).body.items.find((u: { name: string }) => u.name === '二中队').id;
});
afterAll(() => t.close());
afterEach(() => {
  vi.useRealTimers();
});

describe('login', () => {
  it('returns the account and a CSRF token and sets an HttpOnly, SameSite=Strict session cookie', async () => {
    const res = await attempt('leader', PASSWORD);
    expect(res.status).toBe(200);
    expect(res.body.account).toMatchObject({ username: 'leader', personName: '赵建国', roles: ['leader'], mustChangePassword: false });
    expect(res.body.csrfToken).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    const cookie = String(([] as string[]).concat(res.headers['set-cookie'] as string[])[0]);
    expect(cookie).toMatch(/^clearlane_sid=[A-Za-z0-9_-]{40,};/);
    expect(cookie).toMatch(/;\s*HttpOnly(;|$)/i);
    expect(cookie).toMatch(/;\s*SameSite=Strict(;|$)/i);
    expect(cookie).toMatch(/;\s*Path=\/(;|$)/);
    expect(cookie).not.toMatch(/;\s*Secure(;|$)/i);
    const me = await clientOf(res).get('/api/auth/me');
    expect(me.body).toEqual({ account: res.body.account, csrfToken: res.body.csrfToken });
  });

  it('marks the cookie Secure when COOKIE_SECURE is set', async () => {
    const secure = await testApp({ COOKIE_SECURE: 'true' });
    try {
      const res = await call(secure.app, 'POST', '/api/auth/login', { body: { username: 'admin', password: PASSWORD } });
      expect(res.status).toBe(200);
      const cookie = String(([] as string[]).concat(res.headers['set-cookie'] as string[])[0]);
      expect(cookie).toMatch(/;\s*Secure(;|$)/i);
      expect(cookie).toMatch(/;\s*HttpOnly(;|$)/i);
    } finally {
      await secure.close();
    }
  });

  it('answers a wrong password and an unknown user alike, and logs every attempt', async () => {
    const wrong = await attempt('leader', 'Wrong#Password1');
    const unknown = await attempt('ghost.user', 'Wrong#Password1');
    const good = await attempt('leader', PASSWORD);
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ code: 'UNAUTHENTICATED', message: '用户名或密码错误' });
      expect(res.headers['set-cookie']).toBeUndefined();
    }
    expect(good.status).toBe(200);

    const log = (await admin.get('/api/auth/login-log?pageSize=500')).body.items as Array<Record<string, unknown>>;
    const leaderId = good.body.account.accountId;
    const rows = [wrong, unknown, good].map((res) => log.filter((e) => e.ip === res.ip));
    expect(rows.map((r) => r.map((e) => [e.username, e.accountId, e.result, e.reason]))).toEqual([
      [['leader', leaderId, 'failure', '密码错误']],
      [['ghost.user', null, 'failure', '用户名不存在']],
      [['leader', leaderId, 'success', '登录成功']],
    ]);
    const failures = (await admin.get('/api/auth/login-log?username=ghost&result=failure')).body;
    expect(failures.items.map((e: { username: string }) => e.username)).toEqual(['ghost.user']);

    const entries = await ledger('action=auth.login');
    expect(byRequest(entries, wrong.requestId)).toMatchObject([{ action: 'auth.login.failure', subjectId: String(leaderId), payload: { reason: '密码错误' } }]);
    expect(byRequest(entries, unknown.requestId)).toMatchObject([{ action: 'auth.login.failure', subjectId: 'ghost.user', actorName: '未知用户(ghost.user)', payload: { reason: '用户名不存在' } }]);
    expect(byRequest(entries, good.requestId)).toMatchObject([{ action: 'auth.login.success', subjectId: String(leaderId) }]);
    expect(JSON.stringify(entries)).not.toContain('Wrong#Password1');
  });

  it('demands a new password first, locks after 5 failures even against the right password, and unlocks', async () => {
    const initial = 'Initial#Pass1';
    const { username, accountId } = await createAccount(initial);
    const fresh = await signIn(username, initial);
    expect((await fresh.get('/api/auth/me')).body.account.mustChangePassword).toBe(true);
    const blocked = await fresh.get('/api/org/personnel');
    expect(blocked.status).toBe(403);
    expect(blocked.body.code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect((await fresh.send('POST', '/api/auth/password', { oldPassword: initial, newPassword: USER_PASSWORD })).status).toBe(200);
    expect((await fresh.get('/api/auth/me')).body.account.mustChangePassword).toBe(false);
    expect((await fresh.get('/api/org/personnel')).status).toBe(200);

    for (let i = 1; i <= 4; i++) expect((await attempt(username, `Wrong#Pass${i}x`)).status).toBe(401);
    const fifth = await attempt(username, 'Wrong#Pass5x');
    expect(fifth.status).toBe(423);
    expect(fifth.body.code).toBe('LOCKED');
    const right = await attempt(username, USER_PASSWORD);
    expect(right.status).toBe(423);
    expect(right.body.code).toBe('LOCKED');
    expect(right.headers['set-cookie']).toBeUndefined();
    const listed = await admin.get(`/api/org/accounts?q=${username}`);
    expect(listed.body.items[0].lockedUntil).not.toBeNull();
    const log = (await admin.get(`/api/auth/login-log?username=${username}&pageSize=3`)).body.items;
    expect(log.map((e: { reason: string }) => e.reason)).toEqual(['账号已锁定', '密码错误，账号被锁定', '密码错误']);

    const unlocked = await admin.send('POST', `/api/org/accounts/${accountId}/unlock`);
    expect(unlocked.status).toBe(200);
    expect(unlocked.body.lockedUntil).toBeNull();
    expect((await attempt(username, USER_PASSWORD)).status).toBe(200);
    expect((await ledger(`action=org.account.unlock&subjectId=${accountId}`))).toHaveLength(1);
  });

  it('counts only failures within 15 minutes towards the lock', async () => {
    const { username } = await newUser();
    vi.useFakeTimers({ toFake: ['Date'] });
    const t0 = Date.now();
    for (let i = 0; i < 4; i++) expect((await attempt(username, 'Wrong#Pass1x')).status).toBe(401);
    vi.setSystemTime(t0 + 16 * MINUTE);
    for (let i = 0; i < 4; i++) expect((await attempt(username, 'Wrong#Pass1x')).status).toBe(401);
    expect((await attempt(username, 'Wrong#Pass1x')).status).toBe(423);
    // the lock itself lasts 15 minutes
    vi.setSystemTime(t0 + 32 * MINUTE);
    expect((await attempt(username, USER_PASSWORD)).status).toBe(200);
  });
});

describe('sessions', () => {
  it('ends a session idle for more than 30 minutes', async () => {
    const { username } = await newUser();
    vi.useFakeTimers({ toFake: ['Date'] });
    const t0 = Date.now();
    const c = await signIn(username, USER_PASSWORD);
    vi.setSystemTime(t0 + 29 * MINUTE);
    expect((await c.get('/api/auth/me')).status).toBe(200);
    vi.setSystemTime(t0 + 58 * MINUTE); // an hour after login, but active 29 minutes ago
    expect((await c.get('/api/auth/me')).status).toBe(200);
    vi.setSystemTime(t0 + 89 * MINUTE);
    const idle = await c.get('/api/auth/me');
    expect(idle.status).toBe(401);
    expect(idle.body.code).toBe('UNAUTHENTICATED');
    vi.setSystemTime(t0 + 90 * MINUTE);
    expect((await c.get('/api/auth/me')).status).toBe(401); // ended, not merely idle
  });

  it('ends a session 12 hours after login however active it is', async () => {
    const { username } = await newUser();
    vi.useFakeTimers({ toFake: ['Date'] });
    const t0 = Date.now();
    const c = await signIn(username, USER_PASSWORD);
    for (let m = 20; m <= 12 * 60; m += 20) {
      vi.setSystemTime(t0 + m * MINUTE);
      expect((await c.get('/api/auth/me')).status, `after ${m} minutes`).toBe(200);
    }
    vi.setSystemTime(t0 + (12 * 60 + 20) * MINUTE);
    expect((await c.get('/api/auth/me')).status).toBe(401);
    vi.setSystemTime(t0 + 13 * 60 * MINUTE);
    expect((await c.get('/api/auth/me')).status).toBe(401);
  });

  it('refuses state changes without the session CSRF token and ledgers the denial', async () => {
    const legal = await signIn('legal');
    const missing = await call(t.app, 'POST', '/api/auth/logout', { cookie: legal.cookie });
    const wrong = await call(t.app, 'POST', '/api/auth/logout', { cookie: legal.cookie, csrf: 'x'.repeat(legal.csrf.length) });
    const foreign = await call(t.app, 'POST', '/api/auth/logout', { cookie: legal.cookie, csrf: admin.csrf });
    for (const res of [missing, wrong, foreign]) {
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('CSRF');
    }
    expect((await legal.get('/api/auth/me')).status).toBe(200);
    const denied = await ledger('action=auth.denied');
    for (const res of [missing, wrong, foreign]) {
      expect(byRequest(denied, res.headers['x-request-id'])).toMatchObject([{ subjectId: 'POST /api/auth/logout', actorName: '周文静(050005)', payload: { code: 'CSRF' } }]);
    }
  });

  it('refuses a missing permission (403, ledgered with the permission) and a missing session (401)', async () => {
    const officer = await signIn('officer');
    const res = await officer.get('/api/org/accounts');
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('FORBIDDEN');
    expect(byRequest(await ledger('action=auth.denied'), res.headers['x-request-id'])).toMatchObject([
      { subjectId: 'GET /api/org/accounts', actorName: '郑宇航(050007)', payload: { code: 'FORBIDDEN', permission: 'org:account:view' } },
    ]);
    const anonymous = await call(t.app, 'GET', '/api/org/accounts');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ code: 'UNAUTHENTICATED', message: '请先登录' });
    expect((await call(t.app, 'GET', '/api/auth/me', { cookie: 'clearlane_sid=forged' })).status).toBe(401);
  });

  it('changes the password: checks the old one and the policy, ends the other sessions only', async () => {
    const { username, accountId } = await newUser();
    const here = await signIn(username, USER_PASSWORD);
    const elsewhere = await signIn(username, USER_PASSWORD);
    const wrongOld = await here.send('POST', '/api/auth/password', { oldPassword: 'Not#ThePass1', newPassword: 'Brand#New2026' });
    expect(wrongOld.status).toBe(400);
    expect(wrongOld.body.details).toEqual([{ path: 'oldPassword', message: '原密码不正确' }]);
    for (const weak of ['short', 'alllowercaseletters', 'NoDigitsOrSymbols']) {
      const res = await here.send('POST', '/api/auth/password', { oldPassword: USER_PASSWORD, newPassword: weak });
      expect(res.status, weak).toBe(400);
      expect(res.body.message).toContain(PASSWORD_RULE);
      expect(res.body.details).toEqual([{ path: 'newPassword', message: PASSWORD_RULE }]);
    }
    const same = await here.send('POST', '/api/auth/password', { oldPassword: USER_PASSWORD, newPassword: USER_PASSWORD });
    expect(same.status).toBe(400);
    expect(same.body.details[0].path).toBe('newPassword');
    expect((await elsewhere.get('/api/auth/me')).status).toBe(200); // refused changes end nothing
    const ok = await here.send('POST', '/api/auth/password', { oldPassword: USER_PASSWORD, newPassword: 'Brand#New2026' });
    expect(ok.body).toEqual({ ok: true });
    expect((await here.get('/api/auth/me')).status).toBe(200);
    expect((await elsewhere.get('/api/auth/me')).status).toBe(401);
    expect((await attempt(username, USER_PASSWORD)).status).toBe(401);
    expect((await attempt(username, 'Brand#New2026')).status).toBe(200);
    const entries = await ledger(`action=auth.password.change&subjectId=${accountId}`);
    expect(entries.map((e) => e.payload)).toEqual([{ endedSessions: 1 }, { endedSessions: 0 }]);
    expect(JSON.stringify(entries)).not.toContain('Brand#New2026');
  });

  it('logs out: the cookie is cleared and no longer works', async () => {
    const c = await signIn('legal');
    const res = await c.send('POST', '/api/auth/logout');
    expect(res.body).toEqual({ ok: true });
    expect(String(([] as string[]).concat(res.headers['set-cookie'] as string[])[0])).toMatch(/^clearlane_sid=;/);
    expect((await c.get('/api/auth/me')).status).toBe(401);
    expect((await c.send('POST', '/api/auth/logout')).status).toBe(401);
  });

  it('lists online users and ends another user’s session (强退)', async () => {
    const list = await admin.get('/api/auth/sessions?pageSize=500');
    expect(list.status).toBe(200);
    const current = list.body.items.filter((s: { current: boolean }) => s.current);
    expect(current).toHaveLength(1);
    expect(current[0]).toMatchObject({ username: 'admin', personName: '陈思远' });

    const victim = await signIn('inspector');
    const theirs = (await admin.get('/api/auth/sessions?username=inspector')).body.items;
    expect(theirs).toHaveLength(1);
    expect(theirs[0]).toMatchObject({ username: 'inspector', current: false });
    // the list shows a public id, never the cookie value
    expect(theirs[0].id).toBe(crypto.createHash('sha256').update(victim.cookie.split('=')[1]!).digest('hex').slice(0, 16));
    const kicked = await admin.send('DELETE', `/api/auth/sessions/${theirs[0].id}`);
    expect(kicked.body).toEqual({ ok: true });
    expect((await victim.get('/api/auth/me')).status).toBe(401);
    expect((await admin.get('/api/auth/sessions?username=inspector')).body.total).toBe(0);
    expect((await admin.get('/api/auth/sessions?username=no.such.user')).body).toMatchObject({ total: 0, items: [] });
    expect((await admin.send('DELETE', `/api/auth/sessions/${theirs[0].id}`)).status).toBe(404);
    expect((await admin.send('DELETE', '/api/auth/sessions/not-a-session')).status).toBe(400);
    const [ended] = await ledger(`action=auth.session.end&subjectId=${theirs[0].id}`);
    expect(ended!.payload.reason).toBe('被管理员强制下线（陈思远(050001)）');
  });
});

describe('API tokens', () => {
  it('shows the secret once, authorizes by its own permissions only, counts and ledgers each use, and stops at revocation', async () => {
    const created = await admin.send('POST', '/api/auth/tokens', { name: '交管系统对接', permissions: ['org:person:view'], expiresInDays: 30 });
    expect(created.status).toBe(200);
    const { token, secret } = created.body;
    expect(secret).toMatch(/^cl_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
    expect(token.prefix).toBe(`${secret.slice(0, 12)}…`);
    const list = await admin.get('/api/auth/tokens');
    expect(list.body.items.find((x: { id: number }) => x.id === token.id)).toMatchObject({ prefix: token.prefix, useCount: 0, permissions: ['org:person:view'] });
    expect(JSON.stringify(list.body)).not.toContain(secret.slice(12));

    const people = await bearer('GET', '/api/org/personnel?pageSize=1', secret);
    expect(people.status).toBe(200);
    expect(people.body.total).toBe((await admin.get('/api/org/personnel?pageSize=1')).body.total);
    expect((await bearer('GET', '/api/org/accounts', secret)).status).toBe(403);
    const me = await bearer('GET', '/api/auth/me', secret);
    expect(me.status).toBe(403);
    const used = (await admin.get('/api/auth/tokens')).body.items.find((x: { id: number }) => x.id === token.id);
    expect(used.useCount).toBe(3);
    expect(used.lastUsedAt).not.toBeNull();
    const uses = await ledger(`action=auth.token.use&subjectId=${token.id}`);
    expect(uses.map((e) => e.payload.route).reverse()).toEqual(['GET /api/org/personnel', 'GET /api/org/accounts', 'GET /api/auth/me']);
    expect(uses.every((e) => e.actorName === '接口令牌:交管系统对接')).toBe(true);

    const revoked = await admin.send('POST', `/api/auth/tokens/${token.id}/revoke`);
    expect(revoked.body.revokedAt).not.toBeNull();
    expect((await bearer('GET', '/api/org/personnel', secret)).status).toBe(401);
    expect((await admin.send('POST', `/api/auth/tokens/${token.id}/revoke`)).status).toBe(409);
  });

  it('needs no CSRF token, and refuses malformed, unknown and expired tokens', async () => {
    const { body } = await admin.send('POST', '/api/auth/tokens', { name: '单位同步', permissions: ['org:unit:view', 'org:unit:edit'], expiresInDays: 1 });
    const brigade = (await bearer('GET', '/api/org/units?q=城区大队', body.secret)).body.items[0];
    const post = await bearer('POST', '/api/org/units', body.secret, { parentId: brigade.id, name: '接口新建中队', kind: 'squadron' });
    expect(post.status).toBe(200);
    for (const header of ['Bearer abc', `Bearer cl_deadbeef_${'A'.repeat(43)}`, `Bearer ${body.secret}x`, `Basic ${body.secret}`, 'Bearer']) {
      const res = await call(t.app, 'GET', '/api/org/units', { headers: { authorization: header } });
      expect(res.status, header).toBe(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
    }
    // tokens are issued by people: a token holding auth:token:edit cannot mint another
    const minter = (await admin.send('POST', '/api/auth/tokens', { name: '令牌管理', permissions: ['auth:token:edit'], expiresInDays: 1 })).body.secret;
    const minted = await bearer('POST', '/api/auth/tokens', minter, { name: '二级令牌', permissions: ['org:person:pii'], expiresInDays: 1 });
    expect(minted.status).toBe(403);
    expect(minted.body.code).toBe('FORBIDDEN');
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 25 * 60 * MINUTE);
    expect((await bearer('GET', '/api/org/units', body.secret)).status).toBe(401);
  });
});

describe('login rate limit', () => {
  it('answers 429 after 20 attempts a minute from one address, leaving other addresses alone', async () => {
    const ip = '203.0.113.77';
    for (let i = 0; i < 20; i++) expect((await attempt('nobody.here', 'Wrong#Password1', ip)).status).toBe(401);
    const limited = await attempt('admin', PASSWORD, ip);
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('RATE_LIMITED');
    expect(limited.headers['retry-after']).toBeDefined();
    expect((await attempt('admin', PASSWORD)).status).toBe(200);
  });
});
