import { z } from 'zod';
import { ALERT_SEVERITY_VALUES } from './alerts.ts';

// Capture statistics of the electronic-monitoring devices: daily capture counts per device and
// violation code (Beijing calendar days), and the anomalies the device detectors find in them
// (src/modules/rules/device-detectors.ts). The console's device charts read these shapes.

/** The device detectors and reminders, with zh-CN names. */
export const DEVICE_DETECTORS = {
  'D-DEVICE-SPIKE': '抓拍量突增',
  'D-DEVICE-NEW-HIGH': '新设备抓拍量畸高',
  'D-DEVICE-CODES': '抓拍未准许的违法行为',
  'D-DEVICE-FREIGHT': '货车占比异常偏高',
  'R-DEVICE-VERIFY-DUE': '计量检定到期提醒',
} as const;
export type DeviceDetectorId = keyof typeof DEVICE_DETECTORS;
export const DEVICE_DETECTOR_VALUES = Object.keys(DEVICE_DETECTORS) as [DeviceDetectorId, ...DeviceDetectorId[]];

/** A Beijing calendar day, 'YYYY-MM-DD'. */
const captureDay = (what: string) =>
  z
    .string({ message: `${what}应为日期` })
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${what}格式应为 YYYY-MM-DD`)
    .refine((v) => {
      const d = new Date(`${v}T00:00:00Z`);
      return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
    }, `${what}不是有效日期`);

/** Longest range one chart request may ask for. */
export const CAPTURE_RANGE_MAX_DAYS = 400;
const DAY_MS = 86_400_000;
const dayIndex = (d: string) => Date.parse(`${d}T00:00:00Z`) / DAY_MS;

/**
 * `from` inclusive, `to` exclusive, both Beijing days (default: the 90 days up to and including
 * today). At most CAPTURE_RANGE_MAX_DAYS days.
 */
export const deviceCapturesQuery = z
  .strictObject({
    from: captureDay('开始日期').optional(),
    to: captureDay('结束日期').optional(),
  })
  .superRefine((v, ctx) => {
    if (v.from && v.to) {
      if (v.to <= v.from) ctx.addIssue({ code: 'custom', path: ['to'], message: '结束日期应晚于开始日期' });
      else if (dayIndex(v.to) - dayIndex(v.from) > CAPTURE_RANGE_MAX_DAYS) ctx.addIssue({ code: 'custom', path: ['to'], message: `查询范围不能超过${CAPTURE_RANGE_MAX_DAYS}天` });
    }
  });
export type DeviceCapturesQuery = z.infer<typeof deviceCapturesQuery>;

/** A day (or a run of days) a detector marks on the chart, and why. */
export const deviceAnomaly = z.object({
  detector: z.enum(DEVICE_DETECTOR_VALUES),
  /** first marked day */
  day: z.string(),
  /** last marked day (= day for a single day; a month for D-DEVICE-FREIGHT) */
  lastDay: z.string(),
  severity: z.enum(ALERT_SEVERITY_VALUES),
  /** zh-CN, with the numbers: "抓拍182起，为前28日中位数40起的4.6倍" */
  reason: z.string(),
  /** the alert's dedup key: the console finds the alert with rule + this key */
  dedupKey: z.string(),
});
export type DeviceAnomaly = z.infer<typeof deviceAnomaly>;

/** Daily captures of one device by code, every day of [from, to) present (zeros included). */
export const deviceCaptureSeries = z.object({
  deviceId: z.string(),
  from: z.string(),
  /** exclusive */
  to: z.string(),
  /** every Beijing day of the range, in order; the arrays below are aligned with it */
  days: z.array(z.string()),
  total: z.array(z.number().int()),
  freight: z.array(z.number().int()),
  /** one series per code captured in the range, by code */
  byCode: z.array(
    z.object({
      code: z.string(),
      /** among the device's allowed codes (null: the device is not in the registry) */
      allowed: z.boolean().nullable(),
      counts: z.array(z.number().int()),
      total: z.number().int(),
    }),
  ),
  /** what the device detectors find in the range under the current rule parameters */
  anomalies: z.array(deviceAnomaly),
  ruleSetVersion: z.number().int(),
});
export type DeviceCaptureSeries = z.infer<typeof deviceCaptureSeries>;

export const deviceCaptureSummaryQuery = z.strictObject({
  days: z.coerce.number({ message: '天数应为数字' }).int('天数应为整数').min(1, '天数不能小于1').max(366, '天数不能大于366').default(30),
});

/** Captures of every device in the caller's data scope over the last `days` days (the device list). */
export const deviceCaptureSummary = z.object({
  from: z.string(),
  /** exclusive */
  to: z.string(),
  items: z.array(
    z.object({
      deviceId: z.string(),
      captures: z.number().int(),
      freight: z.number().int(),
      /** last day with a capture in the range, null if none */
      lastDay: z.string().nullable(),
      /** captures of codes outside the device's allowed set */
      disallowed: z.number().int(),
    }),
  ),
});
export type DeviceCaptureSummary = z.infer<typeof deviceCaptureSummary>;

/** `POST /api/devices/detectors/run`: the device detectors and verification reminders in full. */
export const deviceDetectorRun = z.object({
  /** alerts created (refreshes of open alerts not counted) */
  alerts: z.number().int(),
  /** findings per detector in this run (raised, refreshed, or left alone because a person closed them) */
  findings: z.record(z.string(), z.number().int()),
});
export type DeviceDetectorRun = z.infer<typeof deviceDetectorRun>;
