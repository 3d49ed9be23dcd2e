import type { z } from 'zod';
import type {
  AlertDetail,
  AlertPage,
  AlertSeverity,
  AlertStatus,
  AlertSubjectType,
  AlertSummary,
  AlertVerdict,
  DetectorStat,
  alertAssignBody,
} from '@contracts/alerts.ts';
import { api } from '../../api/client.ts';
import type { PageQuery } from '../../hooks/usePagedList.ts';

/** The list filters as the API takes them: several statuses or severities comma-separated. */
export type AlertFilters = {
  q?: string;
  rule?: string;
  source?: string;
  /** `open,acknowledged` */
  status?: string;
  /** `high,critical` */
  severity?: string;
  subjectType?: AlertSubjectType;
  subjectId?: string;
  unitId?: number;
  assignee?: 'me' | 'none';
  from?: string;
  to?: string;
};
export type AlertAssign = z.input<typeof alertAssignBody>;

const base = '/api/alerts';

export const joinValues = (values: readonly (AlertStatus | AlertSeverity)[] | undefined) => (values && values.length > 0 ? values.join(',') : undefined);

export const alertsApi = {
  list: (query: AlertFilters & PageQuery) => api.get<AlertPage>(base, query),
  summary: () => api.get<AlertSummary>(`${base}/summary`),
  stats: () => api.get<{ items: DetectorStat[] }>(`${base}/stats`),
  /** failures are shown in the drawer itself */
  get: (id: number) => api.get<AlertDetail>(`${base}/${id}`, undefined, { silent: true }),
  assign: (id: number, body: AlertAssign) => api.post<AlertDetail>(`${base}/${id}/assign`, body),
  acknowledge: (id: number, comment?: string) => api.post<AlertDetail>(`${base}/${id}/acknowledge`, comment ? { comment } : undefined),
  dismiss: (id: number, reason: string) => api.post<AlertDetail>(`${base}/${id}/dismiss`, { reason }),
  resolve: (id: number, comment?: string) => api.post<AlertDetail>(`${base}/${id}/resolve`, comment ? { comment } : undefined),
  reopen: (id: number, comment?: string) => api.post<AlertDetail>(`${base}/${id}/reopen`, comment ? { comment } : undefined),
  verdict: (id: number, verdict: AlertVerdict, note?: string) => api.post<AlertDetail>(`${base}/${id}/verdict`, { verdict, ...(note ? { note } : {}) }),
};
