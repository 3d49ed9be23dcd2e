import { sql, type Selectable } from 'kysely';
import { invalidatePrincipals } from '../../platform/authz/principal-cache.ts';
import type { z } from 'zod';
import type { Page } from '../../contracts/common.ts';
import type { Role, roleCreate, roleUpdate } from '../../contracts/org.ts';
import { BUILT_IN_ROLES, ROLE_CODES, type DataScope } from '../../contracts/permissions.ts';
import type { Db } from '../../platform/db/database.ts';
import { inTransaction, type Tx } from '../../platform/db/tx.ts';
import { AppError, conflict, notFound } from '../../platform/http/errors.ts';
import { record, type LedgerRecord, type RequestContext } from '../ledger/ledger.service.ts';
import { mixesDuties } from '../../contracts/duties.ts';
import type { OrgTables } from './org.tables.ts';

const t = (db: Db) => db.withTables<OrgTables>();

function toRole(r: Selectable<OrgTables['roles']> & { account_count: number }): Role {
  return {
    code: r.code,
    name: r.name,
    description: r.description,
    dataScope: r.data_scope as DataScope,
    customUnitIds: r.custom_unit_ids,
    permissions: r.permissions,
    builtIn: r.built_in,
    accountCount: r.account_count,
  };
}

const accountCount = sql<number>`(SELECT count(*)::int FROM account_roles ar WHERE ar.role_code = roles.code)`.as('account_count');

export async function listRoles(db: Db, page: number, pageSize: number): Promise<Page<Role>> {
  const [rows, count] = await Promise.all([
    t(db)
      .selectFrom('roles')
      .selectAll()
      .select(accountCount)
      .orderBy(sql`built_in DESC`)
      .orderBy('created_at')
      .orderBy('code')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    t(db).selectFrom('roles').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toRole), total: count.n, page, pageSize };
}

export async function getRole(db: Db, code: string): Promise<Role> {
  const row = await t(db).selectFrom('roles').selectAll().select(accountCount).where('code', '=', code).executeTakeFirst();
  if (!row) throw notFound('角色');
  return toRole(row);
}

async function assertUnitsExist(trx: Tx, ids: number[]) {
  if (ids.length === 0) return;
  const found = await t(trx).selectFrom('units').select('id').where('id', 'in', ids).execute();
  const missing = ids.filter((id) => !found.some((f) => f.id === id));
  if (missing.length > 0) {
    throw new AppError(400, 'VALIDATION', `自定义数据权限中的单位不存在: ${missing.join(', ')}`, [
      { path: 'customUnitIds', message: '包含不存在的单位' },
    ]);
  }
}

const DUTIES = '三员分立：管理权限与审计权限不能授予同一角色或同一账号';

/** A role, and every account holding it together with its other roles, keeps the duties apart. */
async function assertDutiesApart(trx: Tx, code: string, permissions: string[]) {
  if (mixesDuties(permissions)) throw new AppError(400, 'VALIDATION', DUTIES, [{ path: 'permissions', message: DUTIES }]);
  const held = await t(trx)
    .selectFrom('account_roles as mine')
    .innerJoin('account_roles as other', 'other.account_id', 'mine.account_id')
    .innerJoin('roles', 'roles.code', 'other.role_code')
    .select(['mine.account_id', 'roles.code', 'roles.permissions'])
    .where('mine.role_code', '=', code)
    .where('other.role_code', '!=', code)
    .execute();
  const byAccount = new Map<number, string[]>();
  for (const h of held) byAccount.set(h.account_id, [...(byAccount.get(h.account_id) ?? permissions), ...h.permissions]);
  if ([...byAccount.values()].some(mixesDuties)) {
    throw new AppError(400, 'VALIDATION', `${DUTIES}（有账号同时持有此角色和另一职责的角色）`, [{ path: 'permissions', message: DUTIES }]);
  }
}

function checkCustom(dataScope: DataScope, customUnitIds: number[]) {
  if (dataScope === 'custom' && customUnitIds.length === 0) {
    throw new AppError(400, 'VALIDATION', '自定义数据权限至少选择一个单位', [{ path: 'customUnitIds', message: '至少选择一个单位' }]);
  }
}

export async function createRole(db: Db, ctx: RequestContext, input: z.output<typeof roleCreate>): Promise<Role> {
  checkCustom(input.dataScope, input.customUnitIds);
  return inTransaction(db, async (trx) => {
    await assertUnitsExist(trx, input.customUnitIds);
    await assertDutiesApart(trx, input.code, input.permissions);
    const exists = await t(trx).selectFrom('roles').select('code').where('code', '=', input.code).executeTakeFirst();
    if (exists) throw conflict('角色代码已存在', 'code');
    await t(trx)
      .insertInto('roles')
      .values({
        code: input.code,
        name: input.name,
        description: input.description,
        data_scope: input.dataScope,
        custom_unit_ids: input.dataScope === 'custom' ? input.customUnitIds : [],
        permissions: [...new Set(input.permissions)].sort(),
      })
      .execute();
    const role = await getRole(trx, input.code);
    await record(trx, ctx, { action: 'org.role.create', subjectType: 'role', subjectId: role.code, payload: { after: role } });
    return role;
  });
}

export async function updateRole(db: Db, ctx: RequestContext, code: string, input: z.output<typeof roleUpdate>): Promise<Role> {
  return inTransaction(db, async (trx) => {
    const before = await getRole(trx, code);
    const dataScope = input.dataScope ?? before.dataScope;
    const customUnitIds = dataScope === 'custom' ? (input.customUnitIds ?? before.customUnitIds) : [];
    checkCustom(dataScope, customUnitIds);
    await assertUnitsExist(trx, customUnitIds);
    if (code === 'admin' && input.permissions && !input.permissions.includes('org:role:edit')) {
      // Otherwise nobody could ever grant a permission again.
      throw new AppError(400, 'VALIDATION', '系统管理员角色必须保留“维护角色权限”', [{ path: 'permissions', message: '不能移除 org:role:edit' }]);
    }
    if (input.permissions) await assertDutiesApart(trx, code, input.permissions);
    await t(trx)
      .updateTable('roles')
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        data_scope: dataScope,
        custom_unit_ids: customUnitIds,
        ...(input.permissions !== undefined ? { permissions: [...new Set(input.permissions)].sort() } : {}),
        updated_at: new Date(),
      })
      .where('code', '=', code)
      .execute();
    const after = await getRole(trx, code);
    await record(trx, ctx, { action: 'org.role.update', subjectType: 'role', subjectId: code, payload: { before, after } });
    invalidatePrincipals();
    return after;
  });
}

/**
 * Creates any missing built-in role with its defaults, and gives existing built-in roles the
 * default permissions a newer release added — each exactly once (role_default_grants), so an
 * administrator's later removal stands. Never overwrites other edits; a grant that would mix
 * administration and audit duties in a role an administrator changed is left out.
 */
export async function ensureBuiltInRoles(trx: Tx, ctx: RequestContext): Promise<void> {
  const existing = new Map((await t(trx).selectFrom('roles').select(['code', 'permissions', 'built_in']).execute()).map((r) => [r.code, r]));
  const missing = ROLE_CODES.filter((c) => !existing.has(c));
  if (missing.length > 0) {
    await t(trx)
      .insertInto('roles')
      .values(
        missing.map((code) => {
          const r = BUILT_IN_ROLES[code];
          return { code, name: r.name, description: r.description, data_scope: r.dataScope, custom_unit_ids: [], permissions: [...r.permissions].sort(), built_in: true };
        }),
      )
      .execute();
    await record(trx, ctx, ...missing.map((code) => ({ action: 'org.role.create', subjectType: 'role', subjectId: code, payload: { after: BUILT_IN_ROLES[code] } })));
  }

  const given = await t(trx).selectFrom('role_default_grants').select(['role_code', 'permission']).execute();
  const wasGiven = new Set(given.map((g) => `${g.role_code}\u0000${g.permission}`));
  const grants: Array<{ role_code: string; permission: string }> = [];
  const updates: LedgerRecord[] = [];
  for (const code of ROLE_CODES) {
    const offered = BUILT_IN_ROLES[code].permissions.filter((p) => !wasGiven.has(`${code}\u0000${p}`));
    if (offered.length === 0) continue;
    for (const p of offered) grants.push({ role_code: code, permission: p });
    const role = existing.get(code);
    if (!role?.built_in) continue; // just created with every default, or a custom role of that code
    const before = [...role.permissions].sort();
    const after = [...new Set([...before, ...offered])].sort();
    if (after.length === before.length) continue;
    if (mixesDuties(after)) continue;
    await t(trx).updateTable('roles').set({ permissions: after, updated_at: new Date() }).where('code', '=', code).execute();
    updates.push({ action: 'org.role.update', subjectType: 'role', subjectId: code, payload: { before: { permissions: before }, after: { permissions: after }, reason: '新版本的默认权限' } });
  }
  if (grants.length > 0) await t(trx).insertInto('role_default_grants').values(grants).onConflict((oc) => oc.doNothing()).execute();
  if (updates.length > 0) {
    await record(trx, ctx, ...updates);
    invalidatePrincipals();
  }
}
