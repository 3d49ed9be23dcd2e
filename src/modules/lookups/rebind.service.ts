// Re-binding (重新核验): a look-up whose caseRef named nothing when it arrived (reason
// `caseRefNotFound`) is bound again once the enforcement record it cites exists, by the same rules
// as at intake (purpose.ts), so the verdict does not depend on which of the two arrived first.
// Runs set-based: for the records an enforcement intake just committed
// (`rebindLookupsForRecords`), and at the start of every detection run for the run's scope.
// Each re-binding that changes stored verdicts is one ledger entry; an open alert of a rule that
// reads unjustified look-ups only, whose every look-up is now justified, is resolved (its finding
// no longer holds).
import crypto from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import { LOOKUP_PARAMS, type JustificationFacts, type PurposeCategory, type QueryType } from '../../contracts/lookups.ts';
import type { Db } from '../../platform/db/database.ts';
import { inTransaction } from '../../platform/db/tx.ts';
import { resolveAlertAutomatically } from '../alerts/alerts.service.ts';
import { record, type RequestContext } from '../ledger/ledger.service.ts';
import { detectForBatch } from './detection.service.ts';
import { caseRecords } from './lookups.repo.ts';
import { bindPurpose } from './purpose.ts';
import type { SubjectKeys } from './subject-crypto.ts';
import { lockLookupWrites, removeUnjustifiedFromSummaries } from './summaries.ts';

/** What a re-binding changed. */
export interface RebindResult {
  /** look-ups whose stored verdict or facts changed (their caseRef now resolves) */
  changed: number;
  /** of which now justified */
  justified: number;
  /** the accounts and the span of the look-ups now justified: the rules re-examine them */
  accounts: Set<string>;
  from: Date | null;
  to: Date | null;
  /** alerts resolved because every look-up they rest on is now justified */
  resolvedAlerts: number[];
}

/** Rules whose findings rest on unjustified look-ups and nothing else (they read no justified one). */
export const REBIND_VOIDABLE_RULES = ['L-PURPOSE', 'L-OFFDUTY', 'L-BULK', 'L-HOT', 'L-CRIMINAL'] as const;
export const REBIND_RESOLVE_COMMENT = '所依据的查询已关联到后到的执法记录，经重新核验均有正当事由，告警自动办结';

const keysByDb = new WeakMap<Db, SubjectKeys>();

/** The subject keys of a database's installation, for re-bindings called without them (the look-up routes register them). */
export function registerLookupKeys(db: Db, keys: SubjectKeys): void {
  keysByDb.set(db, keys);
}

const UNBOUND = sql<boolean>`NOT l.justified AND l.case_ref IS NOT NULL AND (l.justification->>'reason') = 'caseRefNotFound'`;
/**
 * The caseRef now names a record, by the rules of lookups.repo.ts `caseRecords`: its external id,
 * or a numeric caseRef (1–15 digits) as Clearlane's record id. Only these look-ups are read and
 * locked: the ones still naming nothing stay untouched (no lock, no work) however many there are.
 * The CASE keeps the cast from ever seeing a non-numeric caseRef.
 */
const RESOLVES = sql<boolean>`(EXISTS (SELECT 1 FROM enforcement_records e WHERE e.external_id = l.case_ref)
  OR EXISTS (SELECT 1 FROM enforcement_records e WHERE e.id = CASE WHEN l.case_ref ~ '^[0-9]{1,15}$' THEN l.case_ref::bigint END))`;

/**
 * Re-binds the look-ups that cite these enforcement records (by external id or Clearlane id) and
 * were stored before the records existed, then queues the rules for the accounts concerned. For
 * enforcement intake, after its commit. `keys` defaults to the ones registered for `db`
 * (registerLookupKeys); with none, nothing is done here (see below).
 */
export async function rebindLookupsForRecords(db: Db, ctx: RequestContext, recordIds: readonly number[], keys?: SubjectKeys): Promise<RebindResult> {
  const k = keys ?? keysByDb.get(db);
  // Without the keys (a process that never built the look-up routes: a CLI import, a bulk load)
  // nothing can be compared; the next detection run re-binds these look-ups with its own keys.
  if (recordIds.length === 0 || !k) return emptyResult();
  const { rows } = await sql<{ id: unknown; external_id: string }>`SELECT id, external_id FROM enforcement_records WHERE id = ANY(${[...recordIds]}::bigint[])`.execute(db);
  const refs = [...new Set(rows.flatMap((r) => [r.external_id, String(r.id)]))];
  if (refs.length === 0) return emptyResult();
  const result = await rebind(db, ctx, k, sql<boolean>`l.case_ref = ANY(${refs}::text[])`);
  // the rules look again at the accounts whose verdicts changed (queued; failures are logged, not thrown)
  if (result.justified > 0) void detectForBatch(db, ctx, { accounts: result.accounts, subjectHashes: new Set(), certificates: new Set(), from: result.from, to: result.to }, { keys: k });
  return result;
}

/** The detection run's re-binding: the unbound look-ups of the run's accounts (or all) in its period. */
export async function rebindInScope(db: Db, ctx: RequestContext, keys: SubjectKeys, accounts: readonly string[] | 'all', range: { from: string; to: string }): Promise<RebindResult> {
  const who = accounts === 'all' ? sql<boolean>`true` : sql<boolean>`l.account = ANY(${[...accounts]}::text[])`;
  return rebind(db, ctx, keys, sql<boolean>`${who} AND l.at >= ${range.from}::timestamptz AND l.at < ${range.to}::timestamptz`);
}

const emptyResult = (): RebindResult => ({ changed: 0, justified: 0, accounts: new Set(), from: null, to: null, resolvedAlerts: [] });

async function rebind(db: Db, ctx: RequestContext, keys: SubjectKeys, where: RawBuilder<boolean>): Promise<RebindResult> {
  const result = emptyResult();
  // cheap when nothing is unbound: the partial index holds only look-ups whose caseRef named
  // nothing, and of those only the ones whose caseRef now resolves are read
  const { rows: probe } = await sql<{ one: number }>`SELECT 1 AS one FROM lookups l WHERE ${UNBOUND} AND ${where} AND ${RESOLVES} LIMIT 1`.execute(db);
  if (probe.length === 0) return result;
  const nowJustified = await inTransaction(db, async (trx) => {
    // the intake lock: a batch and a re-binding do not interleave their summary updates
    await lockLookupWrites(trx);
    const { rows } = await sql<{
      id: unknown; external_id: string; at: Date; account: string; person_id: number | null; query_type: QueryType;
      purpose_category: PurposeCategory | null; purpose_text: string | null; case_ref: string; subject_enc: string;
    }>`
      SELECT l.id, l.external_id, l.at, l.account, l.person_id, l.query_type, l.purpose_category, l.purpose_text, l.case_ref, l.subject_enc
        FROM lookups l WHERE ${UNBOUND} AND ${where} AND ${RESOLVES} ORDER BY l.id FOR UPDATE OF l`.execute(trx);
    if (rows.length === 0) return [];
    const cases = await caseRecords(trx, [...new Set(rows.map((r) => r.case_ref))]);
    const changes: Array<{ id: number; externalId: string; account: string; at: Date; facts: JustificationFacts }> = [];
    for (const r of rows) {
      const rec = cases.get(r.case_ref);
      if (!rec) continue;
      let subject;
      try {
        subject = keys.decrypt(r.subject_enc);
      } catch {
        // a subject the key cannot read cannot be compared: the look-up stays as it was
        continue;
      }
      const facts = bindPurpose(
        {
          at: new Date(r.at).getTime(),
          account: r.account,
          personId: r.person_id,
          queryType: r.query_type,
          purpose: r.purpose_category ? { category: r.purpose_category, text: r.purpose_text ?? '' } : undefined,
          caseRef: r.case_ref,
          subject: { plate: subject.plate ?? undefined, idNumber: subject.idNumber ?? undefined, name: subject.name ?? undefined },
        },
        rec,
        LOOKUP_PARAMS,
      );
      if (facts.reason === 'caseRefNotFound') continue;
      changes.push({ id: Number(r.id), externalId: r.external_id, account: r.account, at: new Date(r.at), facts });
    }
    if (changes.length === 0) return [];
    await sql`
      UPDATE lookups l SET justified = v.justified, justification = v.facts::jsonb
        FROM unnest(${changes.map((c) => c.id)}::bigint[], ${changes.map((c) => c.facts.justified)}::boolean[], ${changes.map((c) => JSON.stringify(c.facts))}::text[]) AS v(id, justified, facts)
       WHERE l.id = v.id`.execute(trx);
    const justified = changes.filter((c) => c.facts.justified);
    await removeUnjustifiedFromSummaries(trx, justified.map((c) => c.id));
    const digest = crypto.createHash('sha256');
    for (const c of changes) digest.update(`${JSON.stringify([c.id, c.externalId, c.facts.justified, c.facts.reason, c.facts.recordId])}\n`);
    await record(trx, ctx, {
      action: 'lookup.rebind',
      subjectType: 'lookup',
      subjectId: changes.length === 1 ? changes[0]!.id : `${changes.length}条`,
      payload: {
        count: changes.length,
        justified: justified.length,
        paramsVersion: LOOKUP_PARAMS.version,
        changes: changes.slice(0, 1000).map((c) => ({
          lookupId: c.id,
          externalId: c.externalId,
          before: { justified: false, reason: 'caseRefNotFound' },
          after: { justified: c.facts.justified, reason: c.facts.reason, recordId: c.facts.recordId, role: c.facts.role },
        })),
        digest: digest.digest('hex'),
      },
    });
    result.changed = changes.length;
    result.justified = justified.length;
    for (const c of justified) {
      result.accounts.add(c.account);
      if (!result.from || c.at < result.from) result.from = c.at;
      if (!result.to || c.at > result.to) result.to = c.at;
    }
    return justified.map((c) => c.id);
  });
  if (nowJustified.length > 0) result.resolvedAlerts = await resolveVoidAlerts(db, ctx, nowJustified);
  return result;
}

/**
 * The open alerts of REBIND_VOIDABLE_RULES that cite a now-justified look-up and rest on no look-up
 * that is still unjustified: their finding no longer holds, so they are resolved as the system's
 * resolution (alerts service `resolveAlertAutomatically`: recorded, and not counted as a person
 * closing the finding — found again later, it raises a new alert). Only alerts whose evidence list
 * is whole (`facts.lookupIds` holds all `facts.lookupCount` ids; the runner keeps at most 1,000):
 * with ids left out, some of those may still be unjustified. Alerts with unjustified look-ups left
 * stay open; the next run refreshes them when they still reach the threshold. Read-only use of the
 * alerts table.
 */
async function resolveVoidAlerts(db: Db, ctx: RequestContext, ids: number[]): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`
    SELECT a.id FROM alerts a
     WHERE a.source = 'lookups' AND a.rule = ANY(${[...REBIND_VOIDABLE_RULES]}::text[]) AND a.status IN ('open', 'acknowledged')
       AND (a.facts->>'lookupCount') = CASE WHEN jsonb_typeof(a.facts->'lookupIds') = 'array' THEN jsonb_array_length(a.facts->'lookupIds')::text END
       AND EXISTS (SELECT 1 FROM jsonb_array_elements_text(a.facts->'lookupIds') e WHERE e::bigint = ANY(${ids}::bigint[]))
       AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements_text(a.facts->'lookupIds') e JOIN lookups l ON l.id = e::bigint WHERE NOT l.justified)
     ORDER BY a.id`.execute(db);
  const done: number[] = [];
  for (const r of rows) if (await resolveAlertAutomatically(db, ctx, r.id, REBIND_RESOLVE_COMMENT, 'lookup.rebind')) done.push(r.id);
  return done;
}
