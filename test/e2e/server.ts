import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_DEMO_PASSWORD, loadConfig } from '../../src/config.ts';
import { seedDemo } from '../../src/demo/index.ts';
import { ensureReferenceData, MODULE_ROUTES } from '../../src/modules/index.ts';
import { bootstrapContext } from '../../src/platform/bootstrap.ts';
import { openPGlite } from '../../src/platform/db/database.ts';
import { migrate } from '../../src/platform/db/migrate.ts';
import { buildApp } from '../../src/platform/http/app.ts';
import { WEB_DIST } from '../../src/server.ts';
import { buildWeb, webBuildIsStale } from '../../src/web-build.ts';

/**
 * Clearlane as a new user gets it from `npm start`: the built console, a fresh embedded database
 * with the demo brigade. Listens on a free loopback port.
 */
export async function startTestServer(): Promise<{ url: string; close(): Promise<void> }> {
  if (webBuildIsStale()) await buildWeb();
  const database = await openPGlite();
  await migrate(database);
  await database.db.transaction().execute((trx) => ensureReferenceData(trx, bootstrapContext('e2e')));
  // its own data directory: the ledger's signing key and the look-up subjects' key are made there,
  // never in the working copy's ./data
  const dataDir = mkdtempSync(join(tmpdir(), 'clearlane-e2e-data-'));
  // the small volume of demo records and look-ups: the pages have data, start-up stays quick
  await seedDemo(database, process.env.DEMO_PASSWORD ?? DEFAULT_DEMO_PASSWORD, { enforcement: 'small', dataDir });
  const config = loadConfig({ LOG_LEVEL: 'silent', DATA_DIR: dataDir });
  const { app } = await buildApp({ database, config, version: 'e2e', webDist: WEB_DIST }, MODULE_ROUTES);
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url,
    async close() {
      await app.close();
      await database.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
