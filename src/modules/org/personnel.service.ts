import { sql, type Selectable } from 'kysely';
import { invalidatePrincipals } from '../../platform/authz/principal-cache.ts';
import type { z } from 'zod';
import type { Page } from '../../contracts/common.ts';
import type {
  Person,
  PersonCategory,
  PersonStatus,
  personCreate,
  personListQuery,
  personStatusChange,
  personUpdate,
} from '../../contracts/org.ts';
import type { ResolvedScope } from '../../platform/authz/principal.ts';
import { inScope, scopeCondition, unitInScope } from '../../platform/authz/scope.ts';
import type { Db } from '../../platform/db/database.ts';
import { inTransaction, type Tx } from '../../platform/db/tx.ts';
import { contains, countAll, isoTimestamp, totalCount, totalOf } from '../../platform/db/paging.ts';
import { AppError, conflict, notFound, pgErrorCode, PG_UNIQUE_VIOLATION } from '../../platform/http/errors.ts';
import { maskPhone } from '../../platform/mask.ts';
import { record, recordAlone, type RequestContext } from '../ledger/ledger.service.ts';
import { endSessionsOfAccounts } from '../auth/sessions.service.ts';
import { accountIdsOfPeople } from './credentials.service.ts';
import type { OrgTables } from './org.tables.ts';
import { subtreeIds } from './units.service.ts';

const t = (db: Db | Tx) => db.withTables<OrgTables>();

type PersonRow = Omit<Selectable<OrgTables['personnel']>, 'created_at' | 'updated_at'> & { updated_at: string; unit_name: string; has_account: boolean };

export function toPerson(r: PersonRow): Person {
  return {
    id: r.id,
    name: r.name,
    badgeNo: r.badge_no,
    category: r.category as PersonCategory,
    unitId: r.unit_id,
    unitName: r.unit_name,
    position: r.position,
    phoneMasked: maskPhone(r.phone),
    status: r.status as PersonStatus,
    statusReason: r.status_reason,
    hasAccount: r.has_account,
    updatedAt: r.updated_at,
  };
}

function selectPeople(db: Db, scope: ResolvedScope) {
  return t(db)
    .selectFrom('personnel')
    .innerJoin('units', 'units.id', 'personnel.unit_id')
    .where((eb) => inScope(eb, scope, 'personnel.unit_id', 'personnel.id'));
}

const PERSON_COLUMNS = [
  'personnel.id',
  'personnel.name',
  'personnel.badge_no',
  'personnel.category',
  'personnel.unit_id',
  'personnel.position',
  'personnel.phone',
  'personnel.status',
  'personnel.status_reason',
  isoTimestamp('personnel.updated_at').as('updated_at'),
  'units.name as unit_name',
] as const;

export type PersonFilter = Omit<z.output<typeof personListQuery>, 'page' | 'pageSize'>;

/** Kysely builders are thenables, so the async part (the unit subtree) is resolved first. */
async function unitFilter(db: Db, unitId: number | undefined): Promise<number[] | undefined> {
  if (unitId === undefined) return undefined;
  const links = await t(db).selectFrom('units').select(['id', 'parent_id']).execute();
  return subtreeIds(links, unitId);
}

function filtered(db: Db, scope: ResolvedScope, f: PersonFilter, unitIds: number[] | undefined) {
  let q = selectPeople(db, scope);
  if (f.q) {
    const like = contains(f.q);
    q = q.where((eb) => eb.or([eb('personnel.name', 'ilike', like), eb('personnel.badge_no', 'ilike', like)]));
  }
  if (unitIds) q = q.where('personnel.unit_id', '=', sql<number>`ANY(${unitIds})`);
  if (f.category) q = q.where('personnel.category', '=', f.category);
  if (f.status) q = q.where('personnel.status', '=', f.status);
  return q;
}

const hasAccount = sql<boolean>`EXISTS (SELECT 1 FROM accounts a WHERE a.person_id = personnel.id)`.as('has_account');

/**
 * The list page is the console's busiest read, so its one query is written as SQL rather than
 * built node by node: the same predicates as `filtered` (scope first), parameterised the same way.
 */
export async function listPeople(db: Db, scope: ResolvedScope, query: z.output<typeof personListQuery>): Promise<Page<Person>> {
  const { page, pageSize, ...f } = query;
  const unitIds = await unitFilter(db, f.unitId);
  const where = [scopeCondition(scope, 'p.unit_id', 'p.id')];
  if (f.q) {
    const like = contains(f.q);
    where.push(sql`(p.name ILIKE ${like} OR p.badge_no ILIKE ${like})`);
  }
  if (unitIds) where.push(sql`p.unit_id = ANY(${unitIds})`);
  if (f.category) where.push(sql`p.category = ${f.category}`);
  if (f.status) where.push(sql`p.status = ${f.status}`);
  const { rows } = await sql<PersonRow & { total_count: number }>`
    SELECT p.id, p.name, p.badge_no, p.category, p.unit_id, p.position, p.phone, p.status, p.status_reason,
      ${isoTimestamp('p.updated_at')} AS updated_at, u.name AS unit_name,
      EXISTS (SELECT 1 FROM accounts a WHERE a.person_id = p.id) AS has_account,
      (count(*) OVER ())::int AS total_count
    FROM personnel p JOIN units u ON u.id = p.unit_id
    WHERE ${sql.join(where, sql` AND `)}
    ORDER BY p.unit_id, p.badge_no
    LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`.execute(db);
  const total = await totalOf(rows, page, async () => (await filtered(db, scope, f, unitIds).select(countAll).executeTakeFirstOrThrow()).n);
  return { items: rows.map(toPerson), total, page, pageSize };
}

/** Export rows, in pages so a large unit never sits in one result set; obeys data scope. */
export async function* exportPeople(db: Db, scope: ResolvedScope, f: PersonFilter): AsyncGenerator<Person> {
  const q = filtered(db, scope, f, await unitFilter(db, f.unitId));
  const chunk = 1000;
  for (let offset = 0; ; offset += chunk) {
    const rows = await q
      .select([...PERSON_COLUMNS, hasAccount])
      .orderBy('personnel.unit_id')
      .orderBy('personnel.badge_no')
      .limit(chunk)
      .offset(offset)
      .execute();
    for (const r of rows) yield toPerson(r);
    if (rows.length < chunk) return;
  }
}

export async function getPerson(db: Db, scope: ResolvedScope, id: number): Promise<Person> {
  const row = await selectPeople(db, scope)
    .select([...PERSON_COLUMNS, hasAccount])
    .where('personnel.id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('人员');
  return toPerson(row);
}

/** The unmasked record; the read itself goes into the ledger before the data leaves. */
export async function readPersonPii(db: Db, ctx: RequestContext, id: number) {
  const row = await selectPeople(db, ctx.principal.scope)
    .select(['personnel.id', 'personnel.name', 'personnel.phone'])
    .where('personnel.id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('人员');
  await recordAlone(db, ctx, { action: 'org.person.pii.read', subjectType: 'person', subjectId: id, payload: { fields: ['phone'] } });
  return { id: row.id, name: row.name, phone: row.phone };
}

async function assertUnitUsable(trx: Tx, scope: ResolvedScope, unitId: number) {
  const unit = await t(trx).selectFrom('units').select(['id', 'active']).where('id', '=', unitId).executeTakeFirst();
  if (!unit || !unitInScope(scope, unitId)) {
    throw new AppError(400, 'VALIDATION', '所属单位不存在或不在您的数据权限内', [{ path: 'unitId', message: '所属单位无效' }]);
  }
  if (!unit.active) throw new AppError(400, 'VALIDATION', '所属单位已停用', [{ path: 'unitId', message: '所属单位已停用' }]);
}

function translatePersonError(e: unknown): never {
  if (pgErrorCode(e) === PG_UNIQUE_VIOLATION) throw conflict('警号已被使用', 'badgeNo');
  throw e;
}

export async function createPerson(db: Db, ctx: RequestContext, input: z.output<typeof personCreate>): Promise<Person> {
  return inTransaction(db, async (trx) => {
    await assertUnitUsable(trx, ctx.principal.scope, input.unitId);
    const { id } = await t(trx)
      .insertInto('personnel')
      .values({
        name: input.name,
        badge_no: input.badgeNo,
        category: input.category,
        unit_id: input.unitId,
        position: input.position ?? null,
        phone: input.phone ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
      .catch(translatePersonError);
    const person = await getPerson(trx, { all: true, unitIds: [], selfPersonId: null }, id);
    await record(trx, ctx, { action: 'org.person.create', subjectType: 'person', subjectId: id, payload: { after: person } });
    return person;
  });
}

export async function updatePerson(db: Db, ctx: RequestContext, id: number, input: z.output<typeof personUpdate>): Promise<Person> {
  const scope = ctx.principal.scope;
  return inTransaction(db, async (trx) => {
    const before = await getPerson(trx, scope, id);
    if (input.unitId !== undefined && input.unitId !== before.unitId) await assertUnitUsable(trx, scope, input.unitId);
    await t(trx)
      .updateTable('personnel')
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.category !== undefined ? { category: input.category } : {}),
        ...(input.unitId !== undefined ? { unit_id: input.unitId } : {}),
        ...(input.position !== undefined ? { position: input.position } : {}),
        ...(input.phone !== undefined ? { phone: input.phone } : {}),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .execute();
    const after = await getPerson(trx, { all: true, unitIds: [], selfPersonId: null }, id);
    await record(trx, ctx, { action: 'org.person.update', subjectType: 'person', subjectId: id, payload: { before, after } });
    invalidatePrincipals();
    return after;
  });
}

/** Leaving or suspension never deletes the person; it ends their sessions at once. */
export async function changePersonStatus(
  db: Db,
  ctx: RequestContext,
  id: number,
  input: z.output<typeof personStatusChange>,
): Promise<Person> {
  const scope = ctx.principal.scope;
  return inTransaction(db, async (trx) => {
    const before = await getPerson(trx, scope, id);
    if (before.status === input.status) return before;
    await t(trx)
      .updateTable('personnel')
      .set({ status: input.status, status_reason: input.reason, updated_at: new Date() })
      .where('id', '=', id)
      .execute();
    const after = await getPerson(trx, { all: true, unitIds: [], selfPersonId: null }, id);
    await record(trx, ctx, {
      action: 'org.person.status',
      subjectType: 'person',
      subjectId: id,
      payload: { before: { status: before.status }, after: { status: after.status, reason: input.reason } },
    });
    invalidatePrincipals();
    if (input.status !== 'active') {
      await endSessionsOfAccounts(trx, ctx, await accountIdsOfPeople(trx, [id]), input.status === 'left' ? '人员离职' : '人员停职');
    }
    return after;
  });
}

export interface PersonByBadge {
  id: number;
  badgeNo: string;
  name: string;
  category: PersonCategory;
  status: PersonStatus;
  unitId: number;
}

/** The registry facts of the people behind a set of 警号, in one query (other modules' batches). */
export async function peopleByBadge(db: Db | Tx, badgeNos: readonly string[]): Promise<Map<string, PersonByBadge>> {
  if (badgeNos.length === 0) return new Map();
  const rows = await t(db)
    .selectFrom('personnel')
    .select(['id', 'badge_no', 'name', 'category', 'status', 'unit_id'])
    .where('badge_no', '=', sql<string>`ANY(${[...new Set(badgeNos)]})`)
    .execute();
  return new Map(
    rows.map((r) => [r.badge_no, { id: r.id, badgeNo: r.badge_no, name: r.name, category: r.category as PersonCategory, status: r.status as PersonStatus, unitId: r.unit_id }]),
  );
}
