import type { Permission } from '../../contracts/permissions.ts';

/**
 * What a route needs. Every route declares one; a route without a declaration is refused at
 * start-up and by the route-declaration test, so the default is deny.
 * - `public`: anyone, no session.
 * - `session`: any signed-in person (their own profile, password, logout).
 * - `permission`: the named permission; `scope` says whether rows are filtered by data scope
 *   (`data`) or the resource has no unit to scope by (`none`: roles, tokens, logs of logins).
 */
export type Access =
  | { kind: 'public' }
  | { kind: 'session'; allowWithExpiredPassword?: boolean }
  | { kind: 'permission'; permission: Permission; scope: 'data' | 'none' };

export const PUBLIC: Access = { kind: 'public' };
export const SIGNED_IN: Access = { kind: 'session' };
export const needs = (permission: Permission, scope: 'data' | 'none'): Access => ({ kind: 'permission', permission, scope });

export function describeAccess(a: Access | undefined): string {
  if (!a) return 'UNDECLARED';
  if (a.kind === 'permission') return `${a.permission} [scope:${a.scope}]`;
  if (a.kind === 'session') return a.allowWithExpiredPassword ? 'session (password change allowed)' : 'session';
  return 'public';
}
