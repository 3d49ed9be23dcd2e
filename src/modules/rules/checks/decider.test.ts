import { describe, expect, it } from 'vitest';
import { context, onSite } from '../rules.testing.ts';
import { deciderCheck } from './decider.ts';

const ctx = context();

describe('R-DECIDER', () => {
  it('an active police officer may decide', () => {
    expect(deciderCheck(onSite(), ctx)).toBeUndefined();
  });

  it.each([
    ['F10001', 'auxiliary', '辅警'],
    ['010003', 'left', '已离职'],
    ['010004', 'suspended', '停职'],
    ['999999', 'unknown', '人员库中不存在'],
  ])('%s (%s) is a high finding', (decidingOfficer, problem, text) => {
    const r = deciderCheck(onSite({ decidingOfficer }), ctx)!;
    expect(r).toMatchObject({ rule: 'R-DECIDER', severity: 'high', facts: { decidingOfficer, problem } });
    expect(r.message).toContain(text);
  });

  it('no deciding officer at all is a finding', () => {
    expect(deciderCheck(onSite({ decidingOfficer: undefined }), ctx)?.facts.problem).toBe('missing');
  });
});
