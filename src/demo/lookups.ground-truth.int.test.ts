import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import { DEFAULT_LOOKUP_RULE_PARAMS, LOOKUP_RULE_IDS } from '../contracts/lookup-rules.ts';
import { formatScoreTable, scoreLookupDetections, type GroundTruth } from './ground-truth.ts';
import { seedDemo } from './index.ts';
import { collectLookupDetections } from './lookups.seed.ts';

// The look-up demo's injected misuse, found by the real rules through the real intake: every
// rule at recall 100% and precision ≥ 90% (the goal), on the small demo volume (the
// benchmark scores the full one).

let db: TestDatabase;
let dir: string;
let truth: GroundTruth;
beforeAll(async () => {
  db = await createTestDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clearlane-lgt-'));
  // Each installation draws its own L-RANDOM key; this one takes the contract's, which samples
  // someone in the small demo, so every rule has a case to find.
  await sql`INSERT INTO lookup_rule_sets (version, params, note) VALUES (1, ${JSON.stringify(DEFAULT_LOOKUP_RULE_PARAMS)}, '测试：固定抽查密钥')`.execute(db.db);
  const summary = await seedDemo(db, 'Demo#Pass2026', { enforcement: 'small', dataDir: dir, groundTruthFile: path.join(dir, 'truth.json') });
  expect(summary.lookups).toBeGreaterThan(2000);
  expect(summary.lookups).toBeLessThan(6000);
  truth = JSON.parse(fs.readFileSync(path.join(dir, 'truth.json'), 'utf8')) as GroundTruth;
}, 300_000);
afterAll(async () => {
  await db.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('writes the look-up section of the ground truth beside the enforcement one', () => {
  expect(truth.cases.length).toBeGreaterThan(0);
  expect(truth.lookups!.generatedFor.lookups).toBeGreaterThan(2000);
  expect(new Set(truth.lookups!.cases.map((c) => c.rule))).toEqual(new Set(LOOKUP_RULE_IDS));
});

it('finds every injected case, and little else', async () => {
  const scores = scoreLookupDetections(truth.lookups!, await collectLookupDetections(db));
  const table = formatScoreTable(scores);
  for (const s of scores) {
    expect.soft(s.recall ?? 1, `${s.rule} recall\n${table}`).toBe(1);
    expect.soft(s.precision ?? 1, `${s.rule} precision\n${table}`).toBeGreaterThanOrEqual(0.9);
  }
  expect(scores.every((s) => s.truePositives > 0), table).toBe(true);
});
