// Pattern detectors over penalties (the first three over freight vehicles). Each takes rows one
// GROUP BY query can produce (README.md gives the shapes and the query), never reads a table, and
// returns findings the alerts module stores, deduplicated by dedupKey. They flag for supervision;
// they never rank anyone.
import { platePrefix } from '../../contracts/plate.ts';
import type { RuleParams } from '../../contracts/rules.ts';
import { DETECTOR_BASIS } from './basis.ts';
import { percent, yuan } from './reason.ts';
import { beijingDay, beijingDayStartMs, DAY_MS, daysInMonth } from './time.ts';
import type { DetectorFinding, DetectorId, Severity, SubjectKind } from './types.ts';

/** A half-open period [from, to) in epoch ms, the range the rows were aggregated over. */
export interface Period {
  from: number;
  to: number;
}

interface Subject {
  subjectKind: SubjectKind;
  /** officer: 警号; checkpoint: `device:<device id>` (camera) or `road:<road>` (on-site) */
  subject: string;
}

/** zh-CN name of a subject; checkpoints keyed `device:<id>` or `road:<road>` read as such. */
export function subjectLabel(s: Subject): string {
  if (s.subjectKind === 'officer') return `民警（警号${s.subject}）`;
  if (s.subject.startsWith('device:')) return `监控设备${s.subject.slice(7)}`;
  if (s.subject.startsWith('road:')) return `执勤路段“${s.subject.slice(5)}”`;
  return `卡口“${s.subject}”`;
}
const periodKey = (p: Period) => `${beijingDay(p.from)}..${beijingDay(p.to - 1)}`;
const periodText = (p: Period) => `${beijingDay(p.from)}至${beijingDay(p.to - 1)}`;
const round = (n: number, digits = 4) => Math.round(n * 10 ** digits) / 10 ** digits;
const byKey = (a: DetectorFinding, b: DetectorFinding) => (a.dedupKey < b.dedupKey ? -1 : a.dedupKey > b.dedupKey ? 1 : 0);

function finding(detector: DetectorId, ruleSetVersion: number, s: Subject, f: Omit<DetectorFinding, 'detector' | 'ruleSetVersion' | 'subjectKind' | 'subject' | 'basis'>): DetectorFinding {
  return { detector, ruleSetVersion, subjectKind: s.subjectKind, subject: s.subject, basis: DETECTOR_BASIS[detector], ...f };
}

// ── D-TRUCK-REPEAT ──────────────────────────────────────────────────────────────────────────────

/** One penalised freight record (penalty, or an on-site fine). */
export interface PenalisedFreightRecord {
  id: number;
  plate: string;
  occurredAt: number;
  /** the deciding officer of an on-site record */
  officer?: string;
  /** `device:<device id>` (camera) or `road:<road>` (on-site) */
  checkpoint: string;
}

/**
 * The same freight vehicle penalised ≥ truckRepeatMin times within truckRepeatDays days by one
 * officer, or at one checkpoint. One finding per (plate, subject) and episode: flagged records
 * more than truckRepeatDays apart are separate episodes, so a re-run never folds a new episode
 * into an old alert. dedupKey names the episode's first record.
 */
export function detectTruckRepeat(records: readonly PenalisedFreightRecord[], params: RuleParams, ruleSetVersion: number): DetectorFinding[] {
  const { truckRepeatMin: min, truckRepeatDays: days } = params;
  const windowMs = days * DAY_MS;
  const groups = new Map<string, { s: Subject; plate: string; rows: Map<number, PenalisedFreightRecord> }>();
  const add = (r: PenalisedFreightRecord, s: Subject) => {
    const key = JSON.stringify([r.plate, s.subjectKind, s.subject]);
    const g = groups.get(key) ?? groups.set(key, { s, plate: r.plate, rows: new Map() }).get(key)!;
    g.rows.set(r.id, r);
  };
  for (const r of records) {
    add(r, { subjectKind: 'checkpoint', subject: r.checkpoint });
    if (r.officer) add(r, { subjectKind: 'officer', subject: r.officer });
  }

  const out: DetectorFinding[] = [];
  for (const { s, plate, rows } of groups.values()) {
    const list = [...rows.values()].sort((a, b) => a.occurredAt - b.occurredAt || a.id - b.id);
    if (list.length < min) continue;
    const flagged = new Array<boolean>(list.length).fill(false);
    const inWindow = new Array<number>(list.length).fill(0);
    for (let left = 0, right = 0; right < list.length; right++) {
      while (list[right]!.occurredAt - list[left]!.occurredAt > windowMs) left++;
      inWindow[right] = right - left + 1;
      if (right - left + 1 >= min) for (let i = left; i <= right; i++) flagged[i] = true;
    }
    const episodes: { rows: PenalisedFreightRecord[]; max: number }[] = [];
    list.forEach((r, i) => {
      if (!flagged[i]) return;
      const last = episodes.at(-1);
      const prev = last?.rows.at(-1);
      if (last && prev && r.occurredAt - prev.occurredAt <= windowMs) {
        last.rows.push(r);
        last.max = Math.max(last.max, inWindow[i]!);
      } else episodes.push({ rows: [r], max: inWindow[i]! });
    });
    for (const e of episodes) {
      const first = e.rows[0]!;
      const last = e.rows.at(-1)!;
      const ids = e.rows.map((r) => r.id);
      const severity: Severity = e.max >= 2 * min ? 'high' : 'medium';
      out.push(
        finding('D-TRUCK-REPEAT', ruleSetVersion, s, {
          severity,
          title: `货车短期内被反复处罚：${plate}（${subjectLabel(s)}）`,
          explanation:
            `货车${plate}于${beijingDay(first.occurredAt)}至${beijingDay(last.occurredAt)}被${subjectLabel(s)}处罚${ids.length}次，` +
            `任意${days}日内最多${e.max}次（阈值：${days}日内${min}次及以上）；记录编号${ids.join('、')}。` +
            `同一货车短期内被同一民警或在同一卡口反复处罚，可能存在重复处罚或以罚代管，请核查。`,
          facts: { plate, count: ids.length, maxInWindow: e.max, truckRepeatMin: min, truckRepeatDays: days, firstAt: first.occurredAt, lastAt: last.occurredAt, recordIds: ids },
          evidenceIds: ids,
          occurredAt: last.occurredAt,
          dedupKey: `D-TRUCK-REPEAT|${plate}|${s.subjectKind}:${s.subject}|${first.id}`,
        }),
      );
    }
  }
  return out.sort(byKey);
}

// ── D-FLAT-AMOUNT ───────────────────────────────────────────────────────────────────────────────

/** Freight fines of one subject, one code and one amount: `GROUP BY subject_kind, subject, code, fine_yuan`. */
export interface FineAmountRow extends Subject {
  code: string;
  fineYuan: number;
  count: number;
  recordIds?: number[];
}

/**
 * Charging per vehicle: a subject's freight fines are ≥ flatAmountMinFines, one amount has a
 * share ≥ flatAmountShare, and that one amount was charged across ≥ flatAmountMinCodes distinct
 * codes (different violations, same money).
 */
export function detectFlatAmount(rows: readonly FineAmountRow[], period: Period, params: RuleParams, ruleSetVersion: number): DetectorFinding[] {
  const { flatAmountMinFines: minFines, flatAmountShare: minShare, flatAmountMinCodes: minCodes } = params;
  const subjects = new Map<string, { s: Subject; total: number; codes: Set<string>; amounts: Map<number, { count: number; codes: Set<string>; ids: number[] }> }>();
  for (const r of rows) {
    if (!(r.count > 0) || !(r.fineYuan > 0)) continue;
    const key = JSON.stringify([r.subjectKind, r.subject]);
    const g = subjects.get(key) ?? subjects.set(key, { s: r, total: 0, codes: new Set(), amounts: new Map() }).get(key)!;
    g.total += r.count;
    g.codes.add(r.code);
    const a = g.amounts.get(r.fineYuan) ?? g.amounts.set(r.fineYuan, { count: 0, codes: new Set(), ids: [] }).get(r.fineYuan)!;
    a.count += r.count;
    a.codes.add(r.code);
    a.ids.push(...(r.recordIds ?? []));
  }
  const out: DetectorFinding[] = [];
  for (const { s, total, codes, amounts } of subjects.values()) {
    if (total < minFines) continue;
    const [amount, top] = [...amounts.entries()].sort((x, y) => y[1].count - x[1].count || x[0] - y[0])[0]!;
    const share = top.count / total;
    if (share < minShare || top.codes.size < minCodes) continue;
    const topCodes = [...top.codes].sort();
    out.push(
      finding('D-FLAT-AMOUNT', ruleSetVersion, s, {
        severity: 'medium',
        title: `货车罚款金额高度统一：${subjectLabel(s)} ${yuan(amount)}元`,
        explanation:
          `${subjectLabel(s)}在${periodText(period)}对货车罚款${total}笔，其中${top.count}笔（${percent(share)}）均为${yuan(amount)}元，` +
          `涉及${topCodes.length}种不同违法代码（${topCodes.join('、')}）（阈值：不少于${minFines}笔，同一金额占比不低于${percent(minShare)}，不少于${minCodes}种代码）。` +
          `不同违法行为罚款金额一致，可能存在按车收费，请核查。`,
        facts: { period, total, amount, amountCount: top.count, share: round(share), codesAtAmount: topCodes, distinctCodes: codes.size, flatAmountMinFines: minFines, flatAmountShare: minShare, flatAmountMinCodes: minCodes },
        evidenceIds: [...new Set(top.ids)].sort((a, b) => a - b),
        occurredAt: period.to - 1,
        dedupKey: `D-FLAT-AMOUNT|${s.subjectKind}:${s.subject}|${periodKey(period)}`,
      }),
    );
  }
  return out.sort(byKey);
}

// ── D-NONLOCAL ──────────────────────────────────────────────────────────────────────────────────

/** Is the plate non-local for the brigade (its 2-character prefix not in localPlatePrefixes)? */
export function isNonLocalPlate(plate: string, params: Pick<RuleParams, 'localPlatePrefixes'>): boolean {
  return !params.localPlatePrefixes.includes(platePrefix(plate));
}

/** A subject's freight penalties and how many were of non-local plates. */
export interface NonLocalRow extends Subject {
  total: number;
  nonLocal: number;
  /** the non-local records, when aggregated */
  recordIds?: number[];
}

export interface PenaltyTotals {
  total: number;
  nonLocal: number;
}

/**
 * Selective enforcement: a subject's non-local share of freight penalties is above the brigade-wide
 * share × nonLocalRatio, with at least nonLocalMinPenalties penalties.
 */
export function detectNonLocal(rows: readonly NonLocalRow[], brigade: PenaltyTotals, period: Period, params: RuleParams, ruleSetVersion: number): DetectorFinding[] {
  const { nonLocalRatio: ratio, nonLocalMinPenalties: min, localPlatePrefixes } = params;
  const baseline = brigade.total > 0 ? brigade.nonLocal / brigade.total : 0;
  const threshold = baseline * ratio;
  const out: DetectorFinding[] = [];
  for (const r of rows) {
    if (r.total < min || r.total <= 0) continue;
    const share = r.nonLocal / r.total;
    if (!(share > threshold)) continue;
    out.push(
      finding('D-NONLOCAL', ruleSetVersion, r, {
        severity: 'medium',
        title: `外地货车处罚占比偏高：${subjectLabel(r)}`,
        explanation:
          `${subjectLabel(r)}在${periodText(period)}处罚货车${r.total}起，其中外地号牌${r.nonLocal}起，占${percent(share)}；` +
          `全大队同期外地号牌货车占处罚总数的${percent(baseline)}（${brigade.nonLocal}/${brigade.total}），该比例超过全大队的${ratio}倍（${percent(threshold)}）` +
          `（本地号牌：${localPlatePrefixes.join('、')}；最少${min}起）。可能存在选择性执法，请核查。`,
        facts: { period, total: r.total, nonLocal: r.nonLocal, share: round(share), brigadeTotal: brigade.total, brigadeNonLocal: brigade.nonLocal, baseline: round(baseline), threshold: round(threshold), nonLocalRatio: ratio, nonLocalMinPenalties: min, localPlatePrefixes },
        evidenceIds: [...new Set(r.recordIds ?? [])].sort((a, b) => a - b),
        occurredAt: period.to - 1,
        dedupKey: `D-NONLOCAL|${r.subjectKind}:${r.subject}|${periodKey(period)}`,
      }),
    );
  }
  return out.sort(byKey);
}

// ── D-PERIOD-END ────────────────────────────────────────────────────────────────────────────────

/** A subject's penalties on one Beijing day: `GROUP BY subject_kind, subject, month, day`. */
export interface DailyPenaltyRow extends Subject {
  /** 'YYYY-MM' */
  month: string;
  /** 'YYYY-MM-DD', Beijing time, inside month */
  day: string;
  count: number;
  recordIds?: number[];
}

/**
 * Month-end spikes: penalties per day in the last periodEndDays days of a month are ≥
 * periodEndRatio × those of the rest of the month, with ≥ periodEndMinPenalties in the month.
 * Run over complete months only: a month still under way has an empty end.
 */
export function detectPeriodEnd(rows: readonly DailyPenaltyRow[], params: RuleParams, ruleSetVersion: number): DetectorFinding[] {
  const { periodEndDays: endDays, periodEndRatio: minRatio, periodEndMinPenalties: min } = params;
  const months = new Map<string, { s: Subject; month: string; end: number; rest: number; endIds: number[] }>();
  for (const r of rows) {
    if (!r.day.startsWith(`${r.month}-`) || !(r.count > 0)) continue;
    const key = JSON.stringify([r.subjectKind, r.subject, r.month]);
    const g = months.get(key) ?? months.set(key, { s: r, month: r.month, end: 0, rest: 0, endIds: [] }).get(key)!;
    if (Number(r.day.slice(8, 10)) > daysInMonth(r.month) - endDays) {
      g.end += r.count;
      g.endIds.push(...(r.recordIds ?? []));
    } else g.rest += r.count;
  }
  const out: DetectorFinding[] = [];
  for (const { s, month, end, rest, endIds } of months.values()) {
    const total = end + rest;
    if (total < min || end === 0) continue;
    const restDays = daysInMonth(month) - endDays;
    const endPerDay = end / endDays;
    const restPerDay = rest / restDays;
    const ratio = restPerDay > 0 ? endPerDay / restPerDay : Number.POSITIVE_INFINITY;
    if (ratio < minRatio) continue;
    const nextMonthStart = beijingDayStartMs(Date.parse(`${month}-01T00:00:00Z`) / DAY_MS + daysInMonth(month));
    out.push(
      finding('D-PERIOD-END', ruleSetVersion, s, {
        severity: 'medium',
        title: `月末处罚量集中：${subjectLabel(s)} ${month}`,
        explanation:
          `${subjectLabel(s)}${month}月最后${endDays}日处罚${end}起，日均${round(endPerDay, 2)}起；当月其余${restDays}日处罚${rest}起，日均${round(restPerDay, 2)}起；` +
          `${Number.isFinite(ratio) ? `月末日均为其余日的${round(ratio, 2)}倍` : '其余日无处罚'}（阈值：${minRatio}倍，当月不少于${min}起，当月共${total}起）。` +
          `月末集中处罚可能与变相下达的罚款、处罚指标有关，请核查。`,
        facts: { month, total, endCount: end, restCount: rest, endDays, restDays, endPerDay: round(endPerDay), restPerDay: round(restPerDay), ratio: Number.isFinite(ratio) ? round(ratio) : null, periodEndRatio: minRatio, periodEndMinPenalties: min },
        evidenceIds: [...new Set(endIds)].sort((a, b) => a - b),
        occurredAt: nextMonthStart - 1,
        dedupKey: `D-PERIOD-END|${s.subjectKind}:${s.subject}|${month}`,
      }),
    );
  }
  return out.sort(byKey);
}
