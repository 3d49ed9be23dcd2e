-- Enforcement records (camera proposals and on-site decisions), their rule decisions, the legal
-- officer's review, and the versioned rule parameters the decisions were made under.

CREATE TABLE rule_sets (
  version integer PRIMARY KEY CHECK (version > 0),
  params jsonb NOT NULL,
  note text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by integer REFERENCES accounts (id)
);

-- No foreign keys on this high-volume table, deliberately: every referenced row (units, people,
-- accounts, rule-set versions, earlier records) is never deleted, and the intake takes each id
-- from those very tables inside the batch's transaction. Per-row RI triggers would cost a third
-- of the load time and protect against nothing that can happen.
CREATE TABLE enforcement_records (
  id bigint PRIMARY KEY,
  external_id text NOT NULL UNIQUE,
  kind text NOT NULL CHECK (kind IN ('camera', 'onSite')),
  plate text NOT NULL,
  vehicle_type text NOT NULL,
  freight boolean NOT NULL,
  violation_code text NOT NULL,
  occurred_at timestamptz NOT NULL,
  road text NOT NULL,
  direction text,
  km double precision,
  lat double precision,
  lon double precision,
  place_description text,
  device_id text,
  deciding_officer text,
  deciding_person_id integer,
  assistants text[] NOT NULL DEFAULT '{}',
  procedure text CHECK (procedure IN ('simple', 'general')),
  party text CHECK (party IN ('motorVehicleDriver', 'nonMotor', 'pedestrian', 'passenger')),
  fine_yuan numeric(10, 2),
  points smallint,
  payment_method text CHECK (payment_method IN ('bank', 'online', 'cashOnSpot')),
  receipt_no text,
  remote_area boolean NOT NULL DEFAULT false,
  evidence jsonb NOT NULL DEFAULT '[]',
  -- personal data: shown masked, every unmasked read ledgered
  driver_name text,
  driver_id_number text,
  driver_licence_no text,
  -- pseudonymous key of the driver, for "same driver" without reading the personal data
  driver_key text,
  unit_id integer NOT NULL,
  -- the decision
  outcome text NOT NULL CHECK (outcome IN ('penalty', 'warning', 'held', 'merged', 'voided', 'compliant', 'nonCompliant')),
  decided_outcome text NOT NULL,
  linked_record_id bigint,
  decided_fine_yuan numeric(10, 2),
  decided_points smallint,
  reasons jsonb NOT NULL,
  rule_set_version integer NOT NULL,
  catalogue_version integer NOT NULL,
  -- the legal officer's review of a held record
  held_at timestamptz,
  reviewed_at timestamptz,
  reviewed_by integer,
  review_note text,
  batch_seq bigint NOT NULL,
  ingested_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'camera') = (outcome IN ('penalty', 'warning', 'held', 'merged', 'voided')))
);
CREATE SEQUENCE enforcement_records_id_seq OWNED BY enforcement_records.id;
CREATE SEQUENCE enforcement_batches_seq;

-- history of a plate (one query per batch: plate = ANY(...) AND occurred_at in a window)
CREATE INDEX enforcement_records_plate_time ON enforcement_records (plate, occurred_at);
-- the same driver in another vehicle (R-WARN-FIRST), in the same history query
CREATE INDEX enforcement_records_driver_time ON enforcement_records (driver_key, occurred_at) WHERE driver_key IS NOT NULL;
CREATE INDEX enforcement_records_time ON enforcement_records (occurred_at);
CREATE INDEX enforcement_records_held ON enforcement_records (held_at) WHERE outcome = 'held';
CREATE INDEX enforcement_records_officer_time ON enforcement_records (deciding_officer, occurred_at) WHERE deciding_officer IS NOT NULL;
CREATE INDEX enforcement_records_device_time ON enforcement_records (device_id, occurred_at) WHERE device_id IS NOT NULL;
CREATE INDEX enforcement_records_unit_time ON enforcement_records (unit_id, occurred_at);
CREATE INDEX enforcement_records_code ON enforcement_records (violation_code);
-- the intake's snapshot mark (max) and its check for batches committed since
CREATE INDEX enforcement_records_batch ON enforcement_records (batch_seq);
