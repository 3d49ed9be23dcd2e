import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const clearlane = (args: string[], env: Record<string, string>) =>
  spawnSync(process.execPath, ['bin/clearlane.mjs', ...args], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });

it('a wrong setting stops start-up with a message naming the variable', () => {
  const r = clearlane(['start', '--no-build'], { PORT: 'eighty', DATABASE_URL: '' });
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(/启动失败.*\n.*PORT="eighty"/);
});

it('an unreachable PostgreSQL stops start-up with a clear message and no stack', () => {
  const r = clearlane(['migrate'], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(/无法连接 PostgreSQL/);
  expect(r.stderr).not.toMatch(/\n\s+at /);
});

it('every command has help', () => {
  const r = clearlane(['--help'], {});
  expect(r.status).toBe(0);
  for (const cmd of ['start', 'migrate', 'demo', 'admin', 'build-web']) expect(r.stdout).toContain(cmd);
  expect(clearlane(['admin', 'create', '--help'], {}).stdout).toContain('--badge-no');
});
