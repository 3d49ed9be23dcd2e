-- The look-up rules (L-*): their parameter versions, the registry of personnel identifiers the
-- self/kin/colleague rules match subjects against, and the subject's sex the skew rule counts.

-- Immutable parameter versions, like rule_sets: an edit writes version n+1; every alert names its version.
CREATE TABLE lookup_rule_sets (
  version integer PRIMARY KEY CHECK (version > 0),
  params jsonb NOT NULL CHECK (jsonb_typeof(params) = 'object'),
  note text NOT NULL DEFAULT '',
  created_by integer REFERENCES accounts (id),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- The personnel registry holds no ID numbers or vehicles: this table does, for matching only —
-- keyed HMAC hashes made with the look-up subjects' key (so they match lookups.subject_*_hash),
-- a masked copy for lists, never the clear value. `self`: the person's own ID number or vehicle;
-- `kin`: a registered relative's (L-KIN). A colleague is any other person's `self` entry (L-COLLEAGUE).
CREATE TABLE personnel_subjects (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  person_id integer NOT NULL REFERENCES personnel (id),
  relation text NOT NULL CHECK (relation IN ('self', 'kin')),
  field text NOT NULL CHECK (field IN ('plate', 'idNumber')),
  hash text NOT NULL,
  masked text NOT NULL,
  note text NOT NULL DEFAULT '',
  added_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (person_id, field, hash)
);
CREATE INDEX personnel_subjects_hash ON personnel_subjects (field, hash);

-- 'F' / 'M' from the subject's ID number (its 17th digit), for L-SKEW. Null: no ID number.
-- Filled by the detection runner from the ciphertext for look-ups that lack it.
ALTER TABLE lookups ADD COLUMN subject_sex char(1) CHECK (subject_sex IN ('F', 'M'));

-- The rules group look-ups by account and Beijing day; without statistics on that expression the
-- planner takes every row for its own group and sorts the whole table instead of hashing.
CREATE STATISTICS lookups_account_day (ndistinct) ON account, person_id, (((date_part('epoch', at)::bigint + 28800) / 86400)::int) FROM lookups;
