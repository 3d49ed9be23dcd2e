import type { Generated } from 'kysely';

type Timestamps = { created_at: Generated<Date>; updated_at: Generated<Date> };

/** The tables the org module owns (migrations/0001_org.sql). Nobody else queries them. */
export type OrgTables = {
  units: {
    id: Generated<number>;
    parent_id: number | null;
    name: string;
    kind: string;
    code: string | null;
    sort_order: Generated<number>;
    active: Generated<boolean>;
  } & Timestamps;
  personnel: {
    id: Generated<number>;
    name: string;
    badge_no: string;
    category: string;
    unit_id: number;
    position: string | null;
    phone: string | null;
    status: Generated<string>;
    status_reason: string | null;
  } & Timestamps;
  roles: {
    code: string;
    name: string;
    description: Generated<string>;
    data_scope: string;
    custom_unit_ids: number[];
    permissions: string[];
    built_in: Generated<boolean>;
  } & Timestamps;
  accounts: {
    id: Generated<number>;
    username: string;
    person_id: number;
    password_hash: string;
    active: Generated<boolean>;
    must_change_password: Generated<boolean>;
    failed_count: Generated<number>;
    first_failed_at: Date | null;
    locked_until: Date | null;
    last_login_at: Date | null;
    password_changed_at: Generated<Date>;
  } & Timestamps;
  account_roles: { account_id: number; role_code: string };
  /** default permissions of built-in roles already given once (migrations/0007) */
  role_default_grants: { role_code: string; permission: string; granted_at: Generated<Date> };
};
