import { sql } from 'kysely';
import type { Tx } from '../../platform/db/tx.ts';
import type { Db } from '../../platform/db/database.ts';
import { record, type RequestContext } from '../ledger/ledger.service.ts';
import type { OrgTables } from './org.tables.ts';

// Set-based creation for bootstrap paths (demo data, `clearlane admin create`): one multi-row
// INSERT per table, every created row ledgered in the same transaction.

const t = (db: Db) => db.withTables<OrgTables>();

export interface NewUnit {
  key: string;
  parentKey: string | null;
  name: string;
  kind: string;
  code: string | null;
  sortOrder: number;
}

/** Inserts a tree level by level (parents first) and returns key → id. */
export async function createUnitTree(trx: Tx, ctx: RequestContext, units: NewUnit[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  let pending = units;
  while (pending.length > 0) {
    const ready = pending.filter((u) => u.parentKey === null || ids.has(u.parentKey));
    if (ready.length === 0) throw new Error('unit tree has a missing parent or a cycle');
    const rows = await t(trx)
      .insertInto('units')
      .values(ready.map((u) => ({ parent_id: u.parentKey === null ? null : ids.get(u.parentKey)!, name: u.name, kind: u.kind, code: u.code, sort_order: u.sortOrder })))
      .returning(['id', 'code', 'name', 'parent_id'])
      .execute();
    ready.forEach((u, i) => ids.set(u.key, rows[i]!.id));
    await record(trx, ctx, ...ready.map((u, i) => ({ action: 'org.unit.create', subjectType: 'unit', subjectId: rows[i]!.id, payload: { after: { name: u.name, kind: u.kind, code: u.code, parentId: rows[i]!.parent_id } } })));
    pending = pending.filter((u) => !ready.includes(u));
  }
  return ids;
}

export interface NewPerson {
  name: string;
  badgeNo: string;
  category: 'police' | 'auxiliary';
  unitId: number;
  position: string | null;
  phone: string | null;
}

export async function createPeople(trx: Tx, ctx: RequestContext, people: NewPerson[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (let i = 0; i < people.length; i += 1000) {
    const chunk = people.slice(i, i + 1000);
    const rows = await t(trx)
      .insertInto('personnel')
      .values(chunk.map((p) => ({ name: p.name, badge_no: p.badgeNo, category: p.category, unit_id: p.unitId, position: p.position, phone: p.phone })))
      .returning(['id', 'badge_no'])
      .execute();
    rows.forEach((r) => ids.set(r.badge_no, r.id));
    await record(trx, ctx, ...chunk.map((p) => ({ action: 'org.person.create', subjectType: 'person', subjectId: ids.get(p.badgeNo)!, payload: { after: { ...p, phone: undefined } } })));
  }
  return ids;
}

export interface NewAccount {
  username: string;
  personId: number;
  passwordHash: string;
  roles: string[];
  mustChangePassword: boolean;
}

export async function createAccounts(trx: Tx, ctx: RequestContext, accounts: NewAccount[]): Promise<void> {
  if (accounts.length === 0) return;
  const rows = await t(trx)
    .insertInto('accounts')
    .values(accounts.map((a) => ({ username: a.username, person_id: a.personId, password_hash: a.passwordHash, must_change_password: a.mustChangePassword })))
    .returning(['id', 'username'])
    .execute();
  const idOf = new Map(rows.map((r) => [r.username, r.id]));
  await t(trx)
    .insertInto('account_roles')
    .values(accounts.flatMap((a) => a.roles.map((role_code) => ({ account_id: idOf.get(a.username)!, role_code }))))
    .execute();
  await record(trx, ctx, ...accounts.map((a) => ({ action: 'org.account.create', subjectType: 'account', subjectId: idOf.get(a.username)!, payload: { after: { username: a.username, personId: a.personId, roles: a.roles } } })));
}

export async function countUnits(db: Db): Promise<number> {
  const row = await t(db).selectFrom('units').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
  return row.n;
}

export async function topUnit(db: Db): Promise<{ id: number; name: string } | undefined> {
  return t(db).selectFrom('units').select(['id', 'name']).where('parent_id', 'is', null).orderBy('id').executeTakeFirst();
}

export async function findAccountByUsername(db: Db, username: string): Promise<{ id: number } | undefined> {
  return t(db).selectFrom('accounts').select('id').where(sql`lower(username)`, '=', username.toLowerCase()).executeTakeFirst();
}

export async function findPersonByBadge(db: Db, badgeNo: string): Promise<{ id: number } | undefined> {
  return t(db).selectFrom('personnel').select('id').where('badge_no', '=', badgeNo).executeTakeFirst();
}
