import { sql } from 'kysely';
import type { z } from 'zod';
import { DEFAULT_RULE_PARAMS, RULE_PARAM_LABELS, ruleParams, type RuleParams, type RuleSet, type ruleSetCreate } from '../../contracts/rules.ts';
import type { Db } from '../../platform/db/database.ts';
import { inTransaction, type Tx } from '../../platform/db/tx.ts';
import { notFound } from '../../platform/http/errors.ts';
import { record, type RequestContext } from '../ledger/ledger.service.ts';
import { accountLabels } from '../org/credentials.service.ts';
import type { RuleSetTables } from '../enforcement/enforcement.tables.ts';

// Rule sets are immutable versions: an edit writes version n+1. Decisions name their version, so
// a version's parameters are cached forever once read.

const t = (db: Db | Tx) => db.withTables<RuleSetTables>();
const paramsCache = new Map<number, RuleParams>();

/** Version 1 holds the defaults; written at start-up when no version exists. */
export async function ensureDefaultRuleSet(trx: Tx, ctx: RequestContext): Promise<void> {
  const inserted = await t(trx)
    .insertInto('rule_sets')
    .values({ version: 1, params: JSON.stringify(DEFAULT_RULE_PARAMS), note: '默认参数', created_by: null })
    .onConflict((oc) => oc.column('version').doNothing())
    .returning('version')
    .executeTakeFirst();
  if (inserted) await record(trx, ctx, { action: 'rules.version.create', subjectType: 'rule_set', subjectId: 1, payload: { params: DEFAULT_RULE_PARAMS, note: '默认参数' } });
}

export async function currentRuleSetVersion(db: Db | Tx): Promise<number> {
  const row = await t(db).selectFrom('rule_sets').select((eb) => eb.fn.max('version').as('v')).executeTakeFirst();
  if (!row?.v) throw new Error('no rule set: ensureDefaultRuleSet was not run');
  return Number(row.v);
}

/** The parameters of a version (cached: versions never change). */
export async function ruleParamsOf(db: Db | Tx, version: number): Promise<RuleParams> {
  const cached = paramsCache.get(version);
  if (cached) return cached;
  const row = await t(db).selectFrom('rule_sets').select('params').where('version', '=', version).executeTakeFirst();
  if (!row) throw notFound(`规则版本 ${version} `);
  // Parsed with today's schema: parameters added later take their defaults for old versions.
  const params = ruleParams.parse(typeof row.params === 'string' ? JSON.parse(row.params) : row.params);
  paramsCache.set(version, params);
  return params;
}

export async function currentRuleSet(db: Db | Tx): Promise<{ version: number; params: RuleParams }> {
  const version = await currentRuleSetVersion(db);
  return { version, params: await ruleParamsOf(db, version) };
}

type Row = { version: number; note: string; created_at: Date; created_by: number | null };

async function withNames(db: Db, rows: Row[]): Promise<Array<Omit<RuleSet, 'params'>>> {
  const labels = await accountLabels(db, { ids: rows.map((r) => r.created_by).filter((v): v is number => v !== null) });
  return rows.map((r) => ({
    version: r.version,
    note: r.note,
    createdAt: r.created_at.toISOString(),
    createdBy: r.created_by === null ? '系统' : (labels.get(r.created_by)?.personName ?? null),
  }));
}

export async function listRuleSets(db: Db): Promise<Array<Omit<RuleSet, 'params'>>> {
  const rows = await t(db).selectFrom('rule_sets').select(['version', 'note', 'created_at', 'created_by']).orderBy('version', 'desc').execute();
  return withNames(db, rows);
}

export async function getRuleSet(db: Db, version?: number): Promise<RuleSet> {
  const v = version ?? (await currentRuleSetVersion(db));
  const row = await t(db).selectFrom('rule_sets').select(['version', 'note', 'created_at', 'created_by']).where('version', '=', v).executeTakeFirst();
  if (!row) throw notFound(`规则版本 ${v} `);
  const [head] = await withNames(db, [row]);
  return { ...head!, params: await ruleParamsOf(db, v) };
}

export async function createRuleSet(db: Db, ctx: RequestContext, input: z.output<typeof ruleSetCreate>): Promise<RuleSet> {
  const version = await inTransaction(db, async (trx) => {
    // Two legal officers saving at once must not both write version n+1.
    await sql`LOCK TABLE rule_sets IN EXCLUSIVE MODE`.execute(trx);
    const before = await currentRuleSet(trx);
    const next = before.version + 1;
    await t(trx).insertInto('rule_sets').values({ version: next, params: JSON.stringify(input.params), note: input.note, created_by: ctx.principal.accountId }).execute();
    await record(trx, ctx, {
      action: 'rules.version.create',
      subjectType: 'rule_set',
      subjectId: next,
      payload: { note: input.note, changes: diffParams(before.params, input.params) },
    });
    return next;
  });
  return getRuleSet(db, version);
}

export function diffParams(before: RuleParams, after: RuleParams): Array<{ key: string; label: string; before: unknown; after: unknown }> {
  return (Object.keys(RULE_PARAM_LABELS) as Array<keyof RuleParams>)
    .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
    .map((k) => ({ key: k, label: RULE_PARAM_LABELS[k], before: before[k], after: after[k] }));
}

export async function diffRuleSets(db: Db, from: number, to: number) {
  const [a, b] = await Promise.all([ruleParamsOf(db, from), ruleParamsOf(db, to)]);
  return { from, to, changes: diffParams(a, b) };
}
