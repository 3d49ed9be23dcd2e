// R-DECIDER: a penalty (a warning too) is decided by an active police officer (民警). Auxiliaries
// (辅警) and wardens have no enforcement-subject status (L5 Art.5); an officer who left or is
// suspended cannot decide; a 警号 the registry does not know cannot be checked at all.
import { reason } from '../reason.ts';
import type { Reason, RecordFacts, RuleContext } from '../types.ts';
import { namedPerson, STATUS_LABEL } from './officers.ts';

export function deciderCheck(record: RecordFacts, ctx: RuleContext): Reason | undefined {
  const badge = record.decidingOfficer;
  if (!badge) {
    return reason('R-DECIDER', ctx, '现场处罚记录未填写作出处罚决定的民警警号。', { decidingOfficer: null, problem: 'missing' }, { severity: 'high' });
  }
  const p = namedPerson(badge, ctx);
  if (p.activePolice) return undefined;
  let problem: string;
  let message: string;
  if (!p.known) {
    problem = 'unknown';
    message = `作出处罚决定的警号${badge}在人员库中不存在，无法确认其为在岗民警。`;
  } else if (p.category === 'auxiliary') {
    problem = 'auxiliary';
    message = `作出处罚决定的${badge}为辅警。辅警不具有执法主体资格，不得作出行政处罚决定。`;
  } else {
    problem = p.status!;
    message = `作出处罚决定的民警${badge}状态为“${STATUS_LABEL[p.status!]}”，不得作出行政处罚决定。`;
  }
  return reason('R-DECIDER', ctx, message, { decidingOfficer: badge, problem, category: p.category, status: p.status }, { severity: 'high' });
}
