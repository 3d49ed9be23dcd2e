// Helpers for tests that need alerts: a finding with sensible defaults, and raising a batch in a
// transaction of its own, as a detector run would.
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import { bootstrapContext } from '../../platform/bootstrap.ts';
import type { RequestContext } from '../ledger/ledger.service.ts';
import { raiseAlerts, type AlertInput, type RaiseResult } from './alerts.service.ts';

export const detectorCtx: RequestContext = bootstrapContext('告警测试');

let serial = 0;

/** One finding; every call a new dedup key unless given. */
export function finding(overrides: Partial<AlertInput> = {}): AlertInput {
  serial += 1;
  return {
    source: 'enforcement',
    rule: 'T-SAMPLE',
    ruleSetVersion: 1,
    subjectType: 'record',
    subjectId: String(100_000 + serial),
    subjectLabel: `苏A${String(10_000 + serial).slice(-5)}`,
    unitId: null,
    personId: null,
    severity: 'medium',
    title: `测试告警 ${serial}`,
    explanation: '同一货车30日内被同一民警处罚3次',
    basis: '《道路交通安全法》第八十七条',
    facts: { count: 3, windowDays: 30 },
    evidence: [{ recordId: 1, plate: '苏A12345', fineYuan: 200 }],
    dedupKey: `k-${serial}`,
    occurredAt: new Date('2026-03-01T08:00:00+08:00'),
    ...overrides,
  };
}

export function raise(db: Db, inputs: AlertInput[], ctx: RequestContext = detectorCtx): Promise<RaiseResult> {
  return db.transaction().execute((trx) => raiseAlerts(trx, ctx, inputs));
}

/** Counts the statements run through a Kysely handle (for "one query per chunk, not per row"). */
export class QueryCounter implements KyselyPlugin {
  count = 0;
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.count += 1;
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}
