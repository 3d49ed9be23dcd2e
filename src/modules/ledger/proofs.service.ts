// Entries with their leaves, and inclusion and consistency proofs, each answered with one query
// of O(log n) complete-subtree nodes (plus the head and, where asked, the checkpoint).

import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { LedgerEntry } from '../../contracts/ledger.ts';
import { AppError, badRequest, notFound } from '../../platform/http/errors.ts';
import type { LedgerTables } from './ledger.tables.ts';
import { consistencyRanges, inclusionRanges, rangeRoots, EMPTY_ROOT, type LeafRange } from './merkle.ts';
import { encodeLeaf, leafIndexOf, toLedgerEntry } from './leaf.ts';
import { ENTRY_COLUMNS, LEAF_HASH, LEAF_JOIN, asBuffer, nodeStore } from './tree.repo.ts';

export interface EntryWithLeaf {
  entry: LedgerEntry;
  leafIndex: number;
  /** Canonical JSON of `entry` (see README), the bytes hashed into the tree: the stored leaf since 0012, from which `entry` is read. */
  leaf: Buffer;
  /** The leaf hash stored in the tree; equals SHA-256(0x00 ‖ leaf) unless someone tampered. */
  leafHash: Buffer | null;
}

export async function entryWithLeaf(db: Db, seq: number): Promise<EntryWithLeaf> {
  const { rows } = await sql<LedgerTables['ledger_entries'] & { stored_hash: Uint8Array | null }>`
    SELECT ${ENTRY_COLUMNS}, ${LEAF_HASH} AS stored_hash FROM ledger_entries e ${LEAF_JOIN} WHERE e.seq = ${seq}`.execute(db);
  const row = rows[0];
  if (!row) throw notFound(`账本条目 ${seq} `);
  const entry = toLedgerEntry(row);
  const leaf = row.leaf ? asBuffer(row.leaf) : encodeLeaf(entry);
  return { entry, leafIndex: leafIndexOf(seq), leaf, leafHash: row.stored_hash ? asBuffer(row.stored_hash) : null };
}

/**
 * In one query: the largest size a proof can be asked for (what is hashed into the tree now) and
 * the checkpoint of exactly `size`, or the latest one when no size is asked for.
 */
async function sizes(db: Db, size: number | undefined): Promise<{ available: number; checkpoint: { size: number; note: string } | null }> {
  const { rows } = await sql<{ tree_size: number; cp_size: number | null; cp_note: string | null }>`
    SELECT h.tree_size, c.size AS cp_size, c.note AS cp_note
    FROM ledger_head h
    LEFT JOIN LATERAL (SELECT size, note FROM ledger_checkpoints WHERE ${size === undefined ? sql`true` : sql`size = ${size}`} ORDER BY size DESC LIMIT 1) c ON true
    WHERE h.id = 1`.execute(db);
  const r = rows[0]!;
  return { available: Number(r.tree_size), checkpoint: r.cp_size === null ? null : { size: Number(r.cp_size), note: r.cp_note! } };
}

function checkSize(name: string, size: number, available: number): void {
  if (size > available) {
    throw badRequest(`${name} ${size} 超出当前账本大小 ${available}`, [{ path: name, message: `不能大于 ${available}` }]);
  }
}

export interface InclusionAnswer {
  seq: number;
  leafIndex: number;
  treeSize: number;
  leafHash: Buffer;
  rootHash: Buffer;
  proof: Buffer[];
  /** The signed checkpoint of exactly this size, if there is one. */
  checkpoint: string | null;
}

/** Audit path of entry `seq` in the tree of `size` entries (default: the latest checkpoint's). */
export async function inclusion(db: Db, seq: number, size?: number): Promise<InclusionAnswer> {
  const { available, checkpoint } = await sizes(db, size);
  const n = size ?? checkpoint?.size ?? available;
  checkSize('size', n, available);
  if (seq > n) throw badRequest(`条目 ${seq} 不在大小为 ${n} 的账本树中`, [{ path: 'seq', message: `不能大于 ${n}` }]);
  const index = leafIndexOf(seq);
  const ranges: LeafRange[] = [...inclusionRanges(index, n), [0, n], [index, index + 1]];
  const hashes = await rangeRoots(nodeStore(db), ranges);
  const leafHash = hashes.pop()!;
  const rootHash = hashes.pop()!;
  return { seq, leafIndex: index, treeSize: n, leafHash, rootHash, proof: hashes, checkpoint: checkpoint?.size === n ? checkpoint.note : null };
}

export interface ConsistencyAnswer {
  from: number;
  to: number;
  fromRoot: Buffer;
  toRoot: Buffer;
  proof: Buffer[];
}

/** PROOF(from, D[0:to]) with both roots; `to` defaults to the latest checkpoint's size. */
export async function consistency(db: Db, from: number, to?: number): Promise<ConsistencyAnswer> {
  const { available, checkpoint } = await sizes(db, to);
  const n = to ?? checkpoint?.size ?? available;
  checkSize('to', n, available);
  if (from > n) throw badRequest(`from ${from} 大于 to ${n}`, [{ path: 'from', message: `不能大于 ${n}` }]);
  const ranges: LeafRange[] = [...consistencyRanges(from, n)];
  if (from > 0) ranges.push([0, from]);
  if (n > 0) ranges.push([0, n]);
  const hashes = await rangeRoots(nodeStore(db), ranges);
  const toRoot = n > 0 ? hashes.pop()! : EMPTY_ROOT;
  const fromRoot = from > 0 ? hashes.pop()! : EMPTY_ROOT;
  return { from, to: n, fromRoot, toRoot, proof: hashes };
}

/** A signed checkpoint is needed but none has been made yet. */
export const noCheckpoint = () => new AppError(404, 'NOT_FOUND', '尚未签发账本检查点');
