-- Violation catalogue (违法代码), versioned. Every import creates a new version holding the whole
-- catalogue; the current catalogue is the latest version. Versions are immutable, so a decision
-- made under version N can be replayed against exactly the codes it saw.

CREATE TABLE catalogue_versions (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  version integer NOT NULL UNIQUE CHECK (version >= 1),
  label text NOT NULL CHECK (length(label) BETWEEN 1 AND 100),
  is_sample boolean NOT NULL DEFAULT false,
  -- the uploaded file: name and SHA-256 of its bytes (null for the built-in sample)
  source_filename text,
  source_sha256 text CHECK (source_sha256 ~ '^[0-9a-f]{64}$'),
  -- SHA-256 of the canonical JSON of the entries, computed by the application: the identity of
  -- the content (in-process cache key, "same as the current version" check)
  content_sha256 text NOT NULL CHECK (content_sha256 ~ '^[0-9a-f]{64}$'),
  entry_count integer NOT NULL CHECK (entry_count >= 0),
  note text,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- null when the system created it (the sample at start-up); the name as the ledger shows it
  created_by integer REFERENCES accounts (id),
  created_by_name text NOT NULL
);

CREATE TABLE violation_codes (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  version_id integer NOT NULL REFERENCES catalogue_versions (id),
  code text NOT NULL CHECK (code ~ '^[0-9A-Z]{1,10}$'),
  description text NOT NULL CHECK (length(description) BETWEEN 1 AND 200),
  basis text NOT NULL CHECK (length(basis) BETWEEN 1 AND 300),
  -- whole yuan
  fine_min integer NOT NULL,
  fine_max integer NOT NULL,
  fine_default integer NOT NULL,
  points smallint NOT NULL CHECK (points BETWEEN 0 AND 12),
  category text NOT NULL CHECK (category IN ('parking', 'signal', 'marking', 'speed', 'equipment', 'driving', 'pedestrian', 'nonMotor', 'overload', 'other')),
  warning_eligible boolean NOT NULL,
  -- continuing-violation window for the repeat rule; null = the rule set's default
  continuing_window_minutes integer CHECK (continuing_window_minutes > 0),
  -- in force on Beijing calendar days effective_from ≤ day < effective_to (null: open-ended)
  effective_from date NOT NULL,
  effective_to date,
  CHECK (0 <= fine_min AND fine_min <= fine_default AND fine_default <= fine_max),
  CHECK (effective_to IS NULL OR effective_to > effective_from),
  -- periods of one code within a version must not overlap; the application checks that on
  -- import (a GiST exclusion constraint would need btree_gist, which PGlite does not load)
  UNIQUE (version_id, code, effective_from)
);

-- A new version always comes after the latest one.
CREATE FUNCTION catalogue_version_increases() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM catalogue_versions WHERE version >= NEW.version) THEN
    RAISE EXCEPTION 'catalogue version % does not follow the latest version', NEW.version;
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER catalogue_versions_increase BEFORE INSERT ON catalogue_versions
  FOR EACH ROW EXECUTE FUNCTION catalogue_version_increases();

-- Versions are immutable: a correction is a new version. Second line of defence behind the
-- service, which never updates or deletes.
CREATE FUNCTION catalogue_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'catalogue versions are immutable: % on % refused', TG_OP, TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER catalogue_versions_no_update BEFORE UPDATE OR DELETE ON catalogue_versions
  FOR EACH ROW EXECUTE FUNCTION catalogue_refuse_change();
CREATE TRIGGER catalogue_versions_no_truncate BEFORE TRUNCATE ON catalogue_versions
  FOR EACH STATEMENT EXECUTE FUNCTION catalogue_refuse_change();
CREATE TRIGGER violation_codes_no_update BEFORE UPDATE OR DELETE ON violation_codes
  FOR EACH ROW EXECUTE FUNCTION catalogue_refuse_change();
CREATE TRIGGER violation_codes_no_truncate BEFORE TRUNCATE ON violation_codes
  FOR EACH STATEMENT EXECUTE FUNCTION catalogue_refuse_change();
