import { describe, expect, it } from 'vitest';
import { isAdministrationPermission, isAuditPermission, mixesDuties } from './duties.ts';
import { ALL_PERMISSIONS, BUILT_IN_ROLES, ROLE_CODES } from './permissions.ts';

describe('duties', () => {
  it('classifies permissions', () => {
    expect(isAuditPermission('log:operation:view')).toBe(true);
    expect(isAuditPermission('ledger:verify')).toBe(true);
    expect(isAdministrationPermission('org:account:edit')).toBe(true);
    expect(isAdministrationPermission('auth:session:revoke')).toBe(true);
    expect(isAdministrationPermission('org:person:view')).toBe(false);
    expect(ALL_PERMISSIONS.filter((p) => isAuditPermission(p) && isAdministrationPermission(p))).toEqual([]);
  });

  it('no built-in role mixes duties', () => {
    for (const code of ROLE_CODES) expect(mixesDuties(BUILT_IN_ROLES[code].permissions), code).toBe(false);
    expect(mixesDuties([...BUILT_IN_ROLES.admin.permissions, ...BUILT_IN_ROLES.auditor.permissions])).toBe(true);
  });
});
