// R-PROCEDURE: a warning or a fine up to ¥200 may take the simple procedure, decided by one officer
// (L3 Art.107; L1 Art.43, 44); anything above needs the general procedure with at least two police
// officers (L1 Art.48; L4 Art.42). Auxiliaries do not count.
import { reason, yuan } from '../reason.ts';
import type { Reason, RecordFacts, RuleContext } from '../types.ts';
import { officersOnRecord } from './officers.ts';

export function procedureCheck(record: RecordFacts, ctx: RuleContext): Reason | undefined {
  const { simpleProcedureMaxYuan, generalProcedureMinOfficers } = ctx.params;
  const fine = record.fineYuan ?? 0;
  const officers = officersOnRecord(record.decidingOfficer, record.assistants, ctx);
  const activePolice = officers.filter((o) => o.activePolice).map((o) => o.badgeNo);
  let problem: 'missing' | 'simpleOverMax' | 'tooFewPolice' | undefined;
  let message = '';
  if (!record.procedure) {
    problem = 'missing';
    message = '现场处罚记录未注明适用简易程序还是一般程序。';
  } else if (record.procedure === 'simple' && fine > simpleProcedureMaxYuan) {
    problem = 'simpleOverMax';
    message = `罚款${yuan(fine)}元超过简易程序上限${simpleProcedureMaxYuan}元，应适用一般程序。`;
  } else if (record.procedure === 'general' && activePolice.length < generalProcedureMinOfficers) {
    problem = 'tooFewPolice';
    message =
      `一般程序须由${generalProcedureMinOfficers}名以上民警实施，本记录在岗民警${activePolice.length}名` +
      `${activePolice.length > 0 ? `（${activePolice.join('、')}）` : ''}；辅警及非在岗人员不计入。`;
  }
  if (!problem) return undefined;
  return reason(
    'R-PROCEDURE',
    ctx,
    message,
    {
      problem,
      procedure: record.procedure ?? null,
      fineYuan: record.fineYuan ?? null,
      simpleProcedureMaxYuan,
      generalProcedureMinOfficers,
      activePolice,
      officers,
    },
    { severity: 'medium' },
  );
}
