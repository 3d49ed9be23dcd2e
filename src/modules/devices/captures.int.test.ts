import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceCreate, type DeviceCreate } from '../../contracts/devices.ts';
import { call, loginAs, testApp, type Client, type TestApp } from '../../../test/factories.ts';
import { bootstrapContext } from '../../platform/bootstrap.ts';
import { dismissAlert } from '../alerts/alerts.service.ts';
import { QueryCounter } from '../alerts/alerts.testing.ts';
import { dayIndexOf } from '../rules/device-detectors.ts';
import { beijingDay, dayIndexToIso } from '../rules/time.ts';
import { addDailyCaptures, dailyTotals, rebuildDailyCaptures, type StoredCapture } from './captures.service.ts';
import { deviceDetectorsIdle, runDeviceDetectors } from './device-detectors.service.ts';
import { createDevice } from './devices.service.ts';

const ctx = bootstrapContext('设备抓拍测试');
const TODAY = beijingDay(Date.now());
const day = (back: number) => dayIndexToIso(dayIndexOf(TODAY) - back);
/** Noon Beijing time `back` days ago, as an instant. */
const noon = (back: number) => new Date(`${day(back)}T12:00:00+08:00`);

/** `n` stored captures of one device on one day (the first `freight` of them by freight vehicles). */
const captures = (deviceId: string, back: number, n: number, code = '1625', freight = 0): StoredCapture[] =>
  Array.from({ length: n }, (_, i) => ({ kind: 'camera', deviceId, occurredAt: noon(back), violationCode: code, freight: i < freight }));

function device(id: string, unitId: number, over: Partial<DeviceCreate> = {}): DeviceCreate {
  return deviceCreate.parse({
    id,
    type: 'redLight',
    location: { road: '中山路', description: `${id}路口` },
    owningUnitId: unitId,
    allowedCodes: ['1625', '1357'],
    legalReview: { date: day(200), documentNo: '法审〔2026〕1号', reviewer: '周文静' },
    technicalReview: { date: day(200), documentNo: '技审〔2026〕1号', reviewer: '陈思远' },
    announcement: { date: day(195), channel: '支队官网' },
    signage: { present: true, distanceM: 50 },
    verification: null,
    policeOperated: false,
    status: { status: 'active', from: day(180), reason: '启用', documentNo: '启〔2026〕1号' },
    basis: { documentNo: '登〔2026〕1号' },
    ...over,
  });
}

describe('device capture counts, detectors and chart API', () => {
  let t: TestApp;
  let legal: Client;
  let leader: Client;
  let squadLeader: Client;
  let officer: Client;
  let sq1: number;
  let sq2: number;

  beforeAll(async () => {
    t = await testApp();
    [legal, leader, squadLeader, officer] = await Promise.all([loginAs(t.app, 'legal'), loginAs(t.app, 'leader'), loginAs(t.app, 'squadron_leader'), loginAs(t.app, 'officer')]);
    const units = await sql<{ id: number; code: string }>`SELECT id, code FROM units`.execute(t.database.db);
    sq1 = units.rows.find((u) => u.code === '32050101')!.id;
    sq2 = units.rows.find((u) => u.code === '32050102')!.id;
    // peers: four red-light cameras at 40 a day for 60 days; one of them spikes 5 days ago
    for (const [id, unit] of [['RL-1', sq1], ['RL-2', sq1], ['RL-3', sq2], ['RL-4', sq2]] as const) await createDevice(t.database.db, ctx, device(id, unit));
    // a red-light camera switched on 10 days ago, far above its peers on two days, with a code it may not capture
    await createDevice(t.database.db, ctx, device('RL-NEW', sq2, { status: { status: 'active', from: day(10), reason: '新设', documentNo: '启〔2026〕9号' } }));
    // a speed camera whose certificate runs out in 12 days
    await createDevice(t.database.db, ctx, device('SP-1', sq1, { type: 'speedFixed', allowedCodes: ['1301'], verification: { certificateNo: 'JD-2026-001', validFrom: day(353), validTo: day(-12) } }));
    const rows: StoredCapture[] = [];
    for (let back = 60; back >= 1; back--) {
      for (const id of ['RL-1', 'RL-2', 'RL-3', 'RL-4']) rows.push(...captures(id, back, id === 'RL-1' && back === 5 ? 160 : 40, '1625', id === 'RL-4' ? 10 : 2));
      if (back <= 10) rows.push(...captures('RL-NEW', back, back === 6 || back === 7 ? 260 : 35));
    }
    rows.push(...captures('RL-NEW', 3, 4, '1301'));
    await t.database.db.transaction().execute((trx) => addDailyCaptures(trx, rows));
  }, 120_000);
  afterAll(async () => {
    await deviceDetectorsIdle(t.database.db);
    await t.close();
  });

  it('adds a batch with one statement, grouped by device, Beijing day and code; camera records with a device only', async () => {
    const counter = new QueryCounter();
    const db = t.database.db.withPlugin(counter);
    const cells = await db.transaction().execute((trx) =>
      addDailyCaptures(trx, [
        ...captures('X-1', 0, 3, '1039', 1),
        // 23:30 UTC is the next Beijing day
        { kind: 'camera', deviceId: 'X-1', occurredAt: new Date(`${day(1)}T23:30:00Z`), violationCode: '1039', freight: false },
        { kind: 'onSite', deviceId: 'X-1', occurredAt: noon(0), violationCode: '1039', freight: false },
        { kind: 'camera', deviceId: null, occurredAt: noon(0), violationCode: '1039', freight: false },
      ]),
    );
    expect(cells).toBe(1);
    expect(counter.count).toBe(1);
    const again = await t.database.db.transaction().execute((trx) => addDailyCaptures(trx, captures('X-1', 0, 2, '1039', 2)));
    expect(again).toBe(1);
    const [x] = await dailyTotals(t.database.db, ['X-1'], day(0), day(0));
    expect(x).toEqual({ deviceId: 'X-1', day: TODAY, captures: 6, freight: 3 });
  });

  it("raises each detector's finding as an alert of the owning unit, with the daily series as evidence", async () => {
    const run = await runDeviceDetectors(t.database.db, ctx, 'all');
    expect(run.findings).toMatchObject({ 'D-DEVICE-SPIKE': 1, 'D-DEVICE-NEW-HIGH': 1, 'D-DEVICE-CODES': 1, 'R-DEVICE-VERIFY-DUE': 1 });
    expect(run.findings['D-DEVICE-FREIGHT']).toBeGreaterThanOrEqual(2);
    expect(run.alerts).toBe(Object.values(run.findings).reduce((a, b) => a + b, 0));
    const { rows } = await sql<{ rule: string; subject_id: string; unit_id: number | null; dedup_key: string; severity: string; evidence: Array<Record<string, unknown>>; facts: Record<string, unknown>; basis: string; rule_set_version: number }>`
      SELECT rule, subject_id, unit_id, dedup_key, severity, evidence, facts, basis, rule_set_version FROM alerts WHERE source = 'devices' ORDER BY rule, dedup_key`.execute(t.database.db);
    const by = (rule: string) => rows.filter((r) => r.rule === rule);
    expect(by('D-DEVICE-SPIKE').map((r) => [r.subject_id, r.unit_id, r.dedup_key])).toEqual([['RL-1', sq1, `D-DEVICE-SPIKE|RL-1|${day(5)}`]]);
    expect(by('D-DEVICE-NEW-HIGH').map((r) => [r.subject_id, r.unit_id, r.severity])).toEqual([['RL-NEW', sq2, 'high']]);
    expect(by('D-DEVICE-CODES').map((r) => r.subject_id)).toEqual(['RL-NEW']);
    expect(new Set(by('D-DEVICE-FREIGHT').map((r) => r.subject_id))).toEqual(new Set(['RL-4']));
    expect(by('R-DEVICE-VERIFY-DUE').map((r) => [r.subject_id, r.dedup_key, r.severity])).toEqual([['SP-1', 'R-DEVICE-VERIFY-DUE|SP-1|JD-2026-001', 'low']]);
    for (const r of rows) {
      expect(r.basis).toMatch(/第\d+条/);
      expect(r.rule_set_version).toBe(1);
    }
    // the chart's data: the spike day and the 28 days before it, the spike marked
    const spike = by('D-DEVICE-SPIKE')[0]!;
    expect(spike.evidence).toHaveLength(29);
    expect(spike.evidence.filter((e) => e.flagged)).toEqual([expect.objectContaining({ day: day(5), count: 160, baseline: 40, deviceId: 'RL-1' })]);
    expect(spike.facts).toMatchObject({ maxCaptures: 160, deviceSpikeRatio: 3, marks: [{ day: day(5), lastDay: day(5), reason: expect.stringContaining('160') }] });
    const fresh = by('D-DEVICE-NEW-HIGH')[0]!;
    expect(fresh.facts).toMatchObject({ startDay: day(10), startFrom: 'registry', days: [{ day: day(7), captures: 260, peerMedian: 40 }, { day: day(6), captures: 260 }] });
    expect(fresh.evidence).toHaveLength(11); // commissioning day to today
  });

  it('a re-run refreshes, never duplicates; a dismissed finding is not raised again', async () => {
    const before = await sql<{ n: number }>`SELECT count(*)::int AS n FROM alerts WHERE source = 'devices'`.execute(t.database.db);
    expect((await runDeviceDetectors(t.database.db, ctx, 'all')).alerts).toBe(0);
    const { rows } = await sql<{ id: number }>`SELECT id FROM alerts WHERE rule = 'D-DEVICE-SPIKE'`.execute(t.database.db);
    await dismissAlert(t.database.db, bootstrapContext('测试督察'), Number(rows[0]!.id), '已核实：当日路口施工导致车辆绕行');
    expect((await runDeviceDetectors(t.database.db, ctx, new Set(['RL-1']))).alerts).toBe(0);
    const after = await sql<{ n: number; open: number }>`SELECT count(*)::int AS n, (count(*) FILTER (WHERE rule = 'D-DEVICE-SPIKE' AND status = 'open'))::int AS open FROM alerts WHERE source = 'devices'`.execute(t.database.db);
    expect(after.rows[0]).toEqual({ n: before.rows[0]!.n, open: 0 });
  });

  it('a run for some devices only raises findings about those devices', async () => {
    expect(await runDeviceDetectors(t.database.db, ctx, new Set(['RL-2']))).toEqual({ alerts: 0, findings: {} });
    expect(Object.keys((await runDeviceDetectors(t.database.db, ctx, new Set(['RL-4']))).findings)).toEqual(['D-DEVICE-FREIGHT']);
  });

  it('GET /api/devices/:id/captures: daily counts by code, every day present, anomalies marked', async () => {
    const res = await leader.get('/api/devices/RL-NEW/captures');
    expect(res.status).toBe(200);
    const body = res.body;
    expect(body.days).toHaveLength(90);
    expect(body.days.at(-1)).toBe(TODAY);
    expect(body.to).toBe(dayIndexToIso(dayIndexOf(TODAY) + 1));
    const i7 = body.days.indexOf(day(7));
    expect(body.total[i7]).toBe(260);
    expect(body.byCode).toEqual([
      expect.objectContaining({ code: '1301', allowed: false, total: 4 }),
      expect.objectContaining({ code: '1625', allowed: true, total: 8 * 35 + 2 * 260 }),
    ]);
    expect(body.anomalies.map((a: { detector: string; day: string }) => `${a.detector}@${a.day}`)).toEqual([`D-DEVICE-NEW-HIGH@${day(7)}`, `D-DEVICE-NEW-HIGH@${day(6)}`, `D-DEVICE-CODES@${day(3)}`]);
    expect(body.anomalies[0].reason).toContain('260');
    expect(body.ruleSetVersion).toBe(1);

    const ranged = await leader.get(`/api/devices/RL-1/captures?from=${day(10)}&to=${day(4)}`);
    expect(ranged.status).toBe(200);
    expect(ranged.body.days).toEqual([10, 9, 8, 7, 6, 5].map(day));
    expect(ranged.body.anomalies).toEqual([expect.objectContaining({ detector: 'D-DEVICE-SPIKE', day: day(5), dedupKey: `D-DEVICE-SPIKE|RL-1|${day(5)}` })]);
  });

  it("captures obey the owning unit's data scope; bad ranges get a field message", async () => {
    expect((await squadLeader.get('/api/devices/RL-NEW/captures')).status).toBe(404);
    expect((await squadLeader.get('/api/devices/RL-1/captures')).status).toBe(200);
    expect((await squadLeader.get('/api/devices/X-1/captures')).status).toBe(404);
    expect((await leader.get('/api/devices/X-1/captures')).status).toBe(200);
    expect((await leader.get('/api/devices/NOPE/captures')).status).toBe(404);
    expect((await officer.get('/api/devices/RL-1/captures')).status).toBe(403);
    const bad = await leader.get(`/api/devices/RL-1/captures?from=${day(1)}&to=${day(3)}`);
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual([{ path: 'to', message: '结束日期应晚于开始日期' }]);
    const wrong = await leader.get('/api/devices/RL-1/captures?from=2026-02-30');
    expect(wrong.status).toBe(400);
    expect(wrong.body.details[0]).toMatchObject({ path: 'from', message: '开始日期不是有效日期' });
  });

  it('GET /api/devices/capture-summary: one row per device with captures, in scope', async () => {
    const all = await leader.get('/api/devices/capture-summary?days=30');
    expect(all.status).toBe(200);
    const ids = all.body.items.map((i: { deviceId: string }) => i.deviceId);
    expect(ids).toEqual(expect.arrayContaining(['RL-1', 'RL-2', 'RL-3', 'RL-4', 'RL-NEW', 'X-1']));
    const fresh = all.body.items.find((i: { deviceId: string }) => i.deviceId === 'RL-NEW');
    expect(fresh).toEqual({ deviceId: 'RL-NEW', captures: 8 * 35 + 2 * 260 + 4, freight: 0, lastDay: day(1), disallowed: 4 });
    const mine = await squadLeader.get('/api/devices/capture-summary');
    expect(mine.body.items.map((i: { deviceId: string }) => i.deviceId)).toEqual(['RL-1', 'RL-2']);
    expect((await leader.get('/api/devices/capture-summary?days=0')).status).toBe(400);
  });

  it('POST /api/devices/detectors/run needs device:edit', async () => {
    const ok = await legal.send('POST', '/api/devices/detectors/run');
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ alerts: 0, findings: { 'D-DEVICE-NEW-HIGH': 1 } });
    expect((await leader.send('POST', '/api/devices/detectors/run')).status).toBe(403);
    expect((await call(t.app, 'POST', '/api/devices/detectors/run')).status).toBe(401);
  });

  it('after a batch the detectors run for the devices it touched (here: a code RL-2 may not capture)', async () => {
    const res = await legal.send('POST', '/api/enforcement/records/batch', {
      records: [{ externalId: 'DC-CODE-1', kind: 'camera', plate: '苏A6D001', vehicleType: 'smallPassenger', violationCode: '1301', occurredAt: noon(1).toISOString(), place: { road: '中山路', km: 1 }, deviceId: 'RL-2', evidence: [{ kind: 'photo', ref: 'IMG-C1.jpg', sha256: 'c'.repeat(64) }] }],
    });
    expect(res.status).toBe(200);
    await deviceDetectorsIdle(t.database.db);
    const { rows } = await sql<{ subject_id: string; unit_id: number; facts: Record<string, unknown> }>`SELECT subject_id, unit_id, facts FROM alerts WHERE rule = 'D-DEVICE-CODES' AND subject_id = 'RL-2'`.execute(t.database.db);
    expect(rows).toEqual([expect.objectContaining({ subject_id: 'RL-2', unit_id: sq1, facts: expect.objectContaining({ total: 1, byCode: { '1301': 1 } }) })]);
  });

  it('the intake counts each stored capture once; a rebuild from the records in one statement agrees', async () => {
    const base = Date.now() - 3 * 86_400_000;
    const records = [0, 1, 2].map((i) => ({
      externalId: `DC-${i}`,
      kind: 'camera',
      plate: `苏A5${i}00${i}`,
      vehicleType: i === 0 ? 'heavyTruck' : 'smallPassenger',
      violationCode: '1625',
      occurredAt: new Date(base + i * 60_000).toISOString(),
      place: { road: '中山路', km: 1 },
      deviceId: 'RB-1',
      evidence: [{ kind: 'photo', ref: `IMG-${i}.jpg`, sha256: String(i).repeat(64) }],
    }));
    const res = await legal.send('POST', '/api/enforcement/records/batch', { records });
    expect(res.status).toBe(200);
    await deviceDetectorsIdle(t.database.db);
    const counted = [{ deviceId: 'RB-1', day: beijingDay(base), captures: 3, freight: 1 }];
    // the intake counted them in its transaction; the same batch sent again creates and counts nothing
    expect(await dailyTotals(t.database.db, ['RB-1'], day(10), day(0))).toEqual(counted);
    const again = await legal.send('POST', '/api/enforcement/records/batch', { records });
    expect(again.body.results.every((r: { duplicate: boolean }) => r.duplicate)).toBe(true);
    expect(await dailyTotals(t.database.db, ['RB-1'], day(10), day(0))).toEqual(counted);
    await t.database.db.transaction().execute((trx) => rebuildDailyCaptures(trx));
    const rebuilt = await dailyTotals(t.database.db, ['RB-1'], day(10), day(0));
    expect(rebuilt).toEqual(counted);
    // the rebuild replaced everything with what the records say: the synthetic counts are gone
    expect(await dailyTotals(t.database.db, ['RL-1'], day(60), day(0))).toEqual([]);
  });
});
