// Reasons that depend only on their inputs' values are built once and shared (frozen) — and a
// shared answer is never handed to a decision whose inputs differ.
import { describe, expect, it } from 'vitest';
import { decideCamera } from './camera.ts';
import { deviceLawfulCheck } from './checks/device-lawful.ts';
import { earlierHistory, sortedHistory } from './history.ts';
import { camera, CATALOGUE, context, DAY, lawfulDevice, PLATE, T0 } from './rules.testing.ts';

describe('shared reasons', () => {
  it('R-DEVICE-LAWFUL: one frozen reason per device state, code, day and version; another day, code, state or version gets its own', () => {
    const suspended = lawfulDevice({ statusHistory: [{ status: 'active', from: '2025-01-01', reason: '启用', documentNo: '启1号' }, { status: 'suspended', from: '2026-02-01', reason: '检修', documentNo: '停1号' }] });
    const ctx = context({}, 7, { 'CAM-01': suspended });
    const a = deviceLawfulCheck(camera({ occurredAt: T0 }), ctx)!;
    const b = deviceLawfulCheck(camera({ occurredAt: T0 + 60_000, plate: '苏B99999' }), ctx)!;
    expect(a).toBe(b);
    expect(Object.isFrozen(a) && Object.isFrozen(a.facts) && Object.isFrozen((a.facts.missing as object[])[0])).toBe(true);
    const nextDay = deviceLawfulCheck(camera({ occurredAt: T0 + DAY }), ctx)!;
    expect(nextDay).not.toBe(a);
    expect(nextDay.facts.day).toBe('2026-03-03');
    expect(deviceLawfulCheck(camera({ violationCode: '1625' }), ctx)!.facts.code).toBe('1625');
    expect(deviceLawfulCheck(camera(), context({}, 8, { 'CAM-01': suspended }))!.ruleSetVersion).toBe(8);
    // a changed registry state is another object: its own answer
    expect(deviceLawfulCheck(camera(), context({}, 7, { 'CAM-01': lawfulDevice() }))).toBeUndefined();
  });

  it('a penalty shares its frozen R-FINE-RANGE reason with every penalty of the same entry and amount', () => {
    const ctx = context();
    const first = decideCamera(camera({ violationCode: '1625' }), [], ctx);
    const second = decideCamera(camera({ violationCode: '1625', plate: '苏B99999', occurredAt: T0 + DAY }), [], ctx);
    expect(first.outcome).toBe('penalty');
    expect(first.reasons[1]).toBe(second.reasons[1]);
    expect(Object.isFrozen(first.reasons[1])).toBe(true);
    const given = decideCamera(camera({ violationCode: '1625', fineYuan: 150 }), [], ctx);
    expect(given.reasons[1]).not.toBe(first.reasons[1]);
    expect(given.reasons[1]!.facts).toMatchObject({ fineYuan: 150, amountSource: 'record' });
    // the R-WARN-FIRST reason carries the record's own window: never shared
    expect(first.reasons[0]).not.toBe(second.reasons[0]);
    expect(first.reasons[0]!.message).toBe(second.reasons[0]!.message);
    expect(first.reasons[0]!.message).toContain(`${CATALOGUE['1625']!.description}）不在首违警告适用范围内`);
  });

  it('an empty history answers with one frozen empty list', () => {
    const r = camera({ plate: PLATE, id: 5 });
    expect(sortedHistory(r, [])).toBe(earlierHistory(r, []));
    expect(Object.isFrozen(earlierHistory(r, []))).toBe(true);
  });
});
