// What runs after look-ups are committed: the detection rules (detection.service.ts) for the
// accounts, subjects and certificates a batch or an import touched. Runs are coalesced and one at
// a time per database; a failure is logged, never thrown (the look-ups have committed).
import type { Db } from '../../platform/db/database.ts';
import type { RequestContext } from '../ledger/ledger.service.ts';
import { detectForBatch } from './detection.service.ts';
import type { LookupTouched } from './intake.service.ts';
import type { SubjectKeys } from './subject-crypto.ts';

export type Detect = (ctx: RequestContext, touched: LookupTouched) => Promise<unknown>;

/** The detection run for committed look-ups of this database. */
export function detectionHook(db: Db, keys: SubjectKeys): Detect {
  return (ctx, touched) => detectForBatch(db, ctx, touched, { keys });
}
