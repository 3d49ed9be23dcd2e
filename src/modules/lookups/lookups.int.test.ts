// The look-up audit end to end over HTTP: intake (idempotent, per-row errors, purpose binding,
// subjects hashed and encrypted), the reads in data scope, the ledgered unmasked views, the
// watch list, the roster and look-up imports, and explanation requests through to the alert.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, loginAs, testApp, uploadFile, type Client, type TestApp } from '../../../test/factories.ts';
import { raise, finding } from '../alerts/alerts.testing.ts';
import { writeTable } from '../../platform/sheets/write.ts';
import { bootstrapContext } from '../../platform/bootstrap.ts';
import { lookupDetectionIdle } from './detection.service.ts';
import { rebindLookupsForRecords } from './rebind.service.ts';
import { summaryMismatches } from './summaries.ts';
import { ROSTER_SHEET } from './roster.service.ts';

const MIN = 60_000;
/** Waits for what runs after a commit without being awaited (at most 10 s). */
async function until(done: () => Promise<boolean>): Promise<void> {
  for (const started = Date.now(); !(await done()); ) {
    if (Date.now() - started > 10_000) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const base = Date.now() - 3 * DAY;

function lookup(externalId: string, over: Record<string, unknown> = {}) {
  return {
    externalId,
    at: iso(base + 5 * MIN),
    account: '050007',
    certificateId: 'CERT-050007',
    terminal: { id: 'PC-SQ1-01', ip: '10.1.2.3' },
    queryType: 'vehicle',
    subject: { plate: '苏A77777' },
    purpose: { category: '路面检查', text: '现场检查' },
    caseRef: 'ENF-1',
    resultCount: 1,
    ...over,
  };
}

/** An on-site stop by the officer 050007, as the enforcement batch API takes it. */
function onSiteStop(externalId: string, plate: string, at: number, km: number) {
  return {
    externalId,
    kind: 'onSite',
    plate,
    vehicleType: 'smallPassenger',
    violationCode: '1625',
    occurredAt: iso(at),
    place: { road: '北京东路', km },
    decidingOfficer: '050007',
    procedure: 'simple',
    party: 'motorVehicleDriver',
    fineYuan: 200,
    points: 6,
    payment: { method: 'online' },
    evidence: [{ kind: 'bodyCam', ref: `BC-${km}.mp4` }],
  };
}

describe('look-up audit', () => {
  let t: TestApp;
  let inspector: Client;
  let legal: Client;
  let officer: Client;
  let squadLeader: Client;
  let officerId: number;
  let otherSquadBadge: string;
  const batch = (lookups: unknown[], as: Client = inspector) => as.send('POST', '/api/lookups/batch', { lookups });
  const ledger = async (action: string) =>
    (await sql<{ subject_id: string; payload: unknown }>`SELECT subject_id, payload FROM ledger_entry_view WHERE action = ${action} ORDER BY seq`.execute(t.database.db)).rows;

  beforeAll(async () => {
    t = await testApp();
    [inspector, legal, officer, squadLeader] = await Promise.all([loginAs(t.app, 'inspector'), loginAs(t.app, 'legal'), loginAs(t.app, 'officer'), loginAs(t.app, 'squadron_leader')]);
    const people = await sql<{ id: number; badge_no: string; unit_id: number }>`SELECT id, badge_no, unit_id FROM personnel`.execute(t.database.db);
    const me = people.rows.find((p) => p.badge_no === '050007')!;
    officerId = me.id;
    otherSquadBadge = people.rows.find((p) => p.unit_id !== me.unit_id && /^05\d{4}$/.test(p.badge_no) && p.badge_no > '050010')!.badge_no;
    // the officer's on-site stop the first look-ups name as their purpose
    const enf = await legal.send('POST', '/api/enforcement/records/batch', {
      records: [onSiteStop('ENF-1', '苏A77777', base, 1)],
    });
    expect(enf.status).toBe(200);
  });
  afterAll(async () => {
    await lookupDetectionIdle(t.database.db);
    await t.close();
  });

  it('takes a batch: purpose binding per row, per-row errors, repeats and re-sends create nothing', async () => {
    const res = await batch([
      lookup('L-1'),
      lookup('L-2', { purpose: undefined, caseRef: undefined, subject: { plate: '苏A88888', idNumber: '320102199001012345', name: '张三' } }),
      lookup('L-3', { account: 'NOBODY01', terminalUnit: '一中队' }),
      lookup('L-4', { subject: {}, terminal: { id: 'X', ip: '999.1.1.1' }, queryType: 'gps' }),
      lookup('L-1'),
      lookup('L-5', { queryType: 'locationTrack' }),
    ]);
    expect(res.status).toBe(200);
    const [ok, noPurpose, unknown, bad, repeat, notAllowed] = res.body.results;
    // a sender learns its row's fate and stored id, never the purpose verdict or the person matched
    expect(ok).toEqual({ externalId: 'L-1', status: 'created', lookupId: expect.any(Number) });
    expect(noPurpose).toEqual({ externalId: 'L-2', status: 'created', lookupId: expect.any(Number) });
    expect(unknown).toEqual({ externalId: 'L-3', status: 'created', lookupId: expect.any(Number) });
    expect(bad).toMatchObject({ externalId: 'L-4', status: 'rejected' });
    expect(Object.keys(bad).sort()).toEqual(['errors', 'externalId', 'status']);
    expect(bad.errors.map((e: { path: string }) => e.path).sort()).toEqual(['queryType', 'subject', 'terminal.ip']);
    expect(bad.errors.every((e: { message: string }) => /[\u4e00-\u9fa5]/.test(e.message))).toBe(true);
    expect(repeat).toEqual({ externalId: 'L-1', status: 'duplicate', lookupId: ok.lookupId });
    expect(notAllowed).toEqual({ externalId: 'L-5', status: 'created', lookupId: expect.any(Number) });
    // the verdicts are stored, for inspectors
    const verdicts = await sql<{ external_id: string; justified: boolean; reason: string; person_id: number | null }>`
      SELECT external_id, justified, justification->>'reason' AS reason, person_id FROM lookups ORDER BY id`.execute(t.database.db);
    expect(verdicts.rows).toEqual([
      { external_id: 'L-1', justified: true, reason: 'stop', person_id: officerId },
      { external_id: 'L-2', justified: false, reason: 'noPurpose', person_id: officerId },
      { external_id: 'L-3', justified: false, reason: 'unknownAccount', person_id: null },
      { external_id: 'L-5', justified: false, reason: 'categoryNotAllowed', person_id: officerId },
    ]);

    const again = await batch([lookup('L-1'), lookup('L-2')]);
    expect(again.body.results).toEqual([
      { externalId: 'L-1', status: 'duplicate', lookupId: ok.lookupId },
      { externalId: 'L-2', status: 'duplicate', lookupId: noPurpose.lookupId },
    ]);

    const stored = await sql<{ external_id: string; unit_id: number | null; terminal_unit_id: number | null; subject_enc: string; subject_masked: unknown; subject_sex: string | null; subject_plate_hash: string }>`
      SELECT external_id, unit_id, terminal_unit_id, subject_enc, subject_masked, subject_sex, subject_plate_hash FROM lookups ORDER BY id`.execute(t.database.db);
    expect(stored.rows.map((r) => r.external_id)).toEqual(['L-1', 'L-2', 'L-3', 'L-5']);
    const l2 = stored.rows[1]!;
    expect(l2.subject_enc).not.toContain('苏A88888');
    expect(JSON.stringify(l2)).not.toContain('320102199001012345');
    expect(JSON.stringify(l2)).not.toContain('张三');
    expect(typeof l2.subject_masked === 'string' ? JSON.parse(l2.subject_masked) : l2.subject_masked).toEqual({ plate: '苏A***88', idNumber: '3201**********2345', name: '张*' });
    expect(l2.subject_sex).toBe('F'); // 17th digit 4: even
    // an account matching nobody belongs to the terminal's unit
    expect(stored.rows[2]!.unit_id).not.toBeNull();
    expect(stored.rows[2]!.unit_id).toBe(stored.rows[2]!.terminal_unit_id);
    // one ledger entry per batch that stored anything, with a digest
    const entries = await ledger('lookup.batch.ingest');
    expect(entries).toHaveLength(1);
    expect(entries[0]!.payload).toMatchObject({ count: 4, duplicates: 1, rejected: 1 });
    // after the answer, the detection rules ran for what the batch touched
    await lookupDetectionIdle(t.database.db);
    const rules = await sql<{ rule: string; evidence: unknown }>`SELECT rule, evidence FROM alerts WHERE source = 'lookups'`.execute(t.database.db);
    const unknownAlert = rules.rows.find((r) => r.rule === 'L-UNKNOWN');
    expect(unknownAlert).toBeDefined();
    expect(JSON.stringify(unknownAlert!.evidence)).toContain(String(unknown.lookupId));
  });

  it('documents its routes in the OpenAPI document', async () => {
    const doc = await inspector.get('/api/openapi.json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/lookups/batch', '/api/lookups/subject', '/api/lookups/watchlist', '/api/explanations/{id}/answer']));
  });

  it('refuses look-up intake without lookup:ingest, and an oversized batch', async () => {
    expect((await batch([lookup('L-X')], officer)).status).toBe(403);
    const big = await batch(Array.from({ length: 10_001 }, (_, i) => ({ externalId: `B-${i}` })));
    expect(big.status).toBe(400);
  });

  it('takes batches from an API token granted lookup:ingest', async () => {
    const admin = await loginAs(t.app, 'admin');
    const created = await admin.send('POST', '/api/auth/tokens', { name: '交管系统查询日志', permissions: ['lookup:ingest'], expiresInDays: 30 });
    expect(created.status).toBe(200);
    const res = await call(t.app, 'POST', '/api/lookups/batch', { headers: { authorization: `Bearer ${created.body.secret}` }, body: { lookups: [lookup('T-1', { account: otherSquadBadge, caseRef: undefined })] } });
    expect(res.status).toBe(200);
    expect(res.body.results[0]).toEqual({ externalId: 'T-1', status: 'created', lookupId: expect.any(Number) });
    // nor does a file import tell a feed the verdicts (a one-row file would tell a row's)
    const boundary = '----clearlanetokenimport';
    const csv = ['外部编号,查询时间,查询账号,数字证书编号,终端编号,终端IP,查询类型,号牌号码,身份证号,姓名,查询事由类别,查询事由,关联编号,返回条数', 'T-1,2026-10-01 09:03:00,050007,CERT-050007,PC-1,10.0.0.1,机动车信息,苏A12345,,,,,,'].join('\n');
    const imported = await t.app.inject({
      method: 'POST',
      url: '/api/lookups/import',
      headers: { authorization: `Bearer ${created.body.secret}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="l.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`),
    });
    expect(imported.statusCode).toBe(200);
    expect(imported.json()).toEqual({ total: 1, created: 0, duplicates: 1, rejected: 0, errors: [], errorsTruncated: false });
  });

  it('lists look-ups masked, in data scope; detail carries the purpose-binding facts', async () => {
    const all = await inspector.get('/api/lookups?pageSize=100');
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(5);
    const l2 = all.body.items.find((i: { externalId: string }) => i.externalId === 'L-2');
    expect(l2.subject).toEqual({ plate: '苏A***88', idNumber: '3201**********2345', name: '张*' });
    expect(l2.justificationReason).toBe('未填写查询事由');
    // the squadron leader sees their squadron only: not the other squadron's look-up
    const squad = await squadLeader.get('/api/lookups?pageSize=100');
    expect(squad.status).toBe(200);
    expect(squad.body.items.map((i: { externalId: string }) => i.externalId)).not.toContain('T-1');
    expect(squad.body.items.map((i: { externalId: string }) => i.externalId)).toContain('L-1');
    const unjustified = await inspector.get('/api/lookups?justified=false&unknown=false');
    expect(unjustified.body.items.map((i: { externalId: string }) => i.externalId).sort()).toEqual(['L-2', 'L-5', 'T-1']);

    const detail = await inspector.get(`/api/lookups/${all.body.items.find((i: { externalId: string }) => i.externalId === 'L-1').id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.justification).toMatchObject({ rule: 'L-PURPOSE-BINDING', justified: true, reason: 'stop', role: 'decider', subjectMatches: true, paramsVersion: 1 });
    expect(detail.body.justification.basis).toContain('个人信息保护法');
    const other = (await inspector.get('/api/lookups?account=' + otherSquadBadge)).body.items[0];
    expect((await squadLeader.get(`/api/lookups/${other.id}`)).status).toBe(404);
  });

  it('reveals a subject only with lookup:pii, and ledgers the read first', async () => {
    const l2 = (await inspector.get('/api/lookups?justified=false&queryType=vehicle&pageSize=100')).body.items.find((i: { externalId: string }) => i.externalId === 'L-2');
    const full = await inspector.get(`/api/lookups/${l2.id}/subject`);
    expect(full.status).toBe(200);
    expect(full.body).toEqual({ plate: '苏A88888', idNumber: '320102199001012345', name: '张三' });
    const reads = await ledger('lookup.subject.pii.read');
    expect(reads.map((r) => r.subject_id)).toContain(String(l2.id));
    expect((await squadLeader.get(`/api/lookups/${l2.id}/subject`)).status).toBe(403);
  });

  it('the subject view finds who looked a plate or person up, by hash; inspectors only; the search is ledgered', async () => {
    const byPlate = await inspector.get(`/api/lookups/subject?plate=${encodeURIComponent('苏a-77777')}`);
    expect(byPlate.status).toBe(200);
    expect(byPlate.body.subject.plate).toBe('苏A***77');
    expect(byPlate.body.items.map((i: { externalId: string }) => i.externalId).sort()).toEqual(['L-1', 'L-3', 'L-5', 'T-1']);
    expect(byPlate.body.people.find((p: { account: string }) => p.account === '050007')).toMatchObject({ count: 2, justified: 1 });
    const byId = await inspector.get('/api/lookups/subject?idNumber=320102199001012345');
    expect(byId.body.items.map((i: { externalId: string }) => i.externalId)).toEqual(['L-2']);
    expect((await inspector.get('/api/lookups/subject')).status).toBe(400);
    expect((await squadLeader.get(`/api/lookups/subject?plate=${encodeURIComponent('苏A77777')}`)).status).toBe(403);
    const searches = await ledger('lookup.subject.search');
    expect(searches.length).toBe(2);
    expect(JSON.stringify(searches)).not.toContain('320102199001012345');
  });

  it('overview and profile aggregate in scope', async () => {
    const o = await inspector.get(`/api/lookups/overview?from=${encodeURIComponent(iso(base - DAY))}&to=${encodeURIComponent(iso(Date.now()))}`);
    expect(o.status).toBe(200);
    expect(o.body).toMatchObject({ total: 5, unjustified: 4, unknownAccounts: 1 });
    expect(o.body.unjustifiedShare).toBeCloseTo(0.8);
    expect(o.body.perDay.reduce((n: number, d: { total: number }) => n + d.total, 0)).toBe(5);
    expect(o.body.byQueryType).toEqual([
      { queryType: 'vehicle', total: 4, unjustified: 3 },
      { queryType: 'locationTrack', total: 1, unjustified: 1 },
    ]);
    const p = await inspector.get(`/api/lookups/profile/${officerId}?from=${encodeURIComponent(iso(base - DAY))}`);
    expect(p.status).toBe(200);
    expect(p.body).toMatchObject({ total: 3, justified: 1, person: { badgeNo: '050007' } });
    expect(p.body.heatmap.reduce((n: number, c: { count: number }) => n + c.count, 0)).toBe(3);
    expect(p.body.repeatedSubjects[0]).toMatchObject({ count: 2, subject: { plate: '苏A***77' } });
    expect(p.body.byQueryType).toEqual([{ queryType: 'vehicle', count: 2 }, { queryType: 'locationTrack', count: 1 }]);
    expect((await officer.get(`/api/lookups/profile/${officerId}`)).status).toBe(403);
  });

  it('keeps a watch list: add, list masked, the subject view flags it, edit and disable, all ledgered', async () => {
    const add = await inspector.send('POST', '/api/lookups/watchlist', { subject: { plate: '苏A88888' }, category: 'journalist', reason: '报社记者', againstPersonIds: [officerId] });
    expect(add.status).toBe(200);
    expect(add.body).toMatchObject({ subject: { plate: '苏A***88' }, category: 'journalist', active: true, against: [{ personId: officerId, badgeNo: '050007' }] });
    expect((await inspector.send('POST', '/api/lookups/watchlist', { subject: {}, category: 'x', reason: '' })).status).toBe(400);
    expect((await inspector.send('POST', '/api/lookups/watchlist', { subject: { plate: '苏A88888' }, category: 'other', reason: 'x', againstPersonIds: [999999] })).status).toBe(400);
    const view = await inspector.get(`/api/lookups/subject?plate=${encodeURIComponent('苏A88888')}`);
    expect(view.body.watched).toBe(true);
    const off = await inspector.send('PATCH', `/api/lookups/watchlist/${add.body.id}`, { active: false });
    expect(off.body.active).toBe(false);
    expect((await inspector.get('/api/lookups/watchlist?active=true')).body.items).toHaveLength(0);
    expect((await inspector.get(`/api/lookups/watchlist/${add.body.id}/subject`)).body.plate).toBe('苏A88888');
    expect((await ledger('lookup.watch.add')).length).toBe(1);
    expect((await ledger('lookup.watch.update')).length).toBe(1);
    expect((await ledger('lookup.watch.pii.read')).length).toBe(1);
    expect((await squadLeader.get('/api/lookups/watchlist')).status).toBe(403);
  });

  it('imports a duty roster with a per-row report; a re-import adds nothing', async () => {
    const csv = ['警号,开始时间,结束时间,类型', '050007,2026-10-01 08:00,2026-10-01 20:00,值班', '050007,2026-10-02,2026-10-03,请假', 'ZZ9999,2026-10-01,2026-10-01,值班', '050007,2026-10-05 10:00,2026-10-05 09:00,出差'].join('\n');
    const r = await uploadFile(t.app, inspector, '/api/lookups/roster/import', 'roster.csv', csv);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ total: 4, created: 2, unchanged: 0, rejected: 2 });
    expect(r.body.errors.map((e: { row: number; field: string }) => [e.row, e.field])).toEqual([[4, '警号'], [5, '结束时间'], [5, '类型']]);
    const again = await uploadFile(t.app, inspector, '/api/lookups/roster/import', 'roster.csv', csv);
    expect(again.body).toMatchObject({ created: 0, unchanged: 2 });
    const list = await inspector.get(`/api/lookups/roster?personId=${officerId}`);
    expect(list.body.items.map((i: { kind: string; startsAt: string; endsAt: string }) => [i.kind, i.startsAt, i.endsAt])).toEqual([
      ['leave', '2026-10-01T16:00:00.000Z', '2026-10-03T16:00:00.000Z'],
      ['onDuty', '2026-10-01T00:00:00.000Z', '2026-10-01T12:00:00.000Z'],
    ]);
    // the same from an Excel file (Excel dates and times are read as Beijing wall clock)
    const xlsx = await writeTable(ROSTER_SHEET, [{ badgeNo: '050007', from: '2026-10-07 08:00', to: '2026-10-07 18:00', kind: '值班' }, { badgeNo: '050007', from: '2026-10-08', to: '', kind: '请假' }], 'xlsx');
    const x = await uploadFile(t.app, inspector, '/api/lookups/roster/import', 'roster.xlsx', xlsx);
    expect(x.status).toBe(200);
    expect(x.body).toMatchObject({ total: 2, created: 1, rejected: 1, errors: [{ row: 3, field: '结束时间', message: '结束时间不能为空' }] });
    const tpl = await inspector.get('/api/lookups/roster/template?format=csv');
    expect(tpl.status).toBe(200);
    expect(String(tpl.raw)).toContain('警号');
  });

  it('imports a look-up file through the batch path, rows reported by number', async () => {
    const csv = [
      '外部编号,查询时间,查询账号,数字证书编号,终端编号,终端IP,查询类型,号牌号码,身份证号,姓名,查询事由类别,查询事由,关联编号,返回条数',
      `F-1,2026-10-01 09:00:00,050007,CERT-050007,PC-1,10.0.0.1,机动车信息,苏A12345,,,路面检查,,,1`,
      `F-2,2026-10-01 09:01:00,050007,CERT-050007,PC-1,10.0.0.1,轨迹/卡口照片,,,,,,,`,
      `F-3,2026-10-01 09:02:00,050007,CERT-050007,PC-1,10.0.0.1,机动车信息,苏A12346,,,随便,,,`,
      `L-1,2026-10-01 09:03:00,050007,CERT-050007,PC-1,10.0.0.1,机动车信息,苏A12345,,,,,,`,
    ].join('\n');
    const r = await uploadFile(t.app, inspector, '/api/lookups/import', 'lookups.csv', csv);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ total: 4, created: 1, duplicates: 1, rejected: 2, unjustified: 1 });
    expect(r.body.errors.map((e: { row: number; field: string }) => [e.row, e.field])).toEqual([[3, '查询对象'], [4, '查询事由类别']]);
    const tpl = await inspector.get('/api/lookups/template?format=xlsx');
    expect(tpl.status).toBe(200);
    expect(tpl.raw.subarray(0, 2).toString()).toBe('PK');
  });

  describe('explanation requests', () => {
    let l5: number;
    beforeAll(async () => {
      l5 = (await inspector.get('/api/lookups?queryType=locationTrack')).body.items[0].id;
    });

    it('an inspector asks, the officer answers in 我的说明, the inspector accepts', async () => {
      const asked = await inspector.send('POST', '/api/explanations', { lookupIds: [l5], question: '请说明查询该车辆轨迹的事由' });
      expect(asked.status).toBe(200);
      expect(asked.body).toMatchObject({ status: 'requested', personId: officerId, badgeNo: '050007', overdue: false, lookupIds: [l5] });
      expect(Date.parse(asked.body.deadline)).toBeGreaterThan(Date.now() + DAY);
      expect(asked.body.lookups[0].subject.plate).toBe('苏A***77');

      const mine = await officer.get('/api/explanations/mine');
      expect(mine.status).toBe(200);
      expect(mine.body.items.map((i: { id: number }) => i.id)).toEqual([asked.body.id]);
      expect((await officer.get('/api/explanations')).status).toBe(403);
      // someone else cannot answer it
      const aux = await loginAs(t.app, 'auxiliary');
      expect((await aux.send('POST', `/api/explanations/${asked.body.id}/answer`, { answer: '不是我' })).status).toBe(404);
      expect((await inspector.send('POST', `/api/explanations/${asked.body.id}/accept`, {})).status).toBe(409);

      const answered = await officer.send('POST', `/api/explanations/${asked.body.id}/answer`, { answer: '协助刑侦大队查找肇事逃逸车辆' });
      expect(answered.body).toMatchObject({ status: 'answered', answer: '协助刑侦大队查找肇事逃逸车辆' });
      expect((await officer.send('POST', `/api/explanations/${asked.body.id}/answer`, { answer: '再答一次' })).status).toBe(409);
      const accepted = await inspector.send('POST', `/api/explanations/${asked.body.id}/accept`, { note: '已核实' });
      expect(accepted.body).toMatchObject({ status: 'accepted', decisionNote: '已核实' });
      const actions = (await sql<{ action: string }>`SELECT action FROM ledger_entry_view WHERE subject_type = 'explanation_request' ORDER BY seq`.execute(t.database.db)).rows.map((r) => r.action);
      expect(actions).toEqual(['lookup.explanation.request', 'lookup.explanation.answer', 'lookup.explanation.accept']);
      expect((await inspector.get(`/api/lookups/${l5}`)).body.explanationIds).toEqual([asked.body.id]);
    });

    it('no inspector works a request about their own look-ups', async () => {
      const me = (await inspector.get('/api/auth/me')).body.account as { personId: number };
      const badge = (await sql<{ badge_no: string }>`SELECT badge_no FROM personnel WHERE id = ${me.personId}`.execute(t.database.db)).rows[0]!.badge_no;
      const own = await batch([lookup('L-OWN-1', { account: badge, certificateId: `CERT-${badge}`, purpose: undefined, caseRef: undefined })]);
      const ownId = own.body.results[0].lookupId as number;
      const refused = await inspector.send('POST', '/api/explanations', { lookupIds: [ownId], question: '请说明' });
      expect(refused.status).toBe(403);
      expect(refused.body.message).toContain('本人');
    });

    it('from an alert: its look-ups go to its person; accepting resolves the alert, escalating keeps it open and marks it', async () => {
      const unitId = (await sql<{ unit_id: number }>`SELECT unit_id FROM personnel WHERE id = ${officerId}`.execute(t.database.db)).rows[0]!.unit_id;
      const [a1, a2] = (
        await raise(t.database.db, [
          finding({ source: 'lookups', rule: 'L-BULK', subjectType: 'person', subjectId: '050007', personId: officerId, unitId, evidence: [{ lookupId: l5, plate: '苏A***77' }] }),
          finding({ source: 'lookups', rule: 'L-PURPOSE', subjectType: 'person', subjectId: '050007', personId: officerId, unitId, evidence: [{ lookupId: l5 }] }),
        ])
      ).ids;
      const e1 = await inspector.send('POST', '/api/explanations', { alertId: a1, question: '请说明短时间内大量查询的原因' });
      expect(e1.status).toBe(200);
      expect(e1.body).toMatchObject({ alertId: a1, alertRule: 'L-BULK', lookupIds: [l5] });
      expect((await inspector.get(`/api/alerts/${a1}`)).body.status).toBe('acknowledged');
      expect((await inspector.send('POST', '/api/explanations', { alertId: a1, question: '再问' })).status).toBe(409);
      await officer.send('POST', `/api/explanations/${e1.body.id}/answer`, { answer: '批量核查套牌车' });
      await inspector.send('POST', `/api/explanations/${e1.body.id}/accept`, {});
      expect((await inspector.get(`/api/alerts/${a1}`)).body.status).toBe('resolved');

      const e2 = await inspector.send('POST', '/api/explanations', { alertId: a2, question: '请说明事由', deadline: iso(Date.now() + DAY) });
      expect((await inspector.send('POST', `/api/explanations/${e2.body.id}/escalate`, { note: '未答复' })).status).toBe(409);
      await officer.send('POST', `/api/explanations/${e2.body.id}/answer`, { answer: '记不清了' });
      expect((await inspector.send('POST', `/api/explanations/${e2.body.id}/escalate`, {})).status).toBe(400);
      const esc = await inspector.send('POST', `/api/explanations/${e2.body.id}/escalate`, { note: '说明不成立' });
      expect(esc.body.status).toBe('escalated');
      const alert = (await inspector.get(`/api/alerts/${a2}`)).body;
      expect(alert).toMatchObject({ status: 'acknowledged', escalated: true });
      expect(alert.events.map((e: { action: string }) => e.action)).toContain('escalate');
    });

    it('flags overdue requests and lists them', async () => {
      const asked = await inspector.send('POST', '/api/explanations', { lookupIds: [l5], question: '请说明' });
      await sql`UPDATE explanation_requests SET deadline = now() - interval '1 hour' WHERE id = ${asked.body.id}`.execute(t.database.db);
      const overdue = await inspector.get('/api/explanations?overdue=true');
      expect(overdue.body.items.map((i: { id: number; overdue: boolean }) => [i.id, i.overdue])).toEqual([[asked.body.id, true]]);
      expect((await inspector.get(`/api/lookups/overview`)).body.overdueExplanations).toBe(1);
      // unanswered past the deadline may be escalated
      expect((await inspector.send('POST', `/api/explanations/${asked.body.id}/escalate`, { note: '逾期未答复' })).body).toMatchObject({ status: 'escalated', overdue: true });
      // a look-up of an unknown account cannot be sent to anyone
      const unknown = (await inspector.get('/api/lookups?unknown=true')).body.items[0];
      expect((await inspector.send('POST', '/api/explanations', { lookupIds: [unknown.id], question: '?' })).status).toBe(400);
    });
  });

  describe('a record that arrives after the look-ups citing it', () => {
    const at = base + DAY;
    const late = (externalId: string, minutes: number) =>
      lookup(externalId, { at: iso(at + minutes * MIN), caseRef: 'ENF-LATE', subject: { plate: '苏A66666' }, purpose: { category: '案件办理', text: '核查' }, queryType: 'locationTrack', resultCount: 4 });
    const record = (externalId: string) => onSiteStop(externalId, '苏A66666', at, 2);
    const verdicts = async () =>
      (await sql<{ external_id: string; justified: boolean; reason: string }>`
        SELECT external_id, justified, justification->>'reason' AS reason FROM lookups WHERE external_id LIKE 'LATE-%' ORDER BY external_id`.execute(t.database.db)).rows;

    it('binds them once it exists: justified, ledgered, the summaries follow, an alert resting on them alone is resolved', async () => {
      const res = await batch([late('LATE-1', 1), late('LATE-2', 2), late('LATE-3', 3)]);
      expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(['created', 'created', 'created']);
      await lookupDetectionIdle(t.database.db);
      expect(await verdicts()).toEqual([
        { external_id: 'LATE-1', justified: false, reason: 'caseRefNotFound' },
        { external_id: 'LATE-2', justified: false, reason: 'caseRefNotFound' },
        { external_id: 'LATE-3', justified: false, reason: 'caseRefNotFound' },
      ]);
      // three unjustified look-ups that day: an L-PURPOSE alert resting on them alone
      const day = new Date(at + 8 * 3_600_000).toISOString().slice(0, 10);
      const purpose = async () =>
        (await sql<{ id: number; status: string }>`SELECT id, status FROM alerts WHERE rule = 'L-PURPOSE' AND dedup_key = ${`L-PURPOSE|050007|${day}`}`.execute(t.database.db)).rows;
      expect((await purpose()).map((a) => a.status)).toEqual(['open']);
      const enf = await legal.send('POST', '/api/enforcement/records/batch', { records: [record('ENF-LATE')] });
      expect(enf.status).toBe(200);
      const recordId = Number((await sql<{ id: unknown }>`SELECT id FROM enforcement_records WHERE external_id = 'ENF-LATE'`.execute(t.database.db)).rows[0]!.id);

      // enforcement intake re-binds after its commit, without waiting (the keys are the ones the look-up routes registered)
      await until(async () => (await purpose()).every((a) => a.status === 'resolved'));
      expect(await verdicts()).toEqual([
        { external_id: 'LATE-1', justified: true, reason: 'stop' },
        { external_id: 'LATE-2', justified: true, reason: 'stop' },
        { external_id: 'LATE-3', justified: true, reason: 'stop' },
      ]);
      const entries = await ledger('lookup.rebind');
      expect(entries).toHaveLength(1);
      expect(entries[0]!.payload).toMatchObject({ count: 3, justified: 3, changes: [{ externalId: 'LATE-1', before: { justified: false, reason: 'caseRefNotFound' }, after: { justified: true, reason: 'stop', recordId } }, {}, {}] });
      expect(await summaryMismatches(t.database.db)).toBe(0);
      expect((await purpose()).map((a) => a.status)).toEqual(['resolved']);
      const events = await sql<{ alert_id: number; comment: string | null; details: unknown }>`SELECT alert_id, comment, details FROM alert_events WHERE action = 'resolve' AND alert_id = ${(await purpose())[0]!.id}`.execute(t.database.db);
      expect(events.rows).toHaveLength(1);
      expect(events.rows[0]!.comment).toContain('重新核验');
      expect(events.rows[0]!.details).toMatchObject({ automatic: 'lookup.rebind' });
      // L-CRIMINAL's evidence keeps L-5, still unjustified: that alert stays open (refreshed by the next run if it still holds)
      const criminal = await sql<{ status: string }>`SELECT status FROM alerts WHERE rule = 'L-CRIMINAL' AND subject_id = '050007'`.execute(t.database.db);
      expect(criminal.rows.map((r) => r.status)).toEqual(['open']);
      // nothing left to bind: a second call changes nothing and ledgers nothing
      expect(await rebindLookupsForRecords(t.database.db, bootstrapContext('test'), [recordId])).toMatchObject({ changed: 0 });
      expect(await ledger('lookup.rebind')).toHaveLength(1);
      await lookupDetectionIdle(t.database.db);
    });

    it('a detection run binds them too, without the enforcement call', async () => {
      await batch([lookup('LATE-4', { at: iso(at + 4 * MIN), caseRef: 'ENF-LATE-2', subject: { plate: '苏A66666' } })]);
      await lookupDetectionIdle(t.database.db);
      // a record stored without the re-binding call (its run failed, or a loader bypassed intake): a copy of ENF-LATE
      await sql`
        INSERT INTO enforcement_records (id, external_id, kind, plate, vehicle_type, freight, violation_code, occurred_at, road, deciding_officer, deciding_person_id, unit_id, outcome, decided_outcome, reasons, rule_set_version, catalogue_version, batch_seq)
        SELECT 990100, 'ENF-LATE-2', kind, plate, vehicle_type, freight, violation_code, occurred_at, road, deciding_officer, deciding_person_id, unit_id, outcome, decided_outcome, reasons, rule_set_version, catalogue_version, batch_seq
          FROM enforcement_records WHERE external_id = 'ENF-LATE'`.execute(t.database.db);
      expect((await verdicts()).find((v) => v.external_id === 'LATE-4')).toEqual({ external_id: 'LATE-4', justified: false, reason: 'caseRefNotFound' });
      const run = await inspector.send('POST', '/api/lookups/detection/run', {});
      expect(run.status).toBe(200);
      expect((await verdicts()).find((v) => v.external_id === 'LATE-4')).toEqual({ external_id: 'LATE-4', justified: true, reason: 'stop' });
      expect(await summaryMismatches(t.database.db)).toBe(0);
    });
  });
});
