-- Organization: units, personnel, roles, accounts; authentication: sessions, login log, API tokens.
-- People are never hard-deleted: enforcement records, look-ups and ledger entries refer to them.

CREATE TABLE units (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  parent_id integer REFERENCES units (id),
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('detachment', 'brigade', 'squadron', 'office', 'station', 'other')),
  code text UNIQUE,
  sort_order integer NOT NULL DEFAULT 0,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (parent_id IS NULL OR parent_id <> id)
);
CREATE UNIQUE INDEX units_sibling_name ON units ((coalesce(parent_id, 0)), name);
CREATE INDEX units_parent ON units (parent_id);

CREATE TABLE personnel (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL,
  badge_no text NOT NULL UNIQUE,
  category text NOT NULL CHECK (category IN ('police', 'auxiliary')),
  unit_id integer NOT NULL REFERENCES units (id),
  position text,
  phone text,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'left', 'suspended')),
  status_reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX personnel_unit ON personnel (unit_id);
CREATE INDEX personnel_name ON personnel (name);

CREATE TABLE roles (
  code text PRIMARY KEY,
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  data_scope text NOT NULL CHECK (data_scope IN ('self', 'unit', 'unitTree', 'custom', 'all')),
  custom_unit_ids integer[] NOT NULL DEFAULT '{}',
  permissions text[] NOT NULL DEFAULT '{}',
  built_in boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE accounts (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  username text NOT NULL,
  person_id integer NOT NULL UNIQUE REFERENCES personnel (id),
  password_hash text NOT NULL,
  active boolean NOT NULL DEFAULT true,
  must_change_password boolean NOT NULL DEFAULT false,
  failed_count integer NOT NULL DEFAULT 0,
  first_failed_at timestamptz,
  locked_until timestamptz,
  last_login_at timestamptz,
  password_changed_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX accounts_username ON accounts (lower(username));

CREATE TABLE account_roles (
  account_id integer NOT NULL REFERENCES accounts (id),
  role_code text NOT NULL REFERENCES roles (code),
  PRIMARY KEY (account_id, role_code)
);

CREATE TABLE sessions (
  -- SHA-256 of the cookie value: a stolen table does not yield usable cookies.
  token_hash text PRIMARY KEY,
  public_id text NOT NULL UNIQUE,
  account_id integer NOT NULL REFERENCES accounts (id),
  csrf_token text NOT NULL,
  ip text NOT NULL,
  user_agent text NOT NULL,
  created_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  ended_at timestamptz,
  end_reason text
);
CREATE INDEX sessions_open ON sessions (account_id) WHERE ended_at IS NULL;

CREATE TABLE login_log (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  username text NOT NULL,
  account_id integer REFERENCES accounts (id),
  ip text NOT NULL,
  user_agent text NOT NULL,
  result text NOT NULL CHECK (result IN ('success', 'failure')),
  reason text NOT NULL
);
CREATE INDEX login_log_at ON login_log (at DESC);

CREATE TABLE api_tokens (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL,
  prefix text NOT NULL,
  secret_hash text NOT NULL UNIQUE,
  permissions text[] NOT NULL,
  created_by integer NOT NULL REFERENCES accounts (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  last_used_at timestamptz,
  use_count integer NOT NULL DEFAULT 0
);
