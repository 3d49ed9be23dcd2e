import { z } from 'zod';
import { isoDateTime, optionalText, pageOf, pageQuery } from './common.ts';
import { ID_NUMBER_PATTERN, plate } from './enforcement.ts';
import { importRowError } from './org.ts';

// Look-ups of vehicle and driver data (查询审计): the intake row the traffic-management system's
// query log sends, purpose binding, the console's read shapes, the watch list, the duty roster
// and explanation requests (说明核查). Messages are zh-CN: they go back to the sender row by row.

export const QUERY_TYPES = {
  vehicle: '机动车信息',
  driver: '驾驶人信息',
  violations: '违法记录',
  locationTrack: '轨迹/卡口照片',
  other: '其他',
} as const;
export type QueryType = keyof typeof QUERY_TYPES;
export const QUERY_TYPE_VALUES = Object.keys(QUERY_TYPES) as [QueryType, ...QueryType[]];

/** The purpose dictionary (查询事由). */
export const PURPOSE_CATEGORIES = {
  roadCheck: '路面检查',
  caseHandling: '案件办理',
  accident: '事故处理',
  vehicleAdmin: '车驾管业务',
  other: '其他',
} as const;
export type PurposeCategory = keyof typeof PURPOSE_CATEGORIES;
export const PURPOSE_CATEGORY_VALUES = Object.keys(PURPOSE_CATEGORIES) as [PurposeCategory, ...PurposeCategory[]];

/**
 * Which query types each purpose may justify. Location tracks and checkpoint photos are the data
 * whose criminal threshold is lowest (L9 Art.5: 50 records, halved on duty): only a case or an
 * accident justifies them. 其他 justifies nothing by itself: an inspector reads its text.
 */
export const PURPOSE_ALLOWED: Record<PurposeCategory, readonly QueryType[]> = {
  roadCheck: ['vehicle', 'driver', 'violations'],
  caseHandling: ['vehicle', 'driver', 'violations', 'locationTrack', 'other'],
  accident: ['vehicle', 'driver', 'violations', 'locationTrack'],
  vehicleAdmin: ['vehicle', 'driver', 'violations'],
  other: [],
};

/**
 * Parameters of purpose binding, office hours and explanation requests. `version` goes into every
 * stored justification, so a decision names the parameters it was made under.
 */
export interface LookupParams {
  version: number;
  stopWindowMinutes: number;
  caseWindowDays: number;
  officeHours: { start: string; end: string };
  explanationDeadlineWorkingDays: number;
}
export const LOOKUP_PARAMS: Readonly<LookupParams> = {
  version: 1,
  /** an on-site stop justifies look-ups this many minutes before or after it */
  stopWindowMinutes: 30,
  /** a record the person decided or assisted justifies look-ups from this long before it to this many days after */
  caseWindowDays: 90,
  /** office hours (Beijing time, working days) when a person has no roster entry */
  officeHours: { start: '08:00', end: '18:00' },
  /** default deadline of an explanation request, in working days */
  explanationDeadlineWorkingDays: 3,
};

// ---- intake ----

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const text = (what: string, max: number) =>
  z
    .string({ message: `${what}应为文本` })
    .trim()
    .max(max, `${what}不能超过${max}个字符`)
    .refine((v) => !CONTROL.test(v), `${what}含有不可见的控制字符`);
const required = (what: string, max: number) => text(what, max).refine((v) => v.length > 0, `${what}不能为空`);

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9A-Fa-f:.]{2,45}$/;
export const ipAddress = z
  .string({ message: '终端IP不能为空' })
  .trim()
  .refine((v) => IPV4.test(v) || (v.includes(':') && IPV6.test(v)), '终端IP格式无效');

const PURPOSE_BY_LABEL: Record<string, PurposeCategory> = Object.fromEntries(
  PURPOSE_CATEGORY_VALUES.flatMap((k) => [[k, k], [PURPOSE_CATEGORIES[k], k]]),
) as Record<string, PurposeCategory>;
/** A purpose category by code (`roadCheck`) or by its dictionary label (`路面检查`). */
export const purposeCategory = z.string({ message: '查询事由类别应为文本' }).transform((v, ctx) => {
  const code = PURPOSE_BY_LABEL[v.trim()];
  if (!code) {
    ctx.addIssue({ code: 'custom', message: `查询事由类别“${v}”不在字典中（${Object.values(PURPOSE_CATEGORIES).join('、')}）` });
    return z.NEVER;
  }
  return code;
});

export const subjectInput = z
  .strictObject({
    plate: plate.optional(),
    idNumber: z
      .string({ message: '身份证号应为文本' })
      .trim()
      .regex(ID_NUMBER_PATTERN, '身份证号应为18位')
      .transform((v) => v.toUpperCase())
      .optional(),
    name: required('姓名', 30).optional(),
  }, { message: '查询对象应为对象' })
  .refine((s) => s.plate !== undefined || s.idNumber !== undefined || s.name !== undefined, '查询对象至少要有号牌、身份证号或姓名之一');
export type SubjectInput = z.infer<typeof subjectInput>;

/** Not in the future; a few minutes of clock skew between systems are tolerated. */
const CLOCK_SKEW_MS = 5 * 60_000;

export const lookupInput = z.strictObject({
  externalId: required('外部编号', 64),
  at: isoDateTime.refine((v) => Date.parse(v) <= Date.now() + CLOCK_SKEW_MS, '查询时间不能晚于当前时间'),
  account: required('查询账号', 40),
  certificateId: required('数字证书编号', 100),
  terminal: z.strictObject({ id: required('终端编号', 64), ip: ipAddress }, { message: '终端应为对象 { id, ip }' }),
  terminalUnit: required('终端所属单位', 60).optional(),
  queryType: z.enum(QUERY_TYPE_VALUES, { message: '查询类型应为 vehicle、driver、violations、locationTrack 或 other' }),
  subject: subjectInput,
  purpose: z.strictObject({ category: purposeCategory, text: text('查询事由说明', 500).default('') }, { message: '查询事由应为对象 { category, text }' }).optional(),
  caseRef: required('关联编号', 64).optional(),
  resultCount: z.number({ message: '返回条数应为数字' }).int('返回条数应为整数').min(0, '返回条数不能为负数').max(1_000_000, '返回条数超出范围').optional(),
});
export type LookupInput = z.infer<typeof lookupInput>;

export const MAX_LOOKUP_BATCH = 10_000;
export const lookupBatchBody = z.strictObject({
  lookups: z.array(z.unknown()).min(1, '至少报送一条查询记录').max(MAX_LOOKUP_BATCH, `每批最多${MAX_LOOKUP_BATCH}条查询记录`),
});

// ---- purpose binding ----

export const JUSTIFICATION_REASONS = {
  stop: '关联本人现场查处记录（时间相近）',
  case: '关联本人办理或协助的执法记录',
  noPurpose: '未填写查询事由',
  categoryNotAllowed: '查询事由类别不允许此类查询',
  noCaseRef: '未关联执法记录、案件或现场检查',
  caseRefNotFound: '关联编号在本平台中找不到',
  notParticipant: '查询人不是关联记录的处罚民警或协助人员',
  subjectMismatch: '查询对象与关联记录的车辆或当事人不符',
  subjectNotComparable: '关联记录中没有可与查询对象核对的号牌或当事人信息',
  outsideWindow: '查询时间与关联记录相距过远',
  unknownAccount: '查询账号不对应任何在册人员',
} as const;
export type JustificationReason = keyof typeof JUSTIFICATION_REASONS;

/** The facts a purpose-binding decision rests on, stored with the look-up. */
export const justificationFacts = z.object({
  rule: z.literal('L-PURPOSE-BINDING'),
  paramsVersion: z.number().int(),
  justified: z.boolean(),
  reason: z.enum(Object.keys(JUSTIFICATION_REASONS) as [JustificationReason, ...JustificationReason[]]),
  purposeCategory: z.string().nullable(),
  categoryAllowed: z.boolean().nullable(),
  caseRef: z.string().nullable(),
  recordId: z.number().int().nullable(),
  recordKind: z.string().nullable(),
  role: z.enum(['decider', 'assistant']).nullable(),
  minutesFromRecord: z.number().nullable(),
  subjectMatches: z.boolean().nullable(),
  basis: z.string(),
});
export type JustificationFacts = z.infer<typeof justificationFacts>;

export const lookupRowError = z.object({ path: z.string(), message: z.string() });
/**
 * One row's outcome, as the sender needs it: stored now, already stored (a re-sent externalId;
 * nothing created), or rejected with its errors (not stored). The purpose verdict and the matched
 * person are the audit's findings about the sender's users: a feed is not told them.
 */
export const lookupBatchResult = z.union([
  z.object({
    externalId: z.string(),
    status: z.enum(['created', 'duplicate']),
    /** the stored look-up's id (the first one stored for a duplicate) */
    lookupId: z.number().int(),
  }),
  z.object({ externalId: z.string().nullable(), status: z.literal('rejected'), errors: z.array(lookupRowError) }),
]);
export type LookupBatchResult = z.infer<typeof lookupBatchResult>;
export const lookupBatchResponse = z.object({ results: z.array(lookupBatchResult) });

export const MAX_REPORTED_LOOKUP_ERRORS = 1000;
export const lookupImportReport = z.object({
  total: z.number().int(),
  created: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.number().int(),
  /**
   * The purpose verdicts and unknown accounts of the rows created: only for a caller who may read
   * look-ups (lookup:view); a feed that only sends (lookup:ingest) is not told them — a one-row
   * file would otherwise tell it a row's verdict.
   */
  justified: z.number().int().optional(),
  unjustified: z.number().int().optional(),
  unknownAccounts: z.number().int().optional(),
  errors: z.array(importRowError),
  errorsTruncated: z.boolean(),
});
export type LookupImportReport = z.infer<typeof lookupImportReport>;

// ---- reading look-ups ----

/** The subject as lists show it: masked. */
export const maskedSubject = z.object({ plate: z.string().nullable(), idNumber: z.string().nullable(), name: z.string().nullable() });
export type MaskedSubject = z.infer<typeof maskedSubject>;
/** The subject in the clear: only from the ledgered endpoint. */
export const fullSubject = maskedSubject;

const boolText = z.enum(['true', 'false'], { message: '应为 true 或 false' });

export const lookupListQuery = z.strictObject({
  ...pageQuery,
  from: isoDateTime.optional(),
  to: isoDateTime.optional(),
  account: optionalText,
  personId: z.coerce.number().int().positive().optional(),
  unitId: z.coerce.number().int().positive().optional(),
  queryType: z.enum(QUERY_TYPE_VALUES, { message: '查询类型无效' }).optional(),
  purposeCategory: z.enum(PURPOSE_CATEGORY_VALUES, { message: '查询事由类别无效' }).optional(),
  justified: boolText.optional(),
  /** accounts matching nobody */
  unknown: boolText.optional(),
  certificateId: optionalText,
  terminalId: optionalText,
});
export type LookupListQuery = z.infer<typeof lookupListQuery>;

export const lookupSummary = z.object({
  id: z.number().int(),
  externalId: z.string(),
  at: z.string(),
  account: z.string(),
  personId: z.number().int().nullable(),
  personName: z.string().nullable(),
  unitId: z.number().int().nullable(),
  unitName: z.string().nullable(),
  certificateId: z.string(),
  terminalId: z.string(),
  terminalIp: z.string(),
  terminalUnit: z.string().nullable(),
  queryType: z.enum(QUERY_TYPE_VALUES),
  subject: maskedSubject,
  purposeCategory: z.string().nullable(),
  purposeText: z.string().nullable(),
  caseRef: z.string().nullable(),
  resultCount: z.number().int().nullable(),
  justified: z.boolean(),
  justificationReason: z.string(),
});
export type LookupSummary = z.infer<typeof lookupSummary>;
export const lookupPage = pageOf(lookupSummary);

export const lookupDetail = lookupSummary.extend({
  terminalUnitId: z.number().int().nullable(),
  justification: justificationFacts,
  batchSeq: z.number().int(),
  ingestedAt: z.string(),
  /** explanation requests that include this look-up */
  explanationIds: z.array(z.number().int()),
});
export type LookupDetail = z.infer<typeof lookupDetail>;

// ---- overview (查询审计总览) ----

export const lookupOverviewQuery = z.strictObject({
  from: isoDateTime.optional(),
  to: isoDateTime.optional(),
  unitId: z.coerce.number().int().positive().optional(),
});
export const lookupOverview = z.object({
  from: z.string(),
  to: z.string(),
  perDay: z.array(z.object({ day: z.string(), total: z.number().int(), unjustified: z.number().int() })),
  total: z.number().int(),
  unjustified: z.number().int(),
  /** unjustified ÷ total; null without look-ups */
  unjustifiedShare: z.number().nullable(),
  unknownAccounts: z.number().int(),
  byQueryType: z.array(z.object({ queryType: z.enum(QUERY_TYPE_VALUES), total: z.number().int(), unjustified: z.number().int() })),
  /** look-up alerts raised in the period, per rule (all statuses) and unclosed */
  alertsByRule: z.array(z.object({ rule: z.string(), total: z.number().int(), unclosed: z.number().int() })),
  /** in unit-tree order, never ranked */
  alertsByUnit: z.array(z.object({ unitId: z.number().int().nullable(), unitName: z.string().nullable(), total: z.number().int(), unclosed: z.number().int() })),
  openExplanations: z.number().int(),
  overdueExplanations: z.number().int(),
});
export type LookupOverview = z.infer<typeof lookupOverview>;

// ---- per-person profile (查询画像) ----

export const profileQuery = z.strictObject({ from: isoDateTime.optional(), to: isoDateTime.optional() });
export const lookupProfile = z.object({
  person: z.object({
    id: z.number().int(),
    name: z.string(),
    badgeNo: z.string(),
    category: z.string(),
    status: z.string(),
    unitId: z.number().int(),
    unitName: z.string().nullable(),
  }),
  from: z.string(),
  to: z.string(),
  /** every Beijing day of the period, the person's count and the median of their unit's other people */
  perDay: z.array(z.object({ day: z.string(), count: z.number().int(), peerMedian: z.number() })),
  peers: z.number().int(),
  /** weekday 0 = Sunday … 6, hour 0–23, Beijing time; only non-zero cells */
  heatmap: z.array(z.object({ weekday: z.number().int(), hour: z.number().int(), count: z.number().int() })),
  byQueryType: z.array(z.object({ queryType: z.enum(QUERY_TYPE_VALUES), count: z.number().int() })),
  byPurpose: z.array(z.object({ purposeCategory: z.string().nullable(), count: z.number().int() })),
  /** subjects looked up more than once, most frequent first (at most 20), masked */
  repeatedSubjects: z.array(z.object({ subject: maskedSubject, count: z.number().int(), firstAt: z.string(), lastAt: z.string(), lookupId: z.number().int() })),
  total: z.number().int(),
  justified: z.number().int(),
  /** justified ÷ total; null without look-ups */
  justificationRate: z.number().nullable(),
});
export type LookupProfile = z.infer<typeof lookupProfile>;

// ---- subject view (who looked this plate or person up) ----

export const subjectQuery = z
  .strictObject({
    ...pageQuery,
    plate: optionalText,
    idNumber: optionalText,
    name: optionalText,
    from: isoDateTime.optional(),
    to: isoDateTime.optional(),
  })
  .refine((q) => q.plate !== undefined || q.idNumber !== undefined || q.name !== undefined, { path: ['plate'], message: '请输入号牌、身份证号或姓名' });
export const subjectView = z.object({
  subject: maskedSubject,
  items: z.array(lookupSummary),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  /** everyone who looked the subject up in the period (in scope), most look-ups first */
  people: z.array(z.object({ account: z.string(), personId: z.number().int().nullable(), personName: z.string().nullable(), count: z.number().int(), justified: z.number().int(), lastAt: z.string() })),
  /** the subject is on the watch list */
  watched: z.boolean(),
});
export type SubjectView = z.infer<typeof subjectView>;

// ---- watch list ----

export const WATCH_CATEGORIES = { publicFigure: '公众人物', journalist: '记者', complainant: '投诉人', witness: '证人/举报人', other: '其他' } as const;
export type WatchCategory = keyof typeof WATCH_CATEGORIES;
export const WATCH_CATEGORY_VALUES = Object.keys(WATCH_CATEGORIES) as [WatchCategory, ...WatchCategory[]];
const watchCategory = z.enum(WATCH_CATEGORY_VALUES, { message: '关注类别无效' });

export const watchEntryCreate = z.strictObject({
  subject: subjectInput,
  category: watchCategory,
  reason: required('关注原因', 500),
  /** complainants: the people complained against */
  againstPersonIds: z.array(z.number().int().positive('人员编号无效')).max(50, '被投诉人不能超过50人').default([]),
});
export const watchEntryUpdate = z
  .strictObject({
    category: watchCategory.optional(),
    reason: required('关注原因', 500).optional(),
    againstPersonIds: z.array(z.number().int().positive('人员编号无效')).max(50, '被投诉人不能超过50人').optional(),
    active: z.boolean({ message: '启用状态应为 true 或 false' }).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, '没有要修改的内容');
export const watchListQuery = z.strictObject({ ...pageQuery, category: watchCategory.optional(), active: boolText.optional() });
export const watchEntry = z.object({
  id: z.number().int(),
  subject: maskedSubject,
  category: watchCategory,
  reason: z.string(),
  against: z.array(z.object({ personId: z.number().int(), name: z.string(), badgeNo: z.string() })),
  active: z.boolean(),
  addedBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type WatchEntry = z.infer<typeof watchEntry>;
export const watchPage = pageOf(watchEntry);

// ---- duty roster ----

export const DUTY_KINDS = { onDuty: '值班', leave: '请假' } as const;
export type DutyKind = keyof typeof DUTY_KINDS;
export const DUTY_KIND_VALUES = Object.keys(DUTY_KINDS) as [DutyKind, ...DutyKind[]];
export const rosterQuery = z.strictObject({
  ...pageQuery,
  personId: z.coerce.number().int().positive().optional(),
  kind: z.enum(DUTY_KIND_VALUES, { message: '类型应为值班或请假' }).optional(),
  from: isoDateTime.optional(),
  to: isoDateTime.optional(),
});
export const rosterEntry = z.object({
  id: z.number().int(),
  personId: z.number().int(),
  personName: z.string(),
  badgeNo: z.string(),
  unitId: z.number().int(),
  startsAt: z.string(),
  endsAt: z.string(),
  kind: z.enum(DUTY_KIND_VALUES),
  importedAt: z.string(),
  importedBy: z.string(),
});
export type RosterEntry = z.infer<typeof rosterEntry>;
export const rosterPage = pageOf(rosterEntry);
export const rosterImportReport = z.object({
  total: z.number().int(),
  created: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.number().int(),
  errors: z.array(importRowError),
});
export type RosterImportReport = z.infer<typeof rosterImportReport>;

// ---- explanation requests (说明核查) ----

export const EXPLANATION_STATUSES = { requested: '待说明', answered: '已说明', accepted: '已认可', escalated: '已升级' } as const;
export type ExplanationStatus = keyof typeof EXPLANATION_STATUSES;
export const EXPLANATION_STATUS_VALUES = Object.keys(EXPLANATION_STATUSES) as [ExplanationStatus, ...ExplanationStatus[]];

export const explanationCreate = z
  .strictObject({
    /** the flagged look-ups; or an alert, whose evidence rows name them (`lookupId`) */
    lookupIds: z.array(z.number().int().positive('查询记录编号无效')).min(1, '请选择查询记录').max(500, '一次最多500条查询记录').optional(),
    alertId: z.number().int().positive('告警编号无效').optional(),
    question: required('问题', 2000),
    /** default: LOOKUP_PARAMS.explanationDeadlineWorkingDays working days from now */
    deadline: isoDateTime.optional(),
  })
  .refine((b) => b.lookupIds !== undefined || b.alertId !== undefined, { path: ['lookupIds'], message: '请选择查询记录或告警' });
export const explanationAnswer = z.strictObject({ answer: required('说明', 4000).refine((v) => v.length >= 2, '请填写说明') });
export const explanationDecision = z.strictObject({ note: text('意见', 1000).optional() });
export const explanationEscalation = z.strictObject({ note: required('升级理由', 1000) });
export const explanationListQuery = z.strictObject({
  ...pageQuery,
  status: z.enum(EXPLANATION_STATUS_VALUES, { message: '状态无效' }).optional(),
  overdue: boolText.optional(),
  personId: z.coerce.number().int().positive().optional(),
  alertId: z.coerce.number().int().positive().optional(),
});
export const myExplanationQuery = z.strictObject({ ...pageQuery, status: z.enum(EXPLANATION_STATUS_VALUES, { message: '状态无效' }).optional() });

export const explanation = z.object({
  id: z.number().int(),
  alertId: z.number().int().nullable(),
  alertRule: z.string().nullable(),
  lookupIds: z.array(z.number().int()),
  personId: z.number().int(),
  personName: z.string(),
  badgeNo: z.string(),
  unitId: z.number().int(),
  unitName: z.string().nullable(),
  question: z.string(),
  deadline: z.string(),
  askedBy: z.string(),
  askedAt: z.string(),
  answer: z.string().nullable(),
  answeredAt: z.string().nullable(),
  status: z.enum(EXPLANATION_STATUS_VALUES),
  /** not answered and past the deadline, or answered after it */
  overdue: z.boolean(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
});
export type Explanation = z.infer<typeof explanation>;
export const explanationPage = pageOf(explanation);
export const explanationDetail = explanation.extend({ lookups: z.array(lookupSummary) });
export type ExplanationDetail = z.infer<typeof explanationDetail>;
