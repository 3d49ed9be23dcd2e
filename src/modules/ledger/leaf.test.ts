import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, CanonicalJsonError, encodeLeaf, storedPayload } from './leaf.ts';
import { leafHash } from './merkle.ts';
import type { LedgerEntry } from '../../contracts/ledger.ts';

describe('canonical JSON (RFC 8785)', () => {
  it('matches the RFC’s own example (§3.2.2)', () => {
    const input = JSON.parse(
      '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}',
    );
    expect(canonicalJson(input)).toBe('{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}');
  });

  it('sorts member names by UTF-16 code units (§3.2.3)', () => {
    const input = { '\u20ac': 1, '\r': 2, '\ufb33': 3, '1': 4, '\ud83d\ude00': 5, '\u0080': 6, '\u00f6': 7 };
    expect(canonicalJson(input)).toBe('{"\\r":2,"1":4,"\u0080":6,"\u00f6":7,"\u20ac":1,"\ud83d\ude00":5,"\ufb33":3}');
  });

  it('refuses what has no JSON form instead of writing null', () => {
    expect(() => canonicalJson({ x: Number.NaN })).toThrow(CanonicalJsonError);
    expect(() => canonicalJson({ x: new Date() })).toThrow(CanonicalJsonError);
    expect(() => canonicalJson({ x: undefined })).toThrow(CanonicalJsonError);
  });

  it('does not depend on member order, and is a fixed point', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
        const shuffled = JSON.parse(JSON.stringify(value), (_k, v: unknown) =>
          v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
        ) as unknown;
        expect(canonicalJson(shuffled)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('stores a payload as JSON storage sees it, canonical, in one pass', () => {
    expect(storedPayload({ a: undefined, d: new Date('2025-01-02T03:04:05.006Z'), n: Number.POSITIVE_INFINITY, l: [undefined, () => 1] })).toBe(
      '{"d":"2025-01-02T03:04:05.006Z","l":[null,null],"n":null}',
    );
    expect(storedPayload(undefined)).toBe('{}');
    expect(() => storedPayload({ big: 1n })).toThrow(CanonicalJsonError);
  });

  it('equals canonical JSON of the JSON round trip, for any payload', () => {
    const odd = fc.oneof(fc.constant(undefined), fc.constant(Number.NaN), fc.constant(-0), fc.date({ noInvalidDate: true }), fc.func(fc.integer()), fc.double());
    const payload = fc.dictionary(fc.string(), fc.oneof(fc.jsonValue(), odd, fc.array(fc.oneof(fc.jsonValue(), odd)), fc.dictionary(fc.string(), odd)));
    fc.assert(
      fc.property(payload, (p) => {
        expect(storedPayload(p)).toBe(canonicalJson(JSON.parse(JSON.stringify(p))));
      }),
      { numRuns: 500 },
    );
  });
});

describe('leaf encoding', () => {
  const entry: LedgerEntry = {
    seq: 7,
    at: '2026-03-01T08:00:00.123Z',
    actorAccountId: 3,
    actorPersonId: null,
    actorName: '张伟(010234)',
    action: 'org.person.update',
    subjectType: 'person',
    subjectId: '42',
    payload: { before: { unitId: 2 }, after: { unitId: 3 } },
    requestId: 'req-1',
    clientIp: '10.0.0.8',
  };

  it('is the canonical JSON of exactly the entry’s fields, in UTF-8', () => {
    const leaf = encodeLeaf(entry).toString('utf8');
    expect(leaf).toBe(
      '{"action":"org.person.update","actorAccountId":3,"actorName":"张伟(010234)","actorPersonId":null,"at":"2026-03-01T08:00:00.123Z","clientIp":"10.0.0.8","payload":{"after":{"unitId":3},"before":{"unitId":2}},"requestId":"req-1","seq":7,"subjectId":"42","subjectType":"person"}',
    );
    expect(encodeLeaf({ ...entry, extra: 'ignored' } as LedgerEntry).equals(encodeLeaf(entry))).toBe(true);
  });

  it('changes its hash when any field changes', () => {
    const base = leafHash(encodeLeaf(entry));
    for (const change of [{ seq: 8 }, { at: '2026-03-01T08:00:00.124Z' }, { actorPersonId: 0 }, { payload: { before: { unitId: 2 }, after: { unitId: 4 } } }, { clientIp: '10.0.0.9' }]) {
      expect(leafHash(encodeLeaf({ ...entry, ...change })).equals(base)).toBe(false);
    }
  });
});
