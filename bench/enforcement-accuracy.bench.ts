import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { DEFAULT_DEMO_PASSWORD } from '../src/config.ts';
import { collectDetections } from '../src/demo/detections.ts';
import { formatScoreTable, scoreDetections, type GroundTruth } from '../src/demo/ground-truth.ts';
import { seedDemo } from '../src/demo/index.ts';
import { benchPostgres } from './ledger-db.ts';

// Issue #4's third figure: recall and precision of every rule and detector on the full demo's
// injected misconduct (~205,000 records through the real batch path, detectors in full).
// Goal: recall 100%, precision ≥ 95%.

export async function enforcementAccuracyBench(): Promise<void> {
  const b = await benchPostgres('clearlane_bench_accuracy');
  const file = path.join(os.tmpdir(), `clearlane-bench-truth-${process.pid}.json`);
  try {
    const started = performance.now();
    const s = await seedDemo(b.database, DEFAULT_DEMO_PASSWORD, { enforcement: 'full', groundTruthFile: file });
    console.log(`demo seeded on PostgreSQL: ${s.records.toLocaleString('en-US')} records in ${((performance.now() - started) / 1000).toFixed(1)} s (rules at intake, detectors in full)`);
    const truth = JSON.parse(fs.readFileSync(file, 'utf8')) as GroundTruth;
    const scores = scoreDetections(truth, await collectDetections(b.database.db));
    console.log(formatScoreTable(scores));
    const worstRecall = Math.min(...scores.map((x) => x.recall ?? 1));
    const worstPrecision = Math.min(...scores.map((x) => x.precision ?? 1));
    console.log(`RATIO worst recall = ${worstRecall.toFixed(2)} (goal 1.00) · worst precision = ${worstPrecision.toFixed(2)} (goal ≥ 0.95)`);
  } finally {
    await b.drop();
    fs.rmSync(file, { force: true });
  }
}
