import { describe, expect, it } from 'vitest';
import { DEFAULT_RULE_PARAMS, type RuleParams } from '../../contracts/rules.ts';
import {
  dayIndexOf,
  detectDeviceSpikes,
  detectNewDeviceHigh,
  median,
  verificationReminders,
  type DeviceCodeDay,
  type DeviceDay,
  type DeviceProfile,
} from './device-detectors.ts';
import { detectDisallowedCodes, detectFreightShare } from './device-detectors.mix.ts';
import { dayIndexToIso } from './time.ts';

const params: RuleParams = { ...DEFAULT_RULE_PARAMS };
const D0 = dayIndexOf('2026-03-01');
const day = (n: number) => dayIndexToIso(D0 + n);

const profile = (deviceId: string, over: Partial<DeviceProfile> = {}): DeviceProfile => ({ deviceId, type: 'redLight', commissionedOn: null, firstCaptureDay: day(0), allowedCodes: ['1625', '1357'], ...over });
const profiles = (...ps: DeviceProfile[]) => new Map(ps.map((p) => [p.deviceId, p]));
/** `counts[k]` captures on day(k) (freight share `share`). */
const daily = (deviceId: string, counts: number[], share = 0): DeviceDay[] => counts.map((captures, k) => ({ deviceId, day: day(k), captures, freight: Math.round(captures * share) }));
const flat = (n: number, value: number) => Array.from({ length: n }, () => value);

describe('median', () => {
  it('odd, even and empty', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBe(0);
  });
});

describe('D-DEVICE-SPIKE (> 3× the median of the previous 28 days, ≥ 50)', () => {
  const range = { from: day(40), to: day(60) };
  const p = profiles(profile('CAM-1'));

  it('a day above 3× the median is a finding; exactly 3× is not', () => {
    const counts = flat(61, 40);
    counts[50] = 121;
    const [f, ...rest] = detectDeviceSpikes(daily('CAM-1', counts), p, range, params, 7);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ detector: 'D-DEVICE-SPIKE', deviceId: 'CAM-1', ruleSetVersion: 7, severity: 'medium', dedupKey: `D-DEVICE-SPIKE|CAM-1|${day(50)}`, occurredOn: day(50) });
    expect(f!.facts).toMatchObject({ maxCaptures: 121, days: [{ day: day(50), captures: 121, median: 40 }], deviceSpikeRatio: 3 });
    expect(f!.explanation).toContain('前28日中位数40起');
    expect(f!.basis).toContain('第15条');
    // the series is the chart: 28 baseline days and the spike, the spike flagged
    expect(f!.series).toHaveLength(29);
    expect(f!.series.filter((s) => s.flagged).map((s) => s.day)).toEqual([day(50)]);
    expect(f!.marks).toEqual([{ day: day(50), lastDay: day(50), reason: expect.stringContaining('抓拍121起') }]);
    counts[50] = 120;
    expect(detectDeviceSpikes(daily('CAM-1', counts), p, range, params, 7)).toEqual([]);
  });

  it('below the minimum count is no finding, however quiet the baseline', () => {
    const counts = flat(61, 1);
    counts[50] = 49;
    expect(detectDeviceSpikes(daily('CAM-1', counts), p, range, params, 1)).toEqual([]);
    counts[50] = 50;
    expect(detectDeviceSpikes(daily('CAM-1', counts), p, range, params, 1)).toHaveLength(1);
  });

  it('days without captures count as 0 in the baseline, days before the first capture do not count', () => {
    // captures every other day: median of 28 days with 14 zeros and 14×40 is 20
    const counts = Array.from({ length: 61 }, (_, k) => (k % 2 ? 0 : 40));
    const rows = daily('CAM-1', counts).filter((r) => r.captures > 0);
    rows.push({ deviceId: 'CAM-1', day: day(51), captures: 61, freight: 0 });
    expect(detectDeviceSpikes(rows, p, range, params, 1).map((f) => f.facts.days)).toEqual([[{ day: day(51), captures: 61, median: 20 }]]);
  });

  it('a device with less than half a baseline since its first capture is not judged; its first 30 days belong to D-DEVICE-NEW-HIGH', () => {
    const counts = flat(61, 40);
    counts[50] = 500;
    const young = profiles(profile('CAM-1', { firstCaptureDay: day(40) }));
    expect(detectDeviceSpikes(daily('CAM-1', counts).filter((r) => r.day >= day(40)), young, range, params, 1)).toEqual([]);
    const commissioned = profiles(profile('CAM-1', { commissionedOn: day(25) }));
    expect(detectDeviceSpikes(daily('CAM-1', counts), commissioned, range, params, 1)).toEqual([]);
  });

  it('flagged days up to 3 days apart are one episode keyed by its first day; a later re-run keeps the key', () => {
    const counts = flat(61, 40);
    counts[45] = 200;
    counts[48] = 200;
    counts[56] = 500;
    const found = detectDeviceSpikes(daily('CAM-1', counts), p, range, params, 1);
    expect(found.map((f) => f.dedupKey)).toEqual([`D-DEVICE-SPIKE|CAM-1|${day(45)}`, `D-DEVICE-SPIKE|CAM-1|${day(56)}`]);
    expect(found[0]!.marks.map((m) => m.day)).toEqual([day(45), day(48)]);
    expect(found[1]!.severity).toBe('high');
    const earlier = detectDeviceSpikes(daily('CAM-1', counts.slice(0, 46)), p, range, params, 1);
    expect(earlier.map((f) => f.dedupKey)).toEqual([`D-DEVICE-SPIKE|CAM-1|${day(45)}`]);
  });

  it('only days inside the range are judged', () => {
    const counts = flat(61, 40);
    counts[39] = 500;
    expect(detectDeviceSpikes(daily('CAM-1', counts), p, range, params, 1)).toEqual([]);
  });
});

describe('D-DEVICE-NEW-HIGH (first 30 days, > 5× peers of the type, ≥ 50)', () => {
  const range = { from: day(40), to: day(89) };
  const peers = ['P-1', 'P-2', 'P-3', 'P-4'];
  const established = peers.map((id) => profile(id));
  const peerRows = peers.flatMap((id, k) => daily(id, flat(90, 38 + k)));

  it('a new device far above its peers is one finding listing the days', () => {
    const counts = flat(90, 0);
    for (let k = 70; k < 90; k++) counts[k] = 40;
    counts[72] = 300;
    counts[75] = 250;
    const p = profiles(...established, profile('NEW-1', { commissionedOn: day(70), firstCaptureDay: day(70) }));
    const [f, ...rest] = detectNewDeviceHigh([...peerRows, ...daily('NEW-1', counts)], p, range, params, 3);
    expect(rest).toEqual([]);
    // peers capture 38, 39, 40, 41: median 39.5, threshold 197.5
    expect(f).toMatchObject({ detector: 'D-DEVICE-NEW-HIGH', deviceId: 'NEW-1', severity: 'high', dedupKey: `D-DEVICE-NEW-HIGH|NEW-1|${day(70)}`, occurredOn: day(75) });
    expect(f!.facts).toMatchObject({ startDay: day(70), startFrom: 'registry', days: [{ day: day(72), captures: 300, peerMedian: 39.5, peers: 4, peerGroup: 'type' }, { day: day(75), captures: 250 }] });
    expect(f!.explanation).toContain('启用第3天');
    expect(f!.series).toHaveLength(20);
    expect(f!.series.filter((s) => s.flagged)).toHaveLength(2);
  });

  it('the same device is not new after its first 30 days, and peers of another type do not count unless too few', () => {
    const counts = flat(90, 40);
    counts[72] = 300;
    const oldDevice = profiles(...established, profile('OLD-1', { commissionedOn: day(10) }));
    expect(detectNewDeviceHigh([...peerRows, ...daily('OLD-1', counts)], oldDevice, range, params, 1)).toEqual([]);
    // peers of its own type capture a lot: no finding
    const busy = ['S-1', 'S-2', 'S-3'].map((id) => profile(id, { type: 'speedFixed' }));
    const busyRows = busy.flatMap((b) => daily(b.deviceId, flat(90, 100)));
    const fresh = profile('NEW-S', { type: 'speedFixed', commissionedOn: day(70) });
    const freshCounts = flat(90, 0);
    freshCounts[72] = 300;
    expect(detectNewDeviceHigh([...peerRows, ...busyRows, ...daily('NEW-S', freshCounts)], profiles(...established, ...busy, fresh), range, params, 1)).toEqual([]);
    // only two peers of its type: compared with every established device (median 40)
    const two = busy.slice(0, 2);
    const [f] = detectNewDeviceHigh([...peerRows, ...busyRows.filter((r) => r.deviceId !== 'S-3'), ...daily('NEW-S', freshCounts)], profiles(...established, ...two, fresh), range, params, 1);
    expect(f!.facts.days).toEqual([expect.objectContaining({ peerGroup: 'all', peers: 6 })]);
  });

  it('without a commissioning day the first capture starts the period; new peers are no baseline', () => {
    const counts = flat(90, 0);
    counts[80] = 400;
    const p = profiles(...established, profile('NEW-2', { firstCaptureDay: day(80) }));
    expect(detectNewDeviceHigh([...peerRows, ...daily('NEW-2', counts)], p, range, params, 1)[0]!.facts).toMatchObject({ startFrom: 'firstCapture', startDay: day(80) });
    // every device new at once: nobody is established, nothing to compare with
    const allNew = profiles(...peers.map((id) => profile(id, { commissionedOn: day(70) })), profile('NEW-2', { firstCaptureDay: day(80) }));
    expect(detectNewDeviceHigh([...peerRows, ...daily('NEW-2', counts)], allNew, range, params, 1)).toEqual([]);
  });

  it('at the threshold or below the minimum is no finding', () => {
    const counts = flat(90, 0);
    counts[72] = 197; // 5 × 39.5 = 197.5
    const p = profiles(...established, profile('NEW-1', { commissionedOn: day(70) }));
    expect(detectNewDeviceHigh([...peerRows, ...daily('NEW-1', counts)], p, range, params, 1)).toEqual([]);
    const quiet = peers.flatMap((id) => daily(id, flat(90, 2)));
    counts[72] = 49;
    expect(detectNewDeviceHigh([...quiet, ...daily('NEW-1', counts)], p, range, params, 1)).toEqual([]);
  });
});

describe('D-DEVICE-CODES', () => {
  const range = { from: day(0), to: day(60) };
  const rows: DeviceCodeDay[] = [
    { deviceId: 'CAM-1', day: day(3), code: '1625', captures: 30 },
    { deviceId: 'CAM-1', day: day(3), code: '1301', captures: 2 },
    { deviceId: 'CAM-1', day: day(5), code: '1039', captures: 1 },
    { deviceId: 'CAM-1', day: day(40), code: '1301', captures: 4 },
    { deviceId: 'GHOST', day: day(3), code: '1301', captures: 9 },
  ];

  it('one finding per device and month listing the disallowed codes; allowed codes and unregistered devices are not findings', () => {
    const found = detectDisallowedCodes(rows, profiles(profile('CAM-1')), range, 2);
    expect(found.map((f) => f.dedupKey)).toEqual(['D-DEVICE-CODES|CAM-1|2026-03', 'D-DEVICE-CODES|CAM-1|2026-04']);
    expect(found[0]).toMatchObject({ severity: 'high', occurredOn: day(5), facts: { total: 3, byCode: { '1039': 1, '1301': 2 }, allowedCodes: ['1625', '1357'] } });
    expect(found[0]!.marks.map((m) => m.day)).toEqual([day(3), day(5)]);
    expect(found[0]!.explanation).toContain('1301（2起）');
    expect(found[0]!.series).toEqual([
      { day: day(3), code: '1301', captures: 2, flagged: true },
      { day: day(5), code: '1039', captures: 1, flagged: true },
    ]);
  });
});

describe('D-DEVICE-FREIGHT (monthly share > 2× peers, ≥ 100, beyond chance)', () => {
  const range = { from: day(0), to: day(30) }; // March and 2026-03-31
  const peers = ['P-1', 'P-2', 'P-3'].map((id) => profile(id, { type: 'speedFixed' }));
  const peerRows = peers.flatMap((p) => daily(p.deviceId, flat(31, 40), 0.1));

  it('a device at 45% among peers at 10% is a finding with the month as its mark', () => {
    const p = profiles(...peers, profile('CAM-F', { type: 'speedFixed' }));
    const [f, ...rest] = detectFreightShare([...peerRows, ...daily('CAM-F', flat(31, 40), 0.45)], p, range, params, 4);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ detector: 'D-DEVICE-FREIGHT', deviceId: 'CAM-F', dedupKey: 'D-DEVICE-FREIGHT|CAM-F|2026-03', facts: { captures: 1240, peerGroup: 'type', peerDevices: 3, threshold: 0.2 } });
    expect(f!.marks).toEqual([{ day: day(0), lastDay: day(30), reason: expect.stringContaining('货车占比') }]);
    expect(f!.series).toHaveLength(31);
  });

  it('a share just over the ratio with few captures is chance, not a finding; too few captures is none', () => {
    const p = profiles(...peers, profile('CAM-F', { type: 'speedFixed' }));
    // 120 captures, 30 freight (25% > 20%): within 3 standard errors of 20%
    const few = [{ deviceId: 'CAM-F', day: day(3), captures: 120, freight: 30 }];
    expect(detectFreightShare([...peerRows, ...few], p, range, params, 1)).toEqual([]);
    const tiny = [{ deviceId: 'CAM-F', day: day(3), captures: 99, freight: 99 }];
    expect(detectFreightShare([...peerRows, ...tiny], p, range, params, 1)).toEqual([]);
    const many = [{ deviceId: 'CAM-F', day: day(3), captures: 100, freight: 60 }];
    expect(detectFreightShare([...peerRows, ...many], p, range, params, 1)).toHaveLength(1);
  });

  it('peers without freight: a share under 10% is never far above', () => {
    const clean = peers.flatMap((p) => daily(p.deviceId, flat(31, 40), 0));
    const p = profiles(...peers, profile('CAM-F', { type: 'speedFixed' }));
    expect(detectFreightShare([...clean, { deviceId: 'CAM-F', day: day(1), captures: 1000, freight: 80 }], p, range, params, 1)).toEqual([]);
  });

  it('the devices of a type are peers of each other only: at the same share, nothing', () => {
    const p = profiles(...peers, profile('CAM-F', { type: 'speedFixed' }));
    expect(detectFreightShare([...peerRows, ...daily('CAM-F', flat(31, 40), 0.1)], p, range, params, 1)).toEqual([]);
  });
});

describe('R-DEVICE-VERIFY-DUE (30 days)', () => {
  it('reminds within 30 days, escalates near and after expiry, one key per certificate', () => {
    const found = verificationReminders(
      [
        { deviceId: 'A', certificateNo: 'JD-1', validTo: '2026-04-01' },
        { deviceId: 'B', certificateNo: 'JD-2', validTo: '2026-03-05' },
        { deviceId: 'C', certificateNo: 'JD-3', validTo: '2026-02-28' },
        { deviceId: 'D', certificateNo: 'JD-4', validTo: '2026-04-02' },
      ],
      '2026-03-02',
      params,
      1,
    );
    expect(found.map((f) => [f.deviceId, f.severity, f.facts.daysLeft])).toEqual([
      ['A', 'low', 30],
      ['B', 'medium', 3],
      ['C', 'high', -2],
    ]);
    expect(found[0]!.dedupKey).toBe('R-DEVICE-VERIFY-DUE|A|JD-1');
    expect(found[2]!.title).toContain('已过期');
  });
});
