import { sql } from 'kysely';
import { invalidatePrincipals } from '../../platform/authz/principal-cache.ts';
import type { z } from 'zod';
import type { Page } from '../../contracts/common.ts';
import type { Account, accountCreate, accountListQuery, accountUpdate } from '../../contracts/org.ts';
import { AUXILIARY_PERMISSIONS, mixesDuties } from '../../contracts/duties.ts';
import type { Permission } from '../../contracts/permissions.ts';
import type { ResolvedScope } from '../../platform/authz/principal.ts';
import { inScope } from '../../platform/authz/scope.ts';
import type { Db } from '../../platform/db/database.ts';
import { inTransaction, type Tx } from '../../platform/db/tx.ts';
import { contains, countAll, totalCount, totalOf } from '../../platform/db/paging.ts';
import { AppError, conflict, notFound, pgErrorCode, PG_UNIQUE_VIOLATION } from '../../platform/http/errors.ts';
import { hashPassword } from '../../platform/password.ts';
import { record, type RequestContext } from '../ledger/ledger.service.ts';
import { endSessionsOfAccounts } from '../auth/sessions.service.ts';
import type { OrgTables } from './org.tables.ts';

const t = (db: Db) => db.withTables<OrgTables>();

const roleList = sql<string[]>`coalesce((SELECT array_agg(ar.role_code ORDER BY ar.role_code) FROM account_roles ar WHERE ar.account_id = accounts.id), '{}')`.as('roles');

function selectAccounts(db: Db, scope: ResolvedScope) {
  return t(db)
    .selectFrom('accounts')
    .innerJoin('personnel', 'personnel.id', 'accounts.person_id')
    .innerJoin('units', 'units.id', 'personnel.unit_id')
    .where((eb) => inScope(eb, scope, 'personnel.unit_id', 'personnel.id'));
}

const ACCOUNT_COLUMNS = [
  'accounts.id',
  'accounts.username',
  'accounts.person_id',
  'accounts.active',
  'accounts.must_change_password',
  'accounts.locked_until',
  'accounts.last_login_at',
  'accounts.created_at',
  'personnel.name as person_name',
  'personnel.badge_no',
  'units.name as unit_name',
] as const;

interface AccountRow {
  id: number;
  username: string;
  person_id: number;
  active: boolean;
  must_change_password: boolean;
  locked_until: Date | null;
  last_login_at: Date | null;
  created_at: Date;
  person_name: string;
  badge_no: string;
  unit_name: string;
  roles: string[];
}

function toAccount(r: AccountRow, now = new Date()): Account {
  return {
    id: r.id,
    username: r.username,
    personId: r.person_id,
    personName: r.person_name,
    badgeNo: r.badge_no,
    unitName: r.unit_name,
    roles: r.roles,
    active: r.active,
    mustChangePassword: r.must_change_password,
    lockedUntil: r.locked_until && r.locked_until > now ? r.locked_until.toISOString() : null,
    lastLoginAt: r.last_login_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
  };
}

export type AccountFilter = Omit<z.output<typeof accountListQuery>, 'page' | 'pageSize'>;

function filtered(db: Db, scope: ResolvedScope, f: AccountFilter) {
  let q = selectAccounts(db, scope);
  if (f.q) {
    const like = contains(f.q);
    q = q.where((eb) => eb.or([eb('accounts.username', 'ilike', like), eb('personnel.name', 'ilike', like), eb('personnel.badge_no', 'ilike', like)]));
  }
  if (f.role) q = q.where(sql<boolean>`EXISTS (SELECT 1 FROM account_roles ar WHERE ar.account_id = accounts.id AND ar.role_code = ${f.role})`);
  if (f.active) q = q.where('accounts.active', '=', f.active === 'true');
  return q;
}

export async function listAccounts(db: Db, scope: ResolvedScope, query: z.output<typeof accountListQuery>): Promise<Page<Account>> {
  const { page, pageSize, ...f } = query;
  const q = filtered(db, scope, f);
  const rows = await q.select([...ACCOUNT_COLUMNS, roleList, totalCount]).orderBy('accounts.id').limit(pageSize).offset((page - 1) * pageSize).execute();
  const total = await totalOf(rows, page, async () => (await q.select(countAll).executeTakeFirstOrThrow()).n);
  return { items: rows.map((r) => toAccount(r)), total, page, pageSize };
}

export async function* exportAccounts(db: Db, scope: ResolvedScope, f: AccountFilter): AsyncGenerator<Account> {
  const q = filtered(db, scope, f);
  for (let offset = 0; ; offset += 1000) {
    const rows = await q.select([...ACCOUNT_COLUMNS, roleList]).orderBy('accounts.id').limit(1000).offset(offset).execute();
    for (const r of rows) yield toAccount(r);
    if (rows.length < 1000) return;
  }
}

export async function getAccount(db: Db, scope: ResolvedScope, id: number): Promise<Account> {
  const row = await selectAccounts(db, scope).select([...ACCOUNT_COLUMNS, roleList]).where('accounts.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('账号');
  return toAccount(row);
}

const ALL: ResolvedScope = { all: true, unitIds: [], selfPersonId: null };

const roleError = (message: string) => new AppError(400, 'VALIDATION', message, [{ path: 'roles', message }]);

/**
 * The one check on every grant of roles to an account:
 * - the roles exist;
 * - an auxiliary (辅警) gets no police-only role and no permission beyond an assistant's;
 * - the account's roles together never mix administration with audit (三员分立);
 * - no escalation: a grantor who cannot edit roles may only grant roles whose permissions they
 *   hold themselves, and a data scope no wider than their own.
 */
async function assertGrantable(trx: Tx, ctx: RequestContext, personId: number, codes: string[]) {
  const roles = await t(trx).selectFrom('roles').select(['code', 'permissions', 'data_scope']).where('code', 'in', codes).execute();
  const missing = codes.filter((c) => !roles.some((r) => r.code === c));
  if (missing.length > 0) throw roleError(`角色不存在: ${missing.join(', ')}`);
  const person = await t(trx).selectFrom('personnel').select(['category']).where('id', '=', personId).executeTakeFirstOrThrow();
  if (person.category === 'auxiliary') {
    const wrong = roles.filter((r) => POLICE_ONLY_ROLES.has(r.code) || r.permissions.some((p) => !AUXILIARY_PERMISSIONS.has(p as Permission)));
    if (wrong.length > 0) throw roleError(`辅警不得授予以下角色: ${wrong.map((r) => r.code).join(', ')}（辅警只能授予协助类权限）`);
  }
  if (mixesDuties(roles.flatMap((r) => r.permissions))) {
    throw roleError('三员分立：同一账号不能同时拥有管理权限和审计权限');
  }
  const grantor = ctx.principal;
  if (!grantor.permissions.has('org:role:edit')) {
    const beyond = roles.filter((r) => r.permissions.some((p) => !grantor.permissions.has(p as Permission)) || (r.data_scope === 'all' && !grantor.scope.all));
    if (beyond.length > 0) throw roleError(`不能授予超出本人权限或数据范围的角色: ${beyond.map((r) => r.code).join(', ')}`);
  }
}

/** Auxiliaries may never hold a role that decides penalties or supervises. */
const POLICE_ONLY_ROLES = new Set(['admin', 'auditor', 'leader', 'squadron_leader', 'legal', 'inspector', 'officer']);

export async function createAccount(db: Db, ctx: RequestContext, input: z.output<typeof accountCreate>): Promise<Account> {
  const passwordHash = await hashPassword(input.password);
  return inTransaction(db, async (trx) => {
    const person = await t(trx)
      .selectFrom('personnel')
      .select(['id', 'status'])
      .where('id', '=', input.personId)
      .where((eb) => inScope(eb, ctx.principal.scope, 'personnel.unit_id', 'personnel.id'))
      .executeTakeFirst();
    if (!person) throw new AppError(400, 'VALIDATION', '人员不存在或不在您的数据权限内', [{ path: 'personId', message: '人员无效' }]);
    if (person.status !== 'active') throw new AppError(400, 'VALIDATION', '该人员不在职，不能开通账号', [{ path: 'personId', message: '人员不在职' }]);
    const roles = [...new Set(input.roles)].sort();
    await assertGrantable(trx, ctx, input.personId, roles);
    const clash = await t(trx)
      .selectFrom('accounts')
      .select(['username', 'person_id'])
      .where((eb) => eb.or([eb(sql`lower(username)`, '=', input.username.toLowerCase()), eb('person_id', '=', input.personId)]))
      .execute();
    if (clash.some((c) => c.person_id === input.personId)) throw conflict('该人员已有账号', 'personId');
    if (clash.length > 0) throw conflict('用户名已被使用', 'username');
    const { id } = await t(trx)
      .insertInto('accounts')
      // A password set by an administrator is known to two people: the owner must replace it.
      .values({ username: input.username, person_id: input.personId, password_hash: passwordHash, must_change_password: true })
      .returning('id')
      .executeTakeFirstOrThrow()
      .catch((e: unknown) => {
        // A concurrent request won the race the checks above could not see.
        if (pgErrorCode(e) !== PG_UNIQUE_VIOLATION) throw e;
        throw String((e as { constraint?: string }).constraint).includes('person') ? conflict('该人员已有账号', 'personId') : conflict('用户名已被使用', 'username');
      });
    await t(trx).insertInto('account_roles').values(roles.map((role_code) => ({ account_id: id, role_code }))).execute();
    const account = await getAccount(trx, ALL, id);
    await record(trx, ctx, { action: 'org.account.create', subjectType: 'account', subjectId: id, payload: { after: account } });
    return account;
  });
}

export async function updateAccount(db: Db, ctx: RequestContext, id: number, input: z.output<typeof accountUpdate>): Promise<Account> {
  return inTransaction(db, async (trx) => {
    const before = await getAccount(trx, ctx.principal.scope, id);
    if (input.active === false && id === ctx.principal.accountId) throw conflict('不能停用自己的账号');
    if (input.roles) {
      const roles = [...new Set(input.roles)].sort();
      if (id === ctx.principal.accountId) throw conflict('不能修改自己的角色');
      await assertGrantable(trx, ctx, before.personId, roles);
      await t(trx).deleteFrom('account_roles').where('account_id', '=', id).execute();
      await t(trx).insertInto('account_roles').values(roles.map((role_code) => ({ account_id: id, role_code }))).execute();
    }
    if (input.active !== undefined) await t(trx).updateTable('accounts').set({ active: input.active, updated_at: new Date() }).where('id', '=', id).execute();
    const after = await getAccount(trx, ALL, id);
    await record(trx, ctx, { action: 'org.account.update', subjectType: 'account', subjectId: id, payload: { before, after } });
    invalidatePrincipals();
    // Role or status changes take effect now, not at the next login.
    if (input.active === false || input.roles) await endSessionsOfAccounts(trx, ctx, [id], input.active === false ? '账号停用' : '角色变更');
    return after;
  });
}

export async function resetPassword(db: Db, ctx: RequestContext, id: number, password: string): Promise<void> {
  const passwordHash = await hashPassword(password);
  await inTransaction(db, async (trx) => {
    await getAccount(trx, ctx.principal.scope, id);
    await t(trx)
      .updateTable('accounts')
      .set({ password_hash: passwordHash, must_change_password: true, failed_count: 0, locked_until: null, password_changed_at: new Date(), updated_at: new Date() })
      .where('id', '=', id)
      .execute();
    await record(trx, ctx, { action: 'org.account.password.reset', subjectType: 'account', subjectId: id });
    await endSessionsOfAccounts(trx, ctx, [id], '密码被重置');
  });
}

export async function unlockAccount(db: Db, ctx: RequestContext, id: number): Promise<Account> {
  return inTransaction(db, async (trx) => {
    const before = await getAccount(trx, ctx.principal.scope, id);
    await t(trx).updateTable('accounts').set({ failed_count: 0, first_failed_at: null, locked_until: null, updated_at: new Date() }).where('id', '=', id).execute();
    await record(trx, ctx, { action: 'org.account.unlock', subjectType: 'account', subjectId: id, payload: { before: { lockedUntil: before.lockedUntil } } });
    return getAccount(trx, ALL, id);
  });
}
