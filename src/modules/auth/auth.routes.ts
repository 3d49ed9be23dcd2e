
import {
  apiTokenCreate,
  apiTokenCreated,
  apiTokenListQuery,
  apiTokenPage,
  apiToken,
  changePasswordBody,
  loginBody,
  loginLogQuery,
  loginLogPage,
  sessionIdParam,
  sessionInfo,
  sessionListQuery,
  sessionPage,
  LOGIN_RESULTS,
} from '../../contracts/auth.ts';
import { idParam, okBody } from '../../contracts/common.ts';
import { needs, PUBLIC, SIGNED_IN } from '../../platform/authz/access.ts';
import type { App, AppDeps } from '../../platform/http/app.ts';
import { SESSION_COOKIE, sessionPolicy } from '../../platform/http/access-control.ts';
import { mapRows, sendTable } from '../../platform/http/export.ts';
import { principalForAccount } from '../org/credentials.service.ts';
import { changeOwnPassword, exportLoginLog, listLoginLog, login } from './login.service.ts';
import { endSession, listSessions } from './sessions.service.ts';
import { createToken, listTokens, revokeToken } from './tokens.service.ts';

const tags = ['认证与会话'];

export function registerAuthRoutes(app: App, deps: AppDeps) {
  const db = deps.database.db;
  const policy = sessionPolicy(deps);
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'strict' as const, secure: deps.config.COOKIE_SECURE };

  app.post(
    '/api/auth/login',
    {
      config: {
        access: PUBLIC,
        // Per client address, in front of the per-account lockout.
        rateLimit: { max: 20, timeWindow: 60_000 },
      },
      schema: { tags, summary: '登录', body: loginBody, response: { 200: sessionInfo } },
    },
    async (request, reply) => {
      const meta = { ip: request.ip, userAgent: request.headers['user-agent'] ?? '', requestId: request.id };
      const { session, accountId } = await login(db, request.body.username, request.body.password, meta, policy);
      const loaded = (await principalForAccount(db, accountId))!;
      reply.setCookie(SESSION_COOKIE, session.token, cookieOptions);
      return { account: loaded.me, csrfToken: session.csrfToken };
    },
  );

  app.post(
    '/api/auth/logout',
    { config: { access: { kind: 'session', allowWithExpiredPassword: true } }, schema: { tags, summary: '退出登录', response: { 200: okBody } } },
    async (request, reply) => {
      await endSession(db, request.ctx, request.session!.publicId, '用户退出');
      reply.clearCookie(SESSION_COOKIE, cookieOptions);
      return { ok: true as const };
    },
  );

  app.get(
    '/api/auth/me',
    { config: { access: { kind: 'session', allowWithExpiredPassword: true } }, schema: { tags, summary: '当前账号', response: { 200: sessionInfo } } },
    async (request) => ({ account: request.session!.me, csrfToken: request.session!.csrfToken }),
  );

  app.post(
    '/api/auth/password',
    {
      config: { access: { kind: 'session', allowWithExpiredPassword: true } },
      schema: { tags, summary: '修改本人密码', body: changePasswordBody, response: { 200: okBody } },
    },
    async (request) => {
      await changeOwnPassword(db, request.ctx, request.body.oldPassword, request.body.newPassword);
      return { ok: true as const };
    },
  );

  app.get(
    '/api/auth/login-log',
    { config: { access: needs('log:login:view', 'none') }, schema: { tags, summary: '登录日志', querystring: loginLogQuery, response: { 200: loginLogPage } } },
    async (request) => listLoginLog(db, request.query),
  );

  app.get(
    '/api/auth/login-log/export',
    { config: { access: needs('log:login:view', 'none') }, schema: { tags, summary: '导出登录日志', querystring: loginLogQuery } },
    async (request, reply) => {
      const { page: _p, pageSize: _s, ...filter } = request.query;
      return sendTable(reply, '登录日志', LOGIN_LOG_COLUMNS, mapRows(exportLoginLog(db, filter), (e) => ({ ...e, result: LOGIN_RESULTS[e.result] })));
    },
  );

  app.get(
    '/api/auth/sessions',
    { config: { access: needs('auth:session:view', 'none') }, schema: { tags, summary: '在线用户', querystring: sessionListQuery, response: { 200: sessionPage } } },
    async (request) => listSessions(db, request.query.page, request.query.pageSize, request.query.username, request.session?.publicId, policy, new Date()),
  );

  app.delete(
    '/api/auth/sessions/:id',
    { config: { access: needs('auth:session:revoke', 'none') }, schema: { tags, summary: '强制下线', params: sessionIdParam, response: { 200: okBody } } },
    async (request) => {
      await endSession(db, request.ctx, request.params.id, `被管理员强制下线（${request.principal!.name}）`);
      return { ok: true as const };
    },
  );

  app.get(
    '/api/auth/tokens',
    { config: { access: needs('auth:token:view', 'none') }, schema: { tags, summary: '接口令牌', querystring: apiTokenListQuery, response: { 200: apiTokenPage } } },
    async (request) => listTokens(db, request.query.page, request.query.pageSize),
  );

  app.post(
    '/api/auth/tokens',
    { config: { access: needs('auth:token:edit', 'none') }, schema: { tags, summary: '创建接口令牌（密钥只显示一次）', body: apiTokenCreate, response: { 200: apiTokenCreated } } },
    async (request) => createToken(db, request.ctx, request.body),
  );

  app.post(
    '/api/auth/tokens/:id/revoke',
    { config: { access: needs('auth:token:edit', 'none') }, schema: { tags, summary: '吊销接口令牌', params: idParam, response: { 200: apiToken } } },
    async (request) => revokeToken(db, request.ctx, request.params.id),
  );
}

const LOGIN_LOG_COLUMNS = [
  { key: 'at', header: '时间' },
  { key: 'username', header: '用户名' },
  { key: 'ip', header: 'IP地址' },
  { key: 'result', header: '结果' },
  { key: 'reason', header: '说明' },
  { key: 'userAgent', header: '浏览器' },
] as const;
