import { sql, type Transaction } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { Principal } from '../../platform/authz/principal.ts';
import type { LedgerTables } from './ledger.tables.ts';
import type { LedgerEntry } from '../../contracts/ledger.ts';

/** Who acted, on which request, from where: everything an entry needs beyond the change itself. */
export interface RequestContext {
  principal: Principal;
  requestId: string;
  clientIp: string;
}

/** One fact for the record. `payload` carries before/after for changes, never secrets. */
export interface LedgerRecord {
  action: string;
  subjectType: string;
  subjectId: string | number;
  payload?: Record<string, unknown>;
}

/**
 * The single operation-record function: every service calls it inside the transaction that makes
 * the change, so the change and its record commit or roll back together.
 */
export async function record(trx: Transaction<object>, ctx: RequestContext, ...records: LedgerRecord[]): Promise<number[]> {
  if (records.length === 0) return [];
  if (!trx.isTransaction) throw new Error('ledger.record must run inside the transaction of the change');
  const t = trx.withTables<LedgerTables>();
  // The UPDATE locks the head row until commit: appends are serialized and seq stays gap-free.
  const head = await t
    .updateTable('ledger_head')
    .set({ size: sql`size + ${records.length}` })
    .where('id', '=', 1)
    .returning('size')
    .executeTakeFirstOrThrow();
  const first = Number(head.size) - records.length + 1;
  // Millisecond precision, so the stored time round-trips exactly through JSON.
  const at = new Date(Math.floor(Date.now()));
  const p = ctx.principal;
  await t
    .insertInto('ledger_entries')
    .values(
      records.map((r, i) => ({
        seq: first + i,
        at,
        actor_account_id: p.accountId,
        actor_person_id: p.personId,
        actor_name: p.name,
        action: r.action,
        subject_type: r.subjectType,
        subject_id: String(r.subjectId),
        payload: JSON.stringify(r.payload ?? {}),
        request_id: ctx.requestId,
        client_ip: ctx.clientIp,
      })),
    )
    .execute();
  return records.map((_, i) => first + i);
}

/** Records in a transaction of its own: for facts with no other change (a read, a denial). */
export async function recordAlone(db: Db, ctx: RequestContext, ...records: LedgerRecord[]): Promise<void> {
  await db.transaction().execute((trx) => record(trx, ctx, ...records));
}

export function toLedgerEntry(row: LedgerTables['ledger_entries']): LedgerEntry {
  return {
    seq: Number(row.seq),
    at: row.at.toISOString(),
    actorAccountId: row.actor_account_id,
    actorPersonId: row.actor_person_id,
    actorName: row.actor_name,
    action: row.action,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    payload: row.payload,
    requestId: row.request_id,
    clientIp: row.client_ip,
  };
}
