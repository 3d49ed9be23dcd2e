import crypto from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Me } from '../../contracts/auth.ts';
import { authenticateSession } from '../../modules/auth/sessions.service.ts';
import { authenticateToken } from '../../modules/auth/tokens.service.ts';
import { recordAlone } from '../../modules/ledger/ledger.service.ts';
import { SYSTEM_PRINCIPAL } from '../authz/principal.ts';
import type { App, AppDeps } from './app.ts';
import { AppError, forbidden, unauthenticated } from './errors.ts';

export const SESSION_COOKIE = 'clearlane_sid';

export interface SessionState {
  me: Me;
  csrfToken: string;
  publicId: string;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

export function sessionPolicy(deps: AppDeps) {
  return { idleMinutes: deps.config.SESSION_IDLE_MINUTES, absoluteHours: deps.config.SESSION_ABSOLUTE_HOURS };
}

/**
 * Deny by default: every request is matched against its route's declared access before any
 * handler runs. Denials of signed-in principals are ledgered, so probing is visible to auditors.
 */
export function installAccessControl(app: App, deps: AppDeps) {
  const db = deps.database.db;
  const policy = sessionPolicy(deps);

  async function deny(request: FastifyRequest, error: AppError, permission?: string): Promise<never> {
    await recordAlone(db, request.ctx, {
      action: 'auth.denied',
      subjectType: 'route',
      subjectId: `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`,
      payload: { code: error.code, ...(permission ? { permission } : {}) },
    });
    throw error;
  }

  app.addHook('onRequest', async (request: FastifyRequest, _reply: FastifyReply) => {
    request.ctx = { principal: SYSTEM_PRINCIPAL, requestId: request.id, clientIp: request.ip };
    const access = request.routeOptions.config?.access;
    if (request.is404) return; // the not-found handler answers
    if (!access) throw forbidden('接口未声明访问权限'); // start-up refuses this; a second line
    if (access.kind === 'public') return;

    const now = new Date();
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const bearer = /^Bearer (\S+)$/.exec(authorization)?.[1];
      const principal = bearer
        ? await authenticateToken(db, bearer, { requestId: request.id, ip: request.ip, route: `${request.method} ${request.routeOptions.url}` }, now)
        : null;
      if (!principal) throw unauthenticated('接口令牌无效、已过期或已吊销');
      request.principal = principal;
      request.ctx = { ...request.ctx, principal };
    } else {
      const token = request.cookies[SESSION_COOKIE];
      const session = token ? await authenticateSession(db, token, policy, now) : null;
      if (!session) throw unauthenticated(token ? '登录已过期，请重新登录' : '请先登录');
      request.principal = session.principal;
      request.session = { me: session.me, csrfToken: session.csrfToken, publicId: session.publicId };
      request.ctx = { ...request.ctx, principal: session.principal };
      if (!SAFE_METHODS.has(request.method)) {
        const sent = request.headers['x-csrf-token'];
        if (typeof sent !== 'string' || !sameSecret(sent, session.csrfToken)) {
          await deny(request, new AppError(403, 'CSRF', '请求校验失败，请刷新页面后重试'));
        }
      }
      const passwordOnly = access.kind === 'session' && access.allowWithExpiredPassword;
      if (session.me.mustChangePassword && !passwordOnly) {
        throw new AppError(403, 'PASSWORD_CHANGE_REQUIRED', '请先修改初始密码');
      }
    }

    const principal = request.principal!;
    if (access.kind === 'session') {
      if (principal.kind !== 'session') await deny(request, forbidden('接口令牌不能访问个人账号接口'));
      return;
    }
    if (!principal.permissions.has(access.permission)) await deny(request, forbidden(), access.permission);
  });
}
