import type { Generated } from 'kysely';

export type LedgerTables = {
  ledger_entries: {
    seq: number;
    at: Date;
    actor_account_id: number | null;
    actor_person_id: number | null;
    actor_name: string;
    action: string;
    subject_type: string;
    subject_id: string;
    /** The payload of an entry from before migration 0012; NULL since (it is in `leaf`). */
    payload: unknown;
    request_id: string;
    client_ip: string;
    /** SHA-256(0x00 ‖ leaf); null for entries from before migration 0003 (see ledger_nodes level 0). */
    leaf_hash: Uint8Array | null;
    /** The leaf bytes record() hashed (0012): the record itself; the other columns are search hints. NULL for older entries. */
    leaf: Uint8Array | null;
  };
  /** One row (id 1). `size`: entries; `tree_size`: entries hashed into ledger_nodes (0003). */
  ledger_head: { id: number; size: Generated<number>; tree_size: Generated<number>; frontier: Generated<Uint8Array> };
  /** Complete subtree (level, idx) of the Merkle tree; level 0 only for entries from before 0003. */
  ledger_nodes: { level: number; idx: number; hash: Uint8Array };
  ledger_checkpoints: { size: number; root: Uint8Array; note: string; created_at: Generated<Date> };
};
