import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import { call } from '../../test/factories.ts';
import { loadConfig } from '../config.ts';
import { ensureReferenceData, MODULE_ROUTES } from '../modules/index.ts';
import { bootstrapContext } from '../platform/bootstrap.ts';
import { buildApp, type App } from '../platform/http/app.ts';
import { CliError, createFirstAdmin, oneTimePassword } from './admin.ts';
import { PASSWORD_RULE, password as passwordSchema } from '../contracts/org.ts';

let db: TestDatabase;
let app: App;
beforeAll(async () => {
  db = await createTestDatabase();
  await db.db.transaction().execute((trx) => ensureReferenceData(trx, bootstrapContext('test')));
  app = (await buildApp({ database: db, config: loadConfig({ LOG_LEVEL: 'silent' }), version: 'test' }, MODULE_ROUTES)).app;
});
afterAll(async () => {
  await app.close();
  await db.drop();
});

it('one-time passwords always satisfy the password policy', () => {
  for (let i = 0; i < 200; i++) expect(passwordSchema.safeParse(oneTimePassword()).success, PASSWORD_RULE).toBe(true);
});

it('creates the first admin on an empty database, who must change the password before anything else', async () => {
  const { password } = await createFirstAdmin(db, { username: 'chief', name: '李明', badgeNo: '010001', unitName: '示范大队' });
  const login = await call(app, 'POST', '/api/auth/login', { body: { username: 'chief', password } });
  expect(login.status).toBe(200);
  expect(login.body.account).toMatchObject({ roles: ['admin'], unitName: '示范大队', mustChangePassword: true });
  const cookie = String(([] as string[]).concat(login.headers['set-cookie'] as string[])[0]).split(';')[0]!;
  const blocked = await call(app, 'GET', '/api/org/units/tree', { cookie });
  expect(blocked.status).toBe(403);
  expect(blocked.body.code).toBe('PASSWORD_CHANGE_REQUIRED');
  const changed = await call(app, 'POST', '/api/auth/password', { cookie, csrf: login.body.csrfToken, body: { oldPassword: password, newPassword: 'Chief#Secure2026' } });
  expect(changed.status).toBe(200);
  expect((await call(app, 'GET', '/api/org/units/tree', { cookie })).status).toBe(200);
});

it('refuses a taken username or badge number, and bad input, with a clear message', async () => {
  await expect(createFirstAdmin(db, { username: 'chief', name: '王强', badgeNo: '010002', unitName: 'x' })).rejects.toThrow(CliError);
  await expect(createFirstAdmin(db, { username: 'other', name: '王强', badgeNo: '010001', unitName: 'x' })).rejects.toThrow(/警号 010001 已存在/);
  await expect(createFirstAdmin(db, { username: '1bad', name: '', badgeNo: '1', unitName: 'x' })).rejects.toThrow(/username/);
});
