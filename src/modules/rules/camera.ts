// The decision on a camera (非现场) record. One outcome, in this order:
//   voided  (R-ONSITE-HANDLED)  the act was handled on the spot
//   held    (R-DEVICE-LAWFUL)    its device was not lawful evidence on the day (with every other hold reason)
//   merged  (R-REPEAT)          it continues an act already recorded
//   held    (R-CODE-UNKNOWN, R-FINE-RANGE, R-EVIDENCE — every hold reason, for the 法制员)
//   warning (R-WARN-FIRST)      a minor first violation
//   penalty                     otherwise, with the reasons it is not a warning and its amount
import { deviceLawfulCheck } from './checks/device-lawful.ts';
import { evidenceCheck } from './checks/evidence.ts';
import { codeUnknown, fineRange, penaltyAmount, penaltyBasis } from './checks/fine-range.ts';
import { handledOnSite } from './checks/onsite-handled.ts';
import { repeatOf } from './checks/repeat.ts';
import { warnFirst } from './checks/warn-first.ts';
import type { CameraDecision, HistoryRecord, Reason, RecordFacts, RuleContext } from './types.ts';

export function decideCamera(record: RecordFacts, history: HistoryRecord[], ctx: RuleContext): CameraDecision {
  if (record.kind !== 'camera') throw new TypeError(`decideCamera: record kind is ${record.kind}`);

  const handled = handledOnSite(record, history, ctx);
  if (handled) return { outcome: 'voided', linkedRecordId: handled.onSiteRecord.id, fineYuan: null, points: null, reasons: [handled.reason] };

  // Before R-REPEAT: a capture that is no evidence cannot establish a continuing act either.
  const device = deviceLawfulCheck(record, ctx);
  const repeat = device ? undefined : repeatOf(record, history, ctx);
  if (repeat) return { outcome: 'merged', linkedRecordId: repeat.linkedRecordId, fineYuan: null, points: null, reasons: [repeat.reason] };

  const entry = ctx.catalogue(record.violationCode, record.occurredAt);
  const holds: Reason[] = device ? [device] : [];
  if (!entry) holds.push(codeUnknown(record, ctx));
  else {
    const range = fineRange(record, entry, ctx);
    if (range) holds.push(range);
  }
  const evidence = evidenceCheck(record, ctx);
  if (evidence) holds.push(evidence);
  if (holds.length > 0 || !entry) return { outcome: 'held', fineYuan: null, points: null, reasons: holds };

  const warning = warnFirst(record, history, entry, ctx);
  if (warning.eligible) return { outcome: 'warning', fineYuan: 0, points: 0, reasons: [warning.reason] };

  const amount = penaltyAmount(record, entry);
  return { outcome: 'penalty', fineYuan: amount.fineYuan, points: amount.points, reasons: [warning.reason, penaltyBasis(record, entry, ctx)] };
}
