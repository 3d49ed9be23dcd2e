// The shapes the fair-enforcement rules work on. Everything here is plain data: the enforcement
// service loads it (one history query per batch), the rules decide, and the decision with the
// facts it used is stored, so a replay under another rule-set version needs nothing else.
import type { CameraOutcome, EvidenceItem, OnSiteOutcome, Party, PaymentMethod, Place, Procedure, RecordKind, VehicleType } from '../../contracts/enforcement.ts';
import type { AlertSeverity } from '../../contracts/alerts.ts';
import type { RuleParams } from '../../contracts/rules.ts';
import type { DeviceState } from '../../contracts/devices.ts';

export type RuleId =
  | 'R-WARN-FIRST'
  | 'R-REPEAT'
  | 'R-ONSITE-HANDLED'
  | 'R-FINE-RANGE'
  | 'R-PROCEDURE'
  | 'R-DECIDER'
  | 'R-CASH'
  | 'R-EVIDENCE'
  | 'R-REVIEW-DUE'
  | 'R-DAILY-CAP'
  | 'R-CODE-UNKNOWN'
  | 'R-DEVICE-LAWFUL';

export type DetectorId = 'D-TRUCK-REPEAT' | 'D-FLAT-AMOUNT' | 'D-NONLOCAL' | 'D-PERIOD-END';

/** A finding's severity: the levels of the alert it raises. */
export type Severity = AlertSeverity;

/** A record as the rules see it (validated, normalised intake row). */
export interface RecordFacts {
  /**
   * The stored id, when the record has one (same-batch rows, replay). Records are ordered by
   * occurredAt, then id; a record without an id counts as newer than every history record of the
   * same instant (it will get the next id). A history row with this id is the record itself and is
   * never its own history.
   */
  id?: number;
  kind: RecordKind;
  plate: string;
  vehicleType: VehicleType;
  violationCode: string;
  /** epoch milliseconds */
  occurredAt: number;
  place: Place;
  deviceId?: string;
  decidingOfficer?: string;
  assistants: string[];
  procedure?: Procedure;
  party?: Party;
  fineYuan?: number;
  points?: number;
  payment?: { method: PaymentMethod; receiptNo?: string };
  remoteArea: boolean;
  evidence: EvidenceItem[];
  /** A stable pseudonymous key of the driver (hash of licence or ID number), when known. */
  driverKey?: string;
}

/** An earlier (stored or same-batch) record of the same plate, as history for the rules. */
export interface HistoryRecord {
  id: number;
  kind: RecordKind;
  plate: string;
  violationCode: string;
  occurredAt: number;
  place: Place;
  deviceId?: string;
  driverKey?: string;
  outcome: CameraOutcome | OnSiteOutcome;
  /** Penalty, warning or on-site decision already dealt with (paid, accepted). Unhandled ones block a first-violation warning. */
  handled: boolean;
  /** For a `merged` record, the record it was merged into, when stored (used only when the chain's head is not in the history). */
  linkedRecordId?: number;
}

/** The people named on an on-site record, from the personnel registry; missing = unknown 警号. */
export interface PersonFacts {
  badgeNo: string;
  name: string;
  category: 'police' | 'auxiliary';
  status: 'active' | 'left' | 'suspended';
}

/** One catalogue row (违法代码) in force at the record's time. */
export interface CatalogueEntry {
  code: string;
  description: string;
  basis: string;
  fineMin: number;
  fineMax: number;
  fineDefault: number;
  points: number;
  category: string;
  warningEligible: boolean;
  /** continuing-violation window for R-REPEAT; null = the rule set's default */
  continuingWindowMinutes: number | null;
}

export interface RuleContext {
  ruleSetVersion: number;
  params: RuleParams;
  /** code → entry in force at the record's time; the service resolves effective dates */
  catalogue: (code: string, at: number) => CatalogueEntry | undefined;
  people: (badgeNo: string) => PersonFacts | undefined;
  /**
   * The device registry as the batch saw it (one query per batch): device id → its latest
   * revision, undefined = not registered. `null` turns the device gate off — only for measuring
   * the gate's cost (bench/device-gate.bench.ts); every real caller passes the registry.
   */
  devices: ((deviceId: string) => DeviceState | undefined) | null;
}

/** Why a rule fired (or, for the deciding rule, why the outcome is what it is). */
export interface Reason {
  rule: RuleId;
  ruleSetVersion: number;
  /** legal basis, citing the article (enforcement-law.md) */
  basis: string;
  /** zh-CN, for the legal officer and the public */
  message: string;
  /** the facts used: values, ids of history records, parameters */
  facts: Record<string, unknown>;
  severity?: Severity;
}

export interface CameraDecision {
  outcome: CameraOutcome;
  /** for `merged`: the earlier record it continues; for `voided`: the on-site record that handled it */
  linkedRecordId?: number;
  /** the fine and points the penalty carries (catalogue default unless given and in range) */
  fineYuan: number | null;
  points: number | null;
  reasons: Reason[];
}

export interface OnSiteDecision {
  outcome: OnSiteOutcome;
  /** one per broken rule; each raises an alert */
  findings: Reason[];
  /** the checks that passed, for the explanation */
  passed: RuleId[];
}

/** What the replay endpoint stores and compares: one shape for camera and on-site decisions. */
export interface RuleDecision {
  outcome: CameraOutcome | OnSiteOutcome;
  linkedRecordId?: number;
  fineYuan: number | null;
  points: number | null;
  /** camera: why the outcome; on-site: the findings (empty when compliant) */
  reasons: Reason[];
  /** on-site only: the checks that passed */
  passed?: RuleId[];
}

/** Who a detector finding is about: one officer (警号) or one checkpoint (camera device or on-site road place). */
export type SubjectKind = 'officer' | 'checkpoint';

/** A detector's finding over aggregated records; the alerts module stores it (deduplicated by dedupKey). */
export interface DetectorFinding {
  detector: DetectorId;
  ruleSetVersion: number;
  subjectKind: SubjectKind;
  subject: string;
  severity: Severity;
  /** zh-CN, one line */
  title: string;
  /** zh-CN, with the numbers and thresholds */
  explanation: string;
  basis: string;
  facts: Record<string, unknown>;
  /** record ids behind the finding, when the input carried them */
  evidenceIds: number[];
  /** when the pattern was seen: the last record's time, or the last instant of the period (epoch ms) */
  occurredAt: number;
  /** stable across re-runs over overlapping data: the same problem keeps the same key */
  dedupKey: string;
}
