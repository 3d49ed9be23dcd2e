-- Compact summaries the look-up rules read instead of rescanning every look-up, kept exact at
-- intake (same transaction as the look-ups, additive upserts: a re-sent externalId is never stored
-- twice, so never counted twice), the random sample drawn on arrival, and partial indexes over the
-- small subsets the rules still read row by row.

-- The Beijing day of a look-up, everywhere (summaries.ts `beijingDaySql`, text for text):
-- floor((date_part('epoch', at) + 28800) / 86400)::int — floor, so 23:59:59.9 stays on its day.
-- The group statistics 0011 created were on a rounding expression no query uses any more; the
-- same statistics on this one (the rules and the summary rebuild group look-ups by it).
DROP STATISTICS IF EXISTS lookups_account_day;
CREATE STATISTICS lookups_account_day (ndistinct) ON account, person_id, (floor((date_part('epoch', at) + 28800) / 86400)::int) FROM lookups;

-- Per account, Beijing day and person (the GROUP BY of the daily pass: L-VOLUME, L-UNKNOWN, L-SKEW,
-- L-SHARED's candidates, and the candidates of L-PURPOSE, L-OFFDUTY, L-BULK and L-CRIMINAL).
-- Every column is a sum, a least/greatest or an OR over the day's look-ups, so adding a batch is an
-- upsert that adds its own aggregate, and the order batches arrive in changes nothing.
CREATE TABLE lookup_account_days (
  account text NOT NULL,
  -- Beijing day index: days since 1970-01-01 in UTC+8 (rules/time.ts)
  day integer NOT NULL,
  -- the matched person (null: the account matches nobody, an L-UNKNOWN lead)
  person_id integer,
  lookups integer NOT NULL,
  -- NOT justified; a re-binding that justifies a look-up later takes it off
  unjustified integer NOT NULL,
  -- subjects with a known sex, and female (L-SKEW); the latest female look-up as evidence
  known_sex integer NOT NULL,
  female integer NOT NULL,
  female_id bigint,
  -- the least and greatest certificate and terminal of the day (byte order): two differ = shared?
  min_cert text COLLATE "C",
  max_cert text COLLATE "C",
  min_term text COLLATE "C",
  max_term text COLLATE "C",
  -- a known person on a terminal of a unit other than theirs
  foreign_terminal boolean NOT NULL,
  -- unjustified location-track records (result counts; a look-up without one counts 1), L-CRIMINAL
  track_records integer NOT NULL
);
CREATE UNIQUE INDEX lookup_account_days_key ON lookup_account_days (account, day, (coalesce(person_id, 0)));
CREATE INDEX lookup_account_days_day ON lookup_account_days (day);
CREATE INDEX lookup_account_days_track ON lookup_account_days (account, day) WHERE track_records > 0;

INSERT INTO lookup_account_days
SELECT account, floor((date_part('epoch', at) + 28800) / 86400)::int AS day, person_id, count(*)::int,
       count(*) FILTER (WHERE NOT justified)::int,
       count(subject_sex)::int, count(*) FILTER (WHERE subject_sex = 'F')::int, max(id) FILTER (WHERE subject_sex = 'F'),
       min(certificate_id COLLATE "C"), max(certificate_id COLLATE "C"), min(terminal_id COLLATE "C"), max(terminal_id COLLATE "C"),
       coalesce(bool_or(person_id IS NOT NULL AND terminal_unit_id IS NOT NULL AND terminal_unit_id <> unit_id), false),
       coalesce(sum(coalesce(result_count, 1)) FILTER (WHERE NOT justified AND query_type = 'locationTrack'), 0)::int
  FROM lookups
 GROUP BY 1, 2, 3;

-- L-SHARED's candidates: the account-days on two certificates or terminals or another unit's
-- terminal (partial index), and per certificate and day the least and greatest account that used
-- it — two differ: a certificate two accounts used that day.
CREATE INDEX lookup_account_days_shared ON lookup_account_days (day) WHERE min_cert <> max_cert OR min_term <> max_term OR foreign_terminal;
CREATE TABLE lookup_certificate_days (
  certificate_id text COLLATE "C" NOT NULL,
  day integer NOT NULL,
  min_account text COLLATE "C" NOT NULL,
  max_account text COLLATE "C" NOT NULL,
  PRIMARY KEY (certificate_id, day)
);
CREATE INDEX lookup_certificate_days_shared ON lookup_certificate_days (day) WHERE min_account <> max_account;
INSERT INTO lookup_certificate_days
SELECT certificate_id, floor((date_part('epoch', at) + 28800) / 86400)::int, min(account COLLATE "C"), max(account COLLATE "C")
  FROM lookups
 GROUP BY 1, 2;

-- L-RANDOM: drawn on arrival with the sampling key and ratio current then (md5(key ‖ externalId),
-- first 32 bits mod N = 0), so a full run reads the sample through an index instead of hashing
-- every look-up again, and a later change of the parameters never redraws history. Null: never
-- drawn — the look-ups stored before this migration, and bulk loads — which the runner draws in
-- SQL with the current parameters (no back-fill here: it would rewrite every row of the table).
-- `sample_one_in`: the ratio of the draw that picked the look-up (the finding states it), set only
-- when sampled.
ALTER TABLE lookups ADD COLUMN sampled boolean, ADD COLUMN sample_one_in integer;
CREATE INDEX lookups_sampled ON lookups (at) WHERE sampled;
CREATE INDEX lookups_undrawn ON lookups (at) WHERE sampled IS NULL;

-- L-HOT: per subject (its first hash: plate, else ID number, else name), Beijing day and account,
-- the unjustified look-ups — the distinct accounts per subject without reading look-ups; then the
-- look-ups of the few subjects that qualify, through the partial expression index.
CREATE TABLE lookup_unjustified_subjects (
  subject text NOT NULL,
  day integer NOT NULL,
  account text NOT NULL,
  lookups integer NOT NULL,
  PRIMARY KEY (subject, day, account)
);
CREATE INDEX lookup_unjustified_subjects_day ON lookup_unjustified_subjects (day);
INSERT INTO lookup_unjustified_subjects
SELECT coalesce(subject_plate_hash, subject_id_hash, subject_name_hash), floor((date_part('epoch', at) + 28800) / 86400)::int, account, count(*)::int
  FROM lookups WHERE NOT justified
 GROUP BY 1, 2, 3;
CREATE INDEX lookups_unjustified_subject ON lookups ((coalesce(subject_plate_hash, subject_id_hash, subject_name_hash)), at) WHERE NOT justified;
-- Re-binding: look-ups whose caseRef named nothing yet (a record may arrive after the look-up).
CREATE INDEX lookups_unbound_case_ref ON lookups (case_ref) WHERE NOT justified AND case_ref IS NOT NULL AND (justification->>'reason') = 'caseRefNotFound';
-- The runner's back-fill of the subject's sex.
CREATE INDEX lookups_sex_missing ON lookups (at) WHERE subject_id_hash IS NOT NULL AND subject_sex IS NULL;
