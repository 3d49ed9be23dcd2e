// The browser's encoder must give the very bytes the server hashes, or honest entries would show
// as tampered: compare it with the server's own encoder (src/modules/ledger/leaf.ts) on random JSON.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from '@contracts/ledger.ts';
import { canonicalJson as serverCanonicalJson, encodeLeaf as serverEncodeLeaf } from '../../../../../src/modules/ledger/leaf.ts';
import { canonicalJson } from './canonical-json.ts';
import { encodeLeaf } from './leaf.ts';

describe('browser and server encoders agree', () => {
  it('on random JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), (v) => {
        expect(canonicalJson(v)).toBe(serverCanonicalJson(v));
      }),
      { numRuns: 500 },
    );
  });

  it('on random ledger entries', () => {
    const entry: fc.Arbitrary<LedgerEntry> = fc.record({
      seq: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
      at: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      actorAccountId: fc.option(fc.nat(), { nil: null }),
      actorPersonId: fc.option(fc.nat(), { nil: null }),
      actorName: fc.string({ unit: 'grapheme' }),
      action: fc.string(),
      subjectType: fc.string(),
      subjectId: fc.string({ unit: 'grapheme' }),
      // as the API delivers it: a JSON.parse'd plain object
      payload: fc.dictionary(fc.string({ unit: 'grapheme' }), fc.jsonValue({ maxDepth: 3 })).map((d) => JSON.parse(JSON.stringify(d)) as unknown),
      requestId: fc.uuid(),
      clientIp: fc.ipV4(),
    });
    fc.assert(
      fc.property(entry, (e) => {
        expect(Buffer.from(encodeLeaf(e)).equals(serverEncodeLeaf(e))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
