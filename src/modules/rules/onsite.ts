// The compliance check of an on-site (现场) record: the officer has decided already, so every
// check runs and each broken rule is a finding (one alert each). nonCompliant iff ≥1 finding.
// With an unknown code, R-FINE-RANGE and R-WARN-FIRST cannot be judged and are not run.
import { cashCheck } from './checks/cash.ts';
import { deciderCheck } from './checks/decider.ts';
import { evidenceCheck, isPenalty } from './checks/evidence.ts';
import { codeUnknown, fineRange } from './checks/fine-range.ts';
import { procedureCheck } from './checks/procedure.ts';
import { repeatOf } from './checks/repeat.ts';
import { warnFirstFinding } from './checks/warn-first.ts';
import type { HistoryRecord, OnSiteDecision, Reason, RecordFacts, RuleContext, RuleId } from './types.ts';

type Check = readonly [RuleId, () => Reason | undefined];

export function checkOnSite(record: RecordFacts, history: HistoryRecord[], ctx: RuleContext): OnSiteDecision {
  if (record.kind !== 'onSite') throw new TypeError(`checkOnSite: record kind is ${record.kind}`);
  const entry = ctx.catalogue(record.violationCode, record.occurredAt);

  const checks: Check[] = [
    ['R-DECIDER', () => deciderCheck(record, ctx)],
    ['R-PROCEDURE', () => procedureCheck(record, ctx)],
    ['R-CASH', () => cashCheck(record, ctx)],
    entry ? ['R-FINE-RANGE', () => fineRange(record, entry, ctx)] : ['R-CODE-UNKNOWN', () => codeUnknown(record, ctx)],
    ['R-EVIDENCE', () => evidenceCheck(record, ctx)],
    // a second warning for a continuing act fines nobody twice: only a penalty can repeat one
    ['R-REPEAT', () => (isPenalty(record) ? repeatOf(record, history, ctx)?.reason : undefined)],
    ...(entry ? [['R-WARN-FIRST', () => warnFirstFinding(record, history, entry, ctx)] as const] : []),
  ];

  const findings: Reason[] = [];
  const passed: RuleId[] = [];
  for (const [rule, run] of checks) {
    const finding = run();
    if (finding) findings.push(finding);
    else passed.push(rule);
  }
  return { outcome: findings.length > 0 ? 'nonCompliant' : 'compliant', findings, passed };
}
