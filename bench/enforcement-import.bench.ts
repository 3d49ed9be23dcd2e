import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { DEFAULT_DEMO_PASSWORD } from '../src/config.ts';
import { demoEnforcementPeople, generateEnforcementDemo, type IntakeRow } from '../src/demo/enforcement.demo.ts';
import { seedDemo } from '../src/demo/index.ts';
import { bootstrapContext } from '../src/platform/bootstrap.ts';
import { startOfBeijingDay } from '../src/demo/beijing-time.ts';
import { registerDemoDevices } from '../src/demo/devices.demo.ts';
import { RECORD_SHEET } from '../src/modules/enforcement/records.import.ts';
import { streamTable } from '../src/platform/sheets/index.ts';
import { benchPostgres, fmt } from './ledger-db.ts';
// the flags `clearlane import` runs with
import { IMPORT_NODE_FLAGS } from '../bin/node-flags.mjs';

// Issue #4's second figure: peak RSS of importing a 1,000,000-row CSV of enforcement records
// on PostgreSQL (`clearlane import records`, streaming). Limit: 512 MiB.

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const LIMIT_MIB = 512;
const SEED = 20261126;

/** The intake row back as the sheet's flat columns (what a brigade's export would hold). */
function toSheet(r: IntakeRow): Record<string, string> {
  const s = (v: unknown) => (v === undefined || v === null ? '' : String(v));
  return {
    externalId: r.externalId,
    kind: r.kind === 'camera' ? '非现场' : '现场',
    plate: r.plate,
    vehicleType: r.vehicleType,
    violationCode: r.violationCode,
    occurredAt: r.occurredAt,
    road: r.place.road,
    direction: s(r.place.direction),
    km: s(r.place.km),
    lat: s(r.place.lat),
    lon: s(r.place.lon),
    description: s(r.place.description),
    deviceId: s(r.deviceId),
    decidingOfficer: s(r.decidingOfficer),
    assistants: (r.assistants ?? []).join(';'),
    procedure: s(r.procedure),
    party: s(r.party),
    fineYuan: s(r.fineYuan),
    points: s(r.points),
    paymentMethod: s(r.payment?.method),
    receiptNo: s(r.payment?.receiptNo),
    remoteArea: r.remoteArea ? '是' : '',
    evidence: (r.evidence ?? []).map((e) => `${e.kind}|${e.ref}|${e.sha256 ?? ''}`).join(';'),
    driverName: s(r.driver?.name),
    driverIdNumber: s(r.driver?.idNumber),
    driverLicenceNo: s(r.driver?.licenceNo),
  };
}

function* rows(n: number): Generator<Record<string, string>> {
  const demo = generateEnforcementDemo({ seed: SEED, cameraRecords: n, onSiteRecords: 1000, people: demoEnforcementPeople(SEED) });
  let i = 0;
  for (const r of demo.rows()) {
    if (i++ >= n) return;
    yield toSheet(r);
  }
}

export async function enforcementImportBench(): Promise<void> {
  const n = Number(process.env.BENCH_IMPORT_ROWS ?? 1_000_000);
  const file = path.join(os.tmpdir(), `clearlane-bench-import-${process.pid}.csv`);
  await pipeline(streamTable(RECORD_SHEET, rows(n), 'csv'), fs.createWriteStream(file));
  const bytes = fs.statSync(file).size;
  const b = await benchPostgres('clearlane_bench_import');
  try {
    await seedDemo(b.database, DEFAULT_DEMO_PASSWORD, { enforcement: 'none' });
    // the demo cameras' registry, as a brigade has it: without it every capture is held (R-DEVICE-LAWFUL)
    await registerDemoDevices(b.database.db, bootstrapContext('bench'), startOfBeijingDay(Date.now()), 90);
    const u = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
    u.pathname = '/clearlane_bench_import';
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, [...IMPORT_NODE_FLAGS, '--import', 'tsx', 'bench/import-child.ts', file], { cwd: ROOT, env: { ...process.env, DATABASE_URL: u.toString(), LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'inherit'] });
      let text = '';
      child.stdout.on('data', (d: Buffer) => (text += d.toString()));
      child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`import child exited with ${code}`))));
    });
    const r = JSON.parse(out.trim().split('\n').at(-1)!) as { rows: number; created: number; rejected: number; seconds: number; maxRssKiB: number };
    const mib = r.maxRssKiB / 1024;
    console.log(`CSV import (PostgreSQL, ${fmt(r.rows)} rows, ${(bytes / 2 ** 20).toFixed(0)} MiB file): ${fmt(r.created)} stored, ${r.rejected} rejected, ${fmt(r.rows / r.seconds)} rows/s, peak RSS ${mib.toFixed(0)} MiB`);
    console.log(`RATIO peak RSS / ${LIMIT_MIB} MiB limit = ${(mib / LIMIT_MIB).toFixed(2)} (goal ≤ 1)`);
  } finally {
    await b.drop();
    fs.rmSync(file, { force: true });
  }
}
