import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import { collectDetections } from './detections.ts';
import type { GroundTruth } from './ground-truth.ts';
import { formatScoreTable, scoreDetections } from './ground-truth.ts';
import { seedDemo } from './index.ts';
import { dismissAlert } from '../modules/alerts/alerts.service.ts';
import { runDetectors } from '../modules/enforcement/detectors.service.ts';
import { bootstrapContext } from '../platform/bootstrap.ts';

// The demo's injected misconduct, found by the real rules and detectors through the real batch
// path: every rule and detector at recall 100% and precision ≥ 95% (the goal), on the
// small demo volume (the benchmark scores the full one).

let db: TestDatabase;
let dir: string;
let truth: GroundTruth;
beforeAll(async () => {
  db = await createTestDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clearlane-gt-'));
  const summary = await seedDemo(db, 'Demo#Pass2026', { enforcement: 'small', groundTruthFile: path.join(dir, 'truth.json') });
  expect(summary.records).toBeGreaterThan(2000);
  truth = JSON.parse(fs.readFileSync(path.join(dir, 'truth.json'), 'utf8')) as GroundTruth;
}, 300_000);
afterAll(async () => {
  await db.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('finds every injected case, and little else', async () => {
  const scores = scoreDetections(truth, await collectDetections(db.db));
  const table = formatScoreTable(scores);
  const rules = new Set<string>(truth.cases.map((c) => c.rule));
  expect(rules.size).toBeGreaterThanOrEqual(13);
  for (const s of scores) {
    expect.soft(s.recall ?? 1, `${s.rule} recall\n${table}`).toBe(1);
    expect.soft(s.precision ?? 1, `${s.rule} precision\n${table}`).toBeGreaterThanOrEqual(0.95);
  }
  expect(scores.filter((s) => rules.has(s.rule)).every((s) => s.truePositives > 0)).toBe(true);
});

it('a detector finding a person dismissed is not raised again by the next run', async () => {
  const { rows } = await sql<{ id: number; rule: string }>`SELECT id, rule FROM alerts WHERE rule LIKE 'D-%' AND status = 'open' ORDER BY id`.execute(db.db);
  expect(rows.length).toBeGreaterThanOrEqual(4);
  const inspector = bootstrapContext('测试督察');
  for (const a of rows) await dismissAlert(db.db, inspector, Number(a.id), '已核实，属正常执法');
  const raised = await runDetectors(db.db, inspector, 'all');
  expect(raised).toBe(0);
  const again = await sql<{ n: number }>`SELECT count(*)::int AS n FROM alerts WHERE rule LIKE 'D-%' AND status = 'open'`.execute(db.db);
  expect(again.rows[0]!.n).toBe(0);
});
