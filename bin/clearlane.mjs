#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx: one binary for every command, no build step.
import { spawnSync } from 'node:child_process';
import { register } from 'tsx/esm/api';
import { IMPORT_NODE_FLAGS } from './node-flags.mjs';

const capped = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) => a.includes('--max-old-space-size'));
if (process.argv[2] === 'import' && !capped) {
  const r = spawnSync(process.execPath, [...IMPORT_NODE_FLAGS, ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

register();
await import('../src/main.ts');
