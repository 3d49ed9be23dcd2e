import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { call, loginAs, testApp, type TestApp } from '../../../test/factories.ts';
import { loadConfig } from '../../config.ts';
import { PUBLIC } from '../authz/access.ts';
import { buildApp, type App } from './app.ts';

let t: TestApp;
let broken: App;
beforeAll(async () => {
  t = await testApp();
  // A route that fails the way real bugs do: a database error carrying SQL in its message.
  const failing = (app: App) => {
    app.get('/api/explode', { config: { access: PUBLIC } }, async () => {
      await sql`SELECT * FROM no_such_table_secret_name`.execute(t.database.db);
      return {};
    });
  };
  broken = (await buildApp({ database: t.database, config: loadConfig({ LOG_LEVEL: 'silent' }), version: 'test' }, [failing])).app;
});
afterAll(async () => {
  await broken.close();
  await t.close();
});

describe('API conventions', () => {
  it('health names the database and version', async () => {
    const res = await call(t.app, 'GET', '/api/health');
    expect(res.body).toEqual({ status: 'ok', database: t.database.kind, version: 'test' });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends security headers', async () => {
    const res = await call(t.app, 'GET', '/api/health');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('answers bad input with 400 and a zh-CN message, never a stack or SQL', async () => {
    const admin = await loginAs(t.app, 'admin');
    const malformed = await t.app.inject({
      method: 'POST',
      url: '/api/org/units',
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf, 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ code: 'BAD_REQUEST', message: '请求体不是合法的 JSON' });
    const unknown = await admin.send('POST', '/api/org/units', { parentId: 2, name: '某中队', kind: 'squadron', color: 'red' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.details.some((d: { message: string }) => d.message.includes('color'))).toBe(true);
    const wrongType = await admin.get('/api/org/personnel?page=abc');
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.details[0].path).toBe('page');
    const tooBig = await t.app.inject({
      method: 'POST',
      url: '/api/org/units',
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf, 'content-type': 'application/json' },
      payload: `{"name":"${'x'.repeat(33 * 1024 * 1024)}"}`,
    });
    expect(tooBig.statusCode).toBe(400);
    expect(tooBig.json().code).toBe('BODY_TOO_LARGE');
  });

  it('unexpected errors show only the request id', async () => {
    const res = await call(broken, 'GET', '/api/explode');
    expect(res.status).toBe(500);
    expect(res.body.code).toBe('INTERNAL');
    expect(res.body.message).toContain(res.body.requestId);
    expect(JSON.stringify(res.body)).not.toMatch(/no_such_table|SELECT|at \w+ \(/);
  });

  it('unknown API paths are JSON 404s', async () => {
    const res = await call(t.app, 'GET', '/api/nope');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('NOT_FOUND');
  });

  it('serves the OpenAPI document, generated from the schemas, to signed-in users', async () => {
    expect((await call(t.app, 'GET', '/api/openapi.json')).status).toBe(401);
    const admin = await loginAs(t.app, 'admin');
    const doc = await admin.get('/api/openapi.json');
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toContain('/api/org/personnel');
    expect(doc.body.paths['/api/org/personnel'].get.parameters.map((p: { name: string }) => p.name)).toContain('pageSize');
    expect((await admin.get('/api/docs/')).status).toBe(200);
  });
});
