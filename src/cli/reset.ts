import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { Config } from '../config.ts';

/** Wipes the configured database (demo use only): PGlite's directory, or PostgreSQL's public schema. */
export async function resetDatabase(cfg: Config): Promise<void> {
  if (!cfg.DATABASE_URL) {
    fs.rmSync(path.join(cfg.dataDir, 'pglite'), { recursive: true, force: true });
    return;
  }
  const client = new pg.Client({ connectionString: cfg.DATABASE_URL });
  await client.connect();
  try {
    await client.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
  } finally {
    await client.end();
  }
}
