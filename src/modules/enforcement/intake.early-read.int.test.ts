// A batch reads before its planning turn, while the batch before it decides; those reads are
// chained in arrival order, so a batch planned later never decides on older data than one planned
// before it. The writes between them here — the legal officer voiding a held record, a new rule
// set — carry no batch_seq, so the commit check (changedSince) could not repair it.
// (Found by review: before the reads were chained, both scenarios below stored a penalty.)
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const gate = vi.hoisted(() => ({ throwNext: false, seqHold: null as null | Promise<void>, seqHeld: null as null | (() => void), holdFromMs: Number.NaN, hold: null as null | Promise<void>, held: null as null | (() => void), readsDone: [] as number[] }));
vi.mock('./records.repo.ts', async (importOriginal) => {
  const orig = await importOriginal<typeof import('./records.repo.ts')>();
  return {
    ...orig,
    lastBatchSeq: async (...args: Parameters<typeof orig.lastBatchSeq>) => {
      if (gate.seqHold) { const h = gate.seqHold; gate.seqHold = null; gate.seqHeld?.(); await h; }
      return orig.lastBatchSeq(...args);
    },
    loadHistory: async (...args: Parameters<typeof orig.loadHistory>) => {
      if (gate.throwNext) { gate.throwNext = false; await new Promise((r) => setTimeout(r, 20)); throw new Error('history read fails'); }
      const to = args[3].getTime();
      if (gate.hold && to > gate.holdFromMs) { const h = gate.hold; gate.hold = null; gate.held?.(); await h; }
      const r = await orig.loadHistory(...args);
      gate.readsDone.push(to);
      return r;
    },
  };
});

import { testApp, type TestApp } from '../../../test/factories.ts';
import { bootstrapContext } from '../../platform/bootstrap.ts';
import { detectorsIdle } from './detectors.service.ts';
import { ingestBatch, type IngestSummary } from './intake.service.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const base = Date.now() - 20 * DAY;
const parked = (externalId: string, plate: string, at: number) => ({
  externalId, kind: 'camera', plate, vehicleType: 'smallPassenger', violationCode: '1039', occurredAt: new Date(at).toISOString(),
  place: { road: '汉中路' }, deviceId: 'ER-01', evidence: [{ kind: 'photo', ref: `${externalId}.jpg`, sha256: 'c'.repeat(64) }],
});
const result = (s: IngestSummary, i = 0) => s.results[i] as Extract<IngestSummary['results'][number], { recordId: number; outcome: string }>;

describe('reads before the planning turn, in arrival order', () => {
  let t: TestApp;
  const ctx = bootstrapContext('测试');
  beforeAll(async () => { t = await testApp(); });
  afterAll(async () => { await detectorsIdle(t.database.db); await t.close(); });

  it('control: with the held record voided before both batches, the later capture is a first violation (warning)', async () => {
    const h = await ingestBatch(t.database.db, ctx, [parked('ER-H0', '苏A80000', base - 2 * DAY)], { skipDetectors: true, deviceGate: false });
    await sql`UPDATE enforcement_records SET outcome = 'voided' WHERE id = ${result(h).recordId}`.execute(t.database.db);
    const a = await ingestBatch(t.database.db, ctx, [parked('ER-A0', '苏A80000', base + DAY)], { skipDetectors: true, deviceGate: false });
    const b = await ingestBatch(t.database.db, ctx, [parked('ER-B0', '苏A80000', base)], { skipDetectors: true, deviceGate: false });
    expect(result(a).outcome).toBe('warning');
    expect(result(b).outcome).toBe('warning');
  });

  it('a batch planned after one that saw the void must see it too', async () => {
    const h = await ingestBatch(t.database.db, ctx, [parked('ER-H1', '苏A80001', base - 2 * DAY)], { skipDetectors: true, deviceGate: false });
    await sql`UPDATE enforcement_records SET outcome = 'held', held_at = now() WHERE id = ${result(h).recordId}`.execute(t.database.db);
    // A (planned first) is held inside its history read; B reads meanwhile (the record is still held)
    let release!: () => void;
    let aHeld!: () => void;
    const aIsHeld = new Promise<void>((r) => (aHeld = r));
    gate.hold = new Promise<void>((r) => (release = r));
    gate.held = aHeld;
    gate.holdFromMs = base + DAY + 1;
    gate.readsDone = [];
    const a = ingestBatch(t.database.db, ctx, [parked('ER-A1', '苏A80001', base + DAY)], { skipDetectors: true, deviceGate: false });
    await aIsHeld;
    const b = ingestBatch(t.database.db, ctx, [parked('ER-B1', '苏A80001', base)], { skipDetectors: true, deviceGate: false });
    await new Promise((r) => setTimeout(r, 300));
    expect(gate.readsDone).toEqual([]); // B waits for A's reads
    // the legal officer voids the held record (commits), then A's read goes on and sees it
    await sql`UPDATE enforcement_records SET outcome = 'voided' WHERE id = ${result(h).recordId}`.execute(t.database.db);
    release();
    const [sa, sb] = await Promise.all([a, b]);
    expect(result(sa).outcome).toBe('warning'); // A saw the void
    expect(result(sb).recordId).toBeGreaterThan(result(sa).recordId); // B is planned after A
    // serial order: void < A < B, so B must see the void too (as the control shows: warning)
    expect(result(sb).outcome, JSON.stringify(result(sb).reasons?.map((r: { rule: string; message: string }) => r.message))).toBe('warning');
  });

  it('a batch planned after one decided under a new rule set is not decided under the old one', async () => {
    const h = await ingestBatch(t.database.db, ctx, [parked('ER-H2', '苏A80002', base - 2 * DAY)], { skipDetectors: true, deviceGate: false });
    expect(result(h).outcome).toBe('warning');
    let release!: () => void;
    let aHeld!: () => void;
    const aIsHeld = new Promise<void>((r) => (aHeld = r));
    gate.seqHold = new Promise<void>((r) => (release = r));
    gate.seqHeld = aHeld;
    gate.readsDone = [];
    // A is held at the very start of its reads (the snapshot mark); B reads everything meanwhile
    const a = ingestBatch(t.database.db, ctx, [parked('ER-A2', '苏A80003', base + DAY)], { skipDetectors: true, deviceGate: false });
    await aIsHeld;
    const b = ingestBatch(t.database.db, ctx, [parked('ER-B2', '苏A80002', base)], { skipDetectors: true, deviceGate: false });
    await new Promise((r) => setTimeout(r, 300));
    expect(gate.readsDone).toEqual([]); // B waits for A's reads
    // a new rule set is published (warning window 1 day instead of 183), then A reads
    await sql`INSERT INTO rule_sets (version, params, note) SELECT version + 1, jsonb_set(params, '{warningWindowDays}', '1'), 'review test' FROM rule_sets ORDER BY version DESC LIMIT 1`.execute(t.database.db);
    release();
    const [sa, sb] = await Promise.all([a, b]);
    const { rows } = await sql<{ external_id: string; rule_set_version: number; outcome: string }>`SELECT external_id, rule_set_version, outcome FROM enforcement_records WHERE external_id IN ('ER-A2', 'ER-B2') ORDER BY id`.execute(t.database.db);
    expect(rows.map((r) => r.external_id)).toEqual(['ER-A2', 'ER-B2']); // B planned after A
    // B, planned after A, must use a rule set at least as new as A's (serial: publish < A < B): warning under v+1
    expect(rows[1]!.rule_set_version).toBeGreaterThanOrEqual(rows[0]!.rule_set_version);
    expect(rows[1]!.outcome).toBe('warning');
  });

  it('a batch whose early read fails releases its turn and leaves the overlay bookkeeping clean', async () => {
    gate.throwNext = true;
    const [sa, sb] = await Promise.allSettled([
      ingestBatch(t.database.db, ctx, [parked('ER-A3', '苏A80004', base)], { skipDetectors: true, deviceGate: false }),
      ingestBatch(t.database.db, ctx, [parked('ER-B3', '苏A80004', base + 2 * DAY)], { skipDetectors: true, deviceGate: false }),
    ]);
    expect(sa.status).toBe('rejected');
    expect(sb.status).toBe('fulfilled');
    expect((sb as PromiseFulfilledResult<IngestSummary>).value.created).toBe(1);
    const [sc, sd] = await Promise.all([
      ingestBatch(t.database.db, ctx, [parked('ER-C3', '苏A80004', base + 3 * DAY)], { skipDetectors: true, deviceGate: false }),
      ingestBatch(t.database.db, ctx, [parked('ER-D3', '苏A80004', base + 4 * DAY)], { skipDetectors: true, deviceGate: false }),
    ]);
    expect(sc.created + sd.created).toBe(2);
    expect(result(sd).recordId).toBeGreaterThan(result(sc).recordId);
    expect(sc.replanned || sd.replanned).toBe(false);
  });
});
