// D-DEVICE-CODES and D-DEVICE-FREIGHT: what a device captures — codes it may not capture, and a
// share of freight vehicles far above its peers'. Pure, over the rows of GROUP BY queries on
// device_daily_captures (the shapes and the other detectors are in device-detectors.ts).
import type { RuleParams } from '../../contracts/rules.ts';
import { DEVICE_DETECTOR_BASIS, DEVICE_MIN_PEERS, label, monthOf, round, sortFindings, type DayRange, type DeviceCodeDay, type DeviceDay, type DeviceFinding, type DeviceProfile } from './device-detectors.ts';
import { percent } from './reason.ts';

/** D-DEVICE-FREIGHT: a share below this is never "far above" (peers with no freight at all). */
export const FREIGHT_MIN_SHARE = 0.1;
/** D-DEVICE-FREIGHT: the excess must also be this many standard errors (binomial), so chance does not flag small counts. */
export const FREIGHT_Z = 3;

// ── D-DEVICE-CODES ─────────────────────────────────────────────────────────────────────────────

/**
 * Captures of codes outside a registered device's allowed codes, per device and Beijing month
 * (one finding listing every such code). Unregistered devices are R-DEVICE-LAWFUL's business.
 */
export function detectDisallowedCodes(rows: readonly DeviceCodeDay[], profiles: ReadonlyMap<string, DeviceProfile>, range: DayRange, ruleSetVersion: number): DeviceFinding[] {
  const groups = new Map<string, { deviceId: string; month: string; rows: DeviceCodeDay[] }>();
  for (const r of rows) {
    const allowed = profiles.get(r.deviceId)?.allowedCodes;
    if (!allowed || allowed.includes(r.code) || r.captures <= 0 || r.day < range.from || r.day > range.to) continue;
    const key = `${r.deviceId}|${monthOf(r.day)}`;
    (groups.get(key) ?? groups.set(key, { deviceId: r.deviceId, month: monthOf(r.day), rows: [] }).get(key)!).rows.push(r);
  }
  const out: DeviceFinding[] = [];
  for (const { deviceId, month, rows: list } of groups.values()) {
    list.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.code < b.code ? -1 : 1));
    const byCode = new Map<string, number>();
    for (const r of list) byCode.set(r.code, (byCode.get(r.code) ?? 0) + r.captures);
    const codes = [...byCode.keys()].sort();
    const total = list.reduce((s, r) => s + r.captures, 0);
    const allowed = profiles.get(deviceId)!.allowedCodes!;
    const days = [...new Set(list.map((r) => r.day))];
    out.push({
      detector: 'D-DEVICE-CODES',
      ruleSetVersion,
      deviceId,
      severity: 'high',
      title: `设备抓拍未准许的违法行为：${label(deviceId)} ${month}`,
      explanation:
        `${label(deviceId)}在${month}抓拍了台账未准许其抓拍的违法行为${total}起：${codes.map((c) => `${c}（${byCode.get(c)}起）`).join('、')}；该设备准许抓拍的违法代码为${allowed.join('、') || '（无）'}。` +
        `未经审核公布的抓拍内容不能作为处罚证据，这些记录应已被拦截待审；请核查设备配置，并确认没有据此作出处罚。`,
      basis: DEVICE_DETECTOR_BASIS['D-DEVICE-CODES'],
      facts: { deviceId, month, total, byCode: Object.fromEntries(codes.map((c) => [c, byCode.get(c)!])), allowedCodes: [...allowed], firstDay: days[0], lastDay: days.at(-1) },
      marks: days.map((day) => {
        const that = list.filter((r) => r.day === day);
        return { day, lastDay: day, reason: `抓拍未准许的违法代码${that.map((r) => `${r.code}（${r.captures}起）`).join('、')}` };
      }),
      series: list.map((r) => ({ day: r.day, code: r.code, captures: r.captures, flagged: true })),
      occurredOn: days.at(-1)!,
      dedupKey: `D-DEVICE-CODES|${deviceId}|${month}`,
    });
  }
  return sortFindings(out);
}

// ── D-DEVICE-FREIGHT ───────────────────────────────────────────────────────────────────────────

/**
 * Per Beijing month touching `range`: a device's freight share of its captures that month is
 * far above its peers' (same type; fewer than DEVICE_MIN_PEERS capturing that month: every other
 * device), with ≥ deviceFreightMinCaptures captures. "Far above": freight >
 * p0·n + FREIGHT_Z·√(n·p0·(1−p0)) with p0 = max(deviceFreightRatio × peer share, FREIGHT_MIN_SHARE),
 * i.e. above the ratio and not by chance. `rows` covers whole months (peers included).
 */
export function detectFreightShare(rows: readonly DeviceDay[], profiles: ReadonlyMap<string, DeviceProfile>, range: DayRange, params: RuleParams, ruleSetVersion: number): DeviceFinding[] {
  const { deviceFreightRatio: ratio, deviceFreightMinCaptures: min } = params;
  const firstMonth = monthOf(range.from);
  const lastMonth = monthOf(range.to);
  const typeOf = (id: string) => profiles.get(id)?.type ?? null;
  // month → device → totals and days
  const months = new Map<string, Map<string, { n: number; f: number; days: DeviceDay[] }>>();
  for (const r of rows) {
    const m = monthOf(r.day);
    if (m < firstMonth || m > lastMonth || r.day > range.to) continue;
    const devices = months.get(m) ?? months.set(m, new Map()).get(m)!;
    const d = devices.get(r.deviceId) ?? devices.set(r.deviceId, { n: 0, f: 0, days: [] }).get(r.deviceId)!;
    d.n += r.captures;
    d.f += r.freight;
    d.days.push(r);
  }
  const out: DeviceFinding[] = [];
  for (const [month, devices] of months) {
    const totals = new Map<string | null, { n: number; f: number; count: number }>();
    let all = { n: 0, f: 0, count: 0 };
    for (const [id, d] of devices) {
      const t = totals.get(typeOf(id)) ?? totals.set(typeOf(id), { n: 0, f: 0, count: 0 }).get(typeOf(id))!;
      t.n += d.n;
      t.f += d.f;
      t.count += 1;
      all = { n: all.n + d.n, f: all.f + d.f, count: all.count + 1 };
    }
    for (const [deviceId, d] of devices) {
      if (d.n < min) continue;
      const t = totals.get(typeOf(deviceId))!;
      const sameType = t.count - 1 >= DEVICE_MIN_PEERS;
      const peers = sameType ? { n: t.n - d.n, f: t.f - d.f, count: t.count - 1 } : { n: all.n - d.n, f: all.f - d.f, count: all.count - 1 };
      if (peers.count < DEVICE_MIN_PEERS || peers.n <= 0) continue;
      const peerShare = peers.f / peers.n;
      const p0 = Math.min(1, Math.max(ratio * peerShare, FREIGHT_MIN_SHARE));
      const limit = p0 * d.n + FREIGHT_Z * Math.sqrt(d.n * p0 * (1 - p0));
      if (!(d.f > limit)) continue;
      const share = d.f / d.n;
      const days = [...d.days].sort((a, b) => (a.day < b.day ? -1 : 1));
      const first = days[0]!.day;
      const last = days.at(-1)!.day;
      out.push({
        detector: 'D-DEVICE-FREIGHT',
        ruleSetVersion,
        deviceId,
        severity: share >= 2 * p0 ? 'high' : 'medium',
        title: `设备货车抓拍占比异常偏高：${label(deviceId)} ${month}`,
        explanation:
          `${label(deviceId)}在${month}抓拍${d.n}起，其中货车${d.f}起，占${percent(share)}；${sameType ? '同类' : '其他在用'}设备（${peers.count}台）同期货车占比${percent(peerShare)}（${peers.f}/${peers.n}）。` +
          `该设备货车占比超过同类设备的${ratio}倍（不低于${percent(FREIGHT_MIN_SHARE)}）且超出幅度非偶然（超过${FREIGHT_Z}个标准差），最少${min}起。` +
          `可能存在针对货车的选择性执法或以罚代管，请核查设备设置与抓拍记录。`,
        basis: DEVICE_DETECTOR_BASIS['D-DEVICE-FREIGHT'],
        facts: {
          deviceId,
          month,
          captures: d.n,
          freight: d.f,
          share: round(share, 4),
          peerGroup: sameType ? 'type' : 'all',
          peerDevices: peers.count,
          peerCaptures: peers.n,
          peerFreight: peers.f,
          peerShare: round(peerShare, 4),
          threshold: round(p0, 4),
          deviceFreightRatio: ratio,
          deviceFreightMinCaptures: min,
        },
        marks: [{ day: first, lastDay: last, reason: `${month}货车占比${percent(share)}，同类设备${percent(peerShare)}` }],
        series: days.map((r) => ({ day: r.day, captures: r.captures, freight: r.freight, baseline: round(peerShare, 4), flagged: r.captures > 0 && r.freight / r.captures > p0 })),
        occurredOn: last,
        dedupKey: `D-DEVICE-FREIGHT|${deviceId}|${month}`,
      });
    }
  }
  return sortFindings(out);
}
