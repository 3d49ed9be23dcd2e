// The verifier's worker pool: batches really reach the workers, and a worker that cannot start or
// dies fails the run — never a hang, never a pass — even though this thread could have checked
// every batch itself. Workers are swapped for broken ones by wrapping node:worker_threads.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import { appendMany, tempKeys } from './ledger.testing.ts';
import { verifyLedger } from './verify.ts';

type Mode = 'real' | 'throwAtStart' | 'exitBeforeReady' | 'dieOnFirstJob' | 'exitWhileIdle';
const pool = vi.hoisted(() => ({ mode: 'real' as Mode, jobs: 0 }));

vi.mock('node:worker_threads', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:worker_threads')>();
  const READY = 'const { parentPort } = require("node:worker_threads"); parentPort.postMessage({ ready: true });';
  const BROKEN: Record<Exclude<Mode, 'real'>, string> = {
    throwAtStart: 'throw new Error("cannot load")',
    exitBeforeReady: 'process.exit(7)',
    dieOnFirstJob: `${READY} parentPort.on("message", () => process.exit(9));`,
    exitWhileIdle: `${READY} parentPort.on("message", () => {}); setTimeout(() => process.exit(5), 20);`,
  };
  class Wrapped extends real.Worker {
    constructor(url: URL | string, options: import('node:worker_threads').WorkerOptions) {
      if (pool.mode === 'real') super(url, options);
      else super(BROKEN[pool.mode], { eval: true });
    }
    override postMessage(message: unknown, transfer?: readonly import('node:worker_threads').Transferable[]) {
      if (message && typeof message === 'object' && 'start' in message) pool.jobs += 1;
      super.postMessage(message, transfer);
    }
  }
  return { ...real, Worker: Wrapped, default: { ...real, Worker: Wrapped } };
});

let database: TestDatabase;
const keys = tempKeys();
const run = (workers: number, batchSize = 64) => verifyLedger(database.db, { origin: keys.origin, verifierKey: keys.verifierKey(), batchSize, workers });
/** The run's outcome, or 'hung' after a deadline no healthy run comes near. */
const outcome = (p: Promise<{ ok: boolean }>) =>
  Promise.race([p.then((r) => `resolved ok=${r.ok}`, (e: Error) => `rejected: ${e.message}`), new Promise<string>((r) => setTimeout(() => r('hung'), 8000))]);

beforeAll(async () => {
  database = await createTestDatabase();
  await appendMany(database.db, 300, 50);
});
afterAll(() => database.drop());

describe('the verifier worker pool', () => {
  it('hands batches to the workers (the parallel tests exercise them, not only this thread)', async () => {
    pool.mode = 'real';
    pool.jobs = 0;
    const r = await run(2);
    expect(r.ok).toBe(true);
    expect(pool.jobs).toBeGreaterThan(0);
  });

  it.each(['throwAtStart', 'exitBeforeReady', 'dieOnFirstJob', 'exitWhileIdle'] as const)('fails the run when a worker %s', async (mode) => {
    pool.mode = mode;
    // Small batches over a log long enough that the run outlasts a worker's death.
    const r = await outcome(run(1, mode === 'exitWhileIdle' ? 1 : 64));
    expect(r).toMatch(/^rejected: 账本核验线程/);
  });
});
