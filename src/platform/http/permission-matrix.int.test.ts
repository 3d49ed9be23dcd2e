import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, loginAs, testApp, type Client, type TestApp } from '../../../test/factories.ts';
import { ROLE_CODES, type RoleCode } from '../../contracts/permissions.ts';

// The reviewed matrix, written out by hand: a change to a built-in role must change this table,
// so who-can-do-what is never altered by accident. 三员分立: admin manages, auditor reads logs.
const EXPECTED: Record<RoleCode, string[]> = {
  admin: [
    'org:unit:view', 'org:unit:edit', 'org:person:view', 'org:person:edit', 'org:person:import', 'org:person:export',
    'org:account:view', 'org:account:edit', 'org:role:view', 'org:role:edit',
    'auth:session:view', 'auth:session:revoke', 'auth:token:view', 'auth:token:edit', 'log:login:view',
    'lookup:ingest',
  ],
  auditor: ['org:unit:view', 'log:login:view', 'log:operation:view', 'ledger:verify'],
  leader: [
    'org:unit:view', 'org:person:view', 'org:person:export', 'enforcement:view', 'catalogue:view', 'rules:view', 'alert:view',
    'device:view', 'lookup:view', 'explanation:answer',
  ],
  squadron_leader: [
    'org:unit:view', 'org:person:view', 'org:person:export', 'enforcement:view', 'catalogue:view', 'rules:view', 'alert:view',
    'device:view', 'lookup:view', 'explanation:answer',
  ],
  legal: [
    'org:unit:view', 'org:person:view',
    'enforcement:view', 'enforcement:ingest', 'enforcement:review', 'enforcement:pii',
    'catalogue:view', 'catalogue:edit', 'rules:view', 'rules:edit', 'alert:view',
    'device:view', 'device:edit', 'explanation:answer',
    'auth:token:view', 'auth:token:edit',
  ],
  inspector: [
    'org:unit:view', 'org:person:view', 'org:person:pii', 'log:operation:view',
    'enforcement:view', 'catalogue:view', 'rules:view', 'alert:view', 'alert:handle', 'device:view',
    'lookup:view', 'lookup:ingest', 'lookup:subject', 'lookup:pii', 'lookup:handle', 'lookup:watchlist',
    'explanation:answer',
  ],
  officer: ['org:person:view', 'enforcement:view', 'catalogue:view', 'explanation:answer'],
  auxiliary: ['org:person:view', 'explanation:answer'],
};

let t: TestApp;
const clients = {} as Record<RoleCode, Client>;

beforeAll(async () => {
  t = await testApp();
  for (const role of ROLE_CODES) clients[role] = await loginAs(t.app, role);
});
afterAll(() => t.close());

const concrete = (url: string) => url.replace(':id', '999999').replace(':code', 'no_such_role').replace('/*', '/x');

describe('permission matrix', () => {
  it('each role holds exactly the reviewed permissions', async () => {
    for (const role of ROLE_CODES) {
      const me = await clients[role].get('/api/auth/me');
      expect([...me.body.account.permissions].sort(), role).toEqual([...EXPECTED[role]].sort());
    }
  });

  it('every permission-guarded route answers 403 exactly to the roles without its permission', async () => {
    const guarded = t.routes
      .filter((r) => r.method !== 'HEAD' && r.access.includes('[scope:'))
      .map((r) => ({ ...r, permission: r.access.split(' ')[0]! }));
    expect(guarded.length).toBeGreaterThan(25);
    const mismatches: string[] = [];
    for (const route of guarded) {
      for (const role of ROLE_CODES) {
        const c = clients[role];
        const url = route.url === '/api/auth/sessions/:id' ? '/api/auth/sessions/0000000000000000' : concrete(route.url);
        const res = route.method === 'GET' ? await c.get(url) : await c.send(route.method as 'POST', url, {});
        const allowed = EXPECTED[role].includes(route.permission);
        if (allowed ? res.status === 403 : res.status !== 403) {
          mismatches.push(`${role} ${route.method} ${route.url} → ${res.status} (expected ${allowed ? 'not 403' : '403'})`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('signed-in routes need a session, and nothing but public routes answers without one', async () => {
    const needSession = t.routes.filter((r) => r.method !== 'HEAD' && r.access !== 'public');
    for (const route of needSession) {
      const res = await call(t.app, route.method, concrete(route.url), route.method === 'GET' ? {} : { body: {} });
      expect(res.status, `${route.method} ${route.url}`).toBe(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
    }
  });
});
