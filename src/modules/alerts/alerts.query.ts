// Reading alerts: lists with their tab counts, the detail with its history, the dashboard summary
// and the detectors' precision. Every query a request makes passes the data-scope predicate.
import { sql, type Selectable } from 'kysely';
import {
  ALERT_SEVERITY_VALUES,
  UNCLOSED_STATUSES,
  type Alert,
  type AlertDetail,
  type AlertEvent,
  type AlertEvidence,
  type AlertListQuery,
  type AlertPage,
  type AlertSeverity,
  type AlertStatus,
  type AlertStatusCounts,
  type AlertSubjectType,
  type AlertSummary,
  type AlertVerdict,
  type DetectorStat,
} from '../../contracts/alerts.ts';
import type { Principal, ResolvedScope } from '../../platform/authz/principal.ts';
import { inScope } from '../../platform/authz/scope.ts';
import type { Db } from '../../platform/db/database.ts';
import { contains, countAll, totalCount, totalOf } from '../../platform/db/paging.ts';
import { notFound } from '../../platform/http/errors.ts';
import { accountLabels } from '../org/credentials.service.ts';
import { subtreeIds, unitTree } from '../org/units.service.ts';
import type { AlertTables } from './alerts.tables.ts';

export const t = (db: Db) => db.withTables<AlertTables>();

export const EVERYTHING: ResolvedScope = { all: true, unitIds: [], selfPersonId: null };

export type AlertRow = Selectable<AlertTables['alerts']>;

/** Alerts the scope reaches: by unit, or (scope 仅本人) by the person the alert is about. */
export function scopedAlerts(db: Db, scope: ResolvedScope) {
  return t(db)
    .selectFrom('alerts')
    .where((eb) => inScope(eb, scope, 'alerts.unit_id', 'alerts.person_id'));
}

const LIST_COLUMNS = [
  'id', 'source', 'rule', 'rule_set_version', 'subject_type', 'subject_id', 'subject_label', 'unit_id', 'person_id',
  'severity', 'title', 'explanation', 'basis', 'dedup_key', 'occurred_at', 'raise_count', 'last_raised_at', 'status',
  'status_reason', 'status_changed_at', 'assignee_account_id', 'verdict', 'verdict_note', 'verdict_at', 'escalated',
  'created_at', 'updated_at',
] as const;
type ListRow = Pick<AlertRow, (typeof LIST_COLUMNS)[number]>;

/** Unit names and the unit tree (for "this unit and below"), from the org module. */
async function unitsOf(db: Db) {
  const units = await unitTree(db, EVERYTHING);
  return { units, names: new Map(units.map((u) => [u.id, u.name])) };
}

async function assigneeNames(db: Db, rows: ReadonlyArray<{ assignee_account_id: number | null }>) {
  const ids = [...new Set(rows.map((r) => r.assignee_account_id).filter((id): id is number => id !== null))];
  const labels = await accountLabels(db, { ids });
  return new Map([...labels].map(([id, l]) => [id, l.personName]));
}

function toAlert(r: ListRow, units: Map<number, string>, people: Map<number, string>): Alert {
  return {
    id: r.id,
    source: r.source,
    rule: r.rule,
    ruleSetVersion: r.rule_set_version,
    subjectType: r.subject_type as AlertSubjectType,
    subjectId: r.subject_id,
    subjectLabel: r.subject_label,
    unitId: r.unit_id,
    unitName: r.unit_id === null ? null : (units.get(r.unit_id) ?? null),
    personId: r.person_id,
    severity: r.severity as AlertSeverity,
    title: r.title,
    explanation: r.explanation,
    basis: r.basis,
    dedupKey: r.dedup_key,
    occurredAt: r.occurred_at.toISOString(),
    raiseCount: r.raise_count,
    lastRaisedAt: r.last_raised_at.toISOString(),
    status: r.status as AlertStatus,
    statusReason: r.status_reason,
    statusChangedAt: r.status_changed_at.toISOString(),
    assigneeAccountId: r.assignee_account_id,
    assigneeName: r.assignee_account_id === null ? null : (people.get(r.assignee_account_id) ?? null),
    verdict: r.verdict as AlertVerdict | null,
    verdictNote: r.verdict_note,
    verdictAt: r.verdict_at?.toISOString() ?? null,
    escalated: r.escalated,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

type Filter = Omit<AlertListQuery, 'page' | 'pageSize'>;

/** Every filter except status (the tabs count per status under the rest). */
function filtered(db: Db, actor: Pick<Principal, 'scope' | 'accountId'>, f: Filter, unitIds: number[] | undefined) {
  let q = scopedAlerts(db, actor.scope);
  if (f.q) {
    const like = contains(f.q);
    q = q.where((eb) =>
      eb.or([eb('title', 'ilike', like), eb('subject_label', 'ilike', like), eb('subject_id', 'ilike', like), eb('rule', 'ilike', like)]),
    );
  }
  if (f.rule) q = q.where('rule', '=', f.rule);
  if (f.source) q = q.where('source', '=', f.source);
  if (f.severity) q = q.where('severity', '=', sql<string>`ANY(${f.severity})`);
  if (f.subjectType) q = q.where('subject_type', '=', f.subjectType);
  if (f.subjectId) q = q.where('subject_id', '=', f.subjectId);
  if (unitIds) q = q.where('unit_id', '=', sql<number>`ANY(${unitIds})`);
  // An integration (no account) has nothing assigned to it.
  if (f.assignee === 'me') q = actor.accountId === null ? q.where(sql<boolean>`false`) : q.where('assignee_account_id', '=', actor.accountId);
  if (f.assignee === 'none') q = q.where('assignee_account_id', 'is', null);
  if (f.verdict === 'none') q = q.where('verdict', 'is', null);
  else if (f.verdict) q = q.where('verdict', '=', f.verdict);
  if (f.escalated) q = q.where('escalated', '=', f.escalated === 'true');
  const time = f.timeField === 'created' ? 'created_at' : 'occurred_at';
  if (f.from) q = q.where(time, '>=', new Date(f.from));
  if (f.to) q = q.where(time, '<', new Date(f.to));
  return q;
}

const zeroCounts = (): AlertStatusCounts => ({ open: 0, acknowledged: 0, dismissed: 0, resolved: 0 });

/** Newest first (by the filtered time), with the count per status for the tabs. */
export async function listAlerts(db: Db, actor: Pick<Principal, 'scope' | 'accountId'>, query: AlertListQuery): Promise<AlertPage> {
  const { page, pageSize, ...f } = query;
  const { units, names } = await unitsOf(db);
  const unitIds = f.unitId === undefined ? undefined : subtreeIds(units.map((u) => ({ id: u.id, parent_id: u.parentId })), f.unitId);
  const base = filtered(db, actor, f, unitIds);
  const q = f.status ? base.where('status', '=', sql<string>`ANY(${f.status})`) : base;
  const time = f.timeField === 'created' ? 'created_at' : 'occurred_at';
  const rows = await q
    .select([...LIST_COLUMNS, totalCount])
    .orderBy(time, 'desc')
    .orderBy('id', 'desc')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  const total = await totalOf(rows, page, async () => (await q.select(countAll).executeTakeFirstOrThrow()).n);
  const counted = await base.select(['status', countAll]).groupBy('status').execute();
  const statusCounts = zeroCounts();
  for (const c of counted) statusCounts[c.status as AlertStatus] = c.n;
  const people = await assigneeNames(db, rows);
  return { items: rows.map((r) => toAlert(r, names, people)), total, page, pageSize, statusCounts };
}

type EventRow = Selectable<AlertTables['alert_events']>;

function toEvent(e: EventRow): AlertEvent {
  return {
    id: Number(e.id),
    at: e.at.toISOString(),
    actorAccountId: e.actor_account_id,
    actorName: e.actor_name,
    action: e.action as AlertEvent['action'],
    fromStatus: e.from_status as AlertStatus | null,
    toStatus: e.to_status as AlertStatus | null,
    comment: e.comment,
    details: (e.details ?? {}) as Record<string, unknown>,
  };
}

/** One alert with its facts, evidence and history; outside the scope it does not exist (404). */
export async function getAlert(db: Db, scope: ResolvedScope, id: number): Promise<AlertDetail> {
  const row = await scopedAlerts(db, scope).selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('告警');
  const events = await t(db).selectFrom('alert_events').selectAll().where('alert_id', '=', id).orderBy('id').execute();
  const { names } = await unitsOf(db);
  const people = await assigneeNames(db, [row]);
  return {
    ...toAlert(row, names, people),
    facts: (row.facts ?? {}) as Record<string, unknown>,
    evidence: (row.evidence ?? []) as AlertEvidence[],
    events: events.map(toEvent),
  };
}

/**
 * The dashboard: counts by status, and the unclosed alerts by severity, rule and unit, in one
 * grouping-sets query. Units come in the unit tree's order: alerts are never a ranking of units.
 */
export async function alertSummary(db: Db, scope: ResolvedScope): Promise<AlertSummary> {
  const rows = await scopedAlerts(db, scope)
    .select([
      'status',
      'severity',
      'rule',
      'unit_id',
      sql<string>`min(source)`.as('source'),
      sql<number>`GROUPING(status)`.as('g_status'),
      sql<number>`GROUPING(severity)`.as('g_severity'),
      sql<number>`GROUPING(rule)`.as('g_rule'),
      sql<number>`GROUPING(unit_id)`.as('g_unit'),
      countAll,
      sql<number>`(count(*) FILTER (WHERE status IN ('open', 'acknowledged')))::int`.as('unclosed'),
    ])
    .groupBy(sql`GROUPING SETS ((status), (severity), (rule), (unit_id))`)
    .execute();
  const byStatus = zeroCounts();
  const bySeverity = Object.fromEntries(ALERT_SEVERITY_VALUES.map((s) => [s, 0])) as AlertSummary['bySeverity'];
  const byRule: AlertSummary['byRule'] = [];
  const unitCounts = new Map<number | null, number>();
  for (const r of rows) {
    if (Number(r.g_status) === 0) byStatus[r.status as AlertStatus] = r.n;
    else if (Number(r.g_severity) === 0) bySeverity[r.severity as AlertSeverity] = r.unclosed;
    else if (Number(r.g_rule) === 0 && r.unclosed > 0) byRule.push({ rule: r.rule, source: r.source, count: r.unclosed });
    else if (Number(r.g_unit) === 0 && r.unclosed > 0) unitCounts.set(r.unit_id, r.unclosed);
  }
  byRule.sort((a, b) => a.rule.localeCompare(b.rule));
  const { units } = await unitsOf(db);
  const byUnit: AlertSummary['byUnit'] = units.filter((u) => unitCounts.has(u.id)).map((u) => ({ unitId: u.id, unitName: u.name, count: unitCounts.get(u.id)! }));
  if (unitCounts.has(null)) byUnit.push({ unitId: null, unitName: null, count: unitCounts.get(null)! });
  const unclosed = UNCLOSED_STATUSES.reduce((n, s) => n + byStatus[s], 0);
  return { unclosed, byStatus, bySeverity, byRule, byUnit };
}

/**
 * Per rule: how many alerts, how many still unclosed, and how the reviewers judged them.
 * precision = agreed / (agreed + disagreed), null before any verdict. Without a scope: all alerts.
 */
export async function detectorStats(db: Db, scope: ResolvedScope = EVERYTHING): Promise<DetectorStat[]> {
  const rows = await scopedAlerts(db, scope)
    .select([
      'rule',
      sql<string>`min(source)`.as('source'),
      countAll,
      sql<number>`(count(*) FILTER (WHERE status IN ('open', 'acknowledged')))::int`.as('unclosed'),
      sql<number>`(count(*) FILTER (WHERE verdict = 'agree'))::int`.as('agreed'),
      sql<number>`(count(*) FILTER (WHERE verdict = 'disagree'))::int`.as('disagreed'),
    ])
    .groupBy('rule')
    .orderBy('rule')
    .execute();
  return rows.map((r) => ({
    rule: r.rule,
    source: r.source,
    total: r.n,
    unclosed: r.unclosed,
    agreed: r.agreed,
    disagreed: r.disagreed,
    precision: r.agreed + r.disagreed === 0 ? null : r.agreed / (r.agreed + r.disagreed),
  }));
}
