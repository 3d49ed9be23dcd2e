import type { z } from 'zod';
import type { Page } from '@contracts/common.ts';
import type { Role, roleCreate, roleUpdate } from '@contracts/org.ts';
import { api } from '../../api/client.ts';
import type { PageQuery } from '../../hooks/usePagedList.ts';

export type RoleCreate = z.input<typeof roleCreate>;
export type RoleUpdate = z.input<typeof roleUpdate>;

export const rolesApi = {
  list: (query: PageQuery) => api.get<Page<Role>>('/api/org/roles', query),
  create: (body: RoleCreate) => api.post<Role>('/api/org/roles', body),
  update: (code: string, body: RoleUpdate) => api.patch<Role>(`/api/org/roles/${encodeURIComponent(code)}`, body),
};
