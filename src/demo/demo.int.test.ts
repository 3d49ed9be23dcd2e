import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import { DEMO_SEED, seedDemo } from './index.ts';
import { demoPersonnel, DEMO_UNITS } from './org.demo.ts';
import { seededRandom } from './random.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

it('is deterministic: the same seed gives the same brigade', () => {
  const ids = new Map(DEMO_UNITS.map((u, i) => [u.key, i + 1]));
  expect(demoPersonnel(seededRandom(DEMO_SEED), ids)).toEqual(demoPersonnel(seededRandom(DEMO_SEED), ids));
});

it('seeds one brigade with four squadrons, ~120 people (~40% auxiliaries), one account per role, once', async () => {
  const first = await seedDemo(db, 'Demo#Pass2026');
  expect(first).toMatchObject({ seeded: true, units: 7, people: 120 });
  const second = await seedDemo(db, 'Demo#Pass2026');
  expect(second.seeded).toBe(false);
  const { rows } = await sql<{ kind: string; n: number }>`SELECT kind, count(*)::int AS n FROM units GROUP BY kind ORDER BY kind`.execute(db.db);
  expect(rows).toEqual([
    { kind: 'brigade', n: 1 },
    { kind: 'detachment', n: 1 },
    { kind: 'office', n: 1 },
    { kind: 'squadron', n: 4 },
  ]);
  const aux = await sql<{ share: number }>`SELECT avg((category = 'auxiliary')::int)::float AS share FROM personnel`.execute(db.db);
  expect(aux.rows[0]!.share).toBeGreaterThan(0.35);
  expect(aux.rows[0]!.share).toBeLessThan(0.45);
  const accounts = await sql<{ username: string }>`SELECT username FROM accounts ORDER BY username`.execute(db.db);
  expect(accounts.rows.map((r) => r.username).sort()).toEqual(['admin', 'auditor', 'auxiliary', 'inspector', 'leader', 'legal', 'officer', 'squadron_leader']);
  const names = await sql<{ n: number }>`SELECT count(DISTINCT badge_no)::int AS n FROM personnel`.execute(db.db);
  expect(names.rows[0]!.n).toBe(120);
});
