import type { Database } from '../platform/db/database.ts';
import { bootstrapContext } from '../platform/bootstrap.ts';
import { hashPassword } from '../platform/password.ts';
import { countUnits, createAccounts, createPeople, createUnitTree } from '../modules/org/bulk.service.ts';
import { DEMO_ACCOUNT_PEOPLE, DEMO_UNITS, demoPersonnel } from './org.demo.ts';
import { seededRandom } from './random.ts';
import { ensureBuiltInRoles } from '../modules/org/roles.service.ts';

export const DEMO_SEED = 20261126;

export interface DemoSummary {
  seeded: boolean;
  units: number;
  people: number;
  accounts: string[];
}

/**
 * Seeds the demo brigade into an empty database, deterministically (fixed seed), in one
 * transaction. A database that already has units is left alone. Later issues add their demo
 * data here, after the organization.
 */
export async function seedDemo(database: Database, password: string): Promise<DemoSummary> {
  const accounts = DEMO_ACCOUNT_PEOPLE.map((p) => p.role);
  if ((await countUnits(database.db)) > 0) return { seeded: false, units: 0, people: 0, accounts };
  const r = seededRandom(DEMO_SEED);
  const passwordHash = await hashPassword(password);
  const ctx = bootstrapContext('演示数据');
  return database.db.transaction().execute(async (trx) => {
    await ensureBuiltInRoles(trx, ctx);
    const unitIds = await createUnitTree(trx, ctx, DEMO_UNITS);
    const people = demoPersonnel(r, unitIds);
    const personIds = await createPeople(trx, ctx, people);
    await createAccounts(
      trx,
      ctx,
      DEMO_ACCOUNT_PEOPLE.map((p) => ({ username: p.role, personId: personIds.get(p.badgeNo)!, passwordHash, roles: [p.role], mustChangePassword: false })),
    );
    return { seeded: true, units: unitIds.size, people: people.length, accounts };
  });
}
