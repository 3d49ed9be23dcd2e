import { sql, type Selectable } from 'kysely';
import { invalidatePrincipals } from '../../platform/authz/principal-cache.ts';
import type { z } from 'zod';
import type { Unit, UnitKind, unitCreate, unitListQuery, unitUpdate } from '../../contracts/org.ts';
import type { DataScope } from '../../contracts/permissions.ts';
import type { Page } from '../../contracts/common.ts';
import type { ResolvedScope } from '../../platform/authz/principal.ts';
import { inScope } from '../../platform/authz/scope.ts';
import type { Db } from '../../platform/db/database.ts';
import { inTransaction } from '../../platform/db/tx.ts';
import { contains } from '../../platform/db/paging.ts';
import { AppError, conflict, notFound, pgErrorCode, PG_UNIQUE_VIOLATION } from '../../platform/http/errors.ts';
import { record, type RequestContext } from '../ledger/ledger.service.ts';
import type { OrgTables } from './org.tables.ts';

const t = (db: Db) => db.withTables<OrgTables>();

type UnitRow = Selectable<OrgTables['units']>;

export function toUnit(r: Pick<UnitRow, 'id' | 'parent_id' | 'name' | 'kind' | 'code' | 'sort_order' | 'active'>): Unit {
  return {
    id: r.id,
    parentId: r.parent_id,
    name: r.name,
    kind: r.kind as UnitKind,
    code: r.code,
    sortOrder: r.sort_order,
    active: r.active,
  };
}

const UNIT_COLUMNS = ['id', 'parent_id', 'name', 'kind', 'code', 'sort_order', 'active'] as const;

/** Ids of `rootId` and every unit below it. */
export function subtreeIds(links: ReadonlyArray<{ id: number; parent_id: number | null }>, rootId: number): number[] {
  const children = new Map<number, number[]>();
  for (const u of links) {
    if (u.parent_id === null) continue;
    const list = children.get(u.parent_id) ?? [];
    list.push(u.id);
    children.set(u.parent_id, list);
  }
  const out: number[] = [];
  const stack = [rootId];
  while (stack.length > 0) {
    const id = stack.pop()!;
    out.push(id);
    stack.push(...(children.get(id) ?? []));
  }
  return out;
}

export interface RoleScope {
  data_scope: string;
  custom_unit_ids: number[];
}

/**
 * Union of the roles' data scopes as unit ids. Pure: the caller loads the person's unit subtree
 * in the same query as the roles, so resolving a principal costs one round trip.
 */
export function resolveScope(roles: RoleScope[], unitId: number, personId: number, subtree: number[]): ResolvedScope {
  const scopes = new Set(roles.map((r) => r.data_scope as DataScope));
  if (scopes.has('all')) return { all: true, unitIds: [], selfPersonId: personId };
  const unitIds = new Set<number>();
  if (scopes.has('unit')) unitIds.add(unitId);
  for (const r of roles) if (r.data_scope === 'custom') r.custom_unit_ids.forEach((id) => unitIds.add(id));
  if (scopes.has('unitTree')) subtree.forEach((id) => unitIds.add(id));
  // The own record is reached through a `self` role only: a custom scope of 二中队 means 二中队.
  return { all: false, unitIds: [...unitIds].sort((a, b) => a - b), selfPersonId: scopes.has('self') ? personId : null };
}

export async function unitTree(db: Db, scope: ResolvedScope): Promise<Unit[]> {
  const rows = await t(db)
    .selectFrom('units')
    .select(UNIT_COLUMNS)
    .where((eb) => inScope(eb, scope, 'units.id'))
    .orderBy('sort_order')
    .orderBy('id')
    .execute();
  return rows.map(toUnit);
}

export async function listUnits(db: Db, scope: ResolvedScope, q: z.output<typeof unitListQuery>): Promise<Page<Unit>> {
  let query = t(db)
    .selectFrom('units')
    .where((eb) => inScope(eb, scope, 'units.id'));
  if (q.q) {
    const like = contains(q.q);
    query = query.where((eb) => eb.or([eb('name', 'ilike', like), eb('code', 'ilike', like)]));
  }
  if (q.kind) query = query.where('kind', '=', q.kind);
  if (q.active) query = query.where('active', '=', q.active === 'true');
  const [items, count] = await Promise.all([
    query
      .select(UNIT_COLUMNS)
      .orderBy('sort_order')
      .orderBy('id')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute(),
    query.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: items.map(toUnit), total: count.n, page: q.page, pageSize: q.pageSize };
}

export async function getUnit(db: Db, scope: ResolvedScope, id: number): Promise<Unit> {
  const row = await t(db)
    .selectFrom('units')
    .select(UNIT_COLUMNS)
    .where('id', '=', id)
    .where((eb) => inScope(eb, scope, 'units.id'))
    .executeTakeFirst();
  if (!row) throw notFound('单位');
  return toUnit(row);
}

function translateUnitError(e: unknown): never {
  if (pgErrorCode(e) === PG_UNIQUE_VIOLATION) {
    const detail = String((e as { constraint?: string }).constraint ?? (e as Error).message);
    if (detail.includes('code')) throw conflict('机构代码已被使用', 'code');
    throw conflict('同一上级单位下已有同名单位', 'name');
  }
  throw e;
}

export async function createUnit(db: Db, ctx: RequestContext, input: z.output<typeof unitCreate>): Promise<Unit> {
  const scope = ctx.principal.scope;
  return inTransaction(db, async (trx) => {
    const parent = await getUnit(trx, scope, input.parentId).catch(() => {
      throw new AppError(400, 'VALIDATION', '上级单位不存在或不在您的数据权限内', [{ path: 'parentId', message: '上级单位无效' }]);
    });
    if (!parent.active) throw new AppError(400, 'VALIDATION', '上级单位已停用', [{ path: 'parentId', message: '上级单位已停用' }]);
    const row = await t(trx)
      .insertInto('units')
      .values({ parent_id: input.parentId, name: input.name, kind: input.kind, code: input.code ?? null, sort_order: input.sortOrder })
      .returning(UNIT_COLUMNS)
      .executeTakeFirstOrThrow()
      .catch(translateUnitError);
    const unit = toUnit(row);
    await record(trx, ctx, { action: 'org.unit.create', subjectType: 'unit', subjectId: unit.id, payload: { after: unit } });
    invalidatePrincipals();
    return unit;
  });
}

export async function updateUnit(db: Db, ctx: RequestContext, id: number, input: z.output<typeof unitUpdate>): Promise<Unit> {
  const scope = ctx.principal.scope;
  return inTransaction(db, async (trx) => {
    const before = await getUnit(trx, scope, id);
    if (input.parentId !== undefined && input.parentId !== before.parentId) {
      if (before.parentId === null) throw new AppError(400, 'VALIDATION', '顶级单位不能移动', [{ path: 'parentId', message: '顶级单位不能移动' }]);
      await getUnit(trx, scope, input.parentId).catch(() => {
        throw new AppError(400, 'VALIDATION', '上级单位不存在或不在您的数据权限内', [{ path: 'parentId', message: '上级单位无效' }]);
      });
      const links = await t(trx).selectFrom('units').select(['id', 'parent_id']).execute();
      if (subtreeIds(links, id).includes(input.parentId)) {
        throw new AppError(400, 'VALIDATION', '不能把单位移到它自己的下级单位之下', [{ path: 'parentId', message: '会形成循环' }]);
      }
    }
    const row = await t(trx)
      .updateTable('units')
      .set({
        ...(input.parentId !== undefined ? { parent_id: input.parentId } : {}),
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.kind !== undefined ? { kind: input.kind } : {}),
        ...(input.code !== undefined ? { code: input.code } : {}),
        ...(input.sortOrder !== undefined ? { sort_order: input.sortOrder } : {}),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .returning(UNIT_COLUMNS)
      .executeTakeFirstOrThrow()
      .catch(translateUnitError);
    const after = toUnit(row);
    await record(trx, ctx, { action: 'org.unit.update', subjectType: 'unit', subjectId: id, payload: { before, after } });
    invalidatePrincipals();
    return after;
  });
}

export async function setUnitActive(db: Db, ctx: RequestContext, id: number, active: boolean): Promise<Unit> {
  const scope = ctx.principal.scope;
  return inTransaction(db, async (trx) => {
    const before = await getUnit(trx, scope, id);
    if (before.active === active) return before;
    if (!active) {
      const busy = await t(trx)
        .selectNoFrom((eb) => [
          eb.selectFrom('units').select(sql<number>`count(*)::int`.as('n')).where('parent_id', '=', id).where('active', '=', true).as('children'),
          eb.selectFrom('personnel').select(sql<number>`count(*)::int`.as('n')).where('unit_id', '=', id).where('status', '=', 'active').as('members'),
        ])
        .executeTakeFirstOrThrow();
      if (Number(busy.children) > 0) throw conflict(`该单位下还有 ${busy.children} 个在用的下级单位，请先停用或调整`);
      if (Number(busy.members) > 0) throw conflict(`该单位还有 ${busy.members} 名在职人员，请先调整人员所属单位`);
    } else if (before.parentId !== null) {
      const parent = await getUnit(trx, scope, before.parentId);
      if (!parent.active) throw conflict('上级单位已停用，请先启用上级单位');
    }
    const row = await t(trx)
      .updateTable('units')
      .set({ active, updated_at: new Date() })
      .where('id', '=', id)
      .returning(UNIT_COLUMNS)
      .executeTakeFirstOrThrow();
    const after = toUnit(row);
    await record(trx, ctx, {
      action: active ? 'org.unit.activate' : 'org.unit.deactivate',
      subjectType: 'unit',
      subjectId: id,
      payload: { before: { active: before.active }, after: { active } },
    });
    invalidatePrincipals();
    return after;
  });
}

/** id → name of every unit (a brigade has dozens): labels for other modules' lists. */
export async function unitNames(db: Db): Promise<Map<number, string>> {
  const rows = await t(db).selectFrom('units').select(['id', 'name']).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** A unit and every unit below it: other modules' "this unit" filters mean the whole subtree. */
export async function unitWithDescendants(db: Db, unitId: number): Promise<number[]> {
  const links = await t(db).selectFrom('units').select(['id', 'parent_id']).execute();
  return subtreeIds(links, unitId);
}
