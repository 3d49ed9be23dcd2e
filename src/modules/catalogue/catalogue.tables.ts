import type { ColumnType, Generated } from 'kysely';

/** A `date` column: written as 'YYYY-MM-DD', read back through to_char (never as a JS Date). */
type DateText = ColumnType<string, string, never>;

/** The tables the catalogue module owns (migrations/0005_catalogue.sql). Nobody else queries them. */
export type CatalogueTables = {
  catalogue_versions: {
    id: Generated<number>;
    version: number;
    label: string;
    is_sample: boolean;
    source_filename: string | null;
    source_sha256: string | null;
    content_sha256: string;
    entry_count: number;
    note: string | null;
    created_at: Generated<Date>;
    created_by: number | null;
    created_by_name: string;
  };
  violation_codes: {
    id: Generated<number>;
    version_id: number;
    code: string;
    description: string;
    basis: string;
    fine_min: number;
    fine_max: number;
    fine_default: number;
    points: number;
    category: string;
    warning_eligible: boolean;
    continuing_window_minutes: number | null;
    effective_from: DateText;
    effective_to: ColumnType<string | null, string | null, never>;
  };
};
