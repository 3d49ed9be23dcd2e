import { describe, expect, it } from 'vitest';
import { camera, context, DAY, HOUR, MIN, onSite, past, T0 } from '../rules.testing.ts';
import { repeatOf } from './repeat.ts';

const ctx = context({ repeatWindowMinutes: 60 });
// 1039 has a 1440-minute continuing window in the catalogue; 1040 (parking, no window) uses the
// rule set's (60 here); 1345 and 1625 are not continuing acts and never merge
const still = (over = {}) => camera({ violationCode: '1040', ...over });
const stood = (over = {}) => past({ violationCode: '1040', ...over });
const parking = (over = {}) => camera({ violationCode: '1039', ...over });
const parked = (over = {}) => past({ violationCode: '1039', ...over });

describe('R-REPEAT', () => {
  it('merges a capture at the same device inside the catalogue window, up to its edge', () => {
    const first = parked({ occurredAt: T0 - 1440 * MIN });
    const r = repeatOf(parking(), [first], ctx)!;
    expect(r.linkedRecordId).toBe(first.id);
    expect(r.reason.facts).toMatchObject({ windowMinutes: 1440, windowSource: 'catalogue', minutesApart: 1440 });
    expect(r.reason.basis).toBe('《行政处罚法》第29条');
    expect(repeatOf(parking(), [parked({ occurredAt: T0 - 1440 * MIN - 1 })], ctx)).toBeUndefined();
  });

  it("uses the rule set's window for a parking code the catalogue gives none", () => {
    expect(repeatOf(still(), [stood({ occurredAt: T0 - 60 * MIN })], ctx)?.reason.facts.windowSource).toBe('ruleSet');
    expect(repeatOf(still(), [stood({ occurredAt: T0 - 61 * MIN })], ctx)).toBeUndefined();
  });

  it('never merges an act that does not continue: two red lights minutes apart are two violations', () => {
    expect(repeatOf(camera({ violationCode: '1625' }), [past({ violationCode: '1625', occurredAt: T0 - 2 * MIN })], ctx)).toBeUndefined();
    expect(repeatOf(camera(), [past({ occurredAt: T0 - 2 * MIN })], ctx)).toBeUndefined();
  });

  it('same road segment: |Δkm| ≤ repeatSegmentKm (1 km), with pile numbers read as written (to the metre)', () => {
    const other = (km: number) => stood({ occurredAt: T0 - 10 * MIN, deviceId: 'CAM-02', place: { road: '中山路', km } });
    expect(repeatOf(still({ place: { road: '中山路', km: 7.3 } }), [other(8.3)], ctx)).toBeDefined(); // 8.3 - 7.3 = 1.0000000000000009 in floating point
    expect(repeatOf(still({ place: { road: '中山路', km: 10 } }), [other(11.001)], ctx)).toBeUndefined();
    expect(repeatOf(still({ place: { road: '解放路', km: 10 } }), [other(10)], ctx)).toBeUndefined();
  });

  it('without pile numbers: same road and direction', () => {
    const h = (direction?: string) => stood({ occurredAt: T0 - 10 * MIN, deviceId: 'CAM-02', place: { road: '中山路', ...(direction ? { direction } : {}) } });
    const rec = still({ place: { road: '中山路', direction: '东向西' } });
    expect(repeatOf(rec, [h('东向西')], ctx)?.reason.facts.place).toMatchObject({ by: 'roadDirection' });
    expect(repeatOf(rec, [h('西向东')], ctx)).toBeUndefined();
    expect(repeatOf(rec, [h()], ctx)).toBeUndefined();
  });

  it('needs the same plate and code; ignores voided and later records', () => {
    const base = { occurredAt: T0 - 10 * MIN };
    expect(repeatOf(still(), [stood({ ...base, plate: '苏A99999' })], ctx)).toBeUndefined();
    expect(repeatOf(still(), [stood({ ...base, violationCode: '1345' })], ctx)).toBeUndefined();
    expect(repeatOf(still(), [stood({ ...base, outcome: 'voided' })], ctx)).toBeUndefined();
    expect(repeatOf(still(), [stood({ occurredAt: T0 + MIN })], ctx)).toBeUndefined();
  });

  it('same instant: the lower id is earlier; a record without an id is the newest', () => {
    const h = stood({ id: 50, occurredAt: T0 });
    expect(repeatOf(still({ id: 51 }), [h], ctx)?.linkedRecordId).toBe(50);
    expect(repeatOf(still({ id: 49 }), [h], ctx)).toBeUndefined();
    expect(repeatOf(still(), [h], ctx)?.linkedRecordId).toBe(50);
    expect(repeatOf(still({ id: 50 }), [h], ctx)).toBeUndefined(); // its own row is not its history
  });

  it('links a chain to its penalised head, even when the head is outside this record’s window', () => {
    const a = parked({ occurredAt: T0 - 40 * HOUR, outcome: 'penalty' });
    const b = parked({ occurredAt: T0 - 20 * HOUR, outcome: 'merged', linkedRecordId: a.id });
    const r = repeatOf(parking(), [b, a], ctx)!;
    expect(r.previous.id).toBe(b.id);
    expect(r.linkedRecordId).toBe(a.id);
    expect(r.reason.facts).toMatchObject({ chainRecordIds: [a.id, b.id], chainHeadInHistory: true });
  });

  it('a gap longer than the window ends the chain', () => {
    const a = parked({ occurredAt: T0 - 50 * HOUR });
    const b = parked({ occurredAt: T0 - 20 * HOUR, outcome: 'penalty' });
    expect(repeatOf(parking(), [a, b], ctx)!.linkedRecordId).toBe(b.id);
  });

  it("falls back to the stored link when the chain's head is not in the history", () => {
    const b = parked({ occurredAt: T0 - 2 * HOUR, outcome: 'merged', linkedRecordId: 4 });
    expect(repeatOf(parking(), [b], ctx)).toMatchObject({ linkedRecordId: 4, reason: { facts: { chainHeadInHistory: false } } });
  });

  it('counts an on-site record of the same act as the chain’s head', () => {
    const h = past({ kind: 'onSite', outcome: 'compliant', violationCode: '1039', deviceId: undefined, occurredAt: T0 - 3 * DAY / 24 });
    expect(repeatOf(parking(), [h], ctx)?.linkedRecordId).toBe(h.id);
    expect(repeatOf(onSite({ violationCode: '1039' }), [h], ctx)?.reason.message).toContain('重复处罚');
  });
});
