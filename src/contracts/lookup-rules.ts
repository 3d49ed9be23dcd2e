import { z } from 'zod';
import { plate } from './enforcement.ts';

// The look-up audit's rule parameters (L-* rules). Stored as immutable versions like the
// enforcement rule sets (lookup_rule_sets, migrations/0011): an edit writes version n+1, every
// alert names the version that raised it, and a version's parameters can be replayed.

const int = (what: string, min: number, max: number) =>
  z.number({ message: `${what}应为数字` }).int(`${what}应为整数`).min(min, `${what}不能小于${min}`).max(max, `${what}不能大于${max}`);
const num = (what: string, min: number, max: number) =>
  z.number({ message: `${what}应为数字` }).min(min, `${what}不能小于${min}`).max(max, `${what}不能大于${max}`);
const hour = (what: string) => int(what, 0, 24);

export const LOOKUP_RULE_IDS = [
  'L-UNKNOWN',
  'L-PURPOSE',
  'L-SELF',
  'L-KIN',
  'L-COLLEAGUE',
  'L-HOT',
  'L-WATCH',
  'L-SKEW',
  'L-OFFDUTY',
  'L-VOLUME',
  'L-BULK',
  'L-SHARED',
  'L-LEAVER',
  'L-CRIMINAL',
  'L-RANDOM',
] as const;
export type LookupRuleId = (typeof LOOKUP_RULE_IDS)[number];

/** zh-CN names of the rules, for the console's rule column and the alert titles. */
export const LOOKUP_RULE_NAMES: Record<LookupRuleId, string> = {
  'L-UNKNOWN': '账号无对应人员',
  'L-PURPOSE': '无正当事由查询',
  'L-SELF': '查询本人信息',
  'L-KIN': '查询亲属信息',
  'L-COLLEAGUE': '查询同事信息',
  'L-HOT': '热点对象被多人查询',
  'L-WATCH': '查询重点关注对象',
  'L-SKEW': '查询对象性别明显偏斜',
  'L-OFFDUTY': '非工作时间查询',
  'L-VOLUME': '查询量异常',
  'L-BULK': '短时批量查询',
  'L-SHARED': '数字证书共用',
  'L-LEAVER': '离职、停职或休假人员查询',
  'L-CRIMINAL': '轨迹信息查询接近入罪标准',
  'L-RANDOM': '随机抽查',
};

export const lookupRuleParams = z.strictObject({
  /** L-PURPOSE: unjustified look-ups of one person in one Beijing day that raise an alert… */
  purposeMinPerDay: int('无事由查询每日告警次数', 1, 10000).default(3),
  /** …and from which it is high */
  purposeHighPerDay: int('无事由查询每日高危次数', 1, 10000).default(20),
  /** L-COLLEAGUE: unjustified look-ups of colleagues in one Beijing month */
  colleagueMin: int('查询同事告警次数', 1, 1000).default(1),
  colleagueHigh: int('查询同事高危次数', 1, 1000).default(5),
  /** L-HOT: distinct accounts looking one subject up without justification within the window */
  hotMinAccounts: int('热点对象最少查询人数', 2, 1000).default(5),
  hotWindowDays: int('热点对象统计天数', 1, 90).default(7),
  /** L-SKEW: at least this many look-ups with a known sex in the period… */
  skewMinLookups: int('性别偏斜最少查询数', 10, 100000).default(60),
  /** …and the person's female share off the brigade's by at least this much */
  skewMinDelta: num('性别偏斜最小差值', 0.05, 1).default(0.3),
  /** L-OFFDUTY: office hours (Beijing) used for people without a roster entry that day */
  officeStartHour: hour('办公开始时间（时）').default(8),
  officeEndHour: hour('办公结束时间（时）').default(18),
  /** Office days: people without a roster entry are off duty on Saturdays and Sundays */
  officeWeekendsOff: z.boolean().default(true),
  /** unjustified off-duty look-ups of one person in one Beijing day */
  offDutyMinPerDay: int('非工作时间查询每日告警次数', 1, 10000).default(3),
  /** L-VOLUME: a day counts only from this many look-ups… */
  volumeMinCount: int('查询量告警最少次数', 1, 100000).default(40),
  /** …at least this multiple of the person's median daily count over the baseline days… */
  volumeOwnRatio: num('高于本人基线倍数', 1, 100).default(3),
  volumeBaselineDays: int('本人基线天数', 7, 90).default(28),
  /** …judged only with at least this many days since the person's first look-up (a newcomer has no baseline) */
  volumeBaselineMinDays: int('本人基线最少天数', 1, 90).default(7),
  /** …and a robust z-score (MAD) against the peers' counts that day of at least this */
  volumeMinZ: num('同类人员稳健Z值阈值', 1, 100).default(3.5),
  /** L-BULK: distinct subjects within the burst window */
  bulkWindowMinutes: int('批量查询时间窗（分钟）', 1, 1440).default(10),
  bulkMinSubjects: int('批量查询最少对象数', 2, 10000).default(25),
  /** L-BULK: a run of this many plates with consecutive numbers (same prefix) within the window */
  bulkSequentialMin: int('连号查询最少数量', 3, 1000).default(5),
  /** L-SHARED: one certificate from two terminals within this many minutes */
  sharedWindowMinutes: int('证书共用判定时长（分钟）', 1, 1440).default(10),
  /** L-CRIMINAL: unjustified location-track records in the window (L9 Art.5, halved on duty: 25) */
  criminalWindowDays: int('轨迹查询累计天数', 1, 1095).default(365),
  criminalAlertAt: int('轨迹查询告警条数', 1, 100000).default(10),
  criminalCriticalAt: int('轨迹查询严重告警条数', 1, 100000).default(25),
  /** L-RANDOM: one look-up in this many is sent for justification (keyed hash, deterministic) */
  randomOneIn: int('随机抽查比例（N取1）', 1, 1000000).default(500),
  /**
   * The key of the sampling hash; a new key (new version) draws a new sample. Each installation
   * draws its own at first start (this default only fills versions written before that); the API
   * shows it as `***`, and `***` sent back keeps the current key.
   */
  randomKey: z.union([z.literal('***'), z.string().trim().min(8, '抽查密钥至少8个字符').max(200, '抽查密钥不能超过200个字符')]).default('clearlane-lookup-sample-v1'),
});
export type LookupRuleParams = z.infer<typeof lookupRuleParams>;

export const DEFAULT_LOOKUP_RULE_PARAMS: LookupRuleParams = lookupRuleParams.parse({});

/** zh-CN labels of the parameters (the parameter page and the diff). */
export const LOOKUP_RULE_PARAM_LABELS: Record<keyof LookupRuleParams, string> = {
  purposeMinPerDay: '无事由查询每日告警次数',
  purposeHighPerDay: '无事由查询每日高危次数',
  colleagueMin: '每月查询同事告警次数',
  colleagueHigh: '每月查询同事高危次数',
  hotMinAccounts: '热点对象最少查询人数',
  hotWindowDays: '热点对象统计天数',
  skewMinLookups: '性别偏斜最少查询数',
  skewMinDelta: '性别偏斜最小差值',
  officeStartHour: '办公开始时间（时）',
  officeEndHour: '办公结束时间（时）',
  officeWeekendsOff: '无排班时周末视为休息',
  offDutyMinPerDay: '非工作时间查询每日告警次数',
  volumeMinCount: '查询量告警最少次数',
  volumeOwnRatio: '高于本人基线倍数',
  volumeBaselineDays: '本人基线天数',
  volumeBaselineMinDays: '本人基线最少天数',
  volumeMinZ: '同类人员稳健Z值阈值',
  bulkWindowMinutes: '批量查询时间窗（分钟）',
  bulkMinSubjects: '批量查询最少对象数',
  bulkSequentialMin: '连号查询最少数量',
  sharedWindowMinutes: '证书共用判定时长（分钟）',
  criminalWindowDays: '轨迹查询累计天数',
  criminalAlertAt: '轨迹查询告警条数',
  criminalCriticalAt: '轨迹查询严重告警条数',
  randomOneIn: '随机抽查比例（N取1）',
  randomKey: '抽查密钥',
};

/** A parameter version as the API returns it. */
export const lookupRuleSet = z.object({
  version: z.number().int(),
  params: lookupRuleParams,
  note: z.string(),
  createdAt: z.string(),
});
export type LookupRuleSet = z.infer<typeof lookupRuleSet>;

/** `POST /api/lookups/detection/run`: a full run, optionally for one period ending now. */
export const lookupDetectionRunBody = z
  .strictObject({
    /** how many days back the full run looks (default: the rules' own windows over 90 days) */
    days: z.number({ message: '天数应为数字' }).int('天数应为整数').min(1, '天数不能小于1').max(400, '天数不能大于400').optional(),
  })
  .nullish();

export const lookupDetectionRunResult = z.object({
  /** new alerts */
  created: z.number().int(),
  /** findings per rule (alerts raised or refreshed, dismissed ones left alone) */
  byRule: z.record(z.string(), z.number().int()),
  ruleSetVersion: z.number().int(),
  tookMs: z.number(),
});
export type LookupDetectionRunResult = z.infer<typeof lookupDetectionRunResult>;

// The personnel identifier registry (personnel_subjects) that L-SELF, L-KIN and L-COLLEAGUE match
// look-ups against: the personnel records hold no ID numbers or vehicles, so inspectors register
// people's own and their relatives' here. Stored as keyed hashes plus a masked copy only (no
// ciphertext), so there is nothing to unmask.

export const RELATIONS = { self: '本人', kin: '亲属' } as const;
export type PersonnelRelation = keyof typeof RELATIONS;

export const personnelSubjectCreate = z
  .strictObject({
    personId: z.number({ message: '请选择人员' }).int('人员无效').positive('人员无效'),
    relation: z.enum(['self', 'kin'], { message: '关系应为本人（self）或亲属（kin）' }),
    plate: plate.optional(),
    idNumber: z
      .string({ message: '身份证号应为文本' })
      .trim()
      .regex(/^\d{17}[\dXx]$/, '身份证号应为18位')
      .transform((v) => v.toUpperCase())
      .optional(),
    note: z.string({ message: '备注应为文本' }).trim().max(200, '备注不能超过200个字符').default(''),
  })
  .refine((v) => v.plate !== undefined || v.idNumber !== undefined, { message: '号牌和身份证号至少填写一项', path: ['plate'] });
export type PersonnelSubjectCreate = z.output<typeof personnelSubjectCreate>;

/** `POST /api/lookups/personnel-subjects` */
export const personnelSubjectCreateBody = z.strictObject({
  items: z.array(personnelSubjectCreate, { message: '登记项应为列表' }).min(1, '至少登记一项').max(1000, '每次最多登记1000项'),
});
export const personnelSubjectAddResult = z.object({ added: z.number().int() });

/** One registered identifier as the API lists it: masked, with the person it belongs to. */
export const personnelSubject = z.object({
  id: z.number().int(),
  personId: z.number().int(),
  /** the person's name and 警号 (empty when the person record is gone) */
  personName: z.string(),
  badgeNo: z.string(),
  relation: z.enum(['self', 'kin']),
  field: z.enum(['plate', 'idNumber']),
  masked: z.string(),
  note: z.string(),
  addedBy: z.string(),
  createdAt: z.string(),
});
export type PersonnelSubject = z.infer<typeof personnelSubject>;

/** `GET /api/lookups/personnel-subjects` */
export const personnelSubjectListQuery = z.strictObject({
  personId: z.coerce.number({ message: '人员无效' }).int('人员无效').positive('人员无效').optional(),
});
export const personnelSubjectList = z.object({ items: z.array(personnelSubject) });

/** `POST /api/lookups/personnel-subjects/:id/remove`: a wrong entry is removed, with the reason in the ledger. */
export const personnelSubjectRemoveBody = z.strictObject({
  reason: z.string({ message: '请填写删除原因' }).trim().min(1, '请填写删除原因').max(200, '删除原因不能超过200个字符'),
});
export const personnelSubjectIdParam = z.strictObject({ id: z.coerce.number({ message: '登记项编号无效' }).int('登记项编号无效').positive('登记项编号无效') });
