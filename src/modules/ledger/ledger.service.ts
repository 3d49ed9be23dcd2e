import type { Transaction } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { Principal } from '../../platform/authz/principal.ts';
import { newLeaves, storedPayload, type LeafCommon } from './leaf.ts';
import { appendLeaves, catchUp, lockHead, writeAppend } from './tree.repo.ts';

export { toLedgerEntry } from './leaf.ts';

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
 * A member that is also stored as a search-hint column: a lone surrogate (JSON can carry one)
 * becomes U+FFFD in the leaf as well, as the database's UTF-8 text column would store it — so the
 * leaf and its hint say the same thing and deep verify does not cry wolf.
 */
const hint = (text: string): string => (text.isWellFormed() ? text : text.toWellFormed());

/**
 * The single operation-record function: every service calls it inside the transaction that makes
 * the change, so the change and its record commit or roll back together. It appends the entries
 * to the Merkle log: locks the head (serializing appends, so seq stays gap-free), hashes the new
 * leaves onto the stored frontier, and writes entries (each with the leaf bytes it hashed: the
 * record), tree nodes and head in one statement.
 */
export async function record(trx: Transaction<object>, ctx: RequestContext, ...records: LedgerRecord[]): Promise<number[]> {
  if (records.length === 0) return [];
  if (!trx.isTransaction) throw new Error('ledger.record must run inside the transaction of the change');
  // Canonical payloads before the lock: appends wait on each other only for what needs the head.
  const payloads = records.map((r) => storedPayload(r.payload));
  let head = await lockHead(trx);
  // Entries from before the tree existed (migration 0003) are hashed by the first appender.
  if (head.treeSize < head.size) head = await catchUp(trx, head);
  // Millisecond precision, so the stored time round-trips exactly through JSON and the leaf.
  const at = new Date(Date.now()).toISOString();
  const p = ctx.principal;
  const common: LeafCommon = { at, actorAccountId: p.accountId, actorPersonId: p.personId, actorName: hint(p.name), requestId: hint(ctx.requestId), clientIp: hint(ctx.clientIp) };
  const firstSeq = head.size + 1;
  const subjects = records.map((r) => ({ action: hint(r.action), subjectType: hint(r.subjectType), subjectId: hint(String(r.subjectId)) }));
  const { leaves, hashes: leafHashes } = newLeaves(common, firstSeq, subjects, payloads);
  const { nodes, frontier } = appendLeaves(head.frontier, head.size, leafHashes);
  await writeAppend(trx, { firstSeq, common, subjects, leaves, leafHashes, nodes, frontier });
  return subjects.map((_, i) => firstSeq + i);
}

/** Records in a transaction of its own: for facts with no other change (a read, a denial). */
export async function recordAlone(db: Db, ctx: RequestContext, ...records: LedgerRecord[]): Promise<void> {
  await db.transaction().execute((trx) => record(trx, ctx, ...records));
}
