import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs, testApp, type Client, type TestApp } from '../../../test/factories.ts';
import { DEFAULT_LOOKUP_RULE_PARAMS } from '../../contracts/lookup-rules.ts';

describe('look-up rules API', () => {
  let t: TestApp;
  let inspector: Client;
  let officer: Client;
  beforeAll(async () => {
    t = await testApp();
    [inspector, officer] = await Promise.all([loginAs(t.app, 'inspector'), loginAs(t.app, 'officer')]);
  }, 120_000);
  afterAll(() => t?.close());

  it('runs the rules in full for lookup:handle only', async () => {
    expect((await officer.send('POST', '/api/lookups/detection/run')).status).toBe(403);
    const res = await inspector.send('POST', '/api/lookups/detection/run', { days: 30 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ created: 0, ruleSetVersion: 1 });
    expect(Object.keys(res.body.byRule)).toHaveLength(15);
    const bad = await inspector.send('POST', '/api/lookups/detection/run', { days: 0 });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('天数不能小于1');
  });

  it('saves parameters as a new version, ledgered, and refuses bad ones in Chinese', async () => {
    const storedKey = async (version: number) =>
      (await sql<{ params: unknown }>`SELECT params FROM lookup_rule_sets WHERE version = ${version}`.execute(t.database.db)).rows.map((r) => (typeof r.params === 'string' ? JSON.parse(r.params) : r.params) as { randomKey: string })[0]!.randomKey;
    const current = await inspector.get('/api/lookups/rules');
    // the sampling key never leaves the server, and each installation drew its own
    expect(current.body).toMatchObject({ version: 1, params: { ...DEFAULT_LOOKUP_RULE_PARAMS, randomKey: '***' } });
    const installationKey = await storedKey(1);
    expect(installationKey).not.toBe(DEFAULT_LOOKUP_RULE_PARAMS.randomKey);
    const bad = await inspector.send('POST', '/api/lookups/rules', { params: { ...current.body.params, hotMinAccounts: 1 }, note: '调整' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('热点对象最少查询人数不能小于2');
    expect(JSON.stringify((await inspector.send('POST', '/api/lookups/rules', { params: { ...current.body.params, randomKey: 'short' }, note: '换密钥' })).body)).toContain('抽查密钥至少8个字符');
    // the masked key sent back keeps the installation's key
    const saved = await inspector.send('POST', '/api/lookups/rules', { params: { ...current.body.params, hotMinAccounts: 6 }, note: '减少误报' });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ version: 2, params: { hotMinAccounts: 6, randomKey: '***' } });
    expect(await storedKey(2)).toBe(installationKey);
    // a new key draws a new sample, and is not shown either
    const rekeyed = await inspector.send('POST', '/api/lookups/rules', { params: { ...current.body.params, randomKey: 'a-new-sampling-key' }, note: '更换抽查密钥' });
    expect(rekeyed.body.params.randomKey).toBe('***');
    expect(await storedKey(3)).toBe('a-new-sampling-key');
    expect((await officer.send('POST', '/api/lookups/rules', { params: DEFAULT_LOOKUP_RULE_PARAMS, note: 'x' })).status).toBe(403);
    const { rows } = await sql<{ n: number; payloads: string }>`SELECT count(*)::int AS n, string_agg(payload::text, ' ') AS payloads FROM ledger_entry_view WHERE action = 'lookups.rules.version.create'`.execute(t.database.db);
    expect(rows[0]!.n).toBe(3);
    expect(rows[0]!.payloads).not.toContain(installationKey);
    expect(rows[0]!.payloads).not.toContain('a-new-sampling-key');
  });

  it('registers personnel identifiers hashed, lists them masked', async () => {
    const { rows } = await sql<{ id: number }>`SELECT id FROM personnel ORDER BY id LIMIT 1`.execute(t.database.db);
    const personId = rows[0]!.id;
    const bad = await inspector.send('POST', '/api/lookups/personnel-subjects', { items: [{ personId, relation: 'self' }] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('号牌和身份证号至少填写一项');
    const missing = await inspector.send('POST', '/api/lookups/personnel-subjects', { items: [{ personId: 999999, relation: 'self', plate: '苏A12345' }] });
    expect(missing.status).toBe(400);
    const ok = await inspector.send('POST', '/api/lookups/personnel-subjects', { items: [{ personId, relation: 'kin', plate: '苏A12345', idNumber: '320501199001011224', note: '配偶' }] });
    expect(ok.body).toEqual({ added: 2 });
    const again = await inspector.send('POST', '/api/lookups/personnel-subjects', { items: [{ personId, relation: 'kin', plate: '苏A12345' }] });
    expect(again.body).toEqual({ added: 0 });
    const list = await inspector.get(`/api/lookups/personnel-subjects?personId=${personId}`);
    expect(list.body.items.map((i: { masked: string }) => i.masked).sort()).toEqual(['3205**********1224', '苏A***45']);
    expect(JSON.stringify(list.body)).not.toContain('苏A12345');
    expect((await officer.get('/api/lookups/personnel-subjects')).status).toBe(403);
    const stored = await sql<{ hash: string }>`SELECT hash FROM personnel_subjects`.execute(t.database.db);
    for (const s of stored.rows) expect(s.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('removes a wrong entry with its reason in the ledger, for lookup:watchlist only', async () => {
    const { rows } = await sql<{ id: number; name: string }>`SELECT id, name FROM personnel ORDER BY id OFFSET 1 LIMIT 1`.execute(t.database.db);
    const person = rows[0]!;
    const ok = await inspector.send('POST', '/api/lookups/personnel-subjects', { items: [{ personId: person.id, relation: 'self', idNumber: '32050119900101123x' }] });
    expect(ok.body).toEqual({ added: 1 });
    const listed = (await inspector.get(`/api/lookups/personnel-subjects?personId=${person.id}`)).body.items as Array<{ id: number; personName: string; masked: string; relation: string }>;
    expect(listed).toHaveLength(1);
    const entry = listed[0]!;
    expect(entry).toMatchObject({ personName: person.name, relation: 'self', masked: '3205**********123X' });

    expect((await officer.send('POST', `/api/lookups/personnel-subjects/${entry.id}/remove`, { reason: '身份证号登记错误' })).status).toBe(403);
    const noReason = await inspector.send('POST', `/api/lookups/personnel-subjects/${entry.id}/remove`, { reason: '  ' });
    expect(noReason.status).toBe(400);
    expect(JSON.stringify(noReason.body)).toContain('请填写删除原因');
    const badId = await inspector.send('POST', '/api/lookups/personnel-subjects/abc/remove', { reason: '错误' });
    expect(badId.status).toBe(400);
    expect(JSON.stringify(badId.body)).toContain('登记项编号无效');

    const removed = await inspector.send('POST', `/api/lookups/personnel-subjects/${entry.id}/remove`, { reason: '身份证号登记错误' });
    expect(removed.status).toBe(200);
    expect((await inspector.get(`/api/lookups/personnel-subjects?personId=${person.id}`)).body.items).toEqual([]);
    const again = await inspector.send('POST', `/api/lookups/personnel-subjects/${entry.id}/remove`, { reason: '身份证号登记错误' });
    expect(again.status).toBe(404);

    const ledger = await sql<{ subject_id: string; payload: unknown }>`SELECT subject_id, payload FROM ledger_entry_view WHERE action = 'lookups.personnel_subjects.remove'`.execute(t.database.db);
    expect(ledger.rows).toHaveLength(1);
    expect(ledger.rows[0]!.subject_id).toBe(String(person.id));
    const payload = JSON.stringify(ledger.rows[0]!.payload);
    expect(payload).toContain('身份证号登记错误');
    expect(payload).toContain('3205**********123X');
    expect(payload).not.toContain('32050119900101123');
  });
});
