// Beijing time (UTC+8, no daylight saving) for calendar days and for the times quoted in messages.
// Rules never read the clock: every instant arrives as epoch milliseconds.

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;
const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** Days since 1970-01-01 of the Beijing calendar day that contains `ms`. */
export function beijingDayIndex(ms: number): number {
  return Math.floor((ms + BEIJING_OFFSET_MS) / DAY_MS);
}

const isoDays = new Map<number, string>();

/** 'YYYY-MM-DD' of a day index (remembered: a batch asks for the same few days again and again). */
export function dayIndexToIso(index: number): string {
  let iso = isoDays.get(index);
  if (iso === undefined) {
    if (isoDays.size >= 100_000) isoDays.clear();
    iso = new Date(index * DAY_MS).toISOString().slice(0, 10);
    isoDays.set(index, iso);
  }
  return iso;
}

/** The Beijing calendar day containing `ms`, as 'YYYY-MM-DD'. */
export function beijingDay(ms: number): string {
  return dayIndexToIso(beijingDayIndex(ms));
}

/** 00:00 Beijing time at the start of the day with this index, in epoch ms. */
export function beijingDayStartMs(index: number): number {
  return index * DAY_MS - BEIJING_OFFSET_MS;
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekday(index: number): number {
  return (((index + 4) % 7) + 7) % 7;
}

/** 'YYYY-MM-DD HH:mm' in Beijing time, for zh-CN messages. */
export function beijingDateTime(ms: number): string {
  const iso = new Date(ms + BEIJING_OFFSET_MS).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

/** Days in a month given as 'YYYY-MM'. */
export function daysInMonth(month: string): number {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** Minutes between two instants, rounded to 0.1, for messages and facts. */
export function minutesBetween(a: number, b: number): number {
  return Math.round((Math.abs(a - b) / MINUTE_MS) * 10) / 10;
}
