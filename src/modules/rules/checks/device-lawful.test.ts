import { describe, expect, it } from 'vitest';
import { DEFAULT_RULE_PARAMS } from '../../../contracts/rules.ts';
import { camera, context, lawfulDevice, T0 } from '../rules.testing.ts';
import { decideCamera } from '../camera.ts';
import { deviceLawfulCheck, isDeviceLawful, statusOn, switchOnDay } from './device-lawful.ts';

// T0 is Monday 2026-03-02 10:00 Beijing time.
const params = DEFAULT_RULE_PARAMS;
const conditions = (r: ReturnType<typeof isDeviceLawful>) => r.missing.map((m) => m.condition);
const lawful = (over: Parameters<typeof lawfulDevice>[0] = {}, code: string | null = '1345', at = T0, p = params) => isDeviceLawful(lawfulDevice(over), code, at, p);
/** 00:00 and 23:59:59.999 Beijing time of a day */
const startOf = (day: string) => Date.parse(`${day}T00:00:00+08:00`);
const endOf = (day: string) => startOf(day) + 86_400_000 - 1;

describe('isDeviceLawful', () => {
  it('a reviewed, announced, signed, verified, active device is lawful for an allowed code', () => {
    expect(lawful()).toEqual({ lawful: true, missing: [] });
  });

  it('legal and technical review: missing, or dated after the capture day; the capture day itself counts', () => {
    expect(conditions(lawful({ legalReview: null }))).toEqual(['legalReview']);
    expect(conditions(lawful({ technicalReview: null }))).toEqual(['technicalReview']);
    const review = (date: string) => ({ date, documentNo: '法审1号', reviewer: '法制大队' });
    expect(lawful({ legalReview: review('2026-03-02') }, '1345', startOf('2026-03-02')).lawful).toBe(true);
    const late = lawful({ legalReview: review('2026-03-03') }, '1345', endOf('2026-03-02'));
    expect(conditions(late)).toEqual(['legalReview']);
    expect(late.missing[0]!.message).toContain('晚于抓拍日2026-03-02');
    expect(late.missing[0]!.basis).toContain('《行政处罚法》第41条');
    expect(conditions(lawful({ technicalReview: review('2026-03-03') }))).toEqual(['technicalReview']);
  });

  it('announcement: none, or fewer than the notice period of working days before the capture', () => {
    expect(conditions(lawful({ announcement: null }))).toEqual(['announcement']);
    const announced = (date: string) => ({ date, channel: '官网' });
    // Mon 02-23 + 5 working days = Mon 03-02 (Tue, Wed, Thu, Fri, Mon)
    expect(switchOnDay('2026-02-23', params)).toBe('2026-03-02');
    expect(lawful({ announcement: announced('2026-02-23') }, '1345', startOf('2026-03-02')).lawful).toBe(true);
    const early = lawful({ announcement: announced('2026-02-23') }, '1345', endOf('2026-03-01'));
    expect(conditions(early)).toEqual(['announcement']);
    expect(early.missing[0]!.message).toContain('2026-03-02起');
    expect(early.missing[0]!.basis).toContain('第16条');
    expect(conditions(lawful({ announcement: announced('2026-02-24') }))).toEqual(['announcement']);
  });

  it('announcement: the notice period counts the brigade calendar and is configurable', () => {
    const announced = { announcement: { date: '2026-02-23', channel: '官网' } };
    // a holiday on Fri 02-27 pushes the switch-on day to Tue 03-03
    const holiday = { ...params, holidays: ['2026-02-27'] };
    expect(switchOnDay('2026-02-23', holiday)).toBe('2026-03-03');
    expect(conditions(lawful(announced, '1345', T0, holiday))).toEqual(['announcement']);
    // a make-up working day on Sat 02-28 brings it to that Saturday
    expect(switchOnDay('2026-02-23', { ...params, makeUpWorkdays: ['2026-02-28'] })).toBe('2026-02-28');
    // notice period 0: lawful from the announcement day
    const zero = { ...params, deviceNoticeWorkingDays: 0 };
    expect(lawful({ announcement: { date: '2026-03-02', channel: '官网' } }, '1345', startOf('2026-03-02'), zero).lawful).toBe(true);
    expect(conditions(lawful({ announcement: { date: '2026-03-02', channel: '官网' } }, '1345', T0, { ...params, deviceNoticeWorkingDays: 1 }))).toEqual(['announcement']);
  });

  it('signage: required for fixed types, not for mobile speed devices', () => {
    const none = { signage: { present: false } };
    expect(conditions(lawful({ ...none, type: 'speedFixed' }))).toEqual(['signage']);
    expect(conditions(lawful({ ...none, type: 'parking', verification: null }))).toEqual(['signage']);
    expect(lawful({ ...none, type: 'speedMobile', policeOperated: true }).lawful).toBe(true);
  });

  it('verification: required for speed devices, valid from its first to its last day inclusive', () => {
    expect(conditions(lawful({ verification: null }))).toEqual(['verification']);
    expect(lawful({ verification: null, type: 'redLight' }).lawful).toBe(true);
    const cert = { certificateNo: 'JD-1', validFrom: '2025-03-02', validTo: '2026-03-01' };
    expect(lawful({ verification: cert }, '1345', endOf('2026-03-01')).lawful).toBe(true);
    const expired = lawful({ verification: cert }, '1345', startOf('2026-03-02'));
    expect(conditions(expired)).toEqual(['verification']);
    expect(expired.missing[0]!.message).toContain('JD-1');
    expect(expired.missing[0]!.basis).toBe('《道路交通安全违法行为处理程序规定》第15条');
    const notYet = { certificateNo: 'JD-2', validFrom: '2026-03-03', validTo: '2027-03-02' };
    expect(conditions(lawful({ verification: notYet }, '1345', endOf('2026-03-02')))).toEqual(['verification']);
    expect(lawful({ verification: notYet }, '1345', startOf('2026-03-03')).lawful).toBe(true);
    expect(conditions(lawful({ verification: null, type: 'speedSection' }))).toEqual(['verification']);
    // an earlier certificate covers its own days after a renewal; a gap between two is not covered
    const renewed = { verification: { certificateNo: 'JD-3', validFrom: '2026-03-10', validTo: '2027-03-09' }, verificationHistory: [cert] };
    expect(lawful(renewed, '1345', endOf('2026-03-01')).lawful).toBe(true);
    expect(conditions(lawful(renewed, '1345', startOf('2026-03-05')))).toEqual(['verification']);
    expect(lawful(renewed, '1345', startOf('2026-03-10')).lawful).toBe(true);
    expect(conditions(lawful({ verification: null, type: 'speedMobile', policeOperated: true }))).toEqual(['verification']);
  });

  it('operator: a mobile speed device must be police-operated', () => {
    expect(conditions(lawful({ type: 'speedMobile', policeOperated: false }))).toEqual(['operator']);
    expect(lawful({ type: 'speedMobile', policeOperated: true }).lawful).toBe(true);
    expect(lawful({ type: 'speedFixed', policeOperated: false }).lawful).toBe(true);
  });

  it('status: active on the capture day; suspension and removal from their first day; none yet = not active', () => {
    const h = (...events: Array<[string, 'active' | 'suspended' | 'removed']>) => ({ statusHistory: events.map(([from, status]) => ({ status, from, reason: `原因${from}`, documentNo: '文1' })) });
    const history = h(['2025-01-01', 'active'], ['2026-03-02', 'suspended'], ['2026-03-05', 'active'], ['2026-04-01', 'removed']);
    expect(lawful(history, '1345', endOf('2026-03-01')).lawful).toBe(true);
    const suspended = lawful(history, '1345', startOf('2026-03-02'));
    expect(conditions(suspended)).toEqual(['status']);
    expect(suspended.missing[0]!.message).toContain('停用');
    expect(lawful(history, '1345', startOf('2026-03-05')).lawful).toBe(true);
    expect(conditions(lawful(history, '1345', startOf('2026-04-01')))).toEqual(['status']);
    expect(conditions(lawful(h(['2026-03-03', 'active']), '1345', T0))).toEqual(['status']);
    expect(conditions(lawful({ statusHistory: [] }))).toEqual(['status']);
    // entries in any order: effective order decides
    expect(statusOn(h(['2026-03-02', 'suspended'], ['2025-01-01', 'active']), '2026-03-10')?.status).toBe('suspended');
  });

  it('code: only the approved violations; null leaves the code out', () => {
    const other = lawful({ allowedCodes: ['1625'] }, '1345');
    expect(conditions(other)).toEqual(['code']);
    expect(other.missing[0]!.message).toContain('1345');
    expect(lawful({ allowedCodes: ['1625'] }, null).lawful).toBe(true);
  });

  it('every missing condition is named at once, in a fixed order', () => {
    const r = lawful({ type: 'speedMobile', legalReview: null, technicalReview: null, announcement: null, verification: null, policeOperated: false, statusHistory: [], allowedCodes: [] });
    expect(conditions(r)).toEqual(['legalReview', 'technicalReview', 'announcement', 'verification', 'operator', 'status', 'code']);
    for (const m of r.missing) {
      expect(m.message.length).toBeGreaterThan(4);
      expect(m.basis).toMatch(/第\d+条/);
    }
  });
});

describe('R-DEVICE-LAWFUL in the camera decision', () => {
  it('a capture from an unlawful device is held, naming the conditions, the revision and the articles', () => {
    const ctx = context({}, 7, { 'CAM-01': lawfulDevice({ revision: 4, announcement: null }) });
    const d = decideCamera(camera(), [], ctx);
    expect(d.outcome).toBe('held');
    const r = d.reasons.find((x) => x.rule === 'R-DEVICE-LAWFUL')!;
    expect(r.message).toContain('向社会公布');
    expect(r.basis).toContain('第16条');
    expect(r.facts).toMatchObject({ deviceId: 'CAM-01', deviceRevision: 4, day: '2026-03-02', missing: [{ condition: 'announcement' }] });
    expect(JSON.parse(JSON.stringify(r.facts))).toEqual(r.facts);
  });

  it('an unknown device, or no device id, is held, never dropped', () => {
    const unknown = decideCamera(camera({ deviceId: 'NOPE' }), [], context());
    expect(unknown.outcome).toBe('held');
    expect(unknown.reasons[0]).toMatchObject({ rule: 'R-DEVICE-LAWFUL', facts: { deviceId: 'NOPE', deviceRevision: null, missing: [{ condition: 'registered' }] } });
    const none = camera();
    delete none.deviceId;
    expect(deviceLawfulCheck(none, context())?.facts).toMatchObject({ deviceId: null });
  });

  it('a lawful device adds nothing; the gate off (benchmark baseline) checks nothing', () => {
    expect(decideCamera(camera(), [], context()).reasons.some((r) => r.rule === 'R-DEVICE-LAWFUL')).toBe(false);
    expect(deviceLawfulCheck(camera({ deviceId: 'NOPE' }), { ...context(), devices: null })).toBeUndefined();
  });

  it('comes before R-REPEAT and keeps the other hold reasons', () => {
    const ctx = context({}, 7, { 'CAM-01': lawfulDevice({ allowedCodes: ['1625'] }) });
    const d = decideCamera(camera({ evidence: [] }), [], ctx);
    expect(d.reasons.map((r) => r.rule)).toEqual(['R-DEVICE-LAWFUL', 'R-EVIDENCE']);
  });
});
