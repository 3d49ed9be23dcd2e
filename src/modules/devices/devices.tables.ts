import type { ColumnType, Generated } from 'kysely';

/** A `date` column: written as 'YYYY-MM-DD', read back through to_char (never as a JS Date). */
type DateText = ColumnType<string | null, string | null, string | null>;

/** The tables the devices module owns (migrations/0008_devices.sql). Nobody else queries them. */
export type DeviceTables = {
  devices: {
    id: string;
    type: string;
    road: string;
    direction: string | null;
    km: number | null;
    lat: number | null;
    lon: number | null;
    location_description: string | null;
    owning_unit_id: number;
    allowed_codes: string[];
    legal_review_date: DateText;
    legal_review_doc_no: string | null;
    legal_reviewer: string | null;
    technical_review_date: DateText;
    technical_review_doc_no: string | null;
    technical_reviewer: string | null;
    announcement_date: DateText;
    announcement_channel: string | null;
    announcement_url: string | null;
    signage: boolean;
    signage_distance_m: number | null;
    verification_cert_no: string | null;
    verification_valid_from: DateText;
    verification_valid_to: DateText;
    /** earlier certificates (DeviceVerification[]) */
    verification_history: unknown;
    police_operated: boolean;
    status_history: unknown;
    status: string;
    revision: number;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
  };
  device_revisions: {
    device_id: string;
    revision: number;
    state: unknown;
    change_kind: string;
    document_no: string;
    note: string | null;
    created_at: Generated<Date>;
    created_by: number | null;
    created_by_name: string;
  };
};
