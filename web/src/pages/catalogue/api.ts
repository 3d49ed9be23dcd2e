import type { Page } from '@contracts/common.ts';
import type {
  CatalogueCategory,
  CatalogueCodeDetail,
  CatalogueDiff,
  CatalogueImportReport,
  CataloguePage,
  CatalogueVersion,
} from '@contracts/catalogue.ts';
import { api } from '../../api/client.ts';
import type { PageQuery } from '../../hooks/usePagedList.ts';

export type CatalogueFilters = {
  version?: number;
  q?: string;
  category?: CatalogueCategory;
  warningEligible?: 'true' | 'false';
  /** YYYY-MM-DD */
  effectiveOn?: string;
};

export interface ImportOptions {
  dryRun: boolean;
  label?: string;
  note?: string;
}

const base = '/api/catalogue';

export const catalogueApi = {
  list: (query: CatalogueFilters & PageQuery) => api.get<CataloguePage>(`${base}/codes`, query),
  code: (code: string, version?: number) => api.get<CatalogueCodeDetail>(`${base}/codes/${encodeURIComponent(code)}`, { version }),
  /** newest first: the first item is the current version */
  versions: () => api.get<Page<CatalogueVersion>>(`${base}/versions`, { pageSize: 500 }),
  diff: (from: number, to: number) => api.get<CatalogueDiff>(`${base}/diff`, { from, to }),
  exportFile: (version: number | undefined, format: 'xlsx' | 'csv' = 'xlsx') => api.download(`${base}/export`, { version, format }, `违法代码.${format}`),
  template: (format: 'xlsx' | 'csv') => api.download(`${base}/template`, { format }, `违法代码导入模板.${format}`),
  /** a file the server refuses whole (bad header, no rows) comes back as an error the dialog shows */
  importFile: (file: File, opts: ImportOptions) => {
    const query = new URLSearchParams({ dryRun: String(opts.dryRun) });
    if (opts.label) query.set('label', opts.label);
    if (opts.note) query.set('note', opts.note);
    return api.upload<CatalogueImportReport>(`${base}/import?${query.toString()}`, file, { silent: true });
  },
};
