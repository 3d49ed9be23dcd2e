import type { z } from 'zod';
import type { Page } from '@contracts/common.ts';
import type { Explanation, ExplanationDetail, ExplanationStatus, explanationCreate } from '@contracts/lookups.ts';
import { api } from '../../api/client.ts';
import type { PageQuery } from '../../hooks/usePagedList.ts';

export type ExplanationFilters = { status?: ExplanationStatus; overdue?: 'true' | 'false'; personId?: number; alertId?: number };
export type ExplanationCreate = z.input<typeof explanationCreate>;

const base = '/api/explanations';

export const explanationsApi = {
  list: (query: ExplanationFilters & PageQuery) => api.get<Page<Explanation>>(base, query),
  mine: (query: { status?: ExplanationStatus } & PageQuery) => api.get<Page<Explanation>>(`${base}/mine`, query),
  /** failures are shown where the detail would be */
  get: (id: number) => api.get<ExplanationDetail>(`${base}/${id}`, undefined, { silent: true }),
  /** one of the signed-in person's own requests */
  getMine: (id: number) => api.get<ExplanationDetail>(`${base}/mine/${id}`, undefined, { silent: true }),
  create: (body: ExplanationCreate) => api.post<ExplanationDetail>(base, body, { silent: true }),
  answer: (id: number, answer: string) => api.post<ExplanationDetail>(`${base}/${id}/answer`, { answer }),
  accept: (id: number, note?: string) => api.post<ExplanationDetail>(`${base}/${id}/accept`, note ? { note } : {}),
  escalate: (id: number, note: string) => api.post<ExplanationDetail>(`${base}/${id}/escalate`, { note }),
};
