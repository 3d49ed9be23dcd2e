// Purpose binding (目的绑定): a look-up is justified when its purpose category allows its query
// type AND its caseRef resolves to an enforcement record the account's person decided or
// assisted — an on-site stop within minutes of the look-up, or any of their records within the
// case window. Everything else is unjustified, and is where the detection rules look first.
// Pure: the record comes in resolved; no clock, no database.
import { LOOKUP_PARAMS, PURPOSE_ALLOWED, type JustificationFacts, type JustificationReason, type LookupParams, type PurposeCategory, type QueryType, type SubjectInput } from '../../contracts/lookups.ts';

/** Personal data is processed only within the powers and as far as the duty requires (L7 Art.34); a stop's checks (L5 Art.42; L1 Art.9). */
export const PURPOSE_BASIS = '《个人信息保护法》第34条；《交通警察道路执勤执法工作规范》第42条；《道路交通安全违法行为处理程序规定》第9条';

/** An enforcement record a caseRef resolved to, as purpose binding needs it. */
export interface CaseRecord {
  id: number;
  externalId: string;
  kind: 'camera' | 'onSite';
  plate: string;
  occurredAt: number;
  decidingPersonId: number | null;
  decidingOfficer: string | null;
  assistants: readonly string[];
  driverIdNumber: string | null;
  driverName: string | null;
}

export interface PurposeLookup {
  at: number;
  /** the account (警号) */
  account: string;
  personId: number | null;
  queryType: QueryType;
  purpose?: { category: PurposeCategory; text: string } | undefined;
  caseRef?: string | undefined;
  subject: SubjectInput;
}

/** Whether the subject is the record's vehicle or party; null when nothing can be compared. */
export function subjectMatches(s: SubjectInput, r: CaseRecord): boolean | null {
  const pairs: Array<[string | undefined, string | null]> = [
    [s.plate, r.plate],
    [s.idNumber, r.driverIdNumber?.toUpperCase() ?? null],
    [s.name?.trim(), r.driverName?.trim() ?? null],
  ];
  const comparable = pairs.filter(([a, b]) => a !== undefined && b !== null);
  if (comparable.length === 0) return null;
  return comparable.some(([a, b]) => a === b);
}

/** `record` is what `lookup.caseRef` resolved to (undefined: nothing, or no caseRef). */
export function bindPurpose(lookup: PurposeLookup, record: CaseRecord | undefined, params: LookupParams = LOOKUP_PARAMS): JustificationFacts {
  const facts: JustificationFacts = {
    rule: 'L-PURPOSE-BINDING',
    paramsVersion: params.version,
    justified: false,
    reason: 'noPurpose',
    purposeCategory: lookup.purpose?.category ?? null,
    categoryAllowed: null,
    caseRef: lookup.caseRef ?? null,
    recordId: null,
    recordKind: null,
    role: null,
    minutesFromRecord: null,
    subjectMatches: null,
    basis: PURPOSE_BASIS,
  };
  const no = (reason: JustificationReason): JustificationFacts => ({ ...facts, reason, justified: false });
  if (!lookup.purpose) return no('noPurpose');
  facts.categoryAllowed = PURPOSE_ALLOWED[lookup.purpose.category].includes(lookup.queryType);
  if (!facts.categoryAllowed) return no('categoryNotAllowed');
  if (!lookup.caseRef) return no('noCaseRef');
  if (!record) return no('caseRefNotFound');
  facts.recordId = record.id;
  facts.recordKind = record.kind;
  const minutes = (lookup.at - record.occurredAt) / 60_000;
  facts.minutesFromRecord = Math.round(minutes * 10) / 10;
  facts.subjectMatches = subjectMatches(lookup.subject, record);
  if (lookup.personId === null) return no('unknownAccount');
  facts.role =
    record.decidingPersonId === lookup.personId || record.decidingOfficer === lookup.account ? 'decider' : record.assistants.includes(lookup.account) ? 'assistant' : null;
  if (!facts.role) return no('notParticipant');
  const atStop = record.kind === 'onSite' && Math.abs(minutes) <= params.stopWindowMinutes;
  const inCase = minutes >= -params.stopWindowMinutes && minutes <= params.caseWindowDays * 1440;
  if (!atStop && !inCase) return no('outsideWindow');
  // The subject must be shown to be the record's vehicle or party: a record with nothing to compare
  // (a capture without driver data, cited for a look-up of a person) must not cover any look-up.
  if (facts.subjectMatches === false) return no('subjectMismatch');
  if (facts.subjectMatches === null) return no('subjectNotComparable');
  return { ...facts, justified: true, reason: atStop ? 'stop' : 'case' };
}
