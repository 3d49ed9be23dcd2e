import type { Permission } from './permissions.ts';

// Separation of duties (三员分立, 等保2.0 访问控制 d): whoever administers accounts and roles must
// not also read or verify the audit record, or they could act and then check what was recorded
// of it. And auxiliaries (辅警) have no enforcement-subject status: their roles hold only what an
// assistant may do.

/** Reading or verifying the operation record and the ledger. */
export function isAuditPermission(p: string): boolean {
  return p === 'log:operation:view' || p.startsWith('ledger:');
}

/** Changing the organisation, accounts, roles, sessions or integrations. */
export function isAdministrationPermission(p: string): boolean {
  return (p.startsWith('org:') || p.startsWith('auth:')) && (p.endsWith(':edit') || p.endsWith(':import') || p.endsWith(':revoke'));
}

/** Whether one holder (a role, or an account's roles together) would mix the two duties. */
export function mixesDuties(permissions: Iterable<string>): boolean {
  const list = [...permissions];
  return list.some(isAuditPermission) && list.some(isAdministrationPermission);
}

/** What a role given to an auxiliary may contain. */
// An auxiliary answers for their own data look-ups (说明核查) like anyone else.
export const AUXILIARY_PERMISSIONS: ReadonlySet<Permission> = new Set<Permission>(['org:person:view', 'explanation:answer']);
