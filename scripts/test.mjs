#!/usr/bin/env node
// The one test command (`npm test`), also what CI runs:
//   1. typecheck (server and console)
//   2. the whole suite against the embedded database (PGlite)
//   3. the integration tests against PostgreSQL, when CI is set or DATABASE_URL is given;
//      an unreachable PostgreSQL fails the run rather than skipping it
//   4. the end-to-end test in headless Chromium
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const steps = [];
const counts = { passed: 0, failed: 0 };
const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clearlane-test-'));
let reports = 0;
/** vitest with its usual output plus a JSON report, so the run can close with one total. */
const vitest = (title, args, env) => {
  const file = path.join(reportDir, `report-${++reports}.json`);
  run(title, 'npx', ['vitest', 'run', ...args, '--reporter=default', '--reporter=json', `--outputFile.json=${file}`], env, () => {
    if (!fs.existsSync(file)) return;
    const r = JSON.parse(fs.readFileSync(file, 'utf8'));
    counts.passed += r.numPassedTests;
    counts.failed += r.numFailedTests;
  });
};
const run = (title, cmd, args, env = {}, after = () => {}) => {
  console.log(`\n▶ ${title}`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  steps.push({ title, ok: r.status === 0, seconds: ((Date.now() - started) / 1000).toFixed(1) });
  after();
  if (r.status !== 0) finish(1);
};
const finish = (code) => {
  console.log('\nSummary:');
  for (const s of steps) console.log(`  ${s.ok ? 'ok  ' : 'FAIL'} ${s.title} (${s.seconds}s)`);
  fs.rmSync(reportDir, { recursive: true, force: true });
  console.log(`tests: ${counts.passed} passed, ${counts.failed} failed`);
  process.exit(code);
};

run('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
run('typecheck web console', 'npx', ['tsc', '-p', 'web/tsconfig.json', '--noEmit']);
vitest('tests on PGlite (embedded)', [], { TEST_DB: 'pglite' });
if (process.env.CI || process.env.DATABASE_URL) {
  vitest('integration tests on PostgreSQL', ['.int.test.ts'], { TEST_DB: 'postgres' });
} else {
  console.log('\n(PostgreSQL run skipped: set DATABASE_URL, or CI, to include it)');
}
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!fs.existsSync(chromium)) {
  console.error(`\nChromium not found at ${chromium}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH.`);
  finish(1);
}
vitest('end-to-end in headless Chromium', ['--config', 'test/e2e/vitest.config.ts'], { CHROMIUM_PATH: chromium });
finish(0);
