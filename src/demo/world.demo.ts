// The brigade as the enforcement demo sees it: squadrons with their active officers, cameras and
// roads; the window's days and month ends; the officers the injected cases are about.
import { BEIJING_OFFSET, DAY } from './beijing-time.ts';
import { DEMO_CAMERAS, type DemoCamera } from './cameras.demo.ts';
import type { EnforcementDemoOptions, EnforcementPerson } from './enforcement.demo.ts';
import { DEMO_ACCOUNT_PEOPLE, DEMO_UNITS } from './org.demo.ts';
import { seededRandom } from './random.ts';
import { streamSeed } from './sampling.ts';

export type Area = 'city' | 'suburb' | 'expressway';
const SQUADRON_AREA: Record<string, Area> = { sq1: 'city', sq2: 'suburb', sq3: 'suburb', sq4: 'expressway' };

export interface Squad {
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

export interface World {
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

export function byRoad(cameras: readonly DemoCamera[]): DemoCamera[][] {
  const roads = new Map<string, DemoCamera[]>();
  for (const c of cameras) roads.set(c.road, [...(roads.get(c.road) ?? []), c]);
  return [...roads.values()];
}

export function buildWorld(opts: Required<Omit<EnforcementDemoOptions, 'endAt'>> & { endAt: number }): World {
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
