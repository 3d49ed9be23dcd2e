import { z } from 'zod';
import { isoDateTime, optionalText, pageOf, pageQuery } from './common.ts';
import { badgeNo, importRowError } from './org.ts';
import { normalizePlate } from './plate.ts';
import { ALERT_SEVERITY_VALUES } from './alerts.ts';

// The enforcement record as a source sends it (HTTP batch, CSV/XLSX row after column mapping).
// Field names follow the intake contract of the Enforcement issue; messages are zh-CN because
// they go back to the sender row by row.

export const RECORD_KINDS = { camera: '非现场（电子监控）', onSite: '现场执法' } as const;
export type RecordKind = keyof typeof RECORD_KINDS;

export const VEHICLE_TYPES = {
  smallPassenger: '小型载客汽车',
  largePassenger: '大型载客汽车',
  lightTruck: '轻型货车',
  mediumTruck: '中型货车',
  heavyTruck: '重型货车',
  tractor: '牵引车',
  trailer: '挂车',
  motorcycle: '摩托车',
  other: '其他',
} as const;
export type VehicleType = keyof typeof VEHICLE_TYPES;
export const VEHICLE_TYPE_VALUES = Object.keys(VEHICLE_TYPES) as [VehicleType, ...VehicleType[]];
/** 货车、牵引车、挂车: the vehicles the freight detectors look at. */
export const FREIGHT_VEHICLE_TYPES: ReadonlySet<VehicleType> = new Set(['lightTruck', 'mediumTruck', 'heavyTruck', 'tractor', 'trailer']);

export const PROCEDURES = { simple: '简易程序', general: '一般程序' } as const;
export type Procedure = keyof typeof PROCEDURES;
export const PARTIES = { motorVehicleDriver: '机动车驾驶人', nonMotor: '非机动车驾驶人', pedestrian: '行人', passenger: '乘车人' } as const;
export type Party = keyof typeof PARTIES;
export const PAYMENT_METHODS = { bank: '银行缴纳', online: '网上缴纳', cashOnSpot: '当场收缴' } as const;
export type PaymentMethod = keyof typeof PAYMENT_METHODS;
export const EVIDENCE_KINDS = { bodyCam: '执法记录仪视频', photo: '照片', video: '视频' } as const;
export type EvidenceKind = keyof typeof EVIDENCE_KINDS;

export const CAMERA_OUTCOMES = { penalty: '处罚', warning: '首违警告', held: '待审核', merged: '已合并', voided: '已作废' } as const;
export type CameraOutcome = keyof typeof CAMERA_OUTCOMES;
export const ONSITE_OUTCOMES = { compliant: '合规', nonCompliant: '不合规' } as const;
export type OnSiteOutcome = keyof typeof ONSITE_OUTCOMES;
export type Outcome = CameraOutcome | OnSiteOutcome;
export const OUTCOMES = { ...CAMERA_OUTCOMES, ...ONSITE_OUTCOMES } as const;
export const OUTCOME_VALUES = Object.keys(OUTCOMES) as [Outcome, ...Outcome[]];

/**
 * Free text from a source system: control characters (NUL and the like) are refused with the
 * row's own error — PostgreSQL cannot store NUL, and nothing legitimate carries them.
 */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const text = (what: string, max: number) =>
  z
    .string({ message: `${what}应为文本` })
    .trim()
    .max(max, `${what}不能超过${max}个字符`)
    .refine((v) => !CONTROL.test(v), `${what}含有不可见的控制字符`);

const enumOf = <T extends Record<string, string>>(labels: T, message: string) =>
  z.enum(Object.keys(labels) as [keyof T & string, ...(keyof T & string)[]], { message });

export const plate = z
  .string({ message: '号牌不能为空' })
  .transform((v, ctx) => {
    const p = normalizePlate(v);
    if (!p.ok) {
      ctx.addIssue({ code: 'custom', message: p.message });
      return z.NEVER;
    }
    return p.plate;
  });

export const violationCode = z
  .string({ message: '违法代码不能为空' })
  .trim()
  .regex(/^[0-9A-Za-z]{4,6}$/, '违法代码应为4-6位数字或字母');

const money = (what: string) => z.number({ message: `${what}应为数字` }).min(0, `${what}不能为负数`).max(100000, `${what}超出范围`);

export const place = z.strictObject({
  road: text('道路', 100).refine((v) => v.length > 0, '道路不能为空'),
  direction: text('方向', 30).optional(),
  km: z.number({ message: '公里桩应为数字' }).min(0, '公里桩不能为负数').max(10000, '公里桩超出范围').optional(),
  lat: z.number({ message: '纬度应为数字' }).min(-90, '纬度超出范围').max(90, '纬度超出范围').optional(),
  lon: z.number({ message: '经度应为数字' }).min(-180, '经度超出范围').max(180, '经度超出范围').optional(),
  description: text('地点描述', 200).optional(),
});
export type Place = z.infer<typeof place>;

export const evidenceItem = z.strictObject({
  kind: enumOf(EVIDENCE_KINDS, '证据类型应为 bodyCam、photo 或 video'),
  ref: text('证据引用', 500).refine((v) => v.length > 0, '证据引用不能为空'),
  sha256: z
    .string()
    .trim()
    .regex(/^[0-9a-fA-F]{64}$/, 'SHA-256 应为64位十六进制')
    .transform((v) => v.toLowerCase())
    .optional(),
});
export type EvidenceItem = z.infer<typeof evidenceItem>;

export const ID_NUMBER_PATTERN = /^\d{17}[\dXx]$/;
export const driver = z.strictObject({
  name: text('驾驶人姓名', 30).refine((v) => v.length > 0, '驾驶人姓名不能为空').optional(),
  idNumber: z.string().trim().regex(ID_NUMBER_PATTERN, '身份证号应为18位').transform((v) => v.toUpperCase()).optional(),
  licenceNo: z.string().trim().regex(/^[0-9A-Za-z]{6,20}$/, '驾驶证号格式无效').transform((v) => v.toUpperCase()).optional(),
});
export type Driver = z.infer<typeof driver>;

/** Not in the future; a few minutes of clock skew between systems are tolerated. */
const CLOCK_SKEW_MS = 5 * 60_000;

export const recordInput = z
  .strictObject({
    externalId: text('外部编号', 64).refine((v) => v.length > 0, '外部编号不能为空'),
    kind: enumOf(RECORD_KINDS, '记录类型应为 camera 或 onSite'),
    plate,
    vehicleType: enumOf(VEHICLE_TYPES, '车辆类型无效'),
    violationCode,
    occurredAt: isoDateTime.refine((v) => Date.parse(v) <= Date.now() + CLOCK_SKEW_MS, '违法时间不能晚于当前时间'),
    place,
    deviceId: text('设备编号', 40).refine((v) => v.length > 0, '设备编号不能为空').optional(),
    decidingOfficer: badgeNo.optional(),
    assistants: z.array(badgeNo).max(10, '协助人员不能超过10人').default([]),
    procedure: enumOf(PROCEDURES, '程序应为 simple 或 general').optional(),
    party: enumOf(PARTIES, '当事人类型无效').optional(),
    fineYuan: money('罚款金额').optional(),
    points: z.number({ message: '记分应为数字' }).int('记分应为整数').min(0, '记分不能为负数').max(12, '记分不能超过12分').optional(),
    payment: z
      .strictObject({
        method: enumOf(PAYMENT_METHODS, '缴款方式应为 bank、online 或 cashOnSpot'),
        receiptNo: text('收据号', 40).refine((v) => v.length > 0, '收据号不能为空').optional(),
      })
      .optional(),
    remoteArea: z.boolean().default(false),
    evidence: z.array(evidenceItem).max(50, '证据不能超过50项').default([]),
    driver: driver.optional(),
  })
  .superRefine((r, ctx) => {
    if (r.kind === 'camera' && !r.deviceId) ctx.addIssue({ code: 'custom', path: ['deviceId'], message: '电子监控记录须有设备编号' });
    if (r.kind === 'onSite') {
      if (!r.decidingOfficer) ctx.addIssue({ code: 'custom', path: ['decidingOfficer'], message: '现场记录须有处罚决定民警警号' });
      if (!r.procedure) ctx.addIssue({ code: 'custom', path: ['procedure'], message: '现场记录须注明程序（simple 或 general）' });
      if (!r.party) ctx.addIssue({ code: 'custom', path: ['party'], message: '现场记录须注明当事人类型' });
      if (r.fineYuan === undefined) ctx.addIssue({ code: 'custom', path: ['fineYuan'], message: '现场记录须有罚款金额（警告填0）' });
      if (r.points === undefined) ctx.addIssue({ code: 'custom', path: ['points'], message: '现场记录须有记分（不记分填0）' });
    }
  });
export type RecordInput = z.infer<typeof recordInput>;

export const MAX_BATCH = 10_000;

// ---- decisions ----

/** A finding's severity is an alert's: the same four levels and labels. */
export { ALERT_SEVERITIES as SEVERITIES, type AlertSeverity as Severity } from './alerts.ts';

export const reason = z.object({
  rule: z.string(),
  ruleSetVersion: z.number().int(),
  basis: z.string(),
  message: z.string(),
  facts: z.record(z.string(), z.unknown()),
  severity: z.enum(ALERT_SEVERITY_VALUES).optional(),
});
export type ReasonBody = z.infer<typeof reason>;

export const batchBody = z.strictObject({
  records: z.array(z.unknown()).min(1, '至少报送一条记录').max(MAX_BATCH, `每批最多${MAX_BATCH}条记录`),
});

export const rowError = z.object({ path: z.string(), message: z.string() });
export const batchResult = z.union([
  z.object({
    externalId: z.string(),
    outcome: z.enum(OUTCOME_VALUES),
    recordId: z.number().int(),
    linkedRecordId: z.number().int().nullable(),
    /** true when this externalId had been received before and nothing was created */
    duplicate: z.boolean(),
    reasons: z.array(reason),
  }),
  z.object({ externalId: z.string().nullable(), errors: z.array(rowError) }),
]);
export type BatchResult = z.infer<typeof batchResult>;
export const batchResponse = z.object({ results: z.array(batchResult) });

// ---- records ----

export const recordListQuery = z.strictObject({
  ...pageQuery,
  kind: z.enum(['camera', 'onSite']).optional(),
  outcome: z.enum(OUTCOME_VALUES).optional(),
  code: optionalText,
  plate: optionalText,
  officer: optionalText,
  device: optionalText,
  unitId: z.coerce.number().int().positive().optional(),
  from: isoDateTime.optional(),
  to: isoDateTime.optional(),
  freight: z.enum(['true', 'false']).optional(),
});
export type RecordListQuery = z.infer<typeof recordListQuery>;

export const recordSummary = z.object({
  id: z.number().int(),
  externalId: z.string(),
  kind: z.enum(['camera', 'onSite']),
  plate: z.string(),
  vehicleType: z.enum(VEHICLE_TYPE_VALUES),
  violationCode: z.string(),
  violationDescription: z.string().nullable(),
  occurredAt: z.string(),
  road: z.string(),
  deviceId: z.string().nullable(),
  decidingOfficer: z.string().nullable(),
  decidingOfficerName: z.string().nullable(),
  unitId: z.number().int(),
  unitName: z.string(),
  outcome: z.enum(OUTCOME_VALUES),
  decidedOutcome: z.enum(OUTCOME_VALUES),
  fineYuan: z.number().nullable(),
  points: z.number().int().nullable(),
  /** the rules that flagged the record: held, merged, voided, warned, or on-site findings (none for a plain penalty) */
  rules: z.array(z.string()),
});
export type RecordSummary = z.infer<typeof recordSummary>;
export const recordPage = pageOf(recordSummary);

export const recordDetail = recordSummary.extend({
  place: place,
  assistants: z.array(z.string()),
  procedure: z.string().nullable(),
  party: z.string().nullable(),
  givenFineYuan: z.number().nullable(),
  givenPoints: z.number().int().nullable(),
  payment: z.object({ method: z.string(), receiptNo: z.string().nullable() }).nullable(),
  remoteArea: z.boolean(),
  evidence: z.array(z.object({ kind: z.string(), ref: z.string(), sha256: z.string().optional() })),
  /** masked; the full values come from the driver endpoint, which is ledgered */
  driver: z.object({ name: z.string().nullable(), idNumber: z.string().nullable(), licenceNo: z.string().nullable() }).nullable(),
  linkedRecordId: z.number().int().nullable(),
  reasons: z.array(reason),
  ruleSetVersion: z.number().int(),
  catalogueVersion: z.number().int(),
  heldAt: z.string().nullable(),
  reviewDueAt: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  reviewedBy: z.string().nullable(),
  reviewNote: z.string().nullable(),
  ingestedAt: z.string(),
});
export type RecordDetail = z.infer<typeof recordDetail>;

export const driverFull = z.object({ name: z.string().nullable(), idNumber: z.string().nullable(), licenceNo: z.string().nullable() });

// ---- review (待审核) ----

export const reviewQueueQuery = z.strictObject({
  ...pageQuery,
  code: optionalText,
  plate: optionalText,
  device: optionalText,
  rule: optionalText,
  overdue: z.enum(['true', 'false']).optional(),
});
export const reviewItem = recordSummary.extend({
  heldAt: z.string(),
  reviewDueAt: z.string(),
  workingDaysLeft: z.number().int(),
  overdue: z.boolean(),
  holdMessages: z.array(z.string()),
});
export type ReviewItem = z.infer<typeof reviewItem>;
export const reviewPage = pageOf(reviewItem);

export const REVIEW_DECISIONS = { penalty: '确认处罚', warning: '改为首违警告', voided: '作废' } as const;
export type ReviewDecision = keyof typeof REVIEW_DECISIONS;
export const reviewBody = z
  .strictObject({
    ids: z.array(z.number().int().positive()).min(1, '请选择记录').max(500, '每次最多审核500条'),
    decision: z.enum(['penalty', 'warning', 'voided'], { message: '审核结论应为确认处罚、首违警告或作废' }),
    note: z.string().trim().max(500, '审核意见不能超过500字').default(''),
  })
  .refine((b) => b.decision !== 'voided' || b.note.length > 0, { path: ['note'], message: '作废须填写理由' });
export const reviewResponse = z.object({ reviewed: z.number().int(), items: z.array(z.object({ id: z.number().int(), outcome: z.enum(OUTCOME_VALUES) })) });

// ---- replay ----

export const replayBody = z.strictObject({ ruleSetVersion: z.number().int().positive('规则版本无效') });
export const replayResponse = z.object({
  recordId: z.number().int(),
  ruleSetVersion: z.number().int(),
  storedOutcome: z.enum(OUTCOME_VALUES),
  storedRuleSetVersion: z.number().int(),
  outcome: z.enum(OUTCOME_VALUES),
  linkedRecordId: z.number().int().nullable(),
  fineYuan: z.number().nullable(),
  points: z.number().int().nullable(),
  reasons: z.array(reason),
  same: z.boolean(),
});

// ---- dashboard ----

export const statsQuery = z.strictObject({ from: isoDateTime.optional(), to: isoDateTime.optional(), unitId: z.coerce.number().int().positive().optional() });
export const statsResponse = z.object({
  from: z.string(),
  to: z.string(),
  perDay: z.array(z.object({ day: z.string(), outcome: z.enum(OUTCOME_VALUES), count: z.number().int() })),
  totals: z.array(z.object({ outcome: z.enum(OUTCOME_VALUES), count: z.number().int() })),
  /** warnings ÷ (warnings + penalties) of camera records in the period */
  warningShare: z.number().nullable(),
  heldBacklog: z.number().int(),
  heldOverdue: z.number().int(),
  onSiteFindingsByRule: z.array(z.object({ rule: z.string(), count: z.number().int() })),
});

// ---- import (CSV/XLSX) ----

/** Row errors beyond this many are counted, not listed: a million-row file must not answer megabytes of errors. */
export const MAX_REPORTED_ROW_ERRORS = 1000;
export const recordImportReport = z.object({
  total: z.number().int(),
  created: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.number().int(),
  outcomes: z.record(z.string(), z.number().int()),
  errors: z.array(importRowError),
  errorsTruncated: z.boolean(),
});
export type RecordImportReport = z.infer<typeof recordImportReport>;
