// One column of an importable/exportable sheet. The same spec drives the import template, the
// header matching on upload and the export layout, so the three can never drift apart.
export type ColumnSpec<K extends string = string> = {
  /** Property name in code, e.g. 'badgeNo'. Never shown to users. */
  key: K;
  /** zh-CN header as it appears in the file, e.g. '警号'. */
  header: string;
  /** Other header texts accepted on import (older templates, common synonyms). */
  aliases?: string[];
  /** Sample value written into row 2 of the import template. */
  example?: string;
  /** Filling hint, attached to the header cell as a comment in .xlsx templates. */
  note?: string;
  /** Column width in Excel character units; derived from header and example when absent. */
  width?: number;
  /** Whether the header must be present on import. Defaults to true. */
  required?: boolean;
};

/**
 * Identity helper that keeps the keys as a literal union, so rows read with these columns are
 * typed `Record<'badgeNo' | 'name', string>` instead of an index signature that would make every
 * access `string | undefined` under `noUncheckedIndexedAccess`.
 */
export function defineColumns<const K extends string>(
  columns: readonly ColumnSpec<K>[],
): readonly ColumnSpec<K>[] {
  return columns;
}

const MIN_WIDTH = 8;
const MAX_WIDTH = 50;

/** Width that fits the header and the example, counting CJK characters as two cells wide. */
export function columnWidth(column: ColumnSpec): number {
  if (column.width !== undefined) return column.width;
  const widest = Math.max(displayWidth(column.header), displayWidth(column.example ?? ''));
  return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, widest + 2));
}

function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += (char.codePointAt(0) ?? 0) > 0xff ? 2 : 1;
  return width;
}
