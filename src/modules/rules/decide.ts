// One entry point for the enforcement service and the replay endpoint: the same record and
// history under another rule-set version give the decision that version would have made.
import { decideCamera } from './camera.ts';
import { checkOnSite } from './onsite.ts';
import type { HistoryRecord, RecordFacts, RuleContext, RuleDecision } from './types.ts';

export function decide(record: RecordFacts, history: HistoryRecord[], ctx: RuleContext): RuleDecision {
  // a camera decision has the shape of a RuleDecision already
  if (record.kind === 'camera') return decideCamera(record, history, ctx);
  const d = checkOnSite(record, history, ctx);
  return { outcome: d.outcome, fineYuan: record.fineYuan ?? null, points: record.points ?? null, reasons: d.findings, passed: d.passed };
}
