// The retroactive finding: when a device's history changes so that it was lawful on fewer days
// (a certificate found forged, a validity end moved earlier, a review date corrected, a
// suspension entered late), every capture it made that was lawful under the old registry state and
// is not under the new one is listed by outcome, and ONE alert carries the list, so the legal
// officer re-reviews them and revokes penalties already issued (L4 Art.41: unlawful captures are
// no evidence).
import type { AffectedRecords, DeviceState } from '../../contracts/devices.ts';
import { DEVICE_CONDITIONS } from '../../contracts/devices.ts';
import type { RuleParams } from '../../contracts/rules.ts';
import type { ResolvedScope } from '../../platform/authz/principal.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Tx } from '../../platform/db/tx.ts';
import { badRequest, notFound } from '../../platform/http/errors.ts';
import { raiseAlerts, type AlertInput } from '../alerts/alerts.service.ts';
import { recordEvidence } from '../enforcement/evidence.ts';
import { capturesOfDevice, capturesOfDevices, type DeviceCapture } from '../enforcement/records.service.ts';
import type { RequestContext } from '../ledger/ledger.service.ts';
import { BASIS } from '../rules/basis.ts';
import { isDeviceLawful } from '../rules/checks/device-lawful.ts';
import { currentRuleSet } from '../rules/rule-sets.service.ts';
import { beijingDateTime } from '../rules/time.ts';
import { registryFor, revisionStates } from './devices.repo.ts';

export const MAX_LISTED = 1000;
const MAX_EVIDENCE = 500;

export type Capture = DeviceCapture;

export interface AffectedCapture extends Capture {
  missing: string[];
}

/**
 * Pure: the captures lawful under `before` (every capture when null) and not lawful under
 * `after`, each with what is missing now.
 */
export function affectedCaptures(captures: readonly Capture[], before: DeviceState | null, after: DeviceState, params: RuleParams): AffectedCapture[] {
  const out: AffectedCapture[] = [];
  for (const c of captures) {
    const now = isDeviceLawful(after, c.violationCode, c.occurredAt, params);
    if (now.lawful) continue;
    if (before && !isDeviceLawful(before, c.violationCode, c.occurredAt, params).lawful) continue;
    out.push({ ...c, missing: now.missing.map((m) => m.condition) });
  }
  return out;
}

/** Penalties and warnings first (they entered the violation system), then by time. */
const ISSUED = new Set(['penalty', 'warning']);
const byImportance = (a: Capture, b: Capture) => Number(ISSUED.has(b.outcome)) - Number(ISSUED.has(a.outcome)) || a.occurredAt - b.occurredAt || a.id - b.id;

function countByOutcome(list: readonly Capture[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of list) out[c.outcome] = (out[c.outcome] ?? 0) + 1;
  return out;
}

const OUTCOME_LABELS: Record<string, string> = { penalty: '已处罚', warning: '已警告', held: '待审核', merged: '已合并', voided: '已作废' };

/** What changed in a way that matters to lawfulness (the revision number does not). */
const sameForRules = (a: DeviceState, b: DeviceState) => JSON.stringify({ ...a, revision: 0 }) === JSON.stringify({ ...b, revision: 0 });

export interface DeviceChange {
  before: DeviceState;
  after: DeviceState;
  owningUnitId: number;
  documentNo: string;
  now: number;
}

/**
 * Called by every registry change inside its transaction. Raises one alert (source `devices`,
 * subject the device) when the change makes earlier captures unlawful; returns how many.
 */
export function retroactiveFinding(trx: Tx, ctx: RequestContext, change: DeviceChange): Promise<number> {
  return retroactiveFindings(trx, ctx, [change]);
}

/**
 * The same for many changes at once (an import): the rule set once, the captures of every changed
 * device in one query, one `raiseAlerts` call — one alert per device whose change affects captures.
 * Returns the number of affected captures over all devices.
 */
export async function retroactiveFindings(trx: Tx, ctx: RequestContext, changes: readonly DeviceChange[]): Promise<number> {
  const relevant = changes.filter((c) => !sameForRules(c.before, c.after));
  if (relevant.length === 0) return 0;
  const [{ params, version }, captures] = await Promise.all([currentRuleSet(trx), capturesOfDevices(trx, relevant.map((c) => ({ deviceId: c.after.id, to: new Date(c.now) })))]);
  const alerts: AlertInput[] = [];
  let total = 0;
  for (const change of relevant) {
    const affected = affectedCaptures(captures.get(change.after.id) ?? [], change.before, change.after, params).sort(byImportance);
    if (affected.length === 0) continue;
    total += affected.length;
    alerts.push(findingAlert(change, affected, version));
  }
  if (alerts.length > 0) await raiseAlerts(trx, ctx, alerts);
  return total;
}

function findingAlert(change: Omit<DeviceChange, 'now'>, affected: AffectedCapture[], ruleSetVersion: number): AlertInput {
  const id = change.after.id;
  const byOutcome = countByOutcome(affected);
  const times = affected.map((a) => a.occurredAt);
  const first = Math.min(...times);
  const last = Math.max(...times);
  const conditions = [...new Set(affected.flatMap((a) => a.missing))];
  const issued = (byOutcome.penalty ?? 0) + (byOutcome.warning ?? 0);
  const counts = Object.entries(byOutcome).map(([o, n]) => `${OUTCOME_LABELS[o] ?? o}${n}条`).join('、');
  return {
    source: 'devices',
    rule: 'R-DEVICE-LAWFUL',
    ruleSetVersion,
    subjectType: 'device',
    subjectId: id,
    subjectLabel: `设备${id}`,
    unitId: change.owningUnitId,
    personId: null,
    severity: issued > 0 ? 'high' : 'medium',
    title: `设备${id}台账变更后，${affected.length}条抓拍记录失去合法依据`,
    explanation:
      `依据${change.documentNo}，设备${id}的台账由第${change.before.revision}版改为第${change.after.revision}版后，` +
      `${beijingDateTime(first)}至${beijingDateTime(last)}间的${affected.length}条抓拍记录（${counts}）在抓拍时不再符合合法使用条件（${conditions.map((c) => DEVICE_CONDITIONS[c as keyof typeof DEVICE_CONDITIONS] ?? c).join('、')}）。` +
      (issued > 0 ? `其中${issued}条已作出处罚或警告，请法制员逐条复核，依法在交通管理信息系统中撤销。` : '请法制员逐条复核。'),
    basis: BASIS['R-DEVICE-LAWFUL'],
    facts: {
      deviceId: id,
      fromRevision: change.before.revision,
      toRevision: change.after.revision,
      documentNo: change.documentNo,
      total: affected.length,
      byOutcome,
      firstAt: new Date(first).toISOString(),
      lastAt: new Date(last).toISOString(),
      conditions,
      listedInEvidence: Math.min(affected.length, MAX_EVIDENCE),
    },
    evidence: affected.slice(0, MAX_EVIDENCE).map((a) => ({
      ...recordEvidence({ id: a.id, plate: a.plate, code: a.violationCode, occurredAt: a.occurredAt, road: a.road, deviceId: id }),
      label: `${OUTCOME_LABELS[a.outcome] ?? a.outcome} ${beijingDateTime(a.occurredAt)} ${a.plate} ${a.violationCode}`,
    })),
    dedupKey: `${id}|r${change.after.revision}`,
    occurredAt: new Date(last),
  };
}

/**
 * The API's view: captures of the device in [from, to) not lawful under its current revision —
 * with `sinceRevision`, only those that were lawful under that earlier revision.
 */
export async function affectedRecords(db: Db, scope: ResolvedScope, id: string, q: { from?: string | undefined; to?: string | undefined; sinceRevision?: number | undefined }): Promise<AffectedRecords> {
  const registered = (await registryFor(db, [id])).get(id);
  if (!registered || !(scope.all || scope.unitIds.includes(registered.owningUnitId))) throw notFound('设备');
  const current = registered.state;
  let before: DeviceState | null = null;
  if (q.sinceRevision !== undefined) {
    if (q.sinceRevision >= current.revision) throw badRequest('对比版本应早于当前版本', [{ path: 'sinceRevision', message: `当前为第${current.revision}版` }]);
    before = (await revisionStates(db, [{ deviceId: id, revision: q.sinceRevision }])).get(`${id}#${q.sinceRevision}`) ?? null;
    if (!before) throw badRequest('对比版本不存在', [{ path: 'sinceRevision', message: '对比版本不存在' }]);
  }
  const [{ params }, captures] = await Promise.all([currentRuleSet(db), capturesOfDevice(db, id, q.from ? new Date(q.from) : null, q.to ? new Date(q.to) : null)]);
  const affected = affectedCaptures(captures, before, current, params).sort(byImportance);
  return {
    deviceId: id,
    revision: current.revision,
    sinceRevision: q.sinceRevision ?? null,
    from: q.from ?? null,
    to: q.to ?? null,
    total: affected.length,
    byOutcome: countByOutcome(affected),
    items: affected.slice(0, MAX_LISTED).map((a) => ({ id: a.id, occurredAt: new Date(a.occurredAt).toISOString(), plate: a.plate, violationCode: a.violationCode, outcome: a.outcome, missing: a.missing })),
  };
}
