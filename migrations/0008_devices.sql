-- The electronic-monitoring device registry (设备台账). A device is lawful evidence only while its
-- reviews, public announcement, signage, metrological verification and status allow it
-- (L1 Art.15–17, L4 Art.41); the rules decide that per capture from an immutable revision of the
-- device, so every decision can be replayed against exactly the registry state it saw.

CREATE TABLE devices (
  -- the device code the traffic-management system sends with every capture (设备编号)
  id text PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 40),
  type text NOT NULL CHECK (type IN ('speedFixed', 'speedSection', 'speedMobile', 'redLight', 'parking', 'lane', 'other')),
  road text NOT NULL CHECK (length(road) BETWEEN 1 AND 100),
  direction text,
  km double precision,
  lat double precision,
  lon double precision,
  location_description text,
  owning_unit_id integer NOT NULL REFERENCES units (id),
  allowed_codes text[] NOT NULL,
  legal_review_date date,
  legal_review_doc_no text,
  legal_reviewer text,
  technical_review_date date,
  technical_review_doc_no text,
  technical_reviewer text,
  announcement_date date,
  announcement_channel text,
  announcement_url text,
  signage boolean NOT NULL DEFAULT false,
  signage_distance_m integer CHECK (signage_distance_m >= 0),
  verification_cert_no text,
  verification_valid_from date,
  verification_valid_to date,
  -- earlier certificates [{ certificateNo, validFrom, validTo }]: a capture is judged by the
  -- certificate in force on its day, also after a renewal
  verification_history jsonb NOT NULL DEFAULT '[]',
  -- mobile devices: operated by police only (L1 Art.17)
  police_operated boolean NOT NULL DEFAULT false,
  -- [{ status, from: 'YYYY-MM-DD', reason, documentNo }] in effective order; `status` is the
  -- latest entry, kept as a column for the list's filter
  status_history jsonb NOT NULL DEFAULT '[]',
  status text NOT NULL CHECK (status IN ('active', 'suspended', 'removed')),
  revision integer NOT NULL CHECK (revision >= 1),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (verification_valid_to IS NULL OR verification_valid_from IS NULL OR verification_valid_to >= verification_valid_from)
);
CREATE INDEX devices_unit ON devices (owning_unit_id);
CREATE INDEX devices_status ON devices (status, type);

-- Every state a device ever had, immutable: revision n is the device after its n-th change, with
-- the document the change rests on. The intake reads the latest revision of a batch's devices in
-- one query; a replay reads the revision the decision names.
CREATE TABLE device_revisions (
  device_id text NOT NULL REFERENCES devices (id),
  revision integer NOT NULL CHECK (revision >= 1),
  -- the device as the rules see it (contracts/devices.ts deviceState)
  state jsonb NOT NULL,
  change_kind text NOT NULL CHECK (change_kind IN ('create', 'update', 'status', 'import')),
  document_no text NOT NULL CHECK (length(document_no) BETWEEN 1 AND 100),
  note text,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by integer REFERENCES accounts (id),
  created_by_name text NOT NULL,
  PRIMARY KEY (device_id, revision)
);

CREATE FUNCTION device_revisions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'device revisions are immutable';
END;
$$;
CREATE TRIGGER device_revisions_no_update BEFORE UPDATE OR DELETE ON device_revisions
  FOR EACH ROW EXECUTE FUNCTION device_revisions_immutable();

-- The device revision a capture was decided against (null: on-site records, unknown devices).
ALTER TABLE enforcement_records ADD COLUMN device_revision integer;
