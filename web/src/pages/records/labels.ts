// How enforcement values read on every enforcement page (records, review queue, dashboard): the
// outcome colours, the zh-CN names of the rules and detectors, and small text formats. Plain data
// and functions; the tags built from them are in tags.tsx.
import { DEVICE_DETECTORS } from '@contracts/device-captures.ts';
import { OUTCOMES, PARTIES, PAYMENT_METHODS, PROCEDURES, type Outcome } from '@contracts/enforcement.ts';

/** Tag colour and chart colour of each outcome; the two stay alike so a chart reads like the table. */
export const OUTCOME_STYLE: Record<Outcome, { tag: string; chart: string }> = {
  penalty: { tag: 'volcano', chart: '#fa541c' },
  warning: { tag: 'cyan', chart: '#13c2c2' },
  held: { tag: 'orange', chart: '#faad14' },
  merged: { tag: 'purple', chart: '#722ed1' },
  voided: { tag: 'default', chart: '#bfbfbf' },
  compliant: { tag: 'green', chart: '#52c41a' },
  nonCompliant: { tag: 'red', chart: '#f5222d' },
};

export function outcomeLabel(outcome: string): string {
  return (OUTCOMES as Record<string, string>)[outcome] ?? outcome;
}

/** Rules (R-) decide records; detectors (D-) look at patterns and raise alerts. */
export const RULE_NAMES: Record<string, string> = {
  'R-WARN-FIRST': '首违警告',
  'R-REPEAT': '连续违法合并',
  'R-ONSITE-HANDLED': '现场已处理',
  'R-FINE-RANGE': '罚款幅度',
  'R-PROCEDURE': '程序适用',
  'R-DECIDER': '处罚决定人',
  'R-CASH': '当场收缴',
  'R-EVIDENCE': '证据',
  'R-REVIEW-DUE': '审核时限',
  'R-DAILY-CAP': '每日简易程序上限',
  'R-CODE-UNKNOWN': '违法代码未收录',
  'R-DEVICE-LAWFUL': '设备合法性',
  'D-TRUCK-REPEAT': '货车重复处罚',
  'D-FLAT-AMOUNT': '统一罚款金额',
  'D-NONLOCAL': '外地货车占比异常',
  'D-PERIOD-END': '月末处罚集中',
  'D-DEVICE-SPIKE': DEVICE_DETECTORS['D-DEVICE-SPIKE'],
  'D-DEVICE-NEW-HIGH': DEVICE_DETECTORS['D-DEVICE-NEW-HIGH'],
  'D-DEVICE-CODES': DEVICE_DETECTORS['D-DEVICE-CODES'],
  'D-DEVICE-FREIGHT': DEVICE_DETECTORS['D-DEVICE-FREIGHT'],
};

export function ruleName(rule: string): string {
  return RULE_NAMES[rule] ?? rule;
}

export const RULE_OPTIONS = Object.entries(RULE_NAMES)
  .filter(([rule]) => rule.startsWith('R-'))
  .map(([value, name]) => ({ value, label: `${name}（${value}）` }));

/** A stored code shown by its label when it is one of the contract's (procedure, party, payment). */
const labelOf = (labels: Record<string, string>) => (code: string | null | undefined) => (code ? (labels[code] ?? code) : null);
export const procedureLabel = labelOf(PROCEDURES);
export const partyLabel = labelOf(PARTIES);
export const paymentLabel = labelOf(PAYMENT_METHODS);

export function fineText(fineYuan: number | null, points: number | null): string {
  if (fineYuan === null && points === null) return '-';
  return `${fineYuan ?? '-'} 元 / ${points ?? '-'} 分`;
}

/** Options of a label table for a Select. */
export const optionsOf = (labels: Record<string, string>) => Object.entries(labels).map(([value, label]) => ({ value, label }));

/**
 * The server's review deadline is 00:00 (Beijing time) after the last working day; people think of
 * that last day, a Beijing calendar day (UTC+8, no daylight saving) whatever the browser's zone.
 */
export function lastDueDay(dueAt: string): string {
  return new Date(Date.parse(dueAt) - 1 + 8 * 3_600_000).toISOString().slice(0, 10);
}
