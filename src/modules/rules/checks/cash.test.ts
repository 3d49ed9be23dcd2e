import { describe, expect, it } from 'vitest';
import { context, onSite } from '../rules.testing.ts';
import { cashCheck } from './cash.ts';

const ctx = context();

describe('R-CASH', () => {
  const cash = (over = {}) => onSite({ party: 'pedestrian', violationCode: '2001', fineYuan: 50, points: 0, payment: { method: 'cashOnSpot', receiptNo: 'R001' }, ...over });

  it('a pedestrian’s ¥50 with a receipt passes; so does ¥100', () => {
    expect(cashCheck(cash(), ctx)).toBeUndefined();
    expect(cashCheck(cash({ fineYuan: 100 }), ctx)).toBeUndefined();
  });

  it('not paid in cash: nothing to check', () => {
    expect(cashCheck(onSite({ payment: { method: 'bank' } }), ctx)).toBeUndefined();
    expect(cashCheck(onSite({ payment: undefined }), ctx)).toBeUndefined();
  });

  it('cash from a motor-vehicle driver is a high finding', () => {
    const r = cashCheck(cash({ party: 'motorVehicleDriver' }), ctx)!;
    expect(r).toMatchObject({ rule: 'R-CASH', severity: 'high', facts: { problems: ['party'] } });
    expect(r.message).toContain('机动车驾驶人');
  });

  it('a missing receipt is a medium finding', () => {
    expect(cashCheck(cash({ payment: { method: 'cashOnSpot' } }), ctx)).toMatchObject({ severity: 'medium', facts: { problems: ['receipt'] } });
  });

  it('above ¥100 only in a remote area', () => {
    expect(cashCheck(cash({ fineYuan: 101 }), ctx)?.facts.problems).toEqual(['amount']);
    expect(cashCheck(cash({ fineYuan: 101, remoteArea: true }), ctx)).toBeUndefined();
  });

  it('collects every problem in one finding', () => {
    expect(cashCheck(cash({ party: 'motorVehicleDriver', fineYuan: 150, payment: { method: 'cashOnSpot' } }), ctx)?.facts.problems).toEqual(['party', 'amount', 'receipt']);
  });
});
