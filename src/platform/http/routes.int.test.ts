import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/factories.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

describe('route declarations', () => {
  it('every registered route declares its access', () => {
    expect(t.routes.length).toBeGreaterThan(30);
    expect(t.routes.filter((r) => r.access === 'UNDECLARED')).toEqual([]);
  });

  // A change to this list is a change to who can reach what: review it as one.
  it('matches the reviewed permission list', async () => {
    const lines = t.routes
      .filter((r) => r.method !== 'HEAD')
      .map((r) => `${r.method.padEnd(6)} ${r.url.padEnd(44)} ${r.access}`)
      .sort();
    await expect(`${lines.join('\n')}\n`).toMatchFileSnapshot('./route-permissions.txt');
  });

  it('refuses to start when a route has no declaration', async () => {
    const { buildApp } = await import('./app.ts');
    const { loadConfig } = await import('../../config.ts');
    const undeclared = (app: import('./app.ts').App) => {
      app.get('/api/undeclared', async () => ({ ok: true }));
    };
    await expect(buildApp({ database: t.database, config: loadConfig({ LOG_LEVEL: 'silent' }), version: 'test' }, [undeclared])).rejects.toThrow(
      /GET \/api\/undeclared/,
    );
  });
});
