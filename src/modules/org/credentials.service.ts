import { sql } from 'kysely';
import { isPermission, type Permission } from '../../contracts/permissions.ts';
import type { Me } from '../../contracts/auth.ts';
import type { Principal } from '../../platform/authz/principal.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Tx } from '../../platform/db/tx.ts';
import { contains } from '../../platform/db/paging.ts';
import type { OrgTables } from './org.tables.ts';
import { resolveScope, type RoleScope } from './units.service.ts';

// The account side of signing in: lookup, lockout bookkeeping, and turning an account into the
// principal a request acts as. Sessions and the login log belong to the auth module.

const t = (db: Db) => db.withTables<OrgTables>();

export const LOCKOUT = { maxFailures: 5, windowMinutes: 15, lockMinutes: 15 } as const;

export interface LoginAccount {
  id: number;
  username: string;
  passwordHash: string;
  active: boolean;
  personStatus: string;
  lockedUntil: Date | null;
}

export async function findLoginAccount(db: Db, username: string): Promise<LoginAccount | undefined> {
  const row = await t(db)
    .selectFrom('accounts')
    .innerJoin('personnel', 'personnel.id', 'accounts.person_id')
    .select(['accounts.id', 'accounts.username', 'accounts.password_hash', 'accounts.active', 'accounts.locked_until', 'personnel.status'])
    .where(sql`lower(accounts.username)`, '=', username.toLowerCase())
    .executeTakeFirst();
  if (!row) return undefined;
  return { id: row.id, username: row.username, passwordHash: row.password_hash, active: row.active, personStatus: row.status, lockedUntil: row.locked_until };
}

/** Counts a failure inside the window; the fifth locks the account. Returns the lock end, if any. */
export async function noteLoginFailure(trx: Tx, accountId: number, now: Date): Promise<Date | null> {
  const windowStart = new Date(now.getTime() - LOCKOUT.windowMinutes * 60_000);
  const row = await t(trx)
    .updateTable('accounts')
    .set({
      failed_count: sql<number>`CASE WHEN first_failed_at IS NULL OR first_failed_at < ${windowStart} THEN 1 ELSE failed_count + 1 END`,
      first_failed_at: sql<Date>`CASE WHEN first_failed_at IS NULL OR first_failed_at < ${windowStart} THEN ${now} ELSE first_failed_at END`,
    })
    .where('id', '=', accountId)
    .returning(['failed_count'])
    .executeTakeFirstOrThrow();
  if (row.failed_count < LOCKOUT.maxFailures) return null;
  const until = new Date(now.getTime() + LOCKOUT.lockMinutes * 60_000);
  await t(trx).updateTable('accounts').set({ locked_until: until, failed_count: 0, first_failed_at: null }).where('id', '=', accountId).execute();
  return until;
}

export async function noteLoginSuccess(trx: Tx, accountId: number, now: Date): Promise<void> {
  await t(trx)
    .updateTable('accounts')
    .set({ failed_count: 0, first_failed_at: null, locked_until: null, last_login_at: now })
    .where('id', '=', accountId)
    .execute();
}

export async function passwordHashOf(db: Db, accountId: number): Promise<string> {
  const row = await t(db).selectFrom('accounts').select('password_hash').where('id', '=', accountId).executeTakeFirstOrThrow();
  return row.password_hash;
}

export async function setOwnPassword(trx: Tx, accountId: number, passwordHash: string): Promise<void> {
  await t(trx)
    .updateTable('accounts')
    .set({ password_hash: passwordHash, must_change_password: false, password_changed_at: new Date(), updated_at: new Date() })
    .where('id', '=', accountId)
    .execute();
}

export interface AccountPrincipal {
  principal: Principal;
  me: Me;
  usable: boolean;
}

/**
 * Everything a request needs about who is acting, in one query plus (for unit-tree scopes) one
 * more. `usable` is false when the account is disabled or the person no longer serves.
 */
export async function principalForAccount(db: Db, accountId: number): Promise<AccountPrincipal | undefined> {
  const row = await t(db)
    .selectFrom('accounts')
    .innerJoin('personnel', 'personnel.id', 'accounts.person_id')
    .innerJoin('units', 'units.id', 'personnel.unit_id')
    .select([
      'accounts.id',
      'accounts.username',
      'accounts.active',
      'accounts.must_change_password',
      'personnel.id as person_id',
      'personnel.name',
      'personnel.badge_no',
      'personnel.status',
      'personnel.unit_id',
      'units.name as unit_name',
      sql<Array<RoleScope & { code: string; permissions: string[] }>>`coalesce((
        SELECT json_agg(json_build_object('code', r.code, 'data_scope', r.data_scope,
               'custom_unit_ids', r.custom_unit_ids, 'permissions', r.permissions) ORDER BY r.code)
        FROM account_roles ar JOIN roles r ON r.code = ar.role_code WHERE ar.account_id = accounts.id), '[]'::json)`.as('roles'),
      sql<number[]>`(WITH RECURSIVE sub(id) AS (
          SELECT personnel.unit_id UNION ALL SELECT u.id FROM units u JOIN sub ON u.parent_id = sub.id)
        SELECT array_agg(id) FROM sub)`.as('subtree'),
    ])
    .where('accounts.id', '=', accountId)
    .executeTakeFirst();
  if (!row) return undefined;
  const permissions = new Set<Permission>();
  for (const r of row.roles) for (const p of r.permissions) if (isPermission(p)) permissions.add(p);
  const scope = resolveScope(row.roles, row.unit_id, row.person_id, row.subtree);
  const roles = row.roles.map((r) => r.code);
  return {
    usable: row.active && row.status === 'active',
    principal: {
      kind: 'session',
      accountId: row.id,
      personId: row.person_id,
      name: `${row.name}(${row.badge_no})`,
      unitId: row.unit_id,
      roles,
      permissions,
      scope,
    },
    me: {
      accountId: row.id,
      username: row.username,
      personId: row.person_id,
      personName: row.name,
      badgeNo: row.badge_no,
      unitId: row.unit_id,
      unitName: row.unit_name,
      roles,
      permissions: [...permissions].sort(),
      mustChangePassword: row.must_change_password,
    },
  };
}

/** Usernames and names for display next to other modules' rows (sessions, tokens). */
export async function accountLabels(
  db: Db,
  by: { ids: number[] } | { usernameLike: string },
): Promise<Map<number, { username: string; personName: string }>> {
  if ('ids' in by && by.ids.length === 0) return new Map();
  let q = t(db)
    .selectFrom('accounts')
    .innerJoin('personnel', 'personnel.id', 'accounts.person_id')
    .select(['accounts.id', 'accounts.username', 'personnel.name']);
  q = 'ids' in by ? q.where('accounts.id', '=', sql<number>`ANY(${by.ids})`) : q.where('accounts.username', 'ilike', contains(by.usernameLike));
  const rows = await q.execute();
  return new Map(rows.map((r) => [r.id, { username: r.username, personName: r.name }]));
}

export async function accountIdsOfPeople(db: Db, personIds: number[]): Promise<number[]> {
  if (personIds.length === 0) return [];
  const rows = await t(db).selectFrom('accounts').select('id').where('person_id', '=', sql<number>`ANY(${personIds})`).execute();
  return rows.map((r) => r.id);
}
