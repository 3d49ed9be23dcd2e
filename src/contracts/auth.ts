import { z } from 'zod';
import { isoDateTime, optionalText, pageOf, pageQuery } from './common.ts';
import { password, permissionCode } from './org.ts';

export const loginBody = z.strictObject({
  username: z.string({ message: '请输入用户名' }).trim().min(1, '请输入用户名').max(64),
  password: z.string({ message: '请输入密码' }).min(1, '请输入密码').max(128),
});

export const me = z.object({
  accountId: z.number().int(),
  username: z.string(),
  personId: z.number().int(),
  personName: z.string(),
  badgeNo: z.string(),
  unitId: z.number().int(),
  unitName: z.string(),
  roles: z.array(z.string()),
  permissions: z.array(z.string()),
  mustChangePassword: z.boolean(),
});
export type Me = z.infer<typeof me>;
export const sessionInfo = z.object({ account: me, csrfToken: z.string() });

export const changePasswordBody = z.strictObject({
  oldPassword: z.string({ message: '请输入原密码' }).min(1, '请输入原密码').max(128),
  newPassword: password,
});

export const LOGIN_RESULTS = { success: '成功', failure: '失败' } as const;
export const loginLogEntry = z.object({
  id: z.number().int(),
  at: z.string(),
  username: z.string(),
  accountId: z.number().int().nullable(),
  ip: z.string(),
  userAgent: z.string(),
  result: z.enum(['success', 'failure']),
  reason: z.string(),
});
export const loginLogQuery = z.strictObject({
  ...pageQuery,
  username: optionalText,
  result: z.enum(['success', 'failure']).optional(),
  from: isoDateTime.optional(),
  to: isoDateTime.optional(),
});
export const loginLogPage = pageOf(loginLogEntry);

export const onlineSession = z.object({
  id: z.string(),
  accountId: z.number().int(),
  username: z.string(),
  personName: z.string(),
  ip: z.string(),
  userAgent: z.string(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  current: z.boolean(),
});
export const sessionListQuery = z.strictObject({ ...pageQuery, username: optionalText });
export const sessionPage = pageOf(onlineSession);
export const sessionIdParam = z.strictObject({ id: z.string().regex(/^[0-9a-f]{16}$/, '会话编号无效') });

export const apiToken = z.object({
  id: z.number().int(),
  name: z.string(),
  permissions: z.array(z.string()),
  prefix: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  useCount: z.number().int(),
});
export const apiTokenCreate = z.strictObject({
  name: z.string().trim().min(1, '请填写对接系统名称').max(60),
  permissions: z.array(permissionCode).min(1, '至少选择一项权限').max(50),
  expiresInDays: z.number().int().min(1, '有效期至少1天').max(730, '有效期不能超过730天'),
});
export const apiTokenCreated = z.object({ token: apiToken, secret: z.string() });
export const apiTokenListQuery = z.strictObject({ ...pageQuery });
export const apiTokenPage = pageOf(apiToken);
