// The people named on an on-site record, as the registry knows them.
import type { PersonFacts, RuleContext } from '../types.ts';

export interface NamedPerson {
  badgeNo: string;
  known: boolean;
  category: PersonFacts['category'] | null;
  status: PersonFacts['status'] | null;
  activePolice: boolean;
}

export function namedPerson(badgeNo: string, ctx: RuleContext): NamedPerson {
  const p = ctx.people(badgeNo);
  return {
    badgeNo,
    known: p !== undefined,
    category: p?.category ?? null,
    status: p?.status ?? null,
    activePolice: p?.category === 'police' && p.status === 'active',
  };
}

/** Deciding officer and assistants, each badge once, in the order named. */
export function officersOnRecord(decidingOfficer: string | undefined, assistants: readonly string[], ctx: RuleContext): NamedPerson[] {
  const badges = [...new Set([...(decidingOfficer ? [decidingOfficer] : []), ...assistants])];
  return badges.map((b) => namedPerson(b, ctx));
}

export const STATUS_LABEL: Record<PersonFacts['status'], string> = { active: '在岗', left: '已离职', suspended: '停职' };
