// Names and units of people by id, for labels (watch list, explanations, profiles). The org
// service answers by 警号 only (peopleByBadge); this is the same read-only lookup by id, in one
// query — it belongs in org's service and should move there.
import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { Tx } from '../../platform/db/tx.ts';
import type { OrgTables } from '../org/org.tables.ts';

export interface PersonLabel {
  id: number;
  name: string;
  badgeNo: string;
  unitId: number;
  category: string;
  status: string;
}

export async function peopleByIds(db: Db | Tx, ids: readonly number[]): Promise<Map<number, PersonLabel>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db
    .withTables<OrgTables>()
    .selectFrom('personnel')
    .select(['id', 'name', 'badge_no', 'unit_id', 'category', 'status'])
    .where('id', '=', sql<number>`ANY(${unique}::int[])`)
    .execute();
  return new Map(rows.map((r) => [r.id, { id: r.id, name: r.name, badgeNo: r.badge_no, unitId: r.unit_id, category: r.category, status: r.status }]));
}
