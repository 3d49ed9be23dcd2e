-- Look-ups of vehicle and driver data (the traffic-management system's query log), their purpose
-- binding, the inspectors' watch list, the duty roster the off-duty rule reads, and the
-- explanation requests (说明核查) sent to the people who made flagged look-ups.

-- No foreign keys on this high-volume table, deliberately (as enforcement_records): every id it
-- holds is taken from its table inside the batch's transaction, and nothing it points at is ever
-- deleted. Personal data of the subject is never stored in the clear: keyed HMAC-SHA-256 hashes
-- for matching, AES-256-GCM ciphertext for the ledgered unmasked view, and a masked copy for lists.
-- The key lives outside the database (DATA_DIR/lookup-subject.key).
CREATE TABLE lookups (
  id bigint PRIMARY KEY,
  external_id text NOT NULL UNIQUE,
  at timestamptz NOT NULL,
  -- the police-network login (警号) as the source sent it, and the person it matched (null: nobody)
  account text NOT NULL,
  person_id integer,
  -- data scope: the person's unit when the look-up arrived; for an unknown account the terminal's unit
  unit_id integer,
  certificate_id text NOT NULL,
  terminal_id text NOT NULL,
  terminal_ip text NOT NULL,
  terminal_unit text,
  terminal_unit_id integer,
  query_type text NOT NULL CHECK (query_type IN ('vehicle', 'driver', 'violations', 'locationTrack', 'other')),
  subject_plate_hash text,
  subject_id_hash text,
  subject_name_hash text,
  subject_enc text NOT NULL,
  subject_masked jsonb NOT NULL,
  purpose_category text,
  purpose_text text,
  case_ref text,
  result_count integer,
  -- purpose binding, decided at intake: the verdict and the facts it rests on (params version included)
  justified boolean NOT NULL,
  justification jsonb NOT NULL,
  batch_seq bigint NOT NULL,
  ingested_at timestamptz NOT NULL DEFAULT now(),
  CHECK (subject_plate_hash IS NOT NULL OR subject_id_hash IS NOT NULL OR subject_name_hash IS NOT NULL)
);
CREATE SEQUENCE lookups_id_seq OWNED BY lookups.id;
CREATE SEQUENCE lookup_batches_seq;

-- per account over time (volume, bursts, off-duty, baselines), also for accounts matching nobody
CREATE INDEX lookups_account_time ON lookups (account, at);
CREATE INDEX lookups_person_time ON lookups (person_id, at) WHERE person_id IS NOT NULL;
-- who looked this subject up (subject view, L-HOT, L-WATCH, L-SELF/L-KIN/L-COLLEAGUE)
CREATE INDEX lookups_plate_time ON lookups (subject_plate_hash, at) WHERE subject_plate_hash IS NOT NULL;
CREATE INDEX lookups_idno_time ON lookups (subject_id_hash, at) WHERE subject_id_hash IS NOT NULL;
CREATE INDEX lookups_name_time ON lookups (subject_name_hash, at) WHERE subject_name_hash IS NOT NULL;
-- one certificate from two terminals (L-SHARED)
CREATE INDEX lookups_certificate_time ON lookups (certificate_id, at);
-- overview per day, data scope
CREATE INDEX lookups_time ON lookups (at);
CREATE INDEX lookups_unit_time ON lookups (unit_id, at);
CREATE INDEX lookups_unjustified ON lookups (account, at) WHERE NOT justified;
CREATE INDEX lookups_batch ON lookups (batch_seq);

-- Subjects inspectors watch: public figures, journalists, complainants against named officers.
CREATE TABLE lookup_watchlist (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  subject_plate_hash text,
  subject_id_hash text,
  subject_name_hash text,
  subject_enc text NOT NULL,
  subject_masked jsonb NOT NULL,
  category text NOT NULL CHECK (category IN ('publicFigure', 'journalist', 'complainant', 'witness', 'other')),
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  -- a complainant's look-up is a finding above all when made by the people complained against
  against_person_ids integer[] NOT NULL DEFAULT '{}',
  active boolean NOT NULL DEFAULT true,
  added_by_account_id integer REFERENCES accounts (id),
  added_by_name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (subject_plate_hash IS NOT NULL OR subject_id_hash IS NOT NULL OR subject_name_hash IS NOT NULL)
);
CREATE INDEX lookup_watchlist_plate ON lookup_watchlist (subject_plate_hash) WHERE active AND subject_plate_hash IS NOT NULL;
CREATE INDEX lookup_watchlist_idno ON lookup_watchlist (subject_id_hash) WHERE active AND subject_id_hash IS NOT NULL;
CREATE INDEX lookup_watchlist_name ON lookup_watchlist (subject_name_hash) WHERE active AND subject_name_hash IS NOT NULL;

-- Shifts and leave, imported from the brigade's roster (XLSX). No row for a person: office hours apply.
CREATE TABLE duty_roster (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  person_id integer NOT NULL REFERENCES personnel (id),
  -- data scope: the person's unit when imported
  unit_id integer NOT NULL,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  kind text NOT NULL CHECK (kind IN ('onDuty', 'leave')),
  imported_at timestamptz NOT NULL DEFAULT now(),
  imported_by text NOT NULL,
  CHECK (ends_at > starts_at),
  -- re-importing the same roster adds nothing
  UNIQUE (person_id, starts_at, ends_at, kind)
);
CREATE INDEX duty_roster_person_time ON duty_roster (person_id, starts_at, ends_at);
CREATE INDEX duty_roster_time ON duty_roster (starts_at);

-- 说明核查: an inspector asks the person who made flagged look-ups why; they answer; the inspector
-- accepts (the alert is resolved) or escalates (the alert stays open, marked escalated).
CREATE TABLE explanation_requests (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  alert_id integer REFERENCES alerts (id),
  -- the alert's rule when asked, for lists (alerts are read through their service)
  alert_rule text,
  lookup_ids bigint[] NOT NULL CHECK (cardinality(lookup_ids) BETWEEN 1 AND 500),
  person_id integer NOT NULL REFERENCES personnel (id),
  -- data scope: the asked person's unit when asked
  unit_id integer NOT NULL REFERENCES units (id),
  question text NOT NULL CHECK (length(question) BETWEEN 1 AND 2000),
  deadline timestamptz NOT NULL,
  asked_by_account_id integer REFERENCES accounts (id),
  asked_by_name text NOT NULL,
  asked_at timestamptz NOT NULL DEFAULT now(),
  answer text,
  answered_at timestamptz,
  status text NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'answered', 'accepted', 'escalated')),
  decided_by_account_id integer REFERENCES accounts (id),
  decided_by_name text,
  decided_at timestamptz,
  decision_note text,
  CHECK (status <> 'requested' OR answered_at IS NULL),
  CHECK (status <> 'answered' OR answered_at IS NOT NULL),
  CHECK (status NOT IN ('accepted', 'escalated') OR decided_at IS NOT NULL)
);
-- one request at a time per alert
CREATE UNIQUE INDEX explanation_requests_alert_open ON explanation_requests (alert_id) WHERE alert_id IS NOT NULL AND status IN ('requested', 'answered');
CREATE INDEX explanation_requests_person ON explanation_requests (person_id, status);
CREATE INDEX explanation_requests_status ON explanation_requests (status, deadline);
CREATE INDEX explanation_requests_unit ON explanation_requests (unit_id, status);

-- An escalated explanation marks its alert escalated; the alert's history records it.
ALTER TABLE alert_events DROP CONSTRAINT alert_events_action_check;
ALTER TABLE alert_events ADD CONSTRAINT alert_events_action_check
  CHECK (action IN ('raise', 'refresh', 'assign', 'acknowledge', 'dismiss', 'resolve', 'reopen', 'verdict', 'escalate'));
