// The device detectors: their shapes, D-DEVICE-SPIKE, D-DEVICE-NEW-HIGH and the verification
// reminder R-DEVICE-VERIFY-DUE here, D-DEVICE-CODES and D-DEVICE-FREIGHT in device-detectors.mix.ts.
// Pure functions over daily capture counts (the rows GROUP BY queries over device_daily_captures
// produce) and the registry's facts about each device. No clock, no database: the caller passes
// the days and "today". Findings carry the daily series they rest on, so the alert shows the
// chart's data as its evidence.
import type { RuleParams } from '../../contracts/rules.ts';
import type { DeviceDetectorId } from '../../contracts/device-captures.ts';
import { dayIndexToIso } from './time.ts';
import type { Severity } from './types.ts';

const L1 = '《道路交通安全违法行为处理程序规定》';
const L3 = '《道路交通安全法》';
const L4 = '《行政处罚法》';

/** Legal basis per device detector (source keys of ../shared/domain/enforcement-law.md §1–2). */
export const DEVICE_DETECTOR_BASIS: Record<DeviceDetectorId, string> = {
  // a capture count far above the device's own normal: a fault (regular maintenance and tests,
  // L1 Art.15), or a device turned into a fine-raising tool (L3 Art.86; records must be true, L4 Art.41)
  'D-DEVICE-SPIKE': `${L1}第15条；${L4}第41条；${L3}第86条`,
  // the Foshan pattern: a new device far above its peers — siting and signage (L1 Art.16; L4 Art.41),
  // fines as revenue (L3 Art.86)
  'D-DEVICE-NEW-HIGH': `${L1}第15条、第16条；${L4}第41条；${L3}第86条`,
  // captures of behaviour the device was not reviewed and announced for are not lawful evidence
  'D-DEVICE-CODES': `${L1}第16条；${L4}第41条`,
  // fair handling (L1 Art.3), no revenue targets (L3 Art.86); selective enforcement is a problem
  // kind of the 2023 national campaign (enforcement-law.md §1)
  'D-DEVICE-FREIGHT': `${L1}第3条；${L3}第86条；${L4}第41条`,
  // devices under mandatory verification may be used for evidence only after passing (L1 Art.15)
  'R-DEVICE-VERIFY-DUE': `${L1}第15条；${L4}第41条`,
};

/** Fewer same-type peers than this on a day: compare with every established device instead. */
export const DEVICE_MIN_PEERS = 3;
/** D-DEVICE-SPIKE flagged days at most this many days apart are one episode (one alert). */
export const SPIKE_EPISODE_GAP_DAYS = 3;

/** One device's captures on one Beijing day (all codes). */
export interface DeviceDay {
  deviceId: string;
  /** 'YYYY-MM-DD', Beijing */
  day: string;
  captures: number;
  freight: number;
}

/** One device's captures of one code on one day. */
export interface DeviceCodeDay {
  deviceId: string;
  day: string;
  code: string;
  captures: number;
}

/** What the registry and the counts say about a device. */
export interface DeviceProfile {
  deviceId: string;
  /** registry type; null when the device is not in the registry */
  type: string | null;
  /** first day of its first `active` status in the registry */
  commissionedOn: string | null;
  /** first day it ever captured anything */
  firstCaptureDay: string | null;
  /** null when not registered */
  allowedCodes: readonly string[] | null;
}

/** Days [from, to], inclusive, the findings may be about (rows before `from` are baseline only). */
export interface DayRange {
  from: string;
  to: string;
}

/** One day of the chart data behind a finding (an evidence row of the alert). */
export interface SeriesPoint {
  day: string;
  captures: number;
  freight?: number;
  code?: string;
  /** what the day was compared with: median, peer median, peer share */
  baseline?: number;
  flagged: boolean;
}

export interface DeviceFinding {
  detector: DeviceDetectorId;
  ruleSetVersion: number;
  deviceId: string;
  severity: Severity;
  title: string;
  explanation: string;
  basis: string;
  facts: Record<string, unknown>;
  /** the marked days for the chart: a day or a run of days, each with its reason */
  marks: Array<{ day: string; lastDay: string; reason: string }>;
  series: SeriesPoint[];
  /** Beijing day the finding is about (its last marked day) */
  occurredOn: string;
  dedupKey: string;
}

// ---- days ----

export const dayIndexOf = (day: string): number => Date.parse(`${day}T00:00:00Z`) / 86_400_000;
const dayAt = dayIndexToIso;
export const monthOf = (day: string) => day.slice(0, 7);
export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The day a device's life starts: the registry's commissioning day, else its first capture. */
export function startDay(p: DeviceProfile): string | null {
  return p.commissionedOn ?? p.firstCaptureDay;
}

export const label = (deviceId: string) => `监控设备${deviceId}`;

function byDevice(rows: readonly DeviceDay[]): Map<string, Map<number, DeviceDay>> {
  const out = new Map<string, Map<number, DeviceDay>>();
  for (const r of rows) {
    const m = out.get(r.deviceId) ?? out.set(r.deviceId, new Map()).get(r.deviceId)!;
    const i = dayIndexOf(r.day);
    const prev = m.get(i);
    m.set(i, prev ? { ...prev, captures: prev.captures + r.captures, freight: prev.freight + r.freight } : { ...r });
  }
  return out;
}

export const sortFindings = (a: DeviceFinding[]) => a.sort((x, y) => (x.dedupKey < y.dedupKey ? -1 : x.dedupKey > y.dedupKey ? 1 : 0));

// ── D-DEVICE-SPIKE ─────────────────────────────────────────────────────────────────────────────

/**
 * A day in `range` with captures ≥ deviceSpikeMinCaptures and > deviceSpikeRatio × the median of
 * the device's previous deviceSpikeBaselineDays days (days with no captures count as 0; days
 * before its first capture do not count, and at least half the baseline must lie after it).
 * Days in the device's first deviceNewDays days are D-DEVICE-NEW-HIGH's. Flagged days at most
 * SPIKE_EPISODE_GAP_DAYS apart form one episode, keyed by its first day.
 * `rows` must reach back deviceSpikeBaselineDays days before `range.from`.
 */
export function detectDeviceSpikes(rows: readonly DeviceDay[], profiles: ReadonlyMap<string, DeviceProfile>, range: DayRange, params: RuleParams, ruleSetVersion: number): DeviceFinding[] {
  const { deviceSpikeRatio: ratio, deviceSpikeBaselineDays: baseDays, deviceSpikeMinCaptures: min, deviceNewDays: newDays } = params;
  const needBaseline = Math.ceil(baseDays / 2);
  const from = dayIndexOf(range.from);
  const to = dayIndexOf(range.to);
  const out: DeviceFinding[] = [];
  for (const [deviceId, days] of byDevice(rows)) {
    const p = profiles.get(deviceId);
    const first = p?.firstCaptureDay ? dayIndexOf(p.firstCaptureDay) : Math.min(...days.keys());
    const start = p && startDay(p) ? dayIndexOf(startDay(p)!) : first;
    const flagged: Array<{ i: number; captures: number; median: number }> = [];
    for (const [i, d] of days) {
      if (i < from || i > to || d.captures < min || i < start + newDays) continue;
      const baseFrom = Math.max(i - baseDays, first);
      if (i - baseFrom < needBaseline) continue;
      const base: number[] = [];
      for (let k = baseFrom; k < i; k++) base.push(days.get(k)?.captures ?? 0);
      const m = median(base);
      if (d.captures > ratio * m) flagged.push({ i, captures: d.captures, median: m });
    }
    flagged.sort((a, b) => a.i - b.i);
    const episodes: (typeof flagged)[] = [];
    for (const f of flagged) {
      const last = episodes.at(-1);
      if (last && f.i - last.at(-1)!.i <= SPIKE_EPISODE_GAP_DAYS) last.push(f);
      else episodes.push([f]);
    }
    for (const e of episodes) {
      const firstDay = dayAt(e[0]!.i);
      const lastDay = dayAt(e.at(-1)!.i);
      const flaggedSet = new Set(e.map((f) => f.i));
      const baseOf = new Map(e.map((f) => [f.i, f.median]));
      const series: SeriesPoint[] = [];
      for (let k = Math.max(e[0]!.i - baseDays, first); k <= e.at(-1)!.i; k++) {
        const d = days.get(k);
        series.push({ day: dayAt(k), captures: d?.captures ?? 0, freight: d?.freight ?? 0, ...(baseOf.has(k) ? { baseline: baseOf.get(k)! } : {}), flagged: flaggedSet.has(k) });
      }
      const worst = e.reduce((a, b) => (b.captures / Math.max(b.median, 1e-9) > a.captures / Math.max(a.median, 1e-9) ? b : a));
      const text = (f: (typeof e)[number]) => `${dayAt(f.i)}抓拍${f.captures}起（前${baseDays}日中位数${round(f.median, 1)}起${f.median > 0 ? `，${round(f.captures / f.median, 1)}倍` : ''}）`;
      const severity: Severity = e.some((f) => f.captures > 2 * ratio * f.median && f.captures >= 2 * min) ? 'high' : 'medium';
      out.push({
        detector: 'D-DEVICE-SPIKE',
        ruleSetVersion,
        deviceId,
        severity,
        title: `设备抓拍量突增：${label(deviceId)} ${firstDay === lastDay ? firstDay : `${firstDay}至${lastDay}`}`,
        explanation:
          `${label(deviceId)}${e.map(text).join('；')}，超过自身基线（前${baseDays}日抓拍量中位数）的${ratio}倍且不少于${min}起。` +
          `抓拍量突增可能是设备故障、误拍或参数被调整，也可能是设备被用作创收工具；这些记录须逐条审核，请核查设备状态与抓拍记录。`,
        basis: DEVICE_DETECTOR_BASIS['D-DEVICE-SPIKE'],
        facts: {
          deviceId,
          days: e.map((f) => ({ day: dayAt(f.i), captures: f.captures, median: round(f.median, 2) })),
          maxCaptures: worst.captures,
          deviceSpikeRatio: ratio,
          deviceSpikeBaselineDays: baseDays,
          deviceSpikeMinCaptures: min,
        },
        marks: e.map((f) => ({ day: dayAt(f.i), lastDay: dayAt(f.i), reason: `抓拍${f.captures}起，前${baseDays}日中位数${round(f.median, 1)}起${f.median > 0 ? `（${round(f.captures / f.median, 1)}倍）` : ''}` })),
        series,
        occurredOn: lastDay,
        dedupKey: `D-DEVICE-SPIKE|${deviceId}|${firstDay}`,
      });
    }
  }
  return sortFindings(out);
}

// ── D-DEVICE-NEW-HIGH ──────────────────────────────────────────────────────────────────────────

/**
 * A device in its first deviceNewDays days (from its commissioning day, else its first capture)
 * with a day in `range` of captures ≥ deviceNewHighMinCaptures and > deviceNewHighRatio × the
 * median captures that day of its established peers (same type, past their own first
 * deviceNewDays days, capturing that day; fewer than DEVICE_MIN_PEERS: every established
 * device). One finding per device and start day. `rows` holds every device of the types
 * involved (the peers), for the days of `range`.
 */
export function detectNewDeviceHigh(rows: readonly DeviceDay[], profiles: ReadonlyMap<string, DeviceProfile>, range: DayRange, params: RuleParams, ruleSetVersion: number): DeviceFinding[] {
  const { deviceNewDays: newDays, deviceNewHighRatio: ratio, deviceNewHighMinCaptures: min } = params;
  const from = dayIndexOf(range.from);
  const to = dayIndexOf(range.to);
  const series = byDevice(rows);
  const startOf = new Map<string, number>();
  for (const [id, days] of series) {
    const p = profiles.get(id);
    const s = p ? startDay(p) : null;
    startOf.set(id, s ? dayIndexOf(s) : Math.min(...days.keys()));
  }
  const typeOf = (id: string) => profiles.get(id)?.type ?? null;
  // per day: established devices' captures, by type and overall
  const peerCache = new Map<number, { byType: Map<string | null, Array<[string, number]>>; all: Array<[string, number]> }>();
  const peersOn = (i: number) => {
    let c = peerCache.get(i);
    if (c) return c;
    c = { byType: new Map(), all: [] };
    for (const [id, days] of series) {
      const n = days.get(i)?.captures ?? 0;
      if (n <= 0 || i < startOf.get(id)! + newDays) continue;
      c.all.push([id, n]);
      const t = typeOf(id);
      (c.byType.get(t) ?? c.byType.set(t, []).get(t)!).push([id, n]);
    }
    peerCache.set(i, c);
    return c;
  };

  const out: DeviceFinding[] = [];
  for (const [deviceId, days] of series) {
    const start = startOf.get(deviceId)!;
    const end = start + newDays - 1;
    if (end < from || start > to) continue;
    const points: SeriesPoint[] = [];
    const flagged: Array<{ i: number; captures: number; peerMedian: number; peers: number; group: 'type' | 'all' }> = [];
    for (let i = Math.max(start, from); i <= Math.min(end, to); i++) {
      const n = days.get(i)?.captures ?? 0;
      const p = peersOn(i);
      const sameType = p.byType.get(typeOf(deviceId)) ?? [];
      const group = sameType.length >= DEVICE_MIN_PEERS ? 'type' : 'all';
      const peers = group === 'type' ? sameType : p.all;
      if (peers.length < DEVICE_MIN_PEERS) {
        points.push({ day: dayAt(i), captures: n, flagged: false });
        continue;
      }
      const m = median(peers.map(([, c]) => c));
      const hit = n >= min && n > ratio * m;
      points.push({ day: dayAt(i), captures: n, baseline: m, flagged: hit });
      if (hit) flagged.push({ i, captures: n, peerMedian: m, peers: peers.length, group });
    }
    if (flagged.length === 0) continue;
    const startIso = dayAt(start);
    const total = points.reduce((s, p) => s + p.captures, 0);
    const text = (f: (typeof flagged)[number]) => `启用第${f.i - start + 1}天（${dayAt(f.i)}）抓拍${f.captures}起，为${f.group === 'type' ? '同类' : '全部在用'}设备当日中位数${round(f.peerMedian, 1)}起的${round(f.captures / f.peerMedian, 1)}倍`;
    out.push({
      detector: 'D-DEVICE-NEW-HIGH',
      ruleSetVersion,
      deviceId,
      severity: 'high',
      title: `新设备抓拍量畸高：${label(deviceId)}（${startIso}启用）`,
      explanation:
        `${label(deviceId)}于${startIso}${profiles.get(deviceId)?.commissionedOn ? '启用' : '首次抓拍'}，启用后${newDays}日内：${flagged.slice(0, 10).map(text).join('；')}${flagged.length > 10 ? `等${flagged.length}天` : ''}` +
        `（阈值：同类设备中位数的${ratio}倍且不少于${min}起；观察期内共抓拍${total}起）。` +
        `新设备抓拍量远超同类设备，可能选址不合理、警示标志不清或设备被用作创收工具，请核查设置审批、公告与抓拍记录。`,
      basis: DEVICE_DETECTOR_BASIS['D-DEVICE-NEW-HIGH'],
      facts: {
        deviceId,
        type: typeOf(deviceId),
        startDay: startIso,
        startFrom: profiles.get(deviceId)?.commissionedOn ? 'registry' : 'firstCapture',
        totalCaptures: total,
        days: flagged.map((f) => ({ day: dayAt(f.i), captures: f.captures, peerMedian: round(f.peerMedian, 2), peers: f.peers, peerGroup: f.group })),
        deviceNewDays: newDays,
        deviceNewHighRatio: ratio,
        deviceNewHighMinCaptures: min,
      },
      marks: flagged.map((f) => ({ day: dayAt(f.i), lastDay: dayAt(f.i), reason: `启用第${f.i - start + 1}天抓拍${f.captures}起，同类设备当日中位数${round(f.peerMedian, 1)}起` })),
      series: points,
      occurredOn: dayAt(flagged.at(-1)!.i),
      dedupKey: `D-DEVICE-NEW-HIGH|${deviceId}|${startIso}`,
    });
  }
  return sortFindings(out);
}

// ── R-DEVICE-VERIFY-DUE ────────────────────────────────────────────────────────────────────────

export interface DeviceVerificationFacts {
  deviceId: string;
  certificateNo: string;
  validTo: string;
}

/**
 * A verification certificate (the device's current one, of an active device whose type needs
 * verification) expiring within deviceVerificationReminderDays days of `today`, or already
 * expired. One finding per device and certificate.
 */
export function verificationReminders(devices: readonly DeviceVerificationFacts[], today: string, params: RuleParams, ruleSetVersion: number): DeviceFinding[] {
  const within = params.deviceVerificationReminderDays;
  const t = dayIndexOf(today);
  const out: DeviceFinding[] = [];
  for (const d of devices) {
    const left = dayIndexOf(d.validTo) - t;
    if (left > within) continue;
    const expired = left < 0;
    out.push({
      detector: 'R-DEVICE-VERIFY-DUE',
      ruleSetVersion,
      deviceId: d.deviceId,
      severity: expired ? 'high' : left <= 7 ? 'medium' : 'low',
      title: expired ? `计量检定已过期：${label(d.deviceId)}` : `计量检定即将到期：${label(d.deviceId)}（剩余${left}天）`,
      explanation: expired
        ? `${label(d.deviceId)}的计量检定证书${d.certificateNo}已于${d.validTo}到期，设备仍为启用状态：到期后的抓拍不能作为处罚证据。请尽快送检并在台账中登记新证书，或停用设备。`
        : `${label(d.deviceId)}的计量检定证书${d.certificateNo}将于${d.validTo}到期（剩余${left}天，提醒期${within}天）。到期后的抓拍不能作为处罚证据，请及时安排检定并在台账中登记新证书。`,
      basis: DEVICE_DETECTOR_BASIS['R-DEVICE-VERIFY-DUE'],
      facts: { deviceId: d.deviceId, certificateNo: d.certificateNo, validTo: d.validTo, today, daysLeft: left, deviceVerificationReminderDays: within },
      marks: [],
      series: [],
      occurredOn: today,
      dedupKey: `R-DEVICE-VERIFY-DUE|${d.deviceId}|${d.certificateNo}`,
    });
  }
  return sortFindings(out);
}

/** 'YYYY-MM-01' of the month holding `day` (callers load whole months for D-DEVICE-CODES and -FREIGHT). */
export function monthStartOf(day: string): string {
  return `${day.slice(0, 7)}-01`;
}
