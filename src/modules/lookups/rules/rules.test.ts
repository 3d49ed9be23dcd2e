import { describe, expect, it } from 'vitest';
import { DEFAULT_LOOKUP_RULE_PARAMS as P } from '../../../contracts/lookup-rules.ts';
import { detectLeaver, detectShared, detectUnknown, isForeignTerminal, type SharedRow } from './account-rules.ts';
import { detectBulk, detectCriminal, detectOffDuty, detectPurpose, detectVolume, isOnDuty, isSampled, plateNumber, sampleRandom, trackEpisodes, type DailyCount } from './activity-rules.ts';
import { dayIndexToIso } from '../../rules/time.ts';
import { median, robustZ } from './stats.ts';
import { detectHot, detectSkew, detectSubjectMatches, detectWatch } from './subject-rules.ts';
import type { LookupFinding } from './types.ts';

// 2026-11-02 is a Monday; instants in Beijing time
const bj = (s: string) => Date.parse(`${s}+08:00`);
const base: { account: string; personId: number | null; justified: boolean } = { account: '010001', personId: 1, justified: false };
let nextId = 1;
const row = (when: string, extra: Partial<typeof base> & Record<string, unknown> = {}) => ({ id: nextId++, at: bj(when), ...base, ...extra });

/** A permutation that is not the identity, deterministic. */
function shuffled<T>(xs: readonly T[]): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = (i * 7919 + 13) % (i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a.reverse();
}
const keys = (fs: LookupFinding[]) => fs.map((f) => `${f.dedupKey}:${f.severity}:${f.lookupIds.join(',')}`);

describe('stats', () => {
  it('median, robust z', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(robustZ(100, [10, 11, 9, 10, 12, 100])).toBeGreaterThan(3.5);
    expect(robustZ(10, [10, 10, 10])).toBe(0);
    expect(robustZ(11, [10, 10, 10])).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('L-UNKNOWN', () => {
  it('one finding per account and day, only for accounts matching nobody', () => {
    const rows = [row('2026-11-02T10:00:00', { personId: null, account: '999999' }), row('2026-11-02T11:00:00', { personId: null, account: '999999' }), row('2026-11-03T09:00:00', { personId: null, account: '999999' }), row('2026-11-02T10:00:00')];
    const f = detectUnknown(rows);
    expect(f.map((x) => x.dedupKey)).toEqual(['L-UNKNOWN|999999|2026-11-02', 'L-UNKNOWN|999999|2026-11-03']);
    expect(f[0]!.lookupIds).toHaveLength(2);
    expect(keys(detectUnknown(shuffled(rows)))).toEqual(keys(f));
  });
});

describe('L-PURPOSE', () => {
  it('counts unjustified look-ups per day against the threshold', () => {
    const rows = [row('2026-11-02T10:00:00'), row('2026-11-02T10:05:00'), row('2026-11-02T10:06:00', { justified: true }), row('2026-11-03T10:00:00')];
    expect(detectPurpose(rows, { ...P, purposeMinPerDay: 3 })).toEqual([]);
    const f = detectPurpose(rows, { ...P, purposeMinPerDay: 2 });
    expect(f.map((x) => [x.dedupKey, x.severity, x.lookupIds.length])).toEqual([['L-PURPOSE|010001|2026-11-02', 'medium', 2]]);
    expect(f[0]!.explanation).toContain('2次查询无有效事由');
    expect(detectPurpose(rows, { purposeMinPerDay: 1, purposeHighPerDay: 2 })[0]!.severity).toBe('high');
  });
});

describe('L-SELF, L-KIN, L-COLLEAGUE', () => {
  const m = (when: string, relation: 'self' | 'kin' | 'colleague', extra = {}) => ({ ...row(when, extra), relation, matchedPersonId: relation === 'colleague' ? 7 : 1, matchedBy: 'plate' });
  it('flags self and kin even when justified, colleagues only when not', () => {
    const rows = [m('2026-11-02T10:00:00', 'self', { justified: true }), m('2026-11-05T10:00:00', 'kin'), m('2026-11-06T10:00:00', 'colleague', { justified: true }), m('2026-12-01T10:00:00', 'colleague')];
    const f = detectSubjectMatches(rows, P);
    expect(f.map((x) => x.dedupKey)).toEqual(['L-COLLEAGUE|010001|2026-12', 'L-KIN|010001|2026-11', 'L-SELF|010001|2026-11']);
    expect(keys(detectSubjectMatches(shuffled(rows), P))).toEqual(keys(f));
  });
  it('colleague look-ups are high from colleagueHigh', () => {
    const rows = Array.from({ length: 5 }, (_, i) => m(`2026-11-0${i + 2}T10:00:00`, 'colleague'));
    expect(detectSubjectMatches(rows, P)[0]!.severity).toBe('high');
    expect(detectSubjectMatches(rows.slice(0, 4), P)[0]!.severity).toBe('medium');
  });
});

describe('L-HOT', () => {
  it('flags every account taking part when enough accounts look one subject up in the window', () => {
    const rows = Array.from({ length: 5 }, (_, i) => ({ ...row(`2026-11-0${i + 2}T10:00:00`, { account: `01000${i}` }), subject: 'celeb' }));
    const f = detectHot(rows, { hotMinAccounts: 5, hotWindowDays: 7 });
    expect(f).toHaveLength(5);
    expect(detectHot(rows, { hotMinAccounts: 5, hotWindowDays: 3 })).toEqual([]);
    expect(detectHot(rows.slice(0, 4), { hotMinAccounts: 5, hotWindowDays: 7 })).toEqual([]);
    expect(keys(detectHot(shuffled(rows), { hotMinAccounts: 5, hotWindowDays: 7 }))).toEqual(keys(f));
  });
});

describe('L-WATCH', () => {
  it('unjustified look-ups of watched subjects, and a complainant looked up by the officer complained against', () => {
    const w = (when: string, justified: boolean, against: boolean, account = '010001') => ({ ...row(when, { justified, account }), entryId: 3, category: 'complainant', against });
    const f = detectWatch([w('2026-11-02T10:00:00', true, false), w('2026-11-02T10:00:00', true, true, '010002'), w('2026-11-03T10:00:00', false, false, '010003')]);
    expect(f.map((x) => [x.account, x.severity])).toEqual([
      ['010002', 'high'],
      ['010003', 'medium'],
    ]);
  });
});

describe('L-SKEW', () => {
  it('compares a person with everyone else', () => {
    const rows = [
      { account: 'a', personId: 1, known: 100, female: 95, lookupIds: [1], lastAt: 0 },
      { account: 'b', personId: 2, known: 100, female: 50, lookupIds: [], lastAt: 0 },
      { account: 'c', personId: 3, known: 100, female: 55, lookupIds: [], lastAt: 0 },
      { account: 'd', personId: 4, known: 10, female: 10, lookupIds: [], lastAt: 0 },
    ];
    const f = detectSkew(rows, bj('2026-11-20T00:00:00'), P);
    expect(f.map((x) => x.dedupKey)).toEqual(['L-SKEW|a|2026-11']);
    expect(f[0]!.facts.share).toBe(0.95);
  });
});

describe('L-OFFDUTY', () => {
  it('office hours without a roster, shifts and leave with one', () => {
    expect(isOnDuty(bj('2026-11-02T09:00:00'), null, P)).toBe(true);
    expect(isOnDuty(bj('2026-11-02T19:00:00'), null, P)).toBe(false);
    expect(isOnDuty(bj('2026-11-07T10:00:00'), null, P)).toBe(false); // Saturday
    const roster = [{ start: bj('2026-11-07T20:00:00'), end: bj('2026-11-08T08:00:00'), kind: 'onDuty' as const }];
    expect(isOnDuty(bj('2026-11-07T23:00:00'), roster, P)).toBe(true);
    expect(isOnDuty(bj('2026-11-02T10:00:00'), roster, P)).toBe(false);
    expect(isOnDuty(bj('2026-11-07T23:00:00'), [...roster, { start: bj('2026-11-07T00:00:00'), end: bj('2026-11-09T00:00:00'), kind: 'leave' }], P)).toBe(false);
  });
  it('counts unjustified off-duty look-ups per day', () => {
    const rows = [row('2026-11-02T22:00:00'), row('2026-11-02T23:00:00'), row('2026-11-02T23:30:00'), row('2026-11-02T10:00:00'), row('2026-11-02T23:40:00', { justified: true })];
    const f = detectOffDuty(rows, new Map(), P);
    expect(f.map((x) => [x.dedupKey, x.lookupIds.length])).toEqual([['L-OFFDUTY|010001|2026-11-02', 3]]);
    const night = new Map([[1, [{ start: bj('2026-11-02T20:00:00'), end: bj('2026-11-03T08:00:00'), kind: 'onDuty' as const }]]]);
    expect(detectOffDuty(rows, night, P)).toEqual([]);
  });
});

describe('L-VOLUME', () => {
  const day0 = 20_000;
  const counts: DailyCount[] = [];
  for (let d = 0; d < 30; d++) for (let p = 1; p <= 10; p++) counts.push({ account: `0100${p}`, personId: p, day: day0 + d, count: 10 + ((p + d) % 3) });
  it('needs own baseline, peers and a minimum', () => {
    const spike = counts.map((c) => (c.personId === 3 && c.day === day0 + 29 ? { ...c, count: 120 } : c));
    const f = detectVolume(spike, new Set([day0 + 29]), P);
    expect(f.map((x) => x.account)).toEqual(['01003']);
    expect(f[0]!.facts.ownMedian).toBeLessThanOrEqual(12);
    // an aggregate finding still happened on its day (the alert's time)
    expect(Math.floor((f[0]!.occurredAt + 8 * 3_600_000) / 86_400_000)).toBe(day0 + 29);
    expect(detectVolume(counts, new Set([day0 + 29]), P)).toEqual([]);
    // everyone high that day: no peer outlier
    const all = counts.map((c) => (c.day === day0 + 29 ? { ...c, count: 120 } : c));
    expect(detectVolume(all, new Set([day0 + 29]), P)).toEqual([]);
    expect(keys(detectVolume(shuffled(spike), new Set([day0 + 29]), P))).toEqual(keys(f));
  });
});

describe('L-BULK', () => {
  it('bursts of distinct subjects and runs of consecutive plates', () => {
    expect(plateNumber('苏A12345')).toEqual({ prefix: '苏A', n: 12345, width: 5 });
    const burst = Array.from({ length: 25 }, (_, i) => ({ ...row(`2026-11-02T10:${String(i % 10).padStart(2, '0')}:00`), subject: `s${i}` }));
    expect(detectBulk(burst, P).map((f) => f.lookupIds.length)).toEqual([25]);
    expect(detectBulk(burst.slice(0, 24), P)).toEqual([]);
    const seq = Array.from({ length: 5 }, (_, i) => ({ ...row(`2026-11-03T10:0${i}:00`), subject: `p${i}`, plate: `苏A1234${i}` }));
    const f = detectBulk(seq, P);
    expect(f[0]!.facts.kinds).toEqual(['sequential']);
    expect(detectBulk(seq.filter((_, i) => i !== 2), P)).toEqual([]);
    expect(keys(detectBulk(shuffled([...burst, ...seq]), P))).toEqual(keys(detectBulk([...burst, ...seq], P)));
    // a long run of consecutive plates, one every two minutes: any five within ten minutes count
    const slow = Array.from({ length: 40 }, (_, i) => ({ ...row('2026-11-04T09:00:00'), subject: `q${i}`, plate: `苏B${2000 + i}0`.slice(0, 7) }));
    slow.forEach((x, i) => (x.at += i * 120_000));
    expect(detectBulk(slow.map((x, i) => ({ ...x, plate: `苏B1${String(1000 + i)}` })), P)[0]!.lookupIds).toHaveLength(40);
    expect(detectBulk(slow.map((x, i) => ({ ...x, at: x.at + i * 120_000, plate: `苏B1${String(1000 + i)}` })), P)).toEqual([]);
  });
});

describe('L-SHARED', () => {
  const parents = new Map<number, number | null>([
    [1, null],
    [2, 1],
    [3, 1],
  ]);
  const s = (when: string, extra: Partial<SharedRow>): SharedRow => ({ ...row(when), certificateId: 'C1', terminalId: 'T1', terminalUnitId: 2, personUnitId: 2, ...extra });
  it('two terminals at once, two accounts, another unit', () => {
    expect(isForeignTerminal(2, 1, parents)).toBe(false);
    expect(isForeignTerminal(2, 3, parents)).toBe(true);
    const rows = [s('2026-11-02T10:00:00', {}), s('2026-11-02T10:03:00', { terminalId: 'T2' }), s('2026-11-02T15:00:00', {})];
    expect(detectShared(rows, parents, P)[0]!.facts.kinds).toEqual(['twoTerminals']);
    expect(detectShared([rows[0]!, rows[2]!], parents, P)).toEqual([]);
    const aux = s('2026-11-02T16:00:00', { account: '090001', personId: 9 });
    expect(detectShared([rows[0]!, aux], parents, P).map((f) => f.account)).toEqual(['010001', '090001']);
    expect(detectShared([s('2026-11-02T10:00:00', { terminalUnitId: 3 })], parents, P)[0]!.facts.kinds).toEqual(['foreignTerminal']);
  });
});

describe('L-LEAVER', () => {
  it('left, suspended, on leave', () => {
    const f = detectLeaver([
      { ...row('2026-11-02T10:00:00'), status: 'left', onLeave: false },
      { ...row('2026-11-02T10:00:00', { account: '2', personId: 2 }), status: 'active', onLeave: true },
      { ...row('2026-11-02T10:00:00', { account: '3', personId: 3 }), status: 'active', onLeave: false },
    ]);
    expect(f.map((x) => [x.account, x.severity])).toEqual([
      ['010001', 'critical'],
      ['2', 'high'],
    ]);
  });
});

describe('L-CRIMINAL', () => {
  // Beijing day indexes: 20,000 = 2024-10-04
  const D = 20_000;
  const t = (days: Array<[number, number]>) => ({ account: '010001', personId: 1, days: days.map(([day, records]) => ({ day, records })), lookupIds: [1], lastAt: 0 });
  const W = { ...P, criminalWindowDays: 365 };

  it('alert at 10, critical at 25, each level its own alert', () => {
    expect(detectCriminal([t([[D, 9]])], D, W)).toEqual([]);
    expect(detectCriminal([t([[D, 10]])], D, W)[0]!.severity).toBe('high');
    expect(detectCriminal([t([[D, 25]])], D, W)[0]!.severity).toBe('critical');
    expect(detectCriminal([t([[D, 10]])], D, W)[0]!.dedupKey).toBe('L-CRIMINAL|010001|2024-10-04');
    // the critical level is its own finding: closing the first alert does not suppress it
    expect(detectCriminal([t([[D - 3, 10], [D, 15]])], D, W)[0]!.dedupKey).toBe('L-CRIMINAL|010001|2024-10-04|critical');
  });

  it('counts the rolling window, and keeps one alert per episode whatever the calendar year', () => {
    // 6 records in November, 6 in January: 12 in the window across a new year — one episode,
    // keyed by the day the count reached 10, the same key on every later day while it stays above
    const nov = D + 40;
    const jan = D + 100;
    const series = t([[nov, 6], [jan, 6]]);
    const first = detectCriminal([series], jan, W)[0]!;
    expect(first.facts).toMatchObject({ records: 12 });
    expect(detectCriminal([series], jan + 200, W)[0]!.dedupKey).toBe(first.dedupKey);
    // November's records leave the window 365 days on: 6 left, no finding
    expect(detectCriminal([series], nov + 365, W)).toEqual([]);
    // and reaching 10 again later is a new episode, a new alert
    const again = t([[nov, 6], [jan, 6], [nov + 400, 5]]);
    const later = detectCriminal([again], nov + 400, W)[0]!;
    expect(later.facts).toMatchObject({ records: 11 });
    expect(later.dedupKey).not.toBe(first.dedupKey);
    expect(later.dedupKey).toBe(`L-CRIMINAL|010001|${dayIndexToIso(nov + 400)}`);
  });

  it('finds where the episode began from the daily series', () => {
    expect(trackEpisodes([{ day: 1, records: 5 }, { day: 3, records: 5 }, { day: 5, records: 20 }], 6, 365, [10, 25])).toEqual({ records: 30, since: new Map([[10, 3], [25, 5]]) });
    // a look-up after `today` is not counted
    expect(trackEpisodes([{ day: 1, records: 5 }, { day: 9, records: 5 }], 6, 365, [10]).records).toBe(5);
  });
});

describe('L-RANDOM', () => {
  it('samples about 1 in N, deterministically, by key', () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => `X${i}`);
    const n = ids.filter((id) => isSampled(id, { randomOneIn: 100, randomKey: 'k1-sample-key' })).length;
    expect(n).toBeGreaterThan(150);
    expect(n).toBeLessThan(250);
    const again = ids.filter((id) => isSampled(id, { randomOneIn: 100, randomKey: 'k1-sample-key' })).length;
    expect(again).toBe(n);
    const other = ids.filter((id) => isSampled(id, { randomOneIn: 100, randomKey: 'k2-sample-key' }));
    expect(other).not.toEqual(ids.filter((id) => isSampled(id, { randomOneIn: 100, randomKey: 'k1-sample-key' })));
  });

  it('raises the sample as drawn, with the ratio of its draw, and draws nothing again', () => {
    // drawn 1 in 1 on arrival; the parameters are 1 in 1,000,000 by now: still all sampled, each saying 1 in 1
    const rows = ['X1', 'X2', 'X3'].map((externalId, i) => ({ id: i + 1, at: 0, account: 'a', personId: i === 2 ? null : 1, externalId, oneIn: 1 }));
    const found = sampleRandom(rows);
    expect(found.map((f) => f.dedupKey)).toEqual(['L-RANDOM|a|X1', 'L-RANDOM|a|X2']);
    expect(found.map((f) => f.facts.randomOneIn)).toEqual([1, 1]);
    expect(found[0]!.explanation).toContain('比例：1取1');
  });
});
