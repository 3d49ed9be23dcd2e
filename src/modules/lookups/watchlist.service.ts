// The watch list (关注名单): subjects inspectors watch — public figures, journalists, complainants
// against named officers. Stored like look-up subjects (hashes, ciphertext, masked copy), so a
// look-up matches an entry by hash; every change is ledgered, with the masked subject only.
import { sql } from 'kysely';
import type { z } from 'zod';
import type { Page } from '../../contracts/common.ts';
import type { MaskedSubject, WatchCategory, WatchEntry, watchEntryCreate, watchEntryUpdate, watchListQuery } from '../../contracts/lookups.ts';
import type { Db } from '../../platform/db/database.ts';
import { inTransaction, type Tx } from '../../platform/db/tx.ts';
import { totalCount, totalOf } from '../../platform/db/paging.ts';
import { AppError, notFound } from '../../platform/http/errors.ts';
import { record, recordAlone, type RequestContext } from '../ledger/ledger.service.ts';
import { iso, json, lt } from './lookups.query.ts';
import { peopleByIds, type PersonLabel } from './people.ts';
import { maskSubject, type SubjectKeys } from './subject-crypto.ts';

type Row = {
  id: number;
  subject_masked: unknown;
  category: string;
  reason: string;
  against_person_ids: number[];
  active: boolean;
  added_by_name: string;
  created_at: Date;
  updated_at: Date;
};
const COLUMNS = ['id', 'subject_masked', 'category', 'reason', 'against_person_ids', 'active', 'added_by_name', 'created_at', 'updated_at'] as const;

function toEntry(r: Row, people: Map<number, PersonLabel>): WatchEntry {
  return {
    id: r.id,
    subject: json<MaskedSubject>(r.subject_masked),
    category: r.category as WatchCategory,
    reason: r.reason,
    against: r.against_person_ids.flatMap((id) => {
      const p = people.get(id);
      return p ? [{ personId: id, name: p.name, badgeNo: p.badgeNo }] : [];
    }),
    active: r.active,
    addedBy: r.added_by_name,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

async function entries(db: Db | Tx, rows: Row[]): Promise<WatchEntry[]> {
  const people = await peopleByIds(db, rows.flatMap((r) => r.against_person_ids));
  return rows.map((r) => toEntry(r, people));
}

/** The watch list is brigade-wide: a journalist is watched whoever looks them up. */
export async function listWatch(db: Db, query: z.output<typeof watchListQuery>): Promise<Page<WatchEntry>> {
  const { page, pageSize, category, active } = query;
  let q = lt(db).selectFrom('lookup_watchlist');
  if (category) q = q.where('category', '=', category);
  if (active) q = q.where('active', '=', active === 'true');
  const rows = await q.select([...COLUMNS, totalCount]).orderBy('id', 'desc').limit(pageSize).offset((page - 1) * pageSize).execute();
  const total = await totalOf(rows, page, async () => Number((await q.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n));
  return { items: await entries(db, rows), total, page, pageSize };
}

async function checkPeople(db: Db | Tx, ids: readonly number[]): Promise<void> {
  const found = await peopleByIds(db, ids);
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length > 0) throw new AppError(400, 'VALIDATION', `找不到人员：${missing.join('、')}`, [{ path: 'againstPersonIds', message: `找不到人员：${missing.join('、')}` }]);
}

export async function addWatch(db: Db, ctx: RequestContext, keys: SubjectKeys, input: z.output<typeof watchEntryCreate>): Promise<WatchEntry> {
  const h = keys.hashes(input.subject);
  const masked = maskSubject(input.subject);
  const against = [...new Set(input.againstPersonIds)];
  return inTransaction(db, async (trx) => {
    await checkPeople(trx, against);
    const row = await lt(trx)
      .insertInto('lookup_watchlist')
      .values({
        subject_plate_hash: h.plate,
        subject_id_hash: h.idNumber,
        subject_name_hash: h.name,
        subject_enc: keys.encrypt(input.subject),
        subject_masked: JSON.stringify(masked),
        category: input.category,
        reason: input.reason,
        against_person_ids: against,
        added_by_account_id: ctx.principal.accountId,
        added_by_name: ctx.principal.name,
      })
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
    await record(trx, ctx, { action: 'lookup.watch.add', subjectType: 'lookup_watch', subjectId: row.id, payload: { subject: masked, category: input.category, reason: input.reason, againstPersonIds: against } });
    return (await entries(trx, [row]))[0]!;
  });
}

export async function updateWatch(db: Db, ctx: RequestContext, id: number, input: z.output<typeof watchEntryUpdate>): Promise<WatchEntry> {
  return inTransaction(db, async (trx) => {
    const before = await lt(trx).selectFrom('lookup_watchlist').select(COLUMNS).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!before) throw notFound('关注对象');
    const against = input.againstPersonIds ? [...new Set(input.againstPersonIds)] : undefined;
    if (against) await checkPeople(trx, against);
    const row = await lt(trx)
      .updateTable('lookup_watchlist')
      .set({
        ...(input.category !== undefined ? { category: input.category } : {}),
        ...(input.reason !== undefined ? { reason: input.reason } : {}),
        ...(against !== undefined ? { against_person_ids: against } : {}),
        ...(input.active !== undefined ? { active: input.active } : {}),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
    const pick = (r: Row) => ({ category: r.category, reason: r.reason, againstPersonIds: r.against_person_ids, active: r.active });
    await record(trx, ctx, { action: 'lookup.watch.update', subjectType: 'lookup_watch', subjectId: id, payload: { before: pick(before), after: pick(row) } });
    return (await entries(trx, [row]))[0]!;
  });
}

/** A watch entry's subject in the clear; the read is ledgered first. */
export async function revealWatchSubject(db: Db, ctx: RequestContext, keys: SubjectKeys, id: number): Promise<MaskedSubject> {
  const row = await lt(db).selectFrom('lookup_watchlist').select('subject_enc').where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('关注对象');
  const subject = keys.decrypt(row.subject_enc);
  await recordAlone(db, ctx, { action: 'lookup.watch.pii.read', subjectType: 'lookup_watch', subjectId: id, payload: { fields: Object.entries(subject).filter(([, v]) => v !== null).map(([k]) => k) } });
  return subject;
}
