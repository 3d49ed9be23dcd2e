-- Alerts: one shape for every finding of every detector (fair-enforcement rules, device
-- statistics, look-up anomalies, review findings, complaints), and the history of each alert.
-- Alerts are never deleted: a finding that turned out wrong is dismissed, with its reason.

CREATE TABLE alerts (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- the module that raised it ('enforcement', 'devices', 'lookups', …) and its rule or detector
  source text NOT NULL CHECK (source ~ '^[a-z][a-z0-9_-]{0,39}$'),
  rule text NOT NULL CHECK (length(rule) BETWEEN 1 AND 60),
  rule_set_version integer,
  subject_type text NOT NULL CHECK (subject_type IN ('record', 'person', 'device', 'vehicle', 'unit')),
  subject_id text NOT NULL,
  subject_label text NOT NULL,
  -- data scope: the unit the finding belongs to, and the person it is about (scope `self`)
  unit_id integer REFERENCES units (id),
  person_id integer REFERENCES personnel (id),
  severity text NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
  title text NOT NULL,
  explanation text NOT NULL,
  basis text,
  facts jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(facts) = 'object'),
  evidence jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(evidence) = 'array'),
  -- the same finding raised again (a detector re-run) carries the same key
  dedup_key text NOT NULL,
  occurred_at timestamptz NOT NULL,
  -- how often the detector found it, and when last (refreshes of an unclosed alert)
  raise_count integer NOT NULL DEFAULT 1,
  last_raised_at timestamptz NOT NULL DEFAULT now(),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'dismissed', 'resolved')),
  status_reason text,
  status_changed_at timestamptz NOT NULL DEFAULT now(),
  assignee_account_id integer REFERENCES accounts (id),
  -- the reviewer's agreement with the finding: the detectors' precision is measured on it
  verdict text CHECK (verdict IN ('agree', 'disagree')),
  verdict_note text,
  verdict_account_id integer REFERENCES accounts (id),
  verdict_at timestamptz,
  escalated boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (status <> 'dismissed' OR status_reason IS NOT NULL),
  CHECK (verdict IS NULL OR verdict_at IS NOT NULL)
);

-- At most one unclosed alert per finding: a re-run refreshes it (INSERT … ON CONFLICT on this
-- index); once dismissed or resolved, the same finding may raise a new alert.
CREATE UNIQUE INDEX alerts_unclosed_dedup ON alerts (rule, dedup_key) WHERE status IN ('open', 'acknowledged');

-- The list filters and the dashboard aggregates.
CREATE INDEX alerts_occurred ON alerts (occurred_at DESC, id DESC);
CREATE INDEX alerts_created ON alerts (created_at DESC, id DESC);
CREATE INDEX alerts_status ON alerts (status, occurred_at DESC);
CREATE INDEX alerts_rule ON alerts (rule, status);
CREATE INDEX alerts_source ON alerts (source, status);
CREATE INDEX alerts_unit ON alerts (unit_id, status);
CREATE INDEX alerts_person ON alerts (person_id) WHERE person_id IS NOT NULL;
CREATE INDEX alerts_subject ON alerts (subject_type, subject_id);
CREATE INDEX alerts_assignee ON alerts (assignee_account_id, status) WHERE assignee_account_id IS NOT NULL;

-- The history of each alert: who did what, when, with which comment. Append-only by the service;
-- the ledger holds the tamper-evident copy of every change.
CREATE TABLE alert_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  alert_id integer NOT NULL REFERENCES alerts (id),
  at timestamptz NOT NULL DEFAULT now(),
  -- null for the system and for integrations (API tokens); actor_name always says who
  actor_account_id integer REFERENCES accounts (id),
  actor_name text NOT NULL,
  action text NOT NULL CHECK (action IN ('raise', 'refresh', 'assign', 'acknowledge', 'dismiss', 'resolve', 'reopen', 'verdict')),
  from_status text,
  to_status text,
  comment text,
  details jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX alert_events_alert ON alert_events (alert_id, id);
