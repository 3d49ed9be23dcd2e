import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, loginAs, testApp, uploadFile, type Client, type TestApp } from '../../../test/factories.ts';
import { QueryCounter } from '../alerts/alerts.testing.ts';
import { detectorsIdle } from '../enforcement/detectors.service.ts';
import { ingestBatch } from '../enforcement/intake.service.ts';
import { bootstrapContext } from '../../platform/bootstrap.ts';
import { registerDevices } from './devices.testing.ts';
import { DEVICE_SHEET } from './devices.import.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();
const beijingDay = (ms: number) => new Date(ms + 8 * HOUR).toISOString().slice(0, 10);
const sha = 'c'.repeat(64);
const LONG_AGO = '2024-01-02';

function capture(externalId: string, deviceId: string, at: number, over: Record<string, unknown> = {}) {
  return {
    externalId,
    kind: 'camera',
    plate: `苏A${externalId.replace(/\D/g, '').padStart(5, '0').slice(-5)}`,
    vehicleType: 'smallPassenger',
    violationCode: '1625',
    occurredAt: iso(at),
    place: { road: '中山路' },
    deviceId,
    evidence: [{ kind: 'photo', ref: `${externalId}.jpg`, sha256: sha }],
    ...over,
  };
}

describe('device registry: API, lawful gate, retroactive finding, import, public list', () => {
  let t: TestApp;
  let legal: Client;
  let inspector: Client;
  let squadronLeader: Client;
  let officer: Client;
  let units: Array<{ id: number; name: string; kind: string }>;
  const sq = (name: string) => units.find((u) => u.name === name)!.id;

  const body = (id: string, over: Record<string, unknown> = {}) => ({
    id,
    type: 'redLight',
    location: { road: '中山路', direction: '由南向北', km: 1.2, lat: 32.04, lon: 118.78, description: '中山路与汉中路交叉口' },
    owningUnitId: sq('二中队'),
    allowedCodes: ['1625'],
    legalReview: { date: LONG_AGO, documentNo: '法审〔2024〕1号', reviewer: '法制大队' },
    technicalReview: { date: LONG_AGO, documentNo: '技审〔2024〕1号', reviewer: '科技科' },
    announcement: { date: LONG_AGO, channel: '支队官网', url: 'https://example.gov.cn/notice/1' },
    signage: { present: true, distanceM: 50 },
    status: { status: 'active', from: '2024-01-20', reason: '公告期满启用', documentNo: '启〔2024〕1号' },
    basis: { documentNo: '登〔2024〕1号' },
    ...over,
  });

  beforeAll(async () => {
    t = await testApp();
    [legal, inspector, squadronLeader, officer] = (await Promise.all(['legal', 'inspector', 'squadron_leader', 'officer'].map((u) => loginAs(t.app, u)))) as [Client, Client, Client, Client];
    units = (await legal.get('/api/org/units/tree')).body.items;
  });
  afterAll(async () => {
    await detectorsIdle(t.database.db);
    await t.close();
  });

  it('registers a device with its documents, ledgered, and refuses bad input with field messages', async () => {
    const created = await legal.send('POST', '/api/devices', body('DEV-0001'));
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ id: 'DEV-0001', revision: 1, status: 'active', owningUnitName: '二中队', today: { lawful: true, missing: [] } });
    expect(created.body.revisions).toMatchObject([{ revision: 1, changeKind: 'create', documentNo: '登〔2024〕1号' }]);
    const { rows } = await sql<{ payload: unknown }>`SELECT payload FROM ledger_entry_view WHERE action = 'device.create' AND subject_id = 'DEV-0001'`.execute(t.database.db);
    expect(JSON.stringify(rows[0]!.payload)).toContain('登〔2024〕1号');

    expect((await legal.send('POST', '/api/devices', body('DEV-0001'))).status).toBe(409);
    const noBasis = await legal.send('POST', '/api/devices', { ...body('DEV-0002'), basis: undefined });
    expect(noBasis.status).toBe(400);
    expect(noBasis.body.details.map((d: { path: string }) => d.path)).toContain('basis');
    const badOrder = await legal.send('POST', '/api/devices', body('DEV-0002', { type: 'speedFixed', verification: { certificateNo: 'JD-1', validFrom: '2025-06-01', validTo: '2025-05-31' } }));
    expect(badOrder.status).toBe(400);
    expect(badOrder.body.details).toContainEqual({ path: 'verification.validTo', message: expect.stringContaining('不能早于') });
    const afterRemoval = await legal.send('POST', '/api/devices', body('DEV-0002', { status: { status: 'removed', from: '2024-01-01', reason: '拆除', documentNo: '撤1号' } }));
    expect(afterRemoval.body.details).toContainEqual({ path: 'announcement.date', message: expect.stringContaining('撤除') });
    const unknownCode = await legal.send('POST', '/api/devices', body('DEV-0002', { allowedCodes: ['1625', '99999'] }));
    expect(unknownCode.status).toBe(400);
    expect(unknownCode.body.details).toContainEqual({ path: 'allowedCodes.1', message: expect.stringContaining('99999') });
    // a removal dated before the announcement: the announcement is after the removal
    await legal.send('POST', '/api/devices', body('DEV-0003', { location: { road: '汉中路', km: 7 } }));
    const early = await legal.send('POST', '/api/devices/DEV-0003/status', { status: 'removed', from: '2023-12-01', reason: '拆除', documentNo: '撤2号' });
    expect(early.status).toBe(400);
    expect(early.body.details).toContainEqual({ path: 'announcement.date', message: expect.stringContaining('撤除') });
    expect((await officer.send('POST', '/api/devices', body('DEV-0004'))).status).toBe(403);
    expect((await inspector.send('POST', '/api/devices', body('DEV-0004'))).status).toBe(403);
  });

  it('lists and shows devices in data scope: a squadron leader sees only the squadron’s', async () => {
    await legal.send('POST', '/api/devices', body('DEV-0100', { owningUnitId: sq('一中队') }));
    const all = await inspector.get('/api/devices?pageSize=100');
    expect(all.body.items.map((d: { id: string }) => d.id)).toEqual(expect.arrayContaining(['DEV-0001', 'DEV-0100']));
    const own = await squadronLeader.get('/api/devices?pageSize=100');
    expect(own.body.items.map((d: { id: string }) => d.id)).toEqual(['DEV-0100']);
    expect((await squadronLeader.get('/api/devices/DEV-0001')).status).toBe(404);
    expect((await squadronLeader.get('/api/devices/DEV-0100')).status).toBe(200);
    // moved to another squadron and re-approved for more codes: out of the squadron leader's sight
    const moved = await legal.send('PATCH', '/api/devices/DEV-0100', { owningUnitId: sq('三中队'), allowedCodes: ['1625', '1345'], basis: { documentNo: '调〔2026〕1号' } });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ owningUnitName: '三中队', allowedCodes: ['1625', '1345'], revision: 2 });
    expect(moved.body.revisions[0].changed).toEqual(['管理单位', '准许抓拍的违法代码']);
    expect((await squadronLeader.get('/api/devices/DEV-0100')).status).toBe(404);
    const badMove = await legal.send('PATCH', '/api/devices/DEV-0100', { owningUnitId: 99999, basis: { documentNo: '调〔2026〕2号' } });
    expect(badMove.body.details).toEqual([{ path: 'owningUnitId', message: '管理单位不存在' }]);
    await legal.send('PATCH', '/api/devices/DEV-0100', { owningUnitId: sq('一中队'), allowedCodes: ['1625'], basis: { documentNo: '调〔2026〕3号' } });
    const brigade = units.find((u) => u.kind === 'brigade')!.id;
    const byUnit = await inspector.get(`/api/devices?unitId=${brigade}&pageSize=100`);
    expect(byUnit.body.items.map((d: { id: string }) => d.id)).toEqual(expect.arrayContaining(['DEV-0001', 'DEV-0100']));
    expect((await inspector.get(`/api/devices?unitId=${sq('二中队')}&pageSize=100`)).body.items.map((d: { id: string }) => d.id)).not.toContain('DEV-0100');
    expect((await officer.get('/api/devices')).status).toBe(403);
  });

  it('holds a capture from a suspended device with the reason, and files captures under the owning unit', async () => {
    const at = Date.now() - 2 * HOUR;
    const before = await legal.send('POST', '/api/enforcement/records/batch', { records: [capture('S-1', 'DEV-0001', at)] });
    expect(before.body.results[0].outcome).toBe('penalty');
    const { rows } = await sql<{ unit_id: number; device_revision: number }>`SELECT unit_id, device_revision FROM enforcement_records WHERE external_id = 'S-1'`.execute(t.database.db);
    expect(rows[0]).toEqual({ unit_id: sq('二中队'), device_revision: 1 });

    const s2At = Date.now() - 60_000;
    const suspended = await legal.send('POST', '/api/devices/DEV-0001/status', { status: 'suspended', from: beijingDay(s2At), reason: '标志被遮挡', documentNo: '停〔2026〕2号' });
    expect(suspended.status).toBe(200);
    expect(suspended.body).toMatchObject({ status: 'suspended', revision: 2, today: { lawful: false } });
    const after = await legal.send('POST', '/api/enforcement/records/batch', { records: [capture('S-2', 'DEV-0001', s2At)] });
    const result = after.body.results[0];
    expect(result.outcome).toBe('held');
    const reason = result.reasons.find((r: { rule: string }) => r.rule === 'R-DEVICE-LAWFUL');
    expect(reason.message).toContain('停用');
    expect(reason.basis).toContain('《行政处罚法》第41条');
    expect(reason.facts).toMatchObject({ deviceId: 'DEV-0001', deviceRevision: 2, missing: [{ condition: 'status' }] });

    // replay reads the revision the decision used
    const replay = await legal.send('POST', `/api/enforcement/records/${result.recordId}/replay`, { ruleSetVersion: 1 });
    expect(replay.body).toMatchObject({ outcome: 'held', same: true });
    const unknown = await legal.send('POST', '/api/enforcement/records/batch', { records: [capture('S-3', 'NOT-REGISTERED', Date.now() - HOUR)] });
    expect(unknown.body.results[0]).toMatchObject({ outcome: 'held', reasons: [expect.objectContaining({ rule: 'R-DEVICE-LAWFUL' })] });
  });

  it('reads the registry once per batch, not once per capture', async () => {
    await registerDevices(t.database.db, Array.from({ length: 30 }, (_, i) => `Q-${i}`));
    const ctx = bootstrapContext('测试');
    const count = async (rows: unknown[]) => {
      const counter = new QueryCounter();
      const s = await ingestBatch(t.database.db.withPlugin(counter), ctx, rows, { skipDetectors: true });
      expect(s.created).toBe(rows.length);
      return counter.count;
    };
    const at = Date.now() - 3 * DAY;
    const one = await count([capture('Q1-1', 'Q-0', at)]);
    const many = await count(Array.from({ length: 60 }, (_, i) => capture(`QN-${i}`, `Q-${i % 30}`, at + i * 60_000, { plate: `苏B${String(10000 + i)}` })));
    expect(many).toBe(one);
  });

  it('a change that shrinks the lawful window lists the captures by outcome and raises one alert', async () => {
    await legal.send('POST', '/api/devices', body('DEV-0200', { type: 'speedFixed', allowedCodes: ['1625', '1345'], verification: { certificateNo: 'JD-200', validFrom: '2024-01-01', validTo: '2030-12-31' } }));
    const t0 = Date.now() - 20 * DAY;
    const records = [capture('R-1', 'DEV-0200', t0), capture('R-2', 'DEV-0200', t0 + 10 * DAY), capture('R-3', 'DEV-0200', t0 + 11 * DAY, { fineYuan: 5000 }), capture('R-4', 'DEV-0200', t0 - 300 * DAY)];
    const sent = await legal.send('POST', '/api/enforcement/records/batch', { records });
    expect(sent.body.results.map((r: { outcome: string }) => r.outcome)).toEqual(['penalty', 'penalty', 'held', 'penalty']);

    // the certificate turns out to have expired 15 days ago: lose their ground
    const validTo = beijingDay(t0 + 5 * DAY);
    const changed = await legal.send('PATCH', '/api/devices/DEV-0200', { verification: { certificateNo: 'JD-200', validFrom: '2024-01-01', validTo }, basis: { documentNo: '计量核查〔2026〕7号', note: '检定证书核查' } });
    expect(changed.status).toBe(200);
    expect(changed.body.revisions[0]).toMatchObject({ revision: 2, changeKind: 'update', documentNo: '计量核查〔2026〕7号', changed: ['计量检定'] });

    const affected = await inspector.get('/api/devices/DEV-0200/affected?sinceRevision=1');
    expect(affected.status).toBe(200);
    expect(affected.body).toMatchObject({ deviceId: 'DEV-0200', revision: 2, sinceRevision: 1, total: 2, byOutcome: { penalty: 1, held: 1 } });
    expect(affected.body.items.map((i: { outcome: string }) => i.outcome)).toEqual(['penalty', 'held']);
    expect(affected.body.items[0].missing).toEqual(['verification']);
    // without a revision: everything captured while the device is now known to be unlawful
    expect((await inspector.get('/api/devices/DEV-0200/affected')).body.total).toBe(2);

    const alerts = await inspector.get('/api/alerts?source=devices&pageSize=50');
    const mine = alerts.body.items.filter((a: { subjectId: string }) => a.subjectId === 'DEV-0200');
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ rule: 'R-DEVICE-LAWFUL', subjectType: 'device', severity: 'high' });
    const detail = await inspector.get(`/api/alerts/${mine[0].id}`);
    expect(detail.body.evidence).toHaveLength(2);
    expect(detail.body.facts).toMatchObject({ total: 2, byOutcome: { penalty: 1, held: 1 }, documentNo: '计量核查〔2026〕7号' });

    // a renewal (a new certificate number) keeps the old certificate: its days stay lawful, no new finding
    const renewed = await legal.send('PATCH', '/api/devices/DEV-0200', { verification: { certificateNo: 'JD-201', validFrom: beijingDay(t0 + 12 * DAY), validTo: '2031-01-01' }, basis: { documentNo: '检定〔2026〕8号' } });
    expect(renewed.body.verificationHistory).toEqual([{ certificateNo: 'JD-200', validFrom: '2024-01-01', validTo }]);
    expect((await inspector.get('/api/devices/DEV-0200/affected')).body.total).toBe(2);

    // a change that widens nothing raises nothing more
    await legal.send('PATCH', '/api/devices/DEV-0200', { location: { road: '中山路', description: '更正描述' }, basis: { documentNo: '更正1号' } });
    const again = await inspector.get('/api/alerts?source=devices&pageSize=50');
    expect(again.body.items.filter((a: { subjectId: string }) => a.subjectId === 'DEV-0200')).toHaveLength(1);
    expect((await legal.send('PATCH', '/api/devices/DEV-0200', { allowedCodes: ['1625'] })).status).toBe(400);
  });

  it('imports a sheet: template, per-row report, nothing written when a row is bad', async () => {
    const template = await call(t.app, 'GET', '/api/devices/template?format=csv', { cookie: legal.cookie });
    expect(template.status).toBe(200);
    const header = DEVICE_SHEET.map((c) => c.header).join(',');
    expect(String(template.body)).toContain('设备编号');
    const xlsx = await call(t.app, 'GET', '/api/devices/template?format=xlsx', { cookie: legal.cookie });
    expect(xlsx.status).toBe(200);
    expect(xlsx.raw.subarray(0, 2).toString()).toBe('PK');
    expect((await call(t.app, 'GET', '/api/devices/template', { cookie: squadronLeader.cookie })).status).toBe(403);
    const row = (id: string, over: Partial<Record<string, string>> = {}) => {
      const v: Record<string, string> = { id, type: '违停抓拍', road: '湖南路', unit: '一中队', codes: '1039', legalDate: '2024-02-01', legalDoc: '法审2号', legalBy: '法制大队', techDate: '2024-02-01', techDoc: '技审2号', techBy: '科技科', announceDate: '2024-02-02', announceChannel: '官网', signage: '是', status: '启用', statusFrom: '2024-02-20', statusReason: '启用', ...over };
      return DEVICE_SHEET.map((c) => v[c.key] ?? '').join(',');
    };
    const bad = [header, row('IMP-1'), row('IMP-2', { certNo: 'JD-9', certFrom: '2025-02-01', certTo: '2025-01-01', type: '固定测速', codes: '1625' }), row('IMP-3', { unit: '不存在的中队' })].join('\n');
    const rejected = await uploadFile(t.app, legal, '/api/devices/import?documentNo=导〔2026〕1号', 'devices.csv', bad);
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ total: 3, created: 0, rejected: 2 });
    expect(rejected.body.errors).toContainEqual({ row: 3, field: '检定有效期止', message: expect.stringContaining('不能早于') });
    expect(rejected.body.errors).toContainEqual({ row: 4, field: '管理单位', message: expect.stringContaining('不存在') });
    expect((await legal.get('/api/devices/IMP-1')).status).toBe(404);

    const good = [header, row('IMP-1'), row('DEV-0100', { road: '湖南路', type: '违停抓拍', codes: '1039' })].join('\n');
    const ok = await uploadFile(t.app, legal, '/api/devices/import?documentNo=导〔2026〕1号', 'devices.csv', good);
    expect(ok.body).toMatchObject({ total: 2, created: 1, updated: 1, rejected: 0, errors: [] });
    const imported = await legal.get('/api/devices/IMP-1');
    expect(imported.body).toMatchObject({ type: 'parking', owningUnitName: '一中队', revisions: [{ changeKind: 'import', documentNo: '导〔2026〕1号' }] });
    const again = await uploadFile(t.app, legal, '/api/devices/import?documentNo=导〔2026〕2号', 'devices.csv', good);
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
    const noDoc = await uploadFile(t.app, legal, '/api/devices/import', 'devices.csv', good);
    expect(noDoc.status).toBe(400);
  });

  it('publishes announced, active, fixed devices without login, and nothing internal', async () => {
    const future = beijingDay(Date.now() + 10 * DAY);
    await legal.send('POST', '/api/devices', body('PUB-UNANNOUNCED', { announcement: null }));
    await legal.send('POST', '/api/devices', body('PUB-LATER', { announcement: { date: future, channel: '官网' } }));
    await legal.send('POST', '/api/devices', body('PUB-MOBILE', { type: 'speedMobile', policeOperated: true, allowedCodes: ['1625'], verification: { certificateNo: 'JD-M', validFrom: '2024-01-01', validTo: '2030-01-01' } }));
    await legal.send('POST', '/api/devices', body('PUB-OK', { location: { road: '公开路', km: 3 } }));
    const res = await call(t.app, 'GET', '/api/public/devices');
    expect(res.status).toBe(200);
    const roads = res.body.items.map((d: { road: string }) => d.road);
    expect(roads).toContain('公开路');
    const text = JSON.stringify(res.body);
    for (const hidden of ['PUB-', 'DEV-', '法审', '技审', '登〔', 'JD-', '二中队', 'owningUnit', 'documentNo', 'certificate', 'reviewer', 'example.gov.cn']) expect(text).not.toContain(hidden);
    // DEV-0001 is suspended, DEV-0200 is a fixed speed camera still active
    const mobile = res.body.items.filter((d: { type: string }) => d.type === 'speedMobile');
    expect(mobile).toHaveLength(0);
    const one = res.body.items.find((d: { road: string }) => d.road === '公开路');
    expect(Object.keys(one).sort()).toEqual(['announcedOn', 'description', 'direction', 'km', 'lat', 'lon', 'road', 'type', 'typeLabel', 'violations'].sort());
    expect(one.violations).toEqual([{ code: '1625', name: expect.stringContaining('信号灯') }]);
    expect(one.announcedOn).toBe(LONG_AGO);
    expect(res.body.total).toBe(res.body.items.length);
    // the suspended DEV-0001, the unannounced, not-yet-announced and mobile ones share the km 1.2
    // location: none of them is listed; DEV-0200 (moved to 更正描述, active, announced) is
    expect(res.body.items.filter((d: { km: number | null }) => d.km === 1.2)).toHaveLength(0);
    expect(res.body.items.filter((d: { description: string | null }) => d.description === '更正描述')).toHaveLength(1);
  });
});
