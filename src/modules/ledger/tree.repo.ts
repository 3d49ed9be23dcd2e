// Storage of the Merkle tree: the head row (size, frontier), the complete-subtree nodes, and the
// set-based writes of an append. Pure hashing lives in merkle.ts; this file only moves bytes.

import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { Tx } from '../../platform/db/tx.ts';
import { HASH_SIZE, appendToFrontier, leafHash, type NodeId, type SubtreeStore, type TreeNode } from './merkle.ts';
import type { LedgerTables } from './ledger.tables.ts';
import { columnEntry, entryLeafHash, type LeafCommon, type LeafSubject } from './leaf.ts';

/** The log cannot be extended or served as it stands: a missing or extra row, a broken frontier. */
export class LedgerIntegrityError extends Error {
  override name = 'LedgerIntegrityError';
}

export interface Head {
  size: number;
  treeSize: number;
  frontier: Buffer[];
}

/** PGlite gives bytea as Uint8Array, node-postgres as Buffer. */
export const asBuffer = (b: Uint8Array): Buffer => (Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength));

export function splitFrontier(bytes: Uint8Array): Buffer[] {
  const buf = asBuffer(bytes);
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i += HASH_SIZE) out.push(buf.subarray(i, i + HASH_SIZE));
  return out;
}

type HeadRow = { size: number; tree_size: number; frontier: Uint8Array };
const toHead = (r: HeadRow): Head => ({ size: Number(r.size), treeSize: Number(r.tree_size), frontier: splitFrontier(r.frontier) });

/** Reads the head and locks it until commit: this is what serializes appends and keeps seq gap-free. */
export async function lockHead(trx: Tx): Promise<Head> {
  const { rows } = await sql<HeadRow>`SELECT size, tree_size, frontier FROM ledger_head WHERE id = 1 FOR UPDATE`.execute(trx);
  if (!rows[0]) throw new LedgerIntegrityError('ledger_head row is missing');
  return toHead(rows[0]);
}

export async function readHead(db: Db): Promise<Head> {
  const { rows } = await sql<HeadRow>`SELECT size, tree_size, frontier FROM ledger_head WHERE id = 1`.execute(db);
  if (!rows[0]) throw new LedgerIntegrityError('ledger_head row is missing');
  return toHead(rows[0]);
}

/**
 * The stored hash of leaf `e.seq − 1`: on the entry row, or for entries older than the tree in
 * ledger_nodes. LATERAL and scalar subqueries below keep every lookup a primary-key probe, whatever
 * the planner's statistics say (a hash join over all level-0 nodes once made verify crawl).
 */
export const LEAF_HASH = sql`coalesce(e.leaf_hash, l.hash)`;
export const LEAF_JOIN = sql`LEFT JOIN LATERAL (SELECT hash FROM ledger_nodes WHERE level = 0 AND idx = e.seq - 1) l ON true`;

/** Stored hashes of the given nodes, in order; null where a node is missing. One query. */
export async function readNodes(db: Db, nodes: readonly NodeId[]): Promise<Array<Buffer | null>> {
  if (nodes.length === 0) return [];
  const { rows } = await sql<{ hash: Uint8Array | null }>`
    SELECT CASE WHEN q.level = 0
      THEN coalesce((SELECT leaf_hash FROM ledger_entries WHERE seq = q.idx + 1), (SELECT hash FROM ledger_nodes WHERE level = 0 AND idx = q.idx))
      ELSE (SELECT hash FROM ledger_nodes WHERE level = q.level AND idx = q.idx) END AS hash
    FROM unnest(${nodes.map((n) => n.level)}::smallint[], ${nodes.map((n) => n.index)}::bigint[]) WITH ORDINALITY AS q(level, idx, ord)
    ORDER BY q.ord`.execute(db);
  return rows.map((r) => (r.hash ? asBuffer(r.hash) : null));
}

/** Complete-subtree hashes from ledger_nodes, a whole root or proof in one query. */
export function nodeStore(db: Db): SubtreeStore {
  const getMany = async (nodes: readonly NodeId[]): Promise<Buffer[]> =>
    (await readNodes(db, nodes)).map((hash, i) => {
      if (!hash) throw new LedgerIntegrityError(`ledger tree node (level ${nodes[i]!.level}, index ${nodes[i]!.index}) is missing`);
      return hash;
    });
  return { getMany, get: async (level, index) => (await getMany([{ level, index }]))[0]! };
}

/** Hashes leaves onto a frontier: the nodes to insert (leaves first, then what they complete). */
export function appendLeaves(frontier: Buffer[], size: number, leafHashes: readonly Buffer[]): { frontier: Buffer[]; nodes: TreeNode[] } {
  let current = frontier;
  const nodes: TreeNode[] = [];
  leafHashes.forEach((hash, i) => {
    const step = appendToFrontier(current, size + i, hash);
    current = step.frontier;
    for (const n of step.nodes) nodes.push(n);
  });
  return { frontier: current, nodes };
}

export interface Append {
  /** seq of the first entry; the rest follow without a gap. */
  firstSeq: number;
  common: LeafCommon;
  subjects: readonly LeafSubject[];
  /** Each entry's leaf (canonical JSON text) and its leaf hash. */
  leaves: readonly string[];
  leafHashes: readonly Buffer[];
  /** Interior nodes the leaves complete, and the frontier after them. */
  nodes: readonly TreeNode[];
  frontier: readonly Buffer[];
}

/**
 * Leaves travel as one text, cut by the database at RS (U+001E): canonical JSON escapes every
 * control character inside strings, so RS never occurs in a leaf. A text[] parameter instead is
 * quoted and backslash-escaped by the driver and unescaped again by the server — for leaves full
 * of quotes that was a third of an append's time.
 */
const LEAF_SEPARATOR = '\u001e';

export function joinLeaves(leaves: readonly string[]): string {
  if (leaves.some((l) => l.includes(LEAF_SEPARATOR))) throw new Error('a ledger leaf contains U+001E, which canonical JSON never does');
  return leaves.join(LEAF_SEPARATOR);
}

/** The i-th (1-based, as WITH ORDINALITY counts) 32-byte hash of a concatenation sent as one bytea. */
const nthHash = (packed: Buffer, ordinal: ReturnType<typeof sql>) => sql`substring(${packed}::bytea from (${ordinal}::int - 1) * 32 + 1 for 32)`;

/**
 * One statement for the whole append: entries with their leaf bytes and leaf hashes, the interior
 * nodes they complete, and the new head, each a multi-row insert (no parameter limit, one plan
 * whatever the batch size). What all entries share is sent once; hashes as one bytea each list.
 * The leaf is the record; the other entry columns are the console's search hints, and the payload
 * is not repeated outside the leaf (README, Storage).
 */
export async function writeAppend(trx: Tx, a: Append): Promise<void> {
  const n = a.subjects.length;
  if (n === 0 || a.leaves.length !== n || a.leafHashes.length !== n) throw new Error('writeAppend needs one leaf and leaf hash per entry, at least one entry');
  const c = a.common;
  await sql`
    WITH e AS (
      INSERT INTO ledger_entries (seq, at, actor_account_id, actor_person_id, actor_name, action, subject_type, subject_id, request_id, client_ip, leaf_hash, leaf)
      SELECT ${a.firstSeq - 1}::bigint + o, ${c.at}::timestamptz, ${c.actorAccountId}::int, ${c.actorPersonId}::int, ${c.actorName}::text,
             action, stype, sid, ${c.requestId}::text, ${c.clientIp}::text, ${nthHash(Buffer.concat(a.leafHashes), sql.raw('o'))}, convert_to(leaf, 'UTF8')
      FROM unnest(${a.subjects.map((e) => e.action)}::text[], ${a.subjects.map((e) => e.subjectType)}::text[], ${a.subjects.map((e) => e.subjectId)}::text[],
                  string_to_array(${joinLeaves(a.leaves)}::text, ${LEAF_SEPARATOR}::text)) WITH ORDINALITY AS x(action, stype, sid, leaf, o)
    ), n AS (${insertNodesSql(a.nodes.filter((node) => node.level > 0))})
    UPDATE ledger_head
    SET size = ${a.firstSeq + n - 1}, tree_size = ${a.firstSeq + n - 1}, frontier = ${Buffer.concat(a.frontier)}::bytea
    WHERE id = 1`.execute(trx);
}

function insertNodesSql(nodes: readonly TreeNode[]) {
  return sql`
    INSERT INTO ledger_nodes (level, idx, hash)
    SELECT level, idx, ${nthHash(Buffer.concat(nodes.map((node) => node.hash)), sql.raw('o'))}
    FROM unnest(${nodes.map((node) => node.level)}::smallint[], ${nodes.map((node) => node.index)}::bigint[]) WITH ORDINALITY AS x(level, idx, o)`;
}

/** What `toLedgerEntry` reads: the leaf, and the columns (the record of an entry from before 0012). */
export const ENTRY_COLUMNS = sql`seq, at, actor_account_id, actor_person_id, actor_name, action, subject_type, subject_id, payload, request_id, client_ip, leaf`;

const CATCH_UP_BATCH = 5000;

/**
 * Hashes entries written before the tree existed (databases from before migration 0003) onto the
 * tree. Runs under the head lock, batch by batch; after it tree_size equals size.
 */
export async function catchUp(trx: Tx, head: Head): Promise<Head> {
  let { treeSize, frontier } = head;
  while (treeSize < head.size) {
    const until = Math.min(head.size, treeSize + CATCH_UP_BATCH);
    const { rows } = await sql<LedgerTables['ledger_entries']>`SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE seq > ${treeSize} AND seq <= ${until} ORDER BY seq`.execute(trx);
    rows.forEach((r, i) => {
      if (Number(r.seq) !== treeSize + i + 1) throw new LedgerIntegrityError(`ledger entry seq ${treeSize + i + 1} is missing; the tree cannot be built past it`);
    });
    if (rows.length !== until - treeSize) throw new LedgerIntegrityError(`ledger entry seq ${treeSize + rows.length + 1} is missing; the tree cannot be built past it`);
    // A stored leaf is hashed as it is (it is the record); an older row's leaf is rebuilt from its columns.
    const step = appendLeaves(frontier, treeSize, rows.map((r) => (r.leaf ? leafHash(r.leaf) : entryLeafHash(columnEntry(r)))));
    await sql`WITH n AS (${insertNodesSql(step.nodes)})
      UPDATE ledger_head SET tree_size = ${until}, frontier = ${Buffer.concat(step.frontier)}::bytea WHERE id = 1`.execute(trx);
    treeSize = until;
    frontier = step.frontier;
  }
  return { size: head.size, treeSize, frontier };
}
