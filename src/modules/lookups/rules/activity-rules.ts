// Rules about how a person looks things up: without a reason (L-PURPOSE), off duty (L-OFFDUTY),
// in volume (L-VOLUME), in bursts (L-BULK), location tracks towards the criminal threshold
// (L-CRIMINAL), and the random sample sent for justification (L-RANDOM).
import crypto from 'node:crypto';
import type { LookupRuleParams } from '../../../contracts/lookup-rules.ts';
import { beijingDayIndex, beijingDayStartMs, dayIndexToIso, MINUTE_MS, weekday } from '../../rules/time.ts';
import { at, byDedupKey, dayOf, finding, groupBy, sortByTime, who } from './common.ts';
import { median, robustScale, robustZOf, round, type RobustScale } from './stats.ts';
import type { LookupFact, LookupFinding } from './types.ts';

type Row = Pick<LookupFact, 'id' | 'at' | 'account' | 'personId' | 'justified'>;

/** L-PURPOSE: ≥ purposeMinPerDay unjustified look-ups by one person in one Beijing day (high from purposeHighPerDay). */
export function detectPurpose(rows: readonly Row[], params: Pick<LookupRuleParams, 'purposeMinPerDay' | 'purposeHighPerDay'>): LookupFinding[] {
  const out: LookupFinding[] = [];
  const hits = rows.filter((r) => !r.justified && r.personId !== null);
  for (const [, list] of groupBy(hits, (r) => `${r.account}\u0000${dayOf(r.at)}`)) {
    if (list.length < params.purposeMinPerDay) continue;
    const s = sortByTime(list);
    const day = dayOf(s[0]!.at);
    out.push(
      finding('L-PURPOSE', { account: s[0]!.account, personId: s[0]!.personId, window: day }, {
        severity: s.length >= params.purposeHighPerDay ? 'high' : 'medium',
        summary: day,
        detail: `${who(s[0]!.account)}于${day}有${s.length}次查询无有效事由（${at(s[0]!.at)}至${at(s.at(-1)!.at)}；阈值：每日${params.purposeMinPerDay}次告警，${params.purposeHighPerDay}次及以上为高）。`,
        facts: { day, count: s.length, purposeMinPerDay: params.purposeMinPerDay, purposeHighPerDay: params.purposeHighPerDay },
        rows: s,
      }),
    );
  }
  return out.sort(byDedupKey);
}

export interface Shift {
  start: number;
  end: number;
  kind: 'onDuty' | 'leave';
}

/**
 * Whether an instant is within the person's duty: with a roster (any shift of theirs known), inside
 * an on-duty shift and not on leave; without one, office hours on office days.
 */
export function isOnDuty(ms: number, roster: readonly Shift[] | null, params: Pick<LookupRuleParams, 'officeStartHour' | 'officeEndHour' | 'officeWeekendsOff'>): boolean {
  if (roster !== null) {
    if (roster.some((s) => s.kind === 'leave' && s.start <= ms && ms < s.end)) return false;
    return roster.some((s) => s.kind === 'onDuty' && s.start <= ms && ms < s.end);
  }
  const day = beijingDayIndex(ms);
  if (params.officeWeekendsOff && (weekday(day) === 0 || weekday(day) === 6)) return false;
  const hour = (ms - beijingDayStartMs(day)) / 3_600_000;
  return hour >= params.officeStartHour && hour < params.officeEndHour;
}

/**
 * L-OFFDUTY: ≥ offDutyMinPerDay unjustified look-ups outside the person's duty in one Beijing day.
 * `rosters` holds the shifts of the people who have any (people without one work office hours).
 */
export function detectOffDuty(
  rows: readonly Row[],
  rosters: ReadonlyMap<number, readonly Shift[]>,
  params: Pick<LookupRuleParams, 'officeStartHour' | 'officeEndHour' | 'officeWeekendsOff' | 'offDutyMinPerDay'>,
): LookupFinding[] {
  const out: LookupFinding[] = [];
  const hits = rows.filter((r) => !r.justified && r.personId !== null && !isOnDuty(r.at, rosters.get(r.personId) ?? null, params));
  for (const [, list] of groupBy(hits, (r) => `${r.account}\u0000${dayOf(r.at)}`)) {
    if (list.length < params.offDutyMinPerDay) continue;
    const s = sortByTime(list);
    const first = s[0]!;
    const day = dayOf(first.at);
    const roster = rosters.has(first.personId!);
    out.push(
      finding('L-OFFDUTY', { account: first.account, personId: first.personId, window: day }, {
        severity: s.length >= params.offDutyMinPerDay * 4 ? 'high' : 'medium',
        summary: day,
        detail:
          `${who(first.account)}于${day}在${roster ? '排班时段以外（或休假中）' : `办公时间（${params.officeStartHour}时至${params.officeEndHour}时${params.officeWeekendsOff ? '，周末休息' : ''}）以外`}无事由查询${s.length}次` +
          `（${at(first.at)}至${at(s.at(-1)!.at)}；阈值：每日${params.offDutyMinPerDay}次）。`,
        facts: { day, count: s.length, basedOn: roster ? 'roster' : 'officeHours', offDutyMinPerDay: params.offDutyMinPerDay },
        rows: s,
      }),
    );
  }
  return out.sort(byDedupKey);
}

/** Look-ups of one account on one Beijing day: `GROUP BY account, day`. */
export interface DailyCount {
  account: string;
  personId: number | null;
  /** Beijing day index (days since 1970-01-01) */
  day: number;
  count: number;
}

/**
 * L-VOLUME: a person's day with ≥ volumeMinCount look-ups, ≥ volumeOwnRatio × the median of their
 * own counts over the volumeBaselineDays days before (days without look-ups count as 0, from their
 * first look-up on, at least volumeBaselineMinDays of them), and a robust z-score ≥ volumeMinZ against everyone's counts that day.
 * `judgeDays` are the days to judge (the rest of `counts` are baseline and peers).
 */
export function detectVolume(
  counts: readonly DailyCount[],
  judgeDays: ReadonlySet<number>,
  params: Pick<LookupRuleParams, 'volumeMinCount' | 'volumeOwnRatio' | 'volumeBaselineDays' | 'volumeBaselineMinDays' | 'volumeMinZ'>,
): LookupFinding[] {
  // per account and per day once: the peers of a day are everyone's counts that day, thousands of them
  const accounts = new Map<string, { firstDay: number; perDay: Map<number, number> }>();
  for (const c of counts) {
    const a = accounts.get(c.account) ?? accounts.set(c.account, { firstDay: c.day, perDay: new Map() }).get(c.account)!;
    a.firstDay = Math.min(a.firstDay, c.day);
    a.perDay.set(c.day, c.count);
  }
  const peersOf = new Map<number, { n: number; scale: RobustScale }>();
  const peerCounts = groupBy(counts.filter((p) => p.personId !== null && judgeDays.has(p.day)), (p) => String(p.day));
  const out: LookupFinding[] = [];
  for (const c of counts) {
    if (!judgeDays.has(c.day) || c.personId === null || c.count < params.volumeMinCount) continue;
    // the conditions are all required; the cheap one against the day's peers first
    let peers = peersOf.get(c.day);
    if (!peers) {
      const values = peerCounts.get(String(c.day))!.map((p) => p.count);
      peers = { n: values.length, scale: robustScale(values) };
      peersOf.set(c.day, peers);
    }
    const z = robustZOf(c.count, peers.scale);
    if (z < params.volumeMinZ) continue;
    const { firstDay, perDay } = accounts.get(c.account)!;
    const baseline: number[] = [];
    for (let d = Math.max(firstDay, c.day - params.volumeBaselineDays); d < c.day; d++) baseline.push(perDay.get(d) ?? 0);
    if (baseline.length < params.volumeBaselineMinDays) continue;
    const ownMedian = median(baseline);
    if (c.count < params.volumeOwnRatio * Math.max(ownMedian, 1)) continue;
    const day = dayIndexToIso(c.day);
    const peerMedian = peers.scale.median;
    const start = beijingDayStartMs(c.day);
    out.push(
      finding('L-VOLUME', { account: c.account, personId: c.personId, window: day }, {
        severity: c.count >= params.volumeOwnRatio * 3 * Math.max(ownMedian, 1) ? 'high' : 'medium',
        summary: `${day} ${c.count}次`,
        detail:
          `${who(c.account)}于${day}查询${c.count}次；本人此前${baseline.length}日的日查询量中位数为${round(ownMedian)}次，是其${round(c.count / Math.max(ownMedian, 1))}倍（阈值：${params.volumeOwnRatio}倍）；` +
          `当日全部${peers.n}名查询人员的中位数为${round(peerMedian)}次，稳健Z值${Number.isFinite(z) ? round(z) : '∞'}（阈值：${params.volumeMinZ}；最少${params.volumeMinCount}次）。`,
        facts: { day, count: c.count, ownMedian: round(ownMedian), baselineDays: baseline.length, peerMedian: round(peerMedian), peers: peers.n, robustZ: Number.isFinite(z) ? round(z) : null, ...params },
        // an aggregate finding: the runner attaches the day's look-ups as evidence
        rows: [],
        occurredAt: start + 86_400_000 - 1,
      }),
    );
  }
  return out.sort(byDedupKey);
}

export type BulkRow = Pick<LookupFact, 'id' | 'at' | 'account' | 'personId'> & {
  subject: string;
  /** the plate in the clear when the subject is a vehicle (decrypted for the candidates only) */
  plate?: string | null;
};

/** The plate split into its prefix and trailing number, for runs of consecutive plates. */
export function plateNumber(plate: string): { prefix: string; n: number; width: number } | null {
  const m = /^(.*?)(\d+)$/.exec(plate.trim().toUpperCase());
  return m ? { prefix: m[1]!, n: Number(m[2]), width: m[2]!.length } : null;
}

/**
 * L-BULK: within any bulkWindowMinutes, ≥ bulkMinSubjects distinct subjects, or a run of
 * ≥ bulkSequentialMin plates with consecutive numbers (same prefix). Per account and Beijing day.
 */
export function detectBulk(rows: readonly BulkRow[], params: Pick<LookupRuleParams, 'bulkWindowMinutes' | 'bulkMinSubjects' | 'bulkSequentialMin'>): LookupFinding[] {
  const windowMs = params.bulkWindowMinutes * MINUTE_MS;
  const flagged = new Map<number, Set<'burst' | 'sequential'>>();
  const flag = (id: number, k: 'burst' | 'sequential') => (flagged.get(id) ?? flagged.set(id, new Set()).get(id)!).add(k);
  const maxDistinct = new Map<string, number>();
  for (const [account, list] of groupBy(rows, (r) => r.account)) {
    const s = sortByTime(list);
    const inWindow = new Map<string, number>();
    for (let right = 0, left = 0; right < s.length; right++) {
      inWindow.set(s[right]!.subject, (inWindow.get(s[right]!.subject) ?? 0) + 1);
      while (s[right]!.at - s[left]!.at > windowMs) {
        const k = s[left]!.subject;
        const c = inWindow.get(k)! - 1;
        if (c === 0) inWindow.delete(k);
        else inWindow.set(k, c);
        left++;
      }
      if (inWindow.size >= params.bulkMinSubjects) for (let i = left; i <= right; i++) flag(s[i]!.id, 'burst');
      maxDistinct.set(account, Math.max(maxDistinct.get(account) ?? 0, inWindow.size));
    }
    // consecutive plates: per prefix, look-ups in the window whose numbers form a run n, n+1, …
    const plated = s.flatMap((r) => {
      const p = r.plate ? plateNumber(r.plate) : null;
      return p ? [{ r, ...p }] : [];
    });
    for (const [, group] of groupBy(plated, (p) => `${p.prefix}\u0000${p.width}`)) {
      const byN = [...group].sort((a, b) => a.n - b.n || a.r.at - b.r.at || a.r.id - b.r.id);
      let run: typeof byN = [];
      // inside a run of consecutive numbers, any bulkSequentialMin consecutive numbers looked up
      // within the window are flagged
      const close = () => {
        const numbers = [...new Set(run.map((p) => p.n))];
        const k = params.bulkSequentialMin;
        for (let i = 0; i + k <= numbers.length; i++) {
          const lo = numbers[i]!;
          const hi = numbers[i + k - 1]!;
          const part = run.filter((p) => p.n >= lo && p.n <= hi);
          const times = part.map((p) => p.r.at);
          if (Math.max(...times) - Math.min(...times) > windowMs) continue;
          for (const p of part) flag(p.r.id, 'sequential');
        }
        run = [];
      };
      for (const p of byN) {
        const last = run.at(-1);
        if (last && p.n !== last.n && p.n !== last.n + 1) close();
        run.push(p);
      }
      close();
    }
  }
  const out: LookupFinding[] = [];
  for (const [, list] of groupBy(rows.filter((r) => flagged.has(r.id)), (r) => `${r.account}\u0000${dayOf(r.at)}`)) {
    const s = sortByTime(list);
    const first = s[0]!;
    const day = dayOf(first.at);
    const kinds = [...new Set(s.flatMap((r) => [...flagged.get(r.id)!]))].sort();
    out.push(
      finding('L-BULK', { account: first.account, personId: first.personId, window: day }, {
        severity: s.length >= params.bulkMinSubjects * 4 ? 'critical' : 'high',
        summary: `${day} ${s.length}次`,
        detail:
          `${who(first.account)}于${day}（${at(first.at)}至${at(s.at(-1)!.at)}）短时批量查询${s.length}次：` +
          [
            ...(kinds.includes('burst') ? [`${params.bulkWindowMinutes}分钟内最多查询${maxDistinct.get(first.account)}个不同对象（阈值：${params.bulkMinSubjects}个）`] : []),
            ...(kinds.includes('sequential') ? [`${params.bulkWindowMinutes}分钟内查询连号号牌不少于${params.bulkSequentialMin}个`] : []),
          ].join('；') +
          '。',
        facts: { day, count: s.length, kinds, bulkWindowMinutes: params.bulkWindowMinutes, bulkMinSubjects: params.bulkMinSubjects, bulkSequentialMin: params.bulkSequentialMin },
        rows: s,
      }),
    );
  }
  return out.sort(byDedupKey);
}

/** A person's unjustified location-track records per Beijing day (days without any left out), and the window's look-ups. */
export interface TrackSeries {
  account: string;
  personId: number | null;
  /** ascending by day; records = result counts summed (a look-up without one counts 1) */
  days: ReadonlyArray<{ day: number; records: number }>;
  /** the unjustified location-track look-ups of the window ending today (evidence) */
  lookupIds: number[];
  lastAt: number;
}

/**
 * The records in the rolling window ending on `today`, and for each level reached there, the day the
 * current episode at that level began: the first day from which the rolling count stayed at or
 * above the level through today. Pure arithmetic over the daily series.
 */
export function trackEpisodes(series: TrackSeries['days'], today: number, windowDays: number, levels: readonly number[]): { records: number; since: Map<number, number> } {
  // the rolling sum changes on a day with records (up) and windowDays later (down)
  const delta = new Map<number, number>();
  for (const d of series) {
    if (d.day > today) continue;
    delta.set(d.day, (delta.get(d.day) ?? 0) + d.records);
    delta.set(d.day + windowDays, (delta.get(d.day + windowDays) ?? 0) - d.records);
  }
  const since = new Map<number, number>();
  let sum = 0;
  for (const day of [...delta.keys()].filter((d) => d <= today).sort((a, b) => a - b)) {
    sum += delta.get(day)!;
    for (const level of levels) {
      if (sum < level) since.delete(level);
      else if (!since.has(level)) since.set(level, day);
    }
  }
  return { records: sum, since };
}

/**
 * L-CRIMINAL: unjustified location-track records of one person within the last criminalWindowDays
 * Beijing days (through `today`) reach criminalAlertAt (high) or criminalCriticalAt (critical: the
 * on-duty "serious" threshold, L9 Art.5 halved). The threshold counts records accumulated, so the
 * alert follows an episode, not a calendar: its window is the day the rolling count rose to the
 * level, and the same alert is refreshed as the count grows; only after the count fell below the
 * level (old look-ups leaving the window) and rose to it again is a new alert raised. Each level
 * its own alert: reaching 25 must alert even when the alert at 10 was explained and closed.
 *
 * An episode keeps the key it was first raised with: a look-up delivered late, or one a re-binding
 * takes out, moves the computed start, but an earlier alert of the account at that level (`prior`:
 * their dedup keys, any status) whose start lies inside the current episode — from its computed
 * start through today, the count never below the level — is the same episode, and its key is kept
 * (the latest such, when late data joined two episodes). A new key only when no earlier alert lies
 * inside the episode: it began after the previous one ended.
 */
export function detectCriminal(
  rows: readonly TrackSeries[],
  today: number,
  params: Pick<LookupRuleParams, 'criminalAlertAt' | 'criminalCriticalAt' | 'criminalWindowDays'>,
  prior: readonly string[] = [],
): LookupFinding[] {
  const earlier = new Map<string, number[]>();
  for (const key of prior) {
    const p = criminalKey(key);
    if (p) (earlier.get(`${p.account}\u0000${p.critical}`) ?? earlier.set(`${p.account}\u0000${p.critical}`, []).get(`${p.account}\u0000${p.critical}`)!).push(p.day);
  }
  const out: LookupFinding[] = [];
  for (const r of rows) {
    if (r.personId === null) continue;
    const { records, since } = trackEpisodes(r.days, today, params.criminalWindowDays, [params.criminalAlertAt, params.criminalCriticalAt]);
    if (records < params.criminalAlertAt) continue;
    const critical = records >= params.criminalCriticalAt;
    const began = since.get(critical ? params.criminalCriticalAt : params.criminalAlertAt)!;
    const inside = (earlier.get(`${r.account}\u0000${critical}`) ?? []).filter((d) => d >= began && d <= today);
    const keyDay = inside.length > 0 ? Math.max(...inside) : began;
    const start = dayIndexToIso(began);
    const from = dayIndexToIso(today - params.criminalWindowDays + 1);
    out.push(
      finding('L-CRIMINAL', { account: r.account, personId: r.personId, window: critical ? `${dayIndexToIso(keyDay)}|critical` : dayIndexToIso(keyDay) }, {
        severity: critical ? 'critical' : 'high',
        summary: `${records}条`,
        detail:
          `${who(r.account)}近${params.criminalWindowDays}日（${from}至${dayIndexToIso(today)}）无事由查询行踪轨迹信息${records}条（${r.lookupIds.length}次查询），自${start}起持续达到${critical ? '严重线' : '告警线'}；` +
          `告警线${params.criminalAlertAt}条，严重线${params.criminalCriticalAt}条（行踪轨迹信息50条为“情节严重”，履职中获取的减半为25条）。` +
          (critical ? '已达到履职中获取的入罪数量标准，应立即核查。' : ''),
        facts: { records, lookups: r.lookupIds.length, since: start, windowFrom: from, windowTo: dayIndexToIso(today), criminalAlertAt: params.criminalAlertAt, criminalCriticalAt: params.criminalCriticalAt, criminalWindowDays: params.criminalWindowDays },
        rows: r.lookupIds.map((id) => ({ id, at: r.lastAt })),
      }),
    );
  }
  return out.sort(byDedupKey);
}

/** An L-CRIMINAL dedup key read back: `L-CRIMINAL|account|YYYY-MM-DD[|critical]`. */
function criminalKey(key: string): { account: string; day: number; critical: boolean } | null {
  const parts = key.split('|');
  const critical = parts.at(-1) === 'critical';
  const date = critical ? parts.at(-2) : parts.at(-1);
  const account = parts.slice(1, critical ? -2 : -1).join('|');
  if (parts[0] !== 'L-CRIMINAL' || !account || !date || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  return { account, day: beijingDayIndex(Date.parse(`${date}T00:00:00+08:00`)), critical };
}

/**
 * The sampling hash of L-RANDOM: md5(key ‖ externalId), its first 32 bits mod N. The same
 * expression runs in SQL (detection.queries.ts `sampled`) for look-ups never drawn on arrival.
 */
export function isSampled(externalId: string, params: Pick<LookupRuleParams, 'randomOneIn' | 'randomKey'>): boolean {
  const h = crypto.createHash('md5').update(params.randomKey + externalId, 'utf8').digest();
  return h.readUInt32BE(0) % params.randomOneIn === 0;
}

/** A sampled look-up, and the ratio (1 in `oneIn`) of the draw that picked it. */
export type RandomRow = Pick<LookupFact, 'id' | 'at' | 'account' | 'personId'> & { externalId: string; oneIn: number };

/**
 * L-RANDOM: the sampled look-ups, one finding each (the window is the look-up's externalId). The
 * rows are the sample as drawn (on arrival, or by the runner for look-ups never drawn): nothing is
 * drawn again here, so a change of the parameters never takes a look-up out of the sample it was
 * drawn into, and the finding states the ratio of that draw.
 */
export function sampleRandom(rows: readonly RandomRow[]): LookupFinding[] {
  return rows
    .filter((r) => r.personId !== null)
    .map((r) =>
      finding('L-RANDOM', { account: r.account, personId: r.personId, window: r.externalId }, {
        severity: 'low',
        summary: `${at(r.at)}`,
        detail: `${who(r.account)}于${at(r.at)}的查询（编号${r.externalId}）被随机抽中（比例：${r.oneIn}取1），请本人说明查询事由。`,
        facts: { externalId: r.externalId, randomOneIn: r.oneIn },
        rows: [r],
      }),
    )
    .sort(byDedupKey);
}
