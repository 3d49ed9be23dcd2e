import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { from as copyFrom } from 'pg-copy-streams';
import { CompiledQuery, Kysely, PostgresDialect, type DatabaseConnection, type Dialect, type Driver } from 'kysely';
import { KyselyPGlite } from 'kysely-pglite';
import pg from 'pg';
import { Mutex } from './mutex.ts';

/**
 * The base Kysely handle. Each module narrows it to its own tables with `db.withTables<T>()`,
 * so no module's types expose another module's tables.
 */
export type Db = Kysely<object>;

export type DatabaseKind = 'pglite' | 'postgres';

/** Runs SQL on one connection: the simple protocol when there are no parameters (scripts). */
export type ScriptExec = (sql: string, params?: unknown[]) => Promise<Array<Record<string, unknown>>>;

export interface Database {
  readonly kind: DatabaseKind;
  readonly db: Db;
  /** Runs `fn` in one transaction on one connection; rolls back if it throws. */
  scriptTransaction<T>(fn: (exec: ScriptExec) => Promise<T>): Promise<T>;
  /** PGlite only: the whole data directory as a tarball (a migrated template for tests). */
  dump?(): Promise<Blob>;
  /** PGlite only: `COPY … TO '/dev/blob'` and `COPY … FROM '/dev/blob'` (bulk tools, benchmarks). */
  copyOut?(copyToDevBlob: string): Promise<Blob>;
  copyIn?(copyFromDevBlob: string, data: Blob): Promise<void>;
  close(): Promise<void>;
}

const kinds = new WeakMap<Db, DatabaseKind>();
/** Which engine a handle talks to, for the few bulk paths that differ (COPY FROM STDIN). */
export function databaseKindOf(db: Db): DatabaseKind | undefined {
  return kinds.get(db);
}

// int8 (counts, sequence numbers) as JS numbers, matching PGlite; values stay below 2^53.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

export async function openPostgres(url: string, poolSize = 20): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client dropped by the server (restart, admin kill) emits 'error' on the pool; without
  // a listener that would crash the process. The pool replaces the client on the next checkout.
  pool.on('error', () => undefined);
  // Fail fast with a clear message instead of at the first request.
  const probe = await pool.connect().catch(async (e: unknown) => {
    await pool.end();
    throw new Error(`无法连接 PostgreSQL (DATABASE_URL): ${(e as Error).message}`);
  });
  probe.release();
  const db = new Kysely<object>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) });
  kinds.set(db, 'postgres');
  return {
    kind: 'postgres',
    db,
    async scriptTransaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(async (sql, params) => (await client.query(sql, params)).rows);
        await client.query('COMMIT');
        return result;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
    },
    async close() {
      await db.destroy();
    },
  };
}

/**
 * Runs the app's read and update queries as named prepared statements, so PostgreSQL parses and
 * plans each distinct statement once per connection instead of on every request. Names are a
 * hash of the text. INSERTs are left unnamed: multi-row inserts vary in length with their batch
 * and would pile up statements on every connection.
 */
function preparingPool(pool: pg.Pool) {
  const nameOf = (text: string) => `k${crypto.createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
  const reusable = (text: string) => text.length <= 8000 && /^\s*(select|update|delete|with)\b/i.test(text);
  return {
    async connect() {
      const client = await pool.connect();
      return {
        // Anything but plain text (a cursor for Kysely's stream()) goes through untouched.
        query: (text: unknown, values?: unknown[]) =>
          typeof text !== 'string'
            ? client.query(text as never)
            : isCopyFromStdin(text, values)
              ? copyIn(client, text, values![0] as string | Buffer)
              : client.query(reusable(text) ? { name: nameOf(text), text, values } : { text, values }),
        release: (err?: Error | boolean) => client.release(err),
      } as unknown as pg.PoolClient;
    },
    end: () => pool.end(),
  } as unknown as pg.Pool;
}

/**
 * `COPY … FROM STDIN` with the data as its one parameter (see copyFromStdin): bulk paths send
 * their rows the way PostgreSQL loads fastest, inside the caller's transaction.
 */
const isCopyFromStdin = (text: string, values?: unknown[]) => /^\s*copy\b[^;]*\bfrom\s+stdin\b/i.test(text) && values?.length === 1 && (typeof values[0] === 'string' || Buffer.isBuffer(values[0]));

async function copyIn(client: pg.PoolClient, text: string, data: string | Buffer): Promise<{ rows: never[]; rowCount: number; command: 'COPY' }> {
  const stream = client.query(copyFrom(text));
  await new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
    stream.end(data);
  });
  return { rows: [], rowCount: stream.rowCount, command: 'COPY' };
}

/**
 * A query that loads `data` (PostgreSQL COPY text format) with `COPY table (columns) FROM STDIN`
 * in the current transaction. PostgreSQL only: PGlite has no STDIN.
 */
export function copyFromStdin(copyStatement: string, data: string | Buffer): CompiledQuery {
  return CompiledQuery.raw(copyStatement, [data]);
}

export interface PGliteOptions {
  /** Directory for the database files; omit for an in-memory database (tests). */
  dataDir?: string;
  /** A dump made by `dumpDataDir`, to start from a migrated template instead of initdb. */
  loadDataDir?: Blob | File;
}

export async function openPGlite(opts: PGliteOptions = {}): Promise<Database> {
  if (opts.dataDir) fs.mkdirSync(opts.dataDir, { recursive: true });
  const client = await PGlite.create({
    ...(opts.dataDir ? { dataDir: path.resolve(opts.dataDir) } : {}),
    ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
  });
  const mutex = new Mutex();
  const db = new Kysely<object>({ dialect: serialized(new KyselyPGlite(client).dialect, mutex) });
  kinds.set(db, 'pglite');
  return {
    kind: 'pglite',
    db,
    scriptTransaction: (fn) =>
      mutex.run(() =>
        client.transaction((tx) =>
          fn(async (sql, params) => {
            if (params && params.length > 0) return (await tx.query<Record<string, unknown>>(sql, params)).rows;
            const results = await tx.exec(sql);
            return (results.at(-1)?.rows ?? []) as Array<Record<string, unknown>>;
          }),
        ),
      ),
    dump: () => mutex.run(() => client.dumpDataDir('none')),
    copyOut: (text) =>
      mutex.run(async () => {
        const r = await client.query(text);
        if (!r.blob) throw new Error('COPY … TO returned no blob');
        return r.blob;
      }),
    copyIn: (text, data) => mutex.run(async () => void (await client.query(text, [], { blob: data }))),
    async close() {
      await db.destroy();
    },
  };
}

/**
 * PGlite has one connection. Kysely acquires a connection per query and holds it for a whole
 * transaction, so making acquire wait for release serializes requests: a query from one request
 * can never land inside another request's open transaction.
 */
function serialized(dialect: Dialect, mutex: Mutex): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createDriver: (): Driver => {
      const inner = dialect.createDriver();
      const releases = new WeakMap<DatabaseConnection, () => void>();
      return {
        init: () => inner.init(),
        destroy: () => inner.destroy(),
        async acquireConnection() {
          const release = await mutex.acquire();
          const connection = await inner.acquireConnection();
          releases.set(connection, release);
          return connection;
        },
        async releaseConnection(connection) {
          await inner.releaseConnection(connection);
          releases.get(connection)?.();
          releases.delete(connection);
        },
        beginTransaction: (c, s) => inner.beginTransaction(c, s),
        commitTransaction: (c) => inner.commitTransaction(c),
        rollbackTransaction: (c) => inner.rollbackTransaction(c),
      };
    },
  };
}

export async function openDatabase(cfg: { DATABASE_URL?: string; dataDir: string; PG_POOL_SIZE?: number }): Promise<Database> {
  if (cfg.DATABASE_URL) return openPostgres(cfg.DATABASE_URL, cfg.PG_POOL_SIZE);
  return openPGlite({ dataDir: path.join(cfg.dataDir, 'pglite') });
}
