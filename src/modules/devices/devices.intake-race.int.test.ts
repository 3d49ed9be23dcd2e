// Races around the registry. The intake plans a batch outside its lock; a device changed in that
// gap must not let the batch store captures decided under a registry state that no longer holds.
// Two creates of one device id at once: one wins, the other is a 409, never a 500. And a status
// dated in the future shows in the list once its day has come.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/factories.ts';
import { bootstrapContext } from '../../platform/bootstrap.ts';
import { detectorsIdle } from '../enforcement/detectors.service.ts';
import { ingestBatch } from '../enforcement/intake.service.ts';
import { topUnit } from '../org/bulk.service.ts';
import { deviceListQuery } from '../../contracts/devices.ts';
import { changeDeviceStatus, createDevice, getDevice, listDevices } from './devices.service.ts';
import { lawfulDeviceRecord, registerDevices } from './devices.testing.ts';

const DAY = 86_400_000;
const at = Date.now() - 10 * DAY;
const dayOf = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

const capture = (externalId: string, deviceId: string, plate: string) => ({
  externalId,
  kind: 'camera',
  plate,
  vehicleType: 'smallPassenger',
  violationCode: '1625',
  occurredAt: new Date(at).toISOString(),
  place: { road: '中山路' },
  deviceId,
  evidence: [{ kind: 'photo', ref: `${externalId}.jpg`, sha256: 'e'.repeat(64) }],
});

describe('intake: a device changed between planning and commit', () => {
  let t: TestApp;
  const ctx = bootstrapContext('测试');
  const stored = async (externalId: string) =>
    (await sql<{ outcome: string; device_revision: number | null }>`SELECT outcome, device_revision FROM enforcement_records WHERE external_id = ${externalId}`.execute(t.database.db)).rows[0]!;

  beforeAll(async () => {
    t = await testApp();
    await registerDevices(t.database.db, ['RACE-0001']);
  });
  afterAll(async () => {
    await detectorsIdle(t.database.db);
    await t.close();
  });

  it('re-plans under the lock when a device of the batch was suspended after planning: the capture is held', async () => {
    const summary = await ingestBatch(t.database.db, ctx, [capture('RACE-A1', 'RACE-0001', '苏A60001')], {
      skipDetectors: true,
      afterPlan: async () => {
        await changeDeviceStatus(t.database.db, ctx, 'RACE-0001', { status: 'suspended', from: dayOf(at - 5 * DAY), reason: '发现未经审核', documentNo: '停〔2026〕1号' });
      },
    });
    expect(summary.created).toBe(1);
    expect(summary.results[0]).toMatchObject({ outcome: 'held' });
    expect(await stored('RACE-A1')).toEqual({ outcome: 'held', device_revision: 2 });
  });

  it('re-plans when a device unknown at planning was registered before commit', async () => {
    const summary = await ingestBatch(t.database.db, ctx, [capture('RACE-B1', 'RACE-0002', '苏A60002')], {
      skipDetectors: true,
      afterPlan: () => registerDevices(t.database.db, ['RACE-0002']),
    });
    expect(summary.results[0]).not.toMatchObject({ outcome: 'held' });
    expect((await stored('RACE-B1')).device_revision).toBe(1);
  });

  it('keeps the plan when its devices did not change', async () => {
    await registerDevices(t.database.db, ['RACE-0003']);
    const summary = await ingestBatch(t.database.db, ctx, [capture('RACE-C1', 'RACE-0003', '苏A60003')], { skipDetectors: true });
    expect(summary.results[0]).not.toMatchObject({ outcome: 'held' });
  });
});

describe('device create: the same id sent twice at once', () => {
  let t: TestApp;
  afterAll(async () => {
    await t.close();
  });

  it('registers it once and answers the others 409 with the field, never 500', async () => {
    t = await testApp();
    const unit = (await topUnit(t.database.db))!.id;
    const { statusHistory, ...fields } = lawfulDeviceRecord('DUP-0001', unit, ['1625']);
    const body = { ...fields, status: statusHistory[0]!, basis: { documentNo: '登〔2026〕7号' } };
    const settled = await Promise.allSettled(Array.from({ length: 4 }, () => createDevice(t.database.db, bootstrapContext('并发登记'), body)));
    expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(1);
    for (const s of settled.filter((x): x is PromiseRejectedResult => x.status === 'rejected')) {
      expect(s.reason).toMatchObject({ statusCode: 409, code: 'CONFLICT', details: [{ path: 'id', message: '设备编号DUP-0001已登记' }] });
    }
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM device_revisions WHERE device_id = 'DUP-0001'`.execute(t.database.db);
    expect(rows[0]!.n).toBe(1);
  });
});

describe('device status on read', () => {
  let t: TestApp;
  afterAll(async () => {
    await t.close();
  });

  it('shows and filters a suspension dated in the future once its day has come, without another write', async () => {
    t = await testApp();
    const ctx = bootstrapContext('测试');
    await registerDevices(t.database.db, ['LATER-0001']);
    const from = dayOf(Date.now() + 3 * DAY);
    await changeDeviceStatus(t.database.db, ctx, 'LATER-0001', { status: 'suspended', from, reason: '计划停用检修', documentNo: '停〔2026〕5号' });
    const all = { all: true, unitIds: [], selfPersonId: null };
    const list = (status: string, now: number) => listDevices(t.database.db, all, deviceListQuery.parse({ status, q: 'LATER-' }), now);

    expect((await list('active', Date.now())).items.map((d) => d.id)).toEqual(['LATER-0001']);
    const later = Date.now() + 5 * DAY;
    expect((await list('active', later)).total).toBe(0);
    const suspended = await list('suspended', later);
    expect(suspended.items.map((d) => [d.id, d.status])).toEqual([['LATER-0001', 'suspended']]);
    expect(suspended.total).toBe(1);
    expect((await getDevice(t.database.db, all, 'LATER-0001', later)).status).toBe('suspended');
  });
});
