import { describe, expect, it } from 'vitest';
import { LOOKUP_RULE_IDS } from '../contracts/lookup-rules.ts';
import { lookupInput } from '../contracts/lookups.ts';
import { sexOfIdNumber } from '../modules/lookups/detection.service.ts';
import { demoIdNumber, generateLookupDemo, type LookupDemoOptions } from './lookups.demo.ts';
import { seededRandom } from './random.ts';

const DAY = 86_400_000;
const endAt = Date.parse('2026-11-20T00:00:00+08:00');
const people = [
  ...Array.from({ length: 30 }, (_, i) => ({ personId: i + 1, badgeNo: `05${String(100 + i).padStart(4, '0')}`, category: 'police' as const, unitCode: i % 2 ? '32050101' : '32050102' })),
  ...Array.from({ length: 5 }, (_, i) => ({ personId: 100 + i, badgeNo: `F5${String(100 + i).padStart(4, '0')}`, category: 'auxiliary' as const, unitCode: '32050101' })),
];
// officers 0..24 decide on-site records, one every few days each
const records = people.slice(0, 25).flatMap((p, i) =>
  Array.from({ length: 20 }, (_, k) => ({ externalId: `R-${i}-${k}`, officer: p.badgeNo, at: endAt - 88 * DAY + k * 4 * DAY + i * 3_600_000, plate: `苏A${String(10000 + i * 100 + k)}`, driverIdNumber: k % 3 === 0 ? null : demoIdNumber(seededRandom(i * 100 + k), k % 2 === 0) })),
);
const opts: LookupDemoOptions = { seed: 7, endAt, days: 90, total: 4000, people, records, unitCodes: ['320501', '32050100', '32050101', '32050102'] };

describe('look-up demo', () => {
  const demo = generateLookupDemo(opts);
  const rows = [...demo.rows()];

  it('is deterministic and sends only valid intake rows, inside the window, once each', () => {
    expect([...generateLookupDemo(opts).rows()]).toEqual(rows);
    expect(rows.length).toBeGreaterThan(3000);
    expect(rows.length).toBeLessThan(5000);
    expect(new Set(rows.map((r) => r.externalId)).size).toBe(rows.length);
    for (const r of rows) {
      expect(lookupInput.safeParse(r).success, JSON.stringify(r)).toBe(true);
      expect(Date.parse(r.at)).toBeGreaterThanOrEqual(endAt - 90 * DAY);
      expect(Date.parse(r.at)).toBeLessThan(endAt);
    }
  });

  it('backs every background look-up with a record of its maker, of that record’s subject', () => {
    const byId = new Map(records.map((r) => [r.externalId, r]));
    const background = rows.filter((r) => !r.externalId.startsWith('LU-GT-'));
    expect(background.length).toBeGreaterThan(rows.length * 0.8);
    for (const r of background) {
      const rec = byId.get(r.caseRef!)!;
      expect(rec.officer).toBe(r.account);
      expect(Date.parse(r.at)).toBeGreaterThanOrEqual(rec.at);
      expect([rec.plate, rec.driverIdNumber]).toContain(r.subject.plate ?? r.subject.idNumber);
    }
  });

  it('injects a case for every rule', () => {
    expect(new Set(demo.groundTruth.cases.map((c) => c.rule))).toEqual(new Set(LOOKUP_RULE_IDS));
    for (const c of demo.groundTruth.cases.filter((x) => x.rule !== 'L-RANDOM')) expect(c.expect.accounts.length).toBeGreaterThan(0);
  });

  it('makes ID numbers of the asked sex', () => {
    const r = seededRandom(1);
    for (let i = 0; i < 50; i++) {
      expect(sexOfIdNumber(demoIdNumber(r, true))).toBe('F');
      expect(sexOfIdNumber(demoIdNumber(r, false))).toBe('M');
    }
  });
});
