import type { ColumnType, Generated } from 'kysely';

/** The tables the enforcement module owns (migrations/0006_enforcement.sql). */
export type EnforcementTables = {
  enforcement_records: {
    id: number; // bigint, parsed as a JS number (below 2^53)
    external_id: string;
    kind: string;
    plate: string;
    vehicle_type: string;
    freight: boolean;
    violation_code: string;
    occurred_at: Date;
    road: string;
    direction: string | null;
    km: number | null;
    lat: number | null;
    lon: number | null;
    place_description: string | null;
    device_id: string | null;
    deciding_officer: string | null;
    deciding_person_id: number | null;
    assistants: string[];
    procedure: string | null;
    party: string | null;
    fine_yuan: string | null; // numeric
    points: number | null;
    payment_method: string | null;
    receipt_no: string | null;
    remote_area: boolean;
    evidence: unknown;
    driver_name: string | null;
    driver_id_number: string | null;
    driver_licence_no: string | null;
    driver_key: string | null;
    unit_id: number;
    outcome: string;
    decided_outcome: string;
    linked_record_id: number | null;
    decided_fine_yuan: string | null;
    decided_points: number | null;
    reasons: unknown;
    rule_set_version: number;
    catalogue_version: number;
    held_at: Date | null;
    reviewed_at: Date | null;
    reviewed_by: number | null;
    review_note: string | null;
    batch_seq: number;
    ingested_at: Generated<Date>;
    /** the device revision a capture was decided against (migrations/0008_devices.sql); null: on-site, unknown device */
    device_revision: ColumnType<number | null, number | null | undefined, number | null>;
  };
};

/** rule_sets belongs to the rules module (migrations/0006_enforcement.sql). */
export type RuleSetTables = {
  rule_sets: {
    version: number;
    params: unknown;
    note: string;
    created_at: Generated<Date>;
    created_by: number | null;
  };
};
