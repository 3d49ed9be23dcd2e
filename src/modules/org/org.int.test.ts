import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs, nextBadge, testApp, type Client, type TestApp } from '../../../test/factories.ts';

let t: TestApp;
let admin: Client;
let units: Array<{ id: number; name: string; parentId: number | null; kind: string }>;
const unitId = (name: string) => units.find((u) => u.name === name)!.id;

beforeAll(async () => {
  t = await testApp();
  admin = await loginAs(t.app, 'admin');
  units = (await admin.get('/api/org/units/tree')).body.items;
});
afterAll(() => t.close());

describe('units', () => {
  it('shows the demo tree 支队 > 大队 > 中队', () => {
    const detachment = units.find((u) => u.kind === 'detachment')!;
    const brigade = units.find((u) => u.kind === 'brigade')!;
    expect(brigade.parentId).toBe(detachment.id);
    expect(units.filter((u) => u.kind === 'squadron' && u.parentId === brigade.id)).toHaveLength(4);
  });

  it('creates a squadron, refuses a sibling with the same name, and records both', async () => {
    const brigade = unitId('城区大队');
    const created = await admin.send('POST', '/api/org/units', { parentId: brigade, name: '五中队', kind: 'squadron', code: 'SQ5' });
    expect(created.status).toBe(200);
    const again = await admin.send('POST', '/api/org/units', { parentId: brigade, name: '五中队', kind: 'squadron' });
    expect(again.status).toBe(409);
    expect(again.body.details[0].path).toBe('name');
    const auditor = await loginAs(t.app, 'auditor');
    const log = await auditor.get(`/api/ledger/entries?subjectType=unit&subjectId=${created.body.id}`);
    expect(log.body.items.map((e: { action: string }) => e.action)).toEqual(['org.unit.create']);
  });

  it('refuses to move a unit below itself and to deactivate a unit with members', async () => {
    const brigade = unitId('城区大队');
    const move = await admin.send('PATCH', `/api/org/units/${brigade}`, { parentId: unitId('一中队') });
    expect(move.status).toBe(400);
    const off = await admin.send('POST', `/api/org/units/${unitId('一中队')}/deactivate`);
    expect(off.status).toBe(409);
    expect(off.body.message).toMatch(/在职人员/);
  });
});

describe('personnel', () => {
  it('lists with paging and filters; unitId includes sub-units', async () => {
    const all = await admin.get('/api/org/personnel?pageSize=500');
    expect(all.body.total).toBe(120);
    const aux = all.body.items.filter((p: { category: string }) => p.category === 'auxiliary').length;
    expect(aux / 120).toBeGreaterThan(0.3);
    expect(aux / 120).toBeLessThan(0.5);
    const brigade = await admin.get(`/api/org/personnel?unitId=${unitId('城区大队')}&pageSize=1`);
    expect(brigade.body.total).toBe(120); // every person sits in the 大队 or a unit below it
    const sq1 = await admin.get(`/api/org/personnel?unitId=${unitId('一中队')}&pageSize=1`);
    expect(sq1.body.total).toBe(29);
    const page2 = await admin.get('/api/org/personnel?page=2&pageSize=50');
    expect(page2.body).toMatchObject({ page: 2, pageSize: 50, total: 120 });
    expect(page2.body.items).toHaveLength(50);
  });

  it('masks phones in lists and ledgers every unmasked read', async () => {
    const inspector = await loginAs(t.app, 'inspector');
    const list = await inspector.get('/api/org/personnel?q=050007');
    const person = list.body.items[0];
    expect(person.phoneMasked).toMatch(/^1\d{2}\*{4}\d{4}$/);
    expect(JSON.stringify(list.body)).not.toMatch(/"phone":/);
    const pii = await inspector.get(`/api/org/personnel/${person.id}/pii`);
    expect(pii.body.phone).toMatch(/^1\d{10}$/);
    const auditor = await loginAs(t.app, 'auditor');
    const log = await auditor.get(`/api/ledger/entries?action=org.person.pii.read&subjectId=${person.id}`);
    expect(log.body.items[0].actorName).toContain('吴海峰');
    // admin manages people but has no business reading their full personal data
    expect((await admin.get(`/api/org/personnel/${person.id}/pii`)).status).toBe(403);
  });

  it('creates, edits and validates with field-level zh-CN messages', async () => {
    const bad = await admin.send('POST', '/api/org/personnel', { name: '', badgeNo: '12', category: 'cop', unitId: unitId('二中队'), phone: '123' });
    expect(bad.status).toBe(400);
    const paths = bad.body.details.map((d: { path: string }) => d.path).sort();
    expect(paths).toEqual(['badgeNo', 'category', 'name', 'phone']);
    expect(bad.body.details.find((d: { path: string }) => d.path === 'badgeNo').message).toBe('警号应为4-12位字母或数字');
    const badge = nextBadge();
    const ok = await admin.send('POST', '/api/org/personnel', { name: '李新民', badgeNo: badge, category: 'police', unitId: unitId('二中队'), position: '民警', phone: '13912345678' });
    expect(ok.status).toBe(200);
    expect(ok.body.phoneMasked).toBe('139****5678');
    const dup = await admin.send('POST', '/api/org/personnel', { name: '李新民', badgeNo: badge, category: 'police', unitId: unitId('二中队') });
    expect(dup.status).toBe(409);
    const edit = await admin.send('PATCH', `/api/org/personnel/${ok.body.id}`, { unitId: unitId('三中队') });
    expect(edit.body.unitName).toBe('三中队');
  });

  it('keeps a squadron leader inside their own squadron (404 / empty, never the data)', async () => {
    const leader = await loginAs(t.app, 'squadron_leader');
    const mine = await leader.get('/api/org/personnel?pageSize=500');
    expect(new Set(mine.body.items.map((p: { unitName: string }) => p.unitName))).toEqual(new Set(['一中队']));
    const other = (await admin.get(`/api/org/personnel?unitId=${unitId('二中队')}&pageSize=1`)).body.items[0];
    expect((await leader.get(`/api/org/personnel/${other.id}`)).status).toBe(404);
    const filtered = await leader.get(`/api/org/personnel?unitId=${unitId('二中队')}`);
    expect(filtered.body).toMatchObject({ total: 0, items: [] });
    const exported = await leader.get('/api/org/personnel/export');
    expect(exported.status).toBe(200);
    const units = await leader.get('/api/org/units/tree');
    expect(units.body.items.map((u: { name: string }) => u.name)).toEqual(['一中队']);
  });

  it('an officer sees only themself', async () => {
    const officer = await loginAs(t.app, 'officer');
    const list = await officer.get('/api/org/personnel');
    expect(list.body.items.map((p: { badgeNo: string }) => p.badgeNo)).toEqual(['050007']);
  });

  it('suspending a person ends their sessions at once', async () => {
    const aux = await loginAs(t.app, 'auxiliary');
    expect((await aux.get('/api/auth/me')).status).toBe(200);
    const person = (await admin.get('/api/org/personnel?q=F50008')).body.items[0];
    const res = await admin.send('POST', `/api/org/personnel/${person.id}/status`, { status: 'suspended', reason: '停职调查' });
    expect(res.body.status).toBe('suspended');
    expect((await aux.get('/api/auth/me')).status).toBe(401);
    const again = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'auxiliary', password: 'Clearlane@2026' } });
    expect(again.statusCode).toBe(403);
    await admin.send('POST', `/api/org/personnel/${person.id}/status`, { status: 'active', reason: '恢复' });
  });
});
