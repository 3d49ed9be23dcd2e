import type { z } from 'zod';
import type { Page } from '@contracts/common.ts';
import type { Account, accountCreate, accountUpdate } from '@contracts/org.ts';
import { api } from '../../api/client.ts';
import type { PageQuery } from '../../hooks/usePagedList.ts';

export type AccountFilters = { q?: string; role?: string; active?: 'true' | 'false' };
export type AccountCreate = z.input<typeof accountCreate>;
export type AccountUpdate = z.input<typeof accountUpdate>;

const base = '/api/org/accounts';

export const accountsApi = {
  list: (query: AccountFilters & PageQuery) => api.get<Page<Account>>(base, query),
  create: (body: AccountCreate) => api.post<Account>(base, body),
  update: (id: number, body: AccountUpdate) => api.patch<Account>(`${base}/${id}`, body),
  resetPassword: (id: number, password: string) => api.post<{ ok: true }>(`${base}/${id}/password`, { password }),
  unlock: (id: number) => api.post<Account>(`${base}/${id}/unlock`),
  exportXlsx: (filters: AccountFilters) => api.download(`${base}/export`, filters, '账号.xlsx'),
};

export function isLocked(a: Pick<Account, 'lockedUntil'>, now = Date.now()): boolean {
  return a.lockedUntil !== null && new Date(a.lockedUntil).getTime() > now;
}
