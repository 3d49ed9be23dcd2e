// The catalogue as a spreadsheet: one column spec for the import template, the upload and the
// export (so an exported version imports back unchanged), and the pure check of one row.
import { z } from 'zod';
import {
  CATALOGUE_CATEGORIES,
  type CatalogueCategory,
  type CatalogueRow,
  violationCode,
} from '../../contracts/catalogue.ts';
import { defineColumns } from '../../platform/sheets/index.ts';
import { SAMPLE_CATALOGUE } from './sample-catalogue.ts';

const EXAMPLE = SAMPLE_CATALOGUE[0]!;
const CATEGORY_LIST = Object.values(CATALOGUE_CATEGORIES).join('、');

export const CATALOGUE_SHEET = defineColumns([
  { key: 'code', header: '违法代码', example: EXAMPLE.code, note: '必填：1-10位数字或字母（如 GA 408.1 代码 1039）。同一代码可有多行，有效期不得重叠' },
  // The example is marked as one, so a real row (the sample's 1039 in an export) never equals it.
  { key: 'description', header: '违法行为', example: `（示例行，请删除）${EXAMPLE.description}`, width: 48, note: '必填，不超过200字' },
  { key: 'basis', header: '法律依据', example: EXAMPLE.basis, width: 30, note: '必填，如《道路交通安全法》第90条' },
  { key: 'fineMin', header: '罚款下限', example: String(EXAMPLE.fineMin), note: '必填：整数，单位元' },
  { key: 'fineMax', header: '罚款上限', example: String(EXAMPLE.fineMax), note: '必填：整数，单位元，不小于罚款下限' },
  { key: 'fineDefault', header: '默认罚款', example: String(EXAMPLE.fineDefault), note: '必填：整数，单位元，在下限与上限之间' },
  { key: 'points', header: '记分', example: String(EXAMPLE.points), note: '必填：0-12 的整数' },
  { key: 'category', header: '类别', example: CATALOGUE_CATEGORIES[EXAMPLE.category], note: `必填：${CATEGORY_LIST}` },
  { key: 'warningEligible', header: '首违警告', aliases: ['首违警告(是/否)', '是否首违警告'], example: EXAMPLE.warningEligible ? '是' : '否', note: '必填：是 或 否（是否列入本省首违警告清单）' },
  {
    key: 'continuingWindowMinutes',
    header: '连续违法时长(分钟)',
    aliases: ['连续违法时长'],
    example: EXAMPLE.continuingWindowMinutes === null ? '' : String(EXAMPLE.continuingWindowMinutes),
    required: false,
    note: '选填：此时长内同一地点的连续违法只处罚一次；留空按规则参数的默认值',
  },
  { key: 'effectiveFrom', header: '生效日期', example: EXAMPLE.effectiveFrom, note: '必填：YYYY-MM-DD，自该日（北京时间）起适用' },
  { key: 'effectiveTo', header: '失效日期', example: EXAMPLE.effectiveTo ?? '', required: false, note: '选填：YYYY-MM-DD，自该日起不再适用；留空表示长期有效' },
]);

export type CatalogueSheetKey = (typeof CATALOGUE_SHEET)[number]['key'];
export type CatalogueSheetValues = Record<CatalogueSheetKey, string>;

export const SHEET_LABEL: Record<CatalogueSheetKey, string> = Object.fromEntries(CATALOGUE_SHEET.map((c) => [c.key, c.header])) as Record<CatalogueSheetKey, string>;

/** The template's example row sent back unchanged is not a catalogue entry. */
export const isExampleRow = (values: CatalogueSheetValues) => CATALOGUE_SHEET.every((c) => values[c.key] === (c.example ?? ''));

export const MAX_FINE_YUAN = 100_000;
/** Same upper bound as the rule set's default continuing window (7 days). */
export const MAX_CONTINUING_MINUTES = 10_080;

const CATEGORY_BY_TEXT = new Map<string, CatalogueCategory>();
for (const [key, label] of Object.entries(CATALOGUE_CATEGORIES) as Array<[CatalogueCategory, string]>) {
  CATEGORY_BY_TEXT.set(label, key);
  CATEGORY_BY_TEXT.set(key.toLowerCase(), key);
}
CATEGORY_BY_TEXT.set('行人', 'pedestrian');
CATEGORY_BY_TEXT.set('乘车人', 'pedestrian');

const YES = new Set(['是', 'y', 'yes', 'true', '1']);
const NO = new Set(['否', 'n', 'no', 'false', '0']);

export interface FieldError {
  field: string;
  message: string;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** A whole number of yuan, minutes or points. Excel's '200' and '200.00' both count; '200.5' does not. */
export function parseWholeNumber(text: string, what: string, min: number, max: number): Parsed<number> {
  if (text === '') return { ok: false, message: `${what}不能为空` };
  const plain = text.replace(/[,，]/g, '');
  if (!/^[-+]?\d+(\.\d+)?$/.test(plain)) return { ok: false, message: `${what}“${text}”不是数字` };
  const m = /^\+?(\d+)(?:\.0+)?$/.exec(plain);
  const value = m ? Number(m[1]) : Number.NaN;
  if (!(value >= min && value <= max)) return { ok: false, message: `${what}应为 ${min} 到 ${max} 之间的整数` };
  return { ok: true, value };
}

/** 'YYYY-MM-DD', also 2022/4/1, 2022.4.1 and 2022年4月1日; a real calendar day between 1990 and 2100. */
export function parseDay(text: string, what: string): Parsed<string> {
  if (text === '') return { ok: false, message: `${what}不能为空` };
  if (/^\d{4}-\d{2}-\d{2}T/.test(text)) return { ok: false, message: `${what}应为日期，不含时间` };
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(text);
  if (!m) return { ok: false, message: `${what}“${text}”格式应为 YYYY-MM-DD` };
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return { ok: false, message: `${what}“${text}”不是有效日期` };
  }
  if (year < 1990 || year > 2100) return { ok: false, message: `${what}应在 1990 年到 2100 年之间` };
  return { ok: true, value: date.toISOString().slice(0, 10) };
}

const text = (what: string, max: number) => z.string().trim().min(1, `${what}不能为空`).max(max, `${what}不能超过${max}个字`);
const codeSchema = violationCode;
const descriptionSchema = text('违法行为', 200);
const basisSchema = text('法律依据', 300);

/**
 * Checks one sheet row. Every problem of the row is reported (not only the first), each with the
 * column header as its field; cross-field problems name the column to correct.
 */
export function validateRow(values: CatalogueSheetValues): { ok: true; row: CatalogueRow } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const fail = (key: CatalogueSheetKey, message: string) => errors.push({ field: SHEET_LABEL[key], message });
  const take = <T>(key: CatalogueSheetKey, parsed: Parsed<T>): T | undefined => {
    if (parsed.ok) return parsed.value;
    fail(key, parsed.message);
    return undefined;
  };
  const zodText = (key: CatalogueSheetKey, schema: z.ZodType<string>): string | undefined => {
    const r = schema.safeParse(values[key]);
    return take(key, r.success ? { ok: true, value: r.data } : { ok: false, message: r.error.issues[0]?.message ?? '无效' });
  };

  const code = zodText('code', codeSchema);
  const description = zodText('description', descriptionSchema);
  const basis = zodText('basis', basisSchema);
  const fineMin = take('fineMin', parseWholeNumber(values.fineMin, '罚款下限', 0, MAX_FINE_YUAN));
  const fineMax = take('fineMax', parseWholeNumber(values.fineMax, '罚款上限', 0, MAX_FINE_YUAN));
  const fineDefault = take('fineDefault', parseWholeNumber(values.fineDefault, '默认罚款', 0, MAX_FINE_YUAN));
  const points = take('points', parseWholeNumber(values.points, '记分', 0, 12));

  let category: CatalogueCategory | undefined;
  const categoryText = values.category;
  if (categoryText === '') fail('category', '类别不能为空');
  else {
    category = CATEGORY_BY_TEXT.get(categoryText) ?? CATEGORY_BY_TEXT.get(categoryText.toLowerCase());
    if (!category) fail('category', `“${categoryText}”不是有效类别，应为：${CATEGORY_LIST}`);
  }

  let warningEligible: boolean | undefined;
  const warningText = values.warningEligible.toLowerCase();
  if (warningText === '') fail('warningEligible', '首违警告不能为空，请填写是或否');
  else if (YES.has(warningText)) warningEligible = true;
  else if (NO.has(warningText)) warningEligible = false;
  else fail('warningEligible', `“${values.warningEligible}”无效，应为是或否`);

  const continuingWindowMinutes =
    values.continuingWindowMinutes === '' ? null : take('continuingWindowMinutes', parseWholeNumber(values.continuingWindowMinutes, '连续违法时长', 1, MAX_CONTINUING_MINUTES));
  const effectiveFrom = take('effectiveFrom', parseDay(values.effectiveFrom, '生效日期'));
  const effectiveTo = values.effectiveTo === '' ? null : take('effectiveTo', parseDay(values.effectiveTo, '失效日期'));

  if (fineMin !== undefined && fineMax !== undefined && fineMax < fineMin) fail('fineMax', `罚款上限（${fineMax}）不能小于罚款下限（${fineMin}）`);
  else if (fineMin !== undefined && fineMax !== undefined && fineDefault !== undefined && (fineDefault < fineMin || fineDefault > fineMax)) {
    fail('fineDefault', `默认罚款（${fineDefault}）应在罚款下限与上限之间（${fineMin}-${fineMax}）`);
  }
  if (effectiveFrom !== undefined && effectiveTo && effectiveTo <= effectiveFrom) fail('effectiveTo', `失效日期（${effectiveTo}）应晚于生效日期（${effectiveFrom}）`);

  if (
    errors.length > 0 ||
    code === undefined ||
    description === undefined ||
    basis === undefined ||
    fineMin === undefined ||
    fineMax === undefined ||
    fineDefault === undefined ||
    points === undefined ||
    category === undefined ||
    warningEligible === undefined ||
    continuingWindowMinutes === undefined ||
    effectiveFrom === undefined ||
    effectiveTo === undefined
  ) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    row: { code, description, basis, fineMin, fineMax, fineDefault, points, category, warningEligible, continuingWindowMinutes, effectiveFrom, effectiveTo },
  };
}

/** A row as the sheet shows it: the export, which imports back unchanged. */
export function toSheetValues(row: CatalogueRow): Record<CatalogueSheetKey, string | number> {
  return {
    code: row.code,
    description: row.description,
    basis: row.basis,
    fineMin: row.fineMin,
    fineMax: row.fineMax,
    fineDefault: row.fineDefault,
    points: row.points,
    category: CATALOGUE_CATEGORIES[row.category],
    warningEligible: row.warningEligible ? '是' : '否',
    continuingWindowMinutes: row.continuingWindowMinutes ?? '',
    effectiveFrom: row.effectiveFrom,
    effectiveTo: row.effectiveTo ?? '',
  };
}
