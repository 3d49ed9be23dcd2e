// Working an alert: assign, acknowledge, dismiss, resolve, reopen, verdict. Each change locks the
// alert (in the caller's scope, else 404), checks the transition (else 409), writes the alert, its
// history row and the ledger entry in one transaction, and answers the alert as it now is.
import { sql } from 'kysely';
import type { z } from 'zod';
import {
  ALERT_STATUSES,
  ALERT_TRANSITIONS,
  canAssign,
  canTransition,
  type AlertDetail,
  type AlertEventAction,
  type AlertStatus,
  type AlertTransition,
  type alertAssignBody,
  type alertVerdictBody,
  UNCLOSED_STATUSES,
} from '../../contracts/alerts.ts';
import type { ResolvedScope } from '../../platform/authz/principal.ts';
import type { Db } from '../../platform/db/database.ts';
import { inTransaction, type Tx } from '../../platform/db/tx.ts';
import { AppError, conflict, notFound, pgErrorCode, PG_UNIQUE_VIOLATION } from '../../platform/http/errors.ts';
import { record, type RequestContext } from '../ledger/ledger.service.ts';
import { principalForAccount } from '../org/credentials.service.ts';
import { EVERYTHING, getAlert, scopedAlerts, t, type AlertRow } from './alerts.query.ts';

const VERBS: Record<AlertTransition, string> = { acknowledge: '确认处理', dismiss: '排除', resolve: '办结', reopen: '重新打开' };

async function lock(trx: Tx, scope: ResolvedScope, id: number): Promise<AlertRow> {
  const row = await scopedAlerts(trx, scope).selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!row) throw notFound('告警');
  return row;
}

interface Change {
  action: AlertEventAction;
  fromStatus?: AlertStatus | null;
  toStatus?: AlertStatus | null;
  comment?: string | null;
  /** what changed, for the history and the ledger */
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

/** The history row and the ledger entry of one change, in the change's transaction. */
async function note(trx: Tx, ctx: RequestContext, id: number, c: Change): Promise<void> {
  await t(trx)
    .insertInto('alert_events')
    .values({
      alert_id: id,
      actor_account_id: ctx.principal.accountId,
      actor_name: ctx.principal.name,
      action: c.action,
      from_status: c.fromStatus ?? null,
      to_status: c.toStatus ?? null,
      comment: c.comment ?? null,
      details: JSON.stringify({ before: c.before, after: c.after }),
    })
    .execute();
  await record(trx, ctx, {
    action: `alert.${c.action}`,
    subjectType: 'alert',
    subjectId: id,
    payload: { before: c.before, after: c.after, ...(c.comment ? { comment: c.comment } : {}) },
  });
}

async function transition(db: Db, ctx: RequestContext, id: number, action: AlertTransition, comment: string | undefined): Promise<AlertDetail> {
  return inTransaction(db, async (trx) => {
    const row = await lock(trx, ctx.principal.scope, id);
    const from = row.status as AlertStatus;
    if (!canTransition(action, from)) throw conflict(`告警当前为「${ALERT_STATUSES[from]}」，不能${VERBS[action]}`, 'status');
    const to: AlertStatus = ALERT_TRANSITIONS[action].to;
    if (action === 'reopen') {
      // At most one unclosed alert per finding: a newer one raised after this was closed wins.
      const newer = await t(trx)
        .selectFrom('alerts')
        .select('id')
        .where('rule', '=', row.rule)
        .where('dedup_key', '=', row.dedup_key)
        .where('status', 'in', ['open', 'acknowledged'])
        .executeTakeFirst();
      if (newer) throw conflict(`同一问题已有未结告警（编号 ${newer.id}），请在该告警上处理`, 'status');
    }
    // Acknowledging takes the alert on: unassigned, it goes to whoever acknowledged it.
    const takeOn = action === 'acknowledge' && row.assignee_account_id === null && ctx.principal.accountId !== null;
    const now = new Date();
    await t(trx)
      .updateTable('alerts')
      .set({
        status: to,
        status_reason: comment ?? null,
        status_changed_at: now,
        updated_at: now,
        ...(takeOn ? { assignee_account_id: ctx.principal.accountId } : {}),
      })
      .where('id', '=', id)
      .execute()
      .catch((e: unknown) => {
        // a detector raised the same finding between the check above and this update
        if (pgErrorCode(e) === PG_UNIQUE_VIOLATION) throw conflict('同一问题已有未结告警，请在该告警上处理', 'status');
        throw e;
      });
    await note(trx, ctx, id, {
      action,
      fromStatus: from,
      toStatus: to,
      comment: comment ?? null,
      before: { status: from, ...(takeOn ? { assigneeAccountId: null } : {}) },
      after: { status: to, ...(takeOn ? { assigneeAccountId: ctx.principal.accountId } : {}) },
    });
    return getAlert(trx, EVERYTHING, id);
  });
}

export const acknowledgeAlert = (db: Db, ctx: RequestContext, id: number, comment?: string) => transition(db, ctx, id, 'acknowledge', comment);
/** A reason is required: a dismissed finding must say why it is not one. */
export async function dismissAlert(db: Db, ctx: RequestContext, id: number, reason: string): Promise<AlertDetail> {
  if (!reason.trim()) throw new AppError(400, 'VALIDATION', '请填写排除原因', [{ path: 'reason', message: '请填写排除原因' }]);
  return transition(db, ctx, id, 'dismiss', reason.trim());
}
export const resolveAlert = (db: Db, ctx: RequestContext, id: number, comment?: string) => transition(db, ctx, id, 'resolve', comment);
export const reopenAlert = (db: Db, ctx: RequestContext, id: number, comment?: string) => transition(db, ctx, id, 'reopen', comment);

const assigneeError = (message: string) => new AppError(400, 'VALIDATION', message, [{ path: 'accountId', message }]);

/** Whether a scope reaches an alert (the same rule as the SQL predicate, for an alert in hand). */
function reaches(scope: ResolvedScope, row: Pick<AlertRow, 'unit_id' | 'person_id'>): boolean {
  if (scope.all) return true;
  if (row.unit_id !== null && scope.unitIds.includes(row.unit_id)) return true;
  return row.person_id !== null && row.person_id === scope.selfPersonId;
}

/**
 * Assigns an unclosed alert to an account that may handle it: active, holding `alert:handle`, and
 * reaching the alert with its data scope. `accountId: null` takes the assignment back.
 */
export async function assignAlert(db: Db, ctx: RequestContext, id: number, input: z.output<typeof alertAssignBody>): Promise<AlertDetail> {
  return inTransaction(db, async (trx) => {
    const row = await lock(trx, ctx.principal.scope, id);
    const status = row.status as AlertStatus;
    if (!canAssign(status)) throw conflict(`告警当前为「${ALERT_STATUSES[status]}」，已结束的告警不能分派`, 'status');
    if (row.assignee_account_id === input.accountId) return getAlert(trx, EVERYTHING, id);
    let assigneeName: string | null = null;
    if (input.accountId !== null) {
      const target = await principalForAccount(trx, input.accountId);
      if (!target || !target.usable || !target.principal.permissions.has('alert:handle')) {
        throw assigneeError('该账号不存在、已停用或没有处置告警的权限');
      }
      if (!reaches(target.principal.scope, row)) throw assigneeError('该账号的数据权限不包含此告警');
      assigneeName = target.principal.name;
    }
    await t(trx).updateTable('alerts').set({ assignee_account_id: input.accountId, updated_at: new Date() }).where('id', '=', id).execute();
    await note(trx, ctx, id, {
      action: 'assign',
      comment: input.comment ?? null,
      before: { assigneeAccountId: row.assignee_account_id },
      after: { assigneeAccountId: input.accountId, assigneeName },
    });
    return getAlert(trx, EVERYTHING, id);
  });
}

/**
 * The reviewer's judgement of the finding itself (准确 / 误报), in any status; it feeds the
 * detectors' precision. Setting it again replaces it; the history keeps each one.
 */
export async function setAlertVerdict(db: Db, ctx: RequestContext, id: number, input: z.output<typeof alertVerdictBody>): Promise<AlertDetail> {
  return inTransaction(db, async (trx) => {
    const row = await lock(trx, ctx.principal.scope, id);
    const noteText = input.note ?? null;
    if (row.verdict === input.verdict && row.verdict_note === noteText) return getAlert(trx, EVERYTHING, id);
    await t(trx)
      .updateTable('alerts')
      .set({ verdict: input.verdict, verdict_note: noteText, verdict_account_id: ctx.principal.accountId, verdict_at: sql<Date>`now()`, updated_at: new Date() })
      .where('id', '=', id)
      .execute();
    await note(trx, ctx, id, {
      action: 'verdict',
      comment: noteText,
      before: { verdict: row.verdict, note: row.verdict_note },
      after: { verdict: input.verdict, note: noteText },
    });
    return getAlert(trx, EVERYTHING, id);
  });
}

/**
 * Marks an unclosed alert escalated (a look-up's explanation was not accepted): the alert stays
 * open for the case that follows, and its history says who escalated it and why.
 */
export async function escalateAlert(db: Db, ctx: RequestContext, id: number, comment: string): Promise<AlertDetail> {
  return inTransaction(db, async (trx) => {
    const row = await lock(trx, ctx.principal.scope, id);
    const status = row.status as AlertStatus;
    if (!UNCLOSED_STATUSES.includes(status)) throw conflict(`告警当前为「${ALERT_STATUSES[status]}」，已结束的告警不能升级`, 'status');
    if (row.escalated) return getAlert(trx, EVERYTHING, id);
    await t(trx).updateTable('alerts').set({ escalated: true, updated_at: new Date() }).where('id', '=', id).execute();
    await note(trx, ctx, id, { action: 'escalate', comment, before: { escalated: false }, after: { escalated: true } });
    return getAlert(trx, EVERYTHING, id);
  });
}

