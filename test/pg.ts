import pg from 'pg';

/** The PostgreSQL the suite runs against: DATABASE_URL, or the CI default (database `test`, trust auth). */
export function adminUrl(): string {
  return process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
}

export function urlFor(database: string): string {
  const u = new URL(adminUrl());
  u.pathname = `/${database}`;
  return u.toString();
}

export async function withAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect().catch((e: Error) => {
    throw new Error(`PostgreSQL is not reachable at ${adminUrl()} (${e.message}); the PostgreSQL test run fails rather than skips.`);
  });
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
