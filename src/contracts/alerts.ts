import { z } from 'zod';
import { isoDateTime, optionalText, pageOf, pageQuery } from './common.ts';

// Alerts: one shape for every finding of every detector. The labels here are what the console
// shows; the transition table is shared, so the console offers exactly the actions the server allows.

export const ALERT_STATUSES = { open: '待处理', acknowledged: '处理中', dismissed: '已排除', resolved: '已办结' } as const;
export type AlertStatus = keyof typeof ALERT_STATUSES;
export const ALERT_STATUS_VALUES = Object.keys(ALERT_STATUSES) as [AlertStatus, ...AlertStatus[]];
/** Statuses of an alert still being worked: at most one such alert per (rule, dedupKey). */
export const UNCLOSED_STATUSES: readonly AlertStatus[] = ['open', 'acknowledged'];

export const ALERT_SEVERITIES = { low: '低', medium: '中', high: '高', critical: '严重' } as const;
export type AlertSeverity = keyof typeof ALERT_SEVERITIES;
export const ALERT_SEVERITY_VALUES = Object.keys(ALERT_SEVERITIES) as [AlertSeverity, ...AlertSeverity[]];

export const ALERT_SUBJECT_TYPES = { record: '执法记录', person: '人员', device: '监控设备', vehicle: '车辆', unit: '单位' } as const;
export type AlertSubjectType = keyof typeof ALERT_SUBJECT_TYPES;
export const ALERT_SUBJECT_TYPE_VALUES = Object.keys(ALERT_SUBJECT_TYPES) as [AlertSubjectType, ...AlertSubjectType[]];

/** The modules that raise alerts today; `source` is open-ended, an unknown one shows its code. */
export const ALERT_SOURCES: Record<string, string> = {
  enforcement: '执法记录',
  devices: '电子监控设备',
  lookups: '数据查询',
  reviews: '执法质量考评',
  public: '群众投诉与舆情',
};

export const ALERT_VERDICTS = { agree: '认同（告警准确）', disagree: '不认同（误报）' } as const;
export type AlertVerdict = keyof typeof ALERT_VERDICTS;

export const ALERT_EVENT_ACTIONS = {
  raise: '产生告警',
  refresh: '检测更新',
  assign: '分派',
  acknowledge: '确认处理',
  dismiss: '排除',
  resolve: '办结',
  reopen: '重新打开',
  verdict: '评价',
  escalate: '升级',
} as const;
export type AlertEventAction = keyof typeof ALERT_EVENT_ACTIONS;

/**
 * The status changes a handler makes: which statuses each starts from and where it leads.
 * open → acknowledged → resolved | dismissed; open → resolved | dismissed; closed → open (reopen).
 */
export const ALERT_TRANSITIONS = {
  acknowledge: { from: ['open'], to: 'acknowledged' },
  dismiss: { from: ['open', 'acknowledged'], to: 'dismissed' },
  resolve: { from: ['open', 'acknowledged'], to: 'resolved' },
  reopen: { from: ['dismissed', 'resolved'], to: 'open' },
} as const satisfies Record<string, { from: readonly AlertStatus[]; to: AlertStatus }>;
export type AlertTransition = keyof typeof ALERT_TRANSITIONS;

export function canTransition(action: AlertTransition, status: AlertStatus): boolean {
  return (ALERT_TRANSITIONS[action].from as readonly AlertStatus[]).includes(status);
}

/** Assignment is for alerts still being worked. */
export const canAssign = (status: AlertStatus): boolean => UNCLOSED_STATUSES.includes(status);

// ---- shapes ----

const enumOf = <T extends string>(values: [T, ...T[]], message: string) => z.enum(values, { message });
const severity = enumOf(ALERT_SEVERITY_VALUES, '告警等级无效');
const status = enumOf(ALERT_STATUS_VALUES, '告警状态无效');
const subjectType = enumOf(ALERT_SUBJECT_TYPE_VALUES, '告警对象类型无效');
const verdict = z.enum(['agree', 'disagree'], { message: '评价应为认同或不认同' });

/**
 * One evidence row: a flat object of values (`{ recordId, plate, code, occurredAt, fineYuan }`),
 * one table row in the console, the keys its columns. Keep values scalar; a key named in
 * ALERT_FIELD_LABELS gets its zh-CN heading, others show as they are. A `url` value is shown as a
 * link only when it is an http(s) address or a path inside the console.
 */
export const alertEvidence = z.record(z.string(), z.unknown());
export type AlertEvidence = z.infer<typeof alertEvidence>;

/** Headings for the keys detectors commonly use in facts and evidence rows. */
export const ALERT_FIELD_LABELS: Record<string, string> = {
  recordId: '记录编号',
  recordIds: '记录编号',
  plate: '号牌',
  code: '违法代码',
  violationCode: '违法代码',
  occurredAt: '时间',
  at: '时间',
  heldAt: '待审起始',
  road: '道路',
  place: '地点',
  officer: '民警',
  badgeNo: '警号',
  decidingOfficer: '处罚民警',
  deviceId: '设备编号',
  fineYuan: '罚款（元）',
  points: '记分',
  count: '次数',
  windowDays: '统计天数',
  kind: '类型',
  label: '说明',
  ref: '编号',
  url: '链接',
  ruleSetVersion: '规则版本',
  // look-up audit (issue #6)
  lookupId: '查询记录编号',
  lookupIds: '查询记录编号',
  externalId: '外部编号',
  account: '查询账号',
  certificateId: '数字证书',
  terminalId: '查询终端',
  terminalIp: '终端IP',
  queryType: '查询类型',
  subject: '查询对象',
  purpose: '查询事由',
  purposeCategory: '查询事由类别',
  caseRef: '关联编号',
  justified: '事由已核实',
  explanationId: '说明核查编号',
  // device registry (issue #5): the retroactive finding
  fromRevision: '原台账版本',
  toRevision: '新台账版本',
  documentNo: '依据文号',
  total: '受影响记录数',
  byOutcome: '按处理结果',
  firstAt: '最早抓拍',
  lastAt: '最晚抓拍',
  conditions: '不符合的条件',
  listedInEvidence: '证据中列出',
  // device capture anomalies: the daily series as evidence
  day: '日期',
  freight: '货车抓拍',
  baseline: '对照基线',
  flagged: '异常',
};

/** An alert as lists show it (facts and evidence come with the detail). */
export const alert = z.object({
  id: z.number().int(),
  source: z.string(),
  rule: z.string(),
  ruleSetVersion: z.number().int().nullable(),
  subjectType,
  subjectId: z.string(),
  subjectLabel: z.string(),
  unitId: z.number().int().nullable(),
  unitName: z.string().nullable(),
  personId: z.number().int().nullable(),
  severity,
  title: z.string(),
  explanation: z.string(),
  basis: z.string().nullable(),
  dedupKey: z.string(),
  occurredAt: z.string(),
  raiseCount: z.number().int(),
  lastRaisedAt: z.string(),
  status,
  statusReason: z.string().nullable(),
  statusChangedAt: z.string(),
  assigneeAccountId: z.number().int().nullable(),
  assigneeName: z.string().nullable(),
  verdict: verdict.nullable(),
  verdictNote: z.string().nullable(),
  verdictAt: z.string().nullable(),
  escalated: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Alert = z.infer<typeof alert>;

export const alertEvent = z.object({
  id: z.number().int(),
  at: z.string(),
  actorAccountId: z.number().int().nullable(),
  actorName: z.string(),
  action: z.enum(Object.keys(ALERT_EVENT_ACTIONS) as [AlertEventAction, ...AlertEventAction[]]),
  fromStatus: status.nullable(),
  toStatus: status.nullable(),
  comment: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export type AlertEvent = z.infer<typeof alertEvent>;

export const alertDetail = alert.extend({
  facts: z.record(z.string(), z.unknown()),
  evidence: z.array(alertEvidence),
  /** oldest first */
  events: z.array(alertEvent),
});
export type AlertDetail = z.infer<typeof alertDetail>;

// ---- list ----

/** `a,b,c` in one query parameter → the values, each checked. */
const listOf = <T extends string>(values: [T, ...T[]], message: string) =>
  z
    .string()
    .transform((s) => [...new Set(s.split(',').map((v) => v.trim()).filter(Boolean))])
    .pipe(z.array(z.enum(values, { message })).max(values.length));

const code = (what: string) =>
  z
    .string()
    .trim()
    .max(60, `${what}不能超过60个字符`)
    .optional()
    .transform((v) => (v ? v : undefined));

export const alertListQuery = z.strictObject({
  ...pageQuery,
  /** title, subject, rule */
  q: optionalText,
  rule: code('规则'),
  source: code('来源'),
  /** comma-separated: `open,acknowledged` */
  status: listOf(ALERT_STATUS_VALUES, '告警状态无效').optional(),
  severity: listOf(ALERT_SEVERITY_VALUES, '告警等级无效').optional(),
  subjectType: subjectType.optional(),
  subjectId: optionalText,
  /** the unit and every unit below it */
  unitId: z.coerce.number().int().positive('单位无效').optional(),
  /** `me`: assigned to the caller; `none`: not assigned */
  assignee: z.enum(['me', 'none'], { message: '分派条件应为 me 或 none' }).optional(),
  verdict: z.enum(['agree', 'disagree', 'none'], { message: '评价条件无效' }).optional(),
  escalated: z.enum(['true', 'false']).optional(),
  /** which time `from`/`to` filter and the list is ordered by (newest first) */
  timeField: z.enum(['occurred', 'created'], { message: '时间字段应为 occurred 或 created' }).default('occurred'),
  from: isoDateTime.optional(),
  to: isoDateTime.optional(),
});
export type AlertListQuery = z.output<typeof alertListQuery>;

export const alertStatusCounts = z.object({
  open: z.number().int(),
  acknowledged: z.number().int(),
  dismissed: z.number().int(),
  resolved: z.number().int(),
});
export type AlertStatusCounts = z.infer<typeof alertStatusCounts>;

/** A page, plus the count per status under the same filters except status (the tabs). */
export const alertPage = pageOf(alert).extend({ statusCounts: alertStatusCounts });
export type AlertPage = z.infer<typeof alertPage>;

// ---- changes ----

const comment = (what: string) => z.string().trim().max(500, `${what}不能超过500个字符`);
const optionalComment = comment('说明')
  .optional()
  .transform((v) => (v ? v : undefined));

export const alertAssignBody = z.strictObject({
  /** an account holding `alert:handle`; null takes the assignment back */
  accountId: z.number({ message: '请选择处理人' }).int().positive('处理人无效').nullable(),
  comment: optionalComment,
});
/** An optional comment; the request may carry no body at all. */
export const alertCommentBody = z.strictObject({ comment: optionalComment }).nullish();
export const alertDismissBody = z.strictObject({
  reason: z.string({ message: '请填写排除原因' }).trim().min(1, '请填写排除原因').max(500, '排除原因不能超过500个字符'),
});
export const alertVerdictBody = z.strictObject({
  verdict,
  note: optionalComment,
});

// ---- dashboard and detector quality ----

export const alertSummary = z.object({
  /** open + acknowledged */
  unclosed: z.number().int(),
  byStatus: alertStatusCounts,
  /** the rest, like the two lists below, count unclosed alerts only */
  bySeverity: z.object({ low: z.number().int(), medium: z.number().int(), high: z.number().int(), critical: z.number().int() }),
  byRule: z.array(z.object({ rule: z.string(), source: z.string(), count: z.number().int() })),
  /** in unit order, never ranked by count */
  byUnit: z.array(z.object({ unitId: z.number().int().nullable(), unitName: z.string().nullable(), count: z.number().int() })),
});
export type AlertSummary = z.infer<typeof alertSummary>;

export const detectorStat = z.object({
  rule: z.string(),
  source: z.string(),
  total: z.number().int(),
  unclosed: z.number().int(),
  agreed: z.number().int(),
  disagreed: z.number().int(),
  /** agreed / (agreed + disagreed); null before any verdict */
  precision: z.number().nullable(),
});
export type DetectorStat = z.infer<typeof detectorStat>;
export const detectorStats = z.object({ items: z.array(detectorStat) });
