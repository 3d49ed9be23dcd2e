// The set-based reads of the look-up rules: one query per rule over the keys a batch touched (or
// everything) and the window the rule needs, each producing the rows its pure function takes.
// Never a query per row.
import { sql, type RawBuilder } from 'kysely';
import type { LookupRuleParams } from '../../contracts/lookup-rules.ts';
import type { Db } from '../../platform/db/database.ts';
import type { DailyCount, Shift, TrackTotal } from './rules/activity-rules.ts';
import type { QueryType } from './rules/types.ts';

/** What a run covers: `all`, or the touched accounts, subject hashes and certificates. */
export interface Scope {
  all: boolean;
  accounts: string[];
  subjectHashes: string[];
  certificates: string[];
}

/** Half-open instants [from, to) as ISO strings. */
export interface Range {
  from: string;
  to: string;
}

const ms = (d: Date | string) => new Date(d).getTime();
const n = (v: unknown) => Number(v);
/** Beijing day index of `at`, in SQL (same arithmetic as rules/time.ts). */
export const DAY_INDEX = sql<number>`((date_part('epoch', at)::bigint + 28800) / 86400)::int`;
const SUBJECT = sql<string>`coalesce(subject_plate_hash, subject_id_hash, subject_name_hash)`;
const inRange = (r: Range) => sql<boolean>`at >= ${r.from}::timestamptz AND at < ${r.to}::timestamptz`;
const byAccount = (s: Scope) => (s.all ? sql<boolean>`true` : sql<boolean>`account = ANY(${s.accounts}::text[])`);

export interface BasicRow {
  id: number;
  at: number;
  account: string;
  personId: number | null;
  justified: boolean;
}
type RawBasic = { id: unknown; at: Date; account: string; person_id: number | null; justified: boolean };
const basic = (r: RawBasic): BasicRow => ({ id: n(r.id), at: ms(r.at), account: r.account, personId: r.person_id, justified: r.justified });

/** L-PURPOSE, L-OFFDUTY: the unjustified look-ups of known people (the partial index on NOT justified). */
export async function unjustifiedRows(db: Db, s: Scope, r: Range): Promise<BasicRow[]> {
  const { rows } = await sql<RawBasic>`
    SELECT id, at, account, person_id, justified FROM lookups
     WHERE NOT justified AND person_id IS NOT NULL AND ${inRange(r)} AND ${byAccount(s)}`.execute(db);
  return rows.map(basic);
}

/** The roster of these people around the range; people absent from the map have none. */
export async function rosters(db: Db, personIds: number[], r: Range): Promise<Map<number, Shift[]>> {
  if (personIds.length === 0) return new Map();
  const { rows } = await sql<{ person_id: number; starts_at: Date; ends_at: Date; kind: 'onDuty' | 'leave' }>`
    SELECT person_id, starts_at, ends_at, kind FROM duty_roster
     WHERE person_id = ANY(${personIds}::int[]) AND ends_at > ${r.from}::timestamptz - interval '1 day' AND starts_at < ${r.to}::timestamptz + interval '1 day'`.execute(db);
  const out = new Map<number, Shift[]>();
  for (const x of rows) (out.get(x.person_id) ?? out.set(x.person_id, []).get(x.person_id)!).push({ start: ms(x.starts_at), end: ms(x.ends_at), kind: x.kind });
  return out;
}

/** L-SELF, L-KIN, L-COLLEAGUE: look-ups whose subject is in the personnel identifier registry. */
export async function subjectMatchRows(db: Db, s: Scope, r: Range) {
  const { rows } = await sql<RawBasic & { matched: number; relation: string; field: string }>`
    SELECT l.id, l.at, l.account, l.person_id, l.justified, p.person_id AS matched, p.relation, p.field
      FROM lookups l JOIN personnel_subjects p ON p.field = 'plate' AND p.hash = l.subject_plate_hash
     WHERE l.person_id IS NOT NULL AND ${sql`l.at >= ${r.from}::timestamptz AND l.at < ${r.to}::timestamptz`} AND ${s.all ? sql`true` : sql`l.account = ANY(${s.accounts}::text[])`}
    UNION ALL
    SELECT l.id, l.at, l.account, l.person_id, l.justified, p.person_id, p.relation, p.field
      FROM lookups l JOIN personnel_subjects p ON p.field = 'idNumber' AND p.hash = l.subject_id_hash
     WHERE l.person_id IS NOT NULL AND ${sql`l.at >= ${r.from}::timestamptz AND l.at < ${r.to}::timestamptz`} AND ${s.all ? sql`true` : sql`l.account = ANY(${s.accounts}::text[])`}`.execute(db);
  return rows.flatMap((x) => {
    const own = x.matched === x.person_id;
    // a colleague's relatives are not the colleague rule's business
    if (!own && x.relation !== 'self') return [];
    return [{ ...basic(x), relation: (own ? x.relation : 'colleague') as 'self' | 'kin' | 'colleague', matchedPersonId: x.matched, matchedBy: x.field }];
  });
}

/** L-HOT: unjustified look-ups of the subjects that ≥ minAccounts accounts looked up without justification in the range. */
export async function hotRows(db: Db, s: Scope, r: Range, params: LookupRuleParams) {
  // touched subjects: probed through the three hash indexes, never a scan of the window
  const source = s.all
    ? sql`SELECT ${SUBJECT} AS subject, account FROM lookups WHERE NOT justified AND ${inRange(r)}`
    : sql`SELECT ${SUBJECT} AS subject, l.account FROM unnest(${s.subjectHashes}::text[]) AS h(hash)
            JOIN lookups l ON l.subject_plate_hash = h.hash WHERE NOT l.justified AND l.at >= ${r.from}::timestamptz AND l.at < ${r.to}::timestamptz
          UNION ALL
          SELECT ${SUBJECT}, l.account FROM unnest(${s.subjectHashes}::text[]) AS h(hash)
            JOIN lookups l ON l.subject_id_hash = h.hash WHERE NOT l.justified AND l.at >= ${r.from}::timestamptz AND l.at < ${r.to}::timestamptz
          UNION ALL
          SELECT ${SUBJECT}, l.account FROM unnest(${s.subjectHashes}::text[]) AS h(hash)
            JOIN lookups l ON l.subject_name_hash = h.hash WHERE NOT l.justified AND l.at >= ${r.from}::timestamptz AND l.at < ${r.to}::timestamptz`;
  const { rows } = await sql<{ id: unknown; at: Date; account: string; person_id: number | null; subject: string }>`
    WITH candidate AS (
      SELECT subject FROM (${source}) AS x
       GROUP BY 1 HAVING count(DISTINCT account) >= ${params.hotMinAccounts}
    )
    SELECT l.id, l.at, l.account, l.person_id, c.subject
      FROM lookups l JOIN candidate c ON c.subject = coalesce(l.subject_plate_hash, l.subject_id_hash, l.subject_name_hash)
     WHERE NOT l.justified AND l.at >= ${r.from}::timestamptz AND l.at < ${r.to}::timestamptz`.execute(db);
  return rows.map((x) => ({ id: n(x.id), at: ms(x.at), account: x.account, personId: x.person_id, subject: x.subject }));
}

/** L-WATCH: look-ups of active watch-list subjects. */
export async function watchRows(db: Db, s: Scope, r: Range) {
  const { rows } = await sql<RawBasic & { entry_id: number; category: string; against: boolean }>`
    SELECT l.id, l.at, l.account, l.person_id, l.justified, w.id AS entry_id, w.category, coalesce(l.person_id = ANY(w.against_person_ids), false) AS against
      FROM lookups l JOIN lookup_watchlist w ON w.active AND (
             l.subject_plate_hash = w.subject_plate_hash OR l.subject_id_hash = w.subject_id_hash OR l.subject_name_hash = w.subject_name_hash)
     WHERE l.at >= ${r.from}::timestamptz AND l.at < ${r.to}::timestamptz AND ${s.all ? sql`true` : sql`l.account = ANY(${s.accounts}::text[])`}`.execute(db);
  return rows.map((x) => ({ ...basic(x), entryId: x.entry_id, category: x.category, against: x.against }));
}

/**
 * One pass for three rules. L-VOLUME: look-ups per account and Beijing day, everyone's in the
 * judged range (peers) and the touched accounts' in the baseline before it. L-UNKNOWN: the groups
 * without a person. L-SKEW: subjects of known sex, and female.
 */
export async function dailyCounts(
  db: Db,
  s: Scope,
  judged: Range,
  baselineFrom: string,
): Promise<DailyRow[]> {
  // the GROUP BY expression is the one migrations/0011 keeps statistics on (a hash aggregate)
  const { rows } = await sql<{
    account: string; person_id: number | null; day: number; n: number; known: number; female: number; female_id: unknown;
    min_cert: string; max_cert: string; min_term: string; max_term: string; foreign: boolean;
  }>`
    SELECT account, person_id, ${DAY_INDEX} AS day, count(*)::int AS n,
           count(subject_sex)::int AS known, count(*) FILTER (WHERE subject_sex = 'F')::int AS female, max(id) FILTER (WHERE subject_sex = 'F') AS female_id,
           min(certificate_id COLLATE "C") AS min_cert, max(certificate_id COLLATE "C") AS max_cert,
           min(terminal_id COLLATE "C") AS min_term, max(terminal_id COLLATE "C") AS max_term,
           coalesce(bool_or(person_id IS NOT NULL AND terminal_unit_id IS NOT NULL AND terminal_unit_id <> unit_id), false) AS foreign
      FROM lookups
     WHERE (${inRange(judged)}) OR (at >= ${baselineFrom}::timestamptz AND at < ${judged.from}::timestamptz AND ${byAccount(s)})
     GROUP BY 1, 2, 3`.execute(db);
  return rows.map((x) => ({
    account: x.account,
    personId: x.person_id,
    day: n(x.day),
    count: n(x.n),
    known: n(x.known),
    female: n(x.female),
    femaleId: x.female_id === null ? null : n(x.female_id),
    certificates: [x.min_cert, x.max_cert],
    terminalsDiffer: x.min_term !== x.max_term,
    foreignTerminal: x.foreign,
  }));
}

export type DailyRow = DailyCount & {
  known: number;
  female: number;
  femaleId: number | null;
  /** the least and greatest certificate the account used that day */
  certificates: [string, string];
  terminalsDiffer: boolean;
  foreignTerminal: boolean;
};

/**
 * L-SHARED's candidates in a full run, from the daily pass instead of a scan of its own: the
 * account-days on two certificates or terminals or on another unit's terminal, and those whose
 * certificate another account used that day. (An account on three or more certificates is a
 * candidate itself, and its certificates' other users are read with it.)
 */
export function sharedCandidates(rows: readonly DailyRow[]): Array<{ account: string; day: number }> {
  const users = new Map<string, Set<string>>();
  for (const r of rows) for (const c of r.certificates) (users.get(`${r.day}\u0000${c}`) ?? users.set(`${r.day}\u0000${c}`, new Set()).get(`${r.day}\u0000${c}`)!).add(r.account);
  return rows
    .filter((r) => r.certificates[0] !== r.certificates[1] || r.terminalsDiffer || r.foreignTerminal || r.certificates.some((c) => users.get(`${r.day}\u0000${c}`)!.size > 1))
    .map((r) => ({ account: r.account, day: r.day }));
}

/** The look-ups of (account, Beijing day) pairs (through the account index). */
export async function rowsOfAccountDays(db: Db, pairs: Array<{ account: string; day: number }>): Promise<BasicRow[]> {
  if (pairs.length === 0) return [];
  const { rows } = await sql<RawBasic>`
    SELECT l.id, l.at, l.account, l.person_id, l.justified FROM lookups l
      JOIN unnest(${pairs.map((p) => p.account)}::text[], ${pairs.map((p) => p.day)}::int[]) AS k(account, day)
        ON l.account = k.account AND l.at >= to_timestamp(k.day * 86400 - 28800) AND l.at < to_timestamp((k.day + 1) * 86400 - 28800)`.execute(db);
  return rows.map(basic);
}

/** The ids of look-ups of (account, Beijing day) pairs, for evidence of aggregate findings. */
export async function idsOfAccountDays(db: Db, pairs: Array<{ account: string; day: number }>): Promise<Map<string, number[]>> {
  if (pairs.length === 0) return new Map();
  const { rows } = await sql<{ id: unknown; account: string; day: number }>`
    SELECT l.id, l.account, k.day FROM lookups l
      JOIN unnest(${pairs.map((p) => p.account)}::text[], ${pairs.map((p) => p.day)}::int[]) AS k(account, day)
        ON l.account = k.account AND l.at >= to_timestamp(k.day * 86400 - 28800) AND l.at < to_timestamp((k.day + 1) * 86400 - 28800)
     ORDER BY l.id`.execute(db);
  const out = new Map<string, number[]>();
  for (const x of rows) {
    const key = `${x.account}\u0000${n(x.day)}`;
    (out.get(key) ?? out.set(key, []).get(key)!).push(n(x.id));
  }
  return out;
}

/**
 * L-BULK, over unjustified look-ups (a justified one names a case of the person's own and that
 * case's subject, which no scraper can fake 25 times in ten minutes): the unjustified look-ups of
 * the (account, day)s where the one bulkMinSubjects − 1 before was within bulkWindowMinutes (so
 * many look-ups bound the distinct subjects), or bulkSequentialMin − 1 before among the plate
 * look-ups (a run of plates), with their neighbour days. The lag reads the partial index on
 * unjustified (account, at) in order.
 */
export async function bulkRows(db: Db, s: Scope, r: Range, params: LookupRuleParams) {
  const window = `${params.bulkWindowMinutes} minutes`;
  const { rows } = await sql<{ id: unknown; at: Date; account: string; person_id: number | null; subject: string; plate_hash: string | null; enc: string }>`
    WITH burst AS (
      SELECT account, at FROM (
        SELECT account, at, lag(at, ${params.bulkMinSubjects - 1}) OVER (PARTITION BY account ORDER BY at) AS prev
          FROM lookups WHERE NOT justified AND ${inRange(r)} AND ${byAccount(s)}) x
       WHERE at - prev <= ${window}::interval
      UNION ALL
      SELECT account, at FROM (
        SELECT account, at, lag(at, ${params.bulkSequentialMin - 1}) OVER (PARTITION BY account ORDER BY at) AS prev
          FROM lookups WHERE NOT justified AND subject_plate_hash IS NOT NULL AND ${inRange(r)} AND ${byAccount(s)}) y
       WHERE at - prev <= ${window}::interval
    ), days AS (
      SELECT DISTINCT account, ${DAY_INDEX} + d AS day FROM burst, (VALUES (-1), (0), (1)) AS v(d)
    )
    SELECT l.id, l.at, l.account, l.person_id, coalesce(l.subject_plate_hash, l.subject_id_hash, l.subject_name_hash) AS subject,
           l.subject_plate_hash AS plate_hash, l.subject_enc AS enc
      FROM lookups l JOIN days k ON l.account = k.account
       AND l.at >= to_timestamp(k.day * 86400 - 28800) AND l.at < to_timestamp((k.day + 1) * 86400 - 28800)
     WHERE NOT l.justified`.execute(db);
  return rows.map((x) => ({ id: n(x.id), at: ms(x.at), account: x.account, personId: x.person_id, subject: x.subject, plateHash: x.plate_hash, enc: x.enc }));
}

/**
 * L-SHARED: look-ups of the certificates used from two terminals or by two accounts in a day, or
 * from a terminal of another unit: the touched certificates', or (full run) those of the
 * candidate account-days of the daily pass.
 */
export async function sharedRows(db: Db, s: Scope, r: Range, candidates?: Array<{ account: string; day: number }>) {
  const touched = s.all ? sql<boolean>`true` : sql<boolean>`certificate_id = ANY(${s.certificates}::text[])`;
  const candidate = candidates
    ? sql`SELECT DISTINCT l.certificate_id FROM lookups l
            JOIN unnest(${candidates.map((p) => p.account)}::text[], ${candidates.map((p) => p.day)}::int[]) AS k(account, day)
              ON l.account = k.account AND l.at >= to_timestamp(k.day * 86400 - 28800) AND l.at < to_timestamp((k.day + 1) * 86400 - 28800)`
    : sql`SELECT certificate_id FROM lookups WHERE ${inRange(r)} AND ${touched}
           GROUP BY certificate_id, ${DAY_INDEX}
          HAVING min(terminal_id) <> max(terminal_id) OR min(account) <> max(account)
              OR bool_or(person_id IS NOT NULL AND terminal_unit_id IS NOT NULL AND terminal_unit_id <> unit_id)`;
  const { rows } = await sql<{ id: unknown; at: Date; account: string; person_id: number | null; certificate_id: string; terminal_id: string; terminal_unit_id: number | null; unit_id: number | null }>`
    WITH candidate AS (${candidate})
    SELECT l.id, l.at, l.account, l.person_id, l.certificate_id, l.terminal_id, l.terminal_unit_id, l.unit_id
      FROM lookups l WHERE l.certificate_id IN (SELECT DISTINCT certificate_id FROM candidate)
       AND l.at >= ${r.from}::timestamptz AND l.at < ${r.to}::timestamptz`.execute(db);
  return rows.map((x) => ({
    id: n(x.id),
    at: ms(x.at),
    account: x.account,
    personId: x.person_id,
    certificateId: x.certificate_id,
    terminalId: x.terminal_id,
    terminalUnitId: x.terminal_unit_id,
    personUnitId: x.person_id === null ? null : x.unit_id,
  }));
}

/** L-LEAVER: look-ups of people no longer active, and look-ups made during the maker's leave. */
export async function leaverRows(db: Db, s: Scope, r: Range, inactive: number[]) {
  // the inactive people's look-ups and the look-ups inside leave entries, each through the person index
  const accounts = s.all ? sql<boolean>`true` : sql<boolean>`l.account = ANY(${s.accounts}::text[])`;
  const { rows } = await sql<RawBasic & { on_leave: boolean }>`
    WITH picked AS (
      SELECT l.id FROM lookups l
       WHERE l.person_id = ANY(${inactive}::int[]) AND l.at >= ${r.from}::timestamptz AND l.at < ${r.to}::timestamptz AND ${accounts}
      UNION
      SELECT l.id FROM duty_roster d JOIN lookups l ON l.person_id = d.person_id AND l.at >= d.starts_at AND l.at < d.ends_at
       WHERE d.kind = 'leave' AND d.ends_at > ${r.from}::timestamptz AND d.starts_at < ${r.to}::timestamptz
         AND l.at >= ${r.from}::timestamptz AND l.at < ${r.to}::timestamptz AND ${accounts}
    )
    SELECT l.id, l.at, l.account, l.person_id, l.justified,
           EXISTS (SELECT 1 FROM duty_roster d WHERE d.person_id = l.person_id AND d.kind = 'leave' AND l.at >= d.starts_at AND l.at < d.ends_at) AS on_leave
      FROM picked p JOIN lookups l ON l.id = p.id`.execute(db);
  return rows.map((x) => ({ ...basic(x), onLeave: x.on_leave }));
}

/** L-CRIMINAL: unjustified location-track records per person over the window. */
export async function trackTotals(db: Db, s: Scope, r: Range): Promise<TrackTotal[]> {
  const { rows } = await sql<{ account: string; person_id: number | null; records: number; ids: unknown[]; last_at: Date }>`
    SELECT account, person_id, sum(coalesce(result_count, 1))::int AS records, array_agg(id ORDER BY id) AS ids, max(at) AS last_at
      FROM lookups WHERE NOT justified AND query_type = 'locationTrack' AND person_id IS NOT NULL AND ${inRange(r)} AND ${byAccount(s)}
     GROUP BY account, person_id`.execute(db);
  return rows.map((x) => ({ account: x.account, personId: x.person_id, records: n(x.records), lookupIds: x.ids.map(n), lastAt: ms(x.last_at) }));
}

/** The keyed sampling hash of rules/activity-rules.ts `isSampled`, in SQL. */
export const sampled = (params: Pick<LookupRuleParams, 'randomKey' | 'randomOneIn'>): RawBuilder<boolean> =>
  sql<boolean>`(('x' || substr(md5(${params.randomKey}::text || external_id), 1, 8))::bit(32)::bigint % ${params.randomOneIn}) = 0`;

/** L-RANDOM: the sampled look-ups of known people. */
export async function randomRows(db: Db, s: Scope, r: Range, params: LookupRuleParams) {
  const { rows } = await sql<{ id: unknown; at: Date; account: string; person_id: number | null; external_id: string }>`
    SELECT id, at, account, person_id, external_id FROM lookups
     WHERE person_id IS NOT NULL AND ${inRange(r)} AND ${byAccount(s)} AND ${sampled(params)}`.execute(db);
  return rows.map((x) => ({ id: n(x.id), at: ms(x.at), account: x.account, personId: x.person_id, externalId: x.external_id }));
}

/** Look-ups with an ID number whose sex is not yet recorded (the back-fill reads their ciphertext). */
export async function missingSex(db: Db, s: Scope, r: Range): Promise<Array<{ id: number; enc: string }>> {
  const { rows } = await sql<{ id: unknown; enc: string }>`
    SELECT id, subject_enc AS enc FROM lookups WHERE subject_id_hash IS NOT NULL AND subject_sex IS NULL AND ${inRange(r)} AND ${byAccount(s)}`.execute(db);
  return rows.map((x) => ({ id: n(x.id), enc: x.enc }));
}

export async function storeSex(db: Db, rows: Array<{ id: number; sex: 'F' | 'M' }>): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    UPDATE lookups l SET subject_sex = v.sex
      FROM unnest(${rows.map((r) => r.id)}::bigint[], ${rows.map((r) => r.sex)}::text[]) AS v(id, sex)
     WHERE l.id = v.id`.execute(db);
}

export interface EvidenceRow {
  id: number;
  externalId: string;
  at: number;
  account: string;
  queryType: QueryType;
  subject: { plate: string | null; idNumber: string | null; name: string | null };
  certificateId: string;
  terminalId: string;
  purposeCategory: string | null;
  caseRef: string | null;
  justified: boolean;
}

export async function evidenceRows(db: Db, ids: number[]): Promise<Map<number, EvidenceRow>> {
  if (ids.length === 0) return new Map();
  const { rows } = await sql<{ id: unknown; external_id: string; at: Date; account: string; query_type: QueryType; subject_masked: unknown; certificate_id: string; terminal_id: string; purpose_category: string | null; case_ref: string | null; justified: boolean }>`
    SELECT id, external_id, at, account, query_type, subject_masked, certificate_id, terminal_id, purpose_category, case_ref, justified
      FROM lookups WHERE id = ANY(${ids}::bigint[])`.execute(db);
  return new Map(
    rows.map((x) => [
      n(x.id),
      {
        id: n(x.id),
        externalId: x.external_id,
        at: ms(x.at),
        account: x.account,
        queryType: x.query_type,
        subject: (typeof x.subject_masked === 'string' ? JSON.parse(x.subject_masked) : x.subject_masked) as EvidenceRow['subject'],
        certificateId: x.certificate_id,
        terminalId: x.terminal_id,
        purposeCategory: x.purpose_category,
        caseRef: x.case_ref,
        justified: x.justified,
      },
    ]),
  );
}
