import type { AlertSeverity } from '../../../contracts/alerts.ts';
import { LOOKUP_RULE_NAMES, type LookupRuleId } from '../../../contracts/lookup-rules.ts';
import { beijingDateTime, beijingDay } from '../../rules/time.ts';
import { LOOKUP_RATIONALE } from './basis.ts';
import type { LookupFinding } from './types.ts';

export const dayOf = (ms: number): string => beijingDay(ms);
export const monthOf = (ms: number): string => beijingDay(ms).slice(0, 7);
export const at = (ms: number): string => beijingDateTime(ms);
export const who = (account: string): string => `警号${account}`;

/** Groups rows by a key, keeping first-seen order out of it: callers sort what they emit. */
export function groupBy<T>(rows: readonly T[], key: (r: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return m;
}

const byTimeThenId = (a: { at: number; id: number }, b: { at: number; id: number }) => a.at - b.at || a.id - b.id;
export const sortByTime = <T extends { at: number; id: number }>(rows: readonly T[]): T[] => [...rows].sort(byTimeThenId);

export function finding(
  rule: LookupRuleId,
  g: { account: string; personId: number | null; window: string },
  f: { severity: AlertSeverity; summary: string; detail: string; facts: Record<string, unknown>; rows: ReadonlyArray<{ id: number; at: number }>; occurredAt?: number },
): LookupFinding {
  const ids = [...new Set(f.rows.map((r) => r.id))].sort((a, b) => a - b);
  const last = f.occurredAt ?? f.rows.reduce((m, r) => Math.max(m, r.at), Number.NEGATIVE_INFINITY);
  return {
    rule,
    account: g.account,
    personId: g.personId,
    window: g.window,
    severity: f.severity,
    title: `${LOOKUP_RULE_NAMES[rule]}：${who(g.account)} ${f.summary}`,
    explanation: `${f.detail}${LOOKUP_RATIONALE[rule]}请核查。`,
    facts: { ...f.facts, window: g.window, lookupCount: ids.length },
    lookupIds: ids,
    occurredAt: Number.isFinite(last) ? last : 0,
    dedupKey: `${rule}|${g.account}|${g.window}`,
  };
}

export const byDedupKey = (a: LookupFinding, b: LookupFinding): number => (a.dedupKey < b.dedupKey ? -1 : a.dedupKey > b.dedupKey ? 1 : 0);
