// The look-up rules' parameter versions (lookup_rule_sets): immutable, version 1 = the defaults,
// an edit writes version n+1 (ledgered). Alerts name the version that raised them, so a finding
// can be replayed under the parameters it was made with.
import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Generated } from 'kysely';
import { z } from 'zod';
import { DEFAULT_LOOKUP_RULE_PARAMS, LOOKUP_RULE_PARAM_LABELS, lookupRuleParams, type LookupRuleParams, type LookupRuleSet } from '../../contracts/lookup-rules.ts';
import type { Db } from '../../platform/db/database.ts';
import { inTransaction, type Tx } from '../../platform/db/tx.ts';
import { notFound } from '../../platform/http/errors.ts';
import { record, type RequestContext } from '../ledger/ledger.service.ts';

export type LookupRuleTables = {
  lookup_rule_sets: { version: number; params: unknown; note: string; created_by: number | null; created_at: Generated<Date> };
  personnel_subjects: {
    id: Generated<number>;
    person_id: number;
    relation: string;
    field: string;
    hash: string;
    masked: string;
    note: Generated<string>;
    added_by: string;
    created_at: Generated<Date>;
  };
};

const t = (db: Db | Tx) => db.withTables<LookupRuleTables>();
const parse = (v: unknown): LookupRuleParams => lookupRuleParams.parse(typeof v === 'string' ? JSON.parse(v) : v);

/**
 * What the API shows for the L-RANDOM sampling key. Whoever knows the key can tell which look-ups
 * the sample will pick, so it never leaves the server: reads show this, and a save that sends it
 * back keeps the current key.
 */
export const SECRET_PARAM_MASK = '***';

/** The parameters as the API and the ledger show them: the sampling key masked. */
export function withoutSecrets(set: LookupRuleSet): LookupRuleSet {
  return { ...set, params: { ...set.params, randomKey: SECRET_PARAM_MASK } };
}

/**
 * Version 1 holds the defaults, with a sampling key of its own drawn for this installation (the
 * default in the contract is public); written with the reference data when no version exists.
 */
export async function ensureDefaultLookupRuleSet(trx: Tx, ctx: RequestContext): Promise<void> {
  const params: LookupRuleParams = { ...DEFAULT_LOOKUP_RULE_PARAMS, randomKey: crypto.randomBytes(18).toString('base64url') };
  const inserted = await t(trx)
    .insertInto('lookup_rule_sets')
    .values({ version: 1, params: JSON.stringify(params), note: '默认参数', created_by: null })
    .onConflict((oc) => oc.column('version').doNothing())
    .returning('version')
    .executeTakeFirst();
  if (inserted) await record(trx, ctx, { action: 'lookups.rules.version.create', subjectType: 'lookup_rule_set', subjectId: 1, payload: { params: { ...params, randomKey: SECRET_PARAM_MASK }, note: '默认参数' } });
}

/** The current version (parsed with today's schema: parameters added later take their defaults). */
export async function currentLookupRuleSet(db: Db | Tx): Promise<LookupRuleSet> {
  const row = await t(db).selectFrom('lookup_rule_sets').selectAll().orderBy('version', 'desc').limit(1).executeTakeFirst();
  if (!row) return { version: 0, params: DEFAULT_LOOKUP_RULE_PARAMS, note: '默认参数（未写入）', createdAt: new Date(0).toISOString() };
  return { version: row.version, params: parse(row.params), note: row.note, createdAt: new Date(row.created_at).toISOString() };
}

export async function lookupRuleSet(db: Db | Tx, version: number): Promise<LookupRuleSet> {
  const row = await t(db).selectFrom('lookup_rule_sets').selectAll().where('version', '=', version).executeTakeFirst();
  if (!row) throw notFound(`查询审计规则版本 ${version} `);
  return { version: row.version, params: parse(row.params), note: row.note, createdAt: new Date(row.created_at).toISOString() };
}

export const lookupRuleSetCreate = z.strictObject({
  params: lookupRuleParams,
  note: z.string({ message: '请填写修改说明' }).trim().min(1, '请填写修改说明').max(500, '修改说明不能超过500个字符'),
});

export async function createLookupRuleSet(db: Db, ctx: RequestContext, input: z.output<typeof lookupRuleSetCreate>): Promise<LookupRuleSet> {
  const version = await inTransaction(db, async (trx) => {
    // Two inspectors saving at once must not both write version n+1.
    await sql`LOCK TABLE lookup_rule_sets IN EXCLUSIVE MODE`.execute(trx);
    const before = await currentLookupRuleSet(trx);
    const next = before.version + 1;
    // the masked key sent back by a form that only read it: keep the current one
    const params = input.params.randomKey === SECRET_PARAM_MASK ? { ...input.params, randomKey: before.params.randomKey } : input.params;
    await t(trx).insertInto('lookup_rule_sets').values({ version: next, params: JSON.stringify(params), note: input.note, created_by: ctx.principal.accountId }).execute();
    const changes = (Object.keys(LOOKUP_RULE_PARAM_LABELS) as Array<keyof LookupRuleParams>)
      .filter((k) => JSON.stringify(before.params[k]) !== JSON.stringify(params[k]))
      .map((k) => ({ key: k, label: LOOKUP_RULE_PARAM_LABELS[k], before: k === 'randomKey' ? SECRET_PARAM_MASK : before.params[k], after: k === 'randomKey' ? SECRET_PARAM_MASK : params[k] }));
    await record(trx, ctx, { action: 'lookups.rules.version.create', subjectType: 'lookup_rule_set', subjectId: next, payload: { note: input.note, changes } });
    return next;
  });
  return lookupRuleSet(db, version);
}
