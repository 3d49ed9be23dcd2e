// What the look-up rules read and return. Rules are pure: rows in (as one set-based query per rule
// produces them), findings out; no clock, no database, no randomness. The runner
// (../detection.service.ts) turns findings into alerts.
import type { AlertSeverity } from '../../../contracts/alerts.ts';
import type { LookupRuleId } from '../../../contracts/lookup-rules.ts';

export type QueryType = 'vehicle' | 'driver' | 'violations' | 'locationTrack' | 'other';

/** One stored look-up, as far as the rules care. `subject` is a hash key (plate, ID number or name). */
export interface LookupFact {
  id: number;
  /** epoch ms */
  at: number;
  /** the 警号 the look-up was made under */
  account: string;
  personId: number | null;
  justified: boolean;
  queryType: QueryType;
  /** one key per subject (the plate hash, else the ID-number hash, else the name hash) */
  subject: string | null;
  certificateId: string;
  terminalId: string;
  terminalUnitId: number | null;
  resultCount: number | null;
}

export interface LookupFinding {
  rule: LookupRuleId;
  /** the account (警号) the finding is about */
  account: string;
  personId: number | null;
  /** the calendar window the alert belongs to: 'YYYY-MM-DD', 'YYYY-MM' or 'YYYY', or a look-up id */
  window: string;
  severity: AlertSeverity;
  title: string;
  /** zh-CN, with the numbers and the thresholds */
  explanation: string;
  facts: Record<string, unknown>;
  /** the look-ups that are the evidence, ascending */
  lookupIds: number[];
  /** epoch ms: the latest look-up of the finding */
  occurredAt: number;
  /** (rule, account, window): the same finding found again refreshes its alert */
  dedupKey: string;
}
