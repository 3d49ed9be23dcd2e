import crypto from 'node:crypto';
import fs from 'node:fs';
import { inject } from 'vitest';
import { openPGlite, openPostgres, type Database } from '../src/platform/db/database.ts';
import { urlFor, withAdmin } from './pg.ts';

export interface TestDatabase extends Database {
  /** Drops the PostgreSQL copy (PGlite copies live in memory and vanish on close). */
  drop(): Promise<void>;
}

/** A fresh, migrated database for one test file: a copy of the run's template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (inject('testDb') === 'pglite') {
    const bytes = fs.readFileSync(inject('pgliteTemplate'));
    const db = await openPGlite({ loadDataDir: new Blob([bytes]) });
    return { ...db, drop: () => db.close() } as TestDatabase;
  }
  const name = `clearlane_t_${crypto.randomBytes(6).toString('hex')}`;
  // The template's last connection may still be closing server-side (55006): wait and retry.
  for (let attempt = 0; ; attempt++) {
    try {
      await withAdmin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${inject('pgTemplate')}`));
      break;
    } catch (e) {
      if ((e as { code?: string }).code !== '55006' || attempt >= 50) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const db = await openPostgres(urlFor(name), 10);
  return {
    ...db,
    kind: db.kind,
    db: db.db,
    async drop() {
      await db.close();
      await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  } as TestDatabase;
}
