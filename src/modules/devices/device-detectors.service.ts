// Runs the device detectors (rules/device-detectors.ts) over the daily capture counts and raises
// their findings as alerts of the owning unit: after each batch for the devices it touched
// (coalesced, one run at a time per database, off the intake's answer path), in full on demand,
// and the verification reminders on a timer. Every query is a GROUP BY over every device at once
// (or a key list), never one per device.
import { sql } from 'kysely';
import { DEVICE_TYPE_RULES, type DeviceStatusEvent, type DeviceType } from '../../contracts/devices.ts';
import type { DeviceDetectorId, DeviceDetectorRun } from '../../contracts/device-captures.ts';
import type { RuleParams } from '../../contracts/rules.ts';
import { startPeriodic } from '../../platform/periodic.ts';
import { bootstrapContext } from '../../platform/bootstrap.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Tx } from '../../platform/db/tx.ts';
import { closedFindings, raiseAlerts, type AlertInput } from '../alerts/alerts.service.ts';
import type { RequestContext } from '../ledger/ledger.service.ts';
import {
  dayIndexOf,
  detectDeviceSpikes,
  detectNewDeviceHigh,
  monthStartOf,
  verificationReminders,
  type DayRange,
  type DeviceFinding,
  type DeviceProfile,
  type SeriesPoint,
} from '../rules/device-detectors.ts';
import { detectDisallowedCodes, detectFreightShare } from '../rules/device-detectors.mix.ts';
import { currentRuleSet } from '../rules/rule-sets.service.ts';
import { beijingDay, dayIndexToIso } from '../rules/time.ts';
import { dailyTotals, disallowedCodeDays } from './captures.service.ts';

/** How far back a run looks for findings (days, today included). */
export const DEVICE_DETECTOR_DAYS = 90;
const MAX_EVIDENCE = 500;

/** What the detectors need from the registry about one device. */
export interface DeviceFacts {
  id: string;
  type: DeviceType;
  owningUnitId: number;
  allowedCodes: string[];
  road: string;
  description: string | null;
  statusHistory: DeviceStatusEvent[];
  status: string;
  verification: { certificateNo: string; validTo: string } | null;
}

const asJson = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

/** Every registered device (`ids`: only these), one query. */
export async function deviceFacts(q: Db | Tx, ids?: readonly string[]): Promise<Map<string, DeviceFacts>> {
  const { rows } = await sql<{
    id: string;
    type: DeviceType;
    owning_unit_id: number;
    allowed_codes: string[];
    road: string;
    location_description: string | null;
    status_history: unknown;
    status: string;
    verification_cert_no: string | null;
    valid_to: string | null;
  }>`
    SELECT id, type, owning_unit_id, allowed_codes, road, location_description, status_history, status, verification_cert_no,
           to_char(verification_valid_to, 'YYYY-MM-DD') AS valid_to
      FROM devices ${ids ? sql`WHERE id = ANY(${[...ids]}::text[])` : sql``}`.execute(q);
  return new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        type: r.type,
        owningUnitId: r.owning_unit_id,
        allowedCodes: r.allowed_codes,
        road: r.road,
        description: r.location_description,
        statusHistory: asJson<DeviceStatusEvent[]>(r.status_history),
        status: r.status,
        verification: r.verification_cert_no && r.valid_to ? { certificateNo: r.verification_cert_no, validTo: r.valid_to } : null,
      },
    ]),
  );
}

/** The registry's commissioning day: the first day of the device's earliest `active` status. */
export function commissionedOn(d: Pick<DeviceFacts, 'statusHistory'>): string | null {
  const active = d.statusHistory.filter((s) => s.status === 'active').map((s) => s.from);
  return active.length ? active.reduce((a, b) => (a < b ? a : b)) : null;
}

const activeOn = (d: DeviceFacts, day: string) => {
  let current: DeviceStatusEvent | undefined;
  for (const s of d.statusHistory) if (s.from <= day && (!current || s.from >= current.from)) current = s;
  return current?.status === 'active';
};

/** First capture day of each device, one statement (an index probe per device on the primary key). */
async function firstDays(q: Db | Tx, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const { rows } = await sql<{ id: string; first: string | null }>`
    SELECT k.id, (SELECT to_char(min(c.day), 'YYYY-MM-DD') FROM device_daily_captures c WHERE c.device_id = k.id) AS first
      FROM unnest(${[...ids]}::text[]) AS k(id)`.execute(q);
  return new Map(rows.filter((r) => r.first !== null).map((r) => [r.id, r.first!]));
}

export interface DeviceDetection {
  version: number;
  params: RuleParams;
  findings: DeviceFinding[];
  registry: Map<string, DeviceFacts>;
}

/**
 * The findings of every device detector over days [range.from, range.to] for `targets`
 * ('all': every device with captures or in the registry), under the current rule set. Reads:
 * the registry (one query), every device's daily totals from the earliest day any detector
 * needs (one GROUP BY: peers are needed for the peer comparisons), first capture days (one
 * statement), and the targets' captures of disallowed codes (one query).
 */
export async function detectDevices(db: Db | Tx, targets: ReadonlySet<string> | 'all', range: DayRange, opts: { reminders?: boolean; today?: string } = {}): Promise<DeviceDetection> {
  const { version, params } = await currentRuleSet(db);
  const registry = await deviceFacts(db);
  const loadFrom = dayIndexToIso(Math.min(dayIndexOf(range.from) - params.deviceSpikeBaselineDays, dayIndexOf(monthStartOf(range.from))));
  const rows = await dailyTotals(db, 'all', loadFrom, range.to);
  const ids = [...new Set([...registry.keys(), ...rows.map((r) => r.deviceId)])];
  const first = await firstDays(db, ids);
  const profiles = new Map<string, DeviceProfile>(
    ids.map((id) => {
      const d = registry.get(id);
      return [id, { deviceId: id, type: d?.type ?? null, commissionedOn: d ? commissionedOn(d) : null, firstCaptureDay: first.get(id) ?? null, allowedCodes: d?.allowedCodes ?? null }];
    }),
  );
  const isTarget = (id: string) => targets === 'all' || targets.has(id);
  const allowed = new Map([...registry.values()].filter((d) => isTarget(d.id)).map((d) => [d.id, d.allowedCodes]));
  const codeRange = { from: monthStartOf(range.from), to: range.to };
  const codeRows = await disallowedCodeDays(db, allowed, codeRange.from, codeRange.to);

  const own = rows.filter((r) => isTarget(r.deviceId));
  const findings = [
    ...detectDeviceSpikes(own, profiles, range, params, version),
    ...detectNewDeviceHigh(rows, profiles, range, params, version),
    ...detectDisallowedCodes(codeRows, profiles, codeRange, version),
    ...detectFreightShare(rows, profiles, range, params, version),
  ];
  if (opts.reminders) {
    const today = opts.today ?? range.to;
    const due = [...registry.values()]
      .filter((d) => isTarget(d.id) && d.verification && DEVICE_TYPE_RULES[d.type].verification && activeOn(d, today))
      .map((d) => ({ deviceId: d.id, ...d.verification! }));
    findings.push(...verificationReminders(due, today, params, version));
  }
  return { version, params, findings: findings.filter((f) => isTarget(f.deviceId)), registry };
}

/** The detector window ending today (Beijing): DEVICE_DETECTOR_DAYS days, today included. */
export function detectorRange(now: number): DayRange {
  const today = beijingDay(now);
  return { from: dayIndexToIso(dayIndexOf(today) - DEVICE_DETECTOR_DAYS + 1), to: today };
}

/**
 * Runs the device detectors (and the verification reminders) for `targets` over the window
 * ending today and raises their findings as alerts; a finding a person closed (dismissed or
 * resolved) with no open alert of the same key is left alone. Returns the alerts created and
 * the findings per detector.
 */
export async function runDeviceDetectors(db: Db, ctx: RequestContext, targets: ReadonlySet<string> | 'all', now = Date.now()): Promise<DeviceDetectorRun> {
  const range = detectorRange(now);
  const { findings, registry } = await detectDevices(db, targets, range, { reminders: true, today: range.to });
  const counts: Record<string, number> = {};
  for (const f of findings) counts[f.detector] = (counts[f.detector] ?? 0) + 1;
  if (findings.length === 0) return { alerts: 0, findings: counts };
  const inputs = findings.map((f) => toAlert(f, registry));
  const closed = await closedFindings(db, inputs.map((a) => ({ rule: a.rule, dedupKey: a.dedupKey })));
  const open = inputs.filter((a) => !closed.has(`${a.rule}\u0000${a.dedupKey}`));
  if (open.length === 0) return { alerts: 0, findings: counts };
  const created = await db.transaction().execute(async (trx) => (await raiseAlerts(trx, ctx, open)).created);
  return { alerts: created, findings: counts };
}

const EVIDENCE_KIND: Record<DeviceDetectorId, string> = {
  'D-DEVICE-SPIKE': '日抓拍量',
  'D-DEVICE-NEW-HIGH': '日抓拍量（与同类设备比）',
  'D-DEVICE-CODES': '未准许代码抓拍量',
  'D-DEVICE-FREIGHT': '日抓拍量（含货车）',
  'R-DEVICE-VERIFY-DUE': '计量检定证书',
};

/** A day of the chart as an evidence row: the numbers, and one readable line. */
function evidenceRow(f: DeviceFinding, p: SeriesPoint): Record<string, unknown> {
  const parts = [p.day, p.code ? `代码${p.code}` : null, `抓拍${p.captures}起`, p.freight !== undefined ? `货车${p.freight}起` : null, p.baseline !== undefined ? `对照${p.baseline}` : null, p.flagged ? '异常' : null];
  return {
    kind: EVIDENCE_KIND[f.detector],
    day: p.day,
    deviceId: f.deviceId,
    ...(p.code ? { code: p.code } : {}),
    count: p.captures,
    ...(p.freight !== undefined ? { freight: p.freight } : {}),
    ...(p.baseline !== undefined ? { baseline: p.baseline } : {}),
    flagged: p.flagged,
    label: parts.filter(Boolean).join(' '),
    url: `/devices?id=${encodeURIComponent(f.deviceId)}`,
  };
}

export function toAlert(f: DeviceFinding, registry: ReadonlyMap<string, DeviceFacts>): AlertInput {
  const d = registry.get(f.deviceId);
  const where = d ? [d.road, d.description].filter(Boolean).join(' ') : '';
  const series = f.series.length > MAX_EVIDENCE ? f.series.slice(-MAX_EVIDENCE) : f.series;
  const evidence =
    f.detector === 'R-DEVICE-VERIFY-DUE'
      ? [{ kind: EVIDENCE_KIND[f.detector], deviceId: f.deviceId, ref: String(f.facts.certificateNo), day: String(f.facts.validTo), label: `证书${String(f.facts.certificateNo)} 有效期至${String(f.facts.validTo)}`, url: `/devices?id=${encodeURIComponent(f.deviceId)}` }]
      : series.map((p) => evidenceRow(f, p));
  return {
    source: 'devices',
    rule: f.detector,
    ruleSetVersion: f.ruleSetVersion,
    subjectType: 'device',
    subjectId: f.deviceId,
    subjectLabel: (where ? `${f.deviceId}（${where}）` : f.deviceId).slice(0, 200),
    unitId: d?.owningUnitId ?? null,
    personId: null,
    severity: f.severity,
    title: f.title.slice(0, 200),
    explanation: f.explanation.slice(0, 4000),
    basis: f.basis,
    facts: { ...f.facts, marks: f.marks.slice(0, 100) },
    evidence,
    dedupKey: f.dedupKey,
    occurredAt: new Date(`${f.occurredOn}T00:00:00+08:00`),
  };
}

// ---- after-batch scheduling ----

interface Queue {
  pending: Set<string> | null;
  running: Promise<void> | null;
  waiters: Array<() => void>;
}
const queues = new WeakMap<Db, Queue>();

/**
 * Queues the devices a batch touched; the device detectors run for them after the batch's answer,
 * one run at a time per database, devices of batches arriving meanwhile merged into the next run.
 * Resolves when a run covering them has finished; failures are logged, never thrown (a detector
 * problem must not fail an intake that has committed).
 */
export function scheduleDeviceDetectors(db: Db, deviceIds: Iterable<string>, log: (e: unknown) => void = (e) => console.error('device detectors failed', e)): Promise<void> {
  const ids = [...deviceIds];
  if (ids.length === 0) return Promise.resolve();
  const q = queues.get(db) ?? queues.set(db, { pending: null, running: null, waiters: [] }).get(db)!;
  const p = (q.pending ??= new Set());
  for (const id of ids) p.add(id);
  const done = new Promise<void>((resolve) => q.waiters.push(resolve));
  q.running ??= drain(db, q, log);
  return done;
}

async function drain(db: Db, q: Queue, log: (e: unknown) => void): Promise<void> {
  while (q.pending) {
    const ids = q.pending;
    q.pending = null;
    const resolved = q.waiters.splice(0);
    try {
      await runDeviceDetectors(db, bootstrapContext('设备抓拍异常检测'), ids);
    } catch (e) {
      log(e);
    }
    for (const r of resolved) r();
  }
  q.running = null;
}

/** Device ids among a batch's touched checkpoints (`device:<id>`). */
export function touchedDevices(checkpoints: Iterable<string>): string[] {
  return [...checkpoints].filter((c) => c.startsWith('device:')).map((c) => c.slice(7));
}

/** Resolves when no device detector run is queued or running for this database (tests, shutdown). */
export async function deviceDetectorsIdle(db: Db): Promise<void> {
  for (let q = queues.get(db); q?.running; ) await q.running;
}

/** Every 6 hours (and once shortly after start): the detectors in full, so verification reminders come due without captures. */
export const DEVICE_SWEEP_MS = 6 * 3_600_000;

export function startDeviceDetectorTimer(db: Db, log: { error(o: object, msg: string): void }): { stop(): void } {
  return startPeriodic(() => runDeviceDetectors(db, bootstrapContext('设备检测定时任务'), 'all'), { firstAfterMs: 15_000, everyMs: DEVICE_SWEEP_MS, log, failure: 'device detector sweep failed' });
}
