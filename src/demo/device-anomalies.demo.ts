// The device anomalies of the enforcement demo (issue #5), on top of the clean background: a red-
// light camera switched on 20 days before the window's end that captures far more than its peers
// on three days (D-DEVICE-NEW-HIGH, the Foshan pattern), a capture spike on one day at an
// established checkpoint camera (D-DEVICE-SPIKE), and a month in which a speed camera's captures are
// mostly freight vehicles (D-DEVICE-FREIGHT). The volumes scale with the background's, so the
// small and the full demo carry the same cases.
//
// How the injected records stay clean for everything else: fresh plates from the injected pools
// (skipped past what misconduct.demo.ts uses), allowed codes only, lawful devices, no captures on
// a month's last 3 days (D-PERIOD-END), cars only at the new and the spiking camera (car codes), and freight
// plates non-local on every 4th capture of each code, the brigade's share (D-NONLOCAL).
import { deviceCreate, type DeviceCreate } from '../contracts/devices.ts';
import type { VehicleType } from '../contracts/enforcement.ts';
import { BEIJING_OFFSET, HOUR, MINUTE } from './beijing-time.ts';
import { CAMERA_TYPE_CODES, DEMO_CAMERAS, type DemoCamera } from './cameras.demo.ts';
import type { GroundTruthCase } from './ground-truth.ts';
import { FREIGHT_TYPES, platePools } from './plates.demo.ts';
import { seededRandom } from './random.ts';
import { cameraDraft, cameraEvidence, type Draft } from './rows.demo.ts';
import { allocate, streamSeed } from './sampling.ts';
import type { World } from './world.demo.ts';

/** Plates misconduct.demo.ts may take from each injected pool before ours start. */
const PLATE_OFFSET = 5_000;
/** The new camera is switched on this many days before the window's end. */
export const NEW_DEVICE_DAYS = 20;

/** The camera the registry gets only 20 days before the end: not one of DEMO_CAMERAS, so the background never uses it. */
export const NEW_DEMO_CAMERA: DemoCamera = {
  deviceId: 'SXJ-0061',
  type: 'redLight',
  road: '应天大街',
  direction: '由西向东',
  km: 5.4,
  lat: 32.0158,
  lon: 118.7421,
  description: '应天大街与江东中路交叉口（新设）',
  allowedCodes: CAMERA_TYPE_CODES.redLight,
  owningUnitKey: 'sq3',
};
/**
 * An established checkpoint camera with one day of far too many captures (a checkpoint: at the
 * small demo's volume only checkpoints and speed cameras capture every day, so it has a baseline).
 */
export const SPIKE_DEVICE_ID = 'SXJ-0059';
/** Cars' codes at a checkpoint (the freight-only codes stay with trucks). */
const SPIKE_CODES = ['1344', '1240', '1223', '1042'];
/** An established speed camera whose captures are mostly trucks for one month. */
export const FREIGHT_DEVICE_ID = 'SXJ-0043';

const camera = (id: string) => DEMO_CAMERAS.find((c) => c.deviceId === id)!;
const isoDay = (ms: number) => new Date(ms + BEIJING_OFFSET).toISOString().slice(0, 10);

/**
 * The new camera as the registry records it, every document in order: reviewed and announced
 * well before its switch-on day (the notice period passed), signed, active from
 * NEW_DEVICE_DAYS days before `endAt` (the window's exclusive end, a Beijing midnight).
 */
export function newDemoDeviceRegistration(endAt: number, owningUnitId: number): DeviceCreate {
  const c = NEW_DEMO_CAMERA;
  const on = endAt - NEW_DEVICE_DAYS * 24 * HOUR;
  // parsed as the API parses a body: defaults filled in, dates and codes checked
  return deviceCreate.parse({
    id: c.deviceId,
    type: 'redLight',
    location: { road: c.road, direction: c.direction, km: c.km, lat: c.lat, lon: c.lon, description: c.description },
    owningUnitId,
    allowedCodes: [...c.allowedCodes],
    legalReview: { date: isoDay(on - 30 * 24 * HOUR), documentNo: '清交法审〔2025〕61号', reviewer: '周文静' },
    technicalReview: { date: isoDay(on - 30 * 24 * HOUR), documentNo: '清交技审〔2025〕61号', reviewer: '陈思远' },
    announcement: { date: isoDay(on - 21 * 24 * HOUR), channel: '清澜市公安局交通警察支队官方网站', url: 'https://example.gov.cn/jj/tzgg/sxj-0061' },
    signage: { present: true, distanceM: 50 },
    verification: null,
    policeOperated: false,
    status: { status: 'active', from: isoDay(on), reason: '新设电子警察启用', documentNo: '清交启〔2025〕61号' },
    basis: { documentNo: '清交设〔2025〕61号', note: '应天大街与江东中路交叉口新设闯红灯抓拍设备' },
  });
}

/** The injected captures and the ground truth of the three device anomalies. */
export function planDeviceAnomalies(w: World, cameraRecords: number): { drafts: Draft[]; cases: GroundTruthCase[] } {
  const r = seededRandom(streamSeed(w.seed, 12, 0));
  const pools = platePools();
  for (const pool of [pools.injectedCarLocal, pools.injectedCarNonLocal, pools.injectedFreightLocal, pools.injectedFreightNonLocal]) for (let i = 0; i < PLATE_OFFSET; i++) pool.next();
  /** a background device's captures on an average day */
  const perDevice = cameraRecords / w.days / DEMO_CAMERAS.length;
  const drafts: Draft[] = [];
  const cases: GroundTruthCase[] = [];
  let serial = 0;
  const at = (d: number) => w.dayStart(d) + r.int(7 * 60, 21 * 60 - 1) * MINUTE + r.int(0, 59) * 1000;
  const turn = new Map<string, number>();
  const nextCode = (c: DemoCamera, codes: readonly string[]) => {
    const k = turn.get(c.deviceId) ?? 0;
    turn.set(c.deviceId, k + 1);
    return codes[k % codes.length]!;
  };
  const capture = (prefix: string, c: DemoCamera, d: number, opts: { freight?: boolean; codes?: readonly string[] } = {}) => {
    const code = nextCode(c, opts.codes ?? c.allowedCodes);
    const freight = opts.freight ?? false;
    const externalId = `GT-DEV-${prefix}-${String(++serial).padStart(5, '0')}`;
    let plate: string;
    let vehicleType: VehicleType;
    if (freight) {
      const key = `${c.deviceId}:${code}:freight`;
      const k = turn.get(key) ?? 0;
      turn.set(key, k + 1);
      plate = (k % 4 === 3 ? pools.injectedFreightNonLocal : pools.injectedFreightLocal).next();
      vehicleType = FREIGHT_TYPES.pick(r);
    } else {
      plate = (r.chance(0.8) ? pools.injectedCarLocal : pools.injectedCarNonLocal).next();
      vehicleType = 'smallPassenger';
    }
    const ms = at(d);
    drafts.push(cameraDraft({ externalId, ms, camera: c, plate, vehicleType, code, evidence: cameraEvidence(r, externalId, c.deviceId, ms) }));
  };
  const usable = (d: number) => d >= 0 && d < w.days && !w.monthEnd[d];

  // ---- D-DEVICE-NEW-HIGH: the new camera at about its peers' volume, and 8× on three days
  {
    const days = Array.from({ length: NEW_DEVICE_DAYS }, (_, k) => w.days - NEW_DEVICE_DAYS + k).filter(usable);
    const high = new Set([days[1]!, days[4]!, days[8]!]);
    const normal = Math.max(1, Math.round(perDevice * 1.1));
    const peak = Math.max(80, Math.round(perDevice * 8));
    for (const d of days) for (let i = 0; i < (high.has(d) ? peak : normal); i++) capture('NEW', NEW_DEMO_CAMERA, d);
    cases.push({
      id: 'D-DEVICE-NEW-HIGH-1',
      rule: 'D-DEVICE-NEW-HIGH',
      description: `新设电子警察${NEW_DEMO_CAMERA.deviceId}（${NEW_DEMO_CAMERA.description}）启用后${NEW_DEVICE_DAYS}日内有3天每天抓拍${peak}起，约为同类设备的8倍（佛山式异常）`,
      expect: { subjects: [{ kind: 'checkpoint', id: NEW_DEMO_CAMERA.deviceId }] },
    });
  }

  // ---- D-DEVICE-SPIKE: one day of six times an average device's captures on top of its own
  {
    const c = camera(SPIKE_DEVICE_ID);
    const d = Array.from({ length: w.days }, (_, k) => k).find((k) => k >= Math.floor(w.days * 0.6) && usable(k))!;
    const extra = Math.max(70, Math.round(perDevice * 6));
    for (let i = 0; i < extra; i++) capture('SPIKE', c, d, { codes: SPIKE_CODES });
    cases.push({
      id: 'D-DEVICE-SPIKE-1',
      rule: 'D-DEVICE-SPIKE',
      description: `货运卡口抓拍设备${c.deviceId}（${c.description}）于${isoDay(w.dayStart(d))}一天多抓拍${extra}起，远超其前28日中位数`,
      expect: { subjects: [{ kind: 'checkpoint', id: c.deviceId }] },
    });
  }

  // ---- D-DEVICE-FREIGHT: in one month, extra truck captures worth 45% of the camera's month
  {
    const c = camera(FREIGHT_DEVICE_ID);
    const month = isoDay(w.dayStart(Math.floor(w.days / 2))).slice(0, 7);
    const days = Array.from({ length: w.days }, (_, k) => k).filter((k) => usable(k) && isoDay(w.dayStart(k)).startsWith(month));
    const extra = Math.max(120, Math.round(perDevice * 1.15 * 30 * 0.45));
    allocate(extra, days.map(() => 1)).forEach((n, i) => {
      for (let k = 0; k < n; k++) capture('FREIGHT', c, days[i]!, { freight: true });
    });
    cases.push({
      id: 'D-DEVICE-FREIGHT-1',
      rule: 'D-DEVICE-FREIGHT',
      description: `测速设备${c.deviceId}（${c.description}）${month}多抓拍货车${extra}起，货车占比远高于同类设备`,
      expect: { subjects: [{ kind: 'checkpoint', id: c.deviceId }] },
    });
  }
  return { drafts, cases };
}
