import { describe, expect, it } from 'vitest';
import { DEFAULT_RULE_PARAMS } from '../contracts/rules.ts';
import { deviceCreate } from '../contracts/devices.ts';
import { dayIndexOf, detectDeviceSpikes, detectNewDeviceHigh, type DeviceCodeDay, type DeviceDay, type DeviceProfile } from '../modules/rules/device-detectors.ts';
import { detectDisallowedCodes, detectFreightShare } from '../modules/rules/device-detectors.mix.ts';
import { FREIGHT_VEHICLE_TYPES } from '../contracts/enforcement.ts';
import { dayIndexToIso } from '../modules/rules/time.ts';
import { DEMO_CAMERAS } from './cameras.demo.ts';
import { FREIGHT_DEVICE_ID, NEW_DEMO_CAMERA, NEW_DEVICE_DAYS, newDemoDeviceRegistration, SPIKE_DEVICE_ID } from './device-anomalies.demo.ts';
import { demoEnforcementPeople, generateEnforcementDemo, type IntakeRow } from './enforcement.demo.ts';

const people = demoEnforcementPeople(20261126);
const beijingDay = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);

/**
 * The device detectors over the demo's captures, aggregated as device_daily_captures holds them;
 * the registry as the demo builds it (each camera active long before the window, the new one
 * NEW_DEVICE_DAYS before its end). Returns `${detector}:${deviceId}`.
 */
function detectAll(rows: Iterable<IntakeRow>, endAt: Date): string[] {
  const days = new Map<string, DeviceDay>();
  const codes = new Map<string, DeviceCodeDay>();
  for (const r of rows) {
    if (r.kind !== 'camera' || !r.deviceId) continue;
    const day = beijingDay(r.occurredAt);
    const d = days.get(`${r.deviceId}|${day}`) ?? days.set(`${r.deviceId}|${day}`, { deviceId: r.deviceId, day, captures: 0, freight: 0 }).get(`${r.deviceId}|${day}`)!;
    d.captures += 1;
    if (FREIGHT_VEHICLE_TYPES.has(r.vehicleType as never)) d.freight += 1;
    const key = `${r.deviceId}|${day}|${r.violationCode}`;
    const c = codes.get(key) ?? codes.set(key, { deviceId: r.deviceId, day, code: r.violationCode, captures: 0 }).get(key)!;
    c.captures += 1;
  }
  const last = dayIndexToIso(dayIndexOf(beijingDay(endAt.toISOString())) - 1);
  const first = dayIndexToIso(dayIndexOf(last) - 89);
  const firstCapture = new Map<string, string>();
  for (const d of days.values()) if (!firstCapture.has(d.deviceId) || d.day < firstCapture.get(d.deviceId)!) firstCapture.set(d.deviceId, d.day);
  const profiles = new Map<string, DeviceProfile>(
    [...DEMO_CAMERAS, NEW_DEMO_CAMERA].map((c) => [
      c.deviceId,
      { deviceId: c.deviceId, type: c.type, commissionedOn: c === NEW_DEMO_CAMERA ? dayIndexToIso(dayIndexOf(last) - NEW_DEVICE_DAYS + 1) : '2024-01-01', firstCaptureDay: firstCapture.get(c.deviceId) ?? null, allowedCodes: c.allowedCodes },
    ]),
  );
  const range = { from: first, to: last };
  const rowsList = [...days.values()];
  return [
    ...detectDeviceSpikes(rowsList, profiles, range, DEFAULT_RULE_PARAMS, 1),
    ...detectNewDeviceHigh(rowsList, profiles, range, DEFAULT_RULE_PARAMS, 1),
    ...detectDisallowedCodes([...codes.values()], profiles, range, 1),
    ...detectFreightShare(rowsList, profiles, range, DEFAULT_RULE_PARAMS, 1),
  ].map((f) => `${f.detector}:${f.deviceId}`);
}

const EXPECTED = [`D-DEVICE-FREIGHT:${FREIGHT_DEVICE_ID}`, `D-DEVICE-NEW-HIGH:${NEW_DEMO_CAMERA.deviceId}`, `D-DEVICE-SPIKE:${SPIKE_DEVICE_ID}`];

describe('device anomalies of the enforcement demo', () => {
  it.each([
    [20261126, '2025-11-26T00:00:00+08:00'],
    [7, '2025-07-31T00:00:00+08:00'],
    [99, '2026-03-03T00:00:00+08:00'],
  ])('small demo, seed %i ending %s: the detectors find exactly the three injected devices', (seed, end) => {
    const endAt = new Date(end);
    const demo = generateEnforcementDemo({ seed, endAt, cameraRecords: 2000, onSiteRecords: 300, people });
    const rows = [...demo.rows()];
    expect(detectAll(rows, endAt).sort()).toEqual(EXPECTED);
    const cases = demo.groundTruth.cases.filter((c) => c.rule.startsWith('D-DEVICE-'));
    expect(cases.map((c) => `${c.rule}:${c.expect.subjects![0]!.id}`).sort()).toEqual(EXPECTED);
    // the injected captures: fresh plates, allowed codes, never on a month's last 3 days
    const injected = rows.filter((r) => r.externalId.startsWith('GT-DEV-'));
    const plates = new Set(injected.map((r) => r.plate));
    expect(plates.size).toBe(injected.length);
    expect(rows.filter((r) => !r.externalId.startsWith('GT-DEV-') && plates.has(r.plate))).toEqual([]);
    const allowed = new Map([...DEMO_CAMERAS, NEW_DEMO_CAMERA].map((c) => [c.deviceId, c.allowedCodes]));
    expect(injected.every((r) => allowed.get(r.deviceId!)!.includes(r.violationCode))).toBe(true);
    const monthEnd = (iso: string) => {
      const d = beijingDay(iso);
      const last = new Date(Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)), 0)).getUTCDate();
      return Number(d.slice(8, 10)) > last - 3;
    };
    expect(injected.filter((r) => monthEnd(r.occurredAt))).toEqual([]);
    // the new camera captures nothing before its switch-on day
    const on = dayIndexToIso(dayIndexOf(beijingDay(endAt.toISOString())) - NEW_DEVICE_DAYS);
    expect(rows.filter((r) => r.deviceId === NEW_DEMO_CAMERA.deviceId).every((r) => beijingDay(r.occurredAt) >= on)).toBe(true);
  });

  it('full demo: the same three devices and nothing else', () => {
    const endAt = new Date('2025-11-26T00:00:00+08:00');
    const demo = generateEnforcementDemo({ seed: 20261126, endAt, cameraRecords: 200_000, onSiteRecords: 5_000, people });
    expect(detectAll(demo.rows(), endAt).sort()).toEqual(EXPECTED);
  }, 120_000);

  it('registers the new camera lawfully: reviewed and announced before its switch-on day', () => {
    const endAt = Date.parse('2025-11-26T00:00:00+08:00');
    const reg = deviceCreate.parse(newDemoDeviceRegistration(endAt, 5));
    expect(reg.status).toMatchObject({ status: 'active', from: '2025-11-06' });
    expect(reg.announcement!.date < reg.status.from && reg.legalReview!.date < reg.announcement!.date).toBe(true);
    expect(reg.allowedCodes).toEqual([...NEW_DEMO_CAMERA.allowedCodes]);
  });
});
