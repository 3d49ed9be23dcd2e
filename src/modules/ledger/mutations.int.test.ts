// Every mutating route of the app, driven once: each change leaves exactly its entries in the
// ledger, written by the same request (same request id) in the transaction of the change, and a
// change that fails leaves none. A new mutating route fails this test until it is listed here.
import fs from 'node:fs';
import os from 'node:os';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, loginAs, PASSWORD, testApp, uploadFile, type Client, type Response, type TestApp } from '../../../test/factories.ts';
import { finding, raise } from '../alerts/alerts.testing.ts';
import { lookupDetectionIdle } from '../lookups/detection.service.ts';

let t: TestApp;
let admin: Client;
let auditor: Client;
let legal: Client;

beforeAll(async () => {
  t = await testApp({ DATA_DIR: fs.mkdtempSync(`${os.tmpdir()}/clearlane-mut-`), LEDGER_ORIGIN: 'clearlane/mutations-test' });
  admin = await loginAs(t.app, 'admin');
  auditor = await loginAs(t.app, 'auditor');
  legal = await loginAs(t.app, 'legal');
});
afterAll(() => t.close());

async function maxSeq(): Promise<number> {
  const { rows } = await sql<{ n: number | null }>`SELECT max(seq) AS n FROM ledger_entries`.execute(t.database.db);
  return Number(rows[0]!.n ?? 0);
}

async function entriesAfter(seq: number) {
  const { rows } = await sql<{ action: string; request_id: string }>`SELECT action, request_id FROM ledger_entries WHERE seq > ${seq} ORDER BY seq`.execute(t.database.db);
  return rows;
}

const upload = (as: Client, filename: string, content: string) => uploadFile(t.app, as, '/api/org/personnel/import', filename, content);

describe('every mutating route writes exactly its ledger entries', () => {
  it('covers each route once', async () => {
    const state: Record<string, number | string> = {};
    const brigade = ((await admin.get('/api/org/units/tree')).body.items as Array<{ id: number; kind: string }>).find((u) => u.kind === 'brigade')!.id;
    let leaderSession = '';
    // Clients for the enforcement, catalogue and alert steps (legal's password changes below).
    const [legal2, inspector, officer] = await Promise.all([loginAs(t.app, 'legal'), loginAs(t.app, 'inspector'), loginAs(t.app, 'officer')]);
    const inspectorId = (await inspector.get('/api/auth/me')).body.account.accountId as number;
    const [alertId] = (await raise(t.database.db, [finding({ unitId: brigade })])).ids;
    const held = { externalId: 'MUT-1', kind: 'camera', plate: '苏A10001', vehicleType: 'smallPassenger', violationCode: '1625', occurredAt: new Date(Date.now() - 3_600_000).toISOString(), place: { road: '中山路' }, deviceId: 'SXJ-0001', fineYuan: 9999, evidence: [{ kind: 'photo', ref: 'a.jpg', sha256: 'a'.repeat(64) }] };
    const recordsCsv = `外部编号,记录类型,号牌号码,车辆类型,违法代码,违法时间,道路,设备编号,证据\nMUT-2,非现场,苏A10002,K33,1625,2026-11-20 08:00:00,中山路,SXJ-0001,photo|b.jpg|${'b'.repeat(64)}\n`;
    const catalogueCsv = '违法代码,违法行为,法律依据,罚款下限,罚款上限,默认罚款,记分,类别,首违警告,生效日期\n1039,机动车违反规定停放、临时停车，妨碍其它车辆、行人通行的,《道路交通安全法》第93条,20,200,150,0,停车,是,2022-04-01\n';
    // Look-ups that raise nothing: a known officer, office hours on three different weekdays (one
    // unjustified look-up a day stays under L-PURPOSE's threshold), the random sample made rare.
    // The rules run after each batch's answer; steps wait for them, so anything they raised would
    // show in that step's entries.
    const officerBadge = '050007';
    const lookupRow = (externalId: string, day: string) => ({ externalId, at: `${day}T10:00:00+08:00`, account: officerBadge, certificateId: 'CERT-050007', terminal: { id: 'PC-MUT-1', ip: '10.9.9.9' }, queryType: 'vehicle', subject: { plate: '苏A55501' } });
    const lookupsCsv = `外部编号,查询时间,查询账号,数字证书编号,终端编号,终端IP,查询类型,号牌号码,身份证号,姓名,查询事由类别,查询事由,关联编号,返回条数\nMUT-L-3,2026-11-18 10:00:00,${officerBadge},CERT-050007,PC-MUT-1,10.9.9.9,机动车信息,苏A55502,,,,,,1\n`;
    const rosterBadge = (await sql<{ badge_no: string }>`SELECT badge_no FROM personnel WHERE badge_no <> ${officerBadge} ORDER BY id LIMIT 1`.execute(t.database.db)).rows[0]!.badge_no;
    const rulesNow = async () => (await inspector.get('/api/lookups/rules')).body.params as Record<string, unknown>;
    expect((await inspector.send('POST', '/api/lookups/rules', { params: { ...(await rulesNow()), randomOneIn: 1_000_000 }, note: '账本测试：少抽查' })).status).toBe(200);
    const setupLookup = await inspector.send('POST', '/api/lookups/batch', { lookups: [lookupRow('MUT-L-1', '2026-11-16')] });
    await lookupDetectionIdle(t.database.db);
    const toEscalate = await inspector.send('POST', '/api/explanations', { lookupIds: [setupLookup.body.results[0].lookupId], question: '请说明查询事由' });
    expect(toEscalate.status).toBe(200);
    expect((await officer.send('POST', `/api/explanations/${toEscalate.body.id}/answer`, { answer: '记不清了' })).status).toBe(200);
    const afterDetection = async (res: Response) => {
      await lookupDetectionIdle(t.database.db);
      return res;
    };
    const steps: Array<{ route: string; run: () => Promise<Response>; expect: string[] }> = [
      { route: 'POST /api/auth/login', run: () => call(t.app, 'POST', '/api/auth/login', { body: { username: 'leader', password: PASSWORD } }), expect: ['auth.login.success'] },
      { route: 'POST /api/org/units', run: () => admin.send('POST', '/api/org/units', { parentId: brigade, name: '账本测试中队', kind: 'squadron' }), expect: ['org.unit.create'] },
      { route: 'PATCH /api/org/units/:id', run: () => admin.send('PATCH', `/api/org/units/${state.unit}`, { name: '账本测试二中队' }), expect: ['org.unit.update'] },
      { route: 'POST /api/org/units/:id/deactivate', run: () => admin.send('POST', `/api/org/units/${state.unit}/deactivate`), expect: ['org.unit.deactivate'] },
      { route: 'POST /api/org/units/:id/activate', run: () => admin.send('POST', `/api/org/units/${state.unit}/activate`), expect: ['org.unit.activate'] },
      { route: 'POST /api/org/personnel', run: () => admin.send('POST', '/api/org/personnel', { name: '账本测试', badgeNo: 'LDG0001', category: 'police', unitId: state.unit }), expect: ['org.person.create'] },
      { route: 'PATCH /api/org/personnel/:id', run: () => admin.send('PATCH', `/api/org/personnel/${state.person}`, { position: '民警' }), expect: ['org.person.update'] },
      {
        route: 'POST /api/org/personnel/import',
        run: () => upload(admin, '导入.csv', '姓名,警号,类别,所属单位,职务,手机号\r\n导入一,LDG0002,民警,二中队,,\r\n导入二,LDG0003,辅警,三中队,,\r\n'),
        expect: ['org.person.create', 'org.person.create', 'org.person.import'],
      },
      { route: 'POST /api/org/accounts', run: () => admin.send('POST', '/api/org/accounts', { username: 'ledger.test', personId: state.person, roles: ['officer'], password: 'Ledger@2026x' }), expect: ['org.account.create'] },
      { route: 'PATCH /api/org/accounts/:id', run: () => admin.send('PATCH', `/api/org/accounts/${state.account}`, { roles: ['officer', 'legal'] }), expect: ['org.account.update'] },
      { route: 'POST /api/org/accounts/:id/password', run: () => admin.send('POST', `/api/org/accounts/${state.account}/password`, { password: 'Ledger@2027x' }), expect: ['org.account.password.reset'] },
      { route: 'POST /api/org/accounts/:id/unlock', run: () => admin.send('POST', `/api/org/accounts/${state.account}/unlock`), expect: ['org.account.unlock'] },
      { route: 'POST /api/org/personnel/:id/status', run: () => admin.send('POST', `/api/org/personnel/${state.person}/status`, { status: 'suspended', reason: '测试' }), expect: ['org.person.status'] },
      { route: 'POST /api/org/roles', run: () => admin.send('POST', '/api/org/roles', { code: 'ledger_test', name: '账本测试角色', dataScope: 'all', permissions: ['org:unit:view'] }), expect: ['org.role.create'] },
      { route: 'PATCH /api/org/roles/:code', run: () => admin.send('PATCH', '/api/org/roles/ledger_test', { name: '账本测试角色二' }), expect: ['org.role.update'] },
      { route: 'POST /api/auth/tokens', run: () => admin.send('POST', '/api/auth/tokens', { name: '账本测试对接', permissions: ['org:unit:view'], expiresInDays: 30 }), expect: ['auth.token.create'] },
      { route: 'POST /api/auth/tokens/:id/revoke', run: () => admin.send('POST', `/api/auth/tokens/${state.token}/revoke`), expect: ['auth.token.revoke'] },
      { route: 'DELETE /api/auth/sessions/:id', run: () => admin.send('DELETE', `/api/auth/sessions/${leaderSession}`), expect: ['auth.session.end'] },
      { route: 'POST /api/enforcement/records/batch', run: () => legal2.send('POST', '/api/enforcement/records/batch', { records: [held] }), expect: ['enforcement.batch.ingest'] },
      { route: 'POST /api/enforcement/records/import', run: () => uploadFile(t.app, legal2, '/api/enforcement/records/import', 'records.csv', recordsCsv), expect: ['enforcement.batch.ingest'] },
      { route: 'POST /api/enforcement/records/:id/replay', run: () => legal2.send('POST', `/api/enforcement/records/${state.record}/replay`, { ruleSetVersion: 1 }), expect: [] },
      { route: 'POST /api/enforcement/review', run: () => legal2.send('POST', '/api/enforcement/review', { ids: [state.record], decision: 'voided', note: '金额录入错误' }), expect: ['enforcement.record.review'] },
      { route: 'POST /api/enforcement/detectors/run', run: () => legal2.send('POST', '/api/enforcement/detectors/run'), expect: [] },
      { route: 'POST /api/rules', run: async () => legal2.send('POST', '/api/rules', { params: (await legal2.get('/api/rules/current')).body.params, note: '账本测试' }), expect: ['rules.version.create'] },
      { route: 'POST /api/catalogue/import', run: () => uploadFile(t.app, legal2, '/api/catalogue/import', 'catalogue.csv', catalogueCsv), expect: ['catalogue.version.create'] },
      { route: 'POST /api/devices', run: () => legal2.send('POST', '/api/devices', { id: 'MUT-DEV-1', type: 'redLight', location: { road: '中山路' }, owningUnitId: brigade, allowedCodes: ['1039'], signage: { present: true }, status: { status: 'active', from: '2024-01-02', reason: '启用', documentNo: '启1号' }, basis: { documentNo: '登1号' } }), expect: ['device.create'] },
      { route: 'PATCH /api/devices/:id', run: () => legal2.send('PATCH', '/api/devices/MUT-DEV-1', { signage: { present: true, distanceM: 80 }, basis: { documentNo: '改1号' } }), expect: ['device.update'] },
      { route: 'POST /api/devices/:id/status', run: () => legal2.send('POST', '/api/devices/MUT-DEV-1/status', { status: 'suspended', from: '2024-02-01', reason: '维修', documentNo: '停1号' }), expect: ['device.status'] },
      { route: 'POST /api/devices/import', run: () => uploadFile(t.app, legal2, '/api/devices/import?documentNo=导1号', 'devices.csv', '设备编号,设备类型,道路,管理单位,准许抓拍违法代码,警示标志,状态,状态生效日期,状态原因\nMUT-DEV-2,违停抓拍,湖南路,一中队,1039,是,启用,2024-01-02,启用\n'), expect: ['device.import'] },
      { route: 'POST /api/devices/detectors/run', run: () => legal2.send('POST', '/api/devices/detectors/run'), expect: [] },
      { route: 'POST /api/lookups/rules', run: async () => inspector.send('POST', '/api/lookups/rules', { params: await rulesNow(), note: '账本测试' }), expect: ['lookups.rules.version.create'] },
      { route: 'POST /api/lookups/batch', run: async () => afterDetection(await inspector.send('POST', '/api/lookups/batch', { lookups: [lookupRow('MUT-L-2', '2026-11-17')] })), expect: ['lookup.batch.ingest'] },
      { route: 'POST /api/lookups/import', run: async () => afterDetection(await uploadFile(t.app, inspector, '/api/lookups/import', 'lookups.csv', lookupsCsv)), expect: ['lookup.batch.ingest'] },
      { route: 'POST /api/lookups/roster/import', run: () => uploadFile(t.app, inspector, '/api/lookups/roster/import', 'roster.csv', `警号,开始时间,结束时间,类型\n${rosterBadge},2026-11-20 08:00,2026-11-20 20:00,值班\n`), expect: ['lookup.roster.import'] },
      { route: 'POST /api/lookups/detection/run', run: () => inspector.send('POST', '/api/lookups/detection/run', {}), expect: [] },
      { route: 'POST /api/lookups/watchlist', run: () => inspector.send('POST', '/api/lookups/watchlist', { subject: { plate: '苏A55599' }, category: 'journalist', reason: '账本测试' }), expect: ['lookup.watch.add'] },
      { route: 'PATCH /api/lookups/watchlist/:id', run: () => inspector.send('PATCH', `/api/lookups/watchlist/${state.watch}`, { active: false }), expect: ['lookup.watch.update'] },
      { route: 'POST /api/lookups/personnel-subjects', run: () => inspector.send('POST', '/api/lookups/personnel-subjects', { items: [{ personId: state.person, relation: 'self', plate: '苏A55598' }] }), expect: ['lookups.personnel_subjects.add'] },
      {
        route: 'POST /api/lookups/personnel-subjects/:id/remove',
        run: async () => {
          const [entry] = (await inspector.get(`/api/lookups/personnel-subjects?personId=${state.person}`)).body.items as Array<{ id: number }>;
          return inspector.send('POST', `/api/lookups/personnel-subjects/${entry!.id}/remove`, { reason: '账本测试：登记错误' });
        },
        expect: ['lookups.personnel_subjects.remove'],
      },
      { route: 'POST /api/explanations', run: () => inspector.send('POST', '/api/explanations', { lookupIds: [state.lookup], question: '请说明查询事由' }), expect: ['lookup.explanation.request'] },
      { route: 'POST /api/explanations/:id/answer', run: () => officer.send('POST', `/api/explanations/${state.explanation}/answer`, { answer: '路面检查时核对车辆信息' }), expect: ['lookup.explanation.answer'] },
      { route: 'POST /api/explanations/:id/accept', run: () => inspector.send('POST', `/api/explanations/${state.explanation}/accept`, {}), expect: ['lookup.explanation.accept'] },
      { route: 'POST /api/explanations/:id/escalate', run: () => inspector.send('POST', `/api/explanations/${toEscalate.body.id}/escalate`, { note: '说明不成立' }), expect: ['lookup.explanation.escalate'] },
      { route: 'POST /api/alerts/:id/assign', run: () => inspector.send('POST', `/api/alerts/${alertId}/assign`, { accountId: inspectorId }), expect: ['alert.assign'] },
      { route: 'POST /api/alerts/:id/acknowledge', run: () => inspector.send('POST', `/api/alerts/${alertId}/acknowledge`), expect: ['alert.acknowledge'] },
      { route: 'POST /api/alerts/:id/resolve', run: () => inspector.send('POST', `/api/alerts/${alertId}/resolve`), expect: ['alert.resolve'] },
      { route: 'POST /api/alerts/:id/reopen', run: () => inspector.send('POST', `/api/alerts/${alertId}/reopen`), expect: ['alert.reopen'] },
      { route: 'POST /api/alerts/:id/dismiss', run: () => inspector.send('POST', `/api/alerts/${alertId}/dismiss`, { reason: '误报' }), expect: ['alert.dismiss'] },
      { route: 'POST /api/alerts/:id/verdict', run: () => inspector.send('POST', `/api/alerts/${alertId}/verdict`, { verdict: 'disagree' }), expect: ['alert.verdict'] },
      { route: 'POST /api/auth/password', run: () => legal.send('POST', '/api/auth/password', { oldPassword: PASSWORD, newPassword: 'Another@2026x' }), expect: ['auth.password.change'] },
      { route: 'POST /api/auth/logout', run: () => legal.send('POST', '/api/auth/logout'), expect: ['auth.session.end'] },
      { route: 'POST /api/ledger/checkpoints', run: () => auditor.send('POST', '/api/ledger/checkpoints'), expect: ['ledger.checkpoint.create'] },
      { route: 'POST /api/ledger/verify', run: () => auditor.send('POST', '/api/ledger/verify', {}), expect: ['ledger.verify'] },
    ];

    const mutating = t.routes.filter((r) => !['GET', 'HEAD', 'OPTIONS'].includes(r.method)).map((r) => `${r.method} ${r.url}`);
    expect(steps.map((s) => s.route).sort()).toEqual([...mutating].sort());

    for (const step of steps) {
      const before = await maxSeq();
      const res = await step.run();
      expect(res.status, `${step.route}: ${JSON.stringify(res.body)}`).toBe(200);
      const written = await entriesAfter(before);
      expect(written.map((e) => e.action), step.route).toEqual(step.expect);
      // Steps that change nothing (a replay, a detector run on clean data) write nothing.
      if (step.expect.length > 0) expect(new Set(written.map((e) => e.request_id)), step.route).toEqual(new Set([String(res.headers['x-request-id'])]));
      // Ids the next steps need.
      if (step.route === 'POST /api/org/units') state.unit = res.body.id;
      if (step.route === 'POST /api/org/personnel') state.person = res.body.id;
      if (step.route === 'POST /api/org/accounts') state.account = res.body.id;
      if (step.route === 'POST /api/auth/tokens') state.token = res.body.token.id;
      if (step.route === 'POST /api/enforcement/records/batch') state.record = res.body.results[0].recordId;
      if (step.route === 'POST /api/lookups/batch') state.lookup = res.body.results[0].lookupId;
      if (step.route === 'POST /api/lookups/watchlist') state.watch = res.body.id;
      if (step.route === 'POST /api/explanations') state.explanation = res.body.id;
      if (step.route === 'POST /api/auth/login') {
        const sessions = (await admin.get('/api/auth/sessions?username=leader')).body.items as Array<{ id: string }>;
        leaderSession = sessions[0]!.id;
      }
    }
    const verified = await auditor.send('POST', '/api/ledger/verify', {});
    expect(verified.body).toMatchObject({ ok: true, problem: null });
  });

  it('a change that fails leaves no entry', async () => {
    const brigade = ((await admin.get('/api/org/units/tree')).body.items as Array<{ id: number; kind: string }>).find((u) => u.kind === 'brigade')!.id;
    const before = await maxSeq();
    const dup = await admin.send('POST', '/api/org/units', { parentId: brigade, name: '一中队', kind: 'squadron' });
    expect(dup.status).toBe(409);
    const bad = await admin.send('POST', '/api/org/accounts', { username: 'ledger.test', personId: 1, roles: ['officer'], password: 'Ledger@2026x' });
    expect(bad.status).toBeGreaterThanOrEqual(400);
    expect(await entriesAfter(before)).toEqual([]);
  });
});
