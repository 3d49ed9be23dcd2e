import { z } from 'zod';
import { isoDateTime, optionalText, pageOf, pageQuery } from './common.ts';
import { importRowError } from './org.ts';

// The electronic-monitoring device registry (设备台账): what a device is, where, who owns it, which
// violations it may capture, and the documents that make its captures lawful evidence
// (L1 Art.15–17, L4 Art.41). Dates are Beijing calendar days, 'YYYY-MM-DD'.

export const DEVICE_TYPES = {
  speedFixed: '固定测速',
  speedSection: '区间测速',
  speedMobile: '移动测速',
  redLight: '闯红灯抓拍（电子警察）',
  parking: '违停抓拍',
  lane: '车道与标线抓拍',
  other: '其他（含卡口）',
} as const;
export type DeviceType = keyof typeof DEVICE_TYPES;
export const DEVICE_TYPE_VALUES = Object.keys(DEVICE_TYPES) as [DeviceType, ...DeviceType[]];

/**
 * What each type must show before its captures count. Signage: fixed devices' captured behaviour
 * clearly signed, speed sections with speed-warning signs (L1 Art.16, 17; L4 Art.41).
 * Verification: speed-measuring devices are under mandatory metrological verification (L1 Art.15).
 * Police operator: mobile speed devices are operated by police (L1 Art.17). Fixed devices'
 * locations are published (L1 Art.16) and appear on the public list.
 */
export const DEVICE_TYPE_RULES: Record<DeviceType, { fixed: boolean; signage: boolean; verification: boolean; policeOperator: boolean }> = {
  speedFixed: { fixed: true, signage: true, verification: true, policeOperator: false },
  speedSection: { fixed: true, signage: true, verification: true, policeOperator: false },
  speedMobile: { fixed: false, signage: false, verification: true, policeOperator: true },
  redLight: { fixed: true, signage: true, verification: false, policeOperator: false },
  parking: { fixed: true, signage: true, verification: false, policeOperator: false },
  lane: { fixed: true, signage: true, verification: false, policeOperator: false },
  other: { fixed: true, signage: true, verification: false, policeOperator: false },
};

export const DEVICE_STATUSES = { active: '启用', suspended: '停用', removed: '撤除' } as const;
export type DeviceStatus = keyof typeof DEVICE_STATUSES;
export const DEVICE_STATUS_VALUES = Object.keys(DEVICE_STATUSES) as [DeviceStatus, ...DeviceStatus[]];

/** The conditions of lawfulness, in the order the explanation lists them. */
export const DEVICE_CONDITIONS = {
  registered: '设备已登记',
  legalReview: '法制审核',
  technicalReview: '技术审核',
  announcement: '向社会公布',
  signage: '警示标志',
  verification: '计量检定',
  operator: '民警操作',
  status: '设备状态',
  code: '准许抓拍的违法行为',
} as const;
export type DeviceCondition = keyof typeof DEVICE_CONDITIONS;

export const DEVICE_CHANGE_KINDS = { create: '登记', update: '修改', status: '状态变更', import: '导入' } as const;
export type DeviceChangeKind = keyof typeof DEVICE_CHANGE_KINDS;

const text = (what: string, max: number) =>
  z.string({ message: `${what}不能为空` }).trim().min(1, `${what}不能为空`).max(max, `${what}不能超过${max}个字`);
/** Optional text; the service stores a blank one as absent. */
const optText = (what: string, max: number) => z.string({ message: `${what}应为文字` }).trim().max(max, `${what}不能超过${max}个字`).optional();
export const day = (what: string) =>
  z
    .string({ message: `${what}不能为空` })
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${what}格式应为 YYYY-MM-DD`)
    .refine((v) => {
      const d = new Date(`${v}T00:00:00Z`);
      return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
    }, `${what}不是有效日期`);

export const deviceId = z
  .string({ message: '设备编号不能为空' })
  .trim()
  .min(1, '设备编号不能为空')
  .max(40, '设备编号不能超过40个字')
  .regex(/^[0-9A-Za-z_.\-]+$/, '设备编号只能包含字母、数字、-、_ 和 .');
export const deviceIdParam = z.strictObject({ id: deviceId });

const deviceCode = z
  .string({ message: '违法代码不能为空' })
  .trim()
  .toUpperCase()
  .regex(/^[0-9A-Z]{1,10}$/, '违法代码应为1-10位数字或字母');

export const deviceLocation = z.strictObject({
  road: text('道路', 100),
  direction: optText('方向', 30),
  km: z.number({ message: '公里桩应为数字' }).min(0, '公里桩不能为负数').max(10000, '公里桩超出范围').optional(),
  lat: z.number({ message: '纬度应为数字' }).min(-90, '纬度超出范围').max(90, '纬度超出范围').optional(),
  lon: z.number({ message: '经度应为数字' }).min(-180, '经度超出范围').max(180, '经度超出范围').optional(),
  description: optText('地点描述', 200),
});
export type DeviceLocation = z.infer<typeof deviceLocation>;

export const deviceReview = z.strictObject({
  date: day('审核日期'),
  documentNo: text('审核文号', 100),
  reviewer: text('审核人', 50),
});
export type DeviceReview = z.infer<typeof deviceReview>;

export const deviceAnnouncement = z.strictObject({
  date: day('公告日期'),
  channel: text('公告渠道', 100),
  url: z.string().trim().max(500, '公告链接不能超过500个字').url('公告链接应为网址').optional(),
});
export type DeviceAnnouncement = z.infer<typeof deviceAnnouncement>;

export const deviceSignage = z.strictObject({
  present: z.boolean({ message: '是否设置警示标志应为是或否' }),
  distanceM: z.number({ message: '标志距离应为数字' }).int('标志距离应为整数（米）').min(0, '标志距离不能为负数').max(5000, '标志距离不能超过5000米').optional(),
});
export type DeviceSignage = z.infer<typeof deviceSignage>;

export const deviceVerification = z.strictObject({
  certificateNo: text('检定证书编号', 100),
  validFrom: day('检定有效期起'),
  validTo: day('检定有效期止'),
});
export type DeviceVerification = z.infer<typeof deviceVerification>;

export const deviceStatusEvent = z.strictObject({
  status: z.enum(DEVICE_STATUS_VALUES, { message: '设备状态应为启用、停用或撤除' }),
  /** first Beijing day the status holds */
  from: day('生效日期'),
  reason: text('原因', 500),
  documentNo: text('依据文号', 100),
});
export type DeviceStatusEvent = z.infer<typeof deviceStatusEvent>;

/**
 * The device as the rules see it: everything `isDeviceLawful` reads. Stored whole in every
 * revision, so a decision names the revision and a replay reads the same facts.
 */
export const deviceState = z.object({
  id: z.string(),
  revision: z.number().int(),
  type: z.enum(DEVICE_TYPE_VALUES),
  allowedCodes: z.array(z.string()),
  legalReview: deviceReview.nullable(),
  technicalReview: deviceReview.nullable(),
  announcement: deviceAnnouncement.nullable(),
  signage: deviceSignage,
  /** the current certificate */
  verification: deviceVerification.nullable(),
  /** earlier certificates: a capture counts when any certificate was valid on its day */
  verificationHistory: z.array(deviceVerification),
  policeOperated: z.boolean(),
  /** in effective order (by `from`, then entry order) */
  statusHistory: z.array(deviceStatusEvent),
});
export type DeviceState = z.infer<typeof deviceState>;

/** The document a change rests on (every change needs one, L4 Art.41). */
export const deviceBasis = z.strictObject({
  documentNo: text('变更依据文号', 100),
  note: optText('说明', 500),
});

const allowedCodes = z.array(deviceCode, { message: '准许抓拍的违法代码应为列表' }).min(1, '至少填写一个准许抓拍的违法代码').max(50, '违法代码不能超过50个');

const deviceFields = {
  type: z.enum(DEVICE_TYPE_VALUES, { message: '设备类型无效' }),
  location: deviceLocation,
  owningUnitId: z.number({ message: '管理单位不能为空' }).int().positive('管理单位无效'),
  allowedCodes,
  legalReview: deviceReview.nullable().default(null),
  technicalReview: deviceReview.nullable().default(null),
  announcement: deviceAnnouncement.nullable().default(null),
  signage: deviceSignage.default({ present: false }),
  verification: deviceVerification.nullable().default(null),
  verificationHistory: z.array(deviceVerification).max(50, '历史检定证书不能超过50份').default([]),
  policeOperated: z.boolean().default(false),
};

/** Cross-field date order, shared by create, update and import (field paths as in the body). */
export function checkDeviceDates(
  d: { verification?: DeviceVerification | null; verificationHistory?: DeviceVerification[]; announcement?: DeviceAnnouncement | null; legalReview?: DeviceReview | null; technicalReview?: DeviceReview | null; statusHistory?: DeviceStatusEvent[] },
): Array<{ path: string[]; message: string }> {
  const issues: Array<{ path: string[]; message: string }> = [];
  if (d.verification && d.verification.validTo < d.verification.validFrom) {
    issues.push({ path: ['verification', 'validTo'], message: `检定有效期止（${d.verification.validTo}）不能早于有效期起（${d.verification.validFrom}）` });
  }
  (d.verificationHistory ?? []).forEach((v, i) => {
    if (v.validTo < v.validFrom) issues.push({ path: ['verificationHistory', String(i), 'validTo'], message: `检定有效期止（${v.validTo}）不能早于有效期起（${v.validFrom}）` });
  });
  const history = d.statusHistory ?? [];
  const removal = history.find((s) => s.status === 'removed');
  if (removal) {
    if (d.announcement && d.announcement.date > removal.from) {
      issues.push({ path: ['announcement', 'date'], message: `公告日期（${d.announcement.date}）不能晚于设备撤除日期（${removal.from}）` });
    }
    for (const [key, label] of [['legalReview', '法制审核'], ['technicalReview', '技术审核']] as const) {
      const r = d[key];
      if (r && r.date > removal.from) issues.push({ path: [key, 'date'], message: `${label}日期（${r.date}）不能晚于设备撤除日期（${removal.from}）` });
    }
    history.forEach((s, i) => {
      if (s !== removal && s.from > removal.from) issues.push({ path: ['statusHistory', String(i), 'from'], message: `设备已于${removal.from}撤除，之后不能再有状态变更` });
    });
  }
  return issues;
}

export const deviceCreate = z
  .strictObject({
    id: deviceId,
    ...deviceFields,
    /** the device's first status (usually active from the switch-on day) */
    status: deviceStatusEvent,
    basis: deviceBasis,
  })
  .superRefine((v, ctx) => {
    for (const i of checkDeviceDates({ ...v, statusHistory: [v.status] })) ctx.addIssue({ code: 'custom', path: i.path[0] === 'statusHistory' ? ['status', 'from'] : i.path, message: i.message });
  });
export type DeviceCreate = z.infer<typeof deviceCreate>;

/** Fields to change (absent = unchanged; null clears a document). Status changes go through deviceStatusChange. */
export const deviceUpdate = z
  .strictObject({
    type: deviceFields.type.optional(),
    location: deviceLocation.optional(),
    owningUnitId: deviceFields.owningUnitId.optional(),
    allowedCodes: allowedCodes.optional(),
    legalReview: deviceReview.nullable().optional(),
    technicalReview: deviceReview.nullable().optional(),
    announcement: deviceAnnouncement.nullable().optional(),
    signage: deviceSignage.optional(),
    /** a certificate with a new number moves the current one into verificationHistory; the same number corrects it */
    verification: deviceVerification.nullable().optional(),
    /** replaces the earlier certificates (a correction, e.g. one found forged) */
    verificationHistory: z.array(deviceVerification).max(50, '历史检定证书不能超过50份').optional(),
    policeOperated: z.boolean().optional(),
    basis: deviceBasis,
  })
  .superRefine((v, ctx) => {
    for (const i of checkDeviceDates(v)) if (i.path[0] !== 'statusHistory') ctx.addIssue({ code: 'custom', path: i.path, message: i.message });
  });
export type DeviceUpdate = z.infer<typeof deviceUpdate>;

/** A status change; `from` may lie in the past (a suspension found late applies retroactively). */
export const deviceStatusChange = deviceStatusEvent;
export type DeviceStatusChange = z.infer<typeof deviceStatusChange>;

export const lawfulMissing = z.object({ condition: z.string(), message: z.string(), basis: z.string() });
export const lawfulness = z.object({ lawful: z.boolean(), missing: z.array(lawfulMissing) });
export type Lawfulness = z.infer<typeof lawfulness>;

export const device = z.object({
  id: z.string(),
  type: z.enum(DEVICE_TYPE_VALUES),
  location: deviceLocation,
  owningUnitId: z.number().int(),
  owningUnitName: z.string(),
  allowedCodes: z.array(z.string()),
  legalReview: deviceReview.nullable(),
  technicalReview: deviceReview.nullable(),
  announcement: deviceAnnouncement.nullable(),
  signage: deviceSignage,
  verification: deviceVerification.nullable(),
  verificationHistory: z.array(deviceVerification),
  policeOperated: z.boolean(),
  status: z.enum(DEVICE_STATUS_VALUES),
  statusHistory: z.array(deviceStatusEvent),
  revision: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** lawful today for its allowed codes (the code condition is not part of this) */
  today: lawfulness,
});
export type Device = z.infer<typeof device>;

export const deviceRevision = z.object({
  revision: z.number().int(),
  changeKind: z.enum(['create', 'update', 'status', 'import']),
  documentNo: z.string(),
  note: z.string().nullable(),
  createdAt: z.string(),
  createdByName: z.string(),
  /** zh-CN field labels of what changed from the previous revision */
  changed: z.array(z.string()),
});
export const deviceDetail = device.extend({ revisions: z.array(deviceRevision) });
export type DeviceDetail = z.infer<typeof deviceDetail>;

export const deviceListQuery = z.strictObject({
  ...pageQuery,
  q: optionalText,
  type: z.enum(DEVICE_TYPE_VALUES, { message: '设备类型无效' }).optional(),
  status: z.enum(DEVICE_STATUS_VALUES, { message: '设备状态无效' }).optional(),
  unitId: z.coerce.number().int().positive().optional(),
  /** only devices not lawful today (any condition missing) */
  unlawfulToday: z.enum(['true', 'false']).optional(),
});
export const devicePage = pageOf(device);

export const deviceImportReport = z.object({
  total: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.number().int(),
  errors: z.array(importRowError),
});
export type DeviceImportReport = z.infer<typeof deviceImportReport>;
export const deviceImportQuery = z.strictObject({
  /** the document the whole import rests on */
  documentNo: text('导入依据文号', 100),
});

/** Records captured by a device in a window, by outcome (the retroactive finding). */
export const affectedRecordsQuery = z.strictObject({
  from: isoDateTime.optional(),
  to: isoDateTime.optional(),
  /** compare with this earlier revision: records lawful under it and not under the current one */
  sinceRevision: z.coerce.number().int().positive().optional(),
});
export const affectedRecord = z.object({
  id: z.number().int(),
  occurredAt: z.string(),
  plate: z.string(),
  violationCode: z.string(),
  outcome: z.string(),
  /** the conditions the current registry says were missing at the capture */
  missing: z.array(z.string()),
});
export const affectedRecords = z.object({
  deviceId: z.string(),
  revision: z.number().int(),
  sinceRevision: z.number().int().nullable(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  total: z.number().int(),
  byOutcome: z.record(z.string(), z.number().int()),
  /** at most 1,000, penalties and warnings first; `total` counts all */
  items: z.array(affectedRecord),
});
export type AffectedRecords = z.infer<typeof affectedRecords>;

/** What the public sees of a device: nothing internal (L1 Art.16 publishes locations). */
export const publicDevice = z.object({
  type: z.enum(DEVICE_TYPE_VALUES),
  typeLabel: z.string(),
  road: z.string(),
  direction: z.string().nullable(),
  km: z.number().nullable(),
  lat: z.number().nullable(),
  lon: z.number().nullable(),
  description: z.string().nullable(),
  violations: z.array(z.object({ code: z.string(), name: z.string() })),
  announcedOn: z.string(),
});
export type PublicDevice = z.infer<typeof publicDevice>;
export const publicDeviceList = z.object({ items: z.array(publicDevice), total: z.number().int() });
