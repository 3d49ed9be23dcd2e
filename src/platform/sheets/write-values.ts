import { beijingDateTimeText, plainNumber } from './text.ts';

/** One exported record: column key → value. Keys without a column are ignored. */
export type TableRow<K extends string = string> = Readonly<Partial<Record<K, unknown>>>;
export type TableRows<K extends string = string> = AsyncIterable<TableRow<K>> | Iterable<TableRow<K>>;

/** What a row may carry per column; anything else is written as JSON (objects) or String(). */
export type Scalar = string | number | boolean | Date | null;

export function toScalar(value: unknown): Scalar {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  // Excel numbers are doubles; a bigint (int8 id) keeps all its digits only as text.
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

// Excel, LibreOffice and WPS evaluate a CSV field starting with one of these as a formula
// (or DDE call); a leading apostrophe makes them show it as text instead (OWASP CSV injection).
const FORMULA_START = /^[=+\-@\t\r]/;

export function guardFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * One CSV field. Only text is guarded: numbers and dates come from code, not from users, and an
 * apostrophe would turn -5 into text.
 */
export function csvField(value: unknown): string {
  const scalar = toScalar(value);
  if (scalar === null) return '';
  if (typeof scalar === 'number') return plainNumber(scalar);
  if (typeof scalar === 'boolean') return scalar ? 'TRUE' : 'FALSE';
  if (scalar instanceof Date) return beijingDateTimeText(scalar);
  return quoteCsv(guardFormula(scalar));
}

// RFC 4180: quote fields holding a delimiter, quote or line break; double inner quotes.
function quoteCsv(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
