// One entry point for the enforcement service and the replay endpoint: the same record and
// history under another rule-set version give the decision that version would have made.
import { decideCamera } from './camera.ts';
import { checkOnSite } from './onsite.ts';
import type { HistoryRecord, RecordFacts, RuleContext, RuleDecision } from './types.ts';

export function decide(record: RecordFacts, history: HistoryRecord[], ctx: RuleContext): RuleDecision {
  if (record.kind === 'camera') {
    const d = decideCamera(record, history, ctx);
    return { outcome: d.outcome, ...(d.linkedRecordId !== undefined ? { linkedRecordId: d.linkedRecordId } : {}), fineYuan: d.fineYuan, points: d.points, reasons: d.reasons };
  }
  const d = checkOnSite(record, history, ctx);
  return { outcome: d.outcome, fineYuan: record.fineYuan ?? null, points: record.points ?? null, reasons: d.findings, passed: d.passed };
}
