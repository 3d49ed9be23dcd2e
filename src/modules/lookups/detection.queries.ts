// The set-based reads of the look-up rules: one query per rule over the keys a batch touched (or
// everything) and the window the rule needs, each producing the rows its pure function takes.
// Never a query per row.
import { sql, type RawBuilder } from 'kysely';
import type { LookupRuleParams } from '../../contracts/lookup-rules.ts';
import type { Db } from '../../platform/db/database.ts';
import type { DailyCount, RandomRow, Shift, TrackSeries } from './rules/activity-rules.ts';
import { addSexesToSummaries, beijingDaySql, lockLookupWrites } from './summaries.ts';
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
/** Beijing day index of `at`, in SQL (summaries.ts `beijingDaySql`: floor, as rules/time.ts). */
export const DAY_INDEX = beijingDaySql('at');
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

/**
 * L-PURPOSE, L-OFFDUTY: the unjustified look-ups of known people on the (account, Beijing day)s
 * the summary names as candidates (enough unjustified look-ups that day to reach a threshold),
 * through the partial index on unjustified (account, at).
 */
export async function unjustifiedRows(db: Db, pairs: ReadonlyArray<AccountDay>): Promise<BasicRow[]> {
  if (pairs.length === 0) return [];
  const { rows } = await sql<RawBasic>`
    SELECT l.id, l.at, l.account, l.person_id, l.justified FROM lookups l
      JOIN unnest(${pairs.map((p) => p.account)}::text[], ${pairs.map((p) => p.day)}::int[]) AS k(account, day)
        ON l.account = k.account AND l.at >= to_timestamp(k.day * 86400 - 28800) AND l.at < to_timestamp((k.day + 1) * 86400 - 28800)
     WHERE NOT l.justified AND l.person_id IS NOT NULL`.execute(db);
  return rows.map(basic);
}

export interface AccountDay {
  account: string;
  day: number;
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

/**
 * L-HOT: unjustified look-ups of the subjects that ≥ minAccounts accounts looked up without
 * justification in the range: the subjects from their summary (lookup_unjustified_subjects; the
 * touched ones through its key), then those subjects' look-ups through the partial expression index.
 */
export async function hotRows(db: Db, s: Scope, r: Range, params: LookupRuleParams) {
  const from = dayIndexOf(r.from);
  const to = dayIndexOf(r.to);
  const { rows: subjects } = await sql<{ subject: string }>`
    SELECT subject FROM lookup_unjustified_subjects
     WHERE day >= ${from} AND day < ${to} AND lookups > 0 AND ${s.all ? sql`true` : sql`subject = ANY(${s.subjectHashes}::text[])`}
     GROUP BY subject HAVING count(DISTINCT account) >= ${params.hotMinAccounts}`.execute(db);
  if (subjects.length === 0) return [];
  const { rows } = await sql<{ id: unknown; at: Date; account: string; person_id: number | null; subject: string }>`
    SELECT l.id, l.at, l.account, l.person_id, ${SUBJECT} AS subject FROM lookups l
     WHERE NOT l.justified AND ${SUBJECT} = ANY(${subjects.map((x) => x.subject)}::text[]) AND l.at >= ${r.from}::timestamptz AND l.at < ${r.to}::timestamptz`.execute(db);
  return rows.map((x) => ({ id: n(x.id), at: ms(x.at), account: x.account, personId: x.person_id, subject: x.subject }));
}

/** The Beijing day index of a day-aligned instant. */
const dayIndexOf = (iso: string) => Math.floor((Date.parse(iso) + 28_800_000) / 86_400_000);

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
 * The daily summary (lookup_account_days) for the rules that count: L-VOLUME (everyone's days in
 * the judged range as peers, the touched accounts' days back to the baseline), L-UNKNOWN (groups
 * without a person), L-SKEW (known and female subjects), L-SHARED's candidates, and the candidates
 * of L-PURPOSE, L-OFFDUTY, L-BULK (unjustified counts) and L-CRIMINAL (track records). Days are
 * Beijing day indexes, [from, to).
 */
export async function dailyCounts(db: Db, s: Scope, judged: { from: number; to: number }, baselineFrom: number): Promise<{ days: DailyRow[]; sex: SexTotal[] }> {
  // one row per account and person with its days as arrays (a full run reads ~2,000 rows, not
  // ~200,000); L-SKEW's partial totals over the judged days summed here, per account in sexTotals
  const { rows } = await sql<{
    account: string; person_id: number | null; days: number[]; lookups: number[]; unjustified: number[];
    known: number | null; female: number | null; female_ids: Array<string> | null; female_days: number[] | null; last_known: number | null;
  }>`
    SELECT account, person_id, array_agg(day ORDER BY day) AS days, array_agg(lookups ORDER BY day) AS lookups, array_agg(unjustified ORDER BY day) AS unjustified,
           sum(known_sex) FILTER (WHERE day >= ${judged.from})::int AS known, sum(female) FILTER (WHERE day >= ${judged.from})::int AS female,
           (array_agg(female_id ORDER BY day) FILTER (WHERE female_id IS NOT NULL AND day >= ${judged.from}))[1:${sql.lit(SKEW_EVIDENCE)}] AS female_ids,
           (array_agg(day ORDER BY day) FILTER (WHERE female_id IS NOT NULL AND day >= ${judged.from}))[1:${sql.lit(SKEW_EVIDENCE)}] AS female_days,
           max(day) FILTER (WHERE known_sex > 0 AND day >= ${judged.from}) AS last_known
      FROM lookup_account_days
     WHERE lookups > 0 AND ((day >= ${judged.from} AND day < ${judged.to})
        OR (day >= ${baselineFrom} AND day < ${judged.from} AND ${byAccount(s)}))
     GROUP BY account, person_id`.execute(db);
  const days: DailyRow[] = [];
  const parts: SexPart[] = [];
  for (const x of rows) {
    for (let i = 0; i < x.days.length; i++) {
      days.push({ account: x.account, personId: x.person_id, day: n(x.days[i]), count: n(x.lookups[i]), unjustified: n(x.unjustified[i]) });
    }
    if (x.known && x.last_known !== null) {
      const ids = (x.female_ids ?? []).map(n);
      const on = (x.female_days ?? []).map(n);
      parts.push({ account: x.account, personId: x.person_id, known: n(x.known), female: n(x.female ?? 0), evidence: ids.map((id, i) => ({ id, day: on[i]! })), lastDay: n(x.last_known) });
    }
  }
  return { days, sex: sexTotals(parts) };
}

/** L-SKEW's evidence: at most one female look-up per day, the first this many days. */
const SKEW_EVIDENCE = 90;

/** One (account, person) group's part of an account's L-SKEW totals. */
export interface SexPart {
  account: string;
  personId: number | null;
  known: number;
  female: number;
  evidence: Array<{ id: number; day: number }>;
  lastDay: number;
}

/**
 * L-SKEW compares accounts: an account's days under two persons (its look-ups before the person
 * was matched have none) are one account's totals, as the rule is worded. The person: the one of
 * its latest day with a person.
 */
export function sexTotals(parts: readonly SexPart[]): SexTotal[] {
  const out = new Map<string, SexTotal & { evidence: Array<{ id: number; day: number }>; personDay: number }>();
  for (const p of parts) {
    const t = out.get(p.account) ?? out.set(p.account, { account: p.account, personId: null, known: 0, female: 0, lookupIds: [], lastDay: p.lastDay, evidence: [], personDay: -Infinity }).get(p.account)!;
    t.known += p.known;
    t.female += p.female;
    t.evidence.push(...p.evidence);
    t.lastDay = Math.max(t.lastDay, p.lastDay);
    if (p.personId !== null && p.lastDay > t.personDay) {
      t.personId = p.personId;
      t.personDay = p.lastDay;
    }
  }
  return [...out.values()].map(({ evidence, personDay: _, ...t }) => ({
    ...t,
    lookupIds: evidence.sort((a, b) => a.day - b.day || a.id - b.id).slice(0, SKEW_EVIDENCE).map((e) => e.id),
  }));
}

/** L-SKEW's totals of one account over the judged days: subjects of known sex, female, female look-ups as evidence. */
export interface SexTotal {
  account: string;
  personId: number | null;
  known: number;
  female: number;
  lookupIds: number[];
  /** the last Beijing day with a subject of known sex */
  lastDay: number;
}

export type DailyRow = DailyCount & {
  /** look-ups not justified (any person) */
  unjustified: number;
};

/**
 * L-SHARED's candidates in a full run, from the summaries instead of a scan of look-ups (both
 * through partial indexes): the account-days on two certificates or terminals or on another unit's
 * terminal, and the least and greatest account of each certificate two accounts used that day
 * (sharedRows reads every certificate of the candidates, so every user of such a certificate is
 * read with it).
 */
export async function sharedCandidates(db: Db, days: { from: number; to: number }): Promise<AccountDay[]> {
  const { rows } = await sql<{ account: string; day: number }>`
    SELECT account, day FROM lookup_account_days
     WHERE day >= ${days.from} AND day < ${days.to} AND (min_cert <> max_cert OR min_term <> max_term OR foreign_terminal)
    UNION
    SELECT a.account, c.day FROM lookup_certificate_days c, LATERAL (VALUES (c.min_account), (c.max_account)) AS a(account)
     WHERE c.day >= ${days.from} AND c.day < ${days.to} AND c.min_account <> c.max_account`.execute(db);
  return rows.map((x) => ({ account: x.account, day: n(x.day) }));
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
 * L-BULK's candidate days: a burst or a run needs min(bulkMinSubjects, bulkSequentialMin)
 * unjustified look-ups within bulkWindowMinutes, which lie within one day or two consecutive ones;
 * so only the days whose unjustified count, alone or with a neighbour's, reaches that can hold one.
 */
export function bulkCandidates(rows: ReadonlyArray<{ account: string; day: number; unjustified: number }>, params: Pick<LookupRuleParams, 'bulkMinSubjects' | 'bulkSequentialMin'>): AccountDay[] {
  const k = Math.min(params.bulkMinSubjects, params.bulkSequentialMin);
  const per = new Map<string, number>();
  for (const r of rows) if (r.unjustified > 0) per.set(`${r.account}\u0000${r.day}`, (per.get(`${r.account}\u0000${r.day}`) ?? 0) + r.unjustified);
  const u = (account: string, day: number) => per.get(`${account}\u0000${day}`) ?? 0;
  const out = new Map<string, AccountDay>();
  for (const key of per.keys()) {
    const [account, d] = key.split('\u0000') as [string, string];
    const day = Number(d);
    const here = u(account, day);
    if (here >= k || here + u(account, day - 1) >= k || here + u(account, day + 1) >= k) out.set(key, { account, day });
  }
  return [...out.values()];
}

/**
 * L-BULK, over unjustified look-ups (a justified one names a case of the person's own and that
 * case's subject, which no scraper can fake 25 times in ten minutes): among the candidate days'
 * unjustified look-ups, the (account, day)s where the one bulkMinSubjects − 1 before was within
 * bulkWindowMinutes (so many look-ups bound the distinct subjects), or bulkSequentialMin − 1
 * before among the plate look-ups (a run of plates), with their neighbour days. Candidates absent
 * from the list cannot hold a burst (bulkCandidates), so the result is the same as over every day.
 */
export async function bulkRows(db: Db, candidates: ReadonlyArray<AccountDay>, params: LookupRuleParams) {
  if (candidates.length === 0) return [];
  const window = `${params.bulkWindowMinutes} minutes`;
  const { rows } = await sql<{ id: unknown; at: Date; account: string; person_id: number | null; subject: string; plate_hash: string | null; enc: string }>`
    WITH cand AS (
      SELECT l.account, l.at, l.subject_plate_hash FROM lookups l
        JOIN unnest(${candidates.map((p) => p.account)}::text[], ${candidates.map((p) => p.day)}::int[]) AS k(account, day)
          ON l.account = k.account AND l.at >= to_timestamp(k.day * 86400 - 28800) AND l.at < to_timestamp((k.day + 1) * 86400 - 28800)
       WHERE NOT l.justified
    ), burst AS (
      SELECT account, at FROM (
        SELECT account, at, lag(at, ${params.bulkMinSubjects - 1}) OVER (PARTITION BY account ORDER BY at) AS prev FROM cand) x
       WHERE at - prev <= ${window}::interval
      UNION ALL
      SELECT account, at FROM (
        SELECT account, at, lag(at, ${params.bulkSequentialMin - 1}) OVER (PARTITION BY account ORDER BY at) AS prev
          FROM cand WHERE subject_plate_hash IS NOT NULL) y
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

/**
 * L-CRIMINAL from the daily summary: the accounts whose unjustified location-track records reach
 * criminalAlertAt in the window ending with `today` (Beijing day index, inclusive), then each such
 * account's whole daily series of those records (the rule finds where the current episode began),
 * and the look-ups of the window as evidence (the partial index on unjustified (account, at)).
 */
export async function trackSeries(db: Db, s: Scope, today: number, params: Pick<LookupRuleParams, 'criminalWindowDays' | 'criminalAlertAt'>): Promise<TrackSeries[]> {
  const first = today - params.criminalWindowDays + 1;
  const { rows } = await sql<{ account: string; person_id: number; day: number; records: number }>`
    WITH hit AS (
      SELECT account, person_id FROM lookup_account_days
       WHERE track_records > 0 AND person_id IS NOT NULL AND day >= ${first} AND day <= ${today} AND ${byAccount(s)}
       GROUP BY account, person_id HAVING sum(track_records) >= ${params.criminalAlertAt}
    )
    SELECT d.account, d.person_id, d.day, d.track_records AS records
      FROM lookup_account_days d JOIN hit h ON d.account = h.account AND d.person_id = h.person_id
     WHERE d.track_records > 0 AND d.day <= ${today}
     ORDER BY d.account, d.day`.execute(db);
  if (rows.length === 0) return [];
  const out = new Map<string, TrackSeries & { days: Array<{ day: number; records: number }> }>();
  for (const x of rows) {
    const key = `${x.account}\u0000${x.person_id}`;
    const t = out.get(key) ?? out.set(key, { account: x.account, personId: x.person_id, days: [], lookupIds: [], lastAt: 0 }).get(key)!;
    t.days.push({ day: n(x.day), records: n(x.records) });
  }
  const list = [...out.values()];
  const { rows: ids } = await sql<{ id: unknown; account: string; person_id: number; at: Date }>`
    SELECT l.id, l.account, l.person_id, l.at FROM lookups l
     WHERE l.account = ANY(${list.map((t) => t.account)}::text[]) AND NOT l.justified AND l.query_type = 'locationTrack'
       AND l.at >= to_timestamp(${first}::int * 86400 - 28800) AND l.at < to_timestamp((${today}::int + 1) * 86400 - 28800)
     ORDER BY l.id`.execute(db);
  for (const x of ids) {
    const t = out.get(`${x.account}\u0000${x.person_id}`);
    if (!t) continue;
    t.lookupIds.push(n(x.id));
    t.lastAt = Math.max(t.lastAt, ms(x.at));
  }
  return list;
}

/**
 * The dedup keys of the L-CRIMINAL alerts (any status) of these accounts: an episode keeps the key
 * it was first raised with (rules/activity-rules.ts `detectCriminal`). Read-only use of the alerts
 * table, through its subject index.
 */
export async function criminalAlertKeys(db: Db, accounts: readonly string[]): Promise<string[]> {
  if (accounts.length === 0) return [];
  const { rows } = await sql<{ dedup_key: string }>`
    SELECT DISTINCT dedup_key FROM alerts
     WHERE subject_type = 'person' AND subject_id = ANY(${[...new Set(accounts)]}::text[]) AND source = 'lookups' AND rule = 'L-CRIMINAL'`.execute(db);
  return rows.map((r) => r.dedup_key);
}

/** The keyed sampling hash of rules/activity-rules.ts `isSampled`, in SQL. */
export const sampled = (params: Pick<LookupRuleParams, 'randomKey' | 'randomOneIn'>): RawBuilder<boolean> =>
  sql<boolean>`(('x' || substr(md5(${params.randomKey}::text || external_id), 1, 8))::bit(32)::bigint % ${params.randomOneIn}) = 0`;

/**
 * L-RANDOM: the sampled look-ups of known people. Drawn on arrival (`sampled`, through its partial
 * index) is final: a look-up drawn then is in the sample with the ratio that drew it
 * (`sample_one_in`; the current one for a row loaded with the flag but without it), one not drawn
 * stays out, whatever the parameters are now. Only look-ups never drawn (null: stored before
 * migrations/0013, bulk loads) are drawn here, with the current parameters.
 */
export async function randomRows(db: Db, s: Scope, r: Range, params: LookupRuleParams): Promise<RandomRow[]> {
  const { rows } = await sql<{ id: unknown; at: Date; account: string; person_id: number | null; external_id: string; one_in: number }>`
    SELECT id, at, account, person_id, external_id, coalesce(sample_one_in, ${params.randomOneIn}::int) AS one_in FROM lookups
     WHERE sampled AND person_id IS NOT NULL AND ${inRange(r)} AND ${byAccount(s)}
    UNION ALL
    SELECT id, at, account, person_id, external_id, ${params.randomOneIn}::int FROM lookups
     WHERE sampled IS NULL AND person_id IS NOT NULL AND ${inRange(r)} AND ${byAccount(s)} AND ${sampled(params)}`.execute(db);
  return rows.map((x) => ({ id: n(x.id), at: ms(x.at), account: x.account, personId: x.person_id, externalId: x.external_id, oneIn: n(x.one_in) }));
}

/** Look-ups with an ID number whose sex is not yet recorded (the back-fill reads their ciphertext). */
export async function missingSex(db: Db, s: Scope, r: Range): Promise<Array<{ id: number; enc: string }>> {
  const { rows } = await sql<{ id: unknown; enc: string }>`
    SELECT id, subject_enc AS enc FROM lookups WHERE subject_id_hash IS NOT NULL AND subject_sex IS NULL AND ${inRange(r)} AND ${byAccount(s)}`.execute(db);
  return rows.map((x) => ({ id: n(x.id), enc: x.enc }));
}

/**
 * Stores the sexes read, and adds them to the daily summary, in one transaction — under the
 * look-up write lock, as intake: both upsert the same account-days.
 */
export async function storeSex(db: Db, rows: Array<{ id: number; sex: 'F' | 'M' }>): Promise<void> {
  if (rows.length === 0) return;
  await db.transaction().execute(async (trx) => {
    await lockLookupWrites(trx);
    const { rows: done } = await sql<{ id: unknown }>`
      UPDATE lookups l SET subject_sex = v.sex
        FROM unnest(${rows.map((r) => r.id)}::bigint[], ${rows.map((r) => r.sex)}::text[]) AS v(id, sex)
       WHERE l.id = v.id AND l.subject_sex IS NULL
      RETURNING l.id`.execute(trx);
    await addSexesToSummaries(trx, done.map((d) => n(d.id)));
  });
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
