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

export const countAll = sql<number>`count(*)::int`.as('n');

/** Escapes LIKE wildcards so a user's `%` or `_` matches itself. */
export function contains(text: string): string {
  return `%${text.replace(/[\\%_]/g, '\\$&')}%`;
}
