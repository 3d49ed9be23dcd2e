-- Which default permission of a built-in role has been given to that role, once. When a release
-- adds a default permission, start-up gives it to the built-in roles of an existing installation
-- exactly once; an administrator who later takes it away is not overridden.
CREATE TABLE role_default_grants (
  role_code text NOT NULL,
  permission text NOT NULL,
  granted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (role_code, permission)
);

-- An installation from before this table: the defaults it was created with count as given (an
-- administrator may have removed some since, and that stays so).
INSERT INTO role_default_grants (role_code, permission)
SELECT v.role_code, v.permission
  FROM (VALUES
    ('admin', 'org:unit:view'), ('admin', 'org:unit:edit'), ('admin', 'org:person:view'), ('admin', 'org:person:edit'),
    ('admin', 'org:person:import'), ('admin', 'org:person:export'), ('admin', 'org:account:view'), ('admin', 'org:account:edit'),
    ('admin', 'org:role:view'), ('admin', 'org:role:edit'), ('admin', 'auth:session:view'), ('admin', 'auth:session:revoke'),
    ('admin', 'auth:token:view'), ('admin', 'auth:token:edit'), ('admin', 'log:login:view'),
    ('auditor', 'org:unit:view'), ('auditor', 'log:login:view'), ('auditor', 'log:operation:view'), ('auditor', 'ledger:verify'),
    ('leader', 'org:unit:view'), ('leader', 'org:person:view'), ('leader', 'org:person:export'),
    ('squadron_leader', 'org:unit:view'), ('squadron_leader', 'org:person:view'), ('squadron_leader', 'org:person:export'),
    ('legal', 'org:unit:view'), ('legal', 'org:person:view'),
    ('inspector', 'org:unit:view'), ('inspector', 'org:person:view'), ('inspector', 'org:person:pii'), ('inspector', 'log:operation:view'),
    ('officer', 'org:person:view'),
    ('auxiliary', 'org:person:view')
  ) AS v(role_code, permission)
 WHERE EXISTS (SELECT 1 FROM roles r WHERE r.code = v.role_code AND r.built_in);
