import { describe, expect, it } from 'vitest';
import { camera, CATALOGUE, context, DAY, onSite, past, T0 } from '../rules.testing.ts';
import { warnFirst, warnFirstFinding } from './warn-first.ts';

const ctx = context(); // 183-day window
const eligible = CATALOGUE['1345']!;
const check = (history = [past()], over = {}) => warnFirst(camera(over), history, eligible, ctx);

describe('R-WARN-FIRST', () => {
  it('is eligible for a listed code with nothing else in 183 days and nothing unhandled', () => {
    const w = check();
    expect(w.eligible).toBe(true);
    expect(w.reason.message).toContain('依法予以警告');
    expect(w.reason.basis).toContain('《道路交通安全法》第87条');
  });

  it('is not eligible for a code off the list', () => {
    const w = warnFirst(camera({ violationCode: '1625' }), [], CATALOGUE['1625']!, ctx);
    expect(w.eligible).toBe(false);
    expect(w.reason.message).toContain('不在首违警告适用范围内');
  });

  it('an earlier violation exactly 183 days back blocks; a millisecond older does not', () => {
    const edge = past({ occurredAt: T0 - 183 * DAY });
    expect(check([edge]).eligible).toBe(false);
    expect(check([edge]).reason.facts.priorInWindowIds).toEqual([edge.id]);
    expect(check([past({ occurredAt: T0 - 183 * DAY - 1 })]).eligible).toBe(true);
  });

  it('ignores voided and merged rows and rows after the record', () => {
    expect(check([past({ occurredAt: T0 - DAY, outcome: 'voided' })]).eligible).toBe(true);
    expect(check([past({ occurredAt: T0 - DAY, outcome: 'merged' })]).eligible).toBe(true);
    expect(check([past({ occurredAt: T0 + DAY })]).eligible).toBe(true);
  });

  it('a held capture in the window is another violation', () => {
    expect(check([past({ occurredAt: T0 - DAY, outcome: 'held', handled: false })]).eligible).toBe(false);
  });

  it('an unhandled earlier penalty, warning or on-site record blocks, however old', () => {
    for (const h of [
      past({ occurredAt: T0 - 900 * DAY, outcome: 'penalty', handled: false }),
      past({ occurredAt: T0 - 900 * DAY, outcome: 'warning', handled: false }),
      past({ occurredAt: T0 - 900 * DAY, kind: 'onSite', outcome: 'nonCompliant', handled: false }),
    ]) {
      const w = check([h]);
      expect(w.eligible).toBe(false);
      expect(w.reason.facts.unhandledIds).toEqual([h.id]);
      expect(w.reason.message).toContain('尚未处理完毕');
    }
    expect(check([past({ occurredAt: T0 - 900 * DAY, outcome: 'penalty', handled: true })]).eligible).toBe(true);
  });

  it('with a known driver, that driver’s violation in another vehicle blocks too', () => {
    const other = past({ plate: '苏B00001', driverKey: 'D1', occurredAt: T0 - DAY });
    expect(check([other], { driverKey: 'D1' }).eligible).toBe(false);
    expect(check([other], { driverKey: 'D2' }).eligible).toBe(true);
    // the vehicle's own record blocks whoever drove it
    expect(check([past({ driverKey: 'D9', occurredAt: T0 - DAY })], { driverKey: 'D1' }).eligible).toBe(false);
  });

  it('on-site: a fine for an eligible first violation is a low finding; a warning is not', () => {
    const fined = onSite({ violationCode: '1345', fineYuan: 100, points: 1 });
    const f = warnFirstFinding(fined, [], eligible, ctx)!;
    expect(f).toMatchObject({ rule: 'R-WARN-FIRST', severity: 'low', facts: { fineYuan: 100, points: 1 } });
    expect(f.message).toContain('应予首违警告，但本次处罚款100元、记1分');
    expect(warnFirstFinding(onSite({ violationCode: '1345', fineYuan: 0, points: 0 }), [], eligible, ctx)).toBeUndefined();
    expect(warnFirstFinding(fined, [past({ occurredAt: T0 - DAY })], eligible, ctx)).toBeUndefined();
  });
});
