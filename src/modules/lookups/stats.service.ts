// The console's figures: the overview (look-ups per day, unjustified share, look-up alerts by rule
// and unit) and the per-person profile (查询画像). Aggregates in SQL, in the caller's data scope;
// days and hours are Beijing time (UTC+8, no daylight saving), computed as a fixed offset.
// Volumes here are for supervision of data access, never a ranking of people or units.
import { sql } from 'kysely';
import type { z } from 'zod';
import { QUERY_TYPE_VALUES, type LookupOverview, type LookupProfile, type MaskedSubject, type QueryType, type lookupOverviewQuery, type profileQuery } from '../../contracts/lookups.ts';
import type { ResolvedScope } from '../../platform/authz/principal.ts';
import { inScope } from '../../platform/authz/scope.ts';
import type { Db } from '../../platform/db/database.ts';
import { badRequest, notFound } from '../../platform/http/errors.ts';
import { scopedAlerts } from '../alerts/alerts.query.ts';
import { beijingDay } from '../rules/time.ts';
import { unitTree, unitWithDescendants } from '../org/units.service.ts';
import { ALL_ROWS, iso, json, lt, scopedLookups } from './lookups.query.ts';
import { peopleByIds } from './people.ts';

const DAY_MS = 86_400_000;
const DEFAULT_DAYS = 30;
const MAX_DAYS = 366;
const day = sql<string>`to_char((at AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM-DD')`;

/** The period asked for, default the last 30 days up to now. */
export function period(q: { from?: string | undefined; to?: string | undefined }, now = Date.now()): { from: Date; to: Date } {
  const to = q.to ? new Date(q.to) : new Date(now);
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - DEFAULT_DAYS * DAY_MS);
  if (from >= to) throw badRequest('开始时间应早于结束时间', [{ path: 'from', message: '开始时间应早于结束时间' }]);
  // a chart of one point per day: a year at most
  if (to.getTime() - from.getTime() > MAX_DAYS * DAY_MS) throw badRequest(`统计期间不能超过${MAX_DAYS}天`, [{ path: 'from', message: `统计期间不能超过${MAX_DAYS}天` }]);
  return { from, to };
}

/** Every Beijing day from `from` to `to` (exclusive), so a chart has its empty days. */
export function daysOf(from: Date, to: Date): string[] {
  const out: string[] = [];
  const last = beijingDay(to.getTime() - 1);
  for (let d = beijingDay(from.getTime()); d <= last; d = beijingDay(Date.parse(`${d}T12:00:00+08:00`) + DAY_MS)) out.push(d);
  return out;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export async function lookupOverview(db: Db, scope: ResolvedScope, q: z.output<typeof lookupOverviewQuery>): Promise<LookupOverview> {
  const { from, to } = period(q);
  const unitIds = q.unitId ? await unitWithDescendants(db, q.unitId) : undefined;
  let base = scopedLookups(db, scope).where('at', '>=', from).where('at', '<', to);
  if (unitIds) base = base.where('unit_id', '=', sql<number>`ANY(${unitIds}::int[])`);
  const rows = await base
    .select([
      day.as('day'),
      'query_type',
      sql<number>`GROUPING(${day})`.as('g_day'),
      sql<number>`GROUPING(query_type)`.as('g_type'),
      sql<number>`count(*)::int`.as('n'),
      sql<number>`(count(*) FILTER (WHERE NOT justified))::int`.as('bad'),
      sql<number>`(count(*) FILTER (WHERE person_id IS NULL))::int`.as('unknown'),
    ])
    .groupBy(sql`GROUPING SETS ((${day}), (query_type), ())`)
    .execute();
  const perDayMap = new Map<string, { total: number; unjustified: number }>();
  const byType = new Map<string, { total: number; unjustified: number }>();
  let total = 0;
  let unjustified = 0;
  let unknownAccounts = 0;
  for (const r of rows) {
    if (Number(r.g_day) === 0) perDayMap.set(r.day, { total: r.n, unjustified: r.bad });
    else if (Number(r.g_type) === 0) byType.set(r.query_type, { total: r.n, unjustified: r.bad });
    else ({ n: total, bad: unjustified, unknown: unknownAccounts } = r);
  }

  let alerts = scopedAlerts(db, scope).where('source', '=', 'lookups').where('occurred_at', '>=', from).where('occurred_at', '<', to);
  if (unitIds) alerts = alerts.where('unit_id', '=', sql<number>`ANY(${unitIds}::int[])`);
  const alertRows = await alerts
    .select([
      'rule',
      'unit_id',
      sql<number>`GROUPING(rule)`.as('g_rule'),
      sql<number>`count(*)::int`.as('n'),
      sql<number>`(count(*) FILTER (WHERE status IN ('open', 'acknowledged')))::int`.as('unclosed'),
    ])
    .groupBy(sql`GROUPING SETS ((rule), (unit_id))`)
    .execute();
  const alertsByRule = alertRows.filter((r) => Number(r.g_rule) === 0).map((r) => ({ rule: r.rule, total: r.n, unclosed: r.unclosed })).sort((a, b) => a.rule.localeCompare(b.rule));
  const unitCounts = new Map(alertRows.filter((r) => Number(r.g_rule) === 1).map((r) => [r.unit_id, { total: r.n, unclosed: r.unclosed }]));
  const units = await unitTree(db, ALL_ROWS);
  const alertsByUnit: LookupOverview['alertsByUnit'] = units.filter((u) => unitCounts.has(u.id)).map((u) => ({ unitId: u.id, unitName: u.name, ...unitCounts.get(u.id)! }));
  if (unitCounts.has(null)) alertsByUnit.push({ unitId: null, unitName: null, ...unitCounts.get(null)! });

  let ex = lt(db)
    .selectFrom('explanation_requests')
    .where((eb) => inScope(eb, scope, 'explanation_requests.unit_id', 'explanation_requests.person_id'))
    .where('status', 'in', ['requested', 'answered']);
  if (unitIds) ex = ex.where('unit_id', '=', sql<number>`ANY(${unitIds}::int[])`);
  const e = await ex
    .select([sql<number>`count(*)::int`.as('open'), sql<number>`(count(*) FILTER (WHERE status = 'requested' AND deadline < now()))::int`.as('overdue')])
    .executeTakeFirstOrThrow();

  return {
    from: iso(from),
    to: iso(to),
    perDay: daysOf(from, to).map((d) => ({ day: d, ...(perDayMap.get(d) ?? { total: 0, unjustified: 0 }) })),
    total,
    unjustified,
    unjustifiedShare: total === 0 ? null : unjustified / total,
    unknownAccounts,
    byQueryType: QUERY_TYPE_VALUES.filter((t) => byType.has(t)).map((t) => ({ queryType: t, ...byType.get(t)! })),
    alertsByRule,
    alertsByUnit,
    openExplanations: e.open,
    overdueExplanations: e.overdue,
  };
}

/** One person's look-ups against their unit's others: volume, hours, query types, repeated subjects, justification. */
export async function lookupProfile(db: Db, scope: ResolvedScope, personId: number, q: z.output<typeof profileQuery>): Promise<LookupProfile> {
  const person = (await peopleByIds(db, [personId])).get(personId);
  const visible = person && (scope.all || scope.unitIds.includes(person.unitId) || scope.selfPersonId === personId);
  if (!person || !visible) throw notFound('人员');
  const { from, to } = period(q);
  const mine = scopedLookups(db, scope).where('person_id', '=', personId).where('at', '>=', from).where('at', '<', to);
  const hour = sql<number>`extract(hour FROM (at AT TIME ZONE 'UTC') + interval '8 hours')::int`;
  const dow = sql<number>`extract(dow FROM (at AT TIME ZONE 'UTC') + interval '8 hours')::int`;
  const subjectKey = sql<string>`coalesce(subject_id_hash, subject_plate_hash, subject_name_hash)`;
  const [grouped, peerDays, repeated, units] = await Promise.all([
    mine
      .select([
        day.as('day'),
        dow.as('dow'),
        hour.as('hour'),
        'query_type',
        'purpose_category',
        sql<number>`GROUPING(${day})`.as('g_day'),
        sql<number>`GROUPING(${dow}, ${hour})`.as('g_heat'),
        sql<number>`GROUPING(query_type)`.as('g_type'),
        sql<number>`GROUPING(purpose_category)`.as('g_purpose'),
        sql<number>`count(*)::int`.as('n'),
        sql<number>`(count(*) FILTER (WHERE justified))::int`.as('ok'),
      ])
      .groupBy(sql`GROUPING SETS ((${day}), (${dow}, ${hour}), (query_type), (purpose_category), ())`)
      .execute(),
    // peers: the other people of the same unit who looked anything up in the period
    scopedLookups(db, scope)
      .where('unit_id', '=', person.unitId)
      .where('person_id', 'is not', null)
      .where('person_id', '<>', personId)
      .where('at', '>=', from)
      .where('at', '<', to)
      .select(['person_id', day.as('day'), sql<number>`count(*)::int`.as('n')])
      .groupBy(['person_id', day])
      .execute(),
    mine
      .select([
        sql<unknown>`(array_agg(subject_masked ORDER BY at DESC))[1]`.as('masked'),
        sql<number>`count(*)::int`.as('n'),
        sql<Date>`min(at)`.as('first_at'),
        sql<Date>`max(at)`.as('last_at'),
        sql<number>`max(id)`.as('last_id'),
      ])
      .groupBy(subjectKey)
      .having(sql`count(*)`, '>', 1)
      .orderBy(sql`count(*)`, 'desc')
      .orderBy(sql`max(at)`, 'desc')
      .limit(20)
      .execute(),
    unitTree(db, ALL_ROWS),
  ]);
  const perDayMine = new Map<string, number>();
  const heatmap: LookupProfile['heatmap'] = [];
  const byQueryType: LookupProfile['byQueryType'] = [];
  const byPurpose: LookupProfile['byPurpose'] = [];
  let total = 0;
  let justified = 0;
  for (const r of grouped) {
    if (Number(r.g_day) === 0) perDayMine.set(r.day, r.n);
    else if (Number(r.g_heat) === 0) heatmap.push({ weekday: r.dow, hour: r.hour, count: r.n });
    else if (Number(r.g_type) === 0) byQueryType.push({ queryType: r.query_type as QueryType, count: r.n });
    else if (Number(r.g_purpose) === 0) byPurpose.push({ purposeCategory: r.purpose_category, count: r.n });
    else ({ n: total, ok: justified } = r);
  }
  heatmap.sort((a, b) => a.weekday - b.weekday || a.hour - b.hour);
  byQueryType.sort((a, b) => QUERY_TYPE_VALUES.indexOf(a.queryType) - QUERY_TYPE_VALUES.indexOf(b.queryType));
  const peers = new Map<number, Map<string, number>>();
  for (const r of peerDays) {
    const m = peers.get(r.person_id!) ?? peers.set(r.person_id!, new Map()).get(r.person_id!)!;
    m.set(r.day, r.n);
  }
  const days = daysOf(from, to);
  return {
    person: { id: person.id, name: person.name, badgeNo: person.badgeNo, category: person.category, status: person.status, unitId: person.unitId, unitName: units.find((u) => u.id === person.unitId)?.name ?? null },
    from: iso(from),
    to: iso(to),
    perDay: days.map((d) => ({ day: d, count: perDayMine.get(d) ?? 0, peerMedian: median([...peers.values()].map((m) => m.get(d) ?? 0)) })),
    peers: peers.size,
    heatmap,
    byQueryType,
    byPurpose,
    repeatedSubjects: repeated.map((r) => ({ subject: json<MaskedSubject>(r.masked), count: r.n, firstAt: iso(r.first_at), lastAt: iso(r.last_at), lookupId: Number(r.last_id) })),
    total,
    justified,
    justificationRate: total === 0 ? null : justified / total,
  };
}
