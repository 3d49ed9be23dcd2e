// Laws of the decision for any record and history (fast-check): it depends on nothing but its
// inputs (not the order history was loaded in), never links to a later record, always explains
// itself, and never looks into the future except for the on-site record that handled a capture.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideCamera } from './camera.ts';
import { isEarlier } from './history.ts';
import { checkOnSite } from './onsite.ts';
import { camera, CATALOGUE, context, DAY, MIN, onSite, PLATE, SHA, T0 } from './rules.testing.ts';
import type { HistoryRecord, RecordFacts } from './types.ts';

const ctx = context({ repeatWindowMinutes: 120 });
const CODES = ['1039', '1345', '1625', '9999'];
const OUTCOMES = ['penalty', 'warning', 'held', 'merged', 'voided', 'compliant', 'nonCompliant'] as const;

const place = fc.record(
  {
    road: fc.constantFrom('中山路', '解放路'),
    direction: fc.constantFrom('东向西', '西向东'),
    km: fc.constantFrom(10, 10.5, 12),
    lat: fc.constantFrom(32, 32.01),
    lon: fc.constant(118.8),
  },
  { requiredKeys: ['road'] },
);
// offsets cluster around T0 so windows, ties and chains actually occur
const offset = fc.oneof(fc.integer({ min: -300, max: 300 }).map((m) => m * MIN), fc.integer({ min: -400, max: 400 }).map((d) => d * DAY), fc.constant(0));

const historyRow = (id: number) =>
  fc.record({
    id: fc.constant(id),
    kind: fc.constantFrom('camera' as const, 'onSite' as const),
    plate: fc.constantFrom(PLATE, PLATE, '苏B00001'),
    violationCode: fc.constantFrom(...CODES),
    occurredAt: offset.map((o) => T0 + o),
    place,
    deviceId: fc.option(fc.constantFrom('CAM-01', 'CAM-02'), { nil: undefined }),
    driverKey: fc.option(fc.constantFrom('D1', 'D2'), { nil: undefined }),
    outcome: fc.constantFrom(...OUTCOMES),
    handled: fc.boolean(),
    linkedRecordId: fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }),
  }).map((h) => JSON.parse(JSON.stringify(h)) as HistoryRecord); // drop undefined members, as rows from the database would

const history = fc.integer({ min: 0, max: 25 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => historyRow(i + 1))));

const cameraRecord = fc
  .record({
    id: fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }),
    violationCode: fc.constantFrom(...CODES),
    place,
    deviceId: fc.constantFrom('CAM-01', 'CAM-02'),
    driverKey: fc.option(fc.constantFrom('D1', 'D2'), { nil: undefined }),
    fineYuan: fc.option(fc.constantFrom(0, 20, 150, 200, 201), { nil: undefined }),
    evidence: fc.constantFrom([{ kind: 'photo' as const, ref: 'p', sha256: SHA }], [{ kind: 'photo' as const, ref: 'p' }], []),
  })
  .map((r) => camera(JSON.parse(JSON.stringify(r)) as Partial<RecordFacts>));

const shuffled = <T,>(items: T[]) => fc.shuffledSubarray(items, { minLength: items.length, maxLength: items.length });
const RUNS = { numRuns: 400 };

describe('decideCamera (property)', () => {
  it('is deterministic and independent of the order history arrives in', () => {
    fc.assert(
      fc.property(cameraRecord, history.chain((h) => fc.tuple(fc.constant(h), shuffled(h))), (r, [h, h2]) => {
        expect(decideCamera(r, h2, ctx)).toEqual(decideCamera(r, h, ctx));
      }),
      RUNS,
    );
  });

  it('never merges into a later record, nor into itself, and links only to a chain head it found', () => {
    fc.assert(
      fc.property(cameraRecord, history, (r, h) => {
        const d = decideCamera(r, h, ctx);
        if (d.outcome !== 'merged') return;
        expect(d.linkedRecordId).toBeDefined();
        expect(d.linkedRecordId).not.toBe(r.id);
        const linked = h.find((x) => x.id === d.linkedRecordId && x.id !== r.id);
        const headFound = d.reasons[0]!.facts.chainHeadInHistory === true;
        if (headFound) {
          expect(linked).toBeDefined();
          expect(isEarlier(linked!, r)).toBe(true);
          expect(['merged', 'voided']).not.toContain(linked!.outcome);
        }
      }),
      RUNS,
    );
  });

  it('always gives at least one reason, and the amounts its outcome implies', () => {
    fc.assert(
      fc.property(cameraRecord, history, (r, h) => {
        const d = decideCamera(r, h, ctx);
        expect(d.reasons.length).toBeGreaterThan(0);
        for (const reason of d.reasons) expect(reason.ruleSetVersion).toBe(ctx.ruleSetVersion);
        if (d.outcome === 'warning') expect([d.fineYuan, d.points]).toEqual([0, 0]);
        else if (d.outcome === 'penalty') {
          const e = CATALOGUE[r.violationCode]!;
          expect(d.fineYuan).toBeGreaterThanOrEqual(e.fineMin);
          expect(d.fineYuan).toBeLessThanOrEqual(e.fineMax);
          expect(d.points).toBe(e.points);
        } else expect([d.fineYuan, d.points]).toEqual([null, null]);
        expect(d.linkedRecordId !== undefined).toBe(d.outcome === 'merged' || d.outcome === 'voided');
      }),
      RUNS,
    );
  });

  it('camera records after it change nothing: a decision does not look into the future', () => {
    fc.assert(
      fc.property(cameraRecord, history, history, (r, h, more) => {
        const later = more.map((x, i) => ({ ...x, id: 100 + i, kind: 'camera' as const, occurredAt: r.occurredAt + 1 + Math.abs(x.occurredAt - T0) }));
        expect(decideCamera(r, [...h, ...later], ctx)).toEqual(decideCamera(r, h, ctx));
      }),
      RUNS,
    );
  });
});

describe('checkOnSite (property)', () => {
  const onSiteRecord = fc
    .record({
      violationCode: fc.constantFrom(...CODES),
      decidingOfficer: fc.constantFrom('010001', '010003', 'F10001', '999999'),
      assistants: fc.subarray(['010002', 'F10001', '010004']),
      procedure: fc.constantFrom('simple' as const, 'general' as const),
      party: fc.constantFrom('motorVehicleDriver' as const, 'pedestrian' as const),
      fineYuan: fc.constantFrom(0, 50, 100, 101, 200, 201),
      points: fc.constantFrom(0, 1, 6),
      payment: fc.constantFrom({ method: 'cashOnSpot' as const }, { method: 'cashOnSpot' as const, receiptNo: 'R1' }, { method: 'online' as const }),
      place,
    })
    .map((r) => onSite(r));

  it('is nonCompliant exactly when there is a finding; each check either passes or finds, once', () => {
    fc.assert(
      fc.property(onSiteRecord, history.chain((h) => fc.tuple(fc.constant(h), shuffled(h))), (r, [h, h2]) => {
        const d = checkOnSite(r, h, ctx);
        expect(d.outcome).toBe(d.findings.length > 0 ? 'nonCompliant' : 'compliant');
        const rules = [...d.findings.map((f) => f.rule), ...d.passed];
        expect(new Set(rules).size).toBe(rules.length);
        expect(rules.length).toBe(CATALOGUE[r.violationCode] ? 7 : 6);
        for (const f of d.findings) expect(f.severity).toBeDefined();
        expect(checkOnSite(r, h2, ctx)).toEqual(d);
      }),
      RUNS,
    );
  });
});
