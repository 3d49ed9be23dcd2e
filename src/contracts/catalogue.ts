import { z } from 'zod';
import { optionalText, pageOf, pageQuery } from './common.ts';
import { importRowError } from './org.ts';

// The violation catalogue (违法代码): versioned; the current catalogue is the latest version.

export const CATALOGUE_CATEGORIES = {
  parking: '停车',
  signal: '信号灯',
  marking: '标志标线',
  speed: '超速',
  equipment: '安全装置',
  driving: '驾驶行为',
  pedestrian: '行人/乘车人',
  nonMotor: '非机动车',
  overload: '超载',
  other: '其他',
} as const;
export type CatalogueCategory = keyof typeof CATALOGUE_CATEGORIES;
export const CATALOGUE_CATEGORY_VALUES = Object.keys(CATALOGUE_CATEGORIES) as [CatalogueCategory, ...CatalogueCategory[]];
export const catalogueCategory = z.enum(CATALOGUE_CATEGORY_VALUES, { message: '违法类别无效' });

/** GA 408.1 codes are 4–5 digits; provinces add their own. Stored upper-case. */
export const VIOLATION_CODE_PATTERN = /^[0-9A-Z]{1,10}$/;
export const violationCode = z
  .string({ message: '违法代码不能为空' })
  .trim()
  .toUpperCase()
  .regex(VIOLATION_CODE_PATTERN, '违法代码应为1-10位数字或字母');

export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');

/** One effective period of one code in one version. */
export const catalogueRow = z.object({
  code: z.string(),
  description: z.string(),
  basis: z.string(),
  /** whole yuan */
  fineMin: z.number().int(),
  fineMax: z.number().int(),
  fineDefault: z.number().int(),
  points: z.number().int(),
  category: catalogueCategory,
  warningEligible: z.boolean(),
  /** continuing-violation window for the repeat rule; null = the rule set's default */
  continuingWindowMinutes: z.number().int().nullable(),
  /** first Beijing calendar day in force */
  effectiveFrom: z.string(),
  /** first Beijing calendar day no longer in force; null = open-ended */
  effectiveTo: z.string().nullable(),
});
export type CatalogueRow = z.infer<typeof catalogueRow>;

export const catalogueVersion = z.object({
  version: z.number().int(),
  label: z.string(),
  isSample: z.boolean(),
  sourceFilename: z.string().nullable(),
  sourceSha256: z.string().nullable(),
  contentSha256: z.string(),
  entryCount: z.number().int(),
  note: z.string().nullable(),
  createdAt: z.string(),
  createdByName: z.string(),
});
export type CatalogueVersion = z.infer<typeof catalogueVersion>;

const versionNumber = (what: string) => z.coerce.number({ message: `${what}应为数字` }).int(`${what}应为整数`).positive(`${what}应为正整数`);
const flag = z.enum(['true', 'false'], { message: '应为 true 或 false' });

export const catalogueListQuery = z.strictObject({
  ...pageQuery,
  /** default: the current version */
  version: versionNumber('版本号').optional(),
  /** code prefix or text in the description */
  q: optionalText,
  category: catalogueCategory.optional(),
  warningEligible: flag.optional(),
  /** only periods in force on this Beijing calendar day */
  effectiveOn: isoDate.optional(),
});
export const cataloguePage = pageOf(catalogueRow).extend({
  /** the version listed; null while no catalogue exists */
  version: catalogueVersion.nullable(),
});
export type CataloguePage = z.infer<typeof cataloguePage>;

export const violationCodeParam = z.strictObject({ code: violationCode });
export const catalogueVersionQuery = z.strictObject({ version: versionNumber('版本号').optional() });
export const catalogueCodeDetail = z.object({
  version: catalogueVersion,
  code: z.string(),
  /** every effective period of the code in that version, oldest first */
  periods: z.array(catalogueRow),
});
export type CatalogueCodeDetail = z.infer<typeof catalogueCodeDetail>;

export const catalogueVersionListQuery = z.strictObject({ ...pageQuery });
export const catalogueVersionPage = pageOf(catalogueVersion);

export const catalogueDiffQuery = z.strictObject({
  /** default: the version before `to` */
  from: versionNumber('对比版本').optional(),
  /** default: the current version */
  to: versionNumber('对比版本').optional(),
});
export const CATALOGUE_FIELD_LABELS = {
  description: '违法行为',
  basis: '法律依据',
  fineMin: '罚款下限',
  fineMax: '罚款上限',
  fineDefault: '默认罚款',
  points: '记分',
  category: '类别',
  warningEligible: '首违警告',
  continuingWindowMinutes: '连续违法时长(分钟)',
  periods: '有效期',
} as const;
export type CatalogueDiffField = keyof typeof CATALOGUE_FIELD_LABELS;
export const catalogueFieldChange = z.object({
  field: z.enum(Object.keys(CATALOGUE_FIELD_LABELS) as [CatalogueDiffField, ...CatalogueDiffField[]]),
  /** the period compared (matched by its first day); null for `periods` */
  effectiveFrom: z.string().nullable(),
  /** display text (是/否, 类别 labels, '—' for none) */
  before: z.string(),
  after: z.string(),
});
export type CatalogueFieldChange = z.infer<typeof catalogueFieldChange>;
export const catalogueDiff = z.object({
  from: catalogueVersion,
  to: catalogueVersion,
  /** every period of codes only in `to` */
  added: z.array(catalogueRow),
  /** every period of codes only in `from` */
  removed: z.array(catalogueRow),
  changed: z.array(z.object({ code: z.string(), description: z.string(), changes: z.array(catalogueFieldChange) })),
});
export type CatalogueDiff = z.infer<typeof catalogueDiff>;

export const catalogueTemplateQuery = z.strictObject({ format: z.enum(['xlsx', 'csv'], { message: '格式应为 xlsx 或 csv' }).default('xlsx') });
export const catalogueExportQuery = z.strictObject({
  version: versionNumber('版本号').optional(),
  format: z.enum(['xlsx', 'csv'], { message: '格式应为 xlsx 或 csv' }).default('xlsx'),
});

export const catalogueImportQuery = z.strictObject({
  /** validate and report only; nothing is written */
  dryRun: flag.default('false').transform((v) => v === 'true'),
  label: z.string().trim().max(100, '版本名称不能超过100个字符').optional().transform((v) => v || undefined),
  note: z.string().trim().max(500, '备注不能超过500个字符').optional().transform((v) => v || undefined),
});

/**
 * The answer to a catalogue import. All or nothing: `version` is set only when every row was
 * valid and a new version was written. Row errors use the personnel import's shape.
 */
export const catalogueImportReport = z.object({
  dryRun: z.boolean(),
  /** data rows read (the template's example row is not counted) */
  total: z.number().int(),
  valid: z.number().int(),
  /** rows with at least one error */
  rejected: z.number().int(),
  errors: z.array(importRowError),
  /** SHA-256 of the uploaded file */
  sha256: z.string(),
  /** the version written, or null (dry run, errors, or same content as the current version) */
  version: catalogueVersion.nullable(),
  /** true when the file holds exactly the current version's content: no new version is made */
  sameAsCurrent: z.boolean(),
  /** against the current version (what the import changes); codes counted */
  added: z.number().int(),
  removed: z.number().int(),
  changed: z.number().int(),
  /** the version compared against; null when there is none */
  baseVersion: z.number().int().nullable(),
});
export type CatalogueImportReport = z.infer<typeof catalogueImportReport>;
