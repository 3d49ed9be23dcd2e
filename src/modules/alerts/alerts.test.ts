import { describe, expect, it } from 'vitest';
import { ALERT_STATUS_VALUES, ALERT_TRANSITIONS, canAssign, canTransition, type AlertStatus, type AlertTransition } from '../../contracts/alerts.ts';
import { contentHash, stableJson, validateInputs } from './alerts.schema.ts';
import { finding } from './alerts.testing.ts';

describe('status transitions', () => {
  // The whole table, written out: a change here is a change to how alerts are worked.
  const allowed: Record<AlertTransition, AlertStatus[]> = {
    acknowledge: ['open'],
    dismiss: ['open', 'acknowledged'],
    resolve: ['open', 'acknowledged'],
    reopen: ['dismissed', 'resolved'],
  };

  it.each(Object.keys(allowed) as AlertTransition[])('%s starts only from its statuses', (action) => {
    for (const status of ALERT_STATUS_VALUES) expect(canTransition(action, status), `${action} from ${status}`).toBe(allowed[action].includes(status));
  });

  it('never leads where it started, and every status can be left', () => {
    for (const [action, t] of Object.entries(ALERT_TRANSITIONS)) expect(t.from as readonly string[], action).not.toContain(t.to);
    for (const status of ALERT_STATUS_VALUES) {
      expect((Object.keys(allowed) as AlertTransition[]).some((a) => canTransition(a, status)), status).toBe(true);
    }
  });

  it('assigns only alerts still being worked', () => {
    expect(ALERT_STATUS_VALUES.filter(canAssign)).toEqual(['open', 'acknowledged']);
  });
});

describe('alert inputs', () => {
  it('names the first bad input and its field', () => {
    expect(() => validateInputs([finding(), finding({ unitId: -1 })])).toThrow(/#1 .*unitId/);
    expect(() => validateInputs([finding({ source: 'Enforcement' })])).toThrow(/source/);
    expect(() => validateInputs([finding({ occurredAt: new Date('not a date') })])).toThrow(/occurredAt/);
    expect(validateInputs([finding()])).toHaveLength(1);
  });

  it('hashes content independently of key order, as jsonb would store it', () => {
    expect(stableJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: undefined } })).toBe('{"a":{"d":[2,{"e":0,"f":1}]},"b":1}');
    const a = finding({ facts: { x: 1, y: 2 } });
    const b = { ...a, facts: { y: 2, x: 1 } };
    expect(contentHash(a)).toBe(contentHash(b));
    expect(contentHash(a)).not.toBe(contentHash({ ...a, explanation: `${a.explanation}。` }));
  });
});
