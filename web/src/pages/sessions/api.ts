import type { z } from 'zod';
import type { Page } from '@contracts/common.ts';
import type { onlineSession } from '@contracts/auth.ts';
import { api } from '../../api/client.ts';
import type { PageQuery } from '../../hooks/usePagedList.ts';

export type OnlineSession = z.infer<typeof onlineSession>;
export type SessionFilters = { username?: string };

export const sessionsApi = {
  list: (query: SessionFilters & PageQuery) => api.get<Page<OnlineSession>>('/api/auth/sessions', query),
  /** 强制下线 */
  revoke: (id: string) => api.del<{ ok: true }>(`/api/auth/sessions/${encodeURIComponent(id)}`),
};
