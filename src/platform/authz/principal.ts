import type { Permission } from '../../contracts/permissions.ts';

/**
 * Which rows a principal reaches, already resolved to unit ids: `all`, or the union of the units
 * of each role's scope, plus the principal's own person for `self`.
 */
export interface ResolvedScope {
  all: boolean;
  unitIds: number[];
  selfPersonId: number | null;
}

/** Who is acting: a person's session, or an integration's API token. */
export interface Principal {
  kind: 'session' | 'token';
  accountId: number | null;
  personId: number | null;
  /** shown in the operation record: "张伟(010234)" or "API令牌:交管系统推送" */
  name: string;
  unitId: number | null;
  roles: string[];
  permissions: ReadonlySet<Permission>;
  scope: ResolvedScope;
  sessionId?: string;
  tokenId?: number;
}

export const SYSTEM_PRINCIPAL: Principal = {
  kind: 'session',
  accountId: null,
  personId: null,
  name: '系统',
  unitId: null,
  roles: [],
  permissions: new Set(),
  scope: { all: true, unitIds: [], selfPersonId: null },
};
