// The clean background of the enforcement demo, one day at a time: camera captures and on-site
// decisions in the brigade's daily and weekly rhythm, dealt so that no rule or detector fires on
// them (enforcement.demo.ts lists how).
import type { Party, VehicleType } from '../contracts/enforcement.ts';
import { BEIJING_OFFSET, HOUR, beijingDay } from './beijing-time.ts';
import { DEMO_CAMERAS, type CameraType, type DemoCamera } from './cameras.demo.ts';
import { carTypeFor, driverFor, FREIGHT_TYPES, platePools } from './plates.demo.ts';
import { seededRandom } from './random.ts';
import { cameraDraft, cameraEvidence, catalogueEntry, onSiteDraft, spotNear, variedFine, type Draft, type IntakeDriver, type OnSiteSpec } from './rows.demo.ts';
import { allocate, hash32, streamSeed, Weighted } from './sampling.ts';
import type { Area, Squad, World } from './world.demo.ts';

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

export function backgroundGenerator(w: World, cameraRecords: number, onSiteRecords: number, injectedIdNumbers: ReadonlySet<string>) {
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
