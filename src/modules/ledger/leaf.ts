// The leaf of a ledger entry: its canonical JSON, so anyone holding the entry (from the API, an
// export or a database dump) can rebuild the exact bytes that were hashed into the tree.
//
// Canonical JSON is RFC 8785 (JSON Canonicalization Scheme): object members sorted by their
// names' UTF-16 code units, no whitespace, strings and numbers serialised exactly as ECMAScript's
// JSON.stringify does (numbers in shortest round-trip form, e.g. 1e+21, 0.1, -0 as 0), output in
// UTF-8. Implementations exist for most languages, which is why we use it instead of a format of
// our own.

import type { LedgerEntry } from '../../contracts/ledger.ts';
import type { LedgerTables } from './ledger.tables.ts';
import { hash } from 'node:crypto';

export class CanonicalJsonError extends Error {}

/**
 * One walker, two modes. Strict (`lenient` false) encodes plain JSON values only — what the
 * database gives back — and refuses anything else: the leaf must never depend on what a caller
 * happened to pass in. Lenient takes JSON.stringify's view of a caller's value in one pass:
 * toJSON is applied, wrapper objects unwrapped, undefined, functions and symbols dropped from
 * objects and null in arrays, non-finite numbers null. So lenient(v) is exactly
 * strict(JSON.parse(JSON.stringify(v))) — what jsonb will hand back — without the round trip
 * (a law checked by a property test). Returns undefined only in lenient mode, for a dropped value.
 */
function canonical(value: unknown, key: string, lenient: boolean): string | undefined {
  if (lenient) {
    if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
      value = (value as { toJSON(k: string): unknown }).toJSON(key);
    }
    if (value instanceof Number || value instanceof String || value instanceof Boolean) value = value.valueOf();
  }
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (Number.isFinite(value)) return JSON.stringify(value);
      // NaN and ±Infinity have no JSON form: JSON.stringify writes null, a stored value may not hold one.
      if (lenient) return 'null';
      throw new CanonicalJsonError(`not a JSON number: ${value}`);
    case 'bigint':
      throw new CanonicalJsonError('a bigint has no JSON form');
    case 'object': {
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + (canonical(value[i], String(i), lenient) ?? 'null');
        return `${out}]`;
      }
      if (!lenient && Object.getPrototypeOf(value) !== Object.prototype) break;
      // Default sort compares UTF-16 code units, which is what RFC 8785 §3.2.3 asks for.
      let out = '{';
      let first = true;
      for (const k of Object.keys(value).sort()) {
        const member = canonical((value as Record<string, unknown>)[k], k, lenient);
        if (member === undefined) continue;
        out += `${first ? '' : ','}${JSON.stringify(k)}:${member}`;
        first = false;
      }
      return `${out}}`;
    }
    default:
      if (lenient) return undefined; // undefined, function, symbol
  }
  // Dates, Buffers, undefined, functions…
  throw new CanonicalJsonError(`not a plain JSON value: ${Object.prototype.toString.call(value)}`);
}

/** RFC 8785 canonical JSON text of a plain JSON value (as JSON.parse returns). */
export function canonicalJson(value: unknown): string {
  return canonical(value, '', false)!;
}

/**
 * What `record()` stores for a payload and hashes into the leaf: the canonical JSON text (valid
 * JSON, so jsonb takes it as is) of JSON.stringify's view of the payload. jsonb keeps every JSON
 * value exactly (it only reorders keys and respells numbers, which canonical JSON erases), so the
 * verifier rebuilds the same text from the row.
 */
export function storedPayload(payload: Record<string, unknown> | undefined): string {
  const text = canonical(payload ?? {}, '', true);
  if (text === undefined || !text.startsWith('{')) throw new CanonicalJsonError('a ledger payload must be a JSON object');
  return text;
}

/** An entry whose payload is already canonical JSON text (as `storedPayload` returns). */
export type EntryWithPayloadText = Omit<LedgerEntry, 'payload'> & { payloadText: string };

/** The members every entry of one request shares: who, when, from where. */
export type LeafCommon = Pick<LedgerEntry, 'at' | 'actorAccountId' | 'actorPersonId' | 'actorName' | 'requestId' | 'clientIp'>;
/** The members that differ between the entries of one request, besides seq and payload. */
export type LeafSubject = Pick<LedgerEntry, 'action' | 'subjectType' | 'subjectId'>;

const canonicalInt = (n: number | null) => (n === null ? 'null' : Number.isSafeInteger(n) ? String(n) : canonicalJson(n));

/**
 * The one definition of the leaf: canonical JSON of exactly the fields of `LedgerEntry`, member
 * names written out in their canonical (sorted) order — so a field added to LedgerEntry later
 * cannot silently change the leaf, and only the payload needs sorting at run time. As a writer
 * for entries sharing the request's members, which are encoded once: an append of a thousand
 * entries spends most of its own time here.
 */
export function leafWriter(c: LeafCommon): (s: LeafSubject, seq: number, payloadText: string) => string {
  const actor =
    `,"actorAccountId":${canonicalInt(c.actorAccountId)},"actorName":${JSON.stringify(c.actorName)},"actorPersonId":${canonicalInt(c.actorPersonId)}` +
    `,"at":${JSON.stringify(c.at)},"clientIp":${JSON.stringify(c.clientIp)},"payload":`;
  const request = `,"requestId":${JSON.stringify(c.requestId)},"seq":`;
  return (s, seq, payloadText) =>
    `{"action":${JSON.stringify(s.action)}${actor}${payloadText}${request}${canonicalInt(seq)},"subjectId":${JSON.stringify(s.subjectId)},"subjectType":${JSON.stringify(s.subjectType)}}`;
}

function leafText(e: LedgerEntry | EntryWithPayloadText): string {
  return leafWriter(e)(e, e.seq, 'payloadText' in e ? e.payloadText : canonicalJson(e.payload));
}

/** SHA-256(0x00 ‖ leaf) of a leaf's text: U+0000 is the byte 0x00 in UTF-8, so no buffer is built. */
const textLeafHash = (leaf: string): Buffer => hash('sha256', `\u0000${leaf}`, 'buffer');

/**
 * The leaves of new entries seq firstSeq, firstSeq + 1, … of one request, and their hashes: what
 * record() stores and hashes, from one encoding.
 */
export function newLeaves(common: LeafCommon, firstSeq: number, subjects: readonly LeafSubject[], payloadTexts: readonly string[]): { leaves: string[]; hashes: Buffer[] } {
  const write = leafWriter(common);
  const leaves = subjects.map((s, i) => write(s, firstSeq + i, payloadTexts[i]!));
  return { leaves, hashes: leaves.map(textLeafHash) };
}

/** The leaf bytes of an entry (UTF-8). */
export function encodeLeaf(entry: LedgerEntry): Buffer {
  return Buffer.from(leafText(entry), 'utf8');
}

/** SHA-256(0x00 ‖ leaf), as merkle.ts's leafHash, in one pass: this runs once per entry appended or verified. */
export function entryLeafHash(entry: LedgerEntry | EntryWithPayloadText): Buffer {
  return textLeafHash(leafText(entry));
}

/** Leaf index (0-based, RFC 6962) of entry `seq` (1-based, gap-free): seq n is leaf n−1. */
export const leafIndexOf = (seq: number): number => seq - 1;

/**
 * The entry of a row written before migration 0012, from its columns — for those rows the columns
 * are the record, and the leaf is rebuilt from exactly this. Never used for a row with a leaf.
 */
export function columnEntry(row: LedgerTables['ledger_entries']): LedgerEntry {
  return {
    seq: Number(row.seq),
    at: row.at.toISOString(),
    actorAccountId: row.actor_account_id,
    actorPersonId: row.actor_person_id,
    actorName: row.actor_name,
    action: row.action,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    payload: row.payload,
    requestId: row.request_id,
    clientIp: row.client_ip,
  };
}

/** A stored leaf that is not the canonical entry of its row: tampering, which verify names. */
export class UnreadableLeafError extends Error {
  override name = 'UnreadableLeafError';
}

const MEMBERS = ['action', 'actorAccountId', 'actorName', 'actorPersonId', 'at', 'clientIp', 'payload', 'requestId', 'seq', 'subjectId', 'subjectType'] as const;
const isText = (v: unknown) => typeof v === 'string';
const isId = (v: unknown) => v === null || Number.isSafeInteger(v);

/**
 * The entry a stored leaf encodes. Refuses (UnreadableLeafError) bytes that are not exactly an
 * entry of row `seq` — never falls back to the row's columns, which are only search hints.
 */
export function entryOfLeaf(leaf: Uint8Array, seq: number): LedgerEntry {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(leaf.buffer, leaf.byteOffset, leaf.byteLength).toString('utf8'));
  } catch {
    throw new UnreadableLeafError(`账本条目 ${seq} 的叶不是 JSON，账本已被改动，请核验账本`);
  }
  const v = value as Record<string, unknown>;
  const ok =
    value !== null && typeof value === 'object' && !Array.isArray(value) &&
    Object.keys(v).length === MEMBERS.length && MEMBERS.every((k) => k in v) &&
    v.seq === seq && isText(v.at) && isText(v.actorName) && isText(v.action) && isText(v.subjectType) && isText(v.subjectId) &&
    isText(v.requestId) && isText(v.clientIp) && isId(v.actorAccountId) && isId(v.actorPersonId) &&
    v.payload !== null && typeof v.payload === 'object' && !Array.isArray(v.payload);
  if (!ok) throw new UnreadableLeafError(`账本条目 ${seq} 的叶不是该条目的记录，账本已被改动，请核验账本`);
  return v as unknown as LedgerEntry;
}

/**
 * A stored row as the API, console, exports and CLI show it: the entry its leaf encodes (what was
 * hashed, whatever happened to the hint columns since), or for a row from before migration 0012
 * its columns.
 */
export function toLedgerEntry(row: LedgerTables['ledger_entries']): LedgerEntry {
  return row.leaf ? entryOfLeaf(row.leaf, Number(row.seq)) : columnEntry(row);
}
