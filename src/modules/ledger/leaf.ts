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

function canonical(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      // NaN and ±Infinity have no JSON form; JSON.stringify would quietly write null.
      if (!Number.isFinite(value)) throw new CanonicalJsonError(`not a JSON number: ${value}`);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + canonical(value[i]);
        return `${out}]`;
      }
      if (Object.getPrototypeOf(value) !== Object.prototype) break;
      // Default sort compares UTF-16 code units, which is what RFC 8785 §3.2.3 asks for.
      const keys = Object.keys(value).sort();
      let out = '{';
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i]!;
        out += `${i > 0 ? ',' : ''}${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`;
      }
      return `${out}}`;
    }
  }
  // Dates, Buffers, undefined, functions…: the leaf must be built from plain JSON values only,
  // i.e. from what the database gives back, never from what a caller happened to pass in.
  throw new CanonicalJsonError(`not a plain JSON value: ${Object.prototype.toString.call(value)}`);
}

/** RFC 8785 canonical JSON text of a plain JSON value (as JSON.parse returns). */
export function canonicalJson(value: unknown): string {
  return canonical(value);
}

/**
 * JSON.stringify's view of a caller's value, canonical in one pass: toJSON is applied, undefined,
 * functions and symbols are dropped from objects and become null in arrays, non-finite numbers
 * become null. So the result is exactly `canonicalJson(JSON.parse(JSON.stringify(value)))` — what
 * jsonb will hand back, canonicalised — without the round trip (a law checked by a property test).
 */
function canonicalOfStringified(value: unknown, key: string): string | undefined {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON(k: string): unknown }).toJSON(key);
  }
  if (value instanceof Number || value instanceof String || value instanceof Boolean) value = value.valueOf();
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'bigint':
      throw new CanonicalJsonError('a bigint has no JSON form');
    case 'object': {
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + (canonicalOfStringified(value[i], String(i)) ?? 'null');
        return `${out}]`;
      }
      const keys = Object.keys(value).sort();
      let out = '{';
      let first = true;
      for (const k of keys) {
        const member = canonicalOfStringified((value as Record<string, unknown>)[k], k);
        if (member === undefined) continue;
        out += `${first ? '' : ','}${JSON.stringify(k)}:${member}`;
        first = false;
      }
      return `${out}}`;
    }
    default:
      return undefined; // undefined, function, symbol
  }
}

/**
 * What `record()` stores for a payload and hashes into the leaf: the canonical JSON text (valid
 * JSON, so jsonb takes it as is) of JSON.stringify's view of the payload. jsonb keeps every JSON
 * value exactly (it only reorders keys and respells numbers, which canonical JSON erases), so the
 * verifier rebuilds the same text from the row.
 */
export function storedPayload(payload: Record<string, unknown> | undefined): string {
  const text = canonicalOfStringified(payload ?? {}, '');
  if (text === undefined || !text.startsWith('{')) throw new CanonicalJsonError('a ledger payload must be a JSON object');
  return text;
}

/** An entry whose payload is already canonical JSON text (as `storedPayload` returns). */
export type EntryWithPayloadText = Omit<LedgerEntry, 'payload'> & { payloadText: string };

/**
 * Canonical JSON of exactly the fields of `LedgerEntry`. The member names are written out in
 * their canonical (sorted) order, so that a field added to LedgerEntry later cannot silently
 * change the leaf, and only the payload needs sorting at run time.
 */
function leafText(e: LedgerEntry | EntryWithPayloadText): string {
  const int = (n: number | null) => (n === null ? 'null' : canonical(n));
  const payload = 'payloadText' in e ? e.payloadText : canonical(e.payload);
  return (
    `{"action":${JSON.stringify(e.action)},"actorAccountId":${int(e.actorAccountId)},"actorName":${JSON.stringify(e.actorName)}` +
    `,"actorPersonId":${int(e.actorPersonId)},"at":${JSON.stringify(e.at)},"clientIp":${JSON.stringify(e.clientIp)}` +
    `,"payload":${payload},"requestId":${JSON.stringify(e.requestId)},"seq":${canonical(e.seq)}` +
    `,"subjectId":${JSON.stringify(e.subjectId)},"subjectType":${JSON.stringify(e.subjectType)}}`
  );
}

/** The leaf bytes of an entry (UTF-8). */
export function encodeLeaf(entry: LedgerEntry): Buffer {
  return Buffer.from(leafText(entry), 'utf8');
}

/** SHA-256(0x00 ‖ leaf), as merkle.ts's leafHash, in one pass: this runs once per entry appended or verified. */
export function entryLeafHash(entry: LedgerEntry | EntryWithPayloadText): Buffer {
  return hash('sha256', Buffer.from(`\u0000${leafText(entry)}`, 'utf8'), 'buffer');
}

/** Leaf index (0-based, RFC 6962) of entry `seq` (1-based, gap-free): seq n is leaf n−1. */
export const leafIndexOf = (seq: number): number => seq - 1;

/** A stored row as the API shows it; the leaf is built from exactly this, so both always agree. */
export function toLedgerEntry(row: LedgerTables['ledger_entries']): LedgerEntry {
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
