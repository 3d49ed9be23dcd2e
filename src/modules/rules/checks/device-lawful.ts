// R-DEVICE-LAWFUL. A capture is evidence only if its device was lawful on the day: legal and
// technical review passed, location published at least the notice period before, signage where
// the type needs it, metrological verification valid where the type needs it, police-operated
// where mobile, status active, and the violation among the codes it was approved for
// (L1 Art.15–17; L4 Art.41). All days are Beijing calendar days; every boundary is inclusive
// (a review dated the capture's day counts, a certificate is valid through its last day).
import { DEVICE_CONDITIONS, DEVICE_STATUSES, DEVICE_TYPE_RULES, type DeviceCondition, type DeviceState } from '../../../contracts/devices.ts';
import type { RuleParams } from '../../../contracts/rules.ts';
import { DEVICE_CONDITION_BASIS } from '../basis.ts';
import { deepFreeze, reason } from '../reason.ts';
import { beijingDay, beijingDayIndex } from '../time.ts';
import type { Reason, RecordFacts, RuleContext } from '../types.ts';
import { addWorkingDays } from '../working-days.ts';

export type DeviceLawParams = Pick<RuleParams, 'deviceNoticeWorkingDays' | 'holidays' | 'makeUpWorkdays'>;

export interface MissingCondition {
  condition: DeviceCondition;
  message: string;
  basis: string;
}

const dayStartMs = (isoDay: string) => Date.parse(`${isoDay}T00:00:00+08:00`);

/** The first Beijing day a device announced on `announcedOn` may capture: N working days later. */
export function switchOnDay(announcedOn: string, params: DeviceLawParams): string {
  return beijingDay(addWorkingDays(dayStartMs(announcedOn), params.deviceNoticeWorkingDays, params));
}

/** The status in force on a Beijing day: the last entry (in effective order) starting on or before it. */
export function statusOn(device: Pick<DeviceState, 'statusHistory'>, day: string): DeviceState['statusHistory'][number] | undefined {
  let current: DeviceState['statusHistory'][number] | undefined;
  for (const s of device.statusHistory) if (s.from <= day && (!current || s.from >= current.from)) current = s;
  return current;
}

/**
 * Is `device` lawful for violation `code` at instant `at` (epoch ms)? Pure: the registry state,
 * the code, the instant and the rule parameters are everything it reads.
 * `code` = null leaves the code condition out (a device's standing on a day, for the console).
 */
export function isDeviceLawful(device: DeviceState, code: string | null, at: number, params: DeviceLawParams): { lawful: boolean; missing: MissingCondition[] } {
  const day = beijingDay(at);
  const needs = DEVICE_TYPE_RULES[device.type];
  const missing: MissingCondition[] = [];
  const miss = (condition: DeviceCondition, message: string) => missing.push({ condition, message, basis: DEVICE_CONDITION_BASIS[condition] });

  for (const [key, label] of [['legalReview', '法制审核'], ['technicalReview', '技术审核']] as const) {
    const r = device[key];
    if (!r) miss(key, `设备未登记${label}`);
    else if (r.date > day) miss(key, `设备${label}于${r.date}通过（${r.documentNo}），晚于抓拍日${day}`);
  }

  const a = device.announcement;
  if (!a) miss('announcement', '设备设置地点未向社会公布');
  else {
    const on = switchOnDay(a.date, params);
    if (on > day) {
      miss('announcement', `设备于${a.date}公告，须满${params.deviceNoticeWorkingDays}个工作日（${on}起）方可启用，抓拍日${day}尚未届满`);
    }
  }

  if (needs.signage && !device.signage.present) miss('signage', '该类设备须设置明显的警示标志，台账登记为未设置');

  if (needs.verification) {
    const certificates = [...(device.verification ? [device.verification] : []), ...device.verificationHistory];
    if (certificates.length === 0) miss('verification', '测速设备须经计量检定，台账中没有检定证书');
    else if (!certificates.some((v) => v.validFrom <= day && day <= v.validTo)) {
      const list = certificates.map((v) => `${v.certificateNo}（${v.validFrom}至${v.validTo}）`).join('、');
      miss('verification', `抓拍日${day}不在任何计量检定证书的有效期内：${list}`);
    }
  }

  if (needs.policeOperator && !device.policeOperated) miss('operator', '移动测速设备须由民警操作，台账未登记由民警操作');

  const status = statusOn(device, day);
  if (!status) miss('status', `设备在${day}尚未启用`);
  else if (status.status !== 'active') miss('status', `设备自${status.from}起${DEVICE_STATUSES[status.status]}（${status.reason}）`);

  if (code !== null && !device.allowedCodes.includes(code.toUpperCase())) {
    miss('code', `违法代码${code}不在该设备准许抓拍的范围内（${device.allowedCodes.join('、')}）`);
  }
  return { lawful: missing.length === 0, missing };
}

/**
 * The check's answer depends on the device state, the code, the Beijing day, the parameters and
 * the rule-set version only: a batch has thousands of captures of one device on one day, so the
 * answer is kept per state object (registry states are never changed in place).
 */
const answers = new WeakMap<DeviceState, { params: RuleParams; byKey: Map<string, Reason | undefined> }>();

/** The R-DEVICE-LAWFUL hold reason of a camera record, or undefined when its device was lawful. */
export function deviceLawfulCheck(record: RecordFacts, ctx: RuleContext): Reason | undefined {
  if (record.kind !== 'camera' || ctx.devices === null) return undefined;
  const deviceId = record.deviceId ?? '';
  const device = deviceId ? ctx.devices(deviceId) : undefined;
  if (!device) return unregistered(record, deviceId, ctx);
  let memo = answers.get(device);
  if (!memo || memo.params !== ctx.params) answers.set(device, (memo = { params: ctx.params, byKey: new Map() }));
  const key = `${record.violationCode}\u0000${beijingDayIndex(record.occurredAt)}\u0000${ctx.ruleSetVersion}`;
  if (memo.byKey.has(key)) return memo.byKey.get(key);
  const answer = deepFreeze(deviceReason(record, device, ctx));
  memo.byKey.set(key, answer);
  return answer;
}

function unregistered(record: RecordFacts, deviceId: string, ctx: RuleContext): Reason {
  const day = beijingDay(record.occurredAt);
  const message = deviceId ? `设备${deviceId}未在设备台账中登记，无法确认其经过审核、公告和检定，抓拍记录不能作为处罚证据。` : '电子监控记录没有设备编号，无法确认设备合法，不能作为处罚证据。';
  return reason('R-DEVICE-LAWFUL', ctx, message, { deviceId: deviceId || null, deviceRevision: null, day, missing: [{ condition: 'registered', label: DEVICE_CONDITIONS.registered, message, basis: DEVICE_CONDITION_BASIS.registered }] }, { severity: 'medium' });
}

function deviceReason(record: RecordFacts, device: DeviceState, ctx: RuleContext): Reason | undefined {
  const day = beijingDay(record.occurredAt);
  const result = isDeviceLawful(device, record.violationCode, record.occurredAt, ctx.params);
  if (result.lawful) return undefined;
  const message = `设备${device.id}在抓拍时（${day}）不符合合法使用条件：${result.missing.map((m) => `${DEVICE_CONDITIONS[m.condition]}——${m.message}`).join('；')}。该记录不能作为处罚证据，请法制员审核。`;
  const basis = [...new Set(result.missing.flatMap((m) => m.basis.split('；')))].join('；');
  return reason(
    'R-DEVICE-LAWFUL',
    ctx,
    message,
    {
      deviceId: device.id,
      deviceRevision: device.revision,
      day,
      code: record.violationCode,
      deviceNoticeWorkingDays: ctx.params.deviceNoticeWorkingDays,
      missing: result.missing.map((m) => ({ condition: m.condition, label: DEVICE_CONDITIONS[m.condition], message: m.message, basis: m.basis })),
    },
    { severity: 'medium', basis },
  );
}

