import { sql } from 'kysely';
import { DEFAULT_DEMO_PASSWORD } from '../src/config.ts';
import type { DeviceType } from '../src/contracts/devices.ts';
import { seedDemo } from '../src/demo/index.ts';
import { seededRandom, type Random } from '../src/demo/random.ts';
import { detectDevices, runDeviceDetectors } from '../src/modules/devices/device-detectors.service.ts';
import { dayIndexOf, type DeviceFinding } from '../src/modules/rules/device-detectors.ts';
import { beijingDay, dayIndexToIso } from '../src/modules/rules/time.ts';
import { bootstrapContext } from '../src/platform/bootstrap.ts';
import type { Db } from '../src/platform/db/database.ts';
import { benchPostgres } from './ledger-db.ts';

// Issue #5's second figure: the device detectors over a year of daily counts for 500 devices
// (synthetic: per-type volumes and freight shares, per-device spread, weekly rhythm, Poisson
// noise), with injected anomalies as the ground truth — capture spikes on established devices,
// new devices far above their peers (the Foshan pattern), captures of codes a device may not
// capture, months with an abnormal freight share — plus new devices that behave normally.
// Prints the time of a full-year detection and of the standard 90-day run (with alerts), and
// recall/precision per detector. Goal: recall 1.00, precision ≥ 0.95.
// BENCH_DEVICES (default 500) and BENCH_DEVICE_DAYS (default 365) shrink it for a quick check.

const DEVICES = Number(process.env.BENCH_DEVICES ?? 500);
const DAYS = Number(process.env.BENCH_DEVICE_DAYS ?? 365);
const SEED = 20261126;

const TYPES: Array<{ type: DeviceType; share: number; volume: number; freight: number; codes: string[] }> = [
  { type: 'redLight', share: 0.3, volume: 45, freight: 0.05, codes: ['1625', '1357', '1345', '1042'] },
  { type: 'speedFixed', share: 0.2, volume: 60, freight: 0.08, codes: ['1301', '1636'] },
  { type: 'parking', share: 0.16, volume: 25, freight: 0.03, codes: ['1039'] },
  { type: 'lane', share: 0.16, volume: 30, freight: 0.06, codes: ['1042', '1345', '1240', '1223'] },
  { type: 'other', share: 0.12, volume: 70, freight: 0.25, codes: ['6046', '6047', '1344', '1240'] },
  { type: 'speedSection', share: 0.06, volume: 50, freight: 0.1, codes: ['1301', '1636'] },
];

interface SynthDevice {
  id: string;
  type: DeviceType;
  base: number;
  freight: number;
  codes: string[];
  /** day index the device came into service (before the data for established devices) */
  start: number;
}

interface Truth {
  spikes: Array<{ deviceId: string; from: number; to: number }>;
  newHigh: Set<string>;
  codes: Set<string>;
  freight: Set<string>;
}

function poisson(r: Random, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * gauss(r)));
  const l = Math.exp(-mean);
  let k = 0;
  for (let p = r.next(); p > l; p *= r.next()) k++;
  return k;
}
function gauss(r: Random): number {
  return Math.sqrt(-2 * Math.log(r.next() || 1e-12)) * Math.cos(2 * Math.PI * r.next());
}
function binomial(r: Random, n: number, p: number): number {
  if (n > 60) return Math.min(n, Math.max(0, Math.round(n * p + Math.sqrt(n * p * (1 - p)) * gauss(r))));
  let k = 0;
  for (let i = 0; i < n; i++) if (r.next() < p) k++;
  return k;
}

/** The synthetic year: devices, their (device, day, code) cells, and what was injected. */
function synthesise(first: number) {
  const r = seededRandom(SEED);
  const devices: SynthDevice[] = [];
  TYPES.forEach((t, ti) => {
    const n = ti === TYPES.length - 1 ? DEVICES - devices.length : Math.round(DEVICES * t.share);
    for (let k = 0; k < n; k++) {
      devices.push({
        id: `B-${t.type}-${String(k + 1).padStart(3, '0')}`,
        type: t.type,
        base: t.volume * Math.exp(0.35 * gauss(r)),
        freight: t.freight * (0.8 + 0.45 * r.next()),
        codes: t.codes,
        start: first - 400,
      });
    }
  });
  const truth: Truth = { spikes: [], newHigh: new Set(), codes: new Set(), freight: new Set() };
  // disjoint roles, dealt in a shuffled order
  const order = devices.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = r.int(0, i);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const take = (share: number, min: number) => order.splice(0, Math.max(min, Math.round(devices.length * share))).map((i) => devices[i]!);
  const spiking = take(0.06, 3);
  const newHigh = take(0.02, 2);
  const newNormal = take(0.04, 2);
  const badCodes = take(0.02, 2);
  const freighty = take(0.02, 2);
  for (const d of [...newHigh, ...newNormal]) d.start = first + r.int(45, DAYS - 10);

  const spikeDays = new Map<string, Map<number, number>>();
  for (const d of spiking) {
    const from = first + r.int(40, DAYS - 5);
    const len = r.int(1, 3);
    const m = new Map<number, number>();
    for (let i = from; i < Math.min(from + len, first + DAYS); i++) m.set(i, Math.max(60, Math.round(d.base * (4 + 4 * r.next()))));
    spikeDays.set(d.id, m);
    truth.spikes.push({ deviceId: d.id, from, to: from + len - 1 });
  }
  const typeMedian = new Map(TYPES.map((t) => [t.type, t.volume]));
  const highDays = new Map<string, Map<number, number>>();
  for (const d of newHigh) {
    const m = new Map<number, number>();
    const n = r.int(2, 5);
    for (let k = 0; k < n; k++) m.set(d.start + r.int(0, Math.min(29, first + DAYS - 1 - d.start)), Math.max(80, Math.round(typeMedian.get(d.type)! * (7 + 5 * r.next()))));
    highDays.set(d.id, m);
    truth.newHigh.add(d.id);
  }
  const month = (i: number) => dayIndexToIso(i).slice(0, 7);
  const months = [...new Set(Array.from({ length: DAYS }, (_, k) => month(first + k)))];
  const fullMonths = months.slice(1, -1);
  const codeMonth = new Map<string, string>();
  for (const d of badCodes) {
    const m = r.pick(fullMonths.length ? fullMonths : months);
    codeMonth.set(d.id, m);
    truth.codes.add(`${d.id}|${m}`);
  }
  const freightMonth = new Map<string, string>();
  for (const d of freighty) {
    const m = r.pick(fullMonths.length ? fullMonths : months);
    freightMonth.set(d.id, m);
    truth.freight.add(`${d.id}|${m}`);
  }

  const cells: Array<[string, string, string, number, number]> = [];
  for (const d of devices) {
    const alien = TYPES.flatMap((t) => t.codes).find((c) => !d.codes.includes(c))!;
    for (let i = Math.max(first, d.start); i < first + DAYS; i++) {
      const weekday = (((i + 4) % 7) + 7) % 7;
      const mean = d.base * (weekday === 0 || weekday === 6 ? 0.8 : 1);
      const n = spikeDays.get(d.id)?.get(i) ?? highDays.get(d.id)?.get(i) ?? poisson(r, mean);
      const share = freightMonth.get(d.id) === month(i) ? Math.max(0.35, 3 * d.freight) : d.freight;
      const f = binomial(r, n, share);
      // split over the allowed codes; the freight captures fill the cells in code order
      const split = d.codes.map(() => 0);
      for (let k = 0; k < n; k++) split[r.int(0, d.codes.length - 1)]! += 1;
      let fLeft = f;
      const day = dayIndexToIso(i);
      d.codes.forEach((code, k) => {
        const c = split[k]!;
        if (c === 0) return;
        const fc = Math.min(c, fLeft);
        fLeft -= fc;
        cells.push([d.id, day, code, c, fc]);
      });
      if (codeMonth.get(d.id) === month(i) && r.chance(0.3)) cells.push([d.id, day, alien, r.int(1, 4), 0]);
    }
  }
  return { devices, cells, truth };
}

async function load(db: Db, devices: SynthDevice[], cells: Array<[string, string, string, number, number]>, units: number[]) {
  // The registry rows are written directly: a harness, not a registry import (the detectors read
  // type, owning unit, allowed codes and the status history).
  await sql`
    INSERT INTO devices (id, type, road, owning_unit_id, allowed_codes, status_history, status, revision)
    SELECT x.id, x.type, x.road, x.unit, string_to_array(x.codes, ','), jsonb_build_array(jsonb_build_object('status', 'active', 'from', x.start, 'reason', '启用', 'documentNo', '基准测试')), 'active', 1
      FROM unnest(${devices.map((d) => d.id)}::text[], ${devices.map((d) => d.type)}::text[], ${devices.map((d) => `测试路${d.id.slice(-3)}`)}::text[],
                  ${devices.map((_, i) => units[i % units.length]!)}::int[], ${devices.map((d) => d.codes.join(','))}::text[], ${devices.map((d) => dayIndexToIso(d.start))}::text[])
        AS x(id, type, road, unit, codes, start)`.execute(db);
  for (let i = 0; i < cells.length; i += 50_000) {
    const chunk = cells.slice(i, i + 50_000);
    await sql`
      INSERT INTO device_daily_captures (device_id, day, violation_code, captures, freight_captures)
      SELECT * FROM unnest(${chunk.map((c) => c[0])}::text[], ${chunk.map((c) => c[1])}::date[], ${chunk.map((c) => c[2])}::text[], ${chunk.map((c) => c[3])}::int[], ${chunk.map((c) => c[4])}::int[])
      ON CONFLICT (device_id, day, violation_code) DO UPDATE SET captures = device_daily_captures.captures + excluded.captures`.execute(db);
  }
}

interface Score {
  detector: string;
  expected: number;
  detected: number;
  tp: number;
  recall: number | null;
  precision: number | null;
}

function score(findings: DeviceFinding[], truth: Truth): Score[] {
  const of = (d: string) => findings.filter((f) => f.detector === d);
  const s = (detector: string, expected: number, detected: number, tpExpected: number, tpDetected: number): Score => ({
    detector,
    expected,
    detected,
    tp: tpExpected,
    recall: expected ? tpExpected / expected : null,
    precision: detected ? tpDetected / detected : null,
  });
  const spikes = of('D-DEVICE-SPIKE');
  const hits = (f: DeviceFinding, e: Truth['spikes'][number]) => f.deviceId === e.deviceId && f.marks.some((m) => dayIndexOf(m.day) >= e.from && dayIndexOf(m.day) <= e.to);
  const spikeScore = s('D-DEVICE-SPIKE', truth.spikes.length, spikes.length, truth.spikes.filter((e) => spikes.some((f) => hits(f, e))).length, spikes.filter((f) => truth.spikes.some((e) => hits(f, e))).length);
  const keyed = (detector: string, want: Set<string>, key: (f: DeviceFinding) => string) => {
    const got = of(detector).map(key);
    return s(detector, want.size, got.length, [...want].filter((k) => got.includes(k)).length, got.filter((k) => want.has(k)).length);
  };
  return [
    spikeScore,
    keyed('D-DEVICE-NEW-HIGH', truth.newHigh, (f) => f.deviceId),
    keyed('D-DEVICE-CODES', truth.codes, (f) => `${f.deviceId}|${String(f.facts.month)}`),
    keyed('D-DEVICE-FREIGHT', truth.freight, (f) => `${f.deviceId}|${String(f.facts.month)}`),
  ];
}

export async function deviceAnomalyBench(): Promise<void> {
  const b = await benchPostgres('clearlane_bench_devices');
  try {
    await seedDemo(b.database, DEFAULT_DEMO_PASSWORD, { enforcement: 'none' });
    const units = (await sql<{ id: number }>`SELECT id FROM units WHERE kind = 'squadron' ORDER BY id`.execute(b.database.db)).rows.map((u) => u.id);
    const last = dayIndexOf(beijingDay(Date.now())) - 1;
    const first = last - DAYS + 1;
    const { devices, cells, truth } = synthesise(first);
    let started = performance.now();
    await load(b.database.db, devices, cells, units);
    const captures = cells.reduce((s, c) => s + c[3], 0);
    console.log(`loaded ${devices.length} devices × ${DAYS} days: ${cells.length.toLocaleString('en-US')} (device, day, code) cells, ${captures.toLocaleString('en-US')} captures in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    await sql`ANALYZE device_daily_captures`.execute(b.database.db);

    // The floor: reading the year's counts once, grouped per device and day (what every run reads at least).
    started = performance.now();
    await sql`SELECT device_id, day, sum(captures), sum(freight_captures) FROM device_daily_captures GROUP BY device_id, day`.execute(b.database.db);
    const floor = performance.now() - started;

    started = performance.now();
    const year = await detectDevices(b.database.db, 'all', { from: dayIndexToIso(first), to: dayIndexToIso(last) });
    const full = performance.now() - started;
    started = performance.now();
    const run = await runDeviceDetectors(b.database.db, bootstrapContext('基准测试'), 'all');
    const window = performance.now() - started;

    const scores = score(year.findings, truth);
    const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
    const rows = [['detector', 'expected', 'detected', 'TP', 'recall', 'precision'], ...scores.map((x) => [x.detector, String(x.expected), String(x.detected), String(x.tp), pct(x.recall), pct(x.precision)])];
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    for (const r of rows) console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
    console.log(`detection over ${DAYS} days ${(full / 1000).toFixed(2)} s (${year.findings.length} findings); 90-day run with alerts ${(window / 1000).toFixed(2)} s (${run.alerts} alerts); one GROUP BY read of all counts ${(floor / 1000).toFixed(2)} s`);
    const worstRecall = Math.min(...scores.map((x) => x.recall ?? 1));
    const worstPrecision = Math.min(...scores.map((x) => x.precision ?? 1));
    console.log(`RATIO worst recall = ${worstRecall.toFixed(2)} (goal 1.00) · worst precision = ${worstPrecision.toFixed(2)} (goal ≥ 0.95)`);
    console.log(`RATIO detection over the whole period / one GROUP BY read of the counts = ${(full / floor).toFixed(2)} (${devices.length} devices × ${DAYS} days in ${(full / 1000).toFixed(2)} s)`);
  } finally {
    await b.drop();
  }
}
