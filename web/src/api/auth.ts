import type { z } from 'zod';
import type { changePasswordBody, loginBody, sessionInfo } from '@contracts/auth.ts';
import { api } from './client.ts';

export type SessionInfo = z.infer<typeof sessionInfo>;
export type LoginBody = z.infer<typeof loginBody>;
export type ChangePasswordBody = z.infer<typeof changePasswordBody>;

export const authApi = {
  /** 401 (wrong password), 423 (locked), 429 (rate limited) are answers the login page shows itself */
  login: (body: LoginBody) => api.post<SessionInfo>('/api/auth/login', body, { silent: true, allow401: true }),
  me: () => api.get<SessionInfo>('/api/auth/me', undefined, { silent: true, allow401: true }),
  logout: () => api.post<{ ok: true }>('/api/auth/logout', undefined, { allow401: true, silent: true }),
  changePassword: (body: ChangePasswordBody) => api.post<{ ok: true }>('/api/auth/password', body),
};
