import type { Generated } from 'kysely';

/** The tables the alerts module owns (migrations/0004_alerts.sql). Nobody else queries them. */
export type AlertTables = {
  alerts: {
    id: Generated<number>;
    source: string;
    rule: string;
    rule_set_version: number | null;
    subject_type: string;
    subject_id: string;
    subject_label: string;
    unit_id: number | null;
    person_id: number | null;
    severity: string;
    title: string;
    explanation: string;
    basis: string | null;
    facts: unknown;
    evidence: unknown;
    dedup_key: string;
    occurred_at: Date;
    raise_count: Generated<number>;
    last_raised_at: Generated<Date>;
    status: Generated<string>;
    status_reason: string | null;
    status_changed_at: Generated<Date>;
    assignee_account_id: number | null;
    verdict: string | null;
    verdict_note: string | null;
    verdict_account_id: number | null;
    verdict_at: Date | null;
    escalated: Generated<boolean>;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
  };
  alert_events: {
    id: Generated<number>;
    alert_id: number;
    at: Generated<Date>;
    actor_account_id: number | null;
    actor_name: string;
    action: string;
    from_status: string | null;
    to_status: string | null;
    comment: string | null;
    details: Generated<unknown>;
  };
};
