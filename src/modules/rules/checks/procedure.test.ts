import { describe, expect, it } from 'vitest';
import { context, onSite } from '../rules.testing.ts';
import { procedureCheck } from './procedure.ts';

const ctx = context();

describe('R-PROCEDURE', () => {
  it('simple procedure: ¥200 passes, ¥201 does not', () => {
    expect(procedureCheck(onSite({ fineYuan: 200 }), ctx)).toBeUndefined();
    const r = procedureCheck(onSite({ fineYuan: 201 }), ctx)!;
    expect(r).toMatchObject({ rule: 'R-PROCEDURE', severity: 'medium', facts: { problem: 'simpleOverMax', simpleProcedureMaxYuan: 200 } });
  });

  it('general procedure: two active police pass, one does not', () => {
    const general = (assistants: string[]) => onSite({ procedure: 'general', fineYuan: 300, violationCode: '6046', points: 1, assistants });
    expect(procedureCheck(general(['010002']), ctx)).toBeUndefined();
    expect(procedureCheck(general([]), ctx)?.facts).toMatchObject({ problem: 'tooFewPolice', activePolice: ['010001'] });
  });

  it('auxiliaries, officers who left, unknown badges and a repeated badge do not count', () => {
    for (const assistants of [['F10001'], ['010003'], ['010004'], ['999999'], ['010001']]) {
      expect(procedureCheck(onSite({ procedure: 'general', fineYuan: 300, assistants }), ctx)?.facts.problem).toBe('tooFewPolice');
    }
  });

  it('a record without procedure is a finding', () => {
    expect(procedureCheck(onSite({ procedure: undefined }), ctx)?.facts.problem).toBe('missing');
  });
});
