// Reading look-ups: the filtered list (masked), the detail with its purpose-binding facts, the
// unmasked subject (ledgered before it leaves), and the subject view — who looked this plate or
// person up — found by hashing the search input, never by reading stored subjects.
import { sql, type Selectable } from 'kysely';
import type { z } from 'zod';
import type { Page } from '../../contracts/common.ts';
import {
  JUSTIFICATION_REASONS,
  type JustificationFacts,
  type LookupDetail,
  type LookupSummary,
  type MaskedSubject,
  type QueryType,
  type SubjectView,
  type lookupListQuery,
  type subjectQuery,
} from '../../contracts/lookups.ts';
import { normalizePlate } from '../../contracts/plate.ts';
import type { ResolvedScope } from '../../platform/authz/principal.ts';
import { inScope } from '../../platform/authz/scope.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Tx } from '../../platform/db/tx.ts';
import { totalCount, totalOf } from '../../platform/db/paging.ts';
import { badRequest, notFound } from '../../platform/http/errors.ts';
import { recordAlone, type RequestContext } from '../ledger/ledger.service.ts';
import { peopleByBadge } from '../org/personnel.service.ts';
import { unitNames, unitWithDescendants } from '../org/units.service.ts';
import type { LookupTables } from './lookups.tables.ts';
import { maskSubject, type SubjectKeys } from './subject-crypto.ts';

export const lt = (db: Db | Tx) => db.withTables<LookupTables>();
/** Every row: for reads whose scope was checked on something else first (the request, the person). */
export const ALL_ROWS: ResolvedScope = { all: true, unitIds: [], selfPersonId: null };
export type LookupRow = Selectable<LookupTables['lookups']>;

export const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;
export const iso = (d: Date | string) => new Date(d).toISOString();

/** Look-ups a principal may see: those of people in their units (and their own under scope `self`). */
export function scopedLookups(db: Db | Tx, scope: ResolvedScope) {
  return lt(db)
    .selectFrom('lookups')
    .where((eb) => inScope(eb, scope, 'lookups.unit_id', 'lookups.person_id'));
}

type Filter = Omit<z.output<typeof lookupListQuery>, 'page' | 'pageSize'> & { unitIds?: number[] };

function applyFilter<Q extends ReturnType<typeof scopedLookups>>(q: Q, f: Filter): Q {
  let out = q;
  if (f.from) out = out.where('at', '>=', new Date(f.from)) as Q;
  if (f.to) out = out.where('at', '<', new Date(f.to)) as Q;
  if (f.account) out = out.where('account', '=', f.account) as Q;
  if (f.personId) out = out.where('person_id', '=', f.personId) as Q;
  if (f.unitIds) out = out.where('unit_id', '=', sql<number>`ANY(${f.unitIds}::int[])`) as Q;
  if (f.queryType) out = out.where('query_type', '=', f.queryType) as Q;
  if (f.purposeCategory) out = out.where('purpose_category', '=', f.purposeCategory) as Q;
  if (f.justified) out = out.where('justified', '=', f.justified === 'true') as Q;
  if (f.unknown) out = out.where('person_id', f.unknown === 'true' ? 'is' : 'is not', null) as Q;
  if (f.certificateId) out = out.where('certificate_id', '=', f.certificateId) as Q;
  if (f.terminalId) out = out.where('terminal_id', '=', f.terminalId) as Q;
  return out;
}

export interface Labels {
  units: Map<number, string>;
  names: Map<string, string>;
}

export async function labelsFor(db: Db, rows: ReadonlyArray<Pick<LookupRow, 'account'>>): Promise<Labels> {
  const [units, people] = await Promise.all([unitNames(db), peopleByBadge(db, [...new Set(rows.map((r) => r.account))])]);
  return { units, names: new Map([...people.values()].map((p) => [p.badgeNo, p.name])) };
}

export function toSummary(r: LookupRow, l: Labels): LookupSummary {
  const facts = json<JustificationFacts>(r.justification);
  return {
    id: Number(r.id),
    externalId: r.external_id,
    at: iso(r.at),
    account: r.account,
    personId: r.person_id,
    personName: r.person_id === null ? null : (l.names.get(r.account) ?? null),
    unitId: r.unit_id,
    unitName: r.unit_id === null ? null : (l.units.get(r.unit_id) ?? null),
    certificateId: r.certificate_id,
    terminalId: r.terminal_id,
    terminalIp: r.terminal_ip,
    terminalUnit: r.terminal_unit,
    queryType: r.query_type as QueryType,
    subject: json<MaskedSubject>(r.subject_masked),
    purposeCategory: r.purpose_category,
    purposeText: r.purpose_text,
    caseRef: r.case_ref,
    resultCount: r.result_count,
    justified: r.justified,
    justificationReason: JUSTIFICATION_REASONS[facts.reason] ?? facts.reason,
  };
}

export async function listLookups(db: Db, scope: ResolvedScope, query: z.output<typeof lookupListQuery>): Promise<Page<LookupSummary>> {
  const { page, pageSize, ...rest } = query;
  const f: Filter = rest.unitId ? { ...rest, unitIds: await unitWithDescendants(db, rest.unitId) } : rest;
  const rows = await applyFilter(scopedLookups(db, scope), f)
    .selectAll()
    .select(totalCount)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  const total = await totalOf(rows, page, async () => {
    const c = await applyFilter(scopedLookups(db, scope), f).select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
    return Number(c.n);
  });
  const l = await labelsFor(db, rows);
  return { items: rows.map((r) => toSummary(r, l)), total, page, pageSize };
}

/** Summaries of given look-ups, in the given order, limited to the scope. */
export async function lookupsByIds(db: Db, scope: ResolvedScope, ids: readonly number[]): Promise<LookupSummary[]> {
  if (ids.length === 0) return [];
  const rows = await scopedLookups(db, scope).selectAll().where('id', '=', sql<number>`ANY(${[...ids]}::bigint[])`).execute();
  const l = await labelsFor(db, rows);
  const byId = new Map(rows.map((r) => [Number(r.id), toSummary(r, l)]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

async function findRow(db: Db, scope: ResolvedScope, id: number): Promise<LookupRow> {
  const row = await scopedLookups(db, scope).selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('查询记录');
  return row;
}

export async function getLookup(db: Db, scope: ResolvedScope, id: number): Promise<LookupDetail> {
  const r = await findRow(db, scope, id);
  const l = await labelsFor(db, [r]);
  const explanations = await lt(db)
    .selectFrom('explanation_requests')
    .select('id')
    .where(sql<boolean>`${id}::bigint = ANY(lookup_ids)`)
    .orderBy('id')
    .execute();
  return {
    ...toSummary(r, l),
    terminalUnitId: r.terminal_unit_id,
    justification: json<JustificationFacts>(r.justification),
    batchSeq: Number(r.batch_seq),
    ingestedAt: iso(r.ingested_at),
    explanationIds: explanations.map((e) => e.id),
  };
}

/** The subject in the clear; the read goes into the ledger before the data leaves. */
export async function revealSubject(db: Db, ctx: RequestContext, keys: SubjectKeys, id: number): Promise<MaskedSubject> {
  const r = await findRow(db, ctx.principal.scope, id);
  const subject = keys.decrypt(r.subject_enc);
  await recordAlone(db, ctx, {
    action: 'lookup.subject.pii.read',
    subjectType: 'lookup',
    subjectId: id,
    payload: { fields: Object.entries(subject).filter(([, v]) => v !== null).map(([k]) => k) },
  });
  return subject;
}

/**
 * Who looked this subject up: the input is normalised and hashed with the deployment's key, and
 * matched against the stored hashes. The search itself is ledgered (masked): asking who looked
 * someone up is itself a look-up of that person.
 */
export async function subjectView(db: Db, ctx: RequestContext, keys: SubjectKeys, query: z.output<typeof subjectQuery>): Promise<SubjectView> {
  const { page, pageSize, from, to, ...s } = query;
  let plate: string | undefined;
  if (s.plate) {
    const p = normalizePlate(s.plate, { wideEnergyLetters: true });
    if (!p.ok) throw badRequest(p.message, [{ path: 'plate', message: p.message }]);
    plate = p.plate;
  }
  const idNumber = s.idNumber?.toUpperCase();
  const h = keys.hashes({ plate, idNumber, name: s.name });
  const scope = ctx.principal.scope;
  const matching = (q: ReturnType<typeof scopedLookups>) => {
    let out = q.where((eb) =>
      eb.or([
        ...(h.plate ? [eb('subject_plate_hash', '=', h.plate)] : []),
        ...(h.idNumber ? [eb('subject_id_hash', '=', h.idNumber)] : []),
        ...(h.name ? [eb('subject_name_hash', '=', h.name)] : []),
      ]),
    );
    if (from) out = out.where('at', '>=', new Date(from));
    if (to) out = out.where('at', '<', new Date(to));
    return out;
  };
  const masked = maskSubject({ plate, idNumber, name: s.name });
  await recordAlone(db, ctx, { action: 'lookup.subject.search', subjectType: 'lookup_subject', subjectId: [masked.plate, masked.idNumber, masked.name].filter(Boolean).join(' '), payload: { masked, from: from ?? null, to: to ?? null } });
  const [rows, people, watched] = await Promise.all([
    matching(scopedLookups(db, scope)).selectAll().select(totalCount).orderBy('at', 'desc').orderBy('id', 'desc').limit(pageSize).offset((page - 1) * pageSize).execute(),
    matching(scopedLookups(db, scope))
      .select(['account', sql<number | null>`min(person_id)`.as('person_id'), sql<number>`count(*)::int`.as('n'), sql<number>`(count(*) FILTER (WHERE justified))::int`.as('ok'), sql<Date>`max(at)`.as('last_at')])
      .groupBy('account')
      .orderBy(sql`count(*)`, 'desc')
      .orderBy('account')
      .limit(200)
      .execute(),
    lt(db)
      .selectFrom('lookup_watchlist')
      .select('id')
      .where('active', '=', true)
      .where((eb) =>
        eb.or([
          ...(h.plate ? [eb('subject_plate_hash', '=', h.plate)] : []),
          ...(h.idNumber ? [eb('subject_id_hash', '=', h.idNumber)] : []),
          ...(h.name ? [eb('subject_name_hash', '=', h.name)] : []),
        ]),
      )
      .executeTakeFirst(),
  ]);
  const total = await totalOf(rows, page, async () => Number((await matching(scopedLookups(db, scope)).select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n));
  const l = await labelsFor(db, [...rows, ...people]);
  return {
    subject: masked,
    items: rows.map((r) => toSummary(r, l)),
    total,
    page,
    pageSize,
    people: people.map((p) => ({ account: p.account, personId: p.person_id, personName: l.names.get(p.account) ?? null, count: p.n, justified: p.ok, lastAt: iso(p.last_at) })),
    watched: watched !== undefined,
  };
}
