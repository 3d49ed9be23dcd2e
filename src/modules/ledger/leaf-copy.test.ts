import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../contracts/ledger.ts';
import { CanonicalJsonError, canonicalJson, entryLeafHash } from './leaf.ts';
import { CopyLeafReader, MalformedCopyError, canonicalJsonOfText, type HashedRows } from './leaf-copy.ts';

// The fast row path must give exactly the leaf of the ordinary one (`entryLeafHash` of the row as
// node-postgres returns it). Rows are built here as PostgreSQL writes them in a binary COPY.

const PG_EPOCH_MS = 946_684_800_000;

/** What jsonb prints for a value: keys shortest first, `", "` and `": "` between. */
function jsonbText(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(jsonbText).join(', ')}]`;
  const keys = Object.keys(v).sort((a, b) => Buffer.byteLength(a) - Buffer.byteLength(b) || Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return `{${keys.map((k) => `${JSON.stringify(k)}: ${jsonbText((v as Record<string, unknown>)[k])}`).join(', ')}}`;
}

type Field = Buffer | null;
interface RawRow {
  seq: number;
  micros: number;
  account: number | null;
  person: number | null;
  texts: { actorName: Buffer; action: Buffer; subjectType: Buffer; subjectId: Buffer; requestId: Buffer; clientIp: Buffer };
  payload: Buffer;
  leafHash: Buffer | null;
}

const int8 = (n: number) => {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(n));
  return b;
};
const int4 = (n: number | null) => (n === null ? null : Buffer.from(Int32Array.of(n).buffer).reverse());

function copyStream(rows: RawRow[]): Buffer {
  const parts: Buffer[] = [Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)];
  for (const r of rows) {
    const fields: Field[] = [
      int8(r.seq), int8(r.micros), int4(r.account), int4(r.person),
      r.texts.actorName, r.texts.action, r.texts.subjectType, r.texts.subjectId,
      Buffer.concat([Buffer.of(1), r.payload]), r.texts.requestId, r.texts.clientIp, r.leafHash,
    ];
    const count = Buffer.alloc(2);
    count.writeInt16BE(fields.length);
    parts.push(count);
    for (const f of fields) {
      const len = Buffer.alloc(4);
      len.writeInt32BE(f === null ? -1 : f.length);
      parts.push(len, ...(f ? [f] : []));
    }
  }
  parts.push(Buffer.from([0xff, 0xff]));
  return Buffer.concat(parts);
}

function rawRow(e: LedgerEntry, opts: { payloadText?: string; micros?: number } = {}): RawRow {
  const t = (s: string) => Buffer.from(s, 'utf8');
  return {
    seq: e.seq,
    micros: opts.micros ?? (Date.parse(e.at) - PG_EPOCH_MS) * 1000,
    account: e.actorAccountId,
    person: e.actorPersonId,
    texts: { actorName: t(e.actorName), action: t(e.action), subjectType: t(e.subjectType), subjectId: t(e.subjectId), requestId: t(e.requestId), clientIp: t(e.clientIp) },
    payload: t(opts.payloadText ?? jsonbText(e.payload)),
    leafHash: null,
  };
}

const entry = (seq: number, over: Partial<LedgerEntry> = {}): LedgerEntry => ({
  seq,
  at: '2026-03-01T08:00:00.123Z',
  actorAccountId: 3,
  actorPersonId: null,
  actorName: '张伟(010234)',
  action: 'org.person.update',
  subjectType: 'person',
  subjectId: '42',
  payload: { before: { unitId: 2 }, after: { unitId: 3, position: '副中队长', score: 1 / 3 } },
  requestId: 'req-1',
  clientIp: '10.0.0.8',
  ...over,
});

function read(stream: Buffer, cut: number[] = []): HashedRows {
  const reader = new CopyLeafReader(4);
  let at = 0;
  for (const c of [...cut, stream.length]) {
    reader.push(stream.subarray(at, c));
    at = c;
  }
  return reader.finish();
}
const leafOf = (rows: HashedRows, i: number) => rows.leafHashes.subarray(i * 32, i * 32 + 32);

const AWKWARD: LedgerEntry[] = [
  entry(1),
  entry(2, { actorName: '系统(启动初始化)', actorAccountId: null, subjectId: '' }),
  entry(3, { payload: { text: '中文 ünïcödé 🚓 "quoted" \\ back\nslash\ttab \u2028 \u001f', emoji: '👮🏻‍♀️' } }),
  entry(4, { payload: { floats: [0.1, 0.30000000000000004, -1.5e-7, 1e21, 1.7976931348623157e308, 5e-324, 0], big: Number.MAX_SAFE_INTEGER, neg: -9007199254740991 } }),
  entry(5, { payload: { empty: {}, emptyArr: [], nested: [[[]], [{}]], nul: null, f: false, t: true } }),
  entry(6, { payload: { 'é': 1, e: 2, E: 3, '': 4, 'e\u0301': 5, '10': 6, '9': 7, a0: 8, '\uff01': 9, '😀': 10, '\ue000': 11 } }),
  entry(7, { actorName: 'quote " and \\ and \u0007 bell', requestId: 'tab\there', clientIp: '::1', payload: {} }),
  entry(8, { at: '1999-12-31T23:59:59.999Z', actorAccountId: -5, actorPersonId: 2147483647, seq: 8 }),
  entry(9, { action: 'a'.repeat(100), subjectType: '长'.repeat(40), payload: { long: 'x'.repeat(500), deep: { a: { b: { c: { d: [1, { e: 'f' }] } } } } } }),
];

describe('binary COPY rows → leaf hashes', () => {
  it('gives exactly the ordinary leaf hash, for awkward rows too', () => {
    const rows = read(copyStream(AWKWARD.map((e) => rawRow(e))));
    expect(rows.count).toBe(AWKWARD.length);
    expect(rows.problems.size).toBe(0);
    AWKWARD.forEach((e, i) => {
      expect(rows.seqs[i]).toBe(e.seq);
      expect(leafOf(rows, i).toString('hex'), `entry ${e.seq}`).toBe(entryLeafHash(e).toString('hex'));
    });
  });

  it('reads a stream cut anywhere into chunks', () => {
    const stream = copyStream(AWKWARD.slice(0, 4).map((e) => rawRow(e)));
    const whole = read(stream);
    for (let cut = 1; cut < stream.length; cut += 7) {
      const parts = read(stream, [cut, Math.min(stream.length, cut + 3)]);
      expect(parts.leafHashes.subarray(0, 4 * 32).equals(whole.leafHashes.subarray(0, 4 * 32))).toBe(true);
    }
  });

  it('keeps the stored leaf hash and its length, and NULL as −1', () => {
    const a = rawRow(entry(1));
    a.leafHash = entryLeafHash(entry(1));
    const b = rawRow(entry(2));
    b.leafHash = Buffer.alloc(33, 7);
    const rows = read(copyStream([a, b, rawRow(entry(3))]));
    expect([...rows.storedLength.subarray(0, 3)]).toEqual([32, 33, -1]);
    expect(rows.stored.subarray(0, 32).equals(a.leafHash)).toBe(true);
  });

  it('decodes invalid UTF-8 as the ordinary path does (replacement characters), never as raw bytes', () => {
    const row = rawRow(entry(1));
    row.texts.actorName = Buffer.from([0x41, 0xff, 0xfe, 0x42]);
    row.payload = Buffer.concat([Buffer.from('{"x": "'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    const rows = read(copyStream([row]));
    const ordinary = entry(1, { actorName: row.texts.actorName.toString('utf8'), payload: JSON.parse(row.payload.toString('utf8')) as Record<string, unknown> });
    expect(leafOf(rows, 0).equals(entryLeafHash(ordinary))).toBe(true);
  });

  it('flags a time finer than a millisecond, and a payload with no JSON form, per row', () => {
    const moved = rawRow(entry(1), { micros: (Date.parse(entry(1).at) - PG_EPOCH_MS) * 1000 + 1 });
    const huge = rawRow(entry(2), { payloadText: '{"n": 1' + '0'.repeat(400) + '}' });
    const rows = read(copyStream([moved, huge, rawRow(entry(3))]));
    expect(rows.problems.get(0)).toEqual({ kind: 'time' });
    expect(rows.problems.get(1)).toMatchObject({ kind: 'encode' });
    expect(leafOf(rows, 2).equals(entryLeafHash(entry(3)))).toBe(true);
  });

  it('refuses a stream that is not what it asked for', () => {
    expect(() => read(Buffer.from('not a copy stream at all'))).toThrow(MalformedCopyError);
    const stream = copyStream([rawRow(entry(1))]);
    const reader = new CopyLeafReader(1);
    reader.push(stream.subarray(0, stream.length - 10));
    expect(() => reader.finish()).toThrow(MalformedCopyError);
  });
});

describe('canonical JSON from jsonb text', () => {
  it('is canonicalJson(JSON.parse(text)) for any JSON value as jsonb prints it', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = jsonbText(value);
        expect(canonicalJsonOfText(text)).toBe(canonicalJson(JSON.parse(text)));
      }),
      { numRuns: 500 },
    );
  });

  it('respells numbers, and leaves the unusual to the slow path with the same result or error', () => {
    for (const text of ['2.50', '-0', '1.0e2', '0.33333333333333333333', '100000000000000000000000', '0.0000001', '{"a": 1, "a": 2}', '{"k": "\\u00e9\\n"}', '[1, [2, [3]]]', ' {"b" : 1 ,"a":2} ']) {
      expect(canonicalJsonOfText(text), text).toBe(canonicalJson(JSON.parse(text)));
    }
    expect(() => canonicalJsonOfText('{"n": 1e400}')).toThrow(CanonicalJsonError);
    expect(() => canonicalJsonOfText('{"n": 01}')).toThrow(SyntaxError);
    expect(() => canonicalJsonOfText('{"n": 1} x')).toThrow(SyntaxError);
    const deep = '['.repeat(300) + ']'.repeat(300);
    expect(canonicalJsonOfText(deep)).toBe(deep);
  });
});
