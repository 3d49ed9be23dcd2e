-- The operation record: one row per state change, personal-data read, permission denial and
-- login attempt, written in the same transaction as the change. Append-only.

CREATE TABLE ledger_entries (
  seq bigint PRIMARY KEY,
  at timestamptz NOT NULL,
  actor_account_id integer,
  actor_person_id integer,
  actor_name text NOT NULL,
  action text NOT NULL,
  subject_type text NOT NULL,
  subject_id text NOT NULL,
  payload jsonb NOT NULL,
  request_id text NOT NULL,
  client_ip text NOT NULL
);
CREATE INDEX ledger_entries_at ON ledger_entries (at);
CREATE INDEX ledger_entries_actor ON ledger_entries (actor_account_id);
CREATE INDEX ledger_entries_subject ON ledger_entries (subject_type, subject_id);
CREATE INDEX ledger_entries_action ON ledger_entries (action);

-- One row holding the log size. Appenders UPDATE it first, which locks it until commit: that
-- serializes appends and keeps sequence numbers gap-free even under concurrent writers.
CREATE TABLE ledger_head (
  id integer PRIMARY KEY CHECK (id = 1),
  size bigint NOT NULL
);
INSERT INTO ledger_head (id, size) VALUES (1, 0);

CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger is append-only: % on % refused', TG_OP, TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE OR DELETE ON ledger_entries
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
