// The look-up demo: the traffic-management system's query log for the demo brigade over the same
// 90 days as the enforcement demo. The background is justified — each look-up names an on-site
// record its maker decided, and is of that record's vehicle or driver — and a handful of people
// misuse it the ways the real cases did (enforcement-law.md §6, lookup-audit.md). The ground truth
// says which rule must flag whom; everything else a rule flags is a false positive.
import { DEFAULT_LOOKUP_RULE_PARAMS, type LookupRuleId } from '../contracts/lookup-rules.ts';
import { RANDOM_FULL_RUN_DAYS } from '../modules/lookups/detection.service.ts';
import { isSampled } from '../modules/lookups/rules/activity-rules.ts';
import { beijingIso, DAY, startOfBeijingDay } from './beijing-time.ts';
import type { LookupGroundTruth, LookupGroundTruthCase } from './ground-truth.ts';
import { seededRandom, type Random } from './random.ts';

const MINUTE = 60_000;
const HOUR = 3_600_000;

/** A person of the demo brigade as the generator needs them. */
export interface LookupDemoPerson {
  personId: number;
  badgeNo: string;
  category: 'police' | 'auxiliary';
  /** the unit's institution code (for terminals of other units) */
  unitCode: string;
}

/** An on-site enforcement record of the demo: what justifies its decider's look-ups. */
export interface OnSiteRecordRef {
  externalId: string;
  officer: string;
  at: number;
  plate: string | null;
  driverIdNumber: string | null;
}

export interface LookupDemoOptions {
  seed: number;
  /** exclusive end, the start of a Beijing day (the enforcement demo's) */
  endAt: number;
  days: number;
  /** look-ups in all, background and injected */
  total: number;
  people: readonly LookupDemoPerson[];
  records: readonly OnSiteRecordRef[];
  /** the units' institution codes (terminals of another unit) */
  unitCodes: readonly string[];
  /** L-RANDOM's sampling key of the installation the demo is for (each draws its own); default: the contract's */
  randomKey?: string;
}

/** A raw intake row as the source sends it. */
export interface LookupRow {
  externalId: string;
  at: string;
  account: string;
  certificateId: string;
  terminal: { id: string; ip: string };
  terminalUnit?: string;
  queryType: 'vehicle' | 'driver' | 'violations' | 'locationTrack' | 'other';
  subject: { plate?: string; idNumber?: string };
  purpose?: { category: string; text: string };
  caseRef?: string;
  resultCount?: number;
}

export interface LookupDemo {
  /** all look-ups in time order; each call starts again */
  rows(): Generator<LookupRow>;
  groundTruth: LookupGroundTruth;
  /** personnel identifiers to register (L-SELF, L-KIN, L-COLLEAGUE) */
  personnelSubjects: Array<{ personId: number; relation: 'self' | 'kin'; plate?: string; idNumber?: string; note: string }>;
  /** the watch list (L-WATCH) */
  watch: Array<{ plate: string; category: 'publicFigure'; reason: string }>;
  /** roster rows as the roster sheet takes them (L-LEAVER, L-OFFDUTY) */
  roster: Array<{ badgeNo: string; from: string; to: string; kind: '请假' | '值班' }>;
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const ip = (badge: string) => {
  let h = 0;
  for (const c of badge) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return `10.${20 + (h % 40)}.${(h >>> 8) % 250}.${1 + ((h >>> 16) % 250)}`;
};
const own = (badge: string) => ({ certificateId: `CERT-${badge}`, terminal: { id: `TERM-${badge}`, ip: ip(badge) } });

/** An 18-digit ID number (valid check digit) of the given sex, deterministic. */
export function demoIdNumber(r: Random, female: boolean): string {
  const birth = `19${r.int(60, 99)}${pad(r.int(1, 12), 2)}${pad(r.int(1, 28), 2)}`;
  const seqNo = r.int(0, 49) * 2 + (female ? 0 : 1);
  const body = `320102${birth}${pad(r.int(0, 9), 1)}${pad(r.int(0, 9), 1)}${seqNo % 10}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((t, c, i) => t + Number(c) * weights[i]!, 0);
  return body + '10X98765432'[sum % 11]!;
}

/** Generates the query log: justified background plus the injected misuse, with the ground truth. */
export function generateLookupDemo(opts: LookupDemoOptions): LookupDemo {
  const r = seededRandom(opts.seed ^ 0x1f00c);
  const start = opts.endAt - opts.days * DAY;
  const dayStart = (d: number) => start + d * DAY;
  /** day d at hh:mm Beijing time (start is a Beijing midnight) */
  const at = (d: number, hh: number, mm: number, ss = 0) => dayStart(d) + hh * HOUR + mm * MINUTE + ss * 1000;
  /** the first Monday-to-Friday on or after day d */
  const weekday = (d: number) => {
    for (let x = d; ; x++) {
      const w = new Date(dayStart(x) + 8 * HOUR).getUTCDay();
      if (w !== 0 && w !== 6) return x;
    }
  };

  // who has records (the background's makers), busiest first
  const recordsBy = new Map<string, OnSiteRecordRef[]>();
  for (const rec of [...opts.records].sort((a, b) => a.at - b.at)) {
    if (!rec.plate && !rec.driverIdNumber) continue;
    (recordsBy.get(rec.officer) ?? recordsBy.set(rec.officer, []).get(rec.officer)!).push(rec);
  }
  const byBadge = new Map(opts.people.map((p) => [p.badgeNo, p]));
  const makers = [...recordsBy.keys()].filter((b) => byBadge.get(b)?.category === 'police').sort((a, b) => recordsBy.get(b)!.length - recordsBy.get(a)!.length || (a < b ? -1 : 1));
  if (makers.length < 20) throw new Error(`the look-up demo needs at least 20 officers with on-site records, found ${makers.length}`);
  const [seller, sharer, holder, stalker, colleague, onLeave, selfLooker, kinLooker, ...rest] = makers as [string, ...string[]];
  const celebrityLookers = rest.slice(0, 8);
  const noRecords = opts.people.filter((p) => p.category === 'police' && !recordsBy.has(p.badgeNo)).map((p) => p.badgeNo).sort();
  const skewed = noRecords[0] ?? rest[8]!;
  const holderUnit = byBadge.get(holder!)!.unitCode;
  const auxiliary = opts.people.filter((p) => p.category === 'auxiliary').sort((a, b) => (a.unitCode === holderUnit ? 0 : 1) - (b.unitCode === holderUnit ? 0 : 1) || (a.badgeNo < b.badgeNo ? -1 : 1))[0]!.badgeNo;
  const unknownAccount = 'X90001';

  // ---- injected misuse ----
  const injected: Array<{ ms: number; row: LookupRow }> = [];
  let gt = 0;
  const add = (ms: number, row: Omit<LookupRow, 'externalId' | 'at'>) => injected.push({ ms, row: { externalId: `LU-GT-${pad(++gt, 5)}`, at: beijingIso(ms), ...row } });
  const cases: LookupGroundTruthCase[] = [];
  const expect = (id: string, rules: LookupRuleId[], accounts: string[], description: string) => {
    for (const rule of rules) cases.push({ id: `${rule}-${id}`, rule, description, expect: { accounts } });
  };

  // 1. a bulk seller: runs of consecutive plates in the evening, no reason (Changzhou: ¥5–7 a record)
  const sellerDays = [weekday(62), weekday(66), weekday(71)];
  sellerDays.forEach((d, k) => {
    const n = k === 0 ? 120 : 90;
    for (let i = 0; i < n; i++) add(at(d, 20, 30) + i * 20_000, { account: seller, ...own(seller), queryType: 'vehicle', subject: { plate: `苏A${pad(30000 + k * 1000 + i, 5)}` } });
  });
  expect('seller', ['L-BULK', 'L-VOLUME', 'L-PURPOSE', 'L-OFFDUTY'], [seller], '倒卖信息：晚间按连号批量查询车辆信息，无查询事由');

  // 2. one certificate on two terminals at once, one of another unit (Luochuan)
  const otherUnit = opts.unitCodes.find((c) => c !== byBadge.get(sharer!)!.unitCode && c.length === 8 && c !== '32050100')!;
  for (const d of [weekday(40), weekday(44), weekday(47)]) {
    add(at(d, 10, 0), { account: sharer!, ...own(sharer!), queryType: 'vehicle', subject: { plate: `苏A${pad(r.int(50000, 59999), 5)}` } });
    for (const m of [2, 5, 8]) add(at(d, 10, m), { account: sharer!, certificateId: `CERT-${sharer}`, terminal: { id: 'TERM-OTHER-07', ip: '10.88.7.7' }, terminalUnit: otherUnit, queryType: 'driver', subject: { idNumber: demoIdNumber(r, r.chance(0.5)) } });
  }
  expect('sharer', ['L-SHARED', 'L-PURPOSE'], [sharer!], '数字证书在本人终端和其他单位终端同时使用');

  // 3. an auxiliary on an officer's certificate (Wanning)
  for (const d of [weekday(30), weekday(33)]) {
    add(at(d, 9, 0), { account: holder!, ...own(holder!), queryType: 'vehicle', subject: { plate: `苏A${pad(r.int(60000, 69999), 5)}` } });
    for (const m of [0, 10, 20, 30]) add(at(d, 14, m), { account: auxiliary, certificateId: `CERT-${holder}`, terminal: { id: `TERM-${auxiliary}`, ip: ip(auxiliary) }, queryType: 'vehicle', subject: { plate: `苏A${pad(r.int(70000, 79999), 5)}` } });
  }
  expect('wanning', ['L-SHARED'], [holder!, auxiliary], '辅警使用民警的数字证书查询');
  expect('wanning-aux', ['L-PURPOSE'], [auxiliary], '辅警无事由查询');

  // 4. a colleague-stalker: a colleague's car, location tracks, over two weeks
  const colleaguePlate = '苏A0K7Q3';
  for (let i = 0, d = weekday(20); i < 12; i++, d = weekday(d + 1)) {
    add(at(d, 11, 15), { account: stalker!, ...own(stalker!), queryType: 'locationTrack', subject: { plate: colleaguePlate }, purpose: { category: '其他', text: '了解情况' }, resultCount: 1 });
  }
  expect('stalker', ['L-COLLEAGUE', 'L-CRIMINAL'], [stalker!], '反复查询同事车辆的行踪轨迹');

  // 5. night look-ups while on leave
  const leaveFrom = weekday(50);
  for (const d of [leaveFrom + 1, leaveFrom + 2, leaveFrom + 3]) {
    for (const m of [0, 15, 30, 45]) add(at(d, 22, m), { account: onLeave!, ...own(onLeave!), queryType: 'driver', subject: { idNumber: demoIdNumber(r, true) } });
  }
  expect('leave', ['L-LEAVER', 'L-OFFDUTY', 'L-PURPOSE'], [onLeave!], '休假期间深夜查询');

  // 6. a celebrity's plate looked up by many (and on the watch list)
  const celebrity = '苏A99999';
  celebrityLookers.forEach((b, i) => add(at(weekday(75 + (i % 3)), 15, i), { account: b, ...own(b), queryType: 'vehicle', subject: { plate: celebrity } }));
  expect('celebrity', ['L-HOT', 'L-WATCH'], celebrityLookers, '公众人物车辆被多人无事由查询');

  // 7. oneself and a relative
  const ownPlate = '苏A0S2W8';
  const kinId = demoIdNumber(r, true);
  add(at(weekday(35), 10, 40), { account: selfLooker!, ...own(selfLooker!), queryType: 'violations', subject: { plate: ownPlate } });
  add(at(weekday(36), 10, 40), { account: kinLooker!, ...own(kinLooker!), queryType: 'driver', subject: { idNumber: kinId } });
  expect('self', ['L-SELF'], [selfLooker!], '查询本人车辆违法记录');
  expect('kin', ['L-KIN'], [kinLooker!], '查询亲属驾驶人信息');

  // 8. subjects skewed by sex: women's driver records, two a day
  for (let i = 0, d = weekday(10); i < 70; i++) {
    add(at(d, 9 + (i % 2) * 5, 20), { account: skewed, ...own(skewed), queryType: 'driver', subject: { idNumber: demoIdNumber(r, true) } });
    if (i % 2 === 1) d = weekday(d + 1);
  }
  expect('skew', ['L-SKEW'], [skewed], '查询的驾驶人几乎全为女性');

  // 9. an account matching nobody
  for (const m of [0, 7, 9]) add(at(weekday(25), 16, m), { account: unknownAccount, certificateId: 'CERT-UNREG-1', terminal: { id: 'TERM-UNREG-1', ip: '10.99.0.1' }, queryType: 'vehicle', subject: { plate: `苏A${pad(r.int(80000, 89999), 5)}` } });
  expect('unknown', ['L-UNKNOWN'], [unknownAccount], '不在人员库中的账号查询');

  // ---- justified background: each maker, every day from their first record, a steady volume ----
  const injectedCount = injected.length;
  const activeDays = makers.map((b) => Math.max(0, opts.days - Math.floor((recordsBy.get(b)![0]!.at - start) / DAY) - 1));
  const base = Math.max(0, opts.total - injectedCount) / Math.max(1, activeDays.reduce((a, b) => a + b, 0));
  const injectedByDay = new Map<number, Array<{ ms: number; row: LookupRow }>>();
  for (const x of injected) {
    const d = Math.floor((x.ms - start) / DAY);
    if (d < 0 || d >= opts.days) throw new Error(`injected look-up ${x.row.externalId} outside the window`);
    (injectedByDay.get(d) ?? injectedByDay.set(d, []).get(d)!).push(x);
  }

  const sampled = new Set<string>();
  function* rows(): Generator<LookupRow> {
    const g = seededRandom(opts.seed ^ 0x2e11);
    let seq = 0;
    for (let d = 0; d < opts.days; d++) {
      const day: Array<{ ms: number; row: LookupRow }> = [];
      for (const b of makers) {
        const recs = recordsBy.get(b)!;
        const first = recs[0]!.at;
        if (dayStart(d + 1) <= first + DAY) continue; // from the day after the first record
        const n = Math.round(base * (0.8 + 0.4 * g.next()));
        for (let i = 0; i < n; i++) {
          const ms = at(d, 8, 0) + Math.floor(g.next() * 12 * HOUR);
          // a record decided before the look-up (within the 90-day case window)
          let hi = recs.length - 1;
          while (hi > 0 && recs[hi]!.at > ms) hi--;
          if (recs[hi]!.at > ms || ms - recs[hi]!.at > 89 * DAY) continue;
          const rec = recs[Math.max(0, hi - g.int(0, Math.min(hi, 15)))]!;
          if (ms - rec.at > 89 * DAY) continue;
          const roll = g.next();
          const driver = rec.driverIdNumber !== null && (roll < 0.25 || rec.plate === null);
          const queryType = driver ? 'driver' : roll < 0.7 ? 'vehicle' : roll < 0.9 ? 'violations' : roll < 0.95 ? 'locationTrack' : 'other';
          day.push({
            ms,
            row: {
              externalId: `LU-${beijingIso(dayStart(d)).slice(0, 10).replace(/-/g, '')}-${pad(++seq, 7)}`,
              at: beijingIso(ms),
              account: b,
              ...own(b),
              queryType,
              subject: driver ? { idNumber: rec.driverIdNumber! } : { plate: rec.plate! },
              purpose: { category: '案件办理', text: '' },
              caseRef: rec.externalId,
              ...(queryType === 'locationTrack' ? { resultCount: 1 + g.int(0, 3) } : {}),
            },
          });
        }
      }
      day.push(...(injectedByDay.get(d) ?? []));
      day.sort((a, b) => a.ms - b.ms || (a.row.externalId < b.row.externalId ? -1 : 1));
      for (const x of day) {
        // the demo's detection is one full run, which draws the sample over the last week
        if (x.ms >= opts.endAt - RANDOM_FULL_RUN_DAYS * DAY && byBadge.has(x.row.account) && isSampled(x.row.externalId, { randomOneIn: DEFAULT_LOOKUP_RULE_PARAMS.randomOneIn, randomKey: opts.randomKey ?? DEFAULT_LOOKUP_RULE_PARAMS.randomKey })) sampled.add(x.row.account);
        yield x.row;
      }
    }
  }

  // L-RANDOM's sample is deterministic: the truth is whoever made a sampled look-up
  let count = 0;
  for (const _ of rows()) count++;
  cases.push({ id: 'L-RANDOM-sample', rule: 'L-RANDOM', description: `按1/${DEFAULT_LOOKUP_RULE_PARAMS.randomOneIn}随机抽查的查询`, expect: { accounts: [...sampled].sort() } });

  return {
    rows,
    groundTruth: { seed: opts.seed, generatedFor: { days: opts.days, lookups: count, endAt: beijingIso(opts.endAt) }, cases },
    personnelSubjects: [
      { personId: byBadge.get(colleague!)!.personId, relation: 'self', plate: colleaguePlate, note: '本人车辆' },
      { personId: byBadge.get(selfLooker!)!.personId, relation: 'self', plate: ownPlate, note: '本人车辆' },
      { personId: byBadge.get(kinLooker!)!.personId, relation: 'kin', idNumber: kinId, note: '配偶' },
    ],
    watch: [{ plate: celebrity, category: 'publicFigure', reason: '本市知名人士车辆' }],
    roster: [{ badgeNo: onLeave!, from: beijingIso(dayStart(leaveFrom)).slice(0, 10), to: beijingIso(dayStart(leaveFrom + 6)).slice(0, 10), kind: '请假' }],
  };
}

export { startOfBeijingDay };
