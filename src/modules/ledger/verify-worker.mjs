// A verifier worker thread: checks one seq range at a time (verify-range.ts) for verify.ts's pool.
// Plain JavaScript that registers tsx itself, because a worker inherits neither tsx's in-process
// registration (bin/clearlane.mjs) nor vitest's transform, and the code it runs is TypeScript.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { CopyLeafReader, hashLeafRows } = await import('./leaf-copy.ts');
const { verifyRange } = await import('./verify-range.ts');

const asBuffer = (u) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

parentPort.on('message', (job) => {
  // tsx's loader keeps the thread alive; in a worker, process.exit ends only the thread.
  if (job.close) process.exit(0);
  try {
    let rows = job.rows;
    if (job.leaves) {
      // A batch of the leaf stream (0012): stored leaves, hashed as they lie in the buffer.
      rows = hashLeafRows(Buffer.from(job.leaves, 0, job.leavesLength), job.end - job.start);
    } else if (job.data) {
      const reader = new CopyLeafReader(job.end - job.start);
      reader.push(asBuffer(new Uint8Array(job.data)));
      rows = reader.finish();
    } else {
      rows = { ...rows, leafHashes: asBuffer(rows.leafHashes), stored: asBuffer(rows.stored) };
    }
    const result = verifyRange({ start: job.start, end: job.end, rows, stored: job.stored, sizes: job.sizes });
    parentPort.postMessage({ id: job.id, result });
  } catch (e) {
    parentPort.postMessage({ id: job.id, error: e instanceof Error ? e.message : String(e) });
  }
});
parentPort.postMessage({ ready: true });
