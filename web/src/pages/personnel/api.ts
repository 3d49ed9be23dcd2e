import type { z } from 'zod';
import type { Page } from '@contracts/common.ts';
import type {
  ImportReport,
  Person,
  PersonCategory,
  PersonStatus,
  personCreate,
  personPii,
  personStatusChange,
  personUpdate,
} from '@contracts/org.ts';
import { api } from '../../api/client.ts';
import type { PageQuery } from '../../hooks/usePagedList.ts';

export type PersonFilters = { q?: string; unitId?: number; category?: PersonCategory; status?: PersonStatus };
export type PersonCreate = z.input<typeof personCreate>;
export type PersonUpdate = z.input<typeof personUpdate>;
export type PersonStatusChange = z.input<typeof personStatusChange>;
export type PersonPii = z.infer<typeof personPii>;

const base = '/api/org/personnel';

export const personnelApi = {
  list: (query: PersonFilters & PageQuery) => api.get<Page<Person>>(base, query),
  create: (body: PersonCreate) => api.post<Person>(base, body),
  update: (id: number, body: PersonUpdate) => api.patch<Person>(`${base}/${id}`, body),
  changeStatus: (id: number, body: PersonStatusChange) => api.post<Person>(`${base}/${id}/status`, body),
  /** unmasked personal data; the server records the read in the ledger */
  pii: (id: number) => api.get<PersonPii>(`${base}/${id}/pii`),
  exportXlsx: (filters: PersonFilters) => api.download(`${base}/export`, filters, '人员.xlsx'),
  template: (format: 'xlsx' | 'csv') => api.download(`${base}/import-template`, { format }, `人员导入模板.${format}`),
  /** a file the server refuses whole (bad header, wrong type) comes back as an error the dialog shows */
  importFile: (file: File) => api.upload<ImportReport>(`${base}/import`, file, { silent: true }),
};
