// Rules about whom a look-up was of: oneself, a relative, a colleague (matched against the
// personnel registry and its vehicles), a subject many people look up, a watched subject, and a
// person's subjects skewed by sex.
import type { LookupRuleParams } from '../../../contracts/lookup-rules.ts';
import { DAY_MS } from '../../rules/time.ts';
import { at, byDedupKey, finding, groupBy, monthOf, sortByTime, who } from './common.ts';
import { round } from './stats.ts';
import type { LookupFact, LookupFinding } from './types.ts';

type Row = Pick<LookupFact, 'id' | 'at' | 'account' | 'personId' | 'justified'>;

export type SubjectMatchRow = Row & {
  /** self: the subject is the person or their vehicle; kin: a registered relative or theirs; colleague: another person of the registry or their vehicle */
  relation: 'self' | 'kin' | 'colleague';
  /** the registry person the subject matched */
  matchedPersonId: number;
  /** what matched: 'plate' | 'idNumber' | 'name' */
  matchedBy: string;
};

/**
 * L-SELF, L-KIN (every matching look-up, justified or not: a conflict of interest whatever the
 * reason) and L-COLLEAGUE (unjustified look-ups of colleagues, ≥ colleagueMin a month; high from
 * colleagueHigh). One finding per rule, account and Beijing month.
 */
export function detectSubjectMatches(rows: readonly SubjectMatchRow[], params: Pick<LookupRuleParams, 'colleagueMin' | 'colleagueHigh'>): LookupFinding[] {
  const out: LookupFinding[] = [];
  const relevant = rows.filter((r) => r.personId !== null && (r.relation !== 'colleague' || !r.justified));
  for (const [, list] of groupBy(relevant, (r) => `${r.relation}\u0000${r.account}\u0000${monthOf(r.at)}`)) {
    const s = sortByTime(list);
    const first = s[0]!;
    const month = monthOf(first.at);
    const n = new Set(s.map((r) => r.id)).size;
    const matched = [...new Set(s.map((r) => r.matchedPersonId))].sort((a, b) => a - b);
    const by = [...new Set(s.map((r) => r.matchedBy))].sort();
    const justified = new Set(s.filter((r) => r.justified).map((r) => r.id)).size;
    const g = { account: first.account, personId: first.personId, window: month };
    if (first.relation === 'self') {
      out.push(finding('L-SELF', g, { severity: 'medium', summary: month, detail: `${who(first.account)}在${month}查询本人或本人车辆信息${n}次（其中有事由${justified}次，匹配项：${by.join('、')}），最近一次${at(s.at(-1)!.at)}。`, facts: { month, count: n, justifiedCount: justified, matchedBy: by }, rows: s }));
    } else if (first.relation === 'kin') {
      out.push(finding('L-KIN', g, { severity: 'medium', summary: month, detail: `${who(first.account)}在${month}查询已登记亲属或其车辆信息${n}次（其中有事由${justified}次，匹配项：${by.join('、')}），最近一次${at(s.at(-1)!.at)}。`, facts: { month, count: n, justifiedCount: justified, matchedBy: by }, rows: s }));
    } else if (n >= params.colleagueMin) {
      out.push(
        finding('L-COLLEAGUE', g, {
          severity: n >= params.colleagueHigh ? 'high' : 'medium',
          summary: month,
          detail: `${who(first.account)}在${month}无事由查询同事本人或其车辆信息${n}次，涉及同事${matched.length}人（阈值：每月${params.colleagueMin}次告警，${params.colleagueHigh}次及以上为高）。`,
          facts: { month, count: n, colleagues: matched.length, colleaguePersonIds: matched, colleagueMin: params.colleagueMin, colleagueHigh: params.colleagueHigh },
          rows: s,
        }),
      );
    }
  }
  return out.sort(byDedupKey);
}

export type HotRow = Pick<LookupFact, 'id' | 'at' | 'account' | 'personId'> & { subject: string };

/**
 * L-HOT: unjustified look-ups of one subject by ≥ hotMinAccounts distinct accounts within any
 * hotWindowDays days. Every account taking part is a finding (per account, Beijing month of its
 * look-ups and subject): each of them owes a reason.
 */
export function detectHot(rows: readonly HotRow[], params: Pick<LookupRuleParams, 'hotMinAccounts' | 'hotWindowDays'>): LookupFinding[] {
  const windowMs = params.hotWindowDays * DAY_MS;
  const flagged = new Map<number, { subject: string; accounts: number }>();
  for (const [subject, list] of groupBy(rows, (r) => r.subject)) {
    const s = sortByTime(list);
    const inWindow = new Map<string, number>();
    for (let right = 0, left = 0; right < s.length; right++) {
      inWindow.set(s[right]!.account, (inWindow.get(s[right]!.account) ?? 0) + 1);
      while (s[right]!.at - s[left]!.at > windowMs) {
        const a = s[left]!.account;
        const c = inWindow.get(a)! - 1;
        if (c === 0) inWindow.delete(a);
        else inWindow.set(a, c);
        left++;
      }
      if (inWindow.size >= params.hotMinAccounts) {
        for (let i = left; i <= right; i++) {
          const prior = flagged.get(s[i]!.id);
          if (!prior || prior.accounts < inWindow.size) flagged.set(s[i]!.id, { subject, accounts: inWindow.size });
        }
      }
    }
  }
  const out: LookupFinding[] = [];
  const hits = rows.filter((r) => flagged.has(r.id));
  // One finding per account, month and subject: each is complete once that subject's look-ups are
  // read, which is what an incremental run reads (the subjects a batch touched).
  for (const [, list] of groupBy(hits, (r) => `${r.account}\u0000${monthOf(r.at)}\u0000${r.subject}`)) {
    const s = sortByTime(list);
    const first = s[0]!;
    const month = monthOf(first.at);
    const subjects = 1;
    const maxAccounts = Math.max(...s.map((r) => flagged.get(r.id)!.accounts));
    out.push(
      finding('L-HOT', { account: first.account, personId: first.personId, window: `${month}:${first.subject.slice(0, 16)}` }, {
        severity: 'medium',
        summary: month,
        detail:
          `${who(first.account)}在${month}无事由查询了一个被多人集中查询的对象，共${s.length}次；` +
          `同一对象${params.hotWindowDays}日内最多被${maxAccounts}个账号无事由查询（阈值：${params.hotMinAccounts}个账号）。`,
        facts: { month, subjects, subjectKey: first.subject.slice(0, 16), count: s.length, maxAccounts, hotMinAccounts: params.hotMinAccounts, hotWindowDays: params.hotWindowDays },
        rows: s,
      }),
    );
  }
  return out.sort(byDedupKey);
}

export type WatchRow = Row & {
  entryId: number;
  category: string;
  /** the watch entry names this person (a complainant against them) */
  against: boolean;
};

const CATEGORY_TEXT: Record<string, string> = { publicFigure: '公众人物', journalist: '记者', complainant: '投诉人', witness: '证人', other: '其他' };

/**
 * L-WATCH: unjustified look-ups of a watched subject, and any look-up of a complainant by a person
 * the complaint is against (high: even a stated reason needs checking). Per account and Beijing month.
 */
export function detectWatch(rows: readonly WatchRow[]): LookupFinding[] {
  const out: LookupFinding[] = [];
  const hits = rows.filter((r) => r.personId !== null && (!r.justified || r.against));
  for (const [, list] of groupBy(hits, (r) => `${r.account}\u0000${monthOf(r.at)}`)) {
    const s = sortByTime(list);
    const first = s[0]!;
    const month = monthOf(first.at);
    const against = s.filter((r) => r.against).length;
    const categories = [...new Set(s.map((r) => r.category))].sort();
    const n = new Set(s.map((r) => r.id)).size;
    out.push(
      finding('L-WATCH', { account: first.account, personId: first.personId, window: month }, {
        severity: against > 0 ? 'high' : 'medium',
        summary: month,
        detail:
          `${who(first.account)}在${month}查询重点关注对象${n}次（类别：${categories.map((c) => CATEGORY_TEXT[c] ?? c).join('、')}）` +
          `${against > 0 ? `，其中${against}次查询的是投诉该民警的投诉人` : ''}，均无有效事由或须回避。`,
        facts: { month, count: n, categories, againstCount: against, entryIds: [...new Set(s.map((r) => r.entryId))].sort((a, b) => a - b) },
        rows: s,
      }),
    );
  }
  return out.sort(byDedupKey);
}

/** One person's look-ups over the period with a subject of known sex (from the ID number). */
export interface SkewRow {
  account: string;
  personId: number | null;
  known: number;
  female: number;
  /** a sample of the female-subject look-ups, for evidence */
  lookupIds: number[];
  lastAt: number;
}

/**
 * Sex from a resident ID number (GB 11643): 18 characters, 17 digits and a check character; the
 * 17th digit is odd for men. Anything else (15-digit numbers, foreign documents): unknown. The one
 * reading intake and the runner's back-fill share, so a subject counts the same either way.
 */
export function sexOfIdNumber(id: string | null | undefined): 'F' | 'M' | null {
  if (!id || !/^\d{17}[\dX]$/i.test(id)) return null;
  return Number(id[16]) % 2 === 1 ? 'M' : 'F';
}

/**
 * L-SKEW: a person's share of female subjects differs from everyone else's (the brigade minus the
 * person) by ≥ skewMinDelta, with ≥ skewMinLookups look-ups of known sex. One finding per account
 * and the Beijing month the period ends in.
 */
export function detectSkew(rows: readonly SkewRow[], periodEnd: number, params: Pick<LookupRuleParams, 'skewMinLookups' | 'skewMinDelta'>): LookupFinding[] {
  const total = rows.reduce((t, r) => ({ known: t.known + r.known, female: t.female + r.female }), { known: 0, female: 0 });
  const month = monthOf(periodEnd);
  const out: LookupFinding[] = [];
  for (const r of rows) {
    if (r.personId === null || r.known < params.skewMinLookups) continue;
    const othersKnown = total.known - r.known;
    if (othersKnown <= 0) continue;
    const share = r.female / r.known;
    const peers = (total.female - r.female) / othersKnown;
    if (Math.abs(share - peers) < params.skewMinDelta) continue;
    out.push(
      finding('L-SKEW', { account: r.account, personId: r.personId, window: month }, {
        severity: 'medium',
        summary: month,
        detail:
          `${who(r.account)}统计期内可识别性别的查询${r.known}次，其中女性对象${r.female}次，占${round(share * 100, 1)}%；` +
          `其他人员女性对象占${round(peers * 100, 1)}%，相差${round(Math.abs(share - peers) * 100, 1)}个百分点（阈值：${round(params.skewMinDelta * 100, 1)}个百分点，最少${params.skewMinLookups}次）。`,
        facts: { known: r.known, female: r.female, share: round(share, 4), peerShare: round(peers, 4), skewMinDelta: params.skewMinDelta, skewMinLookups: params.skewMinLookups },
        rows: r.lookupIds.map((id) => ({ id, at: r.lastAt })),
      }),
    );
  }
  return out.sort(byDedupKey);
}
