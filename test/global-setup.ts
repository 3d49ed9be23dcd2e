import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openPGlite, openPostgres } from '../src/platform/db/database.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { urlFor, withAdmin } from './pg.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    testDb: 'pglite' | 'postgres';
    pgliteTemplate: string;
    pgTemplate: string;
  }
}

/**
 * Migrates one template per run; every test file then starts from a copy of it (a PGlite data-dir
 * dump, or a PostgreSQL database created WITH TEMPLATE), so files are isolated and fast.
 */
export default async function setup(project: TestProject) {
  const kind = process.env.TEST_DB === 'postgres' ? 'postgres' : 'pglite';
  project.provide('testDb', kind);
  project.provide('pgTemplate', '');
  if (kind === 'pglite') {
    const db = await openPGlite();
    await migrate(db);
    const dump = await dumpOf(db);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'clearlane-test-')), 'template.tar');
    fs.writeFileSync(file, dump);
    project.provide('pgliteTemplate', file);
    await db.close();
    return () => fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
  // One template per run, so two runs on one server (a developer and CI) never collide.
  const template = `clearlane_tpl_${process.pid}`;
  await withAdmin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${template}`);
    await c.query(`CREATE DATABASE ${template}`);
  });
  const db = await openPostgres(urlFor(template), 2);
  await migrate(db);
  await db.close();
  project.provide('pgTemplate', template);
  project.provide('pgliteTemplate', '');
  return () => withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`)).then(() => undefined);
}

async function dumpOf(db: Awaited<ReturnType<typeof openPGlite>>): Promise<Buffer> {
  const blob = await db.dump!();
  return Buffer.from(await blob.arrayBuffer());
}
