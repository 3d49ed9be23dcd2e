import type { Page } from '@contracts/common.ts';
import type {
  InclusionProof,
  LedgerCheckpoint,
  LedgerEntry,
  LedgerEntryWithLeaf,
  LedgerVerifyResult,
} from '@contracts/ledger.ts';
import { api, type RequestOptions } from '../../api/client.ts';
import type { PageQuery } from '../../hooks/usePagedList.ts';
import type { PublicKeyInfo } from './verify/entry.ts';

export type LedgerFilters = {
  actor?: string;
  action?: string;
  subjectType?: string;
  subjectId?: string;
  from?: string;
  to?: string;
};

export const ledgerApi = {
  list: (query: LedgerFilters & PageQuery) => api.get<Page<LedgerEntry>>('/api/ledger/entries', query),
  exportXlsx: (filters: LedgerFilters) => api.download('/api/ledger/entries/export', filters, '审计账本.xlsx'),
  // `silent` where the page shows the failure in place (the entry drawer, the note check)
  entry: (seq: number, opts?: RequestOptions) => api.get<LedgerEntryWithLeaf>(`/api/ledger/entries/${seq}`, undefined, opts),
  /** Audit path of `seq` against the latest checkpoint (whose note comes with it). */
  inclusion: (seq: number, opts?: RequestOptions) => api.get<InclusionProof>('/api/ledger/proof/inclusion', { seq }, opts),
  checkpoints: (query: PageQuery) => api.get<Page<LedgerCheckpoint>>('/api/ledger/checkpoints', query),
  latestCheckpoint: async (opts?: RequestOptions): Promise<LedgerCheckpoint | null> =>
    (await api.get<Page<LedgerCheckpoint>>('/api/ledger/checkpoints', { page: 1, pageSize: 1 }, opts)).items[0] ?? null,
  createCheckpoint: () => api.post<{ checkpoint: LedgerCheckpoint; created: boolean }>('/api/ledger/checkpoints'),
  verify: (body: { checkpoint?: string; key?: string }) => api.post<LedgerVerifyResult>('/api/ledger/verify', body),
  publicKey: (opts?: RequestOptions) => api.get<PublicKeyInfo>('/api/ledger/public-key', undefined, opts),
};

/** A note kept by someone else must be exactly these bytes: save it verbatim as a text file. */
export function downloadNote(cp: LedgerCheckpoint): void {
  const origin = cp.note.slice(0, cp.note.indexOf('\n')).replace(/[^A-Za-z0-9._-]+/g, '_');
  const blob = new Blob([cp.note], { type: 'text/plain;charset=utf-8' });
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = `checkpoint-${origin}-${cp.size}.txt`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}
