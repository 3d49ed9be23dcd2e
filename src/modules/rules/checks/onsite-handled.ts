// R-ONSITE-HANDLED: a camera capture of an act an officer already handled on the spot is deleted
// (L1 Art.22 (4)). The on-site record may be logged before or after the capture.
import { sortedHistory } from '../history.ts';
import { describeMatch, nearPlace, type PlaceMatch } from '../place.ts';
import { reason } from '../reason.ts';
import { beijingDateTime, MINUTE_MS, minutesBetween } from '../time.ts';
import type { HistoryRecord, Reason, RecordFacts, RuleContext } from '../types.ts';

export interface HandledOnSite {
  onSiteRecord: HistoryRecord;
  reason: Reason;
}

/** The on-site record that handled this capture (nearest in time, then earliest), if any. */
export function handledOnSite(record: RecordFacts, history: readonly HistoryRecord[], ctx: RuleContext): HandledOnSite | undefined {
  const { onSiteHandledMinutes, onSiteHandledKm } = ctx.params;
  const windowMs = onSiteHandledMinutes * MINUTE_MS;
  let best: { h: HistoryRecord; dt: number; at: PlaceMatch & { match: true } } | undefined;
  for (const h of sortedHistory(record, history)) {
    if (h.kind !== 'onSite' || h.plate !== record.plate || h.violationCode !== record.violationCode) continue;
    const dt = Math.abs(h.occurredAt - record.occurredAt);
    if (dt > windowMs) continue;
    const at = nearPlace(record.place, h.place, onSiteHandledKm);
    if (!at.match) continue;
    if (!best || dt < best.dt) best = { h, dt, at };
  }
  if (!best) return undefined;
  const { h, at } = best;
  const minutes = minutesBetween(h.occurredAt, record.occurredAt);
  const message =
    `现场执法记录（编号${h.id}，${beijingDateTime(h.occurredAt)}）已对号牌${record.plate}的同一违法行为（违法代码${record.violationCode}）作出处理：` +
    `时间相差${minutes}分钟（不超过${onSiteHandledMinutes}分钟），${describeMatch(at)}。` +
    `属“已经在现场被交通警察处理”的情形，本电子监控记录予以消除，不作处罚。`;
  return {
    onSiteRecord: h,
    reason: reason('R-ONSITE-HANDLED', ctx, message, {
      onSiteRecordId: h.id,
      onSiteOccurredAt: h.occurredAt,
      recordOccurredAt: record.occurredAt,
      minutesApart: minutes,
      onSiteHandledMinutes,
      onSiteHandledKm,
      place: at,
    }),
  };
}
