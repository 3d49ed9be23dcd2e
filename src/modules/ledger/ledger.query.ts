import { sql } from 'kysely';
import type { z } from 'zod';
import type { Page } from '../../contracts/common.ts';
import type { LedgerEntry, ledgerQuery } from '../../contracts/ledger.ts';
import type { Db } from '../../platform/db/database.ts';
import type { LedgerTables } from './ledger.tables.ts';
import { toLedgerEntry } from './ledger.service.ts';

const t = (db: Db) => db.withTables<LedgerTables>();

export type LedgerFilter = Omit<z.output<typeof ledgerQuery>, 'page' | 'pageSize'>;

function filtered(db: Db, f: LedgerFilter) {
  let q = t(db).selectFrom('ledger_entries');
  if (f.actor) q = q.where('actor_name', 'ilike', `%${f.actor}%`);
  // Prefix match: "org.person" finds every person action.
  if (f.action) q = q.where('action', 'like', `${f.action.replace(/[%_\\]/g, '\\$&')}%`);
  if (f.subjectType) q = q.where('subject_type', '=', f.subjectType);
  if (f.subjectId) q = q.where('subject_id', '=', f.subjectId);
  if (f.from) q = q.where('at', '>=', new Date(f.from));
  if (f.to) q = q.where('at', '<', new Date(f.to));
  return q;
}

export async function listEntries(db: Db, query: z.output<typeof ledgerQuery>): Promise<Page<LedgerEntry>> {
  const { page, pageSize, ...f } = query;
  const q = filtered(db, f);
  const [rows, count] = await Promise.all([
    q.selectAll().orderBy('seq', 'desc').limit(pageSize).offset((page - 1) * pageSize).execute(),
    q.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toLedgerEntry), total: count.n, page, pageSize };
}

export async function* exportEntries(db: Db, f: LedgerFilter): AsyncGenerator<LedgerEntry> {
  const q = filtered(db, f);
  let before: number | undefined;
  for (;;) {
    const page = before === undefined ? q : q.where('seq', '<', before);
    const rows = await page.selectAll().orderBy('seq', 'desc').limit(1000).execute();
    for (const r of rows) yield toLedgerEntry(r);
    if (rows.length < 1000) return;
    before = Number(rows.at(-1)!.seq);
  }
}
