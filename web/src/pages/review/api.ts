import type { z } from 'zod';
import type { Page } from '@contracts/common.ts';
import type { ReviewDecision, ReviewItem, reviewResponse } from '@contracts/enforcement.ts';
import { api } from '../../api/client.ts';
import type { PageQuery } from '../../hooks/usePagedList.ts';

export type ReviewFilters = { code?: string; plate?: string; device?: string; rule?: string; overdue?: 'true' };
export type ReviewResult = z.infer<typeof reviewResponse>;

export const reviewApi = {
  list: (query: ReviewFilters & PageQuery) => api.get<Page<ReviewItem>>('/api/enforcement/review-queue', query),
  /** the dialog shows a refusal itself */
  decide: (ids: number[], decision: ReviewDecision, note: string) =>
    api.post<ReviewResult>('/api/enforcement/review', { ids, decision, note }, { silent: true }),
};
