// The personnel identifier registry (personnel_subjects): the ID numbers and vehicles of the
// brigade's people and of their registered relatives, hashed with the look-up subjects' key, so
// L-SELF, L-KIN and L-COLLEAGUE can match look-ups against them without anyone's data in the clear.
// Inspectors maintain it (API below, schemas in src/contracts/lookup-rules.ts); the demo seeds it.
import { sql } from 'kysely';
import type { PersonnelSubject, PersonnelSubjectCreate } from '../../contracts/lookup-rules.ts';
import type { Db } from '../../platform/db/database.ts';
import { inTransaction, type Tx } from '../../platform/db/tx.ts';
import { AppError, notFound } from '../../platform/http/errors.ts';
import { maskIdNumber } from '../../platform/mask.ts';
import { record, type RequestContext } from '../ledger/ledger.service.ts';
import type { LookupRuleTables } from './detection.params.ts';
import { maskPlate, type SubjectKeys } from './subject-crypto.ts';

const t = (db: Db | Tx) => db.withTables<LookupRuleTables>();

/** Adds entries (set-based, idempotent per person, field and value); ledgered without the values. */
export async function addPersonnelSubjects(db: Db | Tx, ctx: RequestContext, keys: SubjectKeys, entries: readonly PersonnelSubjectCreate[]): Promise<number> {
  const rows = entries.flatMap((e) => [
    ...(e.plate ? [{ person_id: e.personId, relation: e.relation, field: 'plate', hash: keys.hash('plate', e.plate), masked: maskPlate(e.plate)!, note: e.note, added_by: ctx.principal.name }] : []),
    ...(e.idNumber ? [{ person_id: e.personId, relation: e.relation, field: 'idNumber', hash: keys.hash('idNumber', e.idNumber), masked: maskIdNumber(e.idNumber)!, note: e.note, added_by: ctx.principal.name }] : []),
  ]);
  if (rows.length === 0) return 0;
  return inTransaction(db as Db, async (trx) => {
    const persons = [...new Set(rows.map((r) => r.person_id))];
    const { rows: known } = await sql<{ id: number }>`SELECT id FROM personnel WHERE id = ANY(${persons}::int[])`.execute(trx);
    const missing = persons.filter((p) => !known.some((k) => k.id === p));
    if (missing.length > 0) throw new AppError(400, 'PERSON_NOT_FOUND', `人员不存在：${missing.join('、')}`);
    let added = 0;
    for (let i = 0; i < rows.length; i += 1000) {
      const chunk = rows.slice(i, i + 1000);
      const res = await t(trx).insertInto('personnel_subjects').values(chunk).onConflict((oc) => oc.columns(['person_id', 'field', 'hash']).doNothing()).returning('id').execute();
      added += res.length;
    }
    await record(trx, ctx, {
      action: 'lookups.personnel_subjects.add',
      subjectType: 'personnel_subjects',
      subjectId: persons.length === 1 ? persons[0]! : `${persons.length}人`,
      payload: { added, entries: rows.map((r) => ({ personId: r.person_id, relation: r.relation, field: r.field, masked: r.masked })).slice(0, 200) },
    });
    return added;
  });
}

/** The registry, masked, with each person's name and 警号 (one query). */
export async function listPersonnelSubjects(db: Db, personId?: number): Promise<PersonnelSubject[]> {
  const { rows } = await sql<{ id: number; person_id: number; name: string | null; badge_no: string | null; relation: string; field: string; masked: string; note: string; added_by: string; created_at: Date | string }>`
    SELECT s.id, s.person_id, p.name, p.badge_no, s.relation, s.field, s.masked, s.note, s.added_by, s.created_at
      FROM personnel_subjects s LEFT JOIN personnel p ON p.id = s.person_id
     WHERE ${personId === undefined ? sql`true` : sql`s.person_id = ${personId}`}
     ORDER BY s.person_id, s.id
     LIMIT 5000`.execute(db);
  return rows.map((r) => ({
    id: r.id,
    personId: r.person_id,
    personName: r.name ?? '',
    badgeNo: r.badge_no ?? '',
    relation: r.relation as 'self' | 'kin',
    field: r.field as 'plate' | 'idNumber',
    masked: r.masked,
    note: r.note,
    addedBy: r.added_by,
    createdAt: new Date(r.created_at).toISOString(),
  }));
}

/**
 * Removes a wrong entry. The table has no active flag, so the row goes; the ledger entry keeps
 * what it was (masked) and why. Alerts already raised keep their own facts (matched person,
 * relation, field), and a later run simply no longer matches the entry.
 */
export async function removePersonnelSubject(db: Db, ctx: RequestContext, id: number, reason: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    const row = await t(trx).deleteFrom('personnel_subjects').where('id', '=', id).returningAll().executeTakeFirst();
    if (!row) throw notFound('登记项');
    await record(trx, ctx, {
      action: 'lookups.personnel_subjects.remove',
      subjectType: 'personnel_subjects',
      subjectId: row.person_id,
      payload: { id: row.id, personId: row.person_id, relation: row.relation, field: row.field, masked: row.masked, note: row.note, addedBy: row.added_by, createdAt: new Date(row.created_at).toISOString(), reason },
    });
  });
}
