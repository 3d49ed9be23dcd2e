import type { Page } from '@contracts/common.ts';
import type { LedgerEntry } from '@contracts/ledger.ts';
import { api } from '../../api/client.ts';
import type { PageQuery } from '../../hooks/usePagedList.ts';

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
  exportXlsx: (filters: LedgerFilters) => api.download('/api/ledger/entries/export', filters, '操作记录.xlsx'),
};
