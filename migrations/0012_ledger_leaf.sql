-- The leaf is the record, the columns are an index (issue #3, src/modules/ledger/README.md).
--
-- `leaf`: the exact bytes record() hashed into the tree (RFC 8785 canonical JSON of the entry,
-- UTF-8). From this migration on it is what the API, console, exports and CLI show. The other
-- columns of a new row are search hints for the console's filters: a lying hint can hide an
-- entry from a filter, never change what is shown (`clearlane ledger verify --deep` checks them).
-- New rows no longer repeat the payload in `payload` (NULL), so a row stays about as large as
-- before and verify hashes stored bytes instead of re-canonicalising jsonb.
--
-- Entries written before this migration keep their columns as their record and have no leaf:
-- they are not backfilled (the append-only trigger exists to refuse exactly those UPDATEs, and
-- nothing would be gained: the verifier rebuilds their leaves from the columns as before).
ALTER TABLE ledger_entries ADD COLUMN leaf bytea;
ALTER TABLE ledger_entries ALTER COLUMN payload DROP NOT NULL;

-- The entries from before this migration, found by the verifier without a scan: small (nothing
-- written from now on enters it), and only an aid — without it the same query is a scan.
CREATE INDEX ledger_entries_without_leaf ON ledger_entries (seq) WHERE leaf IS NULL;

-- Every entry as the API shows it, for SQL readers (reports, tests): for a row with a leaf, every
-- member read from the leaf — never from the hint columns; for an older row, its columns.
CREATE VIEW ledger_entry_view AS
SELECT
  e.seq,
  CASE WHEN j.l IS NULL THEN e.at ELSE (j.l->>'at')::timestamptz END AS at,
  CASE WHEN j.l IS NULL THEN e.actor_account_id ELSE (j.l->>'actorAccountId')::integer END AS actor_account_id,
  CASE WHEN j.l IS NULL THEN e.actor_person_id ELSE (j.l->>'actorPersonId')::integer END AS actor_person_id,
  CASE WHEN j.l IS NULL THEN e.actor_name ELSE j.l->>'actorName' END AS actor_name,
  CASE WHEN j.l IS NULL THEN e.action ELSE j.l->>'action' END AS action,
  CASE WHEN j.l IS NULL THEN e.subject_type ELSE j.l->>'subjectType' END AS subject_type,
  CASE WHEN j.l IS NULL THEN e.subject_id ELSE j.l->>'subjectId' END AS subject_id,
  CASE WHEN j.l IS NULL THEN e.payload ELSE j.l->'payload' END AS payload,
  CASE WHEN j.l IS NULL THEN e.request_id ELSE j.l->>'requestId' END AS request_id,
  CASE WHEN j.l IS NULL THEN e.client_ip ELSE j.l->>'clientIp' END AS client_ip,
  e.leaf
FROM ledger_entries e
CROSS JOIN LATERAL (SELECT convert_from(e.leaf, 'UTF8')::jsonb AS l) j;
