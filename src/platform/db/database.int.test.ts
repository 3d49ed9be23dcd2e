import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import { isoTimestamp } from './paging.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await sql`CREATE TABLE counter (id int PRIMARY KEY, n int NOT NULL)`.execute(db.db);
  await sql`INSERT INTO counter VALUES (1, 0)`.execute(db.db);
});
afterAll(() => db.drop());

// Read-modify-write in a transaction: if two requests' statements interleaved on PGlite's single
// connection, or PostgreSQL did not isolate them, increments would be lost.
it('concurrent transactions never interleave and lose no update', async () => {
  const bump = () =>
    db.db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ n: number }>`SELECT n FROM counter WHERE id = 1 FOR UPDATE`.execute(trx);
      await new Promise((r) => setTimeout(r, 1));
      await sql`UPDATE counter SET n = ${rows[0]!.n + 1} WHERE id = 1`.execute(trx);
    });
  const reads = Array.from({ length: 20 }, () => sql`SELECT 1`.execute(db.db));
  await Promise.all([...Array.from({ length: 40 }, bump), ...reads]);
  const { rows } = await sql<{ n: number }>`SELECT n FROM counter WHERE id = 1`.execute(db.db);
  expect(rows[0]!.n).toBe(40);
});

it('a failed transaction rolls back and the connection stays usable', async () => {
  await expect(
    db.db.transaction().execute(async (trx) => {
      await sql`UPDATE counter SET n = -1 WHERE id = 1`.execute(trx);
      throw new Error('boom');
    }),
  ).rejects.toThrow('boom');
  const { rows } = await sql<{ n: number }>`SELECT n FROM counter WHERE id = 1`.execute(db.db);
  expect(rows[0]!.n).toBe(40);
});

// A list that renders its timestamps in SQL must spell them exactly as Date#toISOString does for
// the same value read through the driver: milliseconds truncated, UTC, whatever the session zone.
it('isoTimestamp renders a timestamptz as the driver-read Date would', async () => {
  const { rows } = await sql<{ iso: string; date: Date }>`
    SELECT ${isoTimestamp('t')} AS iso, t AS date
    FROM (VALUES (timestamptz '2026-03-01 16:00:00.123987+08'), (timestamptz '1999-12-31 23:59:59+00'), (timestamptz '2026-07-04 00:00:00.5-05')) AS v(t)`.execute(db.db);
  expect(rows.map((r) => r.iso)).toEqual(['2026-03-01T08:00:00.123Z', '1999-12-31T23:59:59.000Z', '2026-07-04T05:00:00.500Z']);
  for (const r of rows) expect(r.iso).toBe(r.date.toISOString());
});
