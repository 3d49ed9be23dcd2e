// Explanation requests (说明核查): an inspector sends flagged look-ups (or an alert's look-ups) to
// the person who made them, with a question and a deadline; that person answers in "我的说明";
// the inspector accepts (the alert is resolved) or escalates (the alert stays open, marked
// escalated). Overdue is computed: unanswered past the deadline, or answered after it. Every
// change is ledgered in its own transaction, together with the alert's change.
import { sql, type Selectable } from 'kysely';
import type { z } from 'zod';
import type { Page } from '../../contracts/common.ts';
import {
  LOOKUP_PARAMS,
  type Explanation,
  type ExplanationDetail,
  type ExplanationStatus,
  type explanationCreate,
  type explanationListQuery,
  type myExplanationQuery,
} from '../../contracts/lookups.ts';
import type { Principal, ResolvedScope } from '../../platform/authz/principal.ts';
import { inScope } from '../../platform/authz/scope.ts';
import type { Db } from '../../platform/db/database.ts';
import { inTransaction, type Tx } from '../../platform/db/tx.ts';
import { totalCount, totalOf } from '../../platform/db/paging.ts';
import { AppError, badRequest, conflict, forbidden, notFound, pgErrorCode, PG_UNIQUE_VIOLATION } from '../../platform/http/errors.ts';
import { acknowledgeAlert, escalateAlert, getAlert, resolveAlert } from '../alerts/alerts.service.ts';
import { record, type RequestContext } from '../ledger/ledger.service.ts';
import { unitNames } from '../org/units.service.ts';
import { currentRuleSet } from '../rules/rule-sets.service.ts';
import { addWorkingDays } from '../rules/working-days.ts';
import type { LookupTables } from './lookups.tables.ts';
import { ALL_ROWS, iso, lookupsByIds, lt, scopedLookups } from './lookups.query.ts';
import { peopleByIds, type PersonLabel } from './people.ts';

type Row = Selectable<LookupTables['explanation_requests']>;

const OPEN: ExplanationStatus[] = ['requested', 'answered'];

export function isOverdue(r: Pick<Row, 'deadline' | 'answered_at'>, now = Date.now()): boolean {
  const deadline = new Date(r.deadline).getTime();
  return r.answered_at === null ? deadline < now : new Date(r.answered_at).getTime() > deadline;
}

/** Requests a principal may see: of people in their units, and their own. */
function scoped(db: Db | Tx, scope: ResolvedScope) {
  return lt(db)
    .selectFrom('explanation_requests')
    .where((eb) => inScope(eb, scope, 'explanation_requests.unit_id', 'explanation_requests.person_id'));
}

/** What "mine" means: only requests addressed to the principal's own person. */
function ownScope(principal: Principal): ResolvedScope {
  if (principal.personId === null) throw forbidden('当前账号没有对应的人员，无法查看说明核查');
  return { all: false, unitIds: [], selfPersonId: principal.personId };
}

async function toItems(db: Db | Tx, rows: Row[]): Promise<Explanation[]> {
  const [people, units] = await Promise.all([peopleByIds(db, rows.map((r) => r.person_id)), unitNames(db as Db)]);
  return rows.map((r) => toItem(r, people.get(r.person_id), units));
}

function toItem(r: Row, p: PersonLabel | undefined, units: Map<number, string>): Explanation {
  return {
    id: r.id,
    alertId: r.alert_id,
    alertRule: r.alert_rule,
    lookupIds: r.lookup_ids.map(Number),
    personId: r.person_id,
    personName: p?.name ?? '',
    badgeNo: p?.badgeNo ?? '',
    unitId: r.unit_id,
    unitName: units.get(r.unit_id) ?? null,
    question: r.question,
    deadline: iso(r.deadline),
    askedBy: r.asked_by_name,
    askedAt: iso(r.asked_at),
    answer: r.answer,
    answeredAt: r.answered_at ? iso(r.answered_at) : null,
    status: r.status as ExplanationStatus,
    overdue: isOverdue(r),
    decidedBy: r.decided_by_name,
    decidedAt: r.decided_at ? iso(r.decided_at) : null,
    decisionNote: r.decision_note,
  };
}

async function page(db: Db, q: ReturnType<typeof scoped>, f: { page: number; pageSize: number; status?: ExplanationStatus | undefined; overdue?: 'true' | 'false' | undefined; personId?: number | undefined; alertId?: number | undefined }): Promise<Page<Explanation>> {
  let out = q;
  if (f.status) out = out.where('status', '=', f.status);
  if (f.personId) out = out.where('person_id', '=', f.personId);
  if (f.alertId) out = out.where('alert_id', '=', f.alertId);
  const overdue = sql<boolean>`((answered_at IS NULL AND deadline < now()) OR answered_at > deadline)`;
  if (f.overdue) out = out.where(f.overdue === 'true' ? overdue : sql<boolean>`NOT ${overdue}`);
  const rows = await out
    .selectAll()
    .select(totalCount)
    .orderBy(sql`CASE WHEN status IN ('requested', 'answered') THEN 0 ELSE 1 END`)
    .orderBy('deadline')
    .orderBy('id', 'desc')
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize)
    .execute();
  const total = await totalOf(rows, f.page, async () => Number((await out.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n));
  return { items: await toItems(db, rows), total, page: f.page, pageSize: f.pageSize };
}

export const listExplanations = (db: Db, scope: ResolvedScope, q: z.output<typeof explanationListQuery>) => page(db, scoped(db, scope), q);
export const myExplanations = (db: Db, principal: Principal, q: z.output<typeof myExplanationQuery>) => page(db, scoped(db, ownScope(principal)), q);

async function detail(db: Db, row: Row): Promise<ExplanationDetail> {
  const [item] = await toItems(db, [row]);
  // the asked person sees the look-ups they are asked about, whatever their data scope
  const lookups = await lookupsByIds(db, ALL_ROWS, row.lookup_ids.map(Number));
  return { ...item!, lookups };
}

async function find(db: Db | Tx, scope: ResolvedScope, id: number, lock = false): Promise<Row> {
  let q = scoped(db, scope).selectAll().where('id', '=', id);
  if (lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw notFound('说明核查');
  return row;
}

export async function getExplanation(db: Db, scope: ResolvedScope, id: number): Promise<ExplanationDetail> {
  return detail(db, await find(db, scope, id));
}

/** For "我的说明": the request must be addressed to the principal's own person. */
export async function getMyExplanation(db: Db, principal: Principal, id: number): Promise<ExplanationDetail> {
  const scope = ownScope(principal);
  return detail(db, await find(db, scope, id));
}

export async function createExplanation(db: Db, ctx: RequestContext, input: z.output<typeof explanationCreate>): Promise<ExplanationDetail> {
  const scope = ctx.principal.scope;
  let alertPerson: number | null = null;
  let alertRule: string | null = null;
  const ids = new Set(input.lookupIds ?? []);
  if (input.alertId !== undefined) {
    const alert = await getAlert(db, scope, input.alertId);
    if (alert.source !== 'lookups') throw badRequest('只能对数据查询类告警发起说明核查', [{ path: 'alertId', message: '不是数据查询类告警' }]);
    if (alert.status !== 'open' && alert.status !== 'acknowledged') throw conflict('告警已结束，不能再发起说明核查', 'alertId');
    alertPerson = alert.personId;
    alertRule = alert.rule;
    for (const e of alert.evidence) if (typeof e.lookupId === 'number') ids.add(e.lookupId);
  }
  if (ids.size === 0) throw badRequest('该告警没有关联的查询记录，请选择查询记录', [{ path: 'lookupIds', message: '请选择查询记录' }]);
  if (ids.size > 500) throw badRequest('一次最多500条查询记录', [{ path: 'lookupIds', message: '一次最多500条查询记录' }]);
  const rows = await scopedLookups(db, scope).select(['id', 'person_id']).where('id', '=', sql<number>`ANY(${[...ids]}::bigint[])`).execute();
  if (rows.length !== ids.size) throw notFound('查询记录');
  const persons = new Set(rows.map((r) => r.person_id));
  if (persons.has(null)) throw badRequest('查询账号不对应任何在册人员，无法发送说明核查（请按未知账号告警处理）', [{ path: 'lookupIds', message: '查询账号不对应在册人员' }]);
  if (persons.size !== 1) throw badRequest('所选查询记录属于不同人员，请分别发起说明核查', [{ path: 'lookupIds', message: '查询记录属于不同人员' }]);
  const personId = rows[0]!.person_id!;
  // No one works a lead about their own look-ups (an inspector who queried data is asked like anyone).
  if (personId === ctx.principal.personId) throw forbidden('不能对本人的查询记录发起说明核查，请由其他督察人员办理');
  if (alertPerson !== null && alertPerson !== personId) throw badRequest('所选查询记录与告警涉及的人员不一致', [{ path: 'lookupIds', message: '与告警涉及的人员不一致' }]);
  const person = (await peopleByIds(db, [personId])).get(personId)!;

  const now = Date.now();
  let deadline: number;
  if (input.deadline) {
    deadline = Date.parse(input.deadline);
    if (deadline <= now) throw badRequest('答复期限应晚于当前时间', [{ path: 'deadline', message: '答复期限应晚于当前时间' }]);
  } else {
    const { params } = await currentRuleSet(db);
    deadline = addWorkingDays(now, LOOKUP_PARAMS.explanationDeadlineWorkingDays, params);
  }
  const lookupIds = [...ids].sort((a, b) => a - b);
  const row = await inTransaction(db, async (trx) => {
    const inserted = await lt(trx)
      .insertInto('explanation_requests')
      .values({
        alert_id: input.alertId ?? null,
        alert_rule: alertRule,
        lookup_ids: lookupIds,
        person_id: personId,
        unit_id: person.unitId,
        question: input.question,
        deadline: new Date(deadline),
        asked_by_account_id: ctx.principal.accountId,
        asked_by_name: ctx.principal.name,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
      .catch((e: unknown) => {
        if (pgErrorCode(e) === PG_UNIQUE_VIOLATION) throw conflict('该告警已有未办结的说明核查', 'alertId');
        throw e;
      });
    await record(trx, ctx, {
      action: 'lookup.explanation.request',
      subjectType: 'explanation_request',
      subjectId: inserted.id,
      payload: { alertId: inserted.alert_id, lookupIds, personId, deadline: new Date(deadline).toISOString(), question: input.question },
    });
    // the inspector has taken the alert on
    if (input.alertId !== undefined) {
      const alert = await getAlert(trx as unknown as Db, scope, input.alertId);
      if (alert.status === 'open') await acknowledgeAlert(trx as unknown as Db, ctx, input.alertId, `已发送说明核查（编号 ${inserted.id}）`);
    }
    return inserted;
  });
  return detail(db, row);
}

export async function answerExplanation(db: Db, ctx: RequestContext, id: number, answer: string): Promise<ExplanationDetail> {
  const scope = ownScope(ctx.principal);
  const row = await inTransaction(db, async (trx) => {
    const r = await find(trx, scope, id, true);
    if (r.status !== 'requested') throw conflict('该说明核查已答复，不能重复答复', 'status');
    const answeredAt = new Date();
    const updated = await lt(trx).updateTable('explanation_requests').set({ answer, answered_at: answeredAt, status: 'answered' }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    await record(trx, ctx, { action: 'lookup.explanation.answer', subjectType: 'explanation_request', subjectId: id, payload: { answer, overdue: isOverdue(updated) } });
    return updated;
  });
  return detail(db, row);
}

async function decide(db: Db, ctx: RequestContext, id: number, to: 'accepted' | 'escalated', note: string | undefined): Promise<ExplanationDetail> {
  const scope = ctx.principal.scope;
  const row = await inTransaction(db, async (trx) => {
    const r = await find(trx, scope, id, true);
    if (r.person_id === ctx.principal.personId) throw forbidden('不能认定或升级本人的说明核查，请由其他督察人员办理');
    if (to === 'accepted' && r.status !== 'answered') throw conflict(r.status === 'requested' ? '尚未答复，不能认可' : '该说明核查已办结', 'status');
    if (to === 'escalated' && !OPEN.includes(r.status as ExplanationStatus)) throw conflict('该说明核查已办结', 'status');
    if (to === 'escalated' && r.status === 'requested' && !isOverdue(r)) throw conflict('答复期限未到，尚不能以未答复为由升级', 'status');
    const updated = await lt(trx)
      .updateTable('explanation_requests')
      .set({ status: to, decided_at: new Date(), decided_by_account_id: ctx.principal.accountId, decided_by_name: ctx.principal.name, decision_note: note ?? null })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await record(trx, ctx, { action: to === 'accepted' ? 'lookup.explanation.accept' : 'lookup.explanation.escalate', subjectType: 'explanation_request', subjectId: id, payload: { alertId: r.alert_id, from: r.status, note: note ?? null } });
    if (r.alert_id !== null) {
      const alert = await getAlert(trx as unknown as Db, scope, r.alert_id);
      const unclosed = alert.status === 'open' || alert.status === 'acknowledged';
      if (to === 'accepted' && unclosed) await resolveAlert(trx as unknown as Db, ctx, r.alert_id, `说明核查（编号 ${id}）已认可${note ? `：${note}` : ''}`);
      if (to === 'escalated') {
        if (!unclosed) throw new AppError(409, 'CONFLICT', '关联告警已结束，不能升级', [{ path: 'status', message: '关联告警已结束' }]);
        await escalateAlert(trx as unknown as Db, ctx, r.alert_id, `说明核查（编号 ${id}）升级：${note ?? ''}`);
      }
    }
    return updated;
  });
  return detail(db, row);
}

export const acceptExplanation = (db: Db, ctx: RequestContext, id: number, note?: string) => decide(db, ctx, id, 'accepted', note);
export const escalateExplanation = (db: Db, ctx: RequestContext, id: number, note: string) => decide(db, ctx, id, 'escalated', note);
