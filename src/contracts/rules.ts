import { z } from 'zod';

// The brigade's rule parameters. The legal officer edits them in the console; every saved edit
// is a new rule-set version (ledgered), and every decision names the version that made it.

const int = (what: string, min: number, max: number) =>
  z.number({ message: `${what}应为数字` }).int(`${what}应为整数`).min(min, `${what}不能小于${min}`).max(max, `${what}不能大于${max}`);
const ratio = (what: string, min: number, max: number) =>
  z.number({ message: `${what}应为数字` }).min(min, `${what}不能小于${min}`).max(max, `${what}不能大于${max}`);

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');

export const ruleParams = z.strictObject({
  /** R-WARN-FIRST: no other violation by the vehicle (and driver) within this many days */
  warningWindowDays: int('首违警告回溯天数', 1, 1095).default(183),
  /** R-REPEAT: continuing-violation window of a parking code the catalogue gives none (other codes without one never merge) */
  repeatWindowMinutes: int('停车类连续违法默认合并时长（分钟）', 1, 10080).default(1440),
  /** R-REPEAT: same road segment = same road and |Δkm| ≤ this */
  repeatSegmentKm: ratio('同一路段范围（公里）', 0, 50).default(1),
  /** R-ONSITE-HANDLED: an on-site record within ± this many minutes … */
  onSiteHandledMinutes: int('现场已处理判定时长（分钟）', 1, 1440).default(30),
  /** … and this close (same road and |Δkm|, or by coordinates) */
  onSiteHandledKm: ratio('现场已处理判定距离（公里）', 0, 50).default(2),
  /** R-PROCEDURE: highest fine of a simple-procedure decision (L3 Art.107) */
  simpleProcedureMaxYuan: int('简易程序罚款上限（元）', 0, 10000).default(200),
  /** R-PROCEDURE: police officers a general-procedure decision needs (L1 Art.48) */
  generalProcedureMinOfficers: int('一般程序最少民警人数', 1, 10).default(2),
  /** R-CASH: highest fine collected in cash on the spot (L4 Art.68) */
  cashMaxYuan: int('当场收缴上限（元）', 0, 10000).default(100),
  /** R-EVIDENCE */
  cameraRequiresMedia: z.boolean().default(true),
  onSitePenaltyRequiresBodyCam: z.boolean().default(true),
  /** R-REVIEW-DUE: working days a held camera record may wait (L1 Art.19) */
  reviewDueWorkingDays: int('审核时限（工作日）', 1, 30).default(5),
  /** R-DAILY-CAP: simple-procedure decisions per officer per day */
  dailySimpleCap: int('每日简易程序上限', 1, 10000).default(150),
  /** D-NONLOCAL: plate prefixes counted as local, e.g. 苏A */
  localPlatePrefixes: z.array(z.string().trim().regex(/^[\u4e00-\u9fa5][A-Z]$/, '本地号牌前缀应为省份简称加字母，如 苏A')).max(20).default(['苏A']),
  /** D-TRUCK-REPEAT: the same freight vehicle penalised ≥ k times in N days by one officer or at one checkpoint */
  truckRepeatMin: int('货车重复处罚次数', 2, 100).default(3),
  truckRepeatDays: int('货车重复处罚统计天数', 1, 365).default(30),
  /** D-FLAT-AMOUNT: share of one amount among an officer's/checkpoint's freight fines, across ≥ minCodes codes */
  flatAmountMinFines: int('统一罚款最少笔数', 2, 10000).default(10),
  flatAmountShare: ratio('统一罚款金额占比', 0.5, 1).default(0.9),
  flatAmountMinCodes: int('统一罚款最少违法代码种数', 2, 100).default(3),
  /** D-NONLOCAL: non-local share above baseline × this, with at least minPenalties penalties */
  nonLocalRatio: ratio('外地货车占比倍数', 1, 20).default(2),
  nonLocalMinPenalties: int('外地货车占比最少处罚数', 1, 10000).default(20),
  /** D-PERIOD-END: penalties in the last days of a month against the rest of the month */
  periodEndDays: int('月末天数', 1, 10).default(3),
  periodEndRatio: ratio('月末倍数', 1, 20).default(2),
  periodEndMinPenalties: int('月末最少处罚数', 1, 10000).default(20),
  /** D-DEVICE-SPIKE: a device's day above ratio × the median of its previous baselineDays days, with at least minCaptures */
  deviceSpikeRatio: ratio('设备抓拍突增倍数', 1.5, 50).default(3),
  deviceSpikeBaselineDays: int('设备抓拍基线天数', 7, 90).default(28),
  deviceSpikeMinCaptures: int('设备抓拍突增最少抓拍数', 1, 1000000).default(50),
  /** D-DEVICE-NEW-HIGH: a device in its first newDays days capturing above ratio × the median of its type's peers that day */
  deviceNewDays: int('新设备观察期（天）', 7, 180).default(30),
  deviceNewHighRatio: ratio('新设备抓拍量倍数', 1.5, 50).default(5),
  deviceNewHighMinCaptures: int('新设备抓拍畸高最少抓拍数', 1, 1000000).default(50),
  /** D-DEVICE-FREIGHT: a device's monthly freight share above ratio × its type's peers', with at least minCaptures that month */
  deviceFreightRatio: ratio('设备货车占比倍数', 1, 20).default(2),
  deviceFreightMinCaptures: int('设备货车占比最少抓拍数', 1, 1000000).default(100),
  /** R-DEVICE-VERIFY-DUE: remind the owning unit this many days before a verification certificate expires */
  deviceVerificationReminderDays: int('计量检定到期提醒天数', 1, 180).default(30),
  /** R-DEVICE-LAWFUL: a device captures lawfully from this many working days after its public announcement (Jiangmen practice; L1 Art.16) */
  deviceNoticeWorkingDays: int('设备公告后启用等待（工作日）', 0, 30).default(5),
  /** Brigade calendar: public holidays (not working days) and make-up working days (调休上班) */
  holidays: z.array(isoDate).max(400).default([]),
  makeUpWorkdays: z.array(isoDate).max(100).default([]),
});
export type RuleParams = z.infer<typeof ruleParams>;

export const DEFAULT_RULE_PARAMS: RuleParams = ruleParams.parse({});

/** zh-CN labels of the parameters, for the 规则参数 page and the diff. */
export const RULE_PARAM_LABELS: Record<keyof RuleParams, string> = {
  warningWindowDays: '首违警告回溯天数',
  repeatWindowMinutes: '停车类连续违法默认合并时长（分钟）',
  repeatSegmentKm: '同一路段范围（公里）',
  onSiteHandledMinutes: '现场已处理判定时长（分钟）',
  onSiteHandledKm: '现场已处理判定距离（公里）',
  simpleProcedureMaxYuan: '简易程序罚款上限（元）',
  generalProcedureMinOfficers: '一般程序最少民警人数',
  cashMaxYuan: '当场收缴上限（元）',
  cameraRequiresMedia: '电子监控记录须附照片或视频',
  onSitePenaltyRequiresBodyCam: '现场处罚须附执法记录仪视频',
  reviewDueWorkingDays: '审核时限（工作日）',
  dailySimpleCap: '每名民警每日简易程序上限',
  localPlatePrefixes: '本地号牌前缀',
  truckRepeatMin: '货车重复处罚次数阈值',
  truckRepeatDays: '货车重复处罚统计天数',
  flatAmountMinFines: '统一罚款最少笔数',
  flatAmountShare: '统一罚款金额占比阈值',
  flatAmountMinCodes: '统一罚款最少违法代码种数',
  nonLocalRatio: '外地货车占比倍数阈值',
  nonLocalMinPenalties: '外地货车占比最少处罚数',
  periodEndDays: '月末天数',
  periodEndRatio: '月末倍数阈值',
  periodEndMinPenalties: '月末最少处罚数',
  deviceSpikeRatio: '设备抓拍突增倍数阈值',
  deviceSpikeBaselineDays: '设备抓拍基线天数',
  deviceSpikeMinCaptures: '设备抓拍突增最少抓拍数',
  deviceNewDays: '新设备观察期（天）',
  deviceNewHighRatio: '新设备抓拍量倍数阈值（与同类设备比）',
  deviceNewHighMinCaptures: '新设备抓拍畸高最少抓拍数',
  deviceFreightRatio: '设备货车占比倍数阈值（与同类设备比）',
  deviceFreightMinCaptures: '设备货车占比最少抓拍数（每月）',
  deviceVerificationReminderDays: '计量检定到期提醒天数',
  deviceNoticeWorkingDays: '设备公告后启用等待（工作日）',
  holidays: '法定节假日',
  makeUpWorkdays: '调休上班日',
};

export const ruleSet = z.object({
  version: z.number().int(),
  params: ruleParams,
  note: z.string(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
});
export type RuleSet = z.infer<typeof ruleSet>;
export const ruleSetList = z.object({ items: z.array(ruleSet.omit({ params: true })) });
export const ruleSetCreate = z.strictObject({
  params: ruleParams,
  note: z.string().trim().min(1, '请说明本次调整的理由').max(500, '说明不能超过500字'),
});
export const ruleSetDiffQuery = z.strictObject({ from: z.coerce.number().int().positive(), to: z.coerce.number().int().positive() });
export const ruleSetDiff = z.object({
  from: z.number().int(),
  to: z.number().int(),
  changes: z.array(z.object({ key: z.string(), label: z.string(), before: z.unknown(), after: z.unknown() })),
});
