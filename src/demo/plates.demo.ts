// Who and what the enforcement demo stops: plates from disjoint id pools, vehicle types, and the
// people met on the road, each with an ID number of their own.
import type { Party, VehicleType } from '../contracts/enforcement.ts';
import type { Random } from './random.ts';
import type { IntakeDriver } from './rows.demo.ts';
import { hash32, Weighted } from './sampling.ts';

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
export function platePools(): Record<PlatePoolName, PlatePool> {
  return Object.fromEntries(Object.keys(PLATE_POOLS).map((k) => [k, new PlatePool(k as PlatePoolName)])) as Record<PlatePoolName, PlatePool>;
}

/** New-energy small plates (8 chars) belong to small passenger cars. */
export function carTypeFor(r: Random, plate: string): VehicleType {
  if (plate.length === 8) return 'smallPassenger';
  return CAR_TYPES.pick(r);
}
const CAR_TYPES = new Weighted<VehicleType>([['smallPassenger', 93], ['largePassenger', 5], ['motorcycle', 2]]);
export const FREIGHT_TYPES = new Weighted<VehicleType>([['lightTruck', 35], ['mediumTruck', 20], ['heavyTruck', 30], ['tractor', 15]]);

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
export function driverFor(r: Random, plate: string, party: Party, issued: Set<string>): IntakeDriver {
  let id = idNumber(r, plate);
  while (issued.has(id)) id = idNumber(r, plate); // one person per ID: no made-up "prior violation" by driver
  issued.add(id);
  return party === 'motorVehicleDriver' ? { name: personName(r), idNumber: id, licenceNo: id } : { name: personName(r), idNumber: id };
}
