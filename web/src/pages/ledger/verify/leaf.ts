// The leaf of a ledger entry as the server documents it (src/modules/ledger/README.md): the
// RFC 8785 canonical JSON of exactly the entry's eleven members, in UTF-8. Rebuilt here from the
// entry the page displays, so the browser need not take the server's leaf bytes on trust.

import type { LedgerEntry } from '@contracts/ledger.ts';
import { CanonicalJsonError, canonicalJson } from './canonical-json.ts';
import { utf8 } from './bytes.ts';

export const LEAF_FIELDS = [
  'seq',
  'at',
  'actorAccountId',
  'actorPersonId',
  'actorName',
  'action',
  'subjectType',
  'subjectId',
  'payload',
  'requestId',
  'clientIp',
] as const satisfies readonly (keyof LedgerEntry)[];

/** Exactly the members that make the leaf; a member the server added later does not change it. */
export function leafValue(entry: LedgerEntry): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of LEAF_FIELDS) {
    if (!(f in entry) || entry[f] === undefined) throw new CanonicalJsonError(`条目缺少字段 ${f}`);
    out[f] = entry[f];
  }
  return out;
}

export const leafText = (entry: LedgerEntry): string => canonicalJson(leafValue(entry));
export const encodeLeaf = (entry: LedgerEntry): Uint8Array => utf8(leafText(entry));

/** Leaf index (0-based, RFC 6962) of entry `seq` (1-based). */
export const leafIndexOf = (seq: number): number => seq - 1;
