// Test-only: the shared RFC 6962 vectors, read from the file so no value is copied into the code.
import { readFileSync } from 'node:fs';

export interface Rfc6962Vectors {
  leaves_hex: string[];
  empty_root_hex: string;
  leaf_hashes_hex: string[];
  roots_hex: Record<string, string>;
  inclusion: { size: number; index: number; index_base: number; leaf_hash: string; proof: string[] }[];
  hasher_vectors: { desc: string; hex: string }[];
  node_hashes_hex: Record<string, string[]>;
  signed_note_example: { vkey: string; note: string };
}

export const vectors = JSON.parse(
  readFileSync(new URL('../../../../../../shared/testdata/rfc6962.json', import.meta.url), 'utf8'),
) as Rfc6962Vectors;
