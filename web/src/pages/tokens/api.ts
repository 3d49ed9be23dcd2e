import type { z } from 'zod';
import type { Page } from '@contracts/common.ts';
import type { apiToken, apiTokenCreate, apiTokenCreated } from '@contracts/auth.ts';
import { api } from '../../api/client.ts';
import type { PageQuery } from '../../hooks/usePagedList.ts';
import type { TOKEN_STATES } from '../../locales/zh-CN.ts';

export type ApiToken = z.infer<typeof apiToken>;
export type ApiTokenCreate = z.input<typeof apiTokenCreate>;
export type ApiTokenCreated = z.infer<typeof apiTokenCreated>;

export const tokensApi = {
  list: (query: PageQuery) => api.get<Page<ApiToken>>('/api/auth/tokens', query),
  create: (body: ApiTokenCreate) => api.post<ApiTokenCreated>('/api/auth/tokens', body),
  revoke: (id: number) => api.post<ApiToken>(`/api/auth/tokens/${id}/revoke`),
};

export function tokenState(token: ApiToken, now = Date.now()): keyof typeof TOKEN_STATES {
  if (token.revokedAt) return 'revoked';
  return new Date(token.expiresAt).getTime() <= now ? 'expired' : 'valid';
}
