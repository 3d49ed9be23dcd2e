import type { Generated } from 'kysely';

/** The tables the lookups module owns (migrations/0010_lookups.sql). Nobody else queries them. */
export type LookupTables = {
  lookups: {
    id: number; // bigint, parsed as a JS number (below 2^53)
    external_id: string;
    at: Date;
    account: string;
    person_id: number | null;
    unit_id: number | null;
    certificate_id: string;
    terminal_id: string;
    terminal_ip: string;
    terminal_unit: string | null;
    terminal_unit_id: number | null;
    query_type: string;
    subject_plate_hash: string | null;
    subject_id_hash: string | null;
    subject_name_hash: string | null;
    /** added by migrations/0011_lookup_rules.sql (L-SKEW) */
    subject_sex: string | null;
    subject_enc: string;
    subject_masked: unknown;
    purpose_category: string | null;
    purpose_text: string | null;
    case_ref: string | null;
    result_count: number | null;
    justified: boolean;
    justification: unknown;
    /** L-RANDOM's draw on arrival (migrations/0013); null: never drawn */
    sampled: boolean | null;
    /** the ratio (1 in N) of the draw that sampled it; null unless sampled on arrival */
    sample_one_in: number | null;
    batch_seq: number;
    ingested_at: Generated<Date>;
  };
  lookup_watchlist: {
    id: Generated<number>;
    subject_plate_hash: string | null;
    subject_id_hash: string | null;
    subject_name_hash: string | null;
    subject_enc: string;
    subject_masked: unknown;
    category: string;
    reason: string;
    against_person_ids: number[];
    active: Generated<boolean>;
    added_by_account_id: number | null;
    added_by_name: string;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
  };
  duty_roster: {
    id: Generated<number>;
    person_id: number;
    unit_id: number;
    starts_at: Date;
    ends_at: Date;
    kind: string;
    imported_at: Generated<Date>;
    imported_by: string;
  };
  explanation_requests: {
    id: Generated<number>;
    alert_id: number | null;
    alert_rule: string | null;
    lookup_ids: number[];
    person_id: number;
    unit_id: number;
    question: string;
    deadline: Date;
    asked_by_account_id: number | null;
    asked_by_name: string;
    asked_at: Generated<Date>;
    answer: string | null;
    answered_at: Date | null;
    status: Generated<string>;
    decided_by_account_id: number | null;
    decided_by_name: string | null;
    decided_at: Date | null;
    decision_note: string | null;
  };
};
