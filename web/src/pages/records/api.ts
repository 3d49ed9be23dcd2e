import type { z } from 'zod';
import type { Page } from '@contracts/common.ts';
import type {
  Outcome,
  RecordDetail,
  RecordImportReport,
  RecordKind,
  RecordSummary,
  driverFull,
  replayResponse,
} from '@contracts/enforcement.ts';
import { api, type RequestOptions } from '../../api/client.ts';
import type { PageQuery } from '../../hooks/usePagedList.ts';

export type RecordFilters = {
  kind?: RecordKind;
  outcome?: Outcome;
  code?: string;
  plate?: string;
  officer?: string;
  device?: string;
  unitId?: number;
  from?: string;
  to?: string;
  freight?: 'true' | 'false';
};
export type DriverFull = z.infer<typeof driverFull>;
export type ReplayResult = z.infer<typeof replayResponse>;

const base = '/api/enforcement/records';

export const recordsApi = {
  list: (query: RecordFilters & PageQuery) => api.get<Page<RecordSummary>>(base, query),
  get: (id: number, opts?: RequestOptions) => api.get<RecordDetail>(`${base}/${id}`, undefined, opts),
  /** the driver unmasked; the server records the read in the ledger */
  driver: (id: number) => api.get<DriverFull>(`${base}/${id}/driver`),
  /** the record decided again under another rule-set version; nothing is stored */
  replay: (id: number, ruleSetVersion: number) =>
    api.post<ReplayResult>(`${base}/${id}/replay`, { ruleSetVersion }, { silent: true }),
  template: (format: 'xlsx' | 'csv') => api.download(`${base}/template`, { format }, `执法记录导入模板.${format}`),
  /** a file the server refuses whole comes back as an error the dialog shows */
  importFile: (file: File) => api.upload<RecordImportReport>(`${base}/import`, file, { silent: true }),
};
