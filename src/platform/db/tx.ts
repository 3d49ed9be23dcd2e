import type { Transaction } from 'kysely';
import type { Db } from './database.ts';

export type Tx = Transaction<object>;

/** Runs `fn` in a transaction unless already inside one. */
export function inTransaction<T>(db: Db, fn: (trx: Tx) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db as Tx);
  return db.transaction().execute(fn);
}
