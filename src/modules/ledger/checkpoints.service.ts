// Signed checkpoints (C2SP tlog-checkpoint notes, Ed25519) over the ledger tree: made on demand
// and by a timer in the running server, each only after proving it extends the previous one.

import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { Tx } from '../../platform/db/tx.ts';
import { consistencyProof, frontierRoot, rootAt, verifyConsistency } from './merkle.ts';
import { formatCheckpoint, signCheckpoint, verifyNote } from './note.ts';
import type { LedgerKeys } from './signing-key.ts';
import { LedgerIntegrityError, asBuffer, catchUp, lockHead, nodeStore, readHead } from './tree.repo.ts';

export interface StoredCheckpoint {
  size: number;
  root: Buffer;
  note: string;
  createdAt: Date;
}

type Row = { size: number; root: Uint8Array; note: string; created_at: Date };
const toCheckpoint = (r: Row): StoredCheckpoint => ({ size: Number(r.size), root: asBuffer(r.root), note: r.note, createdAt: r.created_at });

export async function latestCheckpoint(db: Db): Promise<StoredCheckpoint | null> {
  const { rows } = await sql<Row>`SELECT size, root, note, created_at FROM ledger_checkpoints ORDER BY size DESC LIMIT 1`.execute(db);
  return rows[0] ? toCheckpoint(rows[0]) : null;
}

export async function checkpointOfSize(db: Db, size: number): Promise<StoredCheckpoint | null> {
  const { rows } = await sql<Row>`SELECT size, root, note, created_at FROM ledger_checkpoints WHERE size = ${size}`.execute(db);
  return rows[0] ? toCheckpoint(rows[0]) : null;
}

/** Checkpoints with size > after, oldest first: the verifier pages through them with this. */
export async function checkpointsAfter(db: Db, after: number, limit: number): Promise<StoredCheckpoint[]> {
  const { rows } = await sql<Row>`SELECT size, root, note, created_at FROM ledger_checkpoints WHERE size > ${after} ORDER BY size LIMIT ${limit}`.execute(db);
  return rows.map(toCheckpoint);
}

export async function listCheckpoints(db: Db, page: number, pageSize: number): Promise<{ items: StoredCheckpoint[]; total: number }> {
  const [{ rows }, count] = await Promise.all([
    sql<Row>`SELECT size, root, note, created_at FROM ledger_checkpoints ORDER BY size DESC LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`.execute(db),
    sql<{ n: number }>`SELECT count(*)::int AS n FROM ledger_checkpoints`.execute(db),
  ]);
  return { items: rows.map(toCheckpoint), total: count.rows[0]!.n };
}

/** Hashes entries written before the tree existed, if any (see migration 0003). */
export async function ensureTree(db: Db): Promise<void> {
  const head = await readHead(db);
  if (head.treeSize < head.size) await db.transaction().execute(async (trx) => catchUp(trx, await lockHead(trx)));
}

/**
 * Signs a checkpoint of the current tree, unless the latest checkpoint already has this size.
 * Before signing it checks, against the stored nodes, that the new root matches the head's
 * frontier and that a consistency proof from the previous signed checkpoint verifies: a log that
 * was rewritten underneath gets no signature, however the rewrite was done.
 */
export async function createCheckpoint(
  db: Db,
  keys: LedgerKeys,
  /** Runs in the same transaction once a new checkpoint is stored, e.g. to record who asked for it. */
  onCreated?: (trx: Tx, checkpoint: StoredCheckpoint) => Promise<unknown>,
): Promise<{ checkpoint: StoredCheckpoint; created: boolean }> {
  const key = keys.signingKey();
  return db.transaction().execute(async (trx) => {
    // Self-conflicting lock: checkpointers (timers of several servers, the API, the CLI) take
    // turns; appenders and readers are not blocked.
    await sql`LOCK TABLE ledger_checkpoints IN SHARE ROW EXCLUSIVE MODE`.execute(trx);
    let head = await readHead(trx);
    if (head.treeSize < head.size) head = await catchUp(trx, await lockHead(trx));
    const size = head.treeSize;
    const previous = await latestCheckpoint(trx);
    if (previous && previous.size === size) return { checkpoint: previous, created: false };
    if (previous && previous.size > size) {
      throw new LedgerIntegrityError(`账本只有 ${size} 条，却已有大小为 ${previous.size} 的检查点：账本被截短，拒绝签发`);
    }
    const store = nodeStore(trx);
    const root = await rootAt(store, size);
    if (!root.equals(frontierRoot(head.frontier))) {
      throw new LedgerIntegrityError(`账本树节点与账本头不一致（大小 ${size}），拒绝签发检查点`);
    }
    if (previous) {
      let signed;
      try {
        signed = verifyNote(previous.note, key.verifierKey, { origin: keys.origin });
      } catch (e) {
        throw new LedgerIntegrityError(`上一个检查点（大小 ${previous.size}）验签失败，拒绝签发: ${(e as Error).message}`);
      }
      const proof = await consistencyProof(store, previous.size, size);
      if (signed.size !== previous.size || !verifyConsistency(previous.size, size, signed.rootHash, root, proof)) {
        throw new LedgerIntegrityError(`当前账本与上一个检查点（大小 ${previous.size}）不一致，拒绝签发`);
      }
    }
    const note = signCheckpoint(formatCheckpoint({ origin: keys.origin, size, rootHash: root, extensions: [] }), key);
    const { rows } = await sql<Row>`INSERT INTO ledger_checkpoints (size, root, note) VALUES (${size}, ${root}, ${note}) RETURNING size, root, note, created_at`.execute(trx);
    const checkpoint = toCheckpoint(rows[0]!);
    await onCreated?.(trx, checkpoint);
    return { checkpoint, created: true };
  });
}

const MAX_BACKOFF_MS = 60_000;

export interface CheckpointTimerOptions {
  everyEntries: number;
  everySeconds: number;
  /** How often the (one-row) check runs; 1 s by default. */
  pollMs?: number;
  log: { error(obj: object, msg: string): void; info?(obj: object, msg: string): void };
}

export interface CheckpointTimer {
  /** Stops the timer and waits for a checkpoint being signed to finish. */
  stop(): Promise<void>;
}

/**
 * Signs a checkpoint once `everyEntries` entries have been added since the last one, or once
 * `everySeconds` have passed and anything was added. Polls one row; several servers on one
 * database may all run it, since checkpointers take turns and a size is only signed once.
 */
export function startCheckpointTimer(db: Db, keys: LedgerKeys, opts: CheckpointTimerOptions): CheckpointTimer {
  const startedAt = Date.now();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const tick = async () => {
    const { rows } = await sql<{ size: number; cp_size: number | null; cp_at: Date | null }>`
      SELECT h.size, c.size AS cp_size, c.created_at AS cp_at
      FROM ledger_head h LEFT JOIN LATERAL (SELECT size, created_at FROM ledger_checkpoints ORDER BY size DESC LIMIT 1) c ON true
      WHERE h.id = 1`.execute(db);
    const r = rows[0];
    if (!r) return;
    const added = Number(r.size) - Number(r.cp_size ?? 0);
    const since = Date.now() - (r.cp_at ? r.cp_at.getTime() : startedAt);
    const due = (r.cp_size === null || added > 0) && (added >= opts.everyEntries || since >= opts.everySeconds * 1000);
    if (!due) return;
    const { checkpoint, created } = await createCheckpoint(db, keys);
    if (created) opts.log.info?.({ size: checkpoint.size }, 'ledger checkpoint signed');
  };
  // A failure that persists (a key that does not match the last checkpoint, a database gone) is
  // logged when it starts and when it changes, not on every poll, and the poll backs off to a
  // minute; the first success logs the recovery and restores the pace.
  const pollMs = opts.pollMs ?? 1000;
  let failures = 0;
  let lastFailure: string | null = null;
  const schedule = () => {
    if (stopped) return;
    const delay = failures === 0 ? pollMs : Math.min(MAX_BACKOFF_MS, pollMs * 2 ** Math.min(failures, 16));
    timer = setTimeout(() => {
      running = tick()
        .then(() => {
          if (failures > 0) opts.log.info?.({ failures }, 'ledger checkpoints resumed');
          failures = 0;
          lastFailure = null;
        })
        .catch((err: unknown) => {
          failures += 1;
          const message = err instanceof Error ? err.message : String(err);
          if (message !== lastFailure) opts.log.error({ err, failures }, 'ledger checkpoint failed; retrying with back-off');
          lastFailure = message;
        })
        .finally(schedule);
    }, delay);
    timer.unref();
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
