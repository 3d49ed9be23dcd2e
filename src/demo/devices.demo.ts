// The demo brigade's device registry (设备台账): the ~60 cameras of cameras.demo.ts with their legal
// and technical reviews, public announcements, warning signs and (speed cameras) metrological
// verification, all dated before the enforcement window so their captures are lawful — except
// three, unlawful in instructive ways, whose captures R-DEVICE-LAWFUL must hold:
//   - SXJ-0041, a speed camera set up and switched on but never announced (L1 Art.16);
//   - SXJ-0042, a speed camera whose verification certificate expired ten days before a month's end
//     and was renewed only ten days into the next month (L1 Art.15): captures in the gap;
//   - SXJ-0046, a freight checkpoint approved for overload and lane codes whose speeding (1636)
//     captures lie outside its approval (L1 Art.16; L4 Art.41) — D-DEVICE-CODES flags it too.
// The gap straddles a month's end, so the held captures never make another month's end look
// busy (D-PERIOD-END), and none of the three carries an injected case of another rule.
import type { DeviceState } from '../contracts/devices.ts';
import { saveRevisions, type DeviceRecord } from '../modules/devices/devices.service.ts';
import { reviewQueue, reviewRecords } from '../modules/enforcement/review.service.ts';
import type { RequestContext } from '../modules/ledger/ledger.service.ts';
import { unitTree } from '../modules/org/units.service.ts';
import type { Db } from '../platform/db/database.ts';
import { DEMO_UNITS } from './org.demo.ts';
import { BEIJING_OFFSET, DAY } from './beijing-time.ts';
import { DEMO_CAMERAS, REGISTRY_TYPE, type DemoCamera } from './cameras.demo.ts';
import type { IntakeRow } from './enforcement.demo.ts';
import type { GroundTruthCase } from './ground-truth.ts';

export const NEVER_ANNOUNCED_ID = 'SXJ-0041';
export const EXPIRED_ID = 'SXJ-0042';
export const OUT_OF_APPROVAL_ID = 'SXJ-0046';
/** The code SXJ-0046 captures without approval. */
export const OUT_OF_APPROVAL_CODE = '1636';

const isoDay = (ms: number) => new Date(ms + BEIJING_OFFSET).toISOString().slice(0, 10);

export interface DemoDeviceRegistry {
  records: DeviceRecord[];
  /** the verification gap of EXPIRED_ID: [from, to) as Beijing days */
  gap: { from: string; to: string };
}

/**
 * The registry for a window of `days` days ending at `endAt` (a Beijing midnight, exclusive).
 * `unitOf` maps a squadron key of DEMO_UNITS to its unit id.
 */
export function demoDeviceRegistry(endAt: number, days: number, unitOf: (key: DemoCamera['owningUnitKey']) => number): DemoDeviceRegistry {
  const start = endAt - days * DAY;
  const before = (n: number) => isoDay(start - n * DAY);
  // The gap: from 10 days before the first month's end that leaves 10 days on both sides, to 10 days after it.
  let monthEnd = -1;
  for (let d = 12; d < days - 12; d++) {
    if (isoDay(start + (d + 1) * DAY).endsWith('-01')) {
      monthEnd = d;
      break;
    }
  }
  if (monthEnd < 0) throw new Error('the device registry demo needs a month end inside the window');
  const gap = { from: isoDay(start + (monthEnd - 9) * DAY), to: isoDay(start + (monthEnd + 11) * DAY) };

  const records = DEMO_CAMERAS.map((c, i): DeviceRecord => {
    const n = Number(c.deviceId.slice(4));
    const type = REGISTRY_TYPE[c.type];
    const speed = type === 'speedFixed';
    const doc = (prefix: string) => `清交${prefix}〔${before(120).slice(0, 4)}〕${n}号`;
    const record: DeviceRecord = {
      id: c.deviceId,
      type,
      location: { road: c.road, direction: c.direction, km: c.km, lat: c.lat, lon: c.lon, description: c.description },
      owningUnitId: unitOf(c.owningUnitKey),
      allowedCodes: [...c.allowedCodes],
      legalReview: { date: before(130 - (i % 5)), documentNo: doc('法审'), reviewer: '周文静' },
      technicalReview: { date: before(125 - (i % 5)), documentNo: doc('技审'), reviewer: '陈思远' },
      announcement: { date: before(110 - (i % 5)), channel: '清澜市公安局交通警察支队官方网站', url: `https://example.gov.cn/jj/tzgg/${c.deviceId.toLowerCase()}` },
      signage: { present: true, distanceM: speed ? 200 : 50 },
      // one-year cycle (enforcement-law.md §2), valid well past the window's end
      verification: speed ? { certificateNo: `JJ-${before(200).slice(0, 4)}-${String(n).padStart(4, '0')}`, validFrom: before(200), validTo: isoDay(endAt + 164 * DAY) } : null,
      verificationHistory: [],
      policeOperated: false,
      statusHistory: [{ status: 'active', from: before(100 - (i % 5)), reason: '公告期满，正式启用', documentNo: doc('启') }],
    };
    if (c.deviceId === NEVER_ANNOUNCED_ID) return { ...record, announcement: null };
    if (c.deviceId === EXPIRED_ID) {
      const previous = { certificateNo: `JJ-${before(400).slice(0, 4)}-0042`, validFrom: before(400), validTo: isoDay(Date.parse(`${gap.from}T00:00:00+08:00`) - DAY) };
      return { ...record, verification: { certificateNo: `JJ-${gap.to.slice(0, 4)}-0042B`, validFrom: gap.to, validTo: isoDay(Date.parse(`${gap.to}T00:00:00+08:00`) + 364 * DAY) }, verificationHistory: [previous] };
    }
    if (c.deviceId === OUT_OF_APPROVAL_ID) return { ...record, allowedCodes: c.allowedCodes.filter((code) => code !== OUT_OF_APPROVAL_CODE) };
    return record;
  });
  return { records, gap };
}

/**
 * Registers the demo cameras (revision 1 each, ledgered, one transaction) for the window ending at
 * `endAt`, in a database that holds the demo brigade's units. Returns the registry it wrote.
 */
export async function registerDemoDevices(db: Db, ctx: RequestContext, endAt: number, days: number): Promise<DemoDeviceRegistry> {
  const units = await unitTree(db, { all: true, unitIds: [], selfPersonId: null });
  const unitOf = (key: string) => {
    const code = DEMO_UNITS.find((u) => u.key === key)?.code;
    const unit = units.find((u) => u.code === code);
    if (!unit) throw new Error(`demo devices: no unit ${key}`);
    return unit.id;
  };
  const registry = demoDeviceRegistry(endAt, days, unitOf);
  await db.transaction().execute((trx) =>
    saveRevisions(trx, ctx, registry.records.map((record) => ({ record, revision: 1, kind: 'create' as const, basis: { documentNo: '清交设〔演示〕1号', note: '演示设备台账' }, changed: [] }))),
  );
  return registry;
}

/**
 * The legal officer's work on the unlawful devices' captures: those past their review deadline are
 * voided (no evidence, L4 Art.41), the recent ones wait in 待审核 — so the demo's queue and alerts
 * show a brigade keeping up, not thousands of overdue records. `decided_outcome` keeps `held`.
 */
export async function reviewDemoDeviceHolds(db: Db, ctx: RequestContext): Promise<number> {
  const all = { all: true, unitIds: [], selfPersonId: null };
  let voided = 0;
  for (;;) {
    const page = await reviewQueue(db, all, { page: 1, pageSize: 500, code: undefined, plate: undefined, device: undefined, rule: 'R-DEVICE-LAWFUL', overdue: 'true' });
    if (page.items.length === 0) return voided;
    const done = await reviewRecords(db, ctx, { ids: page.items.map((i) => i.id), decision: 'voided', note: '设备在抓拍时不符合合法使用条件（见规则说明），记录不得作为处罚证据，予以作废' });
    voided += done.reviewed;
  }
}

/** Does R-DEVICE-LAWFUL have to hold this intake row (a capture of an unlawful device on its day)? */
export function heldByDeviceLaw(row: Pick<IntakeRow, 'kind' | 'deviceId' | 'violationCode' | 'occurredAt'>, gap: DemoDeviceRegistry['gap']): boolean {
  if (row.kind !== 'camera') return false;
  if (row.deviceId === NEVER_ANNOUNCED_ID) return true;
  if (row.deviceId === OUT_OF_APPROVAL_ID) return row.violationCode === OUT_OF_APPROVAL_CODE;
  if (row.deviceId !== EXPIRED_ID) return false;
  const day = isoDay(Date.parse(row.occurredAt));
  return day >= gap.from && day < gap.to;
}

/**
 * Collects the ground truth of the registry's cases while the rows stream past (the background is
 * generated lazily, so the ids are known only then).
 */
export function deviceLawGroundTruth(registry: DemoDeviceRegistry) {
  const held = { [NEVER_ANNOUNCED_ID]: [] as string[], [EXPIRED_ID]: [] as string[], [OUT_OF_APPROVAL_ID]: [] as string[] };
  return {
    observe(row: IntakeRow) {
      if (heldByDeviceLaw(row, registry.gap)) held[row.deviceId as keyof typeof held].push(row.externalId);
    },
    cases(): GroundTruthCase[] {
      return [
        {
          id: 'R-DEVICE-LAWFUL-1',
          rule: 'R-DEVICE-LAWFUL',
          description: `测速设备${NEVER_ANNOUNCED_ID}已审核、已启用，但设置地点从未向社会公布：其${held[NEVER_ANNOUNCED_ID].length}条抓拍记录不能作为处罚证据，应全部待审核`,
          expect: { records: held[NEVER_ANNOUNCED_ID] },
        },
        {
          id: 'R-DEVICE-LAWFUL-2',
          rule: 'R-DEVICE-LAWFUL',
          description: `测速设备${EXPIRED_ID}的计量检定证书过期后至${registry.gap.to}才重新检定：${registry.gap.from}至${registry.gap.to}前的${held[EXPIRED_ID].length}条抓拍记录应待审核`,
          expect: { records: held[EXPIRED_ID] },
        },
        {
          id: 'R-DEVICE-LAWFUL-3',
          rule: 'R-DEVICE-LAWFUL',
          description: `货运卡口${OUT_OF_APPROVAL_ID}未经批准抓拍超速（${OUT_OF_APPROVAL_CODE}）：${held[OUT_OF_APPROVAL_ID].length}条超出准许范围的抓拍记录应待审核`,
          expect: { records: held[OUT_OF_APPROVAL_ID] },
        },
        {
          id: 'D-DEVICE-CODES-1',
          rule: 'D-DEVICE-CODES',
          description: `货运卡口${OUT_OF_APPROVAL_ID}抓拍了准许范围以外的违法代码${OUT_OF_APPROVAL_CODE}`,
          expect: { subjects: [{ kind: 'checkpoint', id: OUT_OF_APPROVAL_ID }] },
        },
      ];
    },
  };
}

/** The states as the rules see them (for tests). */
export const asStates = (records: readonly DeviceRecord[]): Map<string, DeviceState> =>
  new Map(records.map((d) => [d.id, { ...d, revision: 1 } as DeviceState]));
