// The legal officer's queue of held camera records (L1 Art.19: reviewed within 5 working days
// before entering the violation system), the review itself, and the sweep that raises
// R-REVIEW-DUE alerts for records left waiting too long.
import { sql } from 'kysely';
import type { z } from 'zod';
import type { Page } from '../../contracts/common.ts';
import type { Outcome, ReviewItem, reviewBody, reviewQueueQuery } from '../../contracts/enforcement.ts';
import type { ResolvedScope } from '../../platform/authz/principal.ts';
import type { Db } from '../../platform/db/database.ts';
import { startPeriodic } from '../../platform/periodic.ts';
import { bootstrapContext } from '../../platform/bootstrap.ts';
import { contains } from '../../platform/db/paging.ts';
import { inTransaction, type Tx } from '../../platform/db/tx.ts';
import { conflict } from '../../platform/http/errors.ts';
import { raiseAlerts, type AlertInput } from '../alerts/alerts.service.ts';
import { loadCatalogueVersion } from '../catalogue/catalogue.service.ts';
import { record, type RequestContext } from '../ledger/ledger.service.ts';
import { unitNames } from '../org/units.service.ts';
import { currentRuleSet } from '../rules/rule-sets.service.ts';
import { reviewDue, reviewDueReason } from '../rules/working-days.ts';
import type { EnforcementTables } from './enforcement.tables.ts';
import { recordEvidence } from './evidence.ts';
import { listRecordsByIds, num, reasonsOf, selectRecords } from './records.service.ts';

const t = (db: Db | Tx) => db.withTables<EnforcementTables>();

type Filter = Omit<z.output<typeof reviewQueueQuery>, 'page' | 'pageSize'>;

/** Held records, oldest capture first (the most urgent), with their working-day countdown from the capture (L1 Art.19). */
export async function reviewQueue(db: Db, scope: ResolvedScope, query: z.output<typeof reviewQueueQuery>, now = Date.now()): Promise<Page<ReviewItem>> {
  const { page, pageSize, ...f } = query;
  const { params } = await currentRuleSet(db);
  let q = selectRecords(db, scope).select(['id', 'occurred_at']).where('outcome', '=', 'held');
  q = narrow(q, f);
  // Two small columns for the whole backlog; the countdown needs the calendar, so it is computed here.
  const all = (await q.orderBy('occurred_at').orderBy('id').execute()).map((r) => ({ id: Number(r.id), due: reviewDue(new Date(r.occurred_at).getTime(), now, params) }));
  const chosen = f.overdue === undefined ? all : all.filter((r) => r.due.overdue === (f.overdue === 'true'));
  const slice = chosen.slice((page - 1) * pageSize, page * pageSize);
  const details = await listRecordsByIds(db, slice.map((s) => s.id));
  const items = slice.map((s) => {
    const d = details.get(s.id)!;
    return {
      ...d.summary,
      heldAt: d.heldAt,
      reviewDueAt: new Date(s.due.dueAt).toISOString(),
      workingDaysLeft: s.due.workingDaysLeft,
      overdue: s.due.overdue,
      holdMessages: d.reasons.map((r) => r.message),
    };
  });
  return { items, total: chosen.length, page, pageSize };
}

function narrow<Q extends ReturnType<typeof selectRecords>>(q: Q, f: Filter): Q {
  let out = q;
  if (f.code) out = out.where('violation_code', '=', f.code) as Q;
  if (f.plate) out = out.where('plate', 'like', contains(f.plate.toUpperCase())) as Q;
  if (f.device) out = out.where('device_id', '=', f.device) as Q;
  if (f.rule) out = out.where(sql<boolean>`reasons @> ${JSON.stringify([{ rule: f.rule }])}::jsonb`) as Q;
  return out;
}

/**
 * Confirms, downgrades to a warning, or voids held records, all or none: a record that is not
 * (or no longer) held, or is outside the reviewer's scope, refuses the whole request.
 */
export async function reviewRecords(db: Db, ctx: RequestContext, input: z.output<typeof reviewBody>) {
  const ids = [...new Set(input.ids)];
  return inTransaction(db, async (trx) => {
    const rows = await selectRecords(trx, ctx.principal.scope)
      .select(['id', 'outcome', 'violation_code', 'occurred_at', 'fine_yuan', 'points', 'catalogue_version', 'held_at'])
      .where('id', '=', sql<number>`ANY(${ids}::bigint[])`)
      .forUpdate()
      .execute();
    const found = new Map(rows.map((r) => [Number(r.id), r]));
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length > 0) throw conflict(`记录 ${missing.slice(0, 5).join('、')}${missing.length > 5 ? ' 等' : ''} 不存在或无权访问`, 'ids');
    const notHeld = rows.filter((r) => r.outcome !== 'held').map((r) => Number(r.id));
    if (notHeld.length > 0) throw conflict(`记录 ${notHeld.slice(0, 5).join('、')}${notHeld.length > 5 ? ' 等' : ''} 已审核或不在待审核状态，请刷新后重试`, 'ids');

    // The amounts per record in JS (the catalogue version each was decided with), then one UPDATE.
    const decided: Array<{ id: number; fine: number | null; points: number | null }> = [];
    for (const version of new Set(rows.map((r) => r.catalogue_version))) {
      const catalogue = await loadCatalogueVersion(trx, version);
      for (const r of rows.filter((x) => x.catalogue_version === version)) {
        const entry = catalogue.entryAt(r.violation_code, new Date(r.occurred_at).getTime());
        const given = num(r.fine_yuan);
        // A confirmed penalty carries the catalogue's amount unless the record's own is within range.
        const fine = input.decision === 'penalty' ? (given !== null && entry && given >= entry.fineMin && given <= entry.fineMax ? given : (entry?.fineDefault ?? given)) : input.decision === 'warning' ? 0 : null;
        const points = input.decision === 'penalty' ? (entry?.points ?? r.points) : input.decision === 'warning' ? 0 : null;
        decided.push({ id: Number(r.id), fine, points });
      }
    }
    await sql`
      UPDATE enforcement_records r
         SET outcome = ${input.decision}, decided_fine_yuan = d.fine, decided_points = d.points,
             reviewed_at = now(), reviewed_by = ${ctx.principal.accountId}, review_note = ${input.note || null}
        FROM unnest(${decided.map((d) => d.id)}::bigint[], ${decided.map((d) => d.fine)}::numeric[], ${decided.map((d) => d.points)}::smallint[]) AS d(id, fine, points)
       WHERE r.id = d.id`.execute(trx);
    const items: Array<{ id: number; outcome: Outcome }> = decided.map((d) => ({ id: d.id, outcome: input.decision }));
    await record(
      trx,
      ctx,
      ...items.map((i) => ({ action: 'enforcement.record.review', subjectType: 'enforcement_record', subjectId: i.id, payload: { from: 'held', to: i.outcome, note: input.note } })),
    );
    return { reviewed: items.length, items };
  });
}

/** Raises R-REVIEW-DUE for every held record past its working-day limit (idempotent: one alert per record). */
export async function sweepReviewDue(db: Db, ctx: RequestContext, now = Date.now()): Promise<number> {
  const { version, params } = await currentRuleSet(db);
  const held = await t(db)
    .selectFrom('enforcement_records')
    .select(['id', 'held_at', 'occurred_at', 'plate', 'violation_code', 'device_id', 'unit_id', 'reasons'])
    .where('outcome', '=', 'held')
    .execute();
  const units = await unitNames(db);
  const alerts: AlertInput[] = [];
  for (const r of held) {
    // L1 Art.19 counts the 5 working days from the capture, not from when Clearlane received it.
    const capturedAt = new Date(r.occurred_at).getTime();
    if (!reviewDue(capturedAt, now, params).overdue) continue;
    const reason = reviewDueReason(capturedAt, now, params, version);
    alerts.push({
      source: 'enforcement',
      rule: 'R-REVIEW-DUE',
      ruleSetVersion: version,
      subjectType: 'record',
      subjectId: String(r.id),
      subjectLabel: `${r.plate} ${r.violation_code}${r.device_id ? ` · ${r.device_id}` : ''}`,
      unitId: r.unit_id,
      personId: null,
      severity: 'medium',
      title: `待审核记录超期未审：${r.plate}（${units.get(r.unit_id) ?? ''}）`,
      explanation: reason.message,
      basis: reason.basis,
      facts: { ...reason.facts, holdRules: reasonsOf(r).map((x) => x.rule) },
      evidence: [recordEvidence({ id: Number(r.id), plate: r.plate, code: r.violation_code, occurredAt: new Date(r.occurred_at).getTime(), deviceId: r.device_id })],
      dedupKey: String(r.id),
      occurredAt: new Date(capturedAt),
    });
  }
  if (alerts.length === 0) return 0;
  return db.transaction().execute(async (trx) => (await raiseAlerts(trx, ctx, alerts)).created);
}

/** How often held records are checked against their review deadline. */
const REVIEW_SWEEP_MS = 15 * 60_000;

/** Sweeps for overdue held records at start-up and every quarter hour. */
export function startReviewDueTimer(db: Db, log: { error(o: object, msg: string): void }): { stop(): void } {
  return startPeriodic(() => sweepReviewDue(db, bootstrapContext('审核超期检查')), { firstAfterMs: 5_000, everyMs: REVIEW_SWEEP_MS, log, failure: 'review-due sweep failed' });
}
