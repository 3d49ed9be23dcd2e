// The verifier's fast row path on PostgreSQL: entry rows as `COPY … TO STDOUT (FORMAT binary)`
// bytes, turned into leaf hashes without a row object, a Date or a JSON value per row. The leaf
// is still the canonical encoding of the stored fields (leaf.ts), byte for byte, and is rebuilt
// from every field: text fields are copied as their UTF-8 bytes when JSON.stringify of the
// decoded text would write exactly those bytes between quotes (valid UTF-8, nothing to escape) and
// go through JSON.stringify otherwise; the payload's canonical text is written by a scan of its
// jsonb text (`writeCanonicalJson`) that leaves anything unusual to leaf.ts's JSON.parse +
// canonicalJson; numbers and the time are formatted as JavaScript formats them.
// `leaf-copy.test.ts` checks all of it against `entryLeafHash`/`canonicalJson` on awkward values.

import { hash } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import { canonicalJson } from './leaf.ts';

/** The SELECT list the reader expects, in this order; the casts pin each column's binary form. */
export const COPY_ENTRY_COLUMNS =
  'seq::int8, at::timestamptz, actor_account_id::int4, actor_person_id::int4, actor_name::text, action::text, subject_type::text, subject_id::text, payload::jsonb, request_id::text, client_ip::text, leaf_hash::bytea';
const FIELDS = 12;

export type RowProblem = { kind: 'time' } | { kind: 'encode'; message: string };

/** A batch of entry rows reduced to what the verifier compares. Index i is the batch's i-th row. */
export interface HashedRows {
  count: number;
  seqs: Float64Array;
  /** Recomputed leaf hashes, 32 bytes per row (zeros for a row in `problems`). */
  leafHashes: Buffer;
  /** The rows' own `leaf_hash`, 32 bytes per row; see `storedLength`. */
  stored: Buffer;
  /** Byte length of each row's `leaf_hash`: −1 for NULL (an entry from before the tree), 32 normally. */
  storedLength: Int32Array;
  /** Rows that could not be hashed (row index → why); the verifier reports the first. */
  problems: Map<number, RowProblem>;
}

export function emptyHashedRows(capacity: number): HashedRows {
  return {
    count: 0,
    seqs: new Float64Array(capacity),
    leafHashes: Buffer.alloc(capacity * 32),
    stored: Buffer.alloc(capacity * 32),
    storedLength: new Int32Array(capacity),
    problems: new Map(),
  };
}

/** Makes room for one more row, doubling when full (only a table with duplicate seqs overfills a range). */
export function reserveRow(r: HashedRows): void {
  if (r.count < r.seqs.length) return;
  const capacity = Math.max(16, r.seqs.length * 2);
  const seqs = new Float64Array(capacity);
  seqs.set(r.seqs);
  const leafHashes = Buffer.alloc(capacity * 32);
  r.leafHashes.copy(leafHashes);
  const stored = Buffer.alloc(capacity * 32);
  r.stored.copy(stored);
  const storedLength = new Int32Array(capacity);
  storedLength.set(r.storedLength);
  Object.assign(r, { seqs, leafHashes, stored, storedLength });
}

// ---------------------------------------------------------------------------------------------
// Canonical JSON straight from the bytes of JSON text (what jsonb prints), without building the
// value or a string: strings without escapes and small integers are copied, other numbers
// respelled as JavaScript writes them, members reordered in place. Anything unusual — an escape,
// a key that UTF-8 and UTF-16 would order differently, invalid UTF-8, a repeated name, deep
// nesting, text that is not JSON — is left to leaf.ts's `canonicalJson(JSON.parse(text))`, so the
// result, or the error, is always exactly that.

class Unusual extends Error {}
const UNUSUAL = new Unusual();
const NO_BYTES = Buffer.alloc(0);
let inb: Buffer = NO_BYTES;
let ip = 0;
let ie = 0;
let ob: Buffer = NO_BYTES;
let op = 0;
let high = false;
/** Per open object: (member start, key end, member end) triples, in out-buffer offsets. */
let members = new Int32Array(192);
let top = 0;
let scratch = Buffer.allocUnsafe(1024);
const MAX_DEPTH = 100;
const JSON_NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;

function room(extra: number): void {
  if (op + extra <= ob.length) return;
  const bigger = Buffer.allocUnsafe(Math.max(ob.length * 2, op + extra));
  ob.copy(bigger, 0, 0, op);
  ob = bigger;
}

function space(): void {
  while (ip < ie) {
    const c = inb[ip]!;
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) ip++;
    else return;
  }
}

function str(key: boolean): void {
  const start = ip;
  ip++;
  for (;;) {
    if (ip >= ie) throw UNUSUAL;
    const c = inb[ip]!;
    if (c === 0x22) break;
    if (c === 0x5c || c < 0x20) throw UNUSUAL;
    if (c >= 0x80) {
      high = true;
      // UTF-8 orders U+E000–U+FFFF before supplementary characters, UTF-16 after: rare in a key.
      if (key && c >= 0xee) throw UNUSUAL;
    }
    ip++;
  }
  ip++;
  const len = ip - start;
  room(len);
  copyBytes(inb, start, ip, ob, op);
  op += len;
}

function num(): void {
  const start = ip;
  let digits = 0;
  let plainInt = true;
  if (inb[ip] === 0x2d) ip++;
  const first = ip;
  while (ip < ie) {
    const c = inb[ip]!;
    if (c >= 0x30 && c <= 0x39) digits++;
    else if (c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === 0x2d) plainInt = false;
    else break;
    ip++;
  }
  // An integer of up to 15 digits, no leading zero and not -0, is its own shortest form.
  if (plainInt && digits > 0 && digits <= 15 && (inb[first] !== 0x30 || (digits === 1 && first === start))) {
    room(ip - start);
    for (let i = start; i < ip; i++) ob[op++] = inb[i]!;
    return;
  }
  const token = inb.toString('latin1', start, ip);
  if (!JSON_NUMBER.test(token)) throw UNUSUAL;
  const n = Number(token);
  if (!Number.isFinite(n)) throw UNUSUAL;
  const text = JSON.stringify(n);
  room(text.length);
  op += ob.write(text, op, 'latin1');
}

function literal(word: Buffer): void {
  if (ip + word.length > ie) throw UNUSUAL;
  for (let i = 0; i < word.length; i++) if (inb[ip + i] !== word[i]) throw UNUSUAL;
  ip += word.length;
  room(word.length);
  for (let i = 0; i < word.length; i++) ob[op++] = word[i]!;
}
const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');
const NULL = Buffer.from('null');

function value(depth: number): void {
  if (depth > MAX_DEPTH) throw UNUSUAL;
  space();
  if (ip >= ie) throw UNUSUAL;
  const c = inb[ip]!;
  if (c === 0x22) str(false);
  else if (c === 0x7b) object(depth);
  else if (c === 0x5b) array(depth);
  else if (c === 0x74) literal(TRUE);
  else if (c === 0x66) literal(FALSE);
  else if (c === 0x6e) literal(NULL);
  else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) num();
  else throw UNUSUAL;
}

function array(depth: number): void {
  ip++;
  room(2);
  ob[op++] = 0x5b;
  space();
  if (inb[ip] === 0x5d) {
    ip++;
    ob[op++] = 0x5d;
    return;
  }
  for (;;) {
    value(depth + 1);
    space();
    const c = inb[ip++];
    room(1);
    if (c === 0x5d) {
      ob[op++] = 0x5d;
      return;
    }
    if (c !== 0x2c) throw UNUSUAL;
    ob[op++] = 0x2c;
  }
}

/** Compares the keys (without quotes) of members a and b, byte by byte (= UTF-16 order here): negative when a's is first. */
function keyOrder(buf: Buffer, aStart: number, aEnd: number, bStart: number, bEnd: number): number {
  const aLen = aEnd - aStart;
  const bLen = bEnd - bStart;
  const n = aLen < bLen ? aLen : bLen;
  for (let i = 0; i < n; i++) {
    const d = buf[aStart + i]! - buf[bStart + i]!;
    if (d !== 0) return d;
  }
  return aLen - bLen;
}

/** Copies src[start, end) to dst at `at` (a loop beats a native call for the short runs of a payload). */
function copyBytes(src: Buffer, start: number, end: number, dst: Buffer, at: number): void {
  if (end - start > 64) src.copy(dst, at, start, end);
  else for (let i = start; i < end; i++) dst[at++] = src[i]!;
}

let order = new Int32Array(16);

function object(depth: number): void {
  ip++;
  room(2);
  ob[op++] = 0x7b;
  space();
  if (inb[ip] === 0x7d) {
    ip++;
    ob[op++] = 0x7d;
    return;
  }
  const base = top;
  const open = op;
  for (;;) {
    space();
    if (inb[ip] !== 0x22) throw UNUSUAL;
    const memberStart = op;
    str(true);
    const keyEnd = op;
    space();
    if (inb[ip++] !== 0x3a) throw UNUSUAL;
    room(1);
    ob[op++] = 0x3a;
    value(depth + 1);
    if (top + 3 > members.length) {
      const more = new Int32Array(members.length * 2);
      more.set(members);
      members = more;
    }
    members[top++] = memberStart;
    members[top++] = keyEnd;
    members[top++] = op;
    space();
    const c = inb[ip++];
    room(1);
    if (c === 0x7d) break;
    if (c !== 0x2c) throw UNUSUAL;
    ob[op++] = 0x2c;
  }
  const close = op;
  ob[op++] = 0x7d;
  const count = (top - base) / 3;
  let sorted = true;
  for (let i = base + 3; i < top; i += 3) {
    const cmp = keyOrder(ob, members[i - 3]! + 1, members[i - 2]! - 1, members[i]! + 1, members[i + 1]! - 1);
    if (cmp === 0) throw UNUSUAL; // a repeated name (JSON.parse keeps the last)
    if (cmp > 0) sorted = false;
  }
  if (!sorted) {
    // jsonb orders keys by length first: put the members in key order, in place (insertion sort:
    // objects in a payload are small; the comparisons are on the keys as written).
    if (order.length < count) order = new Int32Array(count * 2);
    for (let i = 0; i < count; i++) {
      const m = base + 3 * i;
      let j = i;
      while (j > 0 && keyOrder(ob, members[order[j - 1]!]! + 1, members[order[j - 1]! + 1]! - 1, members[m]! + 1, members[m + 1]! - 1) > 0) {
        order[j] = order[j - 1]!;
        j--;
      }
      order[j] = m;
    }
    if (scratch.length < close - open) scratch = Buffer.allocUnsafe(Math.max(scratch.length * 2, close - open));
    copyBytes(ob, open, close, scratch, 0);
    let w = open;
    for (let i = 0; i < count; i++) {
      const m = order[i]!;
      if (i > 0) ob[w++] = 0x2c;
      copyBytes(scratch, members[m]! - open, members[m + 2]! - open, ob, w);
      w += members[m + 2]! - members[m]!;
    }
  }
  top = base;
}

/**
 * Writes `canonicalJson(JSON.parse(text))` of the JSON text in `src[start, end)` into `out` at
 * `at`; returns the buffer written to (grown if needed) and the end of what was written.
 */
export function writeCanonicalJson(src: Buffer, start: number, end: number, out: Buffer, at: number): { out: Buffer; end: number } {
  inb = src;
  ip = start;
  ie = end;
  ob = out;
  op = at;
  high = false;
  top = 0;
  try {
    value(0);
    space();
    if (ip === ie && !(high && !isUtf8(src.subarray(start, end)))) return { out: ob, end: op };
  } catch (e) {
    if (e !== UNUSUAL && !(e instanceof RangeError)) throw e;
  } finally {
    inb = NO_BYTES;
  }
  const text = canonicalJson(JSON.parse(src.toString('utf8', start, end)));
  op = at;
  room(text.length * 3);
  const written = ob.write(text, op, 'utf8');
  const result = { out: ob, end: op + written };
  ob = NO_BYTES;
  return result;
}

/** `canonicalJson(JSON.parse(text))` by the byte path (for tests and callers holding text). */
export function canonicalJsonOfText(text: string): string {
  const src = Buffer.from(text, 'utf8');
  const { out, end } = writeCanonicalJson(src, 0, src.length, Buffer.allocUnsafe(64), 0);
  return out.toString('utf8', 0, end);
}

// ---------------------------------------------------------------------------------------------
// Binary COPY rows → leaf hashes.

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
/** PostgreSQL's epoch, 2000-01-01, in Unix milliseconds. */
const PG_EPOCH_MS = 946_684_800_000;

const ascii = (s: string) => Buffer.from(s, 'latin1');
const K_ACTION = ascii('\0{"action":');
const K_ACCOUNT = ascii(',"actorAccountId":');
const K_NAME = ascii(',"actorName":');
const K_PERSON = ascii(',"actorPersonId":');
const K_AT = ascii(',"at":"');
const K_IP = ascii('","clientIp":');
const K_PAYLOAD = ascii(',"payload":');
const K_REQUEST = ascii(',"requestId":');
const K_SEQ = ascii(',"seq":');
const K_SUBJECT_ID = ascii(',"subjectId":');
const K_SUBJECT_TYPE = ascii(',"subjectType":');

export class MalformedCopyError extends Error {}

/**
 * Reads a binary COPY stream of entry rows (`COPY (SELECT ${COPY_ENTRY_COLUMNS} …) TO STDOUT
 * (FORMAT binary)`) chunk by chunk as it arrives, hashing each complete row into `rows`.
 */
export class CopyLeafReader {
  readonly rows: HashedRows;
  private pending: Buffer | null = null;
  private headerDone = false;
  private ended = false;
  private out: Buffer = Buffer.allocUnsafe(4096);
  private pos = 0;
  private readonly offsets = new Int32Array(FIELDS);
  private readonly lengths = new Int32Array(FIELDS);

  constructor(expectedRows: number) {
    this.rows = emptyHashedRows(expectedRows);
  }

  push(chunk: Buffer): void {
    const data = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    let p = 0;
    if (!this.headerDone) {
      if (data.length < 19) {
        this.pending = data;
        return;
      }
      if (!data.subarray(0, 11).equals(SIGNATURE)) throw new MalformedCopyError('not a binary COPY stream');
      const extension = data.readInt32BE(15);
      if (data.length < 19 + extension) {
        this.pending = data;
        return;
      }
      p = 19 + extension;
      this.headerDone = true;
    }
    while (p + 2 <= data.length && !this.ended) {
      const fields = data.readInt16BE(p);
      if (fields === -1) {
        this.ended = true;
        p += 2;
        break;
      }
      if (fields !== FIELDS) throw new MalformedCopyError(`expected ${FIELDS} columns, got ${fields}`);
      // Is the whole row here?
      let q = p + 2;
      let complete = true;
      for (let f = 0; f < FIELDS; f++) {
        if (q + 4 > data.length) {
          complete = false;
          break;
        }
        const len = data.readInt32BE(q);
        this.offsets[f] = q + 4;
        this.lengths[f] = len;
        q += 4 + (len > 0 ? len : 0);
      }
      if (!complete || q > data.length) break;
      this.row(data);
      p = q;
    }
    this.pending = p < data.length ? data.subarray(p) : null;
  }

  /** The rows, once the stream has ended; a stream cut short is malformed. */
  finish(): HashedRows {
    if (!this.ended || this.pending) throw new MalformedCopyError('binary COPY stream ended early');
    return this.rows;
  }

  private ensure(extra: number): void {
    if (this.pos + extra <= this.out.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.out.length * 2, this.pos + extra));
    this.out.copy(bigger, 0, 0, this.pos);
    this.out = bigger;
  }

  private raw(b: Buffer): void {
    this.ensure(b.length);
    const out = this.out;
    for (let i = 0; i < b.length; i++) out[this.pos++] = b[i]!;
  }

  private text(s: string): void {
    this.ensure(s.length * 3);
    this.pos += this.out.write(s, this.pos, 'utf8');
  }

  /** A text column as a JSON string: its bytes when JSON.stringify of the decoded text would be exactly `"bytes"`. */
  private str(d: Buffer, f: number): void {
    const start = this.offsets[f]!;
    const end = start + this.lengths[f]!;
    // Copy while checking, in one pass; start over the slow way at the first byte that needs care.
    this.ensure(end - start + 2);
    const out = this.out;
    const at = this.pos;
    let p = at;
    out[p++] = 0x22;
    let high = false;
    for (let i = start; i < end; i++) {
      const c = d[i]!;
      if (c < 0x20 || c === 0x22 || c === 0x5c) {
        high = true;
        p = -1;
        break;
      }
      if (c >= 0x80) high = true;
      out[p++] = c;
    }
    // Invalid UTF-8 (possible in a SQL_ASCII database) decodes with replacement characters, as the
    // ordinary row path decodes it: never hash bytes the ordinary path would not.
    if (high && (p < 0 || !isUtf8(d.subarray(start, end)))) {
      this.pos = at;
      this.text(JSON.stringify(d.toString('utf8', start, end)));
      return;
    }
    out[p++] = 0x22;
    this.pos = p;
  }

  private int8(d: Buffer, f: number): number {
    if (this.lengths[f] !== 8) throw new MalformedCopyError(`column ${f + 1} is not an int8`);
    const o = this.offsets[f]!;
    return d.readInt32BE(o) * 4294967296 + d.readUInt32BE(o + 4);
  }

  /** An integer in decimal, as JSON writes it. */
  private int(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0) {
      this.text(String(n));
      return;
    }
    let digits = 1;
    for (let v = n; v >= 10; v = Math.floor(v / 10)) digits++;
    this.ensure(digits);
    const out = this.out;
    for (let i = this.pos + digits - 1, v = n; i >= this.pos; i--, v = Math.floor(v / 10)) out[i] = 0x30 + (v % 10);
    this.pos += digits;
  }

  private int4(d: Buffer, f: number): void {
    const len = this.lengths[f]!;
    if (len === -1) {
      this.raw(NULL);
      return;
    }
    if (len !== 4) throw new MalformedCopyError(`column ${f + 1} is not an int4`);
    this.int(d.readInt32BE(this.offsets[f]!));
  }

  // The day of the last time written ("YYYY-MM-DDT"), so most times cost arithmetic, not a Date.
  private dayStart = Number.NaN;
  private dayPrefix = NO_BYTES;

  /** `new Date(ms).toISOString()`'s bytes. */
  private iso(ms: number): void {
    const inDay = ms - this.dayStart;
    if (!(inDay >= 0 && inDay < 86_400_000)) {
      const text = new Date(ms).toISOString(); // throws for a time no Date can hold
      // Years 0–9999 only: other years are written with a sign and six digits.
      if (text.length !== 24) {
        this.text(text);
        return;
      }
      this.dayStart = ms - (ms % 86_400_000 + 86_400_000) % 86_400_000;
      this.dayPrefix = Buffer.from(text.slice(0, 11), 'latin1');
      return this.iso(ms);
    }
    this.raw(this.dayPrefix);
    this.ensure(12);
    const out = this.out;
    let p = this.pos;
    const hours = Math.floor(inDay / 3_600_000);
    const minutes = Math.floor(inDay / 60_000) % 60;
    const seconds = Math.floor(inDay / 1000) % 60;
    const milli = inDay % 1000;
    out[p++] = 0x30 + Math.floor(hours / 10);
    out[p++] = 0x30 + (hours % 10);
    out[p++] = 0x3a;
    out[p++] = 0x30 + Math.floor(minutes / 10);
    out[p++] = 0x30 + (minutes % 10);
    out[p++] = 0x3a;
    out[p++] = 0x30 + Math.floor(seconds / 10);
    out[p++] = 0x30 + (seconds % 10);
    out[p++] = 0x2e;
    out[p++] = 0x30 + Math.floor(milli / 100);
    out[p++] = 0x30 + (Math.floor(milli / 10) % 10);
    out[p++] = 0x30 + (milli % 10);
    out[p++] = 0x5a;
    this.pos = p;
  }

  private row(d: Buffer): void {
    const rows = this.rows;
    reserveRow(rows);
    const r = rows.count++;
    const seq = this.int8(d, 0);
    rows.seqs[r] = seq;
    const storedLength = this.lengths[11]!;
    rows.storedLength[r] = storedLength;
    if (storedLength > 0) d.copy(rows.stored, r * 32, this.offsets[11]!, this.offsets[11]! + Math.min(32, storedLength));
    try {
      for (let f = 1; f < 11; f++) if (f !== 2 && f !== 3 && this.lengths[f] === -1) throw new Error(`column ${f + 1} is null`);
      // Stored with millisecond precision (record() writes an ISO time); anything finer was moved.
      const micros = this.int8(d, 1);
      if (micros % 1000 !== 0) {
        rows.problems.set(r, { kind: 'time' });
        return;
      }
      const ms = micros / 1000 + PG_EPOCH_MS;
      const p = this.offsets[8]!;
      if (this.lengths[8]! < 1 || d[p] !== 1) throw new Error('unknown jsonb version');

      this.pos = 0;
      this.raw(K_ACTION);
      this.str(d, 5);
      this.raw(K_ACCOUNT);
      this.int4(d, 2);
      this.raw(K_NAME);
      this.str(d, 4);
      this.raw(K_PERSON);
      this.int4(d, 3);
      this.raw(K_AT);
      this.iso(ms);
      this.raw(K_IP);
      this.str(d, 10);
      this.raw(K_PAYLOAD);
      const written = writeCanonicalJson(d, p + 1, p + this.lengths[8]!, this.out, this.pos);
      this.out = written.out;
      this.pos = written.end;
      this.raw(K_REQUEST);
      this.str(d, 9);
      this.raw(K_SEQ);
      this.int(seq);
      this.raw(K_SUBJECT_ID);
      this.str(d, 7);
      this.raw(K_SUBJECT_TYPE);
      this.str(d, 6);
      this.ensure(1);
      this.out[this.pos++] = 0x7d;
      hash('sha256', this.out.subarray(0, this.pos), 'buffer').copy(rows.leafHashes, r * 32);
    } catch (e) {
      if (e instanceof MalformedCopyError) throw e;
      rows.problems.set(r, { kind: 'encode', message: (e as Error).message });
    }
  }
}
