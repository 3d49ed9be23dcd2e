import { sql } from 'kysely';

/**
 * Page and total in one query: select this column beside the page's columns. Only a page past
 * the end (no rows, so no window value) needs a second, counting query.
 */
export const totalCount = sql<number>`(count(*) OVER ())::int`.as('total_count');

export async function totalOf(rows: Array<{ total_count: number }>, page: number, count: () => Promise<number>): Promise<number> {
  if (rows.length > 0) return rows[0]!.total_count;
  return page === 1 ? 0 : count();
}

/**
 * A timestamptz as the API spells it (`2026-03-01T08:00:00.123Z`), rendered by the database: a
 * list page of people or records then carries no Date through the driver and back to a string.
 */
export function isoTimestamp(column: string) {
  return sql<string>`to_char(${sql.ref(column)} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

export const countAll = sql<number>`count(*)::int`.as('n');

/** Escapes LIKE wildcards so a user's `%` or `_` matches itself. */
export function contains(text: string): string {
  return `%${text.replace(/[\\%_]/g, '\\$&')}%`;
}
