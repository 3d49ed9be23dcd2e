import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './database.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations/', import.meta.url));

export interface MigrationFile {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {}

export function readMigrations(dir = MIGRATIONS_DIR): MigrationFile[] {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
  const seen = new Set<number>();
  return files.map((name) => {
    const m = /^(\d{4})_[a-z0-9_]+\.sql$/.exec(name);
    if (!m) throw new MigrationError(`迁移文件名不符合 NNNN_name.sql: ${name}`);
    const version = Number(m[1]);
    if (seen.has(version)) throw new MigrationError(`迁移版本号重复: ${version}`);
    seen.add(version);
    const sql = fs.readFileSync(path.join(dir, name), 'utf8');
    return { version, name, sql, checksum: crypto.createHash('sha256').update(sql).digest('hex') };
  });
}

const BOOKKEEPING = `
CREATE TABLE IF NOT EXISTS schema_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

// Arbitrary constant: concurrent starters on one PostgreSQL queue behind this lock.
const LOCK_KEY = 7_300_417;

/**
 * Applies pending migrations, each in its own transaction together with its bookkeeping row, so a
 * failed migration leaves the schema exactly as it was. Refuses to run if an applied migration's
 * file was edited afterwards: merged migrations are append-only.
 */
export async function migrate(database: Database, files = readMigrations()): Promise<string[]> {
  const applied: string[] = [];
  await database.scriptTransaction(async (exec) => {
    if (database.kind === 'postgres') await exec('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
    await exec(BOOKKEEPING);
  });
  for (const file of files) {
    const done = await database.scriptTransaction(async (exec) => {
      if (database.kind === 'postgres') await exec('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
      const rows = await exec('SELECT checksum FROM schema_migrations WHERE version = $1', [file.version]);
      if (rows[0]) {
        if (rows[0].checksum !== file.checksum) {
          throw new MigrationError(`已执行的迁移 ${file.name} 被修改过（校验和不一致）。已合并的迁移不可修改，请新增迁移。`);
        }
        return false;
      }
      try {
        await exec(file.sql);
      } catch (e) {
        throw new MigrationError(`迁移 ${file.name} 执行失败，数据库结构保持不变: ${(e as Error).message}`);
      }
      await exec('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
        file.version,
        file.name,
        file.checksum,
      ]);
      return true;
    });
    if (done) applied.push(file.name);
  }
  return applied;
}
