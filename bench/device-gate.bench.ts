import { DEFAULT_DEMO_PASSWORD } from '../src/config.ts';
import { startOfBeijingDay } from '../src/demo/beijing-time.ts';
import { registerDemoDevices } from '../src/demo/devices.demo.ts';
import { demoEnforcementPeople, generateEnforcementDemo, type IntakeRow } from '../src/demo/enforcement.demo.ts';
import { seedDemo } from '../src/demo/index.ts';
import { ingestBatch } from '../src/modules/enforcement/intake.service.ts';
import { bootstrapContext } from '../src/platform/bootstrap.ts';
import { benchPostgres, fmt, rate, type BenchDb } from './ledger-db.ts';

// Issue #5's first figure: what the device gate (R-DEVICE-LAWFUL: the batch's devices read in one
// query, every capture checked against its device's registry state) costs the rule-checked ingest.
// The same camera records of the demo generator go through the batch path twice on PostgreSQL,
// each time into a fresh database holding the demo brigade and its registered cameras: once with
// the gate, once with it turned off (IngestOptions.deviceGate = false, which exists for this
// measurement only). Goal: at most 10% slower. BENCH_DEVICE_GATE_ROWS sets the size.

const BATCH = 10_000;
const SENDERS = Number(process.env.BENCH_INGEST_SENDERS ?? 2);
const SEED = 20261126;
const DAYS = 90;

function cameraBatches(n: number, endAt: number): IntakeRow[][] {
  const demo = generateEnforcementDemo({ seed: SEED, cameraRecords: n, onSiteRecords: 300, people: demoEnforcementPeople(SEED), days: DAYS, endAt: new Date(endAt) });
  const batches: IntakeRow[][] = [];
  let batch: IntakeRow[] = [];
  let sent = 0;
  for (const row of demo.rows()) {
    if (row.kind !== 'camera') continue;
    batch.push(row);
    if (++sent >= n) break;
    if (batch.length === BATCH) {
      batches.push(batch);
      batch = [];
    }
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

async function run(name: string, batches: IntakeRow[][], endAt: number, deviceGate: boolean): Promise<{ rows: number; ms: number; held: number }> {
  const b: BenchDb = await benchPostgres(name);
  try {
    await seedDemo(b.database, DEFAULT_DEMO_PASSWORD, { enforcement: 'none' });
    const ctx = bootstrapContext('bench');
    await registerDemoDevices(b.database.db, ctx, endAt, DAYS);
    let rows = 0;
    let held = 0;
    let next = 0;
    const started = performance.now();
    const sender = async () => {
      while (next < batches.length) {
        const s = await ingestBatch(b.database.db, ctx, batches[next++]!, { skipDetectors: true, deviceGate });
        if (s.rejected > 0) throw new Error(`bench rows rejected: ${JSON.stringify(s.results.find((r) => 'errors' in r))}`);
        rows += s.created;
        held += s.outcomes.held ?? 0;
      }
    };
    await Promise.all(Array.from({ length: SENDERS }, sender));
    return { rows, ms: performance.now() - started, held };
  } finally {
    await b.drop();
  }
}

export async function deviceGateBench(): Promise<void> {
  const n = Number(process.env.BENCH_DEVICE_GATE_ROWS ?? 1_000_000);
  const endAt = startOfBeijingDay(Date.now());
  const batches = cameraBatches(n, endAt);
  // In ABBA order (without, with, with, without): the first run on a fresh server measured much
  // slower whichever it was, so each variant gets one early and one late run and the totals compare.
  const order = [false, true, true, false];
  const runs: Array<{ gate: boolean; rows: number; ms: number; held: number }> = [];
  for (const [i, gate] of order.entries()) runs.push({ gate, ...(await run(`clearlane_bench_gate_${i}`, batches, endAt, gate)) });
  for (const r of runs)
    console.log(`rule-checked ingest ${r.gate ? 'with R-DEVICE-LAWFUL' : 'without the device gate'} (PostgreSQL, ${fmt(r.rows)} camera records, batches of ${fmt(BATCH)}, ${SENDERS} senders): ${fmt(rate(r.rows, r.ms))} records/s in ${(r.ms / 1000).toFixed(1)} s, ${fmt(r.held)} held`);
  const total = (gate: boolean) => runs.filter((r) => r.gate === gate).reduce((a, r) => a + r.ms, 0);
  console.log(`RATIO gate cost = ${(total(true) / total(false)).toFixed(3)} (goal ≤ 1.10; both runs of each, ABBA order)`);
}
