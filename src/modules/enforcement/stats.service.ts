// The home dashboard's figures. Supervision volumes only: nothing here is broken down by officer
// or squadron, because fines and tickets may not be used to assess them (L3 Art.86, L1 Art.66).
import { sql } from 'kysely';
import type { z } from 'zod';
import type { Outcome, statsQuery, statsResponse } from '../../contracts/enforcement.ts';
import type { ResolvedScope } from '../../platform/authz/principal.ts';
import type { Db } from '../../platform/db/database.ts';
import { currentRuleSet } from '../rules/rule-sets.service.ts';
import { reviewDue } from '../rules/working-days.ts';
import { unitWithDescendants } from '../org/units.service.ts';
import { selectRecords } from './records.service.ts';

const DAY_MS = 86_400_000;

export async function enforcementStats(db: Db, scope: ResolvedScope, q: z.output<typeof statsQuery>, now = Date.now()): Promise<z.infer<typeof statsResponse>> {
  const to = q.to ? new Date(q.to) : new Date(now);
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - 30 * DAY_MS);
  const units = q.unitId ? await unitWithDescendants(db, q.unitId) : null;
  const inUnits = <Q extends ReturnType<typeof selectRecords>>(b: Q): Q => (units ? (b.where('unit_id', '=', sql<number>`ANY(${units}::int[])`) as Q) : b);
  const base = () => inUnits(selectRecords(db, scope).where('occurred_at', '>=', from).where('occurred_at', '<', to));
  const day = sql<string>`to_char((occurred_at AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM-DD')`;
  const [perDay, findings, held] = await Promise.all([
    base().select([day.as('day'), 'outcome', sql<number>`count(*)::int`.as('n')]).groupBy([day, 'outcome']).orderBy(day).execute(),
    base()
      .where('outcome', '=', 'nonCompliant')
      .innerJoin(sql<{ rule: string }>`jsonb_array_elements(reasons)`.as('r'), (j) => j.onTrue())
      .select([sql<string>`r.value->>'rule'`.as('rule'), sql<number>`count(*)::int`.as('n')])
      .groupBy(sql`r.value->>'rule'`)
      .orderBy('n', 'desc')
      .execute(),
    inUnits(selectRecords(db, scope)).select('occurred_at').where('outcome', '=', 'held').execute(),
  ]);
  const totals = new Map<Outcome, number>();
  for (const r of perDay) totals.set(r.outcome as Outcome, (totals.get(r.outcome as Outcome) ?? 0) + Number(r.n));
  const warnings = totals.get('warning') ?? 0;
  const penalties = totals.get('penalty') ?? 0;
  const { params } = await currentRuleSet(db);
  const overdue = held.filter((h) => reviewDue(new Date(h.occurred_at).getTime(), now, params).overdue).length;
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    perDay: perDay.map((r) => ({ day: r.day, outcome: r.outcome as Outcome, count: Number(r.n) })),
    totals: [...totals].map(([outcome, count]) => ({ outcome, count })),
    warningShare: warnings + penalties > 0 ? warnings / (warnings + penalties) : null,
    heldBacklog: held.length,
    heldOverdue: overdue,
    onSiteFindingsByRule: findings.map((f) => ({ rule: f.rule, count: Number(f.n) })),
  };
}
