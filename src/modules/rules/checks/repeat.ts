// R-REPEAT: one continuing act is fined once (L4 Art.29). A record repeats an earlier one of the
// same plate and code at the same place (device, road segment, or road and direction) when the gap
// to that earlier record is inside the code's continuing-violation window. Repeats chain: each
// later capture links to the chain's earliest record that is not itself merged — the one penalised.
import { earlierHistory, isEarlier } from '../history.ts';
import { handledOnSite } from './onsite-handled.ts';
import { describeMatch, sameRepeatPlace, type PlaceMatch } from '../place.ts';
import { reason } from '../reason.ts';
import { beijingDateTime, MINUTE_MS, minutesBetween } from '../time.ts';
import type { HistoryRecord, Reason, RecordFacts, RuleContext } from '../types.ts';

export interface Repeat {
  /** the chain's penalised record */
  linkedRecordId: number;
  /** the closest earlier record of the chain */
  previous: HistoryRecord;
  reason: Reason;
}

type Member = Pick<HistoryRecord, 'occurredAt' | 'place' | 'deviceId' | 'violationCode'> & { id?: number };

/**
 * The continuing-violation window of a code at a time: the catalogue's; for a parking code the
 * catalogue gives none, the rule set's. Any other code is not a continuing act: two red lights
 * eight hours apart are two violations, so there is no window (undefined).
 */
export function repeatWindow(code: string, at: number, ctx: RuleContext): { minutes: number; source: 'catalogue' | 'ruleSet' } | undefined {
  const entry = ctx.catalogue(code, at);
  if (entry?.continuingWindowMinutes != null) return { minutes: entry.continuingWindowMinutes, source: 'catalogue' };
  return entry?.category === 'parking' ? { minutes: ctx.params.repeatWindowMinutes, source: 'ruleSet' } : undefined;
}

export function repeatOf(record: RecordFacts, history: readonly HistoryRecord[], ctx: RuleContext): Repeat | undefined {
  // voided rows were never violations; rows of other plates (loaded by driver) are not this vehicle's acts
  let candidates = earlierHistory(record, history).filter((h) => h.plate === record.plate && h.violationCode === record.violationCode && h.outcome !== 'voided');
  // An officer handling on the spot the act a camera just captured is not fining it twice: that
  // capture is the one to delete (R-ONSITE-HANDLED), so it is no earlier fine of the act.
  if (record.kind === 'onSite') {
    const self: HistoryRecord = { ...record, id: record.id ?? Number.MAX_SAFE_INTEGER, outcome: 'compliant', handled: true };
    candidates = candidates.filter((h) => h.kind !== 'camera' || !handledOnSite(h as unknown as RecordFacts, [self], ctx));
  }
  const first = predecessor(record, candidates, ctx);
  if (!first) return undefined;

  // walk back through predecessors; each is strictly earlier, and a row is never visited twice
  const chain: HistoryRecord[] = [first.h];
  const seen = new Set([first.h.id]);
  for (let p = predecessor(first.h, candidates, ctx); p && !seen.has(p.h.id); p = predecessor(p.h, candidates, ctx)) {
    seen.add(p.h.id);
    chain.unshift(p.h);
  }
  const head = chain.find((h) => h.outcome !== 'merged');
  const oldest = chain[0]!;
  // The chain's head lies beyond the loaded history when every member found is merged: trust the
  // oldest member's link only if it points backwards, never to this record or a later one.
  const inherited = oldest.linkedRecordId;
  const trusted = inherited !== undefined && inherited < oldest.id && (record.id === undefined || inherited < record.id) ? inherited : undefined;
  const linkedRecordId = head?.id ?? trusted ?? oldest.id;

  const { h: previous, at, windowMinutes, windowSource } = first;
  const minutes = minutesBetween(previous.occurredAt, record.occurredAt);
  const what = record.kind === 'camera' ? '本记录合并至该违法行为已处理的记录' : '本次现场处罚属对同一违法行为的重复处罚';
  const message =
    `与此前记录（编号${previous.id}，${beijingDateTime(previous.occurredAt)}）为号牌${record.plate}同一违法代码${record.violationCode}在同一地点的连续违法行为：` +
    `${describeMatch(at)}，间隔${minutes}分钟（不超过连续违法合并时长${windowMinutes}分钟）。` +
    `对当事人的同一个违法行为不得给予两次以上罚款，${what}（编号${linkedRecordId}）。`;
  return {
    linkedRecordId,
    previous,
    reason: reason(
      'R-REPEAT',
      ctx,
      message,
      {
        previousRecordId: previous.id,
        linkedRecordId,
        chainRecordIds: chain.map((h) => h.id),
        chainHeadInHistory: head !== undefined,
        minutesApart: minutes,
        windowMinutes,
        windowSource,
        repeatSegmentKm: ctx.params.repeatSegmentKm,
        place: at,
      },
      { severity: 'medium' },
    ),
  };
}

/** The closest earlier candidate at the same place inside the member's window (ties: the later id). */
function predecessor(member: Member, candidates: readonly HistoryRecord[], ctx: RuleContext) {
  const window = repeatWindow(member.violationCode, member.occurredAt, ctx);
  if (!window) return undefined;
  const windowMs = window.minutes * MINUTE_MS;
  for (let i = candidates.length - 1; i >= 0; i--) {
    const h = candidates[i]!;
    if (!isEarlier(h, member)) continue;
    if (member.occurredAt - h.occurredAt > windowMs) break;
    const at: PlaceMatch = sameRepeatPlace(member, h, ctx.params.repeatSegmentKm);
    if (at.match) return { h, at, windowMinutes: window.minutes, windowSource: window.source };
  }
  return undefined;
}
