import type { z } from 'zod';
import type { Page } from '@contracts/common.ts';
import type { loginLogEntry } from '@contracts/auth.ts';
import { api } from '../../api/client.ts';
import type { PageQuery } from '../../hooks/usePagedList.ts';

export type LoginLogEntry = z.infer<typeof loginLogEntry>;
export type LoginLogFilters = { username?: string; result?: LoginLogEntry['result']; from?: string; to?: string };

export const loginLogApi = {
  list: (query: LoginLogFilters & PageQuery) => api.get<Page<LoginLogEntry>>('/api/auth/login-log', query),
  exportXlsx: (filters: LoginLogFilters) => api.download('/api/auth/login-log/export', filters, '登录日志.xlsx'),
};
