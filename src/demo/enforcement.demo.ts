// The enforcement demo: ~90 days of camera and on-site records of the demo brigade, as raw intake
// rows, with misconduct injected on top of a background that is clean for every rule and
// detector, and the ground truth of what was injected (ground-truth.ts). Deterministic for a
// seed; rows come from a generator, one day at a time, so 200k rows are never all in memory.
//
// How the background stays clean (each point guards a rule or detector):
// - camera, on-site and injected records draw plates from disjoint id ranges (PLATE_POOLS), so no
//   camera record meets an on-site one (R-ONSITE-HANDLED) and injected plates appear only where
//   a case puts them;
// - at the default sizes every background plate is used once (pools of 260k car and 65k freight
//   plates for cameras), so plate + code + place never repeats (R-REPEAT, D-TRUCK-REPEAT), except
//   pedestrians and riders met a second time on-site (then fined, which is lawful: not first);
// - warning-eligible codes on first-time plates are warnings: camera ones become the `warning`
//   outcome, on-site ones are written as warnings (fine 0, points 0) (R-WARN-FIRST);
// - on-site work is dealt round-robin: officers within a squadron, and each squadron's fines,
//   freight fines and warnings over its roads in turn; each officer's records alternate fine and
//   warning at a fixed share. So an officer's, a road's and a device's day, week and month follow
//   the brigade's rhythm and nothing spikes at a month's end (R-DAILY-CAP, D-PERIOD-END);
// - freight plates are non-local on exactly every 4th penalty per device and per road, about the
//   brigade's share (D-NONLOCAL); a background officer stays below the detector's minimum count;
// - fines vary inside the catalogue range, and each device's fined codes carry different default
//   amounts (D-FLAT-AMOUNT).
// Checked against the real rules and detectors too: at 2,000/300 and 200,000/5,000 records every
// detection is an injected case (enforcement.demo.test.ts has an independent reading).
import { hash } from 'node:crypto';
import type { z } from 'zod';
import type { Party, recordInput, VehicleType } from '../contracts/enforcement.ts';
import { SAMPLE_CATALOGUE, type SampleCatalogueRow } from '../modules/catalogue/sample-catalogue.ts';
import { DEMO_CAMERAS, type CameraType, type DemoCamera } from './cameras.demo.ts';
import { DEMO_ACCOUNT_PEOPLE, DEMO_UNITS, demoPersonnel } from './org.demo.ts';
import { seededRandom, type Random } from './random.ts';
import type { GroundTruth, GroundTruthCase } from './ground-truth.ts';

/** A raw intake row, as a source sends it (before zod normalises it). */
export type IntakeRow = z.input<typeof recordInput>;
type IntakePlace = IntakeRow['place'];
type IntakeEvidence = NonNullable<IntakeRow['evidence']>;
type IntakeDriver = NonNullable<IntakeRow['driver']>;

export interface EnforcementPerson {
  badgeNo: string;
  name: string;
  category: 'police' | 'auxiliary';
  status: 'active' | 'left' | 'suspended';
  /** key of the person's unit in DEMO_UNITS */
  unitKey: string;
}

export interface EnforcementDemoOptions {
  seed: number;
  /** exclusive; default: the start of today, Beijing time */
  endAt?: Date;
  days?: number;
  cameraRecords?: number;
  onSiteRecords?: number;
  people: readonly EnforcementPerson[];
}

export interface EnforcementDemo {
  /** Raw intake rows in chronological order (occurredAt); each call starts again from the first row. */
  rows(): Generator<IntakeRow>;
  groundTruth: GroundTruth;
}

/** A row and its time in epoch milliseconds, for sorting. */
interface Draft {
  ms: number;
  row: IntakeRow;
}

// ---------------------------------------------------------------- time (Beijing, UTC+8, no DST)

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const BEIJING_OFFSET = 8 * HOUR;

export function startOfBeijingDay(ms: number): number {
  return Math.floor((ms + BEIJING_OFFSET) / DAY) * DAY - BEIJING_OFFSET;
}
// Rows come day by day, so the date part is formatted once per day.
let formattedDay = { start: Number.NaN, iso: '', compact: '' };
function dayOf(ms: number) {
  const start = startOfBeijingDay(ms);
  if (start !== formattedDay.start) {
    const iso = new Date(start + BEIJING_OFFSET).toISOString().slice(0, 10);
    formattedDay = { start, iso, compact: iso.replaceAll('-', '') };
  }
  return formattedDay;
}
const two = (n: number) => (n < 10 ? `0${n}` : String(n));
/** ISO 8601 with the +08:00 offset, to the second */
function beijingIso(ms: number): string {
  const day = dayOf(ms);
  const s = Math.floor((ms - day.start) / 1000);
  return `${day.iso}T${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}+08:00`;
}
/** yyyymmdd of the Beijing day */
function beijingDay(ms: number): string {
  return dayOf(ms).compact;
}

// ---------------------------------------------------------------- small helpers

class Weighted<T> {
  private readonly cumulative: number[] = [];
  private readonly total: number;
  constructor(private readonly items: ReadonlyArray<readonly [T, number]>) {
    let sum = 0;
    for (const [, w] of items) this.cumulative.push((sum += w));
    this.total = sum;
  }
  pick(r: Random): T {
    const x = r.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo]![0];
  }
}

function hash32(n: number): number {
  let h = Math.imul(n ^ 0x5bd1e995, 0x9e3779b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca6b);
  return (h ^ (h >>> 13)) >>> 0;
}
const streamSeed = (seed: number, stream: number, day: number) => hash32(hash32(seed) ^ Math.imul(stream + 1, 0x27d4eb2f) ^ Math.imul(day + 1, 0x165667b1));
const sha256Hex = (text: string): string => hash('sha256', text);
const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

/** Splits total over the weights, largest remainder first, so the parts add up exactly. */
function allocate(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const raw = weights.map((w) => (total * w) / sum);
  const parts = raw.map(Math.floor);
  let rest = total - parts.reduce((a, b) => a + b, 0);
  const order = raw.map((v, i) => [v - Math.floor(v), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (rest-- <= 0) break;
    parts[i]!++;
  }
  return parts;
}

// ---------------------------------------------------------------- catalogue and fines

const CATALOGUE = new Map(SAMPLE_CATALOGUE.map((c) => [c.code, c]));
function catalogueEntry(code: string): SampleCatalogueRow {
  const e = CATALOGUE.get(code);
  if (!e) throw new Error(`violation code ${code} is not in the sample catalogue`);
  return e;
}

/** Round amounts inside the range: ¥10 steps below 100, ¥50 to 500, ¥100 above. */
const FINE_STEPS = new Map(
  SAMPLE_CATALOGUE.map((e) => {
    const steps: number[] = [];
    for (let v = Math.ceil(e.fineMin / 10) * 10; v <= e.fineMax; v += v < 100 ? 10 : v < 500 ? 50 : 100) steps.push(v);
    return [e.code, steps] as const;
  }),
);
/** A fine an officer might choose: the catalogue default often, another round amount otherwise. */
function variedFine(r: Random, code: string, max = Infinity): number {
  const e = catalogueEntry(code);
  const steps = FINE_STEPS.get(code)!.filter((v) => v <= max);
  if (steps.length === 0) throw new Error(`no fine of ${code} at most ${max}`);
  return r.chance(0.4) && e.fineDefault <= max ? e.fineDefault : r.pick(steps);
}

// ---------------------------------------------------------------- plates

const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ'; // no I, O
const ALNUM = `${LETTERS}0123456789`;
/** 5 digits, or 4 digits with one letter at any of 5 positions */
const ORDINARY_SPACE = 100_000 + 5 * 240_000;
/** [DF] + one letter-or-digit + 4 digits */
const NEW_ENERGY_SPACE = 2 * 34 * 10_000;
/**
 * A bijection of [0, blocks × 10,000): an affine step, then two rounds that stir the last four
 * digits by the block and the block by the digits, so neighbouring ids give unrelated plates.
 */
function scramble(id: number, blocks: number): number {
  const space = blocks * 10_000;
  const x = (id * 7919 + 104_729) % space; // 7919 is prime, coprime to both spaces
  const q = Math.floor(x / 10_000);
  const low = (x + hash32(q + 1)) % 10_000;
  const high = (q + hash32(low + 77)) % blocks;
  return high * 10_000 + low;
}

function ordinarySuffix(id: number): string {
  let n = scramble(id, ORDINARY_SPACE / 10_000);
  if (n < 100_000) return String(n).padStart(5, '0');
  n -= 100_000;
  const at = Math.floor(n / 240_000);
  const digits = String(n % 10_000).padStart(4, '0');
  return digits.slice(0, at) + LETTERS[Math.floor((n % 240_000) / 10_000)] + digits.slice(at);
}
function newEnergySuffix(id: number): string {
  const n = scramble(id, NEW_ENERGY_SPACE / 10_000);
  return (n >= 340_000 ? 'F' : 'D') + ALNUM[Math.floor(n / 10_000) % 34] + String(n % 10_000).padStart(4, '0');
}

const LOCAL_PREFIX = '苏A';
const NON_LOCAL_PREFIXES = ['苏B', '苏C', '苏D', '苏E', '苏F', '苏H', '苏K', '苏L', '苏M', '苏N', '皖A', '皖E', '皖D', '皖K', '鲁A', '鲁Q', '浙A', '浙B', '沪A', '豫A'];

/**
 * Plate id ranges. Every id gives one plate (prefix and style follow from the id, the suffix is a
 * bijection of it), so disjoint ranges are disjoint plate sets. All ids stay below
 * NEW_ENERGY_SPACE, the smaller of the two suffix spaces. Sized so that at the default sizes no
 * background plate comes twice: a camera pool that wrapped would turn later warnings into
 * penalties, a ramp the period-end detector would read as a month-end spike.
 */
const PLATE_POOLS = {
  cameraCarLocal: { base: 0, size: 200_000, local: true, newEnergy: 0.18 },
  cameraCarNonLocal: { base: 200_000, size: 60_000, local: false, newEnergy: 0.12 },
  cameraFreightLocal: { base: 260_000, size: 45_000, local: true, newEnergy: 0 },
  cameraFreightNonLocal: { base: 305_000, size: 20_000, local: false, newEnergy: 0 },
  onSiteCarLocal: { base: 325_000, size: 100_000, local: true, newEnergy: 0.15 },
  onSiteCarNonLocal: { base: 425_000, size: 30_000, local: false, newEnergy: 0.1 },
  onSiteFreightLocal: { base: 455_000, size: 30_000, local: true, newEnergy: 0 },
  onSiteFreightNonLocal: { base: 485_000, size: 20_000, local: false, newEnergy: 0 },
  injectedCarLocal: { base: 505_000, size: 10_000, local: true, newEnergy: 0.15 },
  injectedCarNonLocal: { base: 515_000, size: 10_000, local: false, newEnergy: 0.1 },
  injectedFreightLocal: { base: 525_000, size: 10_000, local: true, newEnergy: 0 },
  injectedFreightNonLocal: { base: 535_000, size: 10_000, local: false, newEnergy: 0 },
} as const;
type PlatePoolName = keyof typeof PLATE_POOLS;

function plateForId(id: number, local: boolean, newEnergyShare: number): string {
  const h = hash32(id);
  const prefix = local ? LOCAL_PREFIX : NON_LOCAL_PREFIXES[h % NON_LOCAL_PREFIXES.length]!;
  return (h >>> 8) % 1000 < newEnergyShare * 1000 ? prefix + newEnergySuffix(id) : prefix + ordinarySuffix(id);
}

/** Hands out the plates of one pool in order; wraps after `size` plates. */
class PlatePool {
  private cursor = 0;
  constructor(private readonly name: PlatePoolName) {}
  next(): string {
    const p = PLATE_POOLS[this.name];
    return plateForId(p.base + (this.cursor++ % p.size), p.local, p.newEnergy);
  }
}
function platePools(): Record<PlatePoolName, PlatePool> {
  return Object.fromEntries(Object.keys(PLATE_POOLS).map((k) => [k, new PlatePool(k as PlatePoolName)])) as Record<PlatePoolName, PlatePool>;
}

/** New-energy small plates (8 chars) belong to small passenger cars. */
function carTypeFor(r: Random, plate: string): VehicleType {
  if (plate.length === 8) return 'smallPassenger';
  return CAR_TYPES.pick(r);
}
const CAR_TYPES = new Weighted<VehicleType>([['smallPassenger', 93], ['largePassenger', 5], ['motorcycle', 2]]);
const FREIGHT_TYPES = new Weighted<VehicleType>([['lightTruck', 35], ['mediumTruck', 20], ['heavyTruck', 30], ['tractor', 15]]);

/**
 * Deals `true` to a fixed share of each key's records, evenly spread (share 0.25: every 4th), so
 * a small count per officer or device still sits at the share instead of wandering by chance.
 */
class Rota {
  private readonly counts = new Map<string, number>();
  constructor(private readonly share: number) {}
  next(key: string, share = this.share): boolean {
    let c = this.counts.get(key);
    if (c === undefined) c = [...key].reduce((h, ch) => hash32(h ^ ch.charCodeAt(0)), 0) % 20;
    this.counts.set(key, c + 1);
    return Math.floor((c + 1) * share) > Math.floor(c * share);
  }
}

// ---------------------------------------------------------------- people met on the road

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文辉鹏飞斌宇浩凯健俊帆帅旭宁龙林阳波海峰亮成晨博鑫晓东雪梅琳玲婷慧颖倩';
const REGION_BY_PROVINCE: Record<string, string> = { 苏: '32', 皖: '34', 鲁: '37', 浙: '33', 沪: '31', 豫: '41' };
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

function personName(r: Random): string {
  return r.pick([...SURNAMES]) + r.pick([...GIVEN]) + (r.chance(0.6) ? r.pick([...GIVEN]) : '');
}

/** An 18-digit resident ID number with a valid GB 11643 check digit, from the plate's region. */
function idNumber(r: Random, plate: string): string {
  const province = REGION_BY_PROVINCE[plate[0]!] ?? '32';
  const city = plate[1] === 'A' ? '01' : String(r.int(2, 13)).padStart(2, '0');
  const district = String(r.pick([2, 4, 5, 6, 11, 13, 14, 15, 16, 81, 82])).padStart(2, '0');
  const birth = `${r.int(1962, 2004)}${String(r.int(1, 12)).padStart(2, '0')}${String(r.int(1, 28)).padStart(2, '0')}`;
  const body = `${province}${city}${district}${birth}${String(r.int(1, 999)).padStart(3, '0')}`;
  const sum = [...body].reduce((s, d, i) => s + Number(d) * ID_WEIGHTS[i]!, 0);
  return body + ID_CHECK[sum % 11];
}

/** The party's identity on an on-site record (a new person); the licence number is the ID number in China. */
function driverFor(r: Random, plate: string, party: Party, issued: Set<string>): IntakeDriver {
  let id = idNumber(r, plate);
  while (issued.has(id)) id = idNumber(r, plate); // one person per ID: no made-up "prior violation" by driver
  issued.add(id);
  return party === 'motorVehicleDriver' ? { name: personName(r), idNumber: id, licenceNo: id } : { name: personName(r), idNumber: id };
}

// ---------------------------------------------------------------- evidence and places

function cameraEvidence(r: Random, externalId: string, deviceId: string, ms: number): IntakeEvidence {
  const n = r.chance(0.3) ? 1 : r.chance(0.7) ? 2 : 3;
  const day = beijingDay(ms);
  return Array.from({ length: n }, (_, i) => {
    const kind = i === 2 ? ('video' as const) : ('photo' as const);
    const ref = `evidence://${deviceId}/${day}/${externalId}-${i + 1}.${kind === 'video' ? 'mp4' : 'jpg'}`;
    return { kind, ref, sha256: sha256Hex(ref) };
  });
}

function bodyCamEvidence(externalId: string, badgeNo: string, ms: number): IntakeEvidence {
  const ref = `bodycam://${badgeNo}/${beijingDay(ms)}/${externalId}.mp4`;
  return [{ kind: 'bodyCam', ref, sha256: sha256Hex(ref) }];
}

function cameraPlace(c: DemoCamera): IntakePlace {
  return { road: c.road, direction: c.direction, km: c.km, lat: c.lat, lon: c.lon, description: c.description };
}

/** Somewhere on the road of a camera of the squadron, within maxKm of it. */
function spotNear(r: Random, c: DemoCamera, maxKm: number): IntakePlace {
  const km = round(Math.max(0, c.km + (r.next() * 2 - 1) * maxKm), 1);
  return {
    road: c.road,
    direction: c.direction,
    km,
    lat: round(c.lat + (r.next() - 0.5) * 0.006, 5),
    lon: round(c.lon + (r.next() - 0.5) * 0.006, 5),
    description: `${c.description}附近`,
  };
}

// ---------------------------------------------------------------- the brigade as the generator sees it

type Area = 'city' | 'suburb' | 'expressway';
const SQUADRON_AREA: Record<string, Area> = { sq1: 'city', sq2: 'suburb', sq3: 'suburb', sq4: 'expressway' };

interface Squad {
  key: string;
  area: Area;
  /** active 民警, by 警号 */
  police: string[];
  /** active 辅警 */
  auxiliaries: string[];
  cameras: DemoCamera[];
  /** the squadron's cameras grouped by road: where its officers work */
  roads: DemoCamera[][];
}

interface World {
  seed: number;
  start: number;
  days: number;
  endAt: number;
  squads: Squad[];
  squadOf: Map<string, Squad>;
  people: readonly EnforcementPerson[];
  /** per day index: the day is one of the last 3 days of its month */
  monthEnd: boolean[];
  /** the last 3 days of each month that lie wholly inside the window */
  monthEndTriples: number[][];
  dayStart(d: number): number;
  /** officers the injected misconduct is about, chosen once per seed */
  roles: { flatAmount: string; nonLocal: string; periodEnd: string; dailyCap: string; truckRepeat: string; others: string[] };
}

function byRoad(cameras: readonly DemoCamera[]): DemoCamera[][] {
  const roads = new Map<string, DemoCamera[]>();
  for (const c of cameras) roads.set(c.road, [...(roads.get(c.road) ?? []), c]);
  return [...roads.values()];
}

function buildWorld(opts: Required<Omit<EnforcementDemoOptions, 'endAt'>> & { endAt: number }): World {
  const start = opts.endAt - opts.days * DAY;
  const squads: Squad[] = DEMO_UNITS.filter((u) => u.kind === 'squadron')
    .map((u) => {
      const members = opts.people.filter((p) => p.unitKey === u.key && p.status === 'active');
      return {
        key: u.key,
        area: SQUADRON_AREA[u.key] ?? 'suburb',
        police: members.filter((p) => p.category === 'police').map((p) => p.badgeNo).sort(),
        auxiliaries: members.filter((p) => p.category === 'auxiliary').map((p) => p.badgeNo).sort(),
        cameras: DEMO_CAMERAS.filter((c) => c.owningUnitKey === u.key),
        roads: byRoad(DEMO_CAMERAS.filter((c) => c.owningUnitKey === u.key)),
      };
    })
    .filter((s) => s.police.length >= 2 && s.cameras.length > 0);
  if (squads.reduce((n, s) => n + s.police.length, 0) < 12) throw new Error('the enforcement demo needs at least 12 active police officers in squadrons');
  const squadOf = new Map<string, Squad>();
  for (const s of squads) for (const b of [...s.police, ...s.auxiliaries]) squadOf.set(b, s);

  const dayStart = (d: number) => start + d * DAY;
  const monthEnd: boolean[] = [];
  const byMonth = new Map<string, number[]>();
  for (let d = 0; d < opts.days; d++) {
    const date = new Date(dayStart(d) + BEIJING_OFFSET);
    const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
    const isEnd = date.getUTCDate() > lastDay - 3;
    monthEnd.push(isEnd);
    const month = date.toISOString().slice(0, 7);
    if (isEnd) byMonth.set(month, [...(byMonth.get(month) ?? []), d]);
  }
  const monthEndTriples = [...byMonth.values()].filter((ds) => ds.length === 3);

  // The officers of the injected cases: not the demo accounts' people, distinct, fixed per seed.
  const r = seededRandom(streamSeed(opts.seed, 9, 0));
  const accountBadges = new Set(DEMO_ACCOUNT_PEOPLE.map((p) => p.badgeNo));
  const pool = squads.flatMap((s) => s.police).filter((b) => !accountBadges.has(b));
  for (let i = pool.length - 1; i > 0; i--) {
    const j = r.int(0, i);
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  const [flatAmount, nonLocal, periodEnd, dailyCap, truckRepeat, ...others] = pool as [string, string, string, string, string, ...string[]];
  return { seed: opts.seed, start, days: opts.days, endAt: opts.endAt, squads, squadOf, people: opts.people, monthEnd, monthEndTriples, dayStart, roles: { flatAmount, nonLocal, periodEnd, dailyCap, truckRepeat, others } };
}

// ---------------------------------------------------------------- background rhythm and mix

const CAMERA_HOURS = [0.25, 0.15, 0.1, 0.1, 0.15, 0.35, 0.8, 1.6, 1.8, 1.2, 1.0, 1.0, 0.9, 0.9, 1.0, 1.05, 1.2, 1.7, 1.8, 1.25, 0.95, 0.7, 0.5, 0.35];
const ON_SITE_HOURS = [0.02, 0.01, 0.01, 0.01, 0.01, 0.05, 0.4, 1.6, 1.8, 1.1, 1.0, 1.0, 0.6, 0.7, 1.0, 1.0, 1.2, 1.6, 1.7, 0.9, 0.5, 0.3, 0.1, 0.05];
const hourTable = (weights: number[]) => new Weighted(weights.map((w, h) => [h, w] as const));
const CAMERA_HOUR = hourTable(CAMERA_HOURS);
const ON_SITE_HOUR = hourTable(ON_SITE_HOURS);
/** Monday–Friday busier than the weekend. */
const weekdayWeight = (ms: number, weekend: number) => {
  const wd = new Date(ms + BEIJING_OFFSET).getUTCDay();
  return wd === 0 ? weekend * 0.92 : wd === 6 ? weekend : 1;
};

const CAMERA_VOLUME: Record<CameraType, number> = { checkpoint: 1.6, speed: 1.4, redLight: 1.3, lane: 0.9, parking: 0.7 };
const CAMERA_FREIGHT: Record<CameraType, number> = { checkpoint: 0.25, speed: 0.08, lane: 0.06, redLight: 0.05, parking: 0.03 };
// Per type and vehicle kind. Among each device's fined (not warning-eligible) codes no single
// default amount dominates, so no device looks like a flat-amount charger.
const CAMERA_CODES: Record<CameraType, Record<'car' | 'freight', Array<[string, number]>>> = {
  speed: { car: [['1301', 85], ['1636', 15]], freight: [['1301', 80], ['1636', 20]] },
  redLight: { car: [['1625', 45], ['1357', 15], ['1345', 20], ['1042', 20]], freight: [['1625', 45], ['1357', 15], ['1345', 20], ['1042', 20]] },
  parking: { car: [['1039', 1]], freight: [['1039', 1]] },
  lane: { car: [['1042', 25], ['1345', 20], ['1240', 15], ['1223', 20], ['1625', 20]], freight: [['1042', 25], ['1345', 20], ['1240', 15], ['1223', 20], ['1625', 20]] },
  checkpoint: {
    car: [['1344', 10], ['1240', 35], ['1223', 30], ['1636', 5], ['1042', 20]],
    freight: [['6046', 25], ['6047', 10], ['1344', 20], ['1240', 15], ['1223', 15], ['1636', 5], ['1042', 10]],
  },
};
/** A code list split into fined and warning-eligible codes, with the share of fined ones. */
interface CodeMix {
  fineShare: number;
  fine: Weighted<string> | null;
  warn: Weighted<string> | null;
}
function codeMix(codes: Array<[string, number]>): CodeMix {
  const fined = codes.filter(([code]) => !catalogueEntry(code).warningEligible);
  const warned = codes.filter(([code]) => catalogueEntry(code).warningEligible);
  const weight = (list: Array<[string, number]>) => list.reduce((n, [, w]) => n + w, 0);
  return { fineShare: weight(fined) / weight(codes), fine: fined.length ? new Weighted(fined) : null, warn: warned.length ? new Weighted(warned) : null };
}
const CAMERA_CODE_MIX = Object.fromEntries(
  Object.entries(CAMERA_CODES).map(([type, kinds]) => [type, { car: codeMix(kinds.car), freight: codeMix(kinds.freight) }]),
) as Record<CameraType, Record<'car' | 'freight', CodeMix>>;

const ON_SITE_FREIGHT: Record<Area, number> = { city: 0.04, suburb: 0.22, expressway: 0.3 };
const ON_SITE_CODES: Record<Area, Array<[string, number]>> = {
  city: [['1223', 16], ['1240', 14], ['1625', 10], ['1357', 10], ['1344', 6], ['1345', 8], ['1042', 8], ['1039', 14], ['1301', 4], ['1349', 5], ['1636', 1]],
  suburb: [['1223', 16], ['1240', 16], ['1625', 10], ['1357', 8], ['1344', 8], ['1345', 8], ['1042', 10], ['1039', 6], ['1301', 8], ['1349', 3], ['1636', 3]],
  expressway: [['1223', 20], ['1240', 20], ['1636', 10], ['1042', 15], ['1345', 10], ['1301', 15], ['1344', 10]],
};
/** Per area, vehicle kind and outcome: codes that are fined (not warning-eligible) or warned. */
const ON_SITE_CODE_TABLES = Object.fromEntries(
  Object.entries(ON_SITE_CODES).map(([area, codes]) => {
    const freight: Array<[string, number]> = [...codes.filter(([code]) => code !== '1039'), ['6046', 18], ['6047', 5]];
    const split = (list: Array<[string, number]>, fined: boolean) => new Weighted(list.filter(([code]) => catalogueEntry(code).warningEligible !== fined));
    return [area, { car: { fine: split(codes, true), warn: split(codes, false) }, freight: { fine: split(freight, true), warn: split(freight, false) } }];
  }),
) as Record<Area, Record<'car' | 'freight', Record<'fine' | 'warn', Weighted<string>>>>;
/** Share of an officer's motor-vehicle records that are fines (the rest: first-violation warnings). */
const ON_SITE_FINE_SHARE = 0.5;
const NON_MOTOR_PARTIES = new Weighted<[Party, string, VehicleType]>([
  [['pedestrian', '2001', 'other'], 5],
  [['nonMotor', '2002', 'other'], 7],
  [['passenger', '2003', 'smallPassenger'], 2],
]);

// ---------------------------------------------------------------- on-site rows

interface OnSiteSpec {
  externalId: string;
  ms: number;
  officer: string;
  assistants?: string[];
  plate: string;
  vehicleType: VehicleType;
  code: string;
  party?: Party;
  fine: number;
  points: number;
  /** default: simple up to ¥200, general above */
  procedure?: 'simple' | 'general';
  /** default: bank for a fine, none for a warning; null: none */
  payment?: IntakeRow['payment'] | null;
  /** default: one body-cam clip */
  evidence?: IntakeEvidence;
  place: IntakePlace;
  driver: IntakeDriver;
}

function onSiteDraft(s: OnSiteSpec): Draft {
  const payment = s.payment === undefined ? (s.fine > 0 ? { method: 'bank' as const } : undefined) : (s.payment ?? undefined);
  const row: IntakeRow = {
    externalId: s.externalId,
    kind: 'onSite',
    plate: s.plate,
    vehicleType: s.vehicleType,
    violationCode: s.code,
    occurredAt: beijingIso(s.ms),
    place: s.place,
    decidingOfficer: s.officer,
    assistants: s.assistants ?? [],
    procedure: s.procedure ?? (s.fine > 200 ? 'general' : 'simple'),
    party: s.party ?? 'motorVehicleDriver',
    fineYuan: s.fine,
    points: s.points,
    evidence: s.evidence ?? bodyCamEvidence(s.externalId, s.officer, s.ms),
    driver: s.driver,
  };
  if (payment) row.payment = payment;
  return { ms: s.ms, row };
}

function cameraDraft(s: { externalId: string; ms: number; camera: DemoCamera; plate: string; vehicleType: VehicleType; code: string; evidence: IntakeEvidence; fineYuan?: number }): Draft {
  const row: IntakeRow = {
    externalId: s.externalId,
    kind: 'camera',
    plate: s.plate,
    vehicleType: s.vehicleType,
    violationCode: s.code,
    occurredAt: beijingIso(s.ms),
    place: cameraPlace(s.camera),
    deviceId: s.camera.deviceId,
    evidence: s.evidence,
  };
  if (s.fineYuan !== undefined) row.fineYuan = s.fineYuan;
  return { ms: s.ms, row };
}

// ---------------------------------------------------------------- the background, one day at a time

interface FollowUp {
  plate: string;
  vehicleType: VehicleType;
  party: Party;
  code: string;
  driver: IntakeDriver;
  squad: Squad;
  firstRoad: string;
}

function backgroundGenerator(w: World, cameraRecords: number, onSiteRecords: number, injectedIdNumbers: ReadonlySet<string>) {
  const cameraPerDay = allocate(cameraRecords, Array.from({ length: w.days }, (_, d) => weekdayWeight(w.dayStart(d), 0.8)));
  const onSitePerDay = allocate(onSiteRecords, Array.from({ length: w.days }, (_, d) => weekdayWeight(w.dayStart(d), 0.85)));
  const cameraVolumes = DEMO_CAMERAS.map((c) => CAMERA_VOLUME[c.type]);
  const squadPick = new Weighted(w.squads.map((s) => [s, s.police.length] as const));
  // The officers of the flat-amount and non-local cases deal with no background freight, so their
  // freight figures are exactly what their cases inject.
  const noBackgroundFreight = new Set([w.roles.flatAmount, w.roles.nonLocal]);

  const pools = platePools();
  const nonLocalRota = new Rota(0.25);
  // A device's day, its freight share and its fined share follow fixed proportions, so its daily
  // penalties move only with the weekly rhythm (D-PERIOD-END reads devices too).
  const cameraRota = new Rota(0);
  const fineRota = new Rota(ON_SITE_FINE_SHARE);
  const turn = new Map<string, number>();
  const followUps = new Map<number, FollowUp[]>();
  const idNumbers = new Set(injectedIdNumbers);
  let receiptSeq = 0;

  // Each squadron deals its fines, freight fines and warnings over its roads in turn, so a road's
  // daily penalties are as even as an officer's (the detectors group on-site records by road too).
  const roadTurn = new Map<string, number>();
  const nextRoad = (squad: Squad, lane: 'fine' | 'freight' | 'warn', avoid?: string): DemoCamera[] => {
    for (let tries = 0; ; tries++) {
      const t = roadTurn.get(`${squad.key}:${lane}`) ?? 0;
      roadTurn.set(`${squad.key}:${lane}`, t + 1);
      const road = squad.roads[t % squad.roads.length]!;
      if (road[0]!.road !== avoid || tries >= squad.roads.length) return road;
    }
  };

  const nextOfficer = (squad: Squad, freight: boolean): string => {
    for (let tries = 0; ; tries++) {
      const t = turn.get(squad.key) ?? 0;
      turn.set(squad.key, t + 1);
      const badge = squad.police[t % squad.police.length]!;
      if (!(freight && noBackgroundFreight.has(badge)) || tries > squad.police.length) return badge;
    }
  };

  function cameraDay(d: number): Draft[] {
    const r = seededRandom(streamSeed(w.seed, 1, d));
    const dayStart = w.dayStart(d);
    const raw: Array<{ ms: number; camera: DemoCamera; plate: string; vehicleType: VehicleType; code: string }> = [];
    const perDevice = allocate(cameraPerDay[d]!, cameraVolumes);
    DEMO_CAMERAS.forEach((camera, k) => {
      for (let i = 0; i < perDevice[k]!; i++) {
        const ms = dayStart + CAMERA_HOUR.pick(r) * HOUR + Math.floor(r.next() * HOUR);
        const freight = cameraRota.next(`${camera.deviceId}:freight`, CAMERA_FREIGHT[camera.type]);
        const mix = CAMERA_CODE_MIX[camera.type][freight ? 'freight' : 'car'];
        const fined = mix.warn === null || (mix.fine !== null && cameraRota.next(`${camera.deviceId}:${freight}:fined`, mix.fineShare));
        const code = (fined ? mix.fine : mix.warn)!.pick(r);
        let plate: string;
        let vehicleType: VehicleType;
        if (freight) {
          plate = (nonLocalRota.next(`${camera.deviceId}:${fined ? 'p' : 'w'}`) ? pools.cameraFreightNonLocal : pools.cameraFreightLocal).next();
          vehicleType = FREIGHT_TYPES.pick(r);
        } else {
          plate = (r.chance(0.8) ? pools.cameraCarLocal : pools.cameraCarNonLocal).next();
          vehicleType = carTypeFor(r, plate);
        }
        raw.push({ ms, camera, plate, vehicleType, code });
      }
    });
    raw.sort((a, b) => a.ms - b.ms);
    const day = beijingDay(dayStart);
    return raw.map((c, i) => {
      const externalId = `CAM-${day}-${String(i + 1).padStart(6, '0')}`;
      return cameraDraft({ ...c, externalId, evidence: cameraEvidence(r, externalId, c.camera.deviceId, c.ms) });
    });
  }

  function onSiteDay(d: number): Draft[] {
    const r = seededRandom(streamSeed(w.seed, 2, d));
    const dayStart = w.dayStart(d);
    const day = beijingDay(dayStart);
    const specs: Array<Omit<OnSiteSpec, 'externalId' | 'evidence'>> = [];
    const quota = onSitePerDay[d]!;
    const at = () => dayStart + ON_SITE_HOUR.pick(r) * HOUR + Math.floor(r.next() * HOUR);

    // Pedestrians and riders met again: no longer a first violation, so a fine is lawful.
    for (const f of (followUps.get(d) ?? []).slice(0, quota)) {
      const fine = variedFine(r, f.code);
      const cash = r.chance(0.6);
      specs.push({
        ms: at(),
        officer: nextOfficer(f.squad, false),
        assistants: r.chance(0.5) ? [r.pick(f.squad.auxiliaries.length ? f.squad.auxiliaries : f.squad.police)] : [],
        plate: f.plate,
        vehicleType: f.vehicleType,
        code: f.code,
        party: f.party,
        fine,
        points: 0,
        payment: cash ? { method: 'cashOnSpot', receiptNo: `SJ${day}${String(++receiptSeq).padStart(6, '0')}` } : { method: 'online' },
        place: spotNear(r, r.pick(nextRoad(f.squad, 'fine', f.firstRoad)), 1),
        driver: f.driver,
      });
    }
    followUps.delete(d);

    while (specs.length < quota) {
      const squad = squadPick.pick(r);
      const ms = at();
      if (squad.area !== 'expressway' && r.chance(0.14)) {
        const [party, code, vehicleType] = NON_MOTOR_PARTIES.pick(r);
        const plate = pools.onSiteCarLocal.next();
        const driver = driverFor(r, plate, party, idNumbers);
        const officer = nextOfficer(squad, false);
        const camera = r.pick(nextRoad(squad, 'warn'));
        specs.push({ ms, officer, assistants: r.chance(0.5) ? [r.pick(squad.auxiliaries.length ? squad.auxiliaries : squad.police)] : [], plate, vehicleType, code, party, fine: 0, points: 0, place: spotNear(r, camera, 1.5), driver });
        const again = d + r.int(3, 25);
        if (r.chance(0.35) && again < w.days) followUps.set(again, [...(followUps.get(again) ?? []), { plate, vehicleType, party, code, driver, squad, firstRoad: camera.road }]);
        continue;
      }
      const freight = r.chance(ON_SITE_FREIGHT[squad.area]);
      const officer = nextOfficer(squad, freight);
      // Every background plate is first-time: a warning-eligible violation gets a warning.
      const fined = fineRota.next(officer);
      const code = ON_SITE_CODE_TABLES[squad.area][freight ? 'freight' : 'car'][fined ? 'fine' : 'warn'].pick(r);
      const fine = fined ? variedFine(r, code) : 0;
      const points = fined ? catalogueEntry(code).points : 0;
      const camera = r.pick(nextRoad(squad, fined ? (freight ? 'freight' : 'fine') : 'warn'));
      const place = spotNear(r, camera, 1.5);
      let plate: string;
      let vehicleType: VehicleType;
      if (freight) {
        // Officers stay below the non-local detector's minimum; roads reach it, so the road keeps the share.
        plate = (nonLocalRota.next(`road:${camera.road}:${fined ? 'p' : 'w'}`) ? pools.onSiteFreightNonLocal : pools.onSiteFreightLocal).next();
        vehicleType = FREIGHT_TYPES.pick(r);
      } else {
        plate = (r.chance(0.82) ? pools.onSiteCarLocal : pools.onSiteCarNonLocal).next();
        vehicleType = carTypeFor(r, plate);
      }
      const assistants: string[] = [];
      if (fine > 200) assistants.push(r.pick(squad.police.filter((b) => b !== officer))); // general procedure: ≥ 2 民警
      if (r.chance(0.6)) {
        const helper = r.pick([...squad.police, ...squad.auxiliaries]);
        if (helper !== officer && !assistants.includes(helper)) assistants.push(helper);
      }
      const payment = fine > 0 ? { method: r.chance(0.55) ? ('bank' as const) : ('online' as const) } : null;
      specs.push({ ms, officer, assistants, plate, vehicleType, code, party: 'motorVehicleDriver', fine, points, payment, place, driver: driverFor(r, plate, 'motorVehicleDriver', idNumbers) });
    }
    specs.sort((a, b) => a.ms - b.ms);
    return specs.map((s, i) => onSiteDraft({ ...s, externalId: `ONS-${day}-${String(i + 1).padStart(5, '0')}` }));
  }

  return { cameraDay, onSiteDay };
}

// ---------------------------------------------------------------- entry point

/**
 * Generates the demo's enforcement records. The injected misconduct is the same at every size, so
 * a small run (2,000 camera and 300 on-site records) carries every case too. Up to about 280,000
 * camera records every background plate is new; beyond, camera plates come back (never inside a
 * repeat window, but a plate seen before gets a penalty where it got a warning).
 */
export function generateEnforcementDemo(opts: EnforcementDemoOptions): EnforcementDemo {
  const days = opts.days ?? 90;
  const cameraRecords = opts.cameraRecords ?? 200_000;
  const onSiteRecords = opts.onSiteRecords ?? 5_000;
  if (days < 45) throw new Error('the enforcement demo needs a window of at least 45 days');
  if (onSiteRecords > 100_000) throw new Error('the enforcement demo generates at most 100,000 on-site records');
  const endAt = opts.endAt ? opts.endAt.getTime() : startOfBeijingDay(Date.now());
  const world = buildWorld({ seed: opts.seed, days, cameraRecords, onSiteRecords, people: opts.people, endAt });

  const { drafts, cases, idNumbers } = planMisconduct(world);
  const injectedByDay = new Map<number, Draft[]>();
  for (const dr of drafts) {
    const d = Math.floor((dr.ms - world.start) / DAY);
    if (d < 0 || d >= days) throw new Error(`injected record ${dr.row.externalId} falls outside the window`);
    injectedByDay.set(d, [...(injectedByDay.get(d) ?? []), dr]);
  }

  const groundTruth: GroundTruth = { seed: opts.seed, generatedFor: { days, cameraRecords, onSiteRecords, endAt: beijingIso(endAt) }, cases };

  function* rows(): Generator<IntakeRow> {
    const background = backgroundGenerator(world, cameraRecords, onSiteRecords, idNumbers);
    for (let d = 0; d < days; d++) {
      const day = [...background.cameraDay(d), ...background.onSiteDay(d), ...(injectedByDay.get(d) ?? []).map((dr) => ({ ms: dr.ms, row: structuredClone(dr.row) }))];
      day.sort((a, b) => a.ms - b.ms);
      for (const dr of day) yield dr.row;
    }
  }
  return { rows, groundTruth };
}

/** The demo personnel (org.demo.ts) as the generator needs them: everyone active. */
export function demoEnforcementPeople(seed: number): EnforcementPerson[] {
  const unitIds = new Map(DEMO_UNITS.map((u, i) => [u.key, i + 1]));
  const keyOf = new Map([...unitIds].map(([k, id]) => [id, k]));
  return demoPersonnel(seededRandom(seed), unitIds).map((p) => ({ badgeNo: p.badgeNo, name: p.name, category: p.category, status: 'active', unitKey: keyOf.get(p.unitId)! }));
}

// ---------------------------------------------------------------- injected misconduct

/**
 * The misconduct on top of the background, and its ground truth. Independent of the background
 * sizes. Every injected record breaks only the rule of its case; records that only support a case
 * (a first capture, the on-site half of a pair, a prior warning) are clean.
 */
function planMisconduct(w: World): { drafts: Draft[]; cases: GroundTruthCase[]; idNumbers: Set<string> } {
  const r = seededRandom(streamSeed(w.seed, 3, 0));
  const idNumbers = new Set<string>();
  const pools = platePools();
  const drafts: Draft[] = [];
  const cases: GroundTruthCase[] = [];
  const { roles } = w;

  // ---- calendar
  const weekday = (d: number) => new Date(w.dayStart(d) + BEIJING_OFFSET).getUTCDay();
  const dayOfMonth = (d: number) => new Date(w.dayStart(d) + BEIJING_OFFSET).getUTCDate();
  const mid = Math.floor(w.days / 2);
  const capDay =
    Array.from({ length: w.days }, (_, k) => mid + (k % 2 ? -1 : 1) * Math.ceil(k / 2)).find(
      (d) => d > 0 && d < w.days - 3 && weekday(d) >= 1 && weekday(d) <= 5 && dayOfMonth(d) >= 10 && dayOfMonth(d) <= 20,
    ) ?? mid;
  /** days an officer's injected records may fall on: not a month's last 3 days, not the cap day */
  const safe = Array.from({ length: w.days - 4 }, (_, i) => i + 1).filter((d) => !w.monthEnd[d] && d !== capDay);
  const spread = (n: number, phase: number) => Array.from({ length: n }, (_, i) => safe[Math.floor(((i + phase) / n) * safe.length)]!);
  const at = (d: number, fromHour: number, toHour: number) => w.dayStart(d) + r.int(fromHour * 60, toHour * 60 - 1) * MINUTE + r.int(0, 59) * 1000;
  const lastDays = [w.days - 2, w.days - 1];

  // ---- people and places
  const squadOf = (badge: string) => w.squadOf.get(badge) ?? w.squads[0]!;
  const spot = (badge: string) => spotNear(r, r.pick(squadOf(badge).cameras), 1.5);
  // The flat-amount and non-local officers' freight work is spread over the brigade's roads (joint
  // operations), one record per road in turn, so no road inherits their pattern.
  const brigadeRoads = byRoad(w.squads.flatMap((sq) => sq.cameras));
  let brigadeTurn = 0;
  const brigadeSpot = () => spotNear(r, r.pick(brigadeRoads[brigadeTurn++ % brigadeRoads.length]!), 1.5);
  const policeHelper = (badge: string) => r.pick(squadOf(badge).police.filter((b) => b !== badge));
  let otherTurn = 0;
  const another = () => roles.others[otherTurn++ % roles.others.length]!;
  const carPlate = (nonLocal = false) => (nonLocal ? pools.injectedCarNonLocal : pools.injectedCarLocal).next();
  const freightPlate = (nonLocal = false) => (nonLocal ? pools.injectedFreightNonLocal : pools.injectedFreightLocal).next();
  const camerasOf = (type: CameraType) => DEMO_CAMERAS.filter((c) => c.type === type);
  let receiptSeq = 0;
  const receipt = (ms: number) => `SJ${beijingDay(ms)}9${String(++receiptSeq).padStart(5, '0')}`;

  type InjectedOnSite = Omit<OnSiteSpec, 'vehicleType' | 'place' | 'driver' | 'points'> & Partial<Pick<OnSiteSpec, 'vehicleType' | 'place' | 'driver' | 'points'>>;
  const onSite = (s: InjectedOnSite): string => {
    const party = s.party ?? 'motorVehicleDriver';
    const entry = catalogueEntry(s.code);
    const points = s.points ?? (s.fine > 0 ? entry.points : 0);
    drafts.push(onSiteDraft({ ...s, points, vehicleType: s.vehicleType ?? 'smallPassenger', place: s.place ?? spot(s.officer), driver: s.driver ?? driverFor(r, s.plate, party, idNumbers) }));
    return s.externalId;
  };
  const capture = (s: { externalId: string; ms: number; camera: DemoCamera; plate: string; vehicleType?: VehicleType; code: string; fineYuan?: number; evidence?: IntakeEvidence }): string => {
    drafts.push(cameraDraft({ ...s, vehicleType: s.vehicleType ?? 'smallPassenger', evidence: s.evidence ?? cameraEvidence(r, s.externalId, s.camera.deviceId, s.ms) }));
    return s.externalId;
  };
  const bank = () => ({ method: r.chance(0.5) ? ('bank' as const) : ('online' as const) });

  // ---- D-TRUCK-REPEAT at a checkpoint: 5 penalties in 19 days, 5 days, 5 codes (no R-REPEAT merge)
  {
    const cp = camerasOf('checkpoint').find((c) => c.owningUnitKey === 'sq3') ?? camerasOf('checkpoint')[0]!;
    const plate = freightPlate();
    const d0 = Math.floor(w.days * 0.25);
    ['6046', '1223', '1636', '6047', '1240'].forEach((code, i) =>
      capture({ externalId: `GT-TRUCK-CP-${i + 1}`, ms: at(d0 + [0, 4, 8, 13, 18][i]!, 9, 17), camera: cp, plate, vehicleType: 'heavyTruck', code }),
    );
    cases.push({
      id: 'D-TRUCK-REPEAT-1',
      rule: 'D-TRUCK-REPEAT',
      description: `重型货车${plate}在19天内于${cp.description}（${cp.deviceId}）被电子监控处罚5次（5个不同日期、5种违法行为）`,
      expect: { subjects: [{ kind: 'vehicle', id: plate }] },
    });
  }

  // ---- D-TRUCK-REPEAT by one officer: 4 penalties in under 20 days
  {
    const officer = roles.truckRepeat;
    const plate = freightPlate();
    const from = Math.floor(w.days * 0.55);
    const window = safe.filter((d) => d >= from && d < from + 19);
    const plan: Array<[string, number]> = [['6046', 300], ['1223', 100], ['1625', 150], ['1357', 100]];
    plan.forEach(([code, fine], i) =>
      onSite({
        externalId: `GT-TRUCK-OFF-${i + 1}`,
        ms: at(window[Math.floor((i * window.length) / 4)]!, 9, 17),
        officer,
        assistants: fine > 200 ? [policeHelper(officer)] : [],
        plate,
        vehicleType: 'mediumTruck',
        code,
        fine,
        payment: bank(),
      }),
    );
    cases.push({
      id: 'D-TRUCK-REPEAT-2',
      rule: 'D-TRUCK-REPEAT',
      description: `中型货车${plate}在20天内被民警${officer}现场处罚4次`,
      expect: { subjects: [{ kind: 'vehicle', id: plate }] },
    });
  }

  // ---- D-FLAT-AMOUNT: all of one officer's freight fines are ¥200, over 4 codes whose range holds 200
  {
    const officer = roles.flatAmount;
    const codes = ['1625', '1223', '1357', '6046'];
    spread(20, 0.3).forEach((d, i) =>
      onSite({
        externalId: `GT-FLAT-${i + 1}`,
        ms: at(d, 8, 18),
        officer,
        place: brigadeSpot(),
        plate: freightPlate(i % 4 === 3),
        vehicleType: FREIGHT_TYPES.pick(r),
        code: codes[i % codes.length]!,
        fine: 200,
        payment: bank(),
      }),
    );
    cases.push({
      id: 'D-FLAT-AMOUNT-1',
      rule: 'D-FLAT-AMOUNT',
      description: `民警${officer}对货车的20笔现场罚款均为200元，涉及4种违法代码（固定金额罚款）`,
      expect: { subjects: [{ kind: 'officer', id: officer }] },
    });
  }

  // ---- D-NONLOCAL: 26 of one officer's 30 freight penalties on non-local plates (87%, baseline ~25%)
  {
    const officer = roles.nonLocal;
    const codes = ['6046', '1223', '1625', '1357', '6047'];
    spread(30, 0.6).forEach((d, i) => {
      const code = codes[i % codes.length]!;
      const fine = variedFine(r, code);
      onSite({
        externalId: `GT-NONLOCAL-${i + 1}`,
        ms: at(d, 8, 18),
        officer,
        place: brigadeSpot(),
        assistants: fine > 200 ? [policeHelper(officer)] : [],
        plate: freightPlate(i % 9 !== 0),
        vehicleType: FREIGHT_TYPES.pick(r),
        code,
        fine,
        payment: bank(),
      });
    });
    cases.push({
      id: 'D-NONLOCAL-1',
      rule: 'D-NONLOCAL',
      description: `民警${officer}处罚的30起货车违法中26起为外地号牌（约87%，全大队约25%）`,
      expect: { subjects: [{ kind: 'officer', id: officer }] },
    });
  }

  // ---- D-PERIOD-END: 8 extra penalties a day on the last 3 days of each month, at one road (a
  // month-end "crackdown" spot), so the road spikes too, at any background size
  {
    const officer = roles.periodEnd;
    const camera = squadOf(officer).cameras[0]!;
    let n = 0;
    for (const triple of w.monthEndTriples)
      for (const d of triple)
        for (let k = 0; k < 8; k++) {
          const code = r.pick(['1223', '1625', '1357']);
          onSite({ externalId: `GT-PERIODEND-${++n}`, ms: at(d, 8, 19), officer, place: spotNear(r, camera, 0.8), plate: carPlate(r.chance(0.2)), code, fine: variedFine(r, code, 200), payment: bank() });
        }
    cases.push({
      id: 'D-PERIOD-END-1',
      rule: 'D-PERIOD-END',
      description: `民警${officer}在窗口内每月最后3天于${camera.road}每天多处罚8起（月末突击执法），共${n}起`,
      expect: { subjects: [{ kind: 'officer', id: officer }, { kind: 'checkpoint', id: camera.road }] },
    });
  }

  // ---- R-DAILY-CAP: 160 simple-procedure decisions by one officer on one day
  {
    const officer = roles.dailyCap;
    const codes = ['1223', '1240', '1625', '1345', '1357', '1042', '1039'];
    for (let i = 0; i < 160; i++) {
      const code = codes[i % codes.length]!;
      const warning = catalogueEntry(code).warningEligible; // fresh plates: a warning is the lawful outcome
      onSite({
        externalId: `GT-DAILYCAP-${i + 1}`,
        ms: w.dayStart(capDay) + 7 * HOUR + i * 5 * MINUTE + r.int(0, 240) * 1000,
        officer,
        plate: carPlate(r.chance(0.2)),
        code,
        fine: warning ? 0 : variedFine(r, code, 200),
        payment: warning ? null : bank(),
      });
    }
    cases.push({
      id: 'R-DAILY-CAP-1',
      rule: 'R-DAILY-CAP',
      description: `民警${officer}在${beijingIso(w.dayStart(capDay)).slice(0, 10)}一天作出160起简易程序处罚决定（上限150）`,
      expect: { subjects: [{ kind: 'officer', id: officer }] },
    });
  }

  // ---- R-DECIDER: 辅警 as the deciding officer; a person who has left or is suspended
  {
    const auxiliaries = w.squads.flatMap((s) => s.auxiliaries);
    const plan: Array<[string, number]> = [['1223', 100], ['1357', 50], ['1625', 200]];
    const days = spread(3, 0.15);
    const ids = auxiliaries.length
      ? plan.map(([code, fine], i) => {
          const aux = auxiliaries[(i * 7 + 3) % auxiliaries.length]!;
          return onSite({
            externalId: `GT-DECIDER-AUX-${i + 1}`,
            ms: at(days[i]!, 8, 18),
            officer: aux,
            assistants: i === 2 ? [r.pick(squadOf(aux).police)] : [],
            plate: carPlate(),
            code,
            fine,
            payment: bank(),
          });
        })
      : [];
    if (ids.length) cases.push({ id: 'R-DECIDER-1', rule: 'R-DECIDER', description: '辅警作为处罚决定人作出现场处罚决定（辅警不具有执法主体资格）', expect: { records: ids } });

    const rank = (p: EnforcementPerson) => (p.category === 'police' ? 0 : 1);
    const inactive = w.people.filter((p) => p.status !== 'active').sort((a, b) => rank(a) - rank(b) || a.badgeNo.localeCompare(b.badgeNo))[0];
    if (inactive) {
      const id = onSite({
        externalId: 'GT-DECIDER-INACTIVE-1',
        ms: at(spread(1, 0.45)[0]!, 9, 17),
        officer: inactive.badgeNo,
        place: spotNear(r, r.pick(w.squads[0]!.cameras), 1.5),
        plate: carPlate(),
        code: '1223',
        fine: 100,
        payment: bank(),
      });
      cases.push({
        id: 'R-DECIDER-2',
        rule: 'R-DECIDER',
        description: `${inactive.status === 'left' ? '已离职' : '停职'}人员${inactive.badgeNo}作为处罚决定人作出现场处罚决定`,
        expect: { records: [id] },
      });
    }
  }

  // ---- R-FINE-RANGE on-site: amounts outside the range, wrong points
  {
    const days = spread(4, 0.7);
    const plan: Array<{ code: string; fine: number; points: number; general?: boolean }> = [
      { code: '1636', fine: 150, points: 12 }, // range 200–2000
      { code: '1625', fine: 250, points: 6, general: true }, // range 20–200
      { code: '1625', fine: 200, points: 3 }, // 6 points
      { code: '1223', fine: 100, points: 0 }, // 3 points
    ];
    const ids = plan.map((p, i) => {
      const officer = another();
      return onSite({ externalId: `GT-RANGE-ONS-${i + 1}`, ms: at(days[i]!, 8, 18), officer, assistants: p.general ? [policeHelper(officer)] : [], plate: carPlate(), code: p.code, fine: p.fine, points: p.points, payment: bank() });
    });
    cases.push({ id: 'R-FINE-RANGE-1', rule: 'R-FINE-RANGE', description: '现场处罚罚款金额超出违法代码法定幅度或记分与违法代码不符', expect: { records: ids } });
  }

  // ---- R-FINE-RANGE camera: a fine outside the range comes with the capture → held (last days: not yet overdue)
  {
    const plan: Array<[DemoCamera, string, number]> = [
      [camerasOf('redLight')[1]!, '1625', 300],
      [camerasOf('speed')[2]!, '1636', 3000],
      [camerasOf('lane')[1]!, '1223', 500],
    ];
    const ids = plan.map(([camera, code, fineYuan], i) => capture({ externalId: `GT-RANGE-CAM-${i + 1}`, ms: at(lastDays[i % 2]!, 8, 20), camera, plate: carPlate(), code, fineYuan }));
    cases.push({ id: 'R-FINE-RANGE-2', rule: 'R-FINE-RANGE', description: '电子监控记录所附罚款金额超出违法代码法定幅度，应待审核', expect: { records: ids } });
  }

  // ---- R-CASH: cash on the spot from motor-vehicle drivers; cash with no receipt
  {
    const days = spread(3, 0.85);
    const plan: Array<[string, number]> = [['1223', 100], ['1357', 50], ['1625', 100]];
    const ids = plan.map(([code, fine], i) => {
      const ms = at(days[i]!, 8, 18);
      return onSite({ externalId: `GT-CASH-MOTOR-${i + 1}`, ms, officer: another(), plate: carPlate(), code, fine, payment: { method: 'cashOnSpot', receiptNo: receipt(ms) } });
    });
    cases.push({ id: 'R-CASH-1', rule: 'R-CASH', description: '对机动车驾驶人当场收缴罚款（机动车驾驶人应到银行或网上缴纳）', expect: { records: ids } });

    // A pedestrian met twice: warned first, fined the second time, cash taken without a receipt.
    const officer = another();
    const squad = squadOf(officer);
    const plate = carPlate();
    const driver = driverFor(r, plate, 'pedestrian', idNumbers);
    const d = safe.find((x) => x >= 20 && x <= w.days - 10)!;
    const [first, second] = [squad.cameras[0]!, squad.cameras.find((c) => c.road !== squad.cameras[0]!.road) ?? squad.cameras[0]!];
    onSite({ externalId: 'GT-CASH-PRIOR-1', ms: at(d - 12, 9, 17), officer, plate, vehicleType: 'other', code: '2001', party: 'pedestrian', fine: 0, payment: null, driver, place: spotNear(r, first, 0.5) });
    const id = onSite({ externalId: 'GT-CASH-NORECEIPT-1', ms: at(d, 9, 17), officer, plate, vehicleType: 'other', code: '2001', party: 'pedestrian', fine: 20, payment: { method: 'cashOnSpot' }, driver, place: spotNear(r, second, 0.5) });
    cases.push({ id: 'R-CASH-2', rule: 'R-CASH', description: '当场收缴行人罚款未开具收据（12天前已对其警告，非首违）', expect: { records: [id] } });
  }

  // ---- R-REPEAT: a parked car captured 6 times in 5 hours by one camera (1039, window 1440 min)
  const parking = camerasOf('parking');
  [parking[0]!, parking[2]!].forEach((camera, k) => {
    const plate = carPlate();
    const d = spread(2, 0.25)[k]!;
    const t0 = at(d, 8, 10);
    const ids = [0, 55, 110, 170, 235, 300].map((min, i) => capture({ externalId: `GT-REPEAT-${k + 1}-${i + 1}`, ms: t0 + min * MINUTE, camera, plate, code: '1039' }));
    cases.push({
      id: `R-REPEAT-${k + 1}`,
      rule: 'R-REPEAT',
      description: `${plate}在${camera.description}（${camera.deviceId}）连续违停5小时内被抓拍6次，后5次应合并为同一违法行为`,
      expect: { records: ids.slice(1) },
    });
  });

  // ---- R-ONSITE-HANDLED: an officer dealt with the parked car on the spot; the camera caught it minutes later
  {
    const days = spread(4, 0.55);
    const ids = parking.slice(4, 8).map((camera, i) => {
      const squad = w.squads.find((s) => s.key === camera.owningUnitKey) ?? w.squads[0]!;
      const officer = roles.others.find((b) => squad.police.includes(b)) ?? another();
      const plate = carPlate();
      const ms = at(days[i]!, 8, 18);
      const place = { ...cameraPlace(camera), km: round(camera.km + 0.1, 1), lat: round(camera.lat + 0.0004, 5), description: `${camera.description}（现场查处）` };
      onSite({ externalId: `GT-HANDLED-ONS-${i + 1}`, ms, officer, plate, code: '1039', fine: 0, payment: null, place });
      return capture({ externalId: `GT-HANDLED-${i + 1}`, ms: ms + r.int(3, 9) * MINUTE, camera, plate, code: '1039' });
    });
    cases.push({ id: 'R-ONSITE-HANDLED-1', rule: 'R-ONSITE-HANDLED', description: '民警已现场处理（警告）的违停车辆，10分钟内又被同一路段电子监控抓拍，抓拍记录应作废', expect: { records: ids } });
  }

  // ---- R-WARN-FIRST: warning-eligible first violations fined anyway
  {
    const days = spread(4, 0.05);
    const plan: Array<[string, number]> = [['1240', 50], ['1345', 100], ['1042', 100], ['1039', 200]];
    const ids = plan.map(([code, fine], i) => onSite({ externalId: `GT-WARN-${i + 1}`, ms: at(days[i]!, 8, 18), officer: another(), plate: carPlate(i === 3), code, fine, payment: bank() }));
    cases.push({ id: 'R-WARN-FIRST-1', rule: 'R-WARN-FIRST', description: '首次轻微违法（可首违警告）仍予罚款', expect: { records: ids } });
  }

  // ---- R-PROCEDURE: simple procedure above ¥200; general procedure with one 民警
  {
    const days = spread(4, 0.4);
    const simple = [500, 300].map((fine, i) =>
      onSite({ externalId: `GT-PROC-SIMPLE-${i + 1}`, ms: at(days[i]!, 8, 18), officer: another(), plate: carPlate(), code: '1636', fine, procedure: 'simple', payment: bank() }),
    );
    cases.push({ id: 'R-PROCEDURE-1', rule: 'R-PROCEDURE', description: '罚款超过200元仍适用简易程序', expect: { records: simple } });
    const general = [1000, 800].map((fine, i) => {
      const officer = another();
      const aux = squadOf(officer).auxiliaries;
      return onSite({
        externalId: `GT-PROC-GENERAL-${i + 1}`,
        ms: at(days[i + 2]!, 8, 18),
        officer,
        assistants: i === 0 && aux.length ? [r.pick(aux)] : [],
        plate: carPlate(),
        code: '1636',
        fine,
        procedure: 'general',
        payment: bank(),
      });
    });
    cases.push({ id: 'R-PROCEDURE-2', rule: 'R-PROCEDURE', description: '一般程序处罚仅有一名民警参与（另一人为辅警或无人）', expect: { records: general } });
  }

  // ---- R-EVIDENCE: captures without any hashed photo or video (→ held); on-site penalties without body-cam
  {
    const plan: Array<[DemoCamera, string, VehicleType, IntakeEvidence]> = [
      [camerasOf('checkpoint')[0]!, '6046', 'heavyTruck', []],
      [camerasOf('redLight')[3]!, '1625', 'smallPassenger', []],
      [camerasOf('lane')[2]!, '1223', 'smallPassenger', [{ kind: 'photo', ref: 'evidence://lost/GT-EVID-CAM-3.jpg' }]],
    ];
    const cams = plan.map(([camera, code, vehicleType, evidence], i) =>
      capture({ externalId: `GT-EVID-CAM-${i + 1}`, ms: at(lastDays[i % 2]!, 8, 20), camera, plate: vehicleType === 'heavyTruck' ? freightPlate() : carPlate(), vehicleType, code, evidence }),
    );
    cases.push({ id: 'R-EVIDENCE-1', rule: 'R-EVIDENCE', description: '电子监控记录无带哈希的照片或视频证据，应待审核', expect: { records: cams } });
    const days = spread(2, 0.9);
    const photo = (id: string) => [{ kind: 'photo' as const, ref: `evidence://phone/${id}.jpg`, sha256: sha256Hex(id) }];
    const ons = [
      ['1223', 100, []],
      ['1625', 150, photo('GT-EVID-ONS-2')],
    ].map(([code, fine, evidence], i) =>
      onSite({ externalId: `GT-EVID-ONS-${i + 1}`, ms: at(days[i]!, 8, 18), officer: another(), plate: carPlate(), code: code as string, fine: fine as number, evidence: evidence as IntakeEvidence, payment: bank() }),
    );
    cases.push({ id: 'R-EVIDENCE-2', rule: 'R-EVIDENCE', description: '现场处罚无执法记录仪视频', expect: { records: ons } });
  }

  return { drafts, cases, idNumbers };
}
