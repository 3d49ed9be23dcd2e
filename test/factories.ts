import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.ts';
import { DEFAULT_DEMO_PASSWORD } from '../src/config.ts';
import { seedDemo } from '../src/demo/index.ts';
import { ensureReferenceData, MODULE_ROUTES } from '../src/modules/index.ts';
import { bootstrapContext } from '../src/platform/bootstrap.ts';
import { buildApp, type App, type RouteDeclaration } from '../src/platform/http/app.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';

export const PASSWORD = DEFAULT_DEMO_PASSWORD;

export interface TestApp {
  app: App;
  database: TestDatabase;
  routes: RouteDeclaration[];
  close(): Promise<void>;
}

/** An app on a fresh database holding the demo brigade (one account per role, password PASSWORD). */
export async function testApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  await database.db.transaction().execute((trx) => ensureReferenceData(trx, bootstrapContext('test')));
  await seedDemo(database, PASSWORD);
  // Files the app keeps beside the database (the ledger's signing key) go to a temporary folder.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clearlane-app-'));
  const config = loadConfig({ LOG_LEVEL: 'silent', DATA_DIR: dataDir, ...env });
  const { app, routes } = await buildApp({ database, config, version: 'test' }, MODULE_ROUTES);
  return {
    app,
    database,
    routes,
    async close() {
      await app.close();
      await database.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Client {
  cookie: string;
  csrf: string;
  get(url: string): Promise<Response>;
  send(method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, body?: unknown): Promise<Response>;
}

export interface Response {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  headers: Record<string, string | string[] | number | undefined>;
  raw: Buffer;
}

export async function call(app: App, method: string, url: string, opts: { cookie?: string; csrf?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Response> {
  const res = await app.inject({
    method: method as 'GET',
    url,
    headers: {
      ...(opts.cookie ? { cookie: opts.cookie } : {}),
      ...(opts.csrf ? { 'x-csrf-token': opts.csrf } : {}),
      ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...opts.headers,
    },
    ...(opts.body !== undefined ? { payload: JSON.stringify(opts.body) } : {}),
  });
  const type = String(res.headers['content-type'] ?? '');
  return { status: res.statusCode, body: type.includes('json') ? res.json() : res.body, headers: res.headers, raw: res.rawPayload };
}

export async function loginAs(app: App, username: string, password = PASSWORD): Promise<Client> {
  const res = await call(app, 'POST', '/api/auth/login', { body: { username, password } });
  if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
  const setCookie = String(([] as string[]).concat(res.headers['set-cookie'] as string[])[0]);
  const cookie = setCookie.split(';')[0]!;
  const csrf = res.body.csrfToken as string;
  return {
    cookie,
    csrf,
    get: (url) => call(app, 'GET', url, { cookie }),
    send: (method, url, body) => call(app, method, url, { cookie, csrf, body }),
  };
}

let badgeCounter = 7000;
/** A unique badge number per call within a test file. */
export function nextBadge(prefix = '09'): string {
  badgeCounter += 1;
  return `${prefix}${badgeCounter}`;
}

/** Posts `content` as the multipart field `file` of `url`, the way a browser form does. */
export async function uploadFile(app: App, as: Pick<Client, 'cookie' | 'csrf'>, url: string, filename: string, content: Buffer | string): Promise<Response> {
  const boundary = `----clearlane${crypto.randomBytes(8).toString('hex')}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    Buffer.from(content),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await app.inject({
    method: 'POST',
    url,
    headers: { cookie: as.cookie, 'x-csrf-token': as.csrf, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload,
  });
  const type = String(res.headers['content-type'] ?? '');
  return { status: res.statusCode, body: type.includes('json') ? res.json() : res.body, headers: res.headers, raw: res.rawPayload };
}
