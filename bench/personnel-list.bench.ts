import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { load } from './load.ts';
import { adminQuery } from './ledger-db.ts';

// Issue #2's figure: an authenticated personnel list (page of 50, data-scope filter applied) under
// 50 concurrent connections on PostgreSQL. Goal: p99 ≤ 50 ms, and throughput ≥ 0.25 × that of a
// bare health route measured in the same run on the same server.

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PORT = 3917;
const BASE = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const DB = 'clearlane_bench';

function startServer(url: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['bin/clearlane.mjs', 'start', '--demo', '--no-build'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url, PORT: String(PORT), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('已启动')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

async function login(username: string): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${PORT}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: process.env.DEMO_PASSWORD ?? 'Clearlane@2026' }),
  });
  if (!res.ok) throw new Error(`login failed: ${res.status}`);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

export async function personnelListBench(): Promise<void> {
  const u = new URL(BASE);
  u.pathname = `/${DB}`;
  await adminQuery(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await adminQuery(`CREATE DATABASE ${DB}`);
  const server = await startServer(u.toString());
  try {
    // A squadron leader: the unit-tree scope becomes a real filter in the SQL.
    const cookie = await login('squadron_leader');
    const seconds = Number(process.env.BENCH_SECONDS ?? 10);
    const base = `http://127.0.0.1:${PORT}`;
    await load(`${base}/api/health`, { connections: 50, seconds: 2 }); // warm-up
    const health = await load(`${base}/api/health`, { connections: 50, seconds });
    const list = await load(`${base}/api/org/personnel?page=1&pageSize=50`, { connections: 50, seconds, headers: { cookie } });
    const ratio = list.rps / health.rps;
    console.log(`personnel list (50 conns, PostgreSQL): ${list.rps.toFixed(0)} req/s, p50 ${list.p50.toFixed(1)} ms, p99 ${list.p99.toFixed(1)} ms, errors ${list.errors}`);
    console.log(`health route      (50 conns, same run): ${health.rps.toFixed(0)} req/s, p50 ${health.p50.toFixed(1)} ms, p99 ${health.p99.toFixed(1)} ms, errors ${health.errors}`);
    console.log(`RATIO personnel-list/health throughput = ${ratio.toFixed(2)} (goal ≥ 0.25) · p99 ${list.p99.toFixed(1)} ms / 50 ms limit = ${(list.p99 / 50).toFixed(2)} (goal ≤ 1)`);
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    await adminQuery(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  }
}
