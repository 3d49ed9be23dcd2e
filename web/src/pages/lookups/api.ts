import type { z } from 'zod';
import type { Page } from '@contracts/common.ts';
import type {
  LookupDetail,
  LookupImportReport,
  LookupOverview,
  LookupProfile,
  LookupSummary,
  PurposeCategory,
  QueryType,
  RosterEntry,
  RosterImportReport,
  SubjectView,
  WatchCategory,
  WatchEntry,
  fullSubject,
  watchEntryCreate,
  watchEntryUpdate,
} from '@contracts/lookups.ts';
import type { LookupDetectionRunResult, LookupRuleParams, LookupRuleSet } from '@contracts/lookup-rules.ts';
import { api } from '../../api/client.ts';
import type { PageQuery } from '../../hooks/usePagedList.ts';

export type LookupFilters = {
  from?: string;
  to?: string;
  account?: string;
  personId?: number;
  unitId?: number;
  queryType?: QueryType;
  purposeCategory?: PurposeCategory;
  justified?: 'true' | 'false';
  unknown?: 'true' | 'false';
  certificateId?: string;
  terminalId?: string;
};
export type SubjectFilters = { plate?: string; idNumber?: string; name?: string; from?: string; to?: string };
export type WatchFilters = { category?: WatchCategory; active?: 'true' | 'false' };
export type FullSubject = z.infer<typeof fullSubject>;
export type WatchCreate = z.input<typeof watchEntryCreate>;
export type WatchUpdate = z.input<typeof watchEntryUpdate>;

const base = '/api/lookups';

export const lookupsApi = {
  list: (query: LookupFilters & PageQuery) => api.get<Page<LookupSummary>>(base, query),
  get: (id: number) => api.get<LookupDetail>(`${base}/${id}`, undefined, { silent: true }),
  /** the subject unmasked; the server records the read in the ledger */
  subject: (id: number) => api.get<FullSubject>(`${base}/${id}/subject`),
  overview: (query: { from?: string; to?: string; unitId?: number }) => api.get<LookupOverview>(`${base}/overview`, query),
  profile: (personId: number, query: { from?: string; to?: string }) => api.get<LookupProfile>(`${base}/profile/${personId}`, query),
  /** who looked this plate or person up (inspectors only) */
  bySubject: (query: SubjectFilters & PageQuery) => api.get<SubjectView>(`${base}/subject`, query),
  template: (format: 'xlsx' | 'csv') => api.download(`${base}/template`, { format }, `数据查询日志导入模板.${format}`),
  /** a file the server refuses whole comes back as an error the dialog shows */
  importFile: (file: File) => api.upload<LookupImportReport>(`${base}/import`, file, { silent: true }),

  watchList: (query: WatchFilters & PageQuery) => api.get<Page<WatchEntry>>(`${base}/watchlist`, query),
  watchAdd: (body: WatchCreate) => api.post<WatchEntry>(`${base}/watchlist`, body, { silent: true }),
  watchUpdate: (id: number, body: WatchUpdate) => api.patch<WatchEntry>(`${base}/watchlist/${id}`, body),
  /** a watched subject unmasked; the server records the read in the ledger */
  watchSubject: (id: number) => api.get<FullSubject>(`${base}/watchlist/${id}/subject`),

  roster: (query: { personId?: number; kind?: string; from?: string; to?: string } & PageQuery) => api.get<Page<RosterEntry>>(`${base}/roster`, query),
  rosterTemplate: (format: 'xlsx' | 'csv') => api.download(`${base}/roster/template`, { format }, `值班表导入模板.${format}`),
  rosterImport: (file: File) => api.upload<RosterImportReport>(`${base}/roster/import`, file, { silent: true }),

  rules: () => api.get<LookupRuleSet>(`${base}/rules`, undefined, { silent: true }),
  /** every save is a new version; alerts name the version that raised them */
  saveRules: (params: LookupRuleParams, note: string) => api.post<LookupRuleSet>(`${base}/rules`, { params, note }, { silent: true }),
  /** all rules over the stored look-ups, now */
  runDetection: (days?: number) => api.post<LookupDetectionRunResult>(`${base}/detection/run`, days ? { days } : {}),
};
