import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import { MigrationError, migrate, readMigrations } from './migrate.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

function withExtra(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clearlane-mig-'));
  for (const f of readMigrations()) fs.writeFileSync(path.join(dir, f.name), f.sql);
  for (const [name, body] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), body);
  return dir;
}

const tableExists = async (name: string) =>
  (await sql<{ n: number }>`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = ${name}`.execute(db.db)).rows[0]!.n > 0;

describe('migrations', () => {
  it('are already applied to the template and re-running them changes nothing', async () => {
    expect(await migrate(db)).toEqual([]);
  });

  it('a failing migration leaves the schema exactly as it was', async () => {
    const dir = withExtra({ '9001_broken.sql': 'CREATE TABLE half_done (id int);\nSELECT no_such_function();' });
    await expect(migrate(db, readMigrations(dir))).rejects.toThrow(MigrationError);
    await expect(migrate(db, readMigrations(dir))).rejects.toThrow(/9001_broken\.sql 执行失败，数据库结构保持不变/);
    expect(await tableExists('half_done')).toBe(false);
    const applied = await sql<{ version: number }>`SELECT version FROM schema_migrations WHERE version = 9001`.execute(db.db);
    expect(applied.rows).toEqual([]);
  });

  it('applies a good new migration once', async () => {
    const dir = withExtra({ '9002_extra.sql': 'CREATE TABLE extra_table (id int);' });
    expect(await migrate(db, readMigrations(dir))).toEqual(['9002_extra.sql']);
    expect(await migrate(db, readMigrations(dir))).toEqual([]);
    expect(await tableExists('extra_table')).toBe(true);
  });

  it('refuses to run when an applied migration was edited', async () => {
    const dir = withExtra({ '9002_extra.sql': 'CREATE TABLE extra_table (id bigint);' });
    await expect(migrate(db, readMigrations(dir))).rejects.toThrow(/9002_extra\.sql 被修改过/);
  });

  it('rejects badly named files', () => {
    const dir = withExtra({ '12_bad-name.sql': 'SELECT 1;' });
    expect(() => readMigrations(dir)).toThrow(/NNNN_name\.sql/);
  });
});

describe('ledger tables are append-only in the database itself', () => {
  it('refuses UPDATE, DELETE and TRUNCATE', async () => {
    await db.db.transaction().execute(async (trx) => {
      await sql`UPDATE ledger_head SET size = size + 1`.execute(trx);
      await sql`INSERT INTO ledger_entries (seq, at, actor_name, action, subject_type, subject_id, payload, request_id, client_ip)
                SELECT size, now(), 't', 'test', 'test', '1', '{}', 'r', '127.0.0.1' FROM ledger_head`.execute(trx);
    });
    await expect(sql`UPDATE ledger_entries SET action = 'x'`.execute(db.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM ledger_entries`.execute(db.db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE ledger_entries`.execute(db.db)).rejects.toThrow(/append-only/);
  });
});
