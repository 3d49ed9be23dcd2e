// The alerts service: detectors raise alerts here (set-based, deduplicated), handlers work them
// (alerts.workflow.ts), lists and dashboards read them (alerts.query.ts). Other modules import
// from this file only.
import { sql } from 'kysely';
import type { AlertSeverity } from '../../contracts/alerts.ts';
import type { Db } from '../../platform/db/database.ts';
import { inTransaction, type Tx } from '../../platform/db/tx.ts';
import { record, type LedgerRecord, type RequestContext } from '../ledger/ledger.service.ts';
import { contentHash, validateInputs, type AlertInput } from './alerts.schema.ts';

export type { AlertInput } from './alerts.schema.ts';
export { AlertInputError } from './alerts.schema.ts';
export { alertSummary, detectorStats, getAlert, listAlerts } from './alerts.query.ts';
export { acknowledgeAlert, assignAlert, dismissAlert, escalateAlert, reopenAlert, resolveAlert, setAlertVerdict } from './alerts.workflow.ts';

/** Rows per INSERT … ON CONFLICT statement. */
export const RAISE_CHUNK = 1000;

export interface RaiseResult {
  /** new alerts */
  created: number;
  /** unclosed alerts of the same (rule, dedupKey) found again; their content was replaced */
  refreshed: number;
  /** the alert of each input, in input order (inputs with the same key share one) */
  ids: number[];
}

interface Outcome {
  id: number;
  rule: string;
  dedup_key: string;
  inserted: boolean;
  changed: boolean;
  prior_severity: string | null;
  severity: string;
}

const keyOf = (rule: string, dedupKey: string) => `${rule}\u0000${dedupKey}`;

/**
 * Raises the findings of a detector run inside the caller's transaction (the one that stores
 * what was detected), so records, alerts and ledger entries commit together.
 *
 * - One INSERT … ON CONFLICT per chunk of RAISE_CHUNK inputs, never a query per alert.
 * - An unclosed (open/acknowledged) alert with the same (rule, dedupKey) is refreshed: severity,
 *   title, explanation, basis, facts, evidence, subject label, unit and person replaced,
 *   occurredAt the later of the two, raiseCount + 1. Its status, assignee and verdict stay.
 * - A dismissed or resolved alert does not block: the finding raises a new alert.
 * - Inputs repeating a key within the call: the last one wins.
 * - Ledger: `alert.raise` per new alert, `alert.refresh` per refreshed alert whose content
 *   changed; all in one `record` call. The history (alert_events) gets the same.
 */
export async function raiseAlerts(trx: Tx, ctx: RequestContext, inputs: AlertInput[]): Promise<RaiseResult> {
  if (inputs.length === 0) return { created: 0, refreshed: 0, ids: [] };
  if (!trx.isTransaction) throw new Error('raiseAlerts must run inside the transaction of the detection');
  const valid = validateInputs(inputs);
  const latest = new Map<string, AlertInput>();
  for (const input of valid) {
    const key = keyOf(input.rule, input.dedupKey);
    latest.delete(key); // keep insertion order = order of the last occurrence
    latest.set(key, input);
  }
  const unique = [...latest.values()];

  const idOf = new Map<string, number>();
  const entries: LedgerRecord[] = [];
  let created = 0;
  let refreshed = 0;
  for (let start = 0; start < unique.length; start += RAISE_CHUNK) {
    const chunk = unique.slice(start, start + RAISE_CHUNK);
    const byKey = new Map(chunk.map((a) => [keyOf(a.rule, a.dedupKey), a]));
    for (const o of await upsertChunk(trx, ctx, chunk)) {
      const input = byKey.get(keyOf(o.rule, o.dedup_key))!;
      idOf.set(keyOf(o.rule, o.dedup_key), o.id);
      if (o.inserted) {
        created += 1;
        entries.push({ action: 'alert.raise', subjectType: 'alert', subjectId: o.id, payload: raisePayload(input) });
      } else {
        refreshed += 1;
        if (o.changed) {
          entries.push({
            action: 'alert.refresh',
            subjectType: 'alert',
            subjectId: o.id,
            payload: {
              rule: input.rule,
              dedupKey: input.dedupKey,
              before: { severity: o.prior_severity as AlertSeverity | null },
              after: { severity: input.severity, title: input.title },
              contentSha256: contentHash(input),
            },
          });
        }
      }
    }
  }
  await record(trx, ctx, ...entries);
  return { created, refreshed, ids: valid.map((a) => idOf.get(keyOf(a.rule, a.dedupKey))!) };
}

function raisePayload(a: AlertInput): Record<string, unknown> {
  return {
    source: a.source,
    rule: a.rule,
    ruleSetVersion: a.ruleSetVersion ?? null,
    subjectType: a.subjectType,
    subjectId: a.subjectId,
    subjectLabel: a.subjectLabel,
    unitId: a.unitId,
    personId: a.personId,
    severity: a.severity,
    title: a.title,
    dedupKey: a.dedupKey,
    occurredAt: a.occurredAt.toISOString(),
    contentSha256: contentHash(a),
  };
}

/**
 * One statement: the chunk as arrays (one parameter per column, so the text is the same for any
 * chunk size), the unclosed alerts it meets as they were before (`prior`), the upsert, and the
 * history rows for what was created or changed.
 */
async function upsertChunk(trx: Tx, ctx: RequestContext, chunk: AlertInput[]): Promise<Outcome[]> {
  const col = <T>(f: (a: AlertInput) => T) => chunk.map(f);
  const { rows } = await sql<Outcome>`
    WITH incoming AS (
      SELECT * FROM unnest(
        ${col((a) => a.source)}::text[], ${col((a) => a.rule)}::text[], ${col((a) => a.ruleSetVersion ?? null)}::int[],
        ${col((a) => a.subjectType)}::text[], ${col((a) => a.subjectId)}::text[], ${col((a) => a.subjectLabel)}::text[],
        ${col((a) => a.unitId)}::int[], ${col((a) => a.personId)}::int[], ${col((a) => a.severity)}::text[],
        ${col((a) => a.title)}::text[], ${col((a) => a.explanation)}::text[], ${col((a) => a.basis ?? null)}::text[],
        ${col((a) => JSON.stringify(a.facts))}::text[], ${col((a) => JSON.stringify(a.evidence))}::text[],
        ${col((a) => a.dedupKey)}::text[], ${col((a) => a.occurredAt.toISOString())}::text[]
      ) AS x(source, rule, rule_set_version, subject_type, subject_id, subject_label, unit_id, person_id, severity,
             title, explanation, basis, facts, evidence, dedup_key, occurred_at)
    ),
    prior AS (
      SELECT a.id, a.severity, a.title, a.explanation, a.basis, a.facts, a.evidence, a.subject_label, a.unit_id, a.person_id
      FROM alerts a JOIN incoming i ON a.rule = i.rule AND a.dedup_key = i.dedup_key
      WHERE a.status IN ('open', 'acknowledged')
    ),
    upserted AS (
      INSERT INTO alerts AS a (source, rule, rule_set_version, subject_type, subject_id, subject_label, unit_id, person_id,
                               severity, title, explanation, basis, facts, evidence, dedup_key, occurred_at)
      SELECT source, rule, rule_set_version, subject_type, subject_id, subject_label, unit_id, person_id,
             severity, title, explanation, basis, facts::jsonb, evidence::jsonb, dedup_key, occurred_at::timestamptz
      FROM incoming
      ON CONFLICT (rule, dedup_key) WHERE status IN ('open', 'acknowledged') DO UPDATE SET
        rule_set_version = excluded.rule_set_version,
        subject_label = excluded.subject_label,
        unit_id = excluded.unit_id,
        person_id = excluded.person_id,
        severity = excluded.severity,
        title = excluded.title,
        explanation = excluded.explanation,
        basis = excluded.basis,
        facts = excluded.facts,
        evidence = excluded.evidence,
        occurred_at = GREATEST(a.occurred_at, excluded.occurred_at),
        raise_count = a.raise_count + 1,
        last_raised_at = now(),
        updated_at = CASE
          WHEN (a.severity, a.title, a.explanation, a.basis, a.facts, a.evidence, a.subject_label, a.unit_id, a.person_id)
               IS DISTINCT FROM (excluded.severity, excluded.title, excluded.explanation, excluded.basis, excluded.facts,
                                 excluded.evidence, excluded.subject_label, excluded.unit_id, excluded.person_id)
          THEN now() ELSE a.updated_at END
      RETURNING a.id, a.rule, a.dedup_key, (a.xmax = 0) AS inserted, a.severity, a.title, a.explanation, a.basis,
                a.facts, a.evidence, a.subject_label, a.unit_id, a.person_id
    ),
    outcome AS (
      SELECT u.id, u.rule, u.dedup_key, u.inserted, p.severity AS prior_severity, u.severity,
             (NOT u.inserted AND (p.id IS NULL
               OR (p.severity, p.title, p.explanation, p.basis, p.facts, p.evidence, p.subject_label, p.unit_id, p.person_id)
                  IS DISTINCT FROM (u.severity, u.title, u.explanation, u.basis, u.facts, u.evidence, u.subject_label, u.unit_id, u.person_id)
             )) AS changed
      FROM upserted u LEFT JOIN prior p ON p.id = u.id
    ),
    events AS (
      INSERT INTO alert_events (alert_id, actor_account_id, actor_name, action, from_status, to_status, details)
      SELECT id, ${ctx.principal.accountId}::int, ${ctx.principal.name}::text,
             CASE WHEN inserted THEN 'raise' ELSE 'refresh' END,
             NULL, CASE WHEN inserted THEN 'open' END,
             CASE WHEN inserted THEN '{}'::jsonb
                  ELSE jsonb_build_object('severity', jsonb_build_object('before', prior_severity, 'after', severity)) END
      FROM outcome WHERE inserted OR changed
    )
    SELECT id, rule, dedup_key, inserted, changed, prior_severity, severity FROM outcome`.execute(trx);
  return rows;
}

/**
 * Which of these findings a person already closed (dismissed or resolved) and no open alert
 * carries: detectors that re-find the same thing on every run leave those alone instead of
 * raising them again after each batch. A resolution the system made because the finding no
 * longer held (resolveAlertAutomatically) is nobody's judgement of it: such an alert does not
 * count, so the finding found again later raises a new alert.
 */
export async function closedFindings(db: Db | Tx, findings: ReadonlyArray<{ rule: string; dedupKey: string }>): Promise<Set<string>> {
  if (findings.length === 0) return new Set();
  const { rows } = await sql<{ rule: string; dedup_key: string }>`
    SELECT a.rule, a.dedup_key
      FROM alerts a
      JOIN unnest(${findings.map((f) => f.rule)}::text[], ${findings.map((f) => f.dedupKey)}::text[]) AS k(rule, dedup_key)
        ON a.rule = k.rule AND a.dedup_key = k.dedup_key
     WHERE a.status <> 'resolved'
        OR (SELECT e.details->>'automatic' FROM alert_events e
             WHERE e.alert_id = a.id AND e.to_status IS NOT NULL ORDER BY e.id DESC LIMIT 1) IS NULL
     GROUP BY a.rule, a.dedup_key
    HAVING bool_and(a.status IN ('dismissed', 'resolved'))`.execute(db);
  return new Set(rows.map((r) => `${r.rule}\u0000${r.dedup_key}`));
}

/**
 * Resolves an unclosed alert for the detector that raised it, because its finding no longer holds
 * (look-ups it rested on justified by a record that arrived later) — not a person's judgement.
 * The history row and the ledger entry carry `automatic` (why), which closedFindings reads.
 * Returns false, changing nothing, when the alert is no longer open or acknowledged.
 */
export async function resolveAlertAutomatically(db: Db, ctx: RequestContext, id: number, comment: string, automatic: string): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const { rows } = await sql<{ status: string }>`SELECT status FROM alerts WHERE id = ${id} FOR UPDATE`.execute(trx);
    const from = rows[0]?.status;
    if (from !== 'open' && from !== 'acknowledged') return false;
    await sql`UPDATE alerts SET status = 'resolved', status_reason = ${comment}, status_changed_at = now(), updated_at = now() WHERE id = ${id}`.execute(trx);
    const details = { before: { status: from }, after: { status: 'resolved' }, automatic };
    await sql`
      INSERT INTO alert_events (alert_id, actor_account_id, actor_name, action, from_status, to_status, comment, details)
      VALUES (${id}, ${ctx.principal.accountId}, ${ctx.principal.name}, 'resolve', ${from}, 'resolved', ${comment}, ${JSON.stringify(details)}::jsonb)`.execute(trx);
    await record(trx, ctx, { action: 'alert.resolve', subjectType: 'alert', subjectId: id, payload: { ...details, comment } });
    return true;
  });
}
