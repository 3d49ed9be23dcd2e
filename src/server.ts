import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Config } from './config.ts';
import { openDatabase, type Database } from './platform/db/database.ts';
import { migrate } from './platform/db/migrate.ts';
import { buildApp, type App } from './platform/http/app.ts';
import { ensureReferenceData, MODULE_ROUTES } from './modules/index.ts';
import { bootstrapContext } from './platform/bootstrap.ts';
import { startCheckpointTimer } from './modules/ledger/checkpoints.service.ts';
import { keyFileTooOpen, ledgerKeys } from './modules/ledger/signing-key.ts';
import { detectorsIdle } from './modules/enforcement/detectors.service.ts';
import { startReviewDueTimer } from './modules/enforcement/review.service.ts';
import { deviceDetectorsIdle, startDeviceDetectorTimer } from './modules/devices/device-detectors.service.ts';
import { lookupDetectionIdle } from './modules/lookups/detection.service.ts';

export const WEB_DIST = fileURLToPath(new URL('../web/dist/', import.meta.url));

export const VERSION: string = (JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Opens the database, brings its schema up to date and makes sure the built-in roles exist. */
export async function prepareDatabase(config: Pick<Config, 'DATABASE_URL' | 'dataDir' | 'PG_POOL_SIZE'>): Promise<Database> {
  const database = await openDatabase(config);
  try {
    await migrate(database);
    await database.db.transaction().execute((trx) => ensureReferenceData(trx, bootstrapContext('启动初始化')));
    return database;
  } catch (e) {
    await database.close();
    throw e;
  }
}

export interface RunningServer {
  app: App;
  url: string;
  database: Database;
  close(): Promise<void>;
}

export async function startServer(config: Config, database: Database, opts: { webDist?: string } = {}): Promise<RunningServer> {
  const { app } = await buildApp({ database, config, version: VERSION, webDist: opts.webDist ?? WEB_DIST }, MODULE_ROUTES);
  const address = await app.listen({ port: config.PORT, host: config.HOST });
  // Signed checkpoints every CHECKPOINT_EVERY_ENTRIES entries or CHECKPOINT_EVERY_SECONDS seconds.
  const keys = ledgerKeys(config);
  if (keyFileTooOpen(keys.keyFile)) app.log.warn({ keyFile: keys.keyFile }, 'ledger signing key file is readable by group or others; chmod 600 it');
  const reviewDue = startReviewDueTimer(database.db, app.log);
  // verification-expiry reminders come due with no captures arriving
  const deviceSweep = startDeviceDetectorTimer(database.db, app.log);
  const checkpoints = startCheckpointTimer(database.db, keys, { everyEntries: config.CHECKPOINT_EVERY_ENTRIES, everySeconds: config.CHECKPOINT_EVERY_SECONDS, log: app.log });
  return {
    app,
    url: address,
    database,
    async close() {
      await checkpoints.stop();
      reviewDue.stop();
      deviceSweep.stop();
      await app.close();
      await Promise.all([detectorsIdle(database.db), deviceDetectorsIdle(database.db), lookupDetectionIdle(database.db)]);
      await database.close();
    },
  };
}
