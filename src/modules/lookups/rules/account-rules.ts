// Rules about who made the look-up: an account matching nobody (L-UNKNOWN), a certificate in more
// hands or places than one person's (L-SHARED), people who left, are suspended or on leave (L-LEAVER).
import type { LookupRuleParams } from '../../../contracts/lookup-rules.ts';
import { MINUTE_MS } from '../../rules/time.ts';
import { at, byDedupKey, dayOf, finding, groupBy, monthOf, sortByTime, who } from './common.ts';
import type { LookupFact, LookupFinding } from './types.ts';

type Row = Pick<LookupFact, 'id' | 'at' | 'account' | 'personId'>;

/** L-UNKNOWN: look-ups under an account no person has, one finding per account and Beijing day. */
export function detectUnknown(rows: readonly Row[]): LookupFinding[] {
  const out: LookupFinding[] = [];
  for (const [, list] of groupBy(rows.filter((r) => r.personId === null), (r) => `${r.account}\u0000${dayOf(r.at)}`)) {
    const s = sortByTime(list);
    const day = dayOf(s[0]!.at);
    out.push(
      finding('L-UNKNOWN', { account: s[0]!.account, personId: null, window: day }, {
        severity: 'high',
        summary: day,
        detail: `账号${s[0]!.account}于${day}查询${s.length}次（${at(s[0]!.at)}至${at(s.at(-1)!.at)}），人员库中没有警号为${s[0]!.account}的人员。`,
        facts: { account: s[0]!.account, day, count: s.length },
        rows: s,
      }),
    );
  }
  return out.sort(byDedupKey);
}

export type SharedRow = Pick<LookupFact, 'id' | 'at' | 'account' | 'personId' | 'certificateId' | 'terminalId' | 'terminalUnitId'> & {
  /** the unit of the account's person (null: unknown account) */
  personUnitId: number | null;
};

/** Parent of each unit (the org tree), to tell a terminal of one's own unit line from another unit's. */
export type UnitParents = ReadonlyMap<number, number | null>;

function chain(unit: number, parents: UnitParents): Set<number> {
  const seen = new Set<number>();
  for (let u: number | null | undefined = unit; u != null && !seen.has(u); u = parents.get(u)) seen.add(u);
  return seen;
}

/** A terminal belongs to another unit when neither unit is an ancestor of the other (a brigade's terminal serves its squadrons). */
export function isForeignTerminal(personUnitId: number | null, terminalUnitId: number | null, parents: UnitParents): boolean {
  if (personUnitId === null || terminalUnitId === null) return false;
  return !chain(personUnitId, parents).has(terminalUnitId) && !chain(terminalUnitId, parents).has(personUnitId);
}

type SharedKind = 'twoTerminals' | 'manyAccounts' | 'foreignTerminal';
const SHARED_TEXT: Record<SharedKind, string> = {
  twoTerminals: '同一证书在不同终端同时使用',
  manyAccounts: '同一证书当日由多个账号使用',
  foreignTerminal: '在其他单位的终端使用',
};

/**
 * L-SHARED: a certificate used from two terminals within sharedWindowMinutes, or by two or more
 * accounts in one Beijing day, or a look-up from a terminal of a unit outside the person's line.
 * One finding per account and day, naming which of the three it saw.
 */
export function detectShared(rows: readonly SharedRow[], parents: UnitParents, params: Pick<LookupRuleParams, 'sharedWindowMinutes'>): LookupFinding[] {
  const windowMs = params.sharedWindowMinutes * MINUTE_MS;
  const flagged = new Map<number, Set<SharedKind>>();
  const flag = (r: SharedRow, k: SharedKind) => (flagged.get(r.id) ?? flagged.set(r.id, new Set()).get(r.id)!).add(k);

  for (const [, list] of groupBy(rows, (r) => r.certificateId)) {
    const s = sortByTime(list);
    // two terminals at once: compare each row with those before it inside the window
    for (let right = 0, left = 0; right < s.length; right++) {
      while (s[right]!.at - s[left]!.at > windowMs) left++;
      for (let i = left; i < right; i++) {
        if (s[i]!.terminalId !== s[right]!.terminalId) {
          flag(s[i]!, 'twoTerminals');
          flag(s[right]!, 'twoTerminals');
        }
      }
    }
    for (const [, day] of groupBy(s, (r) => dayOf(r.at))) {
      if (new Set(day.map((r) => r.account)).size >= 2) for (const r of day) flag(r, 'manyAccounts');
    }
  }
  for (const r of rows) if (isForeignTerminal(r.personUnitId, r.terminalUnitId, parents)) flag(r, 'foreignTerminal');

  const out: LookupFinding[] = [];
  const hits = rows.filter((r) => flagged.has(r.id));
  for (const [, list] of groupBy(hits, (r) => `${r.account}\u0000${dayOf(r.at)}`)) {
    const s = sortByTime(list);
    const first = s[0]!;
    const day = dayOf(first.at);
    const kinds = [...new Set(s.flatMap((r) => [...flagged.get(r.id)!]))].sort() as SharedKind[];
    const certificates = [...new Set(s.map((r) => r.certificateId))].sort();
    const terminals = [...new Set(s.map((r) => r.terminalId))].sort();
    const accounts = [...new Set(rows.filter((r) => certificates.includes(r.certificateId) && dayOf(r.at) === day).map((r) => r.account))].sort();
    out.push(
      finding('L-SHARED', { account: first.account, personId: first.personId, window: day }, {
        severity: 'high',
        summary: day,
        detail:
          `${who(first.account)}于${day}的${s.length}次查询存在证书共用迹象：${kinds.map((k) => SHARED_TEXT[k]).join('；')}。` +
          `证书${certificates.join('、')}，终端${terminals.join('、')}，当日使用该证书的账号${accounts.join('、')}（同时使用判定：${params.sharedWindowMinutes}分钟内）。`,
        facts: { day, kinds, certificates, terminals, accounts, sharedWindowMinutes: params.sharedWindowMinutes },
        rows: s,
      }),
    );
  }
  return out.sort(byDedupKey);
}

export type LeaverRow = Row & {
  /** the person's status in the registry */
  status: 'active' | 'left' | 'suspended';
  /** the roster has the person on leave at the time of the look-up */
  onLeave: boolean;
};

const STATUS_TEXT = { left: '已离职', suspended: '已停职' } as const;

/** L-LEAVER: look-ups by people who left, are suspended, or were on leave; one finding per account and Beijing month. */
export function detectLeaver(rows: readonly LeaverRow[]): LookupFinding[] {
  const out: LookupFinding[] = [];
  const hits = rows.filter((r) => r.personId !== null && (r.status !== 'active' || r.onLeave));
  for (const [, list] of groupBy(hits, (r) => `${r.account}\u0000${monthOf(r.at)}`)) {
    const s = sortByTime(list);
    const first = s[0]!;
    const month = monthOf(first.at);
    const status = first.status;
    const onLeave = s.filter((r) => r.onLeave).length;
    const parts = [
      ...(status !== 'active' ? [`该人员${STATUS_TEXT[status]}，其账号仍查询${s.length}次`] : []),
      ...(onLeave > 0 ? [`休假期间查询${onLeave}次`] : []),
    ];
    out.push(
      finding('L-LEAVER', { account: first.account, personId: first.personId, window: month }, {
        severity: status !== 'active' ? 'critical' : 'high',
        summary: month,
        detail: `${who(first.account)}在${month}：${parts.join('，')}（${at(first.at)}至${at(s.at(-1)!.at)}）。`,
        facts: { month, status, onLeaveCount: onLeave, count: s.length },
        rows: s,
      }),
    );
  }
  return out.sort(byDedupKey);
}
