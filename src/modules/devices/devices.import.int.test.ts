// Device import over stored devices: the merged record (stored history + the row) is checked for
// date order, and the retroactive finding runs set-based over every changed device.
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/factories.ts';
import { bootstrapContext } from '../../platform/bootstrap.ts';
import { QueryCounter } from '../alerts/alerts.testing.ts';
import { detectorsIdle } from '../enforcement/detectors.service.ts';
import { ingestBatch } from '../enforcement/intake.service.ts';
import { topUnit } from '../org/bulk.service.ts';
import { DEVICE_SHEET, importDevices } from './devices.import.ts';
import { changeDeviceStatus } from './devices.service.ts';
import { registerDevices } from './devices.testing.ts';

const DAY = 86_400_000;
const at = Date.now() - 20 * DAY;
const dayOf = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

describe('device import over stored devices', () => {
  let t: TestApp;
  let unitName: string;
  const ctx = bootstrapContext('测试导入');
  const csv = (rows: Array<Record<string, string>>) => [DEVICE_SHEET.map((c) => c.header).join(','), ...rows.map((v) => DEVICE_SHEET.map((c) => v[c.key] ?? '').join(','))].join('\n');
  // the fields of devices.testing.ts' lawful record, so a row changes only what the test says
  const row = (id: string, over: Record<string, string> = {}) => ({
    id, type: 'other', road: '测试路', unit: unitName, codes: '1625', legalDate: '2020-01-02', legalDoc: '法审〔2020〕1号', legalBy: '法制大队',
    techDate: '2020-01-02', techDoc: '技审〔2020〕1号', techBy: '科技科', announceDate: '2020-01-02', announceChannel: '支队官网', signage: '是', signageM: '100',
    status: '启用', statusFrom: '2020-01-20', statusReason: '启用', ...over,
  });
  const run = (db: typeof t.database.db, rows: Array<Record<string, string>>, documentNo: string) =>
    importDevices(db, ctx, { filename: 'devices.csv', stream: Readable.from([Buffer.from(csv(rows))]) }, documentNo);
  const revisionOf = async (id: string) => (await sql<{ revision: number }>`SELECT revision FROM devices WHERE id = ${id}`.execute(t.database.db)).rows[0]?.revision;

  beforeAll(async () => {
    t = await testApp();
    unitName = (await topUnit(t.database.db))!.name;
  });
  afterAll(async () => {
    await detectorsIdle(t.database.db);
    await t.close();
  });

  it('refuses a row that would reactivate a removed device, with row, field and reason, and writes nothing', async () => {
    await registerDevices(t.database.db, ['REM-0001']);
    await changeDeviceStatus(t.database.db, ctx, 'REM-0001', { status: 'removed', from: '2025-01-01', reason: '拆除', documentNo: '撤〔2025〕1号' });
    const report = await run(t.database.db, [row('REM-0001', { status: '启用', statusFrom: '2025-06-01', statusReason: '重新启用' }), row('REM-NEW-1')], '导〔2026〕9号');
    expect(report).toMatchObject({ created: 0, updated: 0, rejected: 1 });
    expect(report.errors).toEqual([{ row: 2, field: '状态生效日期', message: expect.stringContaining('2025-01-01撤除') }]);
    expect(await revisionOf('REM-0001')).toBe(2);
    expect(await revisionOf('REM-NEW-1')).toBeUndefined();
  });

  it('finds the affected captures of every changed device with a fixed number of queries, one alert per device', async () => {
    const ids = Array.from({ length: 6 }, (_, i) => `RETRO-${i + 1}`);
    await registerDevices(t.database.db, ids);
    const captures = ids.flatMap((id, i) => [0, 1].map((k) => ({
      externalId: `${id}-c${k}`, kind: 'camera', plate: `苏B${String(i * 10 + k).padStart(5, '0')}`, vehicleType: 'smallPassenger', violationCode: '1625',
      occurredAt: new Date(at + k * 3_600_000).toISOString(), place: { road: '测试路' }, deviceId: id, evidence: [{ kind: 'photo', ref: `${id}-${k}.jpg`, sha256: 'd'.repeat(64) }],
    })));
    const ingested = await ingestBatch(t.database.db, ctx, captures, { skipDetectors: true });
    expect(ingested.outcomes.held ?? 0).toBe(0);

    // suspended retroactively (a late finding): every capture of the device loses its basis
    const suspend = (id: string) => row(id, { status: '停用', statusFrom: dayOf(at - 2 * DAY), statusReason: '发现未经审核' });
    const queriesFor = async (list: string[], doc: string) => {
      const counter = new QueryCounter();
      const report = await run(t.database.db.withPlugin(counter), list.map(suspend), doc);
      expect(report).toMatchObject({ updated: list.length, rejected: 0 });
      return counter.count;
    };
    const two = await queriesFor(ids.slice(0, 2), '停〔2026〕1号');
    const four = await queriesFor(ids.slice(2), '停〔2026〕2号');
    expect(four).toBe(two);

    const { rows } = await sql<{ subject_id: string; dedup_key: string; facts: unknown }>`
      SELECT subject_id, dedup_key, facts FROM alerts WHERE source = 'devices' AND rule = 'R-DEVICE-LAWFUL' AND subject_id LIKE 'RETRO-%' ORDER BY subject_id`.execute(t.database.db);
    expect(rows.map((r) => r.dedup_key)).toEqual(ids.map((id) => `${id}|r2`));
    for (const r of rows) expect((typeof r.facts === 'string' ? JSON.parse(r.facts) : r.facts) as { total: number }).toMatchObject({ total: 2 });
  });
});
