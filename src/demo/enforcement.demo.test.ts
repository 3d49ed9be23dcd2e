import { describe, expect, it } from 'vitest';
import { FREIGHT_VEHICLE_TYPES, recordInput } from '../contracts/enforcement.ts';
import { normalizePlate, platePrefix } from '../contracts/plate.ts';
import { DEFAULT_RULE_PARAMS as P } from '../contracts/rules.ts';
import { SAMPLE_CATALOGUE } from '../modules/catalogue/sample-catalogue.ts';
import { DEMO_CAMERAS } from './cameras.demo.ts';
import { NEW_DEMO_CAMERA } from './device-anomalies.demo.ts';
import { demoEnforcementPeople, generateEnforcementDemo, type EnforcementPerson, type IntakeRow } from './enforcement.demo.ts';
import type { GroundTruth } from './ground-truth.ts';

const END_AT = new Date('2025-11-26T00:00:00+08:00');
const MIN = 60_000;
const DAY = 1440 * MIN;
const CATALOGUE = new Map(SAMPLE_CATALOGUE.map((c) => [c.code, c]));
const people = demoEnforcementPeople(20261126);
const smallDemo = (seed = 42, who: readonly EnforcementPerson[] = people) =>
  generateEnforcementDemo({ seed, endAt: END_AT, days: 90, cameraRecords: 2000, onSiteRecords: 300, people: who });

const beijingDay = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
const isBackground = (id: string) => !id.startsWith('GT-');
const caseRecords = (truth: GroundTruth) => new Set(truth.cases.flatMap((c) => c.expect.records ?? []));
const fine = (r: IntakeRow) => r.fineYuan ?? 0;

interface Penalty {
  /** camera: checkpoint:deviceId; on-site: officer:警号 and checkpoint:road (as the detectors group them) */
  subjects: string[];
  onSite: boolean;
  plate: string;
  freight: boolean;
  nonLocal: boolean;
  code: string;
  amount: number;
  ms: number;
}

/**
 * An independent, simplified reading of the rules and detectors (enforcement-law.md, RuleParams
 * defaults), to check that the background is clean and each injected record breaks what its case
 * says and nothing else. Streams, so the full-size run does not keep every row.
 */
function audit(rows: Iterable<IntakeRow>, who: readonly EnforcementPerson[]) {
  const person = new Map(who.map((p) => [p.badgeNo, p]));
  const isActivePolice = (b: string) => person.get(b)?.category === 'police' && person.get(b)?.status === 'active';
  const violations = new Map<string, Set<string>>();
  const lastSeen = new Map<string, number>();
  const lastCapture = new Map<string, number>();
  const onSiteAt = new Map<string, Array<{ ms: number; road: string; km: number }>>();
  const simpleByOfficerDay = new Map<string, number>();
  const backgroundSimpleByOfficerDay = new Map<string, number>();
  const penalties: Penalty[] = [];
  let count = 0;
  let previous = -Infinity;
  let ordered = true;

  for (const row of rows) {
    count++;
    const ms = Date.parse(row.occurredAt);
    if (ms < previous) ordered = false;
    previous = ms;
    const e = CATALOGUE.get(row.violationCode)!;
    const v = new Set<string>();
    const seen = lastSeen.get(row.plate);
    const first = seen === undefined || ms - seen > P.warningWindowDays * DAY;
    const freight = FREIGHT_VEHICLE_TYPES.has(row.vehicleType as never);
    const nonLocal = !P.localPlatePrefixes.includes(platePrefix(row.plate));
    if (row.kind === 'camera') {
      if (!(row.evidence ?? []).some((x) => (x.kind === 'photo' || x.kind === 'video') && x.sha256)) v.add('R-EVIDENCE');
      if (row.fineYuan !== undefined && (row.fineYuan < e.fineMin || row.fineYuan > e.fineMax)) v.add('R-FINE-RANGE');
      const key = `${row.plate}|${row.violationCode}|${row.deviceId}`;
      const prev = lastCapture.get(key);
      if (prev !== undefined && ms - prev <= (e.continuingWindowMinutes ?? P.repeatWindowMinutes) * MIN) v.add('R-REPEAT');
      lastCapture.set(key, ms);
      const handled = (onSiteAt.get(`${row.plate}|${row.violationCode}`) ?? []).some(
        (o) => Math.abs(ms - o.ms) <= P.onSiteHandledMinutes * MIN && o.road === row.place.road && Math.abs(o.km - (row.place.km ?? 0)) <= P.onSiteHandledKm,
      );
      if (handled) v.add('R-ONSITE-HANDLED');
      const penalty = v.size === 0 && !(e.warningEligible && first);
      if (penalty) penalties.push({ subjects: [`checkpoint:${row.deviceId}`], onSite: false, plate: row.plate, freight, nonLocal, code: row.violationCode, amount: row.fineYuan ?? e.fineDefault, ms });
    } else {
      const officer = row.decidingOfficer!;
      const amount = fine(row);
      if (!isActivePolice(officer)) v.add('R-DECIDER');
      if (amount > 0) {
        if (amount < e.fineMin || amount > e.fineMax || row.points !== e.points) v.add('R-FINE-RANGE');
        if (e.warningEligible && first) v.add('R-WARN-FIRST');
        if (!(row.evidence ?? []).some((x) => x.kind === 'bodyCam')) v.add('R-EVIDENCE');
        penalties.push({ subjects: [`officer:${officer}`, `checkpoint:${row.place.road}`], onSite: true, plate: row.plate, freight, nonLocal, code: row.violationCode, amount, ms });
      } else if (!e.warningEligible || row.points !== 0) v.add('R-FINE-RANGE');
      const police = [officer, ...(row.assistants ?? [])].filter(isActivePolice).length;
      if (row.procedure === 'simple' && amount > P.simpleProcedureMaxYuan) v.add('R-PROCEDURE');
      if (row.procedure === 'general' && police < P.generalProcedureMinOfficers) v.add('R-PROCEDURE');
      const pay = row.payment;
      if (pay?.method === 'cashOnSpot' && (row.party === 'motorVehicleDriver' || amount > P.cashMaxYuan || !pay.receiptNo || row.procedure !== 'simple')) v.add('R-CASH');
      if (row.procedure === 'simple') {
        const key = `${officer}|${beijingDay(ms)}`;
        simpleByOfficerDay.set(key, (simpleByOfficerDay.get(key) ?? 0) + 1);
        if (isBackground(row.externalId)) backgroundSimpleByOfficerDay.set(key, (backgroundSimpleByOfficerDay.get(key) ?? 0) + 1);
      }
      const at = `${row.plate}|${row.violationCode}`;
      onSiteAt.set(at, [...(onSiteAt.get(at) ?? []), { ms, road: row.place.road, km: row.place.km ?? 0 }]);
    }
    lastSeen.set(row.plate, ms);
    if (v.size) violations.set(row.externalId, v);
  }
  return { count, ordered, violations, penalties, simpleByOfficerDay, backgroundSimpleByOfficerDay };
}

const groupBy = <T>(items: T[], key: (t: T) => string) => {
  const m = new Map<string, T[]>();
  for (const t of items) m.set(key(t), [...(m.get(key(t)) ?? []), t]);
  return m;
};

/** Each penalty once per subject it counts for. */
const perSubject = (list: Penalty[]) => list.flatMap((p) => p.subjects.map((subject) => ({ ...p, subject })));

/**
 * The four detectors and the daily cap, grouped as the enforcement service groups them, with the
 * default parameters; returns `${kind}:${id}` subjects. One deliberate difference: a month's
 * "rest" days are those inside the window, so the window's first, partial month is judged on the
 * days it has.
 */
function detect(a: ReturnType<typeof audit>, endAt = END_AT) {
  const freight = a.penalties.filter((p) => p.freight);
  const truck = new Set<string>();
  for (const list of groupBy(perSubject(freight), (p) => `${p.plate}|${p.subject}`).values()) {
    const ms = list.map((p) => p.ms).sort((x, y) => x - y);
    for (let i = 0; i + P.truckRepeatMin - 1 < ms.length; i++) if (ms[i + P.truckRepeatMin - 1]! - ms[i]! <= P.truckRepeatDays * DAY) truck.add(`vehicle:${list[0]!.plate}`);
  }
  const flat = new Set<string>();
  for (const [subject, list] of groupBy(perSubject(freight.filter((p) => p.onSite)), (p) => p.subject)) {
    const top = [...groupBy(list, (p) => String(p.amount)).values()].sort((x, y) => y.length - x.length)[0]!;
    if (list.length >= P.flatAmountMinFines && top.length / list.length >= P.flatAmountShare && new Set(top.map((p) => p.code)).size >= P.flatAmountMinCodes) flat.add(subject);
  }
  const nonLocal = new Set<string>();
  const baseline = freight.filter((p) => p.nonLocal).length / freight.length;
  for (const [subject, list] of groupBy(perSubject(freight), (p) => p.subject)) {
    if (list.length >= P.nonLocalMinPenalties && list.filter((p) => p.nonLocal).length / list.length > baseline * P.nonLocalRatio) nonLocal.add(subject);
  }
  const periodEnd = new Set<string>();
  const windowStart = endAt.getTime() - 90 * DAY;
  for (const [subject, list] of groupBy(perSubject(a.penalties), (p) => p.subject)) {
    for (const [month, inMonth] of groupBy(list, (p) => beijingDay(p.ms).slice(0, 7))) {
      const [y, m] = month.split('-').map(Number) as [number, number];
      const lastDay = new Date(Date.UTC(y, m, 0)).getUTCDate();
      const monthStart = Date.parse(`${month}-01T00:00:00+08:00`);
      const endStart = monthStart + (lastDay - P.periodEndDays) * DAY;
      if (endStart + P.periodEndDays * DAY > endAt.getTime() || endStart < windowStart) continue; // month end not wholly inside
      const restDays = (endStart - Math.max(monthStart, windowStart)) / DAY;
      const end = inMonth.filter((p) => p.ms >= endStart).length;
      const rest = inMonth.length - end;
      if (inMonth.length >= P.periodEndMinPenalties && restDays > 0 && end / P.periodEndDays >= P.periodEndRatio * (rest / restDays)) periodEnd.add(subject);
    }
  }
  const dailyCap = new Set([...a.simpleByOfficerDay].filter(([, n]) => n > P.dailySimpleCap).map(([k]) => `officer:${k.split('|')[0]}`));
  return { 'D-TRUCK-REPEAT': truck, 'D-FLAT-AMOUNT': flat, 'D-NONLOCAL': nonLocal, 'D-PERIOD-END': periodEnd, 'R-DAILY-CAP': dailyCap } as Record<string, Set<string>>;
}

describe('enforcement demo (small size)', () => {
  const demo = smallDemo();
  const rows = [...demo.rows()];
  const truth = demo.groundTruth;
  const byId = new Map(rows.map((r) => [r.externalId, r]));
  const checked = audit(rows, people);

  it('produces valid intake rows with unique external ids, in chronological order, inside the window', () => {
    const injected = rows.filter((r) => r.externalId.startsWith('GT-')).length;
    expect(rows.filter((r) => r.externalId.startsWith('CAM-'))).toHaveLength(2000);
    expect(rows.filter((r) => r.externalId.startsWith('ONS-'))).toHaveLength(300);
    expect(rows.length).toBe(2300 + injected);
    expect(byId.size).toBe(rows.length);
    const failures = rows.map((r) => [r.externalId, recordInput.safeParse(r)] as const).filter(([, p]) => !p.success);
    expect(failures.map(([id, p]) => `${id}: ${p.error?.issues[0]?.message}`)).toEqual([]);
    expect(checked.ordered).toBe(true);
    const start = END_AT.getTime() - 90 * DAY;
    expect(rows.every((r) => Date.parse(r.occurredAt) >= start && Date.parse(r.occurredAt) < END_AT.getTime() && r.occurredAt.endsWith('+08:00'))).toBe(true);
    expect(rows.every((r) => normalizePlate(r.plate).ok && CATALOGUE.has(r.violationCode))).toBe(true);
  });

  it('is deterministic for a seed and starts over on each call of rows()', () => {
    const again = JSON.stringify([...smallDemo().rows()]);
    expect(again).toBe(JSON.stringify(rows));
    expect(JSON.stringify([...demo.rows()])).toBe(again);
    expect(smallDemo().groundTruth).toEqual(truth);
    expect(JSON.stringify([...smallDemo(43).rows()].slice(0, 50))).not.toBe(JSON.stringify(rows.slice(0, 50)));
  });

  it('has realistic camera and on-site background', () => {
    const cameras = rows.filter((r) => r.kind === 'camera' && isBackground(r.externalId));
    const devices = new Map(DEMO_CAMERAS.map((c) => [c.deviceId, c]));
    expect(cameras.every((r) => devices.get(r.deviceId!)?.allowedCodes.includes(r.violationCode))).toBe(true);
    expect(cameras.every((r) => (r.evidence ?? []).length >= 1 && (r.evidence ?? []).length <= 3 && r.driver === undefined)).toBe(true);
    const atCheckpoints = cameras.filter((r) => devices.get(r.deviceId!)!.type === 'checkpoint');
    const freightShare = atCheckpoints.filter((r) => FREIGHT_VEHICLE_TYPES.has(r.vehicleType as never)).length / atCheckpoints.length;
    expect(freightShare).toBeGreaterThan(0.15);
    expect(freightShare).toBeLessThan(0.35);
    const local = rows.filter((r) => r.plate.startsWith('苏A')).length / rows.length;
    expect(local).toBeGreaterThan(0.65);
    expect(rows.some((r) => r.plate.length === 8)).toBe(true);

    const onSite = rows.filter((r) => r.kind === 'onSite' && isBackground(r.externalId));
    expect(onSite.every((r) => r.driver?.idNumber && (r.party !== 'motorVehicleDriver' || r.driver.licenceNo))).toBe(true);
    expect(onSite.filter((r) => r.procedure === 'general').every((r) => fine(r) > 200)).toBe(true);
    expect(onSite.filter((r) => r.payment?.method === 'cashOnSpot').every((r) => r.party !== 'motorVehicleDriver' && fine(r) <= 100 && r.payment?.receiptNo)).toBe(true);
    expect(new Set(onSite.filter((r) => fine(r) > 0).map(fine)).size).toBeGreaterThan(8);
    expect(onSite.some((r) => (r.assistants ?? []).length > 0)).toBe(true);
    // weekday rhythm: more records Monday–Friday than on weekend days
    const perDay = groupBy(rows, (r) => beijingDay(Date.parse(r.occurredAt)));
    const weekday = (d: string) => new Date(`${d}T12:00:00+08:00`).getUTCDay();
    const mean = (ds: string[]) => ds.reduce((n, d) => n + perDay.get(d)!.length, 0) / ds.length;
    expect(mean([...perDay.keys()].filter((d) => weekday(d) >= 1 && weekday(d) <= 5))).toBeGreaterThan(mean([...perDay.keys()].filter((d) => weekday(d) === 0 || weekday(d) === 6)));
  });

  it('keeps the background clean by simple independent checks', () => {
    const background = rows.filter((r) => isBackground(r.externalId));
    const cameraPlates = new Set(background.filter((r) => r.kind === 'camera').map((r) => r.plate));
    expect(background.filter((r) => r.kind === 'onSite' && cameraPlates.has(r.plate))).toEqual([]);
    const injectedPlates = new Set(rows.filter((r) => !isBackground(r.externalId)).map((r) => r.plate));
    expect(background.filter((r) => injectedPlates.has(r.plate))).toEqual([]);
    expect(Math.max(...checked.backgroundSimpleByOfficerDay.values())).toBeLessThanOrEqual(30);
    const captures = groupBy(
      background.filter((r) => r.kind === 'camera'),
      (r) => `${r.plate}|${r.violationCode}|${r.deviceId}`,
    );
    for (const list of captures.values()) {
      const ms = list.map((r) => Date.parse(r.occurredAt));
      for (let i = 1; i < ms.length; i++) expect(ms[i]! - ms[i - 1]!).toBeGreaterThan(DAY);
    }
  });

  it('has no per-record rule violation in the background, and each injected record breaks exactly its case rule', () => {
    expect([...checked.violations.keys()].filter(isBackground)).toEqual([]);
    for (const c of truth.cases)
      for (const id of c.expect.records ?? []) expect({ id, broken: [...(checked.violations.get(id) ?? [])] }).toEqual({ id, broken: [c.rule] });
    const supporting = rows.map((r) => r.externalId).filter((id) => !isBackground(id) && !caseRecords(truth).has(id));
    expect(supporting.filter((id) => checked.violations.has(id))).toEqual([]);
  });

  it('flags exactly the injected subjects with the detectors and the daily cap', () => {
    const found = detect(checked);
    for (const rule of Object.keys(found)) {
      const expected = truth.cases.filter((c) => c.rule === rule).flatMap((c) => (c.expect.subjects ?? []).map((s) => `${s.kind}:${s.id}`));
      expect({ rule, subjects: [...found[rule]!].sort() }).toEqual({ rule, subjects: expected.sort() });
    }
  });

  it('puts every case record in rows(), names known subjects, and covers every rule and detector asked for', () => {
    for (const id of caseRecords(truth)) expect(byId.has(id)).toBe(true);
    const ids = truth.cases.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(truth.cases.map((c) => c.rule))).toEqual(
      new Set(['D-TRUCK-REPEAT', 'D-FLAT-AMOUNT', 'D-NONLOCAL', 'D-PERIOD-END', 'R-DECIDER', 'R-FINE-RANGE', 'R-CASH', 'R-REPEAT', 'R-ONSITE-HANDLED', 'R-WARN-FIRST', 'R-PROCEDURE', 'R-EVIDENCE', 'R-DAILY-CAP', 'D-DEVICE-NEW-HIGH', 'D-DEVICE-SPIKE', 'D-DEVICE-FREIGHT']),
    );
    const police = new Set(people.filter((p) => p.category === 'police').map((p) => p.badgeNo));
    for (const s of truth.cases.flatMap((c) => c.expect.subjects ?? [])) {
      if (s.kind === 'officer') expect(police.has(s.id)).toBe(true);
      if (s.kind === 'vehicle') expect(rows.some((r) => r.plate === s.id)).toBe(true);
    }
    const officers = truth.cases.filter((c) => ['D-FLAT-AMOUNT', 'D-NONLOCAL', 'D-PERIOD-END', 'R-DAILY-CAP'].includes(c.rule)).map((c) => c.expect.subjects![0]!.id);
    const roads = new Set(DEMO_CAMERAS.map((c) => c.road));
    for (const s of truth.cases.flatMap((c) => c.expect.subjects ?? [])) if (s.kind === 'checkpoint') expect(roads.has(s.id) || [...DEMO_CAMERAS, NEW_DEMO_CAMERA].some((c) => c.deviceId === s.id)).toBe(true);
    expect(new Set(officers).size).toBe(4);
    expect(truth.generatedFor).toEqual({ days: 90, cameraRecords: 2000, onSiteRecords: 300, endAt: '2025-11-26T00:00:00+08:00' });
  });

  it('injects records with the properties their cases claim', () => {
    const cases = new Map(truth.cases.map((c) => [c.id, c]));
    const rec = (caseId: string) => cases.get(caseId)!.expect.records!.map((id) => byId.get(id)!);
    const person = new Map(people.map((p) => [p.badgeNo, p]));

    // 辅警 deciding; cash from motor-vehicle drivers; cash without receipt
    expect(rec('R-DECIDER-1').length).toBeGreaterThanOrEqual(3);
    expect(rec('R-DECIDER-1').every((r) => person.get(r.decidingOfficer!)?.category === 'auxiliary')).toBe(true);
    expect(rec('R-CASH-1').length).toBeGreaterThanOrEqual(3);
    expect(rec('R-CASH-1').every((r) => r.party === 'motorVehicleDriver' && r.payment?.method === 'cashOnSpot' && r.payment.receiptNo)).toBe(true);
    expect(rec('R-CASH-2').every((r) => r.payment?.method === 'cashOnSpot' && !r.payment.receiptNo)).toBe(true);

    // a parked car captured 6 times within 5 hours by one camera; the later 5 are expected merged
    for (const id of ['R-REPEAT-1', 'R-REPEAT-2']) {
      const later = rec(id);
      const all = rows.filter((r) => r.kind === 'camera' && r.plate === later[0]!.plate);
      expect(all).toHaveLength(6);
      expect(later.map((r) => r.externalId)).toEqual(all.slice(1).map((r) => r.externalId));
      expect(new Set(all.map((r) => `${r.deviceId}|${r.violationCode}`)).size).toBe(1);
      expect(Date.parse(all[5]!.occurredAt) - Date.parse(all[0]!.occurredAt)).toBeLessThanOrEqual(300 * MIN);
    }

    // handled on the spot: an on-site record of the same plate and code minutes before, same road, near km
    expect(rec('R-ONSITE-HANDLED-1').length).toBeGreaterThanOrEqual(3);
    for (const cam of rec('R-ONSITE-HANDLED-1')) {
      const ons = rows.find((r) => r.kind === 'onSite' && r.plate === cam.plate && r.violationCode === cam.violationCode)!;
      const gap = Date.parse(cam.occurredAt) - Date.parse(ons.occurredAt);
      expect(gap > 0 && gap <= 10 * MIN && ons.place.road === cam.place.road && Math.abs(ons.place.km! - cam.place.km!) <= 0.5).toBe(true);
    }

    // fines out of range on camera records; first violations fined; procedure; evidence
    expect(rec('R-FINE-RANGE-2').every((r) => r.kind === 'camera' && r.fineYuan !== undefined)).toBe(true);
    expect(rec('R-WARN-FIRST-1').every((r) => CATALOGUE.get(r.violationCode)!.warningEligible && fine(r) > 0 && rows.filter((x) => x.plate === r.plate).length === 1)).toBe(true);
    expect(rec('R-PROCEDURE-1').every((r) => r.procedure === 'simple' && fine(r) > 200)).toBe(true);
    expect(rec('R-PROCEDURE-2').every((r) => r.procedure === 'general' && [r.decidingOfficer!, ...(r.assistants ?? [])].filter((b) => person.get(b)?.category === 'police').length === 1)).toBe(true);
    expect(rec('R-EVIDENCE-2').every((r) => fine(r) > 0 && !(r.evidence ?? []).some((x) => x.kind === 'bodyCam'))).toBe(true);

    // detectors
    const subject = (caseId: string) => cases.get(caseId)!.expect.subjects![0]!.id;
    const flat = rows.filter((r) => r.decidingOfficer === subject('D-FLAT-AMOUNT-1') && FREIGHT_VEHICLE_TYPES.has(r.vehicleType as never) && fine(r) > 0);
    expect(flat.length).toBeGreaterThanOrEqual(15);
    expect(new Set(flat.map(fine))).toEqual(new Set([200]));
    expect(new Set(flat.map((r) => r.violationCode)).size).toBeGreaterThanOrEqual(4);
    expect(flat.every((r) => CATALOGUE.get(r.violationCode)!.fineMin <= 200 && CATALOGUE.get(r.violationCode)!.fineMax >= 200)).toBe(true);

    const nonLocal = rows.filter((r) => r.decidingOfficer === subject('D-NONLOCAL-1') && FREIGHT_VEHICLE_TYPES.has(r.vehicleType as never) && fine(r) > 0);
    expect(nonLocal.length).toBeGreaterThanOrEqual(25);
    expect(nonLocal.filter((r) => !r.plate.startsWith('苏A')).length / nonLocal.length).toBeGreaterThanOrEqual(0.8);

    const capDays = groupBy(
      rows.filter((r) => r.decidingOfficer === subject('R-DAILY-CAP-1') && r.procedure === 'simple'),
      (r) => beijingDay(Date.parse(r.occurredAt)),
    );
    expect(Math.max(...[...capDays.values()].map((l) => l.length))).toBeGreaterThanOrEqual(160);

    const periodEnd = rows.filter((r) => r.decidingOfficer === subject('D-PERIOD-END-1') && fine(r) > 0);
    const byMonth = groupBy(periodEnd, (r) => r.occurredAt.slice(0, 7));
    let spikes = 0;
    for (const [month, list] of byMonth) {
      const [y, m] = month.split('-').map(Number) as [number, number];
      const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
      const endStart = Date.parse(`${month}-${String(last - 2).padStart(2, '0')}T00:00:00+08:00`);
      if (endStart + 3 * DAY > END_AT.getTime() || endStart < END_AT.getTime() - 90 * DAY) continue;
      const end = list.filter((r) => Date.parse(r.occurredAt) >= endStart).length;
      expect(list.length).toBeGreaterThanOrEqual(20);
      expect(end / 3).toBeGreaterThanOrEqual((3 * (list.length - end)) / (last - 3));
      spikes++;
    }
    expect(spikes).toBeGreaterThanOrEqual(2);

    const truckCp = rows.filter((r) => r.plate === subject('D-TRUCK-REPEAT-1'));
    expect(truckCp).toHaveLength(5);
    expect(new Set(truckCp.map((r) => r.deviceId)).size).toBe(1);
    expect(new Set(truckCp.map((r) => r.violationCode)).size).toBe(5);
    expect(new Set(truckCp.map((r) => r.occurredAt.slice(0, 10))).size).toBe(5);
    expect(Date.parse(truckCp[4]!.occurredAt) - Date.parse(truckCp[0]!.occurredAt)).toBeLessThan(20 * DAY);
    const truckOfficer = rows.filter((r) => r.plate === subject('D-TRUCK-REPEAT-2'));
    expect(truckOfficer).toHaveLength(4);
    expect(new Set(truckOfficer.map((r) => r.decidingOfficer)).size).toBe(1);
    expect(Date.parse(truckOfficer[3]!.occurredAt) - Date.parse(truckOfficer[0]!.occurredAt)).toBeLessThan(20 * DAY);
  });

  it('injects a decision by a person who has left only when the personnel has one', () => {
    expect(truth.cases.some((c) => c.id === 'R-DECIDER-2')).toBe(false);
    const leaver = people.find((p) => p.category === 'police' && p.unitKey === 'office' && p.badgeNo !== '050001')!;
    const withLeaver = people.map((p) => (p.badgeNo === leaver.badgeNo ? { ...p, status: 'left' as const } : p));
    const demo2 = smallDemo(42, withLeaver);
    const c = demo2.groundTruth.cases.find((x) => x.id === 'R-DECIDER-2')!;
    const rows2 = [...demo2.rows()];
    const row = rows2.find((r) => r.externalId === c.expect.records![0])!;
    expect(row.decidingOfficer).toBe(leaver.badgeNo);
    expect([...(audit(rows2, withLeaver).violations.get(row.externalId) ?? [])]).toEqual(['R-DECIDER']);
  });
});

describe('enforcement demo (other seeds and window ends)', () => {
  it.each([
    [1, '2025-03-01T00:00:00+08:00'],
    [7, '2025-07-31T00:00:00+08:00'],
    [99, '2026-01-15T00:00:00+08:00'],
    [20261126, '2024-12-29T00:00:00+08:00'],
  ])('seed %i ending %s: clean background, every case exact', (seed, end) => {
    const demo = generateEnforcementDemo({ seed, endAt: new Date(end), cameraRecords: 2000, onSiteRecords: 300, people });
    const checked = audit(demo.rows(), people);
    expect([...checked.violations.keys()].filter(isBackground)).toEqual([]);
    for (const c of demo.groundTruth.cases) for (const id of c.expect.records ?? []) expect([id, ...(checked.violations.get(id) ?? [])]).toEqual([id, c.rule]);
    const found = detect(checked, new Date(end));
    for (const rule of Object.keys(found)) {
      const expected = demo.groundTruth.cases.filter((c) => c.rule === rule).flatMap((c) => (c.expect.subjects ?? []).map((s) => `${s.kind}:${s.id}`));
      expect({ rule, subjects: [...found[rule]!].sort() }).toEqual({ rule, subjects: expected.sort() });
    }
  });
});

describe('enforcement demo (full size)', () => {
  it('generates 200k camera and 5k on-site records, valid and clean at scale', () => {
    const started = performance.now();
    const demo = generateEnforcementDemo({ seed: 20261126, endAt: END_AT, days: 90, cameraRecords: 200_000, onSiteRecords: 5_000, people });
    let n = 0;
    for (const _ of demo.rows()) n++;
    const generatedMs = performance.now() - started;
    const injected = new Set(smallDemo(20261126).groundTruth.cases.flatMap((c) => c.expect.records ?? []));
    console.log(`enforcement demo: ${n} rows generated in ${Math.round(generatedMs)} ms`);

    const sample: IntakeRow[] = [];
    const checked = audit(
      (function* () {
        let i = 0;
        for (const row of demo.rows()) {
          if (i++ % 101 === 0 || row.externalId.startsWith('GT-')) sample.push(row);
          yield row;
        }
      })(),
      people,
    );
    expect(n).toBe(checked.count);
    expect(n - 205_000).toBe(sample.filter((r) => r.externalId.startsWith('GT-')).length);
    expect(sample.filter((r) => !recordInput.safeParse(r).success).map((r) => r.externalId)).toEqual([]);
    expect(checked.ordered).toBe(true);
    expect([...checked.violations.keys()].filter(isBackground)).toEqual([]);
    expect(Math.max(...checked.backgroundSimpleByOfficerDay.values())).toBeLessThanOrEqual(30);
    for (const id of injected) expect(sample.some((r) => r.externalId === id)).toBe(true);
    const found = detect(checked);
    for (const rule of Object.keys(found)) {
      const expected = demo.groundTruth.cases.filter((c) => c.rule === rule).flatMap((c) => (c.expect.subjects ?? []).map((s) => `${s.kind}:${s.id}`));
      expect({ rule, subjects: [...found[rule]!].sort() }).toEqual({ rule, subjects: expected.sort() });
    }
  }, 120_000);
});
