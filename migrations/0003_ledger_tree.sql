-- The operation record as an RFC 6962 Merkle log (issue #3): complete-subtree hashes, the
-- frontier of the tree on the head row, and signed checkpoints. Hashing happens in the
-- application (src/modules/ledger); the database only stores and refuses rewrites.

-- Leaf hash SHA-256(0x00 ‖ canonical JSON of the entry) on the entry's own row (leaf i is entry
-- seq i+1): one row written per entry instead of two. NULL for entries from before this
-- migration, which cannot be updated: their leaf hashes go to ledger_nodes level 0 instead.
ALTER TABLE ledger_entries ADD COLUMN leaf_hash bytea CHECK (octet_length(leaf_hash) = 32);

-- Every complete subtree (level k, index i) covering leaves [i·2^k, (i+1)·2^k), k ≥ 1 (level 0
-- only for the entries above). Nodes never change once written, so roots and proofs of any size
-- read O(log n) rows by primary key.
CREATE TABLE ledger_nodes (
  level smallint NOT NULL CHECK (level BETWEEN 0 AND 62),
  idx bigint NOT NULL CHECK (idx >= 0),
  hash bytea NOT NULL CHECK (octet_length(hash) = 32),
  PRIMARY KEY (level, idx)
);

-- tree_size: entries hashed into ledger_nodes. Databases created before this migration have
-- entries but no hashes (tree_size 0 < size): the next appender, holding the head lock, hashes
-- them first, so no start-up step is needed. frontier: the complete-subtree roots along the right
-- edge of the tree of tree_size leaves, largest first, 32 bytes each, what the next append builds
-- on. A convenience only: the verifier recomputes it from the entries and never trusts it.
ALTER TABLE ledger_head
  ADD COLUMN tree_size bigint NOT NULL DEFAULT 0,
  ADD COLUMN frontier bytea NOT NULL DEFAULT '\x'::bytea;

-- Signed tree heads: the C2SP tlog-checkpoint note as signed, and its size and root for queries.
CREATE TABLE ledger_checkpoints (
  size bigint PRIMARY KEY CHECK (size >= 0),
  root bytea NOT NULL CHECK (octet_length(root) = 32),
  note text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ledger_checkpoints_created_at ON ledger_checkpoints (created_at);

-- Second line of defence (the verifier is the first): nodes and checkpoints are append-only, like
-- the entries (0002).
CREATE TRIGGER ledger_nodes_no_update BEFORE UPDATE OR DELETE ON ledger_nodes
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_nodes_no_truncate BEFORE TRUNCATE ON ledger_nodes
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_checkpoints_no_update BEFORE UPDATE OR DELETE ON ledger_checkpoints
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_checkpoints_no_truncate BEFORE TRUNCATE ON ledger_checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

-- A checkpoint only ever extends the log: never one smaller than, or as large as, the latest.
CREATE FUNCTION ledger_checkpoint_grows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM ledger_checkpoints WHERE size >= NEW.size) THEN
    RAISE EXCEPTION 'ledger checkpoint of size % does not extend the latest checkpoint', NEW.size;
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER ledger_checkpoints_grow BEFORE INSERT ON ledger_checkpoints
  FOR EACH ROW EXECUTE FUNCTION ledger_checkpoint_grows();

-- The head must stay updatable (every append moves it), but it may only move forward: it can
-- neither be deleted nor shrunk, and its frontier must have one hash per set bit of tree_size.
CREATE FUNCTION ledger_head_moves_forward() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'UPDATE' THEN
    RAISE EXCEPTION 'ledger head: % refused', TG_OP;
  END IF;
  IF NEW.id <> OLD.id OR NEW.size < OLD.size OR NEW.tree_size < OLD.tree_size OR NEW.tree_size > NEW.size THEN
    RAISE EXCEPTION 'ledger head may only grow (size % -> %, tree size % -> %)', OLD.size, NEW.size, OLD.tree_size, NEW.tree_size;
  END IF;
  IF octet_length(NEW.frontier) <> 32 * bit_count(NEW.tree_size::bit(64)) THEN
    RAISE EXCEPTION 'ledger head frontier does not match tree size %', NEW.tree_size;
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER ledger_head_forward BEFORE UPDATE OR DELETE ON ledger_head
  FOR EACH ROW EXECUTE FUNCTION ledger_head_moves_forward();
CREATE TRIGGER ledger_head_no_truncate BEFORE TRUNCATE ON ledger_head
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
