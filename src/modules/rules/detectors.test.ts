import { describe, expect, it } from 'vitest';
import { DEFAULT_RULE_PARAMS, type RuleParams } from '../../contracts/rules.ts';
import { detectFlatAmount, detectNonLocal, detectPeriodEnd, detectTruckRepeat, isNonLocalPlate, type DailyPenaltyRow, type FineAmountRow, type PenalisedFreightRecord } from './detectors.ts';
import { at, DAY, T0 } from './rules.testing.ts';

const params: RuleParams = { ...DEFAULT_RULE_PARAMS };
const march: { from: number; to: number } = { from: at('2026-03-01T00:00:00+08:00'), to: at('2026-04-01T00:00:00+08:00') };

describe('D-TRUCK-REPEAT (3 times in 30 days)', () => {
  const rec = (id: number, days: number, over: Partial<PenalisedFreightRecord> = {}): PenalisedFreightRecord => ({ id, plate: '皖K11111', occurredAt: T0 + days * DAY, checkpoint: 'CAM-09', ...over });

  it('3 penalties within 30 days at one checkpoint are a finding; 2 are not', () => {
    expect(detectTruckRepeat([rec(1, 0), rec(2, 10)], params, 1)).toEqual([]);
    const [f, ...rest] = detectTruckRepeat([rec(3, 30), rec(1, 0), rec(2, 10)], params, 1);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ detector: 'D-TRUCK-REPEAT', subjectKind: 'checkpoint', subject: 'CAM-09', severity: 'medium', evidenceIds: [1, 2, 3], facts: { count: 3, maxInWindow: 3 }, dedupKey: 'D-TRUCK-REPEAT|皖K11111|checkpoint:CAM-09|1' });
    expect(f!.explanation).toContain('任意30日内最多3次');
    expect(detectTruckRepeat([1, 2, 3].map((d) => rec(d, d, { checkpoint: 'device:CAM-09' })), params, 1)[0]!.title).toContain('监控设备CAM-09');
    expect(detectTruckRepeat([1, 2, 3].map((d) => rec(d, d, { checkpoint: 'road:G312' })), params, 1)[0]!.title).toContain('执勤路段“G312”');
    expect(f!.basis).toContain('《行政处罚法》第29条');
  });

  it('30 days and a millisecond apart is outside the window', () => {
    expect(detectTruckRepeat([rec(1, 0), rec(2, 10), { ...rec(3, 30), occurredAt: T0 + 30 * DAY + 1 }], params, 1)).toEqual([]);
  });

  it('one finding per officer and per checkpoint; different plates and subjects do not add up', () => {
    const byOfficer = [rec(1, 0, { officer: '010001', checkpoint: '中山路' }), rec(2, 1, { officer: '010001', checkpoint: '解放路' }), rec(3, 2, { officer: '010001', checkpoint: '长江路' })];
    expect(detectTruckRepeat(byOfficer, params, 1).map((f) => `${f.subjectKind}:${f.subject}`)).toEqual(['officer:010001']);
    expect(detectTruckRepeat([rec(1, 0), rec(2, 1), rec(3, 2, { plate: '皖K22222' })], params, 1)).toEqual([]);
  });

  it('episodes far apart are separate findings with stable keys; a re-run over more data keeps the first key', () => {
    const jan = [rec(1, 0), rec(2, 1), rec(3, 2)];
    const jun = [rec(7, 150), rec(8, 151), rec(9, 152)];
    const both = detectTruckRepeat([...jan, ...jun], params, 1);
    expect(both.map((f) => f.evidenceIds)).toEqual([[1, 2, 3], [7, 8, 9]]);
    expect(detectTruckRepeat(jan, params, 2)[0]!.dedupKey).toBe(both[0]!.dedupKey);
  });

  it('twice the threshold in one window is high', () => {
    expect(detectTruckRepeat([0, 1, 2, 3, 4, 5].map((d) => rec(d + 1, d)), params, 1)[0]!.severity).toBe('high');
  });
});

describe('D-FLAT-AMOUNT (≥10 fines, ≥3 codes, one amount ≥90%)', () => {
  const officer = { subjectKind: 'officer' as const, subject: '010001' };
  const rows = (flat: number, other: number, codes = ['6046', '1039', '1625']): FineAmountRow[] => [
    ...codes.map((code, i) => ({ ...officer, code, fineYuan: 200, count: Math.floor(flat / codes.length) + (i < flat % codes.length ? 1 : 0), recordIds: [i + 1] })),
    ...(other > 0 ? [{ ...officer, code: '6047', fineYuan: 1000, count: other }] : []),
  ];

  it('9 of 10 at ¥200 across 3 codes is a finding', () => {
    const [f] = detectFlatAmount(rows(9, 1), march, params, 1);
    expect(f).toMatchObject({ detector: 'D-FLAT-AMOUNT', subject: '010001', facts: { total: 10, amount: 200, amountCount: 9, share: 0.9, codesAtAmount: ['1039', '1625', '6046'] }, evidenceIds: [1, 2, 3], dedupKey: 'D-FLAT-AMOUNT|officer:010001|2026-03-01..2026-03-31' });
    expect(f!.explanation).toContain('90.0%');
    expect(f!.basis).toContain('《道路交通安全法》第86条');
  });

  it('below the share, the count or the number of codes is not', () => {
    expect(detectFlatAmount(rows(17, 3), march, params, 1)).toEqual([]); // 85%
    expect(detectFlatAmount(rows(9, 0), march, params, 1)).toEqual([]); // 9 fines
    expect(detectFlatAmount(rows(20, 0, ['6046', '1039']), march, params, 1)).toEqual([]); // 2 codes
  });

  it('the codes counted are those charged the flat amount', () => {
    const r: FineAmountRow[] = [
      { ...officer, code: '6046', fineYuan: 200, count: 95 },
      { ...officer, code: '1039', fineYuan: 100, count: 3 },
      { ...officer, code: '1625', fineYuan: 50, count: 2 },
    ];
    expect(detectFlatAmount(r, march, params, 1)).toEqual([]);
  });
});

describe('D-NONLOCAL (share > 2 × brigade share, ≥20 penalties)', () => {
  const brigade = { total: 1000, nonLocal: 200 }; // 20%
  const cp = (total: number, nonLocal: number) => ({ subjectKind: 'checkpoint' as const, subject: 'CAM-09', total, nonLocal });

  it('41% against a 20% baseline is a finding; exactly 40% is not', () => {
    const [f] = detectNonLocal([cp(100, 41)], brigade, march, params, 1);
    expect(f).toMatchObject({ detector: 'D-NONLOCAL', facts: { share: 0.41, baseline: 0.2, threshold: 0.4 } });
    expect(f!.explanation).toContain('41.0%');
    expect(detectNonLocal([cp(100, 40)], brigade, march, params, 1)).toEqual([]);
  });

  it('needs at least 20 penalties', () => {
    expect(detectNonLocal([cp(19, 19)], brigade, march, params, 1)).toEqual([]);
    expect(detectNonLocal([cp(20, 20)], brigade, march, params, 1)).toHaveLength(1);
  });

  it('local means a listed plate prefix', () => {
    expect(isNonLocalPlate('苏A12345', params)).toBe(false);
    expect(isNonLocalPlate('苏B12345', params)).toBe(true);
    expect(isNonLocalPlate('皖K11111', { localPlatePrefixes: ['苏A', '皖K'] })).toBe(false);
  });
});

describe('D-PERIOD-END (last 3 days ≥ 2 × the rest per day, ≥20 in the month)', () => {
  const rowsFor = (perDayRest: number, perDayEnd: number, month = '2026-03', days = 31): DailyPenaltyRow[] =>
    Array.from({ length: days }, (_, i) => {
      const d = i + 1;
      return { subjectKind: 'officer' as const, subject: '010001', month, day: `${month}-${String(d).padStart(2, '0')}`, count: d > days - 3 ? perDayEnd : perDayRest, recordIds: [d] };
    });

  it('twice the rest per day at the month end is a finding; just under is not', () => {
    const [f] = detectPeriodEnd(rowsFor(1, 2), params, 1);
    expect(f).toMatchObject({ detector: 'D-PERIOD-END', dedupKey: 'D-PERIOD-END|officer:010001|2026-03', facts: { endCount: 6, restCount: 28, ratio: 2 }, evidenceIds: [29, 30, 31] });
    expect(f!.occurredAt).toBe(at('2026-04-01T00:00:00+08:00') - 1);
    const under = rowsFor(1, 2).map((r) => (r.day === '2026-03-01' ? { ...r, count: 2 } : r)); // rest 29/28 per day
    expect(detectPeriodEnd(under, params, 1)).toEqual([]);
  });

  it('the month’s length decides which days are the end (February)', () => {
    expect(detectPeriodEnd(rowsFor(1, 2, '2026-02', 28), params, 1)[0]?.facts).toMatchObject({ endDays: 3, restDays: 25, endCount: 6 });
  });

  it('needs at least 20 penalties in the month', () => {
    const few = rowsFor(0, 6).filter((r) => r.count > 0); // 18, all at the end
    expect(detectPeriodEnd(few, params, 1)).toEqual([]);
    const enough = [...few, { ...few[0]!, count: 2 }];
    expect(detectPeriodEnd(enough, params, 1)[0]?.facts).toMatchObject({ restCount: 0, ratio: null });
  });
});
