import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { loginAs, testApp, type Client, type TestApp } from '../../../test/factories.ts';
import { alertListQuery } from '../../contracts/alerts.ts';
import { raiseAlerts, listAlerts, detectorStats, RAISE_CHUNK, closedFindings, resolveAlertAutomatically, reopenAlert, resolveAlert } from './alerts.service.ts';
import { detectorCtx, finding, QueryCounter, raise } from './alerts.testing.ts';

let t: TestApp;
let inspector: Client;
let leader: Client;
let squadronLeader: Client;
let auditor: Client;
let units: Array<{ id: number; name: string }>;
let officerPersonId: number;
let inspectorAccountId: number;
const unitId = (name: string) => units.find((u) => u.name === name)!.id;
const db = () => t.database.db;

beforeAll(async () => {
  t = await testApp();
  const admin = await loginAs(t.app, 'admin');
  units = (await admin.get('/api/org/units/tree')).body.items;
  officerPersonId = (await admin.get('/api/org/personnel?q=050007')).body.items[0].id;
  inspector = await loginAs(t.app, 'inspector');
  inspectorAccountId = (await inspector.get('/api/auth/me')).body.account.accountId;
  leader = await loginAs(t.app, 'leader');
  squadronLeader = await loginAs(t.app, 'squadron_leader');
  auditor = await loginAs(t.app, 'auditor');
});
afterAll(() => t.close());

const ledgerActions = async (id: number) =>
  (await auditor.get(`/api/ledger/entries?subjectType=alert&subjectId=${id}&pageSize=100`)).body.items.map((e: { action: string }) => e.action).reverse();

describe('raising', () => {
  it('raises thousands of alerts with a handful of statements, each ledgered', async () => {
    const n = RAISE_CHUNK * 2 + 500;
    const inputs = Array.from({ length: n }, (_, i) => finding({ rule: 'T-BULK', dedupKey: `bulk-${i}`, unitId: unitId('二中队') }));
    const counter = new QueryCounter();
    const result = await db()
      .transaction()
      .execute((trx) => raiseAlerts(trx.withPlugin(counter), detectorCtx, inputs));
    expect(result.created).toBe(n);
    expect(result.refreshed).toBe(0);
    expect(new Set(result.ids).size).toBe(n);
    // three upsert chunks plus the ledger's own few statements, whatever n is
    expect(counter.count).toBeLessThanOrEqual(3 + 4);
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ledger_entry_view WHERE action = 'alert.raise' AND payload->>'rule' = 'T-BULK'`.execute(db());
    expect(rows[0]!.n).toBe(n);
    const history = await sql<{ n: number }>`SELECT count(*)::int AS n FROM alert_events e JOIN alerts a ON a.id = e.alert_id WHERE a.rule = 'T-BULK' AND e.action = 'raise'`.execute(db());
    expect(history.rows[0]!.n).toBe(n);
  });

  it('refreshes an unclosed alert of the same finding instead of duplicating it', async () => {
    const same = { rule: 'T-DEDUP', dedupKey: 'plate-1', subjectId: 'R-1', subjectLabel: '苏A00001' };
    const first = await raise(db(), [finding({ ...same, severity: 'medium', facts: { count: 3 } })]);
    const id = first.ids[0]!;
    const again = await raise(db(), [finding({ ...same, severity: 'high', facts: { count: 4 }, title: '第四次' })]);
    expect(again).toEqual({ created: 0, refreshed: 1, ids: [id] });
    const detail = (await inspector.get(`/api/alerts/${id}`)).body;
    expect(detail).toMatchObject({ severity: 'high', title: '第四次', facts: { count: 4 }, raiseCount: 2, status: 'open' });
    expect(detail.events.map((e: { action: string }) => e.action)).toEqual(['raise', 'refresh']);
    expect(detail.events[1].details).toEqual({ severity: { before: 'medium', after: 'high' } });
    // found again unchanged: counted, but nothing new in the history or the ledger
    await raise(db(), [finding({ ...same, severity: 'high', facts: { count: 4 }, title: '第四次' })]);
    const unchanged = (await inspector.get(`/api/alerts/${id}`)).body;
    expect(unchanged.raiseCount).toBe(3);
    expect(unchanged.events).toHaveLength(2);
    expect(await ledgerActions(id)).toEqual(['alert.raise', 'alert.refresh']);
  });

  it('keeps the last of repeated keys in one call, and refreshes an acknowledged alert too', async () => {
    const r = await raise(db(), [
      finding({ rule: 'T-REPEAT', dedupKey: 'same', title: '旧' }),
      finding({ rule: 'T-REPEAT', dedupKey: 'other' }),
      finding({ rule: 'T-REPEAT', dedupKey: 'same', title: '新' }),
    ]);
    expect(r.created).toBe(2);
    expect(r.ids[0]).toBe(r.ids[2]);
    expect((await inspector.get(`/api/alerts/${r.ids[0]}`)).body.title).toBe('新');
    await inspector.send('POST', `/api/alerts/${r.ids[1]}/acknowledge`);
    const again = await raise(db(), [finding({ rule: 'T-REPEAT', dedupKey: 'other', severity: 'critical' })]);
    expect(again).toMatchObject({ created: 0, refreshed: 1, ids: [r.ids[1]] });
    expect((await inspector.get(`/api/alerts/${r.ids[1]}`)).body).toMatchObject({ status: 'acknowledged', severity: 'critical' });
  });

  it('raises a new alert once the earlier one is closed; the old one cannot be reopened beside it', async () => {
    const [old] = (await raise(db(), [finding({ rule: 'T-AFTER', dedupKey: 'x' })])).ids;
    expect((await inspector.send('POST', `/api/alerts/${old}/resolve`, { comment: '已整改' })).status).toBe(200);
    const next = await raise(db(), [finding({ rule: 'T-AFTER', dedupKey: 'x' })]);
    expect(next.created).toBe(1);
    expect(next.ids[0]).not.toBe(old);
    const reopen = await inspector.send('POST', `/api/alerts/${old}/reopen`);
    expect(reopen.status).toBe(409);
    expect(reopen.body.message).toContain(`编号 ${next.ids[0]}`);
  });

  it('refuses a malformed finding before writing anything', async () => {
    await expect(raise(db(), [finding({ rule: 'T-BAD' }), finding({ rule: 'T-BAD', severity: 'huge' as 'high' })])).rejects.toThrow(/#1/);
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM alerts WHERE rule = 'T-BAD'`.execute(db());
    expect(rows[0]!.n).toBe(0);
  });
});

describe('lists', () => {
  let ids: number[];
  beforeAll(async () => {
    ids = (
      await raise(db(), [
        finding({ rule: 'T-LIST', source: 'devices', subjectType: 'device', subjectId: 'CAM-7', subjectLabel: '人民路口卡口', severity: 'high', unitId: unitId('一中队'), occurredAt: new Date('2026-02-01T10:00:00+08:00') }),
        finding({ rule: 'T-LIST', severity: 'low', unitId: unitId('二中队'), occurredAt: new Date('2026-02-02T10:00:00+08:00') }),
        finding({ rule: 'T-LIST', severity: 'critical', unitId: unitId('一中队'), personId: officerPersonId, title: '重复处罚苏E88888', occurredAt: new Date('2026-02-03T10:00:00+08:00') }),
        finding({ rule: 'T-LIST', severity: 'medium', unitId: unitId('城区大队'), occurredAt: new Date('2026-02-04T10:00:00+08:00') }),
      ])
    ).ids;
    await inspector.send('POST', `/api/alerts/${ids[1]}/acknowledge`);
    await inspector.send('POST', `/api/alerts/${ids[3]}/dismiss`, { reason: '重复推送' });
  });

  const list = async (query: string, as: Client = inspector) => {
    const res = await as.get(`/api/alerts?rule=T-LIST&${query}`);
    expect(res.status).toBe(200);
    return res.body;
  };
  const idsOf = (page: { items: Array<{ id: number }> }) => page.items.map((a) => a.id);

  it('lists newest first with paging and counts per status', async () => {
    const all = await list('pageSize=2');
    expect(all.total).toBe(4);
    expect(idsOf(all)).toEqual([ids[3], ids[2]]);
    expect(all.statusCounts).toEqual({ open: 2, acknowledged: 1, dismissed: 1, resolved: 0 });
    const page2 = await list('pageSize=2&page=2');
    expect(idsOf(page2)).toEqual([ids[1], ids[0]]);
    expect(all.items[0]).toMatchObject({ unitName: '城区大队', status: 'dismissed', statusReason: '重复推送' });
    expect(page2.items[0]).toMatchObject({ assigneeAccountId: inspectorAccountId, assigneeName: '吴海峰' });
  });

  it('filters by status (several), severity, subject, source, unit and below, assignee, time and text', async () => {
    const open = await list('status=open,acknowledged');
    expect(idsOf(open).sort()).toEqual([ids[0], ids[1], ids[2]].sort());
    // the tabs keep counting every status under the other filters
    expect(open.statusCounts.dismissed).toBe(1);
    expect(idsOf(await list('severity=high,critical')).sort()).toEqual([ids[0], ids[2]].sort());
    expect(idsOf(await list('subjectType=device&subjectId=CAM-7'))).toEqual([ids[0]]);
    expect(idsOf(await list('source=devices'))).toEqual([ids[0]]);
    expect(idsOf(await list(`unitId=${unitId('一中队')}`)).sort()).toEqual([ids[0], ids[2]].sort());
    expect((await list(`unitId=${unitId('城区大队')}`)).total).toBe(4);
    expect(idsOf(await list('assignee=me'))).toEqual([ids[1]]);
    expect((await list('assignee=none')).total).toBe(3);
    const from = encodeURIComponent('2026-02-02T00:00:00+08:00');
    const to = encodeURIComponent('2026-02-04T00:00:00+08:00');
    expect(idsOf(await list(`from=${from}&to=${to}`))).toEqual([ids[2], ids[1]]);
    expect(idsOf(await list(`q=${encodeURIComponent('苏E888')}`))).toEqual([ids[2]]);
    expect((await list(`timeField=created&from=${encodeURIComponent('2000-01-01T00:00:00Z')}`)).total).toBe(4);
  });

  it('answers a bad filter with a zh-CN message', async () => {
    const res = await inspector.get('/api/alerts?status=open,closed');
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('告警状态无效');
  });

  it('keeps a squadron leader inside their squadron: absent from lists, 404 on detail', async () => {
    const mine = await list('pageSize=100', squadronLeader);
    expect(idsOf(mine).sort()).toEqual([ids[0], ids[2]].sort());
    expect(mine.statusCounts).toEqual({ open: 2, acknowledged: 0, dismissed: 0, resolved: 0 });
    expect((await squadronLeader.get(`/api/alerts/${ids[1]}`)).status).toBe(404);
    expect((await squadronLeader.get(`/api/alerts/${ids[0]}`)).status).toBe(200);
    expect((await list(`unitId=${unitId('二中队')}`, squadronLeader)).total).toBe(0);
    const everything = (await squadronLeader.get('/api/alerts?pageSize=500')).body;
    expect(everything.items.every((a: { unitName: string }) => a.unitName === '一中队')).toBe(true);
    const summary = (await squadronLeader.get('/api/alerts/summary')).body;
    expect(summary.byUnit.map((u: { unitName: string }) => u.unitName)).toEqual(['一中队']);
    // the leader (scope 全部) sees all four
    expect((await list('', leader)).total).toBe(4);
  });

  it('gives scope 仅本人 the alerts about that person only', async () => {
    const query = alertListQuery.parse({ rule: 'T-LIST', pageSize: 100 });
    const page = await listAlerts(db(), { accountId: null, scope: { all: false, unitIds: [], selfPersonId: officerPersonId } }, query);
    expect(idsOf(page)).toEqual([ids[2]]);
  });

  it('summarises unclosed alerts by severity, rule and unit (in unit order)', async () => {
    const s = (await leader.get('/api/alerts/summary')).body;
    expect(s.unclosed).toBe(s.byStatus.open + s.byStatus.acknowledged);
    const rule = s.byRule.find((r: { rule: string }) => r.rule === 'T-LIST');
    expect(rule).toEqual({ rule: 'T-LIST', source: expect.any(String), count: 3 });
    const order = s.byUnit.map((u: { unitName: string | null }) => u.unitName);
    expect(order.indexOf('城区大队')).toBeLessThan(order.indexOf('一中队'));
    expect(order.indexOf('一中队')).toBeLessThan(order.indexOf('二中队'));
    expect(s.bySeverity.critical).toBeGreaterThanOrEqual(1);
  });
});

describe('working an alert', () => {
  let id: number;
  beforeAll(async () => {
    [id] = (await raise(db(), [finding({ rule: 'T-FLOW', unitId: unitId('三中队') })])).ids as [number];
  });
  const post = (action: string, body?: unknown) => inspector.send('POST', `/api/alerts/${id}/${action}`, body);

  it('goes open → acknowledged → resolved → open → dismissed, refusing the rest with 409', async () => {
    const ack = await post('acknowledge', { comment: '开始核查' });
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ status: 'acknowledged', assigneeName: '吴海峰' });
    const twice = await post('acknowledge');
    expect(twice.status).toBe(409);
    expect(twice.body.message).toBe('告警当前为「处理中」，不能确认处理');
    expect((await post('reopen')).status).toBe(409);
    expect((await post('resolve')).body.status).toBe('resolved');
    const noAssign = await post('assign', { accountId: inspectorAccountId });
    expect(noAssign.status).toBe(409);
    expect((await post('dismiss', { reason: '误报' })).status).toBe(409);
    expect((await post('reopen', { comment: '复查发现仍未整改' })).body).toMatchObject({ status: 'open', statusReason: '复查发现仍未整改' });
    const noReason = await post('dismiss', { reason: '  ' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.details[0]).toMatchObject({ path: 'reason', message: '请填写排除原因' });
    expect((await post('dismiss', {})).status).toBe(400);
    const dismissed = await post('dismiss', { reason: '经核实系设备时钟误差' });
    expect(dismissed.body).toMatchObject({ status: 'dismissed', statusReason: '经核实系设备时钟误差' });
    expect((await post('resolve')).status).toBe(409);
    const history = dismissed.body.events.map((e: { action: string; toStatus: string | null }) => `${e.action}:${e.toStatus}`);
    expect(history).toEqual(['raise:open', 'acknowledge:acknowledged', 'resolve:resolved', 'reopen:open', 'dismiss:dismissed']);
    expect(dismissed.body.events[1]).toMatchObject({ actorName: expect.stringContaining('吴海峰'), comment: '开始核查' });
    expect(await ledgerActions(id)).toEqual(['alert.raise', 'alert.acknowledge', 'alert.resolve', 'alert.reopen', 'alert.dismiss']);
  });

  it('assigns only to active accounts that may handle alerts', async () => {
    const [other] = (await raise(db(), [finding({ rule: 'T-FLOW', unitId: unitId('三中队') })])).ids as [number];
    const officerAccount = (await (await loginAs(t.app, 'officer')).get('/api/auth/me')).body.account.accountId;
    const refused = await inspector.send('POST', `/api/alerts/${other}/assign`, { accountId: officerAccount });
    expect(refused.status).toBe(400);
    expect(refused.body.details[0].path).toBe('accountId');
    const ok = await inspector.send('POST', `/api/alerts/${other}/assign`, { accountId: inspectorAccountId, comment: '本人跟进' });
    expect(ok.body).toMatchObject({ assigneeAccountId: inspectorAccountId, status: 'open' });
    const back = await inspector.send('POST', `/api/alerts/${other}/assign`, { accountId: null });
    expect(back.body.assigneeAccountId).toBeNull();
    expect(await ledgerActions(other)).toEqual(['alert.raise', 'alert.assign', 'alert.assign']);
  });

  it('answers 404 for an alert that does not exist', async () => {
    expect((await inspector.send('POST', '/api/alerts/999999/acknowledge')).status).toBe(404);
    expect((await inspector.get('/api/alerts/999999')).status).toBe(404);
  });
});

describe('resolved by the system', () => {
  it('is recorded as such, and does not count as a closed finding until a person closes it', async () => {
    const input = finding({ rule: 'T-AUTO', dedupKey: 'auto-1', unitId: unitId('二中队') });
    const [id] = (await raise(db(), [input])).ids;
    const key = { rule: 'T-AUTO', dedupKey: 'auto-1' };
    expect(await resolveAlertAutomatically(db(), detectorCtx, id!, '所依据的事实已不成立', 'test.void')).toBe(true);
    // a second call finds it closed and changes nothing
    expect(await resolveAlertAutomatically(db(), detectorCtx, id!, '所依据的事实已不成立', 'test.void')).toBe(false);
    const { rows } = await sql<{ status: string }>`SELECT status FROM alerts WHERE id = ${id!}`.execute(db());
    expect(rows[0]!.status).toBe('resolved');
    const events = await sql<{ action: string; details: unknown; comment: string }>`SELECT action, details, comment FROM alert_events WHERE alert_id = ${id!} AND action = 'resolve'`.execute(db());
    expect(events.rows).toHaveLength(1);
    expect(events.rows[0]!.details).toMatchObject({ automatic: 'test.void', after: { status: 'resolved' } });
    expect(await ledgerActions(id!)).toEqual(['alert.raise', 'alert.resolve']);
    expect(await closedFindings(db(), [key])).toEqual(new Set());
    // reopened and resolved by a person: closed
    await reopenAlert(db(), detectorCtx, id!, '复核');
    await resolveAlert(db(), detectorCtx, id!, '已核实');
    expect(await closedFindings(db(), [key])).toEqual(new Set(['T-AUTO\u0000auto-1']));
  });
});

describe('detector precision', () => {
  it('counts the reviewers’ verdicts per rule', async () => {
    const ids = (await raise(db(), Array.from({ length: 4 }, () => finding({ rule: 'T-PRECISION', source: 'lookups' })))).ids;
    await inspector.send('POST', `/api/alerts/${ids[0]}/verdict`, { verdict: 'agree' });
    await inspector.send('POST', `/api/alerts/${ids[1]}/verdict`, { verdict: 'agree', note: '属实' });
    await inspector.send('POST', `/api/alerts/${ids[2]}/verdict`, { verdict: 'agree' });
    const changed = await inspector.send('POST', `/api/alerts/${ids[2]}/verdict`, { verdict: 'disagree', note: '号牌识别错误' });
    expect(changed.body).toMatchObject({ verdict: 'disagree', verdictNote: '号牌识别错误' });
    expect((await inspector.send('POST', `/api/alerts/${ids[3]}/verdict`, { verdict: 'maybe' })).status).toBe(400);
    const stat = (await leader.get('/api/alerts/stats')).body.items.find((s: { rule: string }) => s.rule === 'T-PRECISION');
    expect(stat).toEqual({ rule: 'T-PRECISION', source: 'lookups', total: 4, unclosed: 4, agreed: 2, disagreed: 1, precision: 2 / 3 });
    expect((await detectorStats(db())).find((s) => s.rule === 'T-PRECISION')?.precision).toBeCloseTo(2 / 3);
    expect(await ledgerActions(ids[2]!)).toEqual(['alert.raise', 'alert.verdict', 'alert.verdict']);
  });
});

describe('permissions', () => {
  it('lets viewers read and only handlers change', async () => {
    const [id] = (await raise(db(), [finding({ rule: 'T-PERM', unitId: unitId('一中队') })])).ids;
    const officer = await loginAs(t.app, 'officer');
    const admin = await loginAs(t.app, 'admin');
    for (const who of [officer, admin]) {
      expect((await who.get('/api/alerts')).status).toBe(403);
      expect((await who.get(`/api/alerts/${id}`)).status).toBe(403);
      expect((await who.get('/api/alerts/summary')).status).toBe(403);
    }
    for (const who of [leader, squadronLeader]) {
      expect((await who.get(`/api/alerts/${id}`)).status).toBe(200);
      expect((await who.send('POST', `/api/alerts/${id}/acknowledge`)).status).toBe(403);
      expect((await who.send('POST', `/api/alerts/${id}/verdict`, { verdict: 'agree' })).status).toBe(403);
    }
    const legal = await loginAs(t.app, 'legal');
    expect((await legal.get('/api/alerts/stats')).status).toBe(200);
    expect((await legal.send('POST', `/api/alerts/${id}/dismiss`, { reason: 'x' })).status).toBe(403);
  });
});
