// The intake's pipeline: a batch planned while an earlier batch of the same process is still
// committing takes that batch's rows as history (no second decision under the lock); when the
// earlier batch fails, or another writer commits into the history, the later one is decided again.
// A batch reads before its planning turn; the batches planned meanwhile join its overlay.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../../test/factories.ts';
import { bootstrapContext } from '../../platform/bootstrap.ts';
import { registerDevices } from '../devices/devices.testing.ts';
import { detectorsIdle } from './detectors.service.ts';
import { ingestBatch, type IngestSummary } from './intake.service.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const base = Date.now() - 5 * DAY;

const parked = (externalId: string, plate: string, at: number) => ({
  externalId,
  kind: 'camera',
  plate,
  vehicleType: 'smallPassenger',
  violationCode: '1039',
  occurredAt: new Date(at).toISOString(),
  place: { road: '汉中路' },
  deviceId: 'PIPE-01',
  evidence: [{ kind: 'photo', ref: `${externalId}.jpg`, sha256: 'c'.repeat(64) }],
});

/** A promise and its resolve. */
function signal() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('intake pipeline: batches planned while an earlier one commits', () => {
  let t: TestApp;
  const ctx = bootstrapContext('测试');
  const result = (s: IngestSummary, i = 0) => s.results[i] as Extract<IngestSummary['results'][number], { recordId: number }>;

  beforeAll(async () => {
    t = await testApp();
    await registerDevices(t.database.db, ['PIPE-01']);
  });
  afterAll(async () => {
    await detectorsIdle(t.database.db);
    await t.close();
  });

  it('takes the in-flight batch as history: the later capture merges without being decided again', async () => {
    const laterPlanned = signal();
    // A waits, planned but not committed, until B has been planned
    const a = ingestBatch(t.database.db, ctx, [parked('PIPE-A1', '苏A70001', base)], { skipDetectors: true, afterPlan: () => laterPlanned.promise });
    const b = ingestBatch(t.database.db, ctx, [parked('PIPE-B1', '苏A70001', base + HOUR), parked('PIPE-A1', '苏A70001', base)], {
      skipDetectors: true,
      afterPlan: async () => laterPlanned.resolve(),
    });
    const [sa, sb] = await Promise.all([a, b]);
    expect(result(sa)).toMatchObject({ outcome: 'warning', duplicate: false });
    expect(result(sb, 0)).toMatchObject({ outcome: 'merged', linkedRecordId: result(sa).recordId });
    // the re-sent row of A, still in flight when B was planned, answers as A's record
    expect(result(sb, 1)).toMatchObject({ recordId: result(sa).recordId, outcome: 'warning', duplicate: true });
    expect(sb.created).toBe(1);
    expect(sa.replanned).toBe(false);
    expect(sb.replanned).toBe(false);
    const { rows } = await sql<{ external_id: string; batch_seq: number }>`SELECT external_id, batch_seq FROM enforcement_records WHERE plate = '苏A70001' ORDER BY id`.execute(t.database.db);
    expect(rows.map((r) => r.external_id)).toEqual(['PIPE-A1', 'PIPE-B1']);
    expect(Number(rows[0]!.batch_seq)).toBeLessThan(Number(rows[1]!.batch_seq));
  });

  it('decides again when the batch it took as history failed: the capture is a first violation after all', async () => {
    const laterPlanned = signal();
    const a = ingestBatch(t.database.db, ctx, [parked('PIPE-A2', '苏A70002', base)], {
      skipDetectors: true,
      afterPlan: async () => {
        await laterPlanned.promise;
        throw new Error('A fails before its commit');
      },
    });
    const b = ingestBatch(t.database.db, ctx, [parked('PIPE-B2', '苏A70002', base + HOUR)], { skipDetectors: true, afterPlan: async () => laterPlanned.resolve() });
    const [sa, sb] = await Promise.allSettled([a, b]);
    expect(sa.status).toBe('rejected');
    expect(sb.status).toBe('fulfilled');
    const s = (sb as PromiseFulfilledResult<IngestSummary>).value;
    expect(s.replanned).toBe(true);
    expect(result(s)).toMatchObject({ outcome: 'warning', linkedRecordId: null });
  });

  it('reads a batch while the one before is planned: its rows are history, ids follow the planning order', async () => {
    // no hooks: B reads while A reads and plans, then takes A's planned rows in its own turn
    const [sa, sb] = await Promise.all([
      ingestBatch(t.database.db, ctx, [parked('PIPE-A4', '苏A70004', base)], { skipDetectors: true }),
      ingestBatch(t.database.db, ctx, [parked('PIPE-B4', '苏A70004', base + HOUR)], { skipDetectors: true }),
    ]);
    expect(result(sa)).toMatchObject({ outcome: 'warning', duplicate: false });
    expect(result(sb)).toMatchObject({ outcome: 'merged', linkedRecordId: result(sa).recordId, duplicate: false });
    expect(result(sb).recordId).toBeGreaterThan(result(sa).recordId);
    expect(sa.replanned || sb.replanned).toBe(false);
  });

  it('reads again in its turn when a batch planned meanwhile creates one of its externalIds', async () => {
    const [sa, sb] = await Promise.all([
      ingestBatch(t.database.db, ctx, [parked('PIPE-A5', '苏A70005', base)], { skipDetectors: true }),
      ingestBatch(t.database.db, ctx, [parked('PIPE-A5', '苏A70005', base), parked('PIPE-B5', '苏A70005', base + HOUR)], { skipDetectors: true }),
    ]);
    expect(result(sb, 0)).toMatchObject({ recordId: result(sa).recordId, duplicate: true });
    expect(result(sb, 1)).toMatchObject({ outcome: 'merged', linkedRecordId: result(sa).recordId, duplicate: false });
    expect(sb.created).toBe(1);
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM enforcement_records WHERE plate = '苏A70005'`.execute(t.database.db);
    expect(rows[0]!.n).toBe(2);
  });

  it('decides again when another writer committed a record of the plate after the snapshot', async () => {
    const s = await ingestBatch(t.database.db, ctx, [parked('PIPE-B3', '苏A70003', base + HOUR)], {
      skipDetectors: true,
      // a writer this pipeline does not know of (its own transaction)
      afterPlan: () => t.database.db.transaction().execute((trx) => ingestBatch(trx, ctx, [parked('PIPE-A3', '苏A70003', base)], { skipDetectors: true })).then(() => undefined),
    });
    expect(s.replanned).toBe(true);
    const stored = await sql<{ id: number }>`SELECT id FROM enforcement_records WHERE external_id = 'PIPE-A3'`.execute(t.database.db);
    expect(result(s)).toMatchObject({ outcome: 'merged', linkedRecordId: Number(stored.rows[0]!.id) });
  });
});
