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
//
// The parts: world.demo.ts (the brigade, the window, the officers of the cases), background.demo.ts
// (the clean background, one day at a time), misconduct.demo.ts (the injected cases and their
// ground truth), plates.demo.ts (plates and the people met on the road), rows.demo.ts (fines,
// evidence, places, rows), beijing-time.ts and sampling.ts.
import type { z } from 'zod';
import type { recordInput } from '../contracts/enforcement.ts';
import { backgroundGenerator } from './background.demo.ts';
import { beijingIso, DAY, startOfBeijingDay } from './beijing-time.ts';
import type { GroundTruth } from './ground-truth.ts';
import { planMisconduct } from './misconduct.demo.ts';
import { planDeviceAnomalies } from './device-anomalies.demo.ts';
import { DEMO_UNITS, demoPersonnel } from './org.demo.ts';
import { seededRandom } from './random.ts';
import type { Draft } from './rows.demo.ts';
import { buildWorld } from './world.demo.ts';

export { startOfBeijingDay };

/** A raw intake row, as a source sends it (before zod normalises it). */
export type IntakeRow = z.input<typeof recordInput>;

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
  const devices = planDeviceAnomalies(world, cameraRecords);
  drafts.push(...devices.drafts);
  cases.push(...devices.cases);
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
