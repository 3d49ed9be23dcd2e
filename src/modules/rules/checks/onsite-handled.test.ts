import { describe, expect, it } from 'vitest';
import { camera, context, MIN, past, T0 } from '../rules.testing.ts';
import { handledOnSite } from './onsite-handled.ts';

const ctx = context(); // ±30 min, 2 km
const onSiteAt = (dt: number, over = {}) => past({ kind: 'onSite', outcome: 'compliant', occurredAt: T0 + dt, deviceId: undefined, ...over });

describe('R-ONSITE-HANDLED', () => {
  it('voids a capture handled on the spot up to 30 minutes before or after, not a millisecond more', () => {
    for (const dt of [-30 * MIN, 30 * MIN, 0]) expect(handledOnSite(camera(), [onSiteAt(dt)], ctx)).toBeDefined();
    for (const dt of [-30 * MIN - 1, 30 * MIN + 1]) expect(handledOnSite(camera(), [onSiteAt(dt)], ctx)).toBeUndefined();
  });

  it('names the on-site record, the minutes and L1 Art.22 (4)', () => {
    const h = onSiteAt(12 * MIN);
    const r = handledOnSite(camera(), [h], ctx)!;
    expect(r.onSiteRecord.id).toBe(h.id);
    expect(r.reason).toMatchObject({ rule: 'R-ONSITE-HANDLED', ruleSetVersion: 7, facts: { onSiteRecordId: h.id, minutesApart: 12, onSiteHandledMinutes: 30 } });
    expect(r.reason.basis).toContain('《道路交通安全违法行为处理程序规定》第22条');
    expect(r.reason.message).toContain(`编号${h.id}`);
  });

  it('needs the same plate and the same code, and an on-site record', () => {
    expect(handledOnSite(camera(), [onSiteAt(0, { plate: '苏A99999' })], ctx)).toBeUndefined();
    expect(handledOnSite(camera(), [onSiteAt(0, { violationCode: '1625' })], ctx)).toBeUndefined();
    expect(handledOnSite(camera(), [onSiteAt(0, { kind: 'camera', outcome: 'penalty' })], ctx)).toBeUndefined();
  });

  it('same road: |Δkm| ≤ 2 is near, 2.001 is not', () => {
    expect(handledOnSite(camera(), [onSiteAt(0, { place: { road: '中山路', km: 12 } })], ctx)).toBeDefined();
    expect(handledOnSite(camera(), [onSiteAt(0, { place: { road: '中山路', km: 12.001 } })], ctx)).toBeUndefined();
    expect(handledOnSite(camera(), [onSiteAt(0, { place: { road: '解放路', km: 10 } })], ctx)).toBeUndefined();
  });

  it('by coordinates when both have them, whatever the road is called', () => {
    const here = { road: '中山路', lat: 32.0, lon: 118.8 };
    // 0.01° of latitude ≈ 1.11 km; 0.02° ≈ 2.22 km
    expect(handledOnSite(camera({ place: here }), [onSiteAt(0, { place: { road: '中山路辅路', lat: 32.01, lon: 118.8 } })], ctx)?.reason.facts.place).toMatchObject({ by: 'coordinates' });
    expect(handledOnSite(camera({ place: here }), [onSiteAt(0, { place: { road: '中山路', lat: 32.02, lon: 118.8 } })], ctx)).toBeUndefined();
  });

  it('same road alone when there is no position data to compare', () => {
    const r = handledOnSite(camera({ place: { road: '中山路' } }), [onSiteAt(0, { place: { road: '中山路', lat: 32, lon: 118 } })], ctx);
    expect(r?.reason.facts.place).toMatchObject({ by: 'road' });
  });

  it('picks the nearest in time, then the earlier', () => {
    const far = onSiteAt(-20 * MIN);
    const near = onSiteAt(5 * MIN);
    expect(handledOnSite(camera(), [far, near], ctx)!.onSiteRecord.id).toBe(near.id);
    const before = onSiteAt(-5 * MIN);
    const after = onSiteAt(5 * MIN);
    expect(handledOnSite(camera(), [after, before], ctx)!.onSiteRecord.id).toBe(before.id);
  });
});
