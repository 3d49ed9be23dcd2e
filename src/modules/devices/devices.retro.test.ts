import { describe, expect, it } from 'vitest';
import { DEFAULT_RULE_PARAMS } from '../../contracts/rules.ts';
import { lawfulDevice } from '../rules/rules.testing.ts';
import { affectedCaptures, type Capture } from './devices.retro.ts';

const at = (day: string) => Date.parse(`${day}T10:00:00+08:00`);
let id = 0;
const capture = (day: string, outcome = 'penalty', violationCode = '1345'): Capture => ({ id: ++id, occurredAt: at(day), plate: '苏A12345', violationCode, outcome, road: '中山路' });
const ids = (list: Capture[]) => list.map((c) => c.id);

describe('affectedCaptures', () => {
  const captures = [capture('2026-01-10'), capture('2026-02-10', 'warning'), capture('2026-03-10', 'held'), capture('2026-04-10')];
  const [jan, feb, mar, apr] = captures as [Capture, Capture, Capture, Capture];
  const before = lawfulDevice({ revision: 1 });

  it('a validity end moved earlier: the captures after the new end that were lawful before', () => {
    const after = lawfulDevice({ revision: 2, verification: { certificateNo: 'JD-2025-001', validFrom: '2025-01-01', validTo: '2026-02-28' } });
    const found = affectedCaptures(captures, before, after, DEFAULT_RULE_PARAMS);
    expect(ids(found)).toEqual(ids([mar, apr]));
    expect(found[0]!.missing).toEqual(['verification']);
  });

  it('a suspension entered late, and a review date corrected to later', () => {
    const suspended = lawfulDevice({ revision: 2, statusHistory: [...before.statusHistory, { status: 'suspended', from: '2026-02-01', reason: '标志缺失', documentNo: '停1号' }] });
    expect(ids(affectedCaptures(captures, before, suspended, DEFAULT_RULE_PARAMS))).toEqual(ids([feb, mar, apr]));
    const review = lawfulDevice({ revision: 2, legalReview: { date: '2026-03-01', documentNo: '法审更正', reviewer: '法制大队' } });
    expect(ids(affectedCaptures(captures, before, review, DEFAULT_RULE_PARAMS))).toEqual(ids([jan, feb]));
  });

  it('captures already unlawful before the change are not new findings; a widening finds nothing', () => {
    const narrow = lawfulDevice({ revision: 1, verification: { certificateNo: 'A', validFrom: '2025-01-01', validTo: '2026-01-31' } });
    const narrower = lawfulDevice({ revision: 2, verification: { certificateNo: 'A', validFrom: '2025-01-01', validTo: '2025-12-31' } });
    expect(ids(affectedCaptures(captures, narrow, narrower, DEFAULT_RULE_PARAMS))).toEqual(ids([jan]));
    expect(affectedCaptures(captures, narrower, narrow, DEFAULT_RULE_PARAMS)).toEqual([]);
  });

  it('without an earlier revision: every capture not lawful now; codes outside the approval count', () => {
    const codes = lawfulDevice({ revision: 3, allowedCodes: ['1625'] });
    const list = [capture('2026-01-10', 'penalty', '1625'), capture('2026-01-11', 'penalty', '1345')];
    expect(affectedCaptures(list, null, codes, DEFAULT_RULE_PARAMS).map((c) => c.missing)).toEqual([['code']]);
  });
});
