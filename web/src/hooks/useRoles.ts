// The roles an account can be given: from the server when the user may read roles, otherwise the
// built-in defaults (enough to show names).
import { useEffect, useMemo, useState } from 'react';
import type { Page } from '@contracts/common.ts';
import type { Role } from '@contracts/org.ts';
import { BUILT_IN_ROLES, ROLE_CODES } from '@contracts/permissions.ts';
import { api } from '../api/client.ts';
import { useCan } from '../app/auth.tsx';

export interface RoleOption {
  code: string;
  name: string;
}

const BUILT_IN: RoleOption[] = ROLE_CODES.map((code) => ({ code, name: BUILT_IN_ROLES[code].name }));

export function fetchRoles(): Promise<Page<Role>> {
  return api.get<Page<Role>>('/api/org/roles', { pageSize: 500 });
}

export function useRoleOptions(): { roles: RoleOption[]; names: Map<string, string> } {
  const can = useCan();
  const allowed = can('org:role:view');
  const [roles, setRoles] = useState<RoleOption[]>(BUILT_IN);

  useEffect(() => {
    if (!allowed) return;
    fetchRoles()
      .then((page) => setRoles(page.items.map(({ code, name }) => ({ code, name }))))
      .catch(() => undefined);
  }, [allowed]);

  const names = useMemo(() => new Map(roles.map((r) => [r.code, r.name])), [roles]);
  return { roles, names };
}
