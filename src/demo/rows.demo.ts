// How the enforcement demo writes a record: its fine (within the sample catalogue), evidence and
// place, and the intake row of a camera capture or of an on-site decision.
import { hash } from 'node:crypto';
import type { Party, VehicleType } from '../contracts/enforcement.ts';
import { SAMPLE_CATALOGUE, type SampleCatalogueRow } from '../modules/catalogue/sample-catalogue.ts';
import { beijingDay, beijingIso } from './beijing-time.ts';
import type { DemoCamera } from './cameras.demo.ts';
import type { IntakeRow } from './enforcement.demo.ts';
import type { Random } from './random.ts';

export type IntakePlace = IntakeRow['place'];
export type IntakeEvidence = NonNullable<IntakeRow['evidence']>;
export type IntakeDriver = NonNullable<IntakeRow['driver']>;

/** A row and its time in epoch milliseconds, for sorting. */
export interface Draft {
  ms: number;
  row: IntakeRow;
}

export const sha256Hex = (text: string): string => hash('sha256', text);
export const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

// ---------------------------------------------------------------- catalogue and fines

const CATALOGUE = new Map(SAMPLE_CATALOGUE.map((c) => [c.code, c]));
export function catalogueEntry(code: string): SampleCatalogueRow {
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
export function variedFine(r: Random, code: string, max = Infinity): number {
  const e = catalogueEntry(code);
  const steps = FINE_STEPS.get(code)!.filter((v) => v <= max);
  if (steps.length === 0) throw new Error(`no fine of ${code} at most ${max}`);
  return r.chance(0.4) && e.fineDefault <= max ? e.fineDefault : r.pick(steps);
}

// ---------------------------------------------------------------- evidence and places

export function cameraEvidence(r: Random, externalId: string, deviceId: string, ms: number): IntakeEvidence {
  const n = r.chance(0.3) ? 1 : r.chance(0.7) ? 2 : 3;
  const day = beijingDay(ms);
  return Array.from({ length: n }, (_, i) => {
    const kind = i === 2 ? ('video' as const) : ('photo' as const);
    const ref = `evidence://${deviceId}/${day}/${externalId}-${i + 1}.${kind === 'video' ? 'mp4' : 'jpg'}`;
    return { kind, ref, sha256: sha256Hex(ref) };
  });
}

export function bodyCamEvidence(externalId: string, badgeNo: string, ms: number): IntakeEvidence {
  const ref = `bodycam://${badgeNo}/${beijingDay(ms)}/${externalId}.mp4`;
  return [{ kind: 'bodyCam', ref, sha256: sha256Hex(ref) }];
}

export function cameraPlace(c: DemoCamera): IntakePlace {
  return { road: c.road, direction: c.direction, km: c.km, lat: c.lat, lon: c.lon, description: c.description };
}

/** Somewhere on the road of a camera of the squadron, within maxKm of it. */
export function spotNear(r: Random, c: DemoCamera, maxKm: number): IntakePlace {
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

// ---------------------------------------------------------------- intake rows

export interface OnSiteSpec {
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

export function onSiteDraft(s: OnSiteSpec): Draft {
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

export function cameraDraft(s: { externalId: string; ms: number; camera: DemoCamera; plate: string; vehicleType: VehicleType; code: string; evidence: IntakeEvidence; fineYuan?: number }): Draft {
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
