import { describe, expect, it } from 'vitest';
import { decideCamera } from './camera.ts';
import { decide } from './decide.ts';
import { camera, context, DAY, HOUR, MIN, onSite, past, T0 } from './rules.testing.ts';

const ctx = context();
const onSiteSame = (over = {}) => past({ kind: 'onSite', outcome: 'compliant', deviceId: undefined, occurredAt: T0 - 10 * MIN, ...over });
const sameCapture = (over = {}) => past({ occurredAt: T0 - 2 * MIN, ...over });
const badEvidence = { evidence: [] };

describe('decideCamera: outcomes', () => {
  it('warning for an eligible first violation: ¥0, 0 points, R-WARN-FIRST', () => {
    const d = decideCamera(camera(), [], ctx);
    expect(d).toMatchObject({ outcome: 'warning', fineYuan: 0, points: 0 });
    expect(d.reasons.map((r) => r.rule)).toEqual(['R-WARN-FIRST']);
    expect(d.linkedRecordId).toBeUndefined();
  });

  it('penalty at the catalogue default, saying why it is no warning and on what it stands', () => {
    const d = decideCamera(camera({ violationCode: '1625' }), [], ctx);
    expect(d).toMatchObject({ outcome: 'penalty', fineYuan: 200, points: 6 });
    expect(d.reasons.map((r) => r.rule)).toEqual(['R-WARN-FIRST', 'R-FINE-RANGE']);
    expect(d.reasons[0]!.message).toContain('不在首违警告适用范围内');
    expect(d.reasons[1]!.basis).toContain('《道路交通安全法》第90条');
  });

  it('penalty with the given in-range amount', () => {
    expect(decideCamera(camera({ violationCode: '1625', fineYuan: 150 }), [], ctx)).toMatchObject({ outcome: 'penalty', fineYuan: 150, points: 6 });
  });

  it('an earlier violation in the window turns the warning into a penalty', () => {
    const h = past({ occurredAt: T0 - 30 * DAY, violationCode: '1625' });
    const d = decideCamera(camera(), [h], ctx);
    expect(d).toMatchObject({ outcome: 'penalty', fineYuan: 100, points: 1 });
    expect(d.reasons[0]!.facts.priorInWindowIds).toEqual([h.id]);
  });

  it('an unhandled violation years ago blocks the warning', () => {
    const h = past({ occurredAt: T0 - 1000 * DAY, outcome: 'penalty', handled: false });
    expect(decideCamera(camera(), [h], ctx).outcome).toBe('penalty');
  });

  it('held collects every hold reason; no amount', () => {
    const d = decideCamera(camera({ violationCode: '1625', fineYuan: 500, ...badEvidence }), [], ctx);
    expect(d).toMatchObject({ outcome: 'held', fineYuan: null, points: null });
    expect(d.reasons.map((r) => r.rule)).toEqual(['R-FINE-RANGE', 'R-EVIDENCE']);
  });

  it('an unknown code is held, with the evidence problem too', () => {
    const d = decideCamera(camera({ violationCode: '9999', ...badEvidence }), [], ctx);
    expect(d.outcome).toBe('held');
    expect(d.reasons.map((r) => r.rule)).toEqual(['R-CODE-UNKNOWN', 'R-EVIDENCE']);
  });

  it('every reason names the rule-set version and a legal basis', () => {
    for (const d of [decideCamera(camera(), [], ctx), decideCamera(camera({ violationCode: '9999' }), [], ctx), decideCamera(camera(), [onSiteSame()], ctx)]) {
      expect(d.reasons.length).toBeGreaterThan(0);
      for (const r of d.reasons) {
        expect(r.ruleSetVersion).toBe(7);
        expect(r.basis).toMatch(/《.+》第\d+条/);
      }
    }
  });

  it('refuses an on-site record', () => {
    expect(() => decideCamera(onSite(), [], ctx)).toThrow(TypeError);
  });
});

describe('decideCamera: order voided > merged > held > warning > penalty', () => {
  it('voided beats merged and held', () => {
    const d = decideCamera(camera({ violationCode: '9999', ...badEvidence }), [onSiteSame({ violationCode: '9999' }), sameCapture({ violationCode: '9999' })], ctx);
    expect(d.outcome).toBe('voided');
    expect(d.reasons.map((r) => r.rule)).toEqual(['R-ONSITE-HANDLED']);
  });

  it('an on-site record logged after the capture also voids it', () => {
    const later = onSiteSame({ occurredAt: T0 + 20 * MIN });
    expect(decideCamera(camera(), [later], ctx)).toMatchObject({ outcome: 'voided', linkedRecordId: later.id });
  });

  it('merged beats held', () => {
    const first = sameCapture({ violationCode: '1039' });
    const d = decideCamera(camera({ violationCode: '1039', fineYuan: 999, ...badEvidence }), [first], ctx);
    expect(d).toMatchObject({ outcome: 'merged', linkedRecordId: first.id, fineYuan: null, points: null });
  });

  it('held beats warning', () => {
    expect(decideCamera(camera(badEvidence), [], ctx).outcome).toBe('held');
  });
});

describe('decideCamera: merged chains', () => {
  it('every later capture links to the penalised record, not to the capture before it', () => {
    const ctx24 = context({ repeatWindowMinutes: 60 });
    const a = past({ violationCode: '1039', occurredAt: T0 - 30 * HOUR, outcome: 'penalty' });
    const b = past({ violationCode: '1039', occurredAt: T0 - 15 * HOUR, outcome: 'merged' });
    const d = decideCamera(camera({ violationCode: '1039' }), [a, b], ctx24);
    expect(d).toMatchObject({ outcome: 'merged', linkedRecordId: a.id });
  });

  it('built capture by capture, the chain keeps one head', () => {
    const history: ReturnType<typeof past>[] = [];
    for (let i = 0; i < 5; i++) {
      const rec = camera({ id: 100 + i, violationCode: '1039', occurredAt: T0 + i * 20 * HOUR, evidence: camera().evidence });
      const d = decideCamera(rec, history, ctx);
      history.push(past({ id: 100 + i, violationCode: '1039', occurredAt: rec.occurredAt, outcome: d.outcome, ...(d.linkedRecordId ? { linkedRecordId: d.linkedRecordId } : {}) }));
      if (i === 0) expect(d.outcome).toBe('warning');
      else expect(d).toMatchObject({ outcome: 'merged', linkedRecordId: 100 });
    }
  });
});

describe('decide (replay entry point)', () => {
  it('camera: the same outcome, link, amount and reasons as decideCamera', () => {
    const h = sameCapture();
    expect(decide(camera(), [h], ctx)).toEqual({ ...decideCamera(camera(), [h], ctx) });
  });

  it('another rule-set version can decide differently, and says which version it is', () => {
    const h = past({ occurredAt: T0 - 100 * DAY, violationCode: '1625' });
    expect(decide(camera(), [h], context({}, 1)).outcome).toBe('penalty');
    const v2 = decide(camera(), [h], context({ warningWindowDays: 90 }, 2));
    expect(v2.outcome).toBe('warning');
    expect(v2.reasons[0]!.ruleSetVersion).toBe(2);
  });

  it('on-site: compliant with the record’s own amount and the checks that passed', () => {
    const d = decide(onSite(), [], ctx);
    expect(d).toMatchObject({ outcome: 'compliant', fineYuan: 200, points: 6, reasons: [] });
    expect(d.passed).toContain('R-DECIDER');
    expect(decide(onSite({ decidingOfficer: 'F10001' }), [], ctx)).toMatchObject({ outcome: 'nonCompliant', reasons: [{ rule: 'R-DECIDER' }] });
  });
});
