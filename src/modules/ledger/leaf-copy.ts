// The verifier's fast row path on PostgreSQL: entry rows as `COPY … TO STDOUT (FORMAT binary)`
// bytes, turned into leaf hashes without a row object, a Date or a JSON value per row. The leaf
// is still the canonical encoding of the stored fields (leaf.ts), byte for byte, and is rebuilt
// from every field: text fields are copied as their UTF-8 bytes when JSON.stringify of the
// decoded text would write exactly those bytes between quotes (valid UTF-8, nothing to escape) and
// go through JSON.stringify otherwise; the payload's canonical text is written by a scan of its
// jsonb text (`writeCanonicalJson`) that leaves anything unusual to leaf.ts's JSON.parse +
// canonicalJson; numbers and the time are formatted as JavaScript formats them.
// `leaf-copy.test.ts` checks all of it against `entryLeafHash`/`canonicalJson` on awkward values.

import { sha256Into } from './merkle.ts';
import { isUtf8 } from 'node:buffer';
import { canonicalJson } from './leaf.ts';

/**
 * The SELECT list the reader expects, in this order; the casts pin each column's binary form. A
 * row with a stored leaf (0012) comes as seq, leaf hash and leaf only — its columns are search
 * hints, not the record, and its leaf is hashed as it is; an older row comes with its columns.
 */
export const COPY_ENTRY_COLUMNS =
  'seq::int8, ' +
  ['at::timestamptz', 'actor_account_id::int4', 'actor_person_id::int4', 'actor_name::text', 'action::text', 'subject_type::text', 'subject_id::text', 'payload::jsonb', 'request_id::text', 'client_ip::text']
    .map((c) => `CASE WHEN leaf IS NULL THEN ${c} END`)
    .join(', ') +
  ', leaf_hash::bytea, leaf::bytea';
const FIELDS = 13;

/** `moved`: a stored leaf that is another entry's (its seq member is not the row's). */
export type RowProblem = { kind: 'time' } | { kind: 'moved' } | { kind: 'encode'; message: string };

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

/** A big-endian int32 (a binary COPY length: −1 is NULL). */
const int32At = (d: Uint8Array, o: number): number => (d[o]! << 24) | (d[o + 1]! << 16) | (d[o + 2]! << 8) | d[o + 3]!;

/** Length of the binary COPY header at the start of d[0, filled): 0 while it has not all arrived. */
function copyHeaderLength(d: Uint8Array, filled: number): number {
  if (filled < 19) return 0;
  if (!Buffer.from(d.buffer, d.byteOffset, 11).equals(SIGNATURE)) throw new MalformedCopyError('not a binary COPY stream');
  const header = 19 + int32At(d, 15);
  return filled < header ? 0 : header;
}

/**
 * End of the binary COPY row whose `fields` fields start at q (just after its field count), or −1
 * while it has not all arrived in d[0, filled); with `offsets` and `lengths`, each field's data
 * offset and length into them.
 */
function rowEnd(d: Uint8Array, q: number, fields: number, filled: number, offsets?: Int32Array, lengths?: Int32Array): number {
  for (let f = 0; f < fields; f++) {
    if (q + 4 > filled) return -1;
    const len = int32At(d, q);
    if (offsets && lengths) {
      offsets[f] = q + 4;
      lengths[f] = len;
    }
    q += 4 + (len > 0 ? len : 0);
  }
  return q > filled ? -1 : q;
}
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
  /** 0x00 ‖ a stored leaf, for its hash. */
  private leaf: Buffer = Buffer.allocUnsafe(4096);

  constructor(expectedRows: number) {
    this.rows = emptyHashedRows(expectedRows);
  }

  push(chunk: Buffer): void {
    const data = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    let p = 0;
    if (!this.headerDone) {
      p = copyHeaderLength(data, data.length);
      if (p === 0) {
        this.pending = data;
        return;
      }
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
      const q = rowEnd(data, p + 2, FIELDS, data.length, this.offsets, this.lengths);
      if (q === -1) break;
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
    const leafLength = this.lengths[12]!;
    if (leafLength >= 0) {
      // The record itself (0012): hashed as it is.
      if (!leafHasSeq(d, this.offsets[12]!, this.offsets[12]! + leafLength, seq)) rows.problems.set(r, { kind: 'moved' });
      if (this.leaf.length < leafLength + 1) this.leaf = Buffer.allocUnsafe(Math.max(this.leaf.length * 2, leafLength + 1));
      this.leaf[0] = 0;
      d.copy(this.leaf, 1, this.offsets[12]!, this.offsets[12]! + leafLength);
      sha256Into(this.leaf.subarray(0, leafLength + 1), rows.leafHashes, r * 32);
      return;
    }
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
      sha256Into(this.out.subarray(0, this.pos), rows.leafHashes, r * 32);
    } catch (e) {
      if (e instanceof MalformedCopyError) throw e;
      rows.problems.set(r, { kind: 'encode', message: (e as Error).message });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The leaf stream (0012): entries with a stored leaf as `COPY (SELECT ${LEAF_COPY_COLUMNS} …
// ORDER BY seq) TO STDOUT (FORMAT binary)`, one stream for the whole log. This thread only cuts it
// into batches of whole rows (`LeafCopyBatcher`, a walk over row and field lengths, no per-row
// object); a worker hashes each batch (`hashLeafRows`), no JSON anywhere.

/**
 * Whether the leaf in d[start, end) is the leaf of entry `seq`: its top-level `,"seq":` member —
 * the last one in a canonical leaf, since only string members follow it and a string cannot hold
 * an unescaped quote — holds exactly `seq`. A byte scan from the end, not a parse: so an entry
 * moved to another position (swapped, renumbered) is named where it lies, not only by the nodes
 * above it. Anything else about the bytes is the hash's business.
 */
export function leafHasSeq(d: Uint8Array, start: number, end: number, seq: number): boolean {
  // ,"seq":  = 2c 22 73 65 71 22 3a
  for (let i = end - 1; i >= start + 6; i--) {
    if (d[i] !== 0x3a || d[i - 1] !== 0x22 || d[i - 2] !== 0x71 || d[i - 3] !== 0x65 || d[i - 4] !== 0x73 || d[i - 5] !== 0x22 || d[i - 6] !== 0x2c) continue;
    let v = 0;
    let p = i + 1;
    for (; p < end && d[p]! >= 0x30 && d[p]! <= 0x39 && p - i <= 16; p++) v = v * 10 + (d[p]! - 0x30);
    return p > i + 1 && p < end && d[p] === 0x2c && v === seq && (d[i + 1] !== 0x30 || p === i + 2);
  }
  return false;
}

/** The SELECT list of the leaf stream, in this order. */
export const LEAF_COPY_COLUMNS = 'seq::int8, leaf_hash::bytea, leaf::bytea';
const LEAF_FIELDS = 3;

/**
 * The leaf hashes of a batch of leaf-stream rows (row frames only, no COPY header or trailer).
 * Each leaf is hashed where it lies: the byte before it (the low byte of its length, already
 * read) is overwritten with 0x00, so SHA-256(0x00 ‖ leaf) needs no copy. `data` is the caller's
 * to give up (a batch buffer transferred to a worker).
 */
export function hashLeafRows(data: Buffer, expectedRows: number): HashedRows {
  const rows = emptyHashedRows(expectedRows);
  let p = 0;
  const end = data.length;
  while (p < end) {
    if (p + 2 > end || data.readInt16BE(p) !== LEAF_FIELDS) throw new MalformedCopyError(`expected ${LEAF_FIELDS} columns in the leaf stream`);
    reserveRow(rows);
    const r = rows.count++;
    let q = p + 2;
    if (data.readInt32BE(q) !== 8) throw new MalformedCopyError('seq is not an int8');
    rows.seqs[r] = data.readInt32BE(q + 4) * 4294967296 + data.readUInt32BE(q + 8);
    q += 12;
    const storedLength = data.readInt32BE(q);
    q += 4;
    rows.storedLength[r] = storedLength;
    if (storedLength > 0) {
      data.copy(rows.stored, r * 32, q, q + Math.min(32, storedLength));
      q += storedLength;
    }
    const leafLength = data.readInt32BE(q);
    q += 4;
    if (leafLength < 0) {
      rows.problems.set(r, { kind: 'encode', message: '没有叶' });
    } else {
      if (q + leafLength > end) throw new MalformedCopyError('leaf stream row cut short');
      if (!leafHasSeq(data, q, q + leafLength, rows.seqs[r]!)) rows.problems.set(r, { kind: 'moved' });
      data[q - 1] = 0;
      sha256Into(data.subarray(q - 1, q + leafLength), rows.leafHashes, r * 32);
      q += leafLength;
    }
    if (q > end) throw new MalformedCopyError('leaf stream row cut short');
    p = q;
  }
  return rows;
}

/**
 * Cuts a leaf-stream COPY, arriving in chunks of any size, into batches of whole rows of given
 * sizes (`sizes`, in order), each in an ArrayBuffer of its own (to transfer, not copy, to a
 * worker). A stream that ends early gives a short last batch (the verifier names the missing
 * entry); `take()` answers batches in order.
 */
export class LeafCopyBatcher {
  private buf = new Uint8Array(0);
  private filled = 0;
  /** Start of the first row not yet walked, and rows walked into the current batch. */
  private scan = 0;
  private rowsIn = 0;
  private headerDone = false;
  private ended = false;
  private failure: Error | null = null;
  private next = 0;
  private readonly ready: Uint8Array[] = [];
  private readonly waiting: Array<{ resolve: (b: Uint8Array) => void; reject: (e: Error) => void }> = [];
  /** Bytes per row seen so far, to size the next batch's buffer. */
  private perRow = 400;

  constructor(
    private readonly sizes: readonly number[],
    /** Called with true when enough batches wait to be taken (pause the source), false to resume. */
    private readonly backpressure: (pause: boolean) => void = () => undefined,
    private readonly ahead = 2,
  ) {
    this.startBatch(0);
  }

  private startBatch(carry: number): void {
    const want = Math.max(carry, Math.ceil((this.sizes[this.next] ?? 0) * this.perRow * 1.1) + 65_536);
    const fresh = new Uint8Array(new ArrayBuffer(want));
    if (carry > 0) fresh.set(this.buf.subarray(this.scan, this.scan + carry));
    this.buf = fresh;
    this.filled = carry;
    this.scan = 0;
    this.rowsIn = 0;
  }

  push(chunk: Uint8Array): void {
    if (this.ended) return;
    if (this.filled + chunk.length > this.buf.length) {
      const bigger = new Uint8Array(new ArrayBuffer(Math.max(this.buf.length * 2, this.filled + chunk.length)));
      bigger.set(this.buf.subarray(0, this.filled));
      this.buf = bigger;
    }
    this.buf.set(chunk, this.filled);
    this.filled += chunk.length;
    this.walk();
  }

  private walk(): void {
    const b = this.buf;
    const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    if (!this.headerDone) {
      const header = copyHeaderLength(b, this.filled);
      if (header === 0) return;
      b.copyWithin(0, header, this.filled);
      this.filled -= header;
      this.headerDone = true;
    }
    let p = this.scan;
    for (;;) {
      if (this.next >= this.sizes.length) {
        this.ended = true;
        break;
      }
      if (this.rowsIn === this.sizes[this.next]) {
        this.cut(p);
        return this.walk();
      }
      if (p + 2 > this.filled) break;
      const fields = view.getInt16(p);
      if (fields === -1) {
        this.scan = p;
        this.end();
        return;
      }
      if (fields !== LEAF_FIELDS) throw new MalformedCopyError(`expected ${LEAF_FIELDS} columns in the leaf stream`);
      const q = rowEnd(b, p + 2, LEAF_FIELDS, this.filled);
      if (q === -1) break;
      p = q;
      this.rowsIn++;
    }
    this.scan = p;
  }

  /** The current batch ends at `p`; what follows starts the next one. */
  private cut(p: number): void {
    if (this.rowsIn > 0) this.perRow = p / this.rowsIn;
    // The batch keeps its buffer (a view of its first p bytes); what follows moves to a new one.
    const batch = this.buf.subarray(0, p);
    this.scan = p;
    this.next++;
    this.startBatch(this.filled - p);
    this.deliver(batch);
  }

  /** The trailer, or the source ended: the rows walked so far are the last batch. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.next < this.sizes.length) {
      const batch = this.buf.subarray(0, this.scan);
      this.next++;
      this.deliver(batch);
      // Batches the stream never reached are empty: the verifier reports their first entry missing.
      while (this.next < this.sizes.length) {
        this.next++;
        this.deliver(new Uint8Array(0));
      }
    }
  }

  /** The reader gave up (a problem found): drop what waits and whatever still comes, never pause again. */
  discard(): void {
    this.ended = true;
    this.ready.length = 0;
    this.next = this.sizes.length;
    this.backpressure(false);
  }

  fail(e: Error): void {
    this.failure ??= e;
    for (const w of this.waiting.splice(0)) w.reject(e);
  }

  private deliver(batch: Uint8Array): void {
    const w = this.waiting.shift();
    if (w) w.resolve(batch);
    else this.ready.push(batch);
    if (this.ready.length >= this.ahead && !this.ended) this.backpressure(true);
  }

  /** The next batch: a view of the first bytes of an ArrayBuffer that is the batch's alone. */
  take(): Promise<Uint8Array> {
    const b = this.ready.shift();
    if (this.ready.length < this.ahead) this.backpressure(false);
    if (b) return Promise.resolve(b);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }
}
