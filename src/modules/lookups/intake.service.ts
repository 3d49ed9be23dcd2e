// The batch path every look-up takes (HTTP batch, CSV/XLSX import, demo, benchmark): validate each
// row → one transaction under the look-up intake lock: known externalIds, people by 警号, units,
// and the enforcement records the caseRefs name, each loaded ONCE → purpose binding for every row
// (pure) and the L-RANDOM draw → one COPY/INSERT for the batch → the rules' summaries (one upsert
// per summary table, summaries.ts) → one ledger entry with a digest. After the commit the
// detection rules run for what the batch touched. A sender is answered with each row's status and
// id only: the purpose verdict is the audit's, not the feed's.
import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { LookupRuleParams } from '../../contracts/lookup-rules.ts';
import { LOOKUP_PARAMS, lookupInput, type LookupBatchResult, type LookupInput } from '../../contracts/lookups.ts';
import { databaseKindOf, type Db } from '../../platform/db/database.ts';
import { inTransaction } from '../../platform/db/tx.ts';
import { record, type RequestContext } from '../ledger/ledger.service.ts';
import { peopleByBadge } from '../org/personnel.service.ts';
import { unitTree } from '../org/units.service.ts';
import { currentLookupRuleSet } from './detection.params.ts';
import { ALL_ROWS } from './lookups.query.ts';
import { allocateLookupIds, caseRecords, findByExternalIds, insertLookups, nextLookupBatchSeq, type NewLookupRow } from './lookups.repo.ts';
import { bindPurpose } from './purpose.ts';
import { isSampled } from './rules/activity-rules.ts';
import { sexOfIdNumber } from './rules/subject-rules.ts';
import { addBatchToSummaries, lockLookupWrites } from './summaries.ts';
import { maskSubject, type SubjectKeys } from './subject-crypto.ts';

/** What a batch touched: the detection rules re-examine these accounts, subjects and certificates. */
export interface LookupTouched {
  accounts: Set<string>;
  personIds: Set<number>;
  /** HMAC hashes of subjects (plate, ID number, name) */
  subjectHashes: Set<string>;
  certificates: Set<string>;
  /** the batch's earliest and latest look-up (null when nothing was created) */
  from: Date | null;
  to: Date | null;
}

export const emptyTouched = (): LookupTouched => ({ accounts: new Set(), personIds: new Set(), subjectHashes: new Set(), certificates: new Set(), from: null, to: null });

export function mergeTouched(into: LookupTouched, t: LookupTouched): void {
  for (const a of t.accounts) into.accounts.add(a);
  for (const p of t.personIds) into.personIds.add(p);
  for (const h of t.subjectHashes) into.subjectHashes.add(h);
  for (const c of t.certificates) into.certificates.add(c);
  if (t.from && (!into.from || t.from < into.from)) into.from = t.from;
  if (t.to && (!into.to || t.to > into.to)) into.to = t.to;
}

export interface LookupIngestSummary {
  results: LookupBatchResult[];
  touched: LookupTouched;
  created: number;
  duplicates: number;
  rejected: number;
  justified: number;
  unjustified: number;
  unknownAccounts: number;
}

export type AfterCommit = (touched: LookupTouched) => Promise<unknown>;

export interface LookupIngestOptions {
  /** runs after the batch committed (the detection rules); the HTTP path does not wait for it */
  afterCommit?: AfterCommit;
  awaitAfterCommit?: boolean;
}

function zodErrors(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>) {
  return issues.map((i) => ({ path: i.path.map(String).join('.') || '(row)', message: i.message }));
}

/** L-RANDOM's draw on arrival: whether the look-up is sampled, and the ratio that picked it. */
function draw(externalId: string, params: Pick<LookupRuleParams, 'randomKey' | 'randomOneIn'>): Pick<NewLookupRow, 'sampled' | 'sampleOneIn'> {
  const sampled = isSampled(externalId, params);
  return { sampled, sampleOneIn: sampled ? params.randomOneIn : null };
}

export async function ingestLookups(db: Db, ctx: RequestContext, keys: SubjectKeys, rows: readonly unknown[], opts: LookupIngestOptions = {}): Promise<LookupIngestSummary> {
  const results: LookupBatchResult[] = new Array(rows.length);
  const valid: Array<{ index: number; input: LookupInput }> = [];
  let rejected = 0;
  rows.forEach((row, index) => {
    const parsed = lookupInput.safeParse(row);
    if (parsed.success) valid.push({ index, input: parsed.data });
    else {
      rejected++;
      const ext = (row as { externalId?: unknown } | null)?.externalId;
      results[index] = { externalId: typeof ext === 'string' ? ext : null, status: 'rejected', errors: zodErrors(parsed.error.issues) };
    }
  });
  const summary: LookupIngestSummary = { results, touched: emptyTouched(), created: 0, duplicates: 0, rejected, justified: 0, unjustified: 0, unknownAccounts: 0 };
  if (valid.length === 0) return summary;

  // Hashing and encryption are CPU work: done before the lock.
  const prepared = valid.map((v) => ({ ...v, hashes: keys.hashes(v.input.subject), enc: keys.encrypt(v.input.subject), masked: maskSubject(v.input.subject) }));

  const committed = await inTransaction(db, async (trx) => {
    // Batches commit one at a time: a repeated externalId in two concurrent batches is stored once.
    await lockLookupWrites(trx);
    const externalIds = [...new Set(valid.map((v) => v.input.externalId))];
    const stored = await findByExternalIds(trx, externalIds);
    const firstOfBatch = new Map<string, number>();
    const fresh: typeof prepared = [];
    const repeats: Array<{ index: number; of: string }> = [];
    for (const p of prepared) {
      const s = stored.get(p.input.externalId);
      if (s) {
        summary.duplicates++;
        results[p.index] = { externalId: s.external_id, status: 'duplicate', lookupId: s.id };
      } else if (firstOfBatch.has(p.input.externalId)) {
        summary.duplicates++;
        repeats.push({ index: p.index, of: p.input.externalId });
      } else {
        firstOfBatch.set(p.input.externalId, p.index);
        fresh.push(p);
      }
    }
    if (fresh.length === 0) return null;

    const caseRefs = [...new Set(fresh.flatMap((p) => (p.input.caseRef ? [p.input.caseRef] : [])))];
    const [people, units, cases, ids, ruleSet] = await Promise.all([
      peopleByBadge(trx, fresh.map((p) => p.input.account)),
      fresh.some((p) => p.input.terminalUnit) ? unitTree(trx as unknown as Db, ALL_ROWS) : Promise.resolve([]),
      caseRecords(trx, caseRefs),
      allocateLookupIds(trx, fresh.length),
      // L-RANDOM draws its sample on arrival, with the sampling key and ratio current now
      currentLookupRuleSet(trx),
    ]);
    // terminal units by institution code first, then by name
    const unitByKey = new Map<string, number>();
    for (const u of units) if (!unitByKey.has(u.name)) unitByKey.set(u.name, u.id);
    for (const u of units) if (u.code) unitByKey.set(u.code, u.id);
    const batchSeq = await nextLookupBatchSeq(trx);

    // Time order, ties by input order: ids grow with time.
    fresh.sort((a, b) => Date.parse(a.input.at) - Date.parse(b.input.at) || a.index - b.index);
    const out: NewLookupRow[] = fresh.map((p, i) => {
      const r = p.input;
      const at = Date.parse(r.at);
      const person = people.get(r.account);
      const terminalUnitId = r.terminalUnit ? (unitByKey.get(r.terminalUnit) ?? null) : null;
      const facts = bindPurpose(
        { at, account: r.account, personId: person?.id ?? null, queryType: r.queryType, purpose: r.purpose, caseRef: r.caseRef, subject: r.subject },
        r.caseRef ? cases.get(r.caseRef) : undefined,
        LOOKUP_PARAMS,
      );
      const id = ids[i]!;
      results[p.index] = { externalId: r.externalId, status: 'created', lookupId: id };
      if (facts.justified) summary.justified++;
      else summary.unjustified++;
      if (!person) summary.unknownAccounts++;
      const t = summary.touched;
      t.accounts.add(r.account);
      if (person) t.personIds.add(person.id);
      for (const h of [p.hashes.plate, p.hashes.idNumber, p.hashes.name]) if (h) t.subjectHashes.add(h);
      t.certificates.add(r.certificateId);
      const atDate = new Date(at);
      if (!t.from || atDate < t.from) t.from = atDate;
      if (!t.to || atDate > t.to) t.to = atDate;
      return {
        id,
        externalId: r.externalId,
        at: atDate,
        account: r.account,
        personId: person?.id ?? null,
        // data scope: the person's unit; a look-up by nobody known belongs to the terminal's unit
        unitId: person?.unitId ?? terminalUnitId,
        certificateId: r.certificateId,
        terminalId: r.terminal.id,
        terminalIp: r.terminal.ip,
        terminalUnit: r.terminalUnit ?? null,
        terminalUnitId,
        queryType: r.queryType,
        plateHash: p.hashes.plate,
        idHash: p.hashes.idNumber,
        nameHash: p.hashes.name,
        subjectSex: sexOfIdNumber(r.subject.idNumber),
        subjectEnc: p.enc,
        subjectMasked: p.masked,
        purposeCategory: r.purpose?.category ?? null,
        purposeText: r.purpose ? r.purpose.text || null : null,
        caseRef: r.caseRef ?? null,
        resultCount: r.resultCount ?? null,
        justified: facts.justified,
        justification: facts,
        ...draw(r.externalId, ruleSet.params),
        batchSeq,
      };
    });
    for (const rep of repeats) results[rep.index] = { ...(results[firstOfBatch.get(rep.of)!] as Extract<LookupBatchResult, { lookupId: number }>), status: 'duplicate' };

    await insertLookups(trx, out, databaseKindOf(db));
    // the rules' summary, in the same transaction: a batch is counted exactly when it is stored
    await addBatchToSummaries(trx, { batchSeq, firstId: ids[0]!, lastId: ids[ids.length - 1]! });
    await record(trx, ctx, {
      action: 'lookup.batch.ingest',
      subjectType: 'lookup_batch',
      subjectId: batchSeq,
      payload: {
        count: out.length,
        duplicates: summary.duplicates,
        rejected,
        justified: summary.justified,
        unjustified: summary.unjustified,
        unknownAccounts: summary.unknownAccounts,
        firstId: out[0]!.id,
        lastId: out[out.length - 1]!.id,
        paramsVersion: LOOKUP_PARAMS.version,
        digest: lookupDigest(out),
      },
    });
    return out.length;
  });
  summary.created = committed ?? 0;
  if (summary.created > 0 && opts.afterCommit) {
    const run = opts.afterCommit(summary.touched);
    if (opts.awaitAfterCommit) await run;
    // a detection failure must not fail a batch that has committed
    else run.catch((e: unknown) => console.error('look-up detection failed after a batch', e));
  }
  return summary;
}

/**
 * SHA-256 over the stored essentials of a batch, in id order: the batch's ledger entry pins each
 * look-up's identity, subject (as its keyed hashes) and purpose decision.
 */
export function lookupDigest(rows: ReadonlyArray<Pick<NewLookupRow, 'id' | 'externalId' | 'at' | 'account' | 'certificateId' | 'terminalId' | 'queryType' | 'plateHash' | 'idHash' | 'nameHash' | 'purposeCategory' | 'caseRef' | 'justified'>>): string {
  const h = crypto.createHash('sha256');
  for (const r of [...rows].sort((a, b) => a.id - b.id)) {
    h.update(JSON.stringify([r.id, r.externalId, r.at.toISOString(), r.account, r.certificateId, r.terminalId, r.queryType, r.plateHash, r.idHash, r.nameHash, r.purposeCategory, r.caseRef, r.justified]));
    h.update('\n');
  }
  return h.digest('hex');
}
