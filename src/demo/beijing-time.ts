// Beijing time (UTC+8, no daylight saving) for the enforcement demo: day starts, and the
// timestamps and day stamps its rows carry.

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const BEIJING_OFFSET = 8 * HOUR;

export function startOfBeijingDay(ms: number): number {
  return Math.floor((ms + BEIJING_OFFSET) / DAY) * DAY - BEIJING_OFFSET;
}
// Rows come day by day, so the date part is formatted once per day.
let formattedDay = { start: Number.NaN, iso: '', compact: '' };
function dayOf(ms: number) {
  const start = startOfBeijingDay(ms);
  if (start !== formattedDay.start) {
    const iso = new Date(start + BEIJING_OFFSET).toISOString().slice(0, 10);
    formattedDay = { start, iso, compact: iso.replaceAll('-', '') };
  }
  return formattedDay;
}
const two = (n: number) => (n < 10 ? `0${n}` : String(n));
/** ISO 8601 with the +08:00 offset, to the second */
export function beijingIso(ms: number): string {
  const day = dayOf(ms);
  const s = Math.floor((ms - day.start) / 1000);
  return `${day.iso}T${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}+08:00`;
}
/** yyyymmdd of the Beijing day */
export function beijingDay(ms: number): string {
  return dayOf(ms).compact;
}
