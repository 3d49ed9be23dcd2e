// Conversions between JavaScript values and the text a user sees in a spreadsheet cell.
// Shared by the readers (Excel values → strings) and the writers (row values → CSV text).

/** Integers without exponent notation (1e21 → '1000000000000000000000'); other numbers as JS prints them. */
export function plainNumber(value: number): string {
  if (!Number.isFinite(value)) return '';
  return Number.isInteger(value) ? BigInt(value).toString() : String(value);
}

/**
 * The number as Excel displays it: Excel keeps 15 significant digits, so binary noise such as
 * 0.30000000000000004 or the tail of a 17-digit integer is not something the user ever saw.
 */
export function excelNumberText(value: number): string {
  return Number.isFinite(value) ? plainNumber(Number(value.toPrecision(15))) : '';
}

// Excel stores dates as wall-clock serials without a time zone; ExcelJS hands them over as
// Date objects whose UTC fields carry that wall clock.
const EXCEL_EPOCH_DAY = '1899-12-30';

/**
 * 'YYYY-MM-DD' for whole days, 'YYYY-MM-DDTHH:mm:ss' otherwise, 'HH:mm:ss' for time-only cells
 * (serial < 1). No offset suffix: the cell holds local time, and 'Z' would shift it by 8 hours
 * for every consumer. Rounded to whole seconds, which is all Excel shows by default.
 */
export function excelDateText(value: Date): string {
  const time = value.getTime();
  if (Number.isNaN(time)) return '';
  const iso = new Date(Math.round(time / 1000) * 1000).toISOString();
  const day = iso.slice(0, 10);
  const clock = iso.slice(11, 19);
  if (day === EXCEL_EPOCH_DAY) return clock;
  return clock === '00:00:00' ? day : `${day}T${clock}`;
}

const MS_PER_DAY = 86_400_000;
const UNIX_EPOCH_SERIAL = 25_569;
const DATE1904_OFFSET_DAYS = 1_462;

/** Serial (days since the workbook epoch) → Date carrying the wall clock in its UTC fields. */
export function excelSerialToDate(serial: number, date1904: boolean): Date {
  const days = serial - UNIX_EPOCH_SERIAL + (date1904 ? DATE1904_OFFSET_DAYS : 0);
  return new Date(Math.round(days * MS_PER_DAY));
}

/** Same test ExcelJS applies: a number format is a date format if, outside quotes and [..], it uses date tokens. */
export function isDateFormat(numFmt: string | undefined): boolean {
  if (!numFmt) return false;
  const bare = numFmt.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, '');
  return /[ymdhMsb]/.test(bare);
}

// The platform serves brigades in mainland China: one fixed offset, no daylight saving since 1991.
export const BEIJING_OFFSET_MS = 8 * 3_600_000;

/**
 * An instant as Beijing wall-clock time, carried in the UTC fields (the form ExcelJS writes).
 * Cut to whole seconds, as a clock shows it, so .xlsx and .csv exports of a row agree.
 */
export function toBeijingWallClock(value: Date): Date {
  return new Date(Math.floor(value.getTime() / 1000) * 1000 + BEIJING_OFFSET_MS);
}

/** 'YYYY-MM-DD HH:mm:ss' in Beijing time, the form Chinese Excel recognises as a date-time. */
export function beijingDateTimeText(value: Date): string {
  if (Number.isNaN(value.getTime())) return '';
  return toBeijingWallClock(value).toISOString().slice(0, 19).replace('T', ' ');
}
