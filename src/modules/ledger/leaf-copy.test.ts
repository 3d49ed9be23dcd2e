import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../contracts/ledger.ts';
import { CanonicalJsonError, canonicalJson, encodeLeaf, entryLeafHash } from './leaf.ts';
import { leafHash } from './merkle.ts';
import { CopyLeafReader, LeafCopyBatcher, MalformedCopyError, canonicalJsonOfText, hashLeafRows, leafHasSeq, type HashedRows } from './leaf-copy.ts';

/** One row of PostgreSQL's binary COPY: the field count, then each field as length + bytes (-1 for NULL). */
function copyRow(fields: Field[]): Buffer {
  const parts: Buffer[] = [Buffer.alloc(2)];
  parts[0]!.writeInt16BE(fields.length);
  for (const f of fields) {
    const len = Buffer.alloc(4);
    len.writeInt32BE(f === null ? -1 : f.length);
    parts.push(len, ...(f ? [f] : []));
  }
  return Buffer.concat(parts);
}

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
  /** A stored leaf (0012): the row then comes with its columns NULL, as COPY_ENTRY_COLUMNS asks. */
  leaf?: Buffer;
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
      Buffer.concat([Buffer.of(1), r.payload]), r.texts.requestId, r.texts.clientIp, r.leafHash, null,
    ];
    if (r.leaf) fields.splice(1, 12, ...Array<Field>(10).fill(null), r.leafHash, r.leaf);
    parts.push(copyRow(fields));
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

describe('stored leaves (0012)', () => {
  it('the column reader hashes a stored leaf as it is, and names one that is another entry’s', () => {
    const kept = rawRow(entry(1));
    kept.leaf = encodeLeaf(entry(1));
    const tampered = rawRow(entry(2));
    tampered.leaf = Buffer.from(encodeLeaf(entry(2)).toString('utf8').replace('"unitId":3', '"unitId":4'));
    const moved = rawRow(entry(3));
    moved.leaf = encodeLeaf(entry(4));
    const rows = read(copyStream([kept, tampered, moved, rawRow(entry(5))]));
    expect(leafOf(rows, 0).equals(entryLeafHash(entry(1)))).toBe(true);
    expect(leafOf(rows, 1).equals(leafHash(tampered.leaf))).toBe(true);
    expect(rows.problems.get(2)).toEqual({ kind: 'moved' });
    expect(leafOf(rows, 3).equals(entryLeafHash(entry(5)))).toBe(true);
    expect(rows.problems.size).toBe(1);
  });

  it('finds the top-level seq member of a leaf, whatever the payload and strings hold', () => {
    const check = (e: LedgerEntry, seq: number) => {
      const leaf = encodeLeaf(e);
      return leafHasSeq(leaf, 0, leaf.length, seq);
    };
    expect(check(entry(7), 7)).toBe(true);
    expect(check(entry(7), 70)).toBe(false);
    expect(check(entry(70), 7)).toBe(false);
    expect(check(entry(7, { payload: { seq: 9, s: ',"seq":9,' } }), 7)).toBe(true);
    expect(check(entry(7, { subjectId: ',"seq":9,', subjectType: '"seq":9' }), 7)).toBe(true);
    expect(check(entry(7, { payload: { seq: 7 } }), 9)).toBe(false);
    const leaf = Buffer.from('{"seq":07,"x":1}');
    expect(leafHasSeq(leaf, 0, leaf.length, 7)).toBe(false);
  });

  /** A leaf-stream COPY (seq, leaf hash, leaf) as PostgreSQL writes it. */
  function leafStream(entries: Array<{ seq: number; leaf: Buffer | null; hash?: Buffer | null }>): Buffer {
    const parts: Buffer[] = [Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)];
    for (const e of entries) {
      const fields: Field[] = [int8(e.seq), e.hash === undefined ? (e.leaf ? leafHash(e.leaf) : null) : e.hash, e.leaf];
      parts.push(copyRow(fields));
    }
    parts.push(Buffer.from([0xff, 0xff]));
    return Buffer.concat(parts);
  }

  it('cuts the leaf stream into batches of whole rows wherever its chunks end, and hashes each in place', async () => {
    const all = Array.from({ length: 23 }, (_, i) => ({ seq: i + 1, leaf: encodeLeaf(entry(i + 1, { payload: { n: 'x'.repeat(i * 7) } })) }));
    const stream = leafStream(all);
    for (const chunk of [1, 2, 7, 64, 1000, stream.length]) {
      const batcher = new LeafCopyBatcher([10, 10, 3]);
      for (let at = 0; at < stream.length; at += chunk) batcher.push(stream.subarray(at, at + chunk));
      batcher.end();
      const seen: number[] = [];
      const batches = await Promise.all([batcher.take(), batcher.take(), batcher.take()]);
      {
        batches.forEach((b, k) => {
          const rows = hashLeafRows(Buffer.from(b.buffer, b.byteOffset, b.byteLength), 10);
          for (let r = 0; r < rows.count; r++) {
            seen.push(rows.seqs[r]!);
            expect(leafOf(rows, r).equals(entryLeafHash(entry(rows.seqs[r]!, { payload: { n: 'x'.repeat((rows.seqs[r]! - 1) * 7) } })))).toBe(true);
            expect(rows.stored.subarray(r * 32, r * 32 + 32).equals(leafOf(rows, r))).toBe(true);
          }
          expect(rows.count).toBe([10, 10, 3][k]);
        });
        expect(seen).toEqual(all.map((e) => e.seq));
      }
    }
  });

  it('a stream that ends early gives a short batch and empty ones after; a NULL leaf or a moved one is flagged', async () => {
    const leaf = (seq: number) => encodeLeaf(entry(seq));
    const batcher = new LeafCopyBatcher([3, 3, 3]);
    batcher.push(leafStream([{ seq: 1, leaf: leaf(1) }, { seq: 2, leaf: null }, { seq: 3, leaf: leaf(9) }, { seq: 4, leaf: leaf(4) }]));
    batcher.end();
    const [a, b, c] = await Promise.all([batcher.take(), batcher.take(), batcher.take()]);
    const rows = hashLeafRows(Buffer.from(a!.buffer, a!.byteOffset, a!.byteLength), 3);
    expect(rows.count).toBe(3);
    expect(rows.problems.get(1)).toMatchObject({ kind: 'encode' });
    expect(rows.problems.get(2)).toEqual({ kind: 'moved' });
    expect(hashLeafRows(Buffer.from(b!.buffer, b!.byteOffset, b!.byteLength), 3).count).toBe(1);
    expect(c!.byteLength).toBe(0);
    expect(() => new LeafCopyBatcher([1]).push(Buffer.from('not a copy stream at all'))).toThrow(MalformedCopyError);
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
