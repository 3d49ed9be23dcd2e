import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';

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
