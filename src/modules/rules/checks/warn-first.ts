// R-WARN-FIRST: a minor first violation gets a warning, no fine and no points (L3 Art.87; L1
// Art.42; L4 Art.33; L2 Art.28). Eligible when the code is on the warning list, the vehicle (and
// the driver, when known) has no other violation in the window, and nothing earlier is left
// unhandled. Voided rows were never violations; merged rows are part of an act already counted.
import { earlierHistory } from '../history.ts';
import { reason, yuan } from '../reason.ts';
import { DAY_MS } from '../time.ts';
import type { CatalogueEntry, HistoryRecord, Reason, RecordFacts, RuleContext } from '../types.ts';
import { isPenalty } from './evidence.ts';

export interface WarnFirst {
  eligible: boolean;
  /** why eligible, or why not */
  reason: Reason;
  /** rows of the vehicle/driver in the window, and unhandled earlier rows (any time) */
  priorInWindow: HistoryRecord[];
  unhandled: HistoryRecord[];
}

const ids = (rows: readonly HistoryRecord[]) => rows.map((h) => h.id);

export function warnFirst(record: RecordFacts, history: readonly HistoryRecord[], entry: CatalogueEntry, ctx: RuleContext): WarnFirst {
  const { warningWindowDays } = ctx.params;
  const windowStart = record.occurredAt - warningWindowDays * DAY_MS;
  const byDriver = record.driverKey !== undefined;
  const sameParty = (h: HistoryRecord) => h.plate === record.plate || (byDriver && h.driverKey === record.driverKey);
  const prior = earlierHistory(record, history).filter((h) => sameParty(h) && h.outcome !== 'voided' && h.outcome !== 'merged');
  const priorInWindow = prior.filter((h) => h.occurredAt >= windowStart);
  const unhandled = prior.filter((h) => !h.handled && (h.kind === 'onSite' || h.outcome === 'penalty' || h.outcome === 'warning'));
  const eligible = entry.warningEligible && priorInWindow.length === 0 && unhandled.length === 0;

  const who = byDriver ? '该车及其驾驶人' : '该车';
  const facts = {
    violationCode: entry.code,
    warningEligible: entry.warningEligible,
    warningWindowDays,
    windowStart,
    driverKeyKnown: byDriver,
    priorInWindowIds: ids(priorInWindow),
    unhandledIds: ids(unhandled),
  };
  let message: string;
  if (eligible) {
    message = cachedText(entry, `eligible|${who}|${warningWindowDays}`, () => `${eligibleText(entry, who, warningWindowDays)}，依法予以警告，不罚款、不记分。`);
  } else if (priorInWindow.length === 0 && unhandled.length === 0) {
    // not on the warning list, and nothing else: the same text for every record of the code
    message = cachedText(entry, 'notListed', () => `不适用首违警告：违法代码${entry.code}（${entry.description}）不在首违警告适用范围内。`);
  } else {
    const why: string[] = [];
    if (!entry.warningEligible) why.push(`违法代码${entry.code}（${entry.description}）不在首违警告适用范围内`);
    if (priorInWindow.length > 0) why.push(`${who}此前${warningWindowDays}日内有其他违法记录（编号${ids(priorInWindow).join('、')}）`);
    if (unhandled.length > 0) why.push(`${who}有尚未处理完毕的违法记录（编号${ids(unhandled).join('、')}）`);
    message = `不适用首违警告：${why.join('；')}。`;
  }
  return { eligible, reason: reason('R-WARN-FIRST', ctx, message, facts, { severity: 'low' }), priorInWindow, unhandled };
}

/** On-site: a finding when the record was eligible for a first-violation warning but was fined or given points. */
export function warnFirstFinding(record: RecordFacts, history: readonly HistoryRecord[], entry: CatalogueEntry, ctx: RuleContext): Reason | undefined {
  const w = warnFirst(record, history, entry, ctx);
  if (!w.eligible || !isPenalty(record)) return undefined;
  const who = record.driverKey !== undefined ? '该车及其驾驶人' : '该车';
  return reason(
    'R-WARN-FIRST',
    ctx,
    `${eligibleText(entry, who, ctx.params.warningWindowDays)}，应予首违警告，但本次处罚款${yuan(record.fineYuan ?? 0)}元、记${record.points ?? 0}分。`,
    { ...w.reason.facts, fineYuan: record.fineYuan ?? null, points: record.points ?? null },
    { severity: 'low' },
  );
}

/**
 * Texts that depend on the catalogue entry and parameters only, built once per entry: a batch
 * has thousands of warnings of one code, and one string shared by all of them is one string kept.
 */
const texts = new WeakMap<CatalogueEntry, Map<string, string>>();
function cachedText(entry: CatalogueEntry, key: string, build: () => string): string {
  let byKey = texts.get(entry);
  if (!byKey) texts.set(entry, (byKey = new Map()));
  let t = byKey.get(key);
  if (t === undefined) byKey.set(key, (t = build()));
  return t;
}

function eligibleText(entry: CatalogueEntry, who: string, days: number): string {
  return `违法代码${entry.code}（${entry.description}）属首违警告适用范围；${who}此前${days}日内无其他违法记录，且无未处理的违法记录`;
}
