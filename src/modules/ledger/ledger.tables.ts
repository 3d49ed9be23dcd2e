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
    payload: unknown;
    request_id: string;
    client_ip: string;
  };
  ledger_head: { id: number; size: Generated<number> };
};
