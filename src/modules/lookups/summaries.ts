// The summaries of look-ups the rules read instead of rescanning every look-up (migrations/0013):
// per account and Beijing day (lookup_account_days), the unjustified look-ups per subject, day and
// account (lookup_unjustified_subjects, L-HOT), and the accounts per certificate and day
// (lookup_certificate_days, L-SHARED). Kept exact: every change to look-ups that a
// column depends on adds its own aggregate in the same transaction — a batch at intake, a sex
// filled in by the runner, a re-binding that justifies a look-up — as an upsert that adds sums and
// takes least/greatest/OR. Duplicates are never stored (externalId is unique), so never counted.
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { Tx } from '../../platform/db/tx.ts';

/**
 * The Beijing day index of a look-up's `at` (days since 1970-01-01 in UTC+8): floor, as
 * rules/time.ts `beijingDayIndex`, so 23:59:59.9 stays on its day (a cast to bigint would round it
 * onto the next). The one expression every summary, query and migration uses, text for text:
 * migrations/0013 keeps the planner's group statistics on exactly this expression.
 */
export const beijingDaySql = (column: 'at' | 'l.at'): RawBuilder<number> => sql<number>`floor((date_part('epoch', ${sql.raw(column)}) + 28800) / 86400)::int`;
const DAY_OF_L = beijingDaySql('l.at');

/**
 * The look-up write lock (advisory 7401/2, transaction-scoped): every transaction that changes the
 * summaries takes it first — intake, re-binding, the sex back-fill — so their upserts never meet
 * the same summary rows in two orders (a deadlock on PostgreSQL) and a re-sent externalId in two
 * concurrent batches is stored once.
 */
export async function lockLookupWrites(trx: Db | Tx): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(7401, 2)`.execute(trx);
}

const COLUMNS = sql.raw(
  'account, day, person_id, lookups, unjustified, known_sex, female, female_id, min_cert, max_cert, min_term, max_term, foreign_terminal, track_records',
);

/** The summary of the look-ups `where` selects (alias `l`), grouped as the table is keyed. */
const aggregateOf = (where: RawBuilder<boolean>) => sql`
  SELECT l.account, ${DAY_OF_L}, l.person_id, count(*)::int,
         count(*) FILTER (WHERE NOT l.justified)::int,
         count(l.subject_sex)::int, count(*) FILTER (WHERE l.subject_sex = 'F')::int, max(l.id) FILTER (WHERE l.subject_sex = 'F'),
         min(l.certificate_id COLLATE "C"), max(l.certificate_id COLLATE "C"), min(l.terminal_id COLLATE "C"), max(l.terminal_id COLLATE "C"),
         coalesce(bool_or(l.person_id IS NOT NULL AND l.terminal_unit_id IS NOT NULL AND l.terminal_unit_id <> l.unit_id), false),
         coalesce(sum(coalesce(l.result_count, 1)) FILTER (WHERE NOT l.justified AND l.query_type = 'locationTrack'), 0)::int
    FROM lookups l WHERE ${where}
   GROUP BY 1, 2, 3`;

/** The unjustified look-ups `where` selects per subject, day and account (L-HOT). */
const subjectsOf = (where: RawBuilder<boolean>) => sql`
  SELECT coalesce(l.subject_plate_hash, l.subject_id_hash, l.subject_name_hash), ${DAY_OF_L}, l.account, count(*)::int
    FROM lookups l WHERE NOT l.justified AND ${where}
   GROUP BY 1, 2, 3`;
const ADD_SUBJECTS = sql`ON CONFLICT (subject, day, account) DO UPDATE SET lookups = s.lookups + excluded.lookups`;

/** The accounts `where`'s look-ups used each certificate with, per day (L-SHARED). */
const certificatesOf = (where: RawBuilder<boolean>) => sql`
  SELECT l.certificate_id, ${DAY_OF_L}, min(l.account COLLATE "C"), max(l.account COLLATE "C")
    FROM lookups l WHERE ${where}
   GROUP BY 1, 2`;
const ADD_CERTIFICATES = sql`
  ON CONFLICT (certificate_id, day) DO UPDATE SET min_account = least(s.min_account, excluded.min_account), max_account = greatest(s.max_account, excluded.max_account)`;

const ADD = sql`
  ON CONFLICT (account, day, (coalesce(person_id, 0))) DO UPDATE SET
    lookups = s.lookups + excluded.lookups,
    unjustified = s.unjustified + excluded.unjustified,
    known_sex = s.known_sex + excluded.known_sex,
    female = s.female + excluded.female,
    female_id = greatest(s.female_id, excluded.female_id),
    min_cert = least(s.min_cert, excluded.min_cert),
    max_cert = greatest(s.max_cert, excluded.max_cert),
    min_term = least(s.min_term, excluded.min_term),
    max_term = greatest(s.max_term, excluded.max_term),
    foreign_terminal = s.foreign_terminal OR excluded.foreign_terminal,
    track_records = s.track_records + excluded.track_records`;

/** Adds a batch stored in this transaction to the summaries (intake: one statement per table), by its id range. */
export async function addBatchToSummaries(trx: Tx, batch: { batchSeq: number; firstId: number; lastId: number }): Promise<void> {
  const batchRows = sql<boolean>`l.id >= ${batch.firstId} AND l.id <= ${batch.lastId} AND l.batch_seq = ${batch.batchSeq}`;
  await sql`INSERT INTO lookup_account_days AS s (${COLUMNS}) ${aggregateOf(batchRows)} ${ADD}`.execute(trx);
  await sql`INSERT INTO lookup_unjustified_subjects AS s (subject, day, account, lookups) ${subjectsOf(batchRows)} ${ADD_SUBJECTS}`.execute(trx);
  await sql`INSERT INTO lookup_certificate_days AS s (certificate_id, day, min_account, max_account) ${certificatesOf(batchRows)} ${ADD_CERTIFICATES}`.execute(trx);
}

/**
 * Rebuilds the whole summary from the look-ups in one set-based statement: what a bulk loader that
 * writes look-ups by COPY (bypassing intake) runs after its load, as the benchmark does.
 */
export async function rebuildLookupSummaries(db: Db | Tx): Promise<void> {
  await sql`DELETE FROM lookup_account_days`.execute(db);
  await sql`INSERT INTO lookup_account_days (${COLUMNS}) ${aggregateOf(sql<boolean>`true`)}`.execute(db);
  await sql`DELETE FROM lookup_unjustified_subjects`.execute(db);
  await sql`INSERT INTO lookup_unjustified_subjects (subject, day, account, lookups) ${subjectsOf(sql<boolean>`true`)}`.execute(db);
  await sql`DELETE FROM lookup_certificate_days`.execute(db);
  await sql`INSERT INTO lookup_certificate_days (certificate_id, day, min_account, max_account) ${certificatesOf(sql<boolean>`true`)}`.execute(db);
}

/** Sexes filled in for look-ups that had none: their days gain known (and female) subjects. */
export async function addSexesToSummaries(trx: Db | Tx, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await sql`
    INSERT INTO lookup_account_days AS s (${COLUMNS})
    SELECT l.account, ${DAY_OF_L}, l.person_id, 0, 0,
           count(*)::int, count(*) FILTER (WHERE l.subject_sex = 'F')::int, max(l.id) FILTER (WHERE l.subject_sex = 'F'),
           NULL, NULL, NULL, NULL, false, 0
      FROM lookups l WHERE l.id = ANY(${ids}::bigint[]) AND l.subject_sex IS NOT NULL
     GROUP BY 1, 2, 3
    ${ADD}`.execute(trx);
}

/** Look-ups a re-binding justified (they were unjustified): their days lose them from the unjustified counts. */
export async function removeUnjustifiedFromSummaries(trx: Tx, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await sql`
    INSERT INTO lookup_account_days AS s (${COLUMNS})
    SELECT l.account, ${DAY_OF_L}, l.person_id, 0, -count(*)::int, 0, 0, NULL,
           NULL, NULL, NULL, NULL, false, -coalesce(sum(coalesce(l.result_count, 1)) FILTER (WHERE l.query_type = 'locationTrack'), 0)::int
      FROM lookups l WHERE l.id = ANY(${ids}::bigint[])
     GROUP BY 1, 2, 3
    ${ADD}`.execute(trx);
  const { rows } = await sql<{ subject: string; day: number; account: string }>`
    UPDATE lookup_unjustified_subjects s SET lookups = s.lookups - v.n
      FROM (SELECT coalesce(l.subject_plate_hash, l.subject_id_hash, l.subject_name_hash) AS subject, ${DAY_OF_L} AS day, l.account, count(*)::int AS n
              FROM lookups l WHERE l.id = ANY(${ids}::bigint[]) GROUP BY 1, 2, 3) v
     WHERE s.subject = v.subject AND s.day = v.day AND s.account = v.account
    RETURNING s.subject, s.day, s.account`.execute(trx);
  if (rows.length > 0) await sql`DELETE FROM lookup_unjustified_subjects WHERE lookups <= 0 AND subject = ANY(${rows.map((r) => r.subject)}::text[])`.execute(trx);
}

/** The summaries as they should be, recomputed from the look-ups: tests compare them with the maintained ones (0 = exact). */
export async function summaryMismatches(db: Db): Promise<number> {
  const { rows: subjects } = await sql<{ n: number }>`
    WITH f(subject, day, account, lookups) AS (${subjectsOf(sql<boolean>`true`)}),
         kept AS (SELECT subject, day, account, lookups FROM lookup_unjustified_subjects)
    SELECT count(*)::int AS n FROM ((SELECT * FROM f EXCEPT SELECT * FROM kept) UNION ALL (SELECT * FROM kept EXCEPT SELECT * FROM f)) d`.execute(db);
  const { rows: certificates } = await sql<{ n: number }>`
    WITH f(certificate_id, day, min_account, max_account) AS (${certificatesOf(sql<boolean>`true`)}),
         kept AS (SELECT certificate_id, day, min_account, max_account FROM lookup_certificate_days)
    SELECT count(*)::int AS n FROM ((SELECT * FROM f EXCEPT SELECT * FROM kept) UNION ALL (SELECT * FROM kept EXCEPT SELECT * FROM f)) d`.execute(db);
  return Number(subjects[0]!.n) + Number(certificates[0]!.n) + (await dayMismatches(db));
}

async function dayMismatches(db: Db): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    WITH fresh AS (${aggregateOf(sql<boolean>`true`)}),
         f(account, day, person_id, lookups, unjustified, known_sex, female, female_id, min_cert, max_cert, min_term, max_term, foreign_terminal, track_records) AS (SELECT * FROM fresh),
         kept AS (SELECT ${COLUMNS} FROM lookup_account_days)
    SELECT count(*)::int AS n FROM ((SELECT * FROM f EXCEPT SELECT * FROM kept) UNION ALL (SELECT * FROM kept EXCEPT SELECT * FROM f)) d`.execute(db);
  return Number(rows[0]!.n);
}
