import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, loginAs, testApp, type Client, type TestApp } from '../../../test/factories.ts';
import { registerDevices } from '../devices/devices.testing.ts';
import { detectorsIdle } from './detectors.service.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();
const sha = (n: number) => n.toString(16).padStart(64, '0');
const base = Date.now() - 10 * DAY;

function camera(externalId: string, over: Record<string, unknown> = {}) {
  return {
    externalId,
    kind: 'camera',
    plate: '苏A12345',
    vehicleType: 'smallPassenger',
    violationCode: '1625',
    occurredAt: iso(base),
    place: { road: '中山路', km: 3.2 },
    deviceId: 'SXJ-0001',
    evidence: [{ kind: 'photo', ref: 'IMG-1.jpg', sha256: sha(1) }],
    ...over,
  };
}

function onSite(externalId: string, over: Record<string, unknown> = {}) {
  return {
    externalId,
    kind: 'onSite',
    plate: '苏A77777',
    vehicleType: 'smallPassenger',
    violationCode: '1625',
    occurredAt: iso(base),
    place: { road: '北京东路', km: 1 },
    decidingOfficer: '050007',
    procedure: 'simple',
    party: 'motorVehicleDriver',
    fineYuan: 200,
    points: 6,
    payment: { method: 'online' },
    evidence: [{ kind: 'bodyCam', ref: 'BC-1.mp4', sha256: sha(2) }],
    driver: { name: '李四', idNumber: '320102199001011234', licenceNo: '320102199001011234' },
    ...over,
  };
}

describe('enforcement records: intake, decisions, review, replay', () => {
  let t: TestApp;
  let legal: Client;
  let inspector: Client;
  let officer: Client;
  const batch = async (records: unknown[], as: Client = legal) => as.send('POST', '/api/enforcement/records/batch', { records });

  beforeAll(async () => {
    t = await testApp();
    // the devices the camera records name, lawful (R-DEVICE-LAWFUL holds captures of unregistered ones)
    await registerDevices(t.database.db, ['SXJ-0001', 'SXJ-0002', 'SXJ-0009']);
    [legal, inspector, officer] = await Promise.all([loginAs(t.app, 'legal'), loginAs(t.app, 'inspector'), loginAs(t.app, 'officer')]);
  });
  afterAll(async () => {
    await detectorsIdle(t.database.db);
    await t.close();
  });

  it('decides camera records: penalty, first-violation warning, repeat merged, out-of-range held', async () => {
    const res = await batch([
      camera('C-1'),
      camera('C-2', { plate: '苏A22222', violationCode: '1039', deviceId: 'SXJ-0002', place: { road: '汉中路' } }),
      camera('C-3', { plate: '苏A22222', violationCode: '1039', deviceId: 'SXJ-0002', place: { road: '汉中路' }, occurredAt: iso(base + 2 * HOUR) }),
      camera('C-4', { plate: '苏A33333', fineYuan: 5000, occurredAt: iso(Date.now() - HOUR) }),
    ]);
    expect(res.status).toBe(200);
    const [penalty, warning, merged, held] = res.body.results;
    expect(penalty).toMatchObject({ externalId: 'C-1', outcome: 'penalty', duplicate: false });
    expect(penalty.reasons.length).toBeGreaterThan(0);
    expect(warning).toMatchObject({ outcome: 'warning' });
    expect(warning.reasons.map((r: { rule: string }) => r.rule)).toContain('R-WARN-FIRST');
    expect(merged).toMatchObject({ outcome: 'merged', linkedRecordId: warning.recordId });
    expect(held).toMatchObject({ outcome: 'held' });
    expect(held.reasons.map((r: { rule: string }) => r.rule)).toContain('R-FINE-RANGE');
    for (const r of res.body.results) expect(r.reasons.every((x: { basis: string; ruleSetVersion: number }) => x.basis.length > 0 && x.ruleSetVersion === 1)).toBe(true);
  });

  it('re-sending an externalId returns the stored result and creates nothing; bad rows are reported, good rows stored', async () => {
    const res = await batch([camera('C-1'), { externalId: 'BAD-1', kind: 'camera', plate: 'XX123' }, camera('C-5', { plate: '苏A55555' })]);
    expect(res.status).toBe(200);
    const [dup, bad, good] = res.body.results;
    expect(dup).toMatchObject({ externalId: 'C-1', outcome: 'penalty', duplicate: true });
    expect(bad.externalId).toBe('BAD-1');
    expect(bad.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['plate', 'vehicleType', 'violationCode']));
    expect(bad.errors.find((e: { path: string }) => e.path === 'plate').message).toMatch(/号牌/);
    expect(good).toMatchObject({ outcome: 'penalty', duplicate: false });
    const list = await legal.get('/api/enforcement/records?plate=苏A12345');
    expect(list.body.total).toBe(1);
  });

  it('two batches sent at once still see each other: the later capture of a parked car merges into the earlier', async () => {
    const parked = { plate: '苏A44444', violationCode: '1039', deviceId: 'SXJ-0009', place: { road: '汉中路' } };
    const [a, b] = await Promise.all([
      batch([camera('PAR-1', { ...parked, occurredAt: iso(base + DAY) })]),
      batch([camera('PAR-2', { ...parked, occurredAt: iso(base + DAY + HOUR) }), camera('PAR-1', { ...parked, occurredAt: iso(base + DAY) })]),
    ]);
    // whichever commits first creates PAR-1; the other answers it as a duplicate of the same record
    const first = a.body.results[0];
    const [second, again] = b.body.results;
    expect(again.recordId).toBe(first.recordId);
    expect([first.duplicate, again.duplicate].sort()).toEqual([false, true]);
    const stored = (await legal.get('/api/enforcement/records?plate=苏A44444&pageSize=10')).body.items;
    expect(stored).toHaveLength(2);
    expect(second.outcome).toBe('merged');
    expect(second.linkedRecordId).toBe(first.recordId);
    const replay = await legal.send('POST', `/api/enforcement/records/${second.recordId}/replay`, { ruleSetVersion: 1 });
    expect(replay.body).toMatchObject({ outcome: 'merged', same: true });
  });

  describe('an act handled on the spot is not also a camera penalty, whichever record arrives first', () => {
    const at = base + 3 * DAY;
    const act = { violationCode: '1625', place: { road: '中山路', km: 3.2 } };
    const officerRecord = (id: string, plate: string) => onSite(id, { ...act, plate, occurredAt: iso(at + 5 * 60_000), place: { road: '中山路', km: 3.3 } });

    it('in one batch, the capture before the on-site record is voided and the officer is not blamed', async () => {
      const res = await batch([camera('H-CAM-1', { ...act, plate: '苏A31001', occurredAt: iso(at) }), officerRecord('H-ONS-1', '苏A31001')]);
      const [capture, handled] = res.body.results;
      expect(handled).toMatchObject({ outcome: 'compliant', reasons: [] });
      expect(capture).toMatchObject({ outcome: 'voided', linkedRecordId: handled.recordId });
    });

    it('a held capture stored earlier is voided when the on-site record arrives', async () => {
      const first = await batch([camera('H-CAM-2', { ...act, plate: '苏A31002', occurredAt: iso(at), evidence: [] })]);
      expect(first.body.results[0].outcome).toBe('held');
      const later = await batch([officerRecord('H-ONS-2', '苏A31002')]);
      expect(later.body.results[0].outcome).toBe('compliant');
      const capture = await legal.get(`/api/enforcement/records/${first.body.results[0].recordId}`);
      expect(capture.body).toMatchObject({ outcome: 'voided', decidedOutcome: 'held', linkedRecordId: later.body.results[0].recordId });
      expect(capture.body.reasons.map((r: { rule: string }) => r.rule)).toContain('R-ONSITE-HANDLED');
    });

    it('a capture already a penalty raises an alert to revoke it', async () => {
      const first = await batch([camera('H-CAM-3', { ...act, plate: '苏A31003', occurredAt: iso(at) })]);
      expect(first.body.results[0].outcome).toBe('penalty');
      const later = await batch([officerRecord('H-ONS-3', '苏A31003')]);
      expect(later.body.results[0].outcome).toBe('compliant');
      const alerts = await inspector.get(`/api/alerts?rule=R-ONSITE-HANDLED&subjectType=record&subjectId=${first.body.results[0].recordId}`);
      expect(alerts.body.items).toHaveLength(1);
      expect(alerts.body.items[0]).toMatchObject({ severity: 'high' });
    });
  });

  it('a first-violation warning asks about the driver too: an earlier violation in another car counts', async () => {
    const driver = { name: '钱七', licenceNo: '320102198807071111' };
    const marking = { violationCode: '1345', fineYuan: 100, points: 1, driver };
    const first = await batch([onSite('DRV-1', { ...marking, plate: '苏A51001', occurredAt: iso(base + 5 * DAY) })]);
    expect(first.body.results[0].reasons.map((r: { rule: string }) => r.rule)).toContain('R-WARN-FIRST'); // eligible, yet fined
    const second = await batch([onSite('DRV-2', { ...marking, plate: '苏A51002', occurredAt: iso(base + 6 * DAY) })]);
    expect(second.body.results[0]).toMatchObject({ outcome: 'compliant', reasons: [] });
    const replay = await legal.send('POST', `/api/enforcement/records/${second.body.results[0].recordId}/replay`, { ruleSetVersion: 1 });
    expect(replay.body).toMatchObject({ outcome: 'compliant', same: true });
  });

  it('stores text with tabs, line breaks, backslashes and quotes exactly (the bulk load escapes them)', async () => {
    const description = '路口\t东侧 "A\\B"\n第二行\r\\N';
    const res = await batch([camera('C-ESC', { plate: '苏A66666', place: { road: '中山路', description } })]);
    const detail = await legal.get(`/api/enforcement/records/${res.body.results[0].recordId}`);
    expect(detail.body.place.description).toBe(description);
  });

  it('a control character fails its own row only; a badge spelled NULL stays a string', async () => {
    const res = await batch([camera('C-NUL', { plate: '苏A67676', place: { road: '中山\u0000路' } }), camera('C-NULLBADGE', { plate: '苏A67677', assistants: ['NULL'] })]);
    expect(res.status).toBe(200);
    expect(res.body.results[0].errors).toEqual([{ path: 'place.road', message: '道路含有不可见的控制字符' }]);
    const detail = await legal.get(`/api/enforcement/records/${res.body.results[1].recordId}`);
    expect(detail.body.assistants).toEqual(['NULL']);
  });

  it('rejects a future time and a batch over the limit with clear messages', async () => {
    const future = await batch([camera('C-F', { occurredAt: iso(Date.now() + DAY) })]);
    expect(future.body.results[0].errors[0]).toMatchObject({ path: 'occurredAt', message: '违法时间不能晚于当前时间' });
    const tooMany = await batch(Array.from({ length: 10_001 }, (_, i) => ({ externalId: `X${i}` })));
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.message).toMatch(/10000/);
  });

  it('checks on-site decisions: an auxiliary deciding officer and cash from a motorist are findings with alerts', async () => {
    const res = await batch([
      onSite('O-1'),
      onSite('O-2', { plate: '苏A88888', decidingOfficer: 'F50008', payment: { method: 'cashOnSpot' }, fineYuan: 100, points: 1, violationCode: '1345' }),
    ]);
    const [ok, bad] = res.body.results;
    expect(ok).toMatchObject({ outcome: 'compliant', reasons: [] });
    expect(bad.outcome).toBe('nonCompliant');
    const rules = bad.reasons.map((r: { rule: string }) => r.rule);
    expect(rules).toEqual(expect.arrayContaining(['R-DECIDER', 'R-CASH']));
    expect(bad.reasons.find((r: { rule: string }) => r.rule === 'R-DECIDER').severity).toBe('high');
    const alerts = await inspector.get(`/api/alerts?subjectType=record&subjectId=${bad.recordId}`);
    expect(alerts.status).toBe(200);
    expect(alerts.body.items.map((a: { rule: string }) => a.rule).sort()).toEqual([...rules].sort());
  });

  it('shows the driver masked, and the full driver only with enforcement:pii, ledgered', async () => {
    const id = (await legal.get('/api/enforcement/records?plate=苏A77777')).body.items[0].id;
    const detail = await legal.get(`/api/enforcement/records/${id}`);
    expect(detail.body.driver).toEqual({ name: '李*', idNumber: '3201**********1234', licenceNo: '3201**********1234' });
    expect(JSON.stringify(detail.body)).not.toContain('320102199001011234');
    expect((await inspector.get(`/api/enforcement/records/${id}/driver`)).status).toBe(403);
    const full = await legal.get(`/api/enforcement/records/${id}/driver`);
    expect(full.body).toEqual({ name: '李四', idNumber: '320102199001011234', licenceNo: '320102199001011234' });
    const auditor = await loginAs(t.app, 'auditor');
    const ledger = await auditor.get(`/api/ledger/entries?action=enforcement.record.pii.read`);
    expect(ledger.body.items.some((e: { subjectId: string }) => e.subjectId === String(id))).toBe(true);
  });

  it('an officer sees only the records they decided (scope self)', async () => {
    const mine = await officer.get('/api/enforcement/records?pageSize=100');
    expect(mine.status).toBe(200);
    expect(mine.body.items.length).toBeGreaterThan(0);
    expect(mine.body.items.every((r: { decidingOfficer: string }) => r.decidingOfficer === '050007')).toBe(true);
    const camera = (await legal.get('/api/enforcement/records?kind=camera&pageSize=1')).body.items[0];
    expect((await officer.get(`/api/enforcement/records/${camera.id}`)).status).toBe(404);
    expect((await officer.send('POST', '/api/enforcement/records/batch', { records: [camera] })).status).toBe(403);
  });

  it('the legal officer reviews held records; a second review of the same record is refused', async () => {
    const queue = await legal.get('/api/enforcement/review-queue');
    expect(queue.status).toBe(200);
    const item = queue.body.items.find((i: { plate: string }) => i.plate === '苏A33333');
    expect(item).toMatchObject({ overdue: false, holdMessages: [expect.stringMatching(/罚款/)] });
    expect(item.workingDaysLeft).toBeGreaterThanOrEqual(0);
    const noNote = await legal.send('POST', '/api/enforcement/review', { ids: [item.id], decision: 'voided' });
    expect(noNote.status).toBe(400);
    const ok = await legal.send('POST', '/api/enforcement/review', { ids: [item.id], decision: 'penalty', note: '金额录入错误，按目录默认金额处罚' });
    expect(ok.body).toEqual({ reviewed: 1, items: [{ id: item.id, outcome: 'penalty' }] });
    const detail = await legal.get(`/api/enforcement/records/${item.id}`);
    expect(detail.body).toMatchObject({ outcome: 'penalty', decidedOutcome: 'held', fineYuan: 200, points: 6, reviewedBy: '周文静' });
    const again = await legal.send('POST', '/api/enforcement/review', { ids: [item.id], decision: 'warning' });
    expect(again.status).toBe(409);
    expect((await inspector.send('POST', '/api/enforcement/review', { ids: [item.id], decision: 'warning' })).status).toBe(403);
  });

  it('replays a decision under another rule-set version without changing anything', async () => {
    const warning = (await legal.get('/api/enforcement/records?plate=苏A22222&outcome=warning')).body.items[0];
    const same = await legal.send('POST', `/api/enforcement/records/${warning.id}/replay`, { ruleSetVersion: 1 });
    expect(same.body).toMatchObject({ outcome: 'warning', storedOutcome: 'warning', same: true });

    const current = (await legal.get('/api/rules/current')).body;
    const saved = await legal.send('POST', '/api/rules', { params: { ...current.params, cameraRequiresMedia: false, warningWindowDays: 30 }, note: '测试：调整回溯期' });
    expect(saved.status).toBe(200);
    expect(saved.body.version).toBe(2);
    const diff = await legal.get('/api/rules/diff?from=1&to=2');
    expect(diff.body.changes.map((c: { key: string }) => c.key).sort()).toEqual(['cameraRequiresMedia', 'warningWindowDays']);
    const replay = await legal.send('POST', `/api/enforcement/records/${warning.id}/replay`, { ruleSetVersion: 2 });
    expect(replay.body).toMatchObject({ ruleSetVersion: 2, storedRuleSetVersion: 1, outcome: 'warning' });
    expect((await legal.get(`/api/enforcement/records/${warning.id}`)).body.ruleSetVersion).toBe(1);
    const noNote = await legal.send('POST', '/api/rules', { params: current.params, note: '' });
    expect(noNote.status).toBe(400);
    expect((await officer.send('POST', '/api/rules', { params: current.params, note: 'x' })).status).toBe(403);
  });

  it('a unit filter includes the units below it', async () => {
    const units: Array<{ id: number; name: string; kind: string }> = (await legal.get('/api/org/units/tree')).body.items;
    const brigade = units.find((u) => u.kind === 'brigade')!.id;
    const sq1 = units.find((u) => u.name === '一中队')!.id;
    const inSq1 = (await legal.get(`/api/enforcement/records?unitId=${sq1}&kind=onSite&pageSize=100`)).body;
    expect(inSq1.total).toBeGreaterThan(0);
    const inBrigade = (await legal.get(`/api/enforcement/records?unitId=${brigade}&kind=onSite&pageSize=100`)).body;
    expect(inBrigade.total).toBeGreaterThanOrEqual(inSq1.total);
    expect((await legal.get(`/api/enforcement/stats?unitId=${brigade}`)).status).toBe(200);
  });

  it('dashboard figures need no per-officer breakdown', async () => {
    const stats = await legal.get('/api/enforcement/stats');
    expect(stats.status).toBe(200);
    expect(stats.body.totals.length).toBeGreaterThan(0);
    expect(stats.body.heldBacklog).toBe(0);
    expect(JSON.stringify(stats.body)).not.toMatch(/050007|officer/);
  });

  it('the legal officer issues an integration token that pushes records, and nothing else', async () => {
    const created = await legal.send('POST', '/api/auth/tokens', { name: '交管系统推送', permissions: ['enforcement:ingest'], expiresInDays: 30 });
    expect(created.status).toBe(200);
    const bearer = { authorization: `Bearer ${created.body.secret}` };
    const pushed = await call(t.app, 'POST', '/api/enforcement/records/batch', { headers: bearer, body: { records: [camera('TOKEN-1', { plate: '苏A99999' })] } });
    expect(pushed.status).toBe(200);
    expect(pushed.body.results[0]).toMatchObject({ externalId: 'TOKEN-1', outcome: 'penalty' });
    expect((await call(t.app, 'GET', '/api/enforcement/records', { headers: bearer })).status).toBe(403);
    const beyond = await legal.send('POST', '/api/auth/tokens', { name: '越权', permissions: ['org:person:edit'], expiresInDays: 30 });
    expect(beyond.status).toBe(400);
  });

  it('unauthenticated callers are refused', async () => {
    expect((await call(t.app, 'GET', '/api/enforcement/records')).status).toBe(401);
  });
});
