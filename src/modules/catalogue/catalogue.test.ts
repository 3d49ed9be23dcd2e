import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CatalogueRow } from '../../contracts/catalogue.ts';
import { diffCounts, diffRows } from './catalogue.diff.ts';
import { CATALOGUE_SHEET, parseDay, parseWholeNumber, toSheetValues, validateRow, type CatalogueSheetValues } from './catalogue.sheet.ts';
import { beijingDay, buildSnapshot, contentSha256, findOverlaps, inForceOn, periodsOverlap } from './catalogue.snapshot.ts';
import { SAMPLE_CATALOGUE } from './sample-catalogue.ts';

const row = (over: Partial<CatalogueRow> = {}): CatalogueRow => ({
  code: '1039',
  description: '机动车违反规定停放、临时停车，妨碍其它车辆、行人通行的',
  basis: '《道路交通安全法》第93条',
  fineMin: 20,
  fineMax: 200,
  fineDefault: 200,
  points: 0,
  category: 'parking',
  warningEligible: true,
  continuingWindowMinutes: 1440,
  effectiveFrom: '2022-04-01',
  effectiveTo: null,
  ...over,
});

/** Beijing wall-clock time → epoch ms. */
const bj = (wall: string) => Date.parse(`${wall}+08:00`);

describe('effective-date resolution (Beijing time, UTC+8)', () => {
  it('takes the calendar day in Beijing, not in UTC', () => {
    expect(beijingDay(Date.parse('2024-01-31T15:59:59.999Z'))).toBe('2024-01-31'); // 23:59:59.999 in Beijing
    expect(beijingDay(Date.parse('2024-01-31T16:00:00.000Z'))).toBe('2024-02-01'); // midnight in Beijing
  });

  const snapshot = buildSnapshot(3, false, [
    row({ fineDefault: 100, effectiveFrom: '2022-04-01', effectiveTo: '2024-02-01' }),
    row({ fineDefault: 200, effectiveFrom: '2024-02-01', effectiveTo: null }),
    row({ code: '1625', points: 6, category: 'signal', warningEligible: false, continuingWindowMinutes: null, effectiveFrom: '2022-04-01', effectiveTo: '2023-01-01' }),
  ]);

  it('switches periods exactly at Beijing midnight of effectiveTo (exclusive) / effectiveFrom (inclusive)', () => {
    expect(snapshot.entryAt('1039', bj('2024-01-31T23:59:59.999'))?.fineDefault).toBe(100);
    expect(snapshot.entryAt('1039', bj('2024-02-01T00:00:00'))?.fineDefault).toBe(200);
    // 2024-01-31T16:30Z is still the 31st in UTC but already the 1st in Beijing
    expect(snapshot.entryAt('1039', Date.parse('2024-01-31T16:30:00Z'))?.fineDefault).toBe(200);
    expect(snapshot.entryAt('1039', Date.parse('2024-01-31T15:30:00Z'))?.fineDefault).toBe(100);
  });

  it('has nothing before the first day, after an end, or for an unknown code', () => {
    expect(snapshot.entryAt('1039', bj('2022-03-31T23:59:59'))).toBeUndefined();
    expect(snapshot.entryAt('1039', bj('2022-04-01T00:00:00'))?.fineDefault).toBe(100);
    expect(snapshot.entryAt('1625', bj('2022-12-31T23:59:59'))?.points).toBe(6);
    expect(snapshot.entryAt('1625', bj('2023-01-01T00:00:00'))).toBeUndefined();
    expect(snapshot.entryAt('9999', bj('2023-01-01T00:00:00'))).toBeUndefined();
    expect(snapshot.entryAt('1039', Number.NaN)).toBeUndefined();
  });

  it('an open-ended period stays in force', () => {
    expect(snapshot.entryAt('1039', bj('2099-12-31T12:00:00'))?.fineDefault).toBe(200);
  });

  it('returns the rules engine shape, and lists each code once', () => {
    expect(snapshot.entryAt('1625', bj('2022-06-01T08:00:00'))).toEqual({
      code: '1625',
      description: row().description,
      basis: row().basis,
      fineMin: 20,
      fineMax: 200,
      fineDefault: 200,
      points: 6,
      category: 'signal',
      warningEligible: false,
      continuingWindowMinutes: null,
    });
    expect(snapshot.codes()).toEqual(['1039', '1625']);
    expect(snapshot.version).toBe(3);
    expect(snapshot.isSample).toBe(false);
  });

  it('inForceOn is half-open', () => {
    const p = { effectiveFrom: '2024-01-01', effectiveTo: '2024-02-01' };
    expect(['2023-12-31', '2024-01-01', '2024-01-31', '2024-02-01'].map((d) => inForceOn(p, d))).toEqual([false, true, true, false]);
  });
});

describe('overlap detection', () => {
  const p = (code: string, effectiveFrom: string, effectiveTo: string | null, id = `${code}@${effectiveFrom}`) => ({ code, effectiveFrom, effectiveTo, id });

  it('adjacent periods (one ends the day the next starts) do not overlap', () => {
    expect(findOverlaps([p('1039', '2022-04-01', '2024-02-01'), p('1039', '2024-02-01', null)])).toEqual([]);
  });

  it('finds a period starting inside another, and an open-ended one followed by anything', () => {
    const a = p('1039', '2022-04-01', '2024-02-01');
    const b = p('1039', '2024-01-31', null);
    expect(findOverlaps([b, a])).toEqual([{ item: b, with: a }]);
    const open = p('1625', '2020-01-01', null);
    const later = p('1625', '2030-01-01', '2031-01-01');
    expect(findOverlaps([open, later])).toEqual([{ item: later, with: open }]);
  });

  it('finds a period nested in a long earlier one even after a short one in between', () => {
    const long = p('1039', '2020-01-01', '2030-01-01');
    const short = p('1039', '2021-01-01', '2021-02-01');
    const nested = p('1039', '2025-01-01', '2025-02-01');
    const found = findOverlaps([long, short, nested]);
    expect(found.map((o) => o.item)).toEqual([short, nested]);
    expect(found.every((o) => o.with === long)).toBe(true);
  });

  it('the same start twice is an overlap, reported on the later row', () => {
    const first = p('1039', '2022-04-01', null, 'row 2');
    const second = p('1039', '2022-04-01', null, 'row 3');
    expect(findOverlaps([first, second])).toEqual([{ item: second, with: first }]);
  });

  it('different codes never overlap each other', () => {
    expect(findOverlaps([p('1039', '2022-04-01', null), p('1625', '2022-04-01', null)])).toEqual([]);
  });

  it('agrees with a pairwise check for any set of periods (property)', () => {
    const day = fc.integer({ min: 0, max: 60 }).map((n) => new Date(Date.UTC(2024, 0, 1 + n)).toISOString().slice(0, 10));
    const period = fc
      .tuple(fc.constantFrom('A', 'B'), day, fc.option(fc.integer({ min: 1, max: 20 }), { nil: null }))
      .map(([code, from, len]) => ({ code, effectiveFrom: from, effectiveTo: len === null ? null : new Date(Date.parse(from) + len * 86_400_000).toISOString().slice(0, 10) }));
    fc.assert(
      fc.property(fc.array(period, { maxLength: 12 }), (periods) => {
        const reported = new Set(findOverlaps(periods).map((o) => o.item));
        for (const o of findOverlaps(periods)) expect(o.item.code === o.with.code && periodsOverlap(o.item, o.with)).toBe(true);
        // Some period overlaps another of its code ⇔ something is reported.
        const anyPair = periods.some((a, i) => periods.some((b, j) => i !== j && a.code === b.code && periodsOverlap(a, b)));
        expect(reported.size > 0).toBe(anyPair);
        // Whatever is not reported forms, per code, a set without overlaps.
        const kept = periods.filter((x) => !reported.has(x));
        expect(kept.some((a, i) => kept.some((b, j) => i !== j && a.code === b.code && periodsOverlap(a, b)))).toBe(false);
      }),
    );
  });
});

const sheet = (over: Partial<CatalogueSheetValues> = {}): CatalogueSheetValues => ({
  code: '1039',
  description: '机动车违反规定停放、临时停车，妨碍其它车辆、行人通行的',
  basis: '《道路交通安全法》第93条',
  fineMin: '20',
  fineMax: '200',
  fineDefault: '200',
  points: '0',
  category: '停车',
  warningEligible: '是',
  continuingWindowMinutes: '1440',
  effectiveFrom: '2022-04-01',
  effectiveTo: '',
  ...over,
});

describe('row validation', () => {
  it('accepts a good row and turns it into an entry', () => {
    expect(validateRow(sheet())).toEqual({ ok: true, row: row() });
  });

  it('accepts the forms Excel and people write', () => {
    const r = validateRow(sheet({ code: 'ab12', fineMax: '2,000', fineDefault: '200.00', category: 'parking', warningEligible: 'FALSE', continuingWindowMinutes: '', effectiveFrom: '2022/4/1', effectiveTo: '2025年1月1日' }));
    expect(r).toEqual({ ok: true, row: row({ code: 'AB12', fineMax: 2000, warningEligible: false, continuingWindowMinutes: null, effectiveTo: '2025-01-01' }) });
  });

  it('every sample row is valid and the sample has no overlapping periods', () => {
    for (const s of SAMPLE_CATALOGUE) {
      const values = toSheetValues(s);
      const asText = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)])) as CatalogueSheetValues;
      expect(validateRow(asText)).toEqual({ ok: true, row: { ...s } });
    }
    expect(findOverlaps([...SAMPLE_CATALOGUE])).toEqual([]);
  });

  const errorsOf = (over: Partial<CatalogueSheetValues>) => {
    const r = validateRow(sheet(over));
    return r.ok ? [] : r.errors;
  };

  it.each([
    [{ code: '' }, '违法代码', '违法代码应为1-10位数字或字母'],
    [{ code: '10-39' }, '违法代码', '违法代码应为1-10位数字或字母'],
    [{ description: '' }, '违法行为', '违法行为不能为空'],
    [{ basis: '' }, '法律依据', '法律依据不能为空'],
    [{ fineMin: '' }, '罚款下限', '罚款下限不能为空'],
    [{ fineMin: '-5' }, '罚款下限', '罚款下限应为 0 到 100000 之间的整数'],
    [{ fineMax: '二百' }, '罚款上限', '罚款上限“二百”不是数字'],
    [{ fineDefault: '150.5' }, '默认罚款', '默认罚款应为 0 到 100000 之间的整数'],
    [{ points: '13' }, '记分', '记分应为 0 到 12 之间的整数'],
    [{ category: '违停' }, '类别', expect.stringContaining('“违停”不是有效类别')],
    [{ warningEligible: '可以' }, '首违警告', '“可以”无效，应为是或否'],
    [{ warningEligible: '' }, '首违警告', '首违警告不能为空，请填写是或否'],
    [{ continuingWindowMinutes: '0' }, '连续违法时长(分钟)', '连续违法时长应为 1 到 10080 之间的整数'],
    [{ effectiveFrom: '' }, '生效日期', '生效日期不能为空'],
    [{ effectiveFrom: '2023-02-29' }, '生效日期', '生效日期“2023-02-29”不是有效日期'],
    [{ effectiveFrom: '2022-04-01T08:00:00' }, '生效日期', '生效日期应为日期，不含时间'],
    [{ effectiveTo: '4/1/2025' }, '失效日期', '失效日期“4/1/2025”格式应为 YYYY-MM-DD'],
  ])('reports %j on its column', (over, field, message) => {
    expect(errorsOf(over)).toEqual([{ field, message }]);
  });

  it('checks the fine range and the period across fields, naming the column to correct', () => {
    expect(errorsOf({ fineMin: '300' })).toEqual([{ field: '罚款上限', message: '罚款上限（200）不能小于罚款下限（300）' }]);
    expect(errorsOf({ fineDefault: '500' })).toEqual([{ field: '默认罚款', message: '默认罚款（500）应在罚款下限与上限之间（20-200）' }]);
    expect(errorsOf({ fineDefault: '10' })).toEqual([{ field: '默认罚款', message: '默认罚款（10）应在罚款下限与上限之间（20-200）' }]);
    expect(errorsOf({ effectiveTo: '2022-04-01' })).toEqual([{ field: '失效日期', message: '失效日期（2022-04-01）应晚于生效日期（2022-04-01）' }]);
  });

  it('reports every problem of a row, not only the first', () => {
    expect(errorsOf({ code: '', points: '20', warningEligible: 'x' }).map((e) => e.field)).toEqual(['违法代码', '记分', '首违警告']);
  });

  it('parses numbers and days strictly', () => {
    expect(parseWholeNumber('0', '记分', 0, 12)).toEqual({ ok: true, value: 0 });
    expect(parseWholeNumber('1e3', '罚款', 0, 5000).ok).toBe(false);
    expect(parseDay('2024-02-29', '生效日期')).toEqual({ ok: true, value: '2024-02-29' });
    expect(parseDay('1989-12-31', '生效日期').ok).toBe(false);
  });

  it('the sheet has the twelve columns in the documented order', () => {
    expect(CATALOGUE_SHEET.map((c) => c.header)).toEqual([
      '违法代码', '违法行为', '法律依据', '罚款下限', '罚款上限', '默认罚款', '记分', '类别', '首违警告', '连续违法时长(分钟)', '生效日期', '失效日期',
    ]);
  });
});

describe('diff between versions', () => {
  it('lists added, removed and changed codes with the changed fields', () => {
    const before = [row(), row({ code: '1625', category: 'signal', points: 6 }), row({ code: '1345', category: 'marking', points: 3 })];
    const after = [
      row({ fineDefault: 150, warningEligible: false }),
      row({ code: '1345', category: 'marking', points: 1 }),
      row({ code: '1636', category: 'speed', points: 12 }),
    ];
    const d = diffRows(before, after);
    expect(d.added.map((r) => r.code)).toEqual(['1636']);
    expect(d.removed.map((r) => r.code)).toEqual(['1625']);
    expect(d.changed).toEqual([
      { code: '1039', description: row().description, changes: [
        { field: 'fineDefault', effectiveFrom: '2022-04-01', before: '200', after: '150' },
        { field: 'warningEligible', effectiveFrom: '2022-04-01', before: '是', after: '否' },
      ] },
      { code: '1345', description: row().description, changes: [{ field: 'points', effectiveFrom: '2022-04-01', before: '3', after: '1' }] },
    ]);
    expect(diffCounts(before, after)).toEqual({ added: 1, removed: 1, changed: 2 });
  });

  it('reports a new period of a code as a change of 有效期, and compares periods by their first day', () => {
    const before = [row()];
    const after = [row({ effectiveTo: '2024-02-01' }), row({ effectiveFrom: '2024-02-01', fineDefault: 100 })];
    expect(diffRows(before, after).changed).toEqual([
      { code: '1039', description: row().description, changes: [{ field: 'periods', effectiveFrom: null, before: '2022-04-01 起', after: '2022-04-01 至 2024-02-01；2024-02-01 起' }] },
    ]);
  });

  it('identical versions differ in nothing and hash alike regardless of row order', () => {
    const rows = SAMPLE_CATALOGUE.map((r) => ({ ...r }));
    expect(diffRows(rows, [...rows].reverse())).toEqual({ added: [], removed: [], changed: [] });
    expect(contentSha256(rows)).toBe(contentSha256([...rows].reverse()));
    expect(contentSha256(rows)).not.toBe(contentSha256([{ ...rows[0]!, fineDefault: rows[0]!.fineDefault - 1 }, ...rows.slice(1)]));
  });
});
