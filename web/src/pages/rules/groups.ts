// The rule parameters in the groups a legal officer thinks in, and how each value reads.
import { z } from 'zod';
import { RULE_PARAM_LABELS, ruleParams, type RuleParams } from '@contracts/rules.ts';

export type ParamKey = keyof RuleParams;

export const PARAM_GROUPS = [
  { key: 'warning', title: '首违警告', params: ['warningWindowDays'] },
  { key: 'repeat', title: '连续违法合并', params: ['repeatWindowMinutes', 'repeatSegmentKm'] },
  { key: 'onSite', title: '现场已处理', params: ['onSiteHandledMinutes', 'onSiteHandledKm'] },
  { key: 'procedure', title: '程序与收缴', params: ['simpleProcedureMaxYuan', 'generalProcedureMinOfficers', 'cashMaxYuan'] },
  { key: 'evidence', title: '证据', params: ['cameraRequiresMedia', 'onSitePenaltyRequiresBodyCam'] },
  { key: 'cap', title: '每日上限', params: ['dailySimpleCap'] },
  { key: 'review', title: '审核时限与工作日历', params: ['reviewDueWorkingDays', 'holidays', 'makeUpWorkdays'] },
  {
    key: 'freight',
    title: '货车与异常检测',
    params: [
      'localPlatePrefixes',
      'truckRepeatMin',
      'truckRepeatDays',
      'flatAmountMinFines',
      'flatAmountShare',
      'flatAmountMinCodes',
      'nonLocalRatio',
      'nonLocalMinPenalties',
      'periodEndDays',
      'periodEndRatio',
      'periodEndMinPenalties',
    ],
  },
  {
    key: 'devices',
    title: '监控设备',
    params: [
      'deviceNoticeWorkingDays',
      'deviceSpikeRatio',
      'deviceSpikeBaselineDays',
      'deviceSpikeMinCaptures',
      'deviceNewDays',
      'deviceNewHighRatio',
      'deviceNewHighMinCaptures',
      'deviceFreightRatio',
      'deviceFreightMinCaptures',
      'deviceVerificationReminderDays',
    ],
  },
] as const satisfies readonly { key: string; title: string; params: readonly ParamKey[] }[];

// A parameter added to the contract but not to a group fails the type check here.
type Grouped = (typeof PARAM_GROUPS)[number]['params'][number];
const everyParamGrouped: [Exclude<ParamKey, Grouped>] extends [never] ? true : Exclude<ParamKey, Grouped> = true;
void everyParamGrouped;

export const DATE_LIST_PARAMS: ReadonlySet<ParamKey> = new Set(['holidays', 'makeUpWorkdays']);

/** What kind of input a parameter takes, read from the contract's schema. */
export type ParamInput =
  | { kind: 'boolean' }
  | { kind: 'number'; min: number | undefined; max: number | undefined; integer: boolean }
  | { kind: 'dates' }
  | { kind: 'texts' };

export function paramInput(key: ParamKey): ParamInput {
  if (DATE_LIST_PARAMS.has(key)) return { kind: 'dates' };
  const inner = ruleParams.shape[key].unwrap();
  if (inner instanceof z.ZodBoolean) return { kind: 'boolean' };
  if (inner instanceof z.ZodNumber) {
    return { kind: 'number', min: inner.minValue ?? undefined, max: inner.maxValue ?? undefined, integer: inner.isInt };
  }
  return { kind: 'texts' };
}

export function paramLabel(key: string): string {
  return (RULE_PARAM_LABELS as Record<string, string>)[key] ?? key;
}

/** A parameter's value as text: 是/否, lists joined, a share as a percentage. */
export function paramText(key: string, value: unknown): string {
  if (value === undefined || value === null) return '-';
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (Array.isArray(value)) return value.length ? value.join('、') : '（无）';
  if (key === 'flatAmountShare' && typeof value === 'number') return `${Math.round(value * 1000) / 10}%`;
  return String(value);
}
