// How the rules order and select history: by occurredAt, then id; a record's own row is never its
// own history. Every rule starts from sortedHistory(), so no decision depends on the order the
// caller loaded the rows in.
import type { HistoryRecord, RecordFacts } from './types.ts';

export function compareRecords(a: HistoryRecord, b: HistoryRecord): number {
  return a.occurredAt - b.occurredAt || a.id - b.id;
}

/** Is history row h strictly earlier than the record (ties broken by id; no id = newest)? */
export function isEarlier(h: HistoryRecord, record: Pick<RecordFacts, 'occurredAt' | 'id'>): boolean {
  if (h.occurredAt !== record.occurredAt) return h.occurredAt < record.occurredAt;
  return record.id === undefined || h.id < record.id;
}

/** Most records of a bulk load have no history at all: one shared, frozen empty answer for them. */
const NONE: readonly HistoryRecord[] = Object.freeze([]);

/** The history without the record's own row, in time order. */
export function sortedHistory(record: Pick<RecordFacts, 'id'>, history: readonly HistoryRecord[]): readonly HistoryRecord[] {
  if (history.length === 0) return NONE;
  // A caller that keeps its history in order (the intake does) gets it back as is: three rules
  // ask for it per record, and a copy each time is most of what a bulk load allocates in them.
  let inOrder = true;
  for (let i = 0; i < history.length; i++) {
    if (history[i]!.id === record.id || (i > 0 && compareRecords(history[i - 1]!, history[i]!) > 0)) {
      inOrder = false;
      break;
    }
  }
  if (inOrder) return history;
  return history.filter((h) => h.id !== record.id).sort(compareRecords);
}

/** Rows strictly earlier than the record, in time order. */
export function earlierHistory(record: Pick<RecordFacts, 'occurredAt' | 'id'>, history: readonly HistoryRecord[]): readonly HistoryRecord[] {
  if (history.length === 0) return NONE;
  return sortedHistory(record, history).filter((h) => isEarlier(h, record));
}
