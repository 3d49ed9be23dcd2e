import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from '@contracts/ledger.ts';
import { toHex } from './bytes.ts';
import { CanonicalJsonError, canonicalJson, canonicalJsonBytes, compareUtf16 } from './canonical-json.ts';
import { encodeLeaf, leafText } from './leaf.ts';

describe('RFC 8785 canonical JSON', () => {
  it('RFC 8785 §3.2.2 example: literals, numbers and strings', () => {
    const input = JSON.parse(
      '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],' +
        '"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}',
    ) as unknown;
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('RFC 8785 §3.2.3 example: members sorted by UTF-16 code units', () => {
    const input = JSON.parse(
      '{"\\u20ac":"Euro Sign","\\r":"Carriage Return","\\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One",' +
        '"\\ud83d\\ude00":"Emoji: Grinning Face","\\u0080":"Control","\\u00f6":"Latin Small Letter O With Diaeresis"}',
    ) as Record<string, string>;
    // (read the values in text order: JSON.parse would move the integer-like key "1" first again)
    const values = [...canonicalJson(input).matchAll(/:"([^"]*)"/g)].map((m) => m[1]);
    expect(values).toEqual([
      'Carriage Return',
      'One',
      'Control',
      'Latin Small Letter O With Diaeresis',
      'Euro Sign',
      'Emoji: Grinning Face',
      'Hebrew Letter Dalet With Dagesh',
    ]);
    // U+1F600 (as surrogates D83D DE00) sorts before U+FB33 by code units, though after it by code points.
    expect(compareUtf16('\u{1F600}', '\uFB33')).toBeLessThan(0);
  });

  it('RFC 8785 appendix B numbers: ECMAScript shortest round trip', () => {
    const cases: [number, string][] = [
      [0, '0'],
      [-0, '0'],
      [5e-324, '5e-324'],
      [1.7976931348623157e308, '1.7976931348623157e+308'],
      [9007199254740992, '9007199254740992'],
      [-9007199254740992, '-9007199254740992'],
      [295147905179352830000, '295147905179352830000'],
      [1e21, '1e+21'],
      [1e-7, '1e-7'],
      [0.000001, '0.000001'],
      [1.0, '1'],
      [0.1, '0.1'],
      [-1.5, '-1.5'],
      [Number.MAX_SAFE_INTEGER, '9007199254740991'],
    ];
    for (const [n, text] of cases) expect(canonicalJson(n), String(n)).toBe(text);
  });

  it('escapes exactly as JSON.stringify: short escapes, lower-case \\u00xx, everything else literal', () => {
    expect(canonicalJson('\b\t\n\f\r"\\/\u0000\u001f\u007f\u2028é😀')).toBe('"\\b\\t\\n\\f\\r\\"\\\\/\\u0000\\u001f\u007f\u2028é😀"');
    expect(toHex(canonicalJsonBytes('é'))).toBe('22c3a922');
  });

  it('no whitespace, nested sorting, empty containers', () => {
    expect(canonicalJson({ b: [3, { z: 1, a: [] }], a: {}, c: null })).toBe('{"a":{},"b":[3,{"a":[],"z":1}],"c":null}');
  });

  it('refuses values with no JSON form', () => {
    for (const bad of [NaN, Infinity, -Infinity, undefined, () => 1, new Date(0), 1n, Symbol('x'), '\ud800', 'a\udc00b']) {
      expect(() => canonicalJson(bad), String(typeof bad)).toThrow(CanonicalJsonError);
    }
    expect(() => canonicalJson({ a: undefined })).toThrow(CanonicalJsonError);
  });

  it('property: parses back to the same value, and ignores member order', () => {
    const json = fc.jsonValue({ maxDepth: 4 });
    fc.assert(
      fc.property(json, (v) => {
        const text = canonicalJson(v);
        // -0 becomes 0, which JSON.parse cannot tell apart anyway
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(v)));
        const reversed = JSON.parse(JSON.stringify(v), (_k, x: unknown) =>
          x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).reverse()) : x,
        ) as unknown;
        expect(canonicalJson(reversed)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });
});

describe('ledger leaf', () => {
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

  it('rebuilds the example leaf of the ledger README (seq 7) byte for byte', () => {
    expect(leafText(entry)).toBe(
      '{"action":"org.person.update","actorAccountId":3,"actorName":"张伟(010234)","actorPersonId":null,"at":"2026-03-01T08:00:00.123Z","clientIp":"10.0.0.8","payload":{"after":{"unitId":3},"before":{"unitId":2}},"requestId":"req-1","seq":7,"subjectId":"42","subjectType":"person"}',
    );
    expect(new TextDecoder().decode(encodeLeaf(entry))).toBe(leafText(entry));
  });

  it('takes exactly the eleven documented members: an extra member is ignored, a missing one refused', () => {
    expect(leafText({ ...entry, extra: 1 } as LedgerEntry)).toBe(leafText(entry));
    const { clientIp: _drop, ...missing } = entry;
    expect(() => leafText(missing as LedgerEntry)).toThrow(CanonicalJsonError);
  });
});
