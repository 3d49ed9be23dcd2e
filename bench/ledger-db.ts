import pg from 'pg';
import { openPGlite, openPostgres, type Database } from '../src/platform/db/database.ts';
import { migrate } from '../src/platform/db/migrate.ts';

// Fresh, migrated databases for the ledger benchmarks: an in-memory PGlite, and a scratch
// database on the PostgreSQL of DATABASE_URL (CI's default otherwise), dropped afterwards.

const BASE = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Runs one statement on the server's admin database (create/drop scratch databases). */
export async function adminQuery(text: string): Promise<void> {
  const c = new pg.Client({ connectionString: BASE });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

export interface BenchDb {
  database: Database;
  label: 'PostgreSQL' | 'PGlite';
  drop(): Promise<void>;
}

export async function benchPostgres(name: string): Promise<BenchDb> {
  await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await adminQuery(`CREATE DATABASE ${name}`);
  const u = new URL(BASE);
  u.pathname = `/${name}`;
  const database = await openPostgres(u.toString(), 4);
  await migrate(database);
  return {
    database,
    label: 'PostgreSQL',
    async drop() {
      await database.close();
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

export async function benchPGlite(): Promise<BenchDb> {
  const database = await openPGlite();
  await migrate(database);
  return { database, label: 'PGlite', drop: () => database.close() };
}

export const rate = (n: number, ms: number) => (n / ms) * 1000;
export const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
