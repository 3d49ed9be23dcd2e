import { sql } from 'kysely';
import { invalidatePrincipals } from '../../platform/authz/principal-cache.ts';
import type { z } from 'zod';
import type { loginLogQuery } from '../../contracts/auth.ts';
import type { Page } from '../../contracts/common.ts';
import { SYSTEM_PRINCIPAL } from '../../platform/authz/principal.ts';
import type { Db } from '../../platform/db/database.ts';
import { inTransaction } from '../../platform/db/tx.ts';
import { contains, countAll, totalCount, totalOf } from '../../platform/db/paging.ts';
import { AppError, badRequest } from '../../platform/http/errors.ts';
import { decoyHash, hashPassword, verifyPassword } from '../../platform/password.ts';
import { record, type RequestContext } from '../ledger/ledger.service.ts';
import {
  findLoginAccount,
  noteLoginFailure,
  noteLoginSuccess,
  passwordHashOf,
  setOwnPassword,
} from '../org/credentials.service.ts';
import type { AuthTables } from './auth.tables.ts';
import { createSession, type SessionPolicy } from './sessions.service.ts';

const t = (db: Db) => db.withTables<AuthTables>();

export interface ClientMeta {
  ip: string;
  userAgent: string;
  requestId: string;
}

const WRONG = '用户名或密码错误';
const hhmm = (d: Date) => d.toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Asia/Shanghai' });

/**
 * Checks the credentials and opens a session. Every attempt, good or bad, lands in the login log
 * and the ledger in one transaction before the answer goes out.
 */
export async function login(db: Db, username: string, password: string, meta: ClientMeta, policy: SessionPolicy, now = new Date()) {
  const account = await findLoginAccount(db, username);
  const passwordOk = await verifyPassword(account?.passwordHash ?? (await decoyHash()), password);

  const outcome = await inTransaction(db, async (trx) => {
    let failure: { status: number; code: string; message: string; reason: string } | null = null;
    let lockedUntil: Date | null = null;
    if (!account) {
      failure = { status: 401, code: 'UNAUTHENTICATED', message: WRONG, reason: '用户名不存在' };
    } else if (account.lockedUntil && account.lockedUntil > now) {
      failure = { status: 423, code: 'LOCKED', message: `账号已锁定，请于 ${hhmm(account.lockedUntil)} 后再试，或联系管理员解锁`, reason: '账号已锁定' };
    } else if (!passwordOk) {
      lockedUntil = await noteLoginFailure(trx, account.id, now);
      failure = lockedUntil
        ? { status: 423, code: 'LOCKED', message: `连续登录失败次数过多，账号已锁定至 ${hhmm(lockedUntil)}`, reason: '密码错误，账号被锁定' }
        : { status: 401, code: 'UNAUTHENTICATED', message: WRONG, reason: '密码错误' };
    } else if (!account.active || account.personStatus !== 'active') {
      failure = { status: 403, code: 'ACCOUNT_DISABLED', message: '账号已停用，请联系管理员', reason: '账号停用或人员不在职' };
    }
    const actor = { ...SYSTEM_PRINCIPAL, accountId: account?.id ?? null, name: account ? account.username : `未知用户(${username.slice(0, 64)})` };
    const ctx: RequestContext = { principal: actor, requestId: meta.requestId, clientIp: meta.ip };
    await t(trx)
      .insertInto('login_log')
      .values({
        at: now,
        username: username.slice(0, 64),
        account_id: account?.id ?? null,
        ip: meta.ip,
        user_agent: meta.userAgent.slice(0, 300),
        result: failure ? 'failure' : 'success',
        reason: failure ? failure.reason : '登录成功',
      })
      .execute();
    await record(trx, ctx, {
      action: failure ? 'auth.login.failure' : 'auth.login.success',
      subjectType: 'account',
      subjectId: account?.id ?? username.slice(0, 64),
      payload: { reason: failure?.reason ?? '登录成功', userAgent: meta.userAgent.slice(0, 300), ...(lockedUntil ? { lockedUntil: lockedUntil.toISOString() } : {}) },
    });
    if (failure || !account) return { failure };
    await noteLoginSuccess(trx, account.id, now);
    const session = await createSession(trx, account.id, meta.ip, meta.userAgent, policy, now);
    return { failure: null, session, accountId: account.id };
  });
  if (outcome.failure) throw new AppError(outcome.failure.status, outcome.failure.code, outcome.failure.message);
  return outcome as { session: Awaited<ReturnType<typeof createSession>>; accountId: number };
}

export async function changeOwnPassword(db: Db, ctx: RequestContext, oldPassword: string, newPassword: string): Promise<void> {
  const accountId = ctx.principal.accountId;
  if (accountId === null) throw new AppError(403, 'FORBIDDEN', '只有登录用户可以修改密码');
  if (!(await verifyPassword(await passwordHashOf(db, accountId), oldPassword))) {
    throw badRequest('原密码不正确', [{ path: 'oldPassword', message: '原密码不正确' }]);
  }
  if (oldPassword === newPassword) throw badRequest('新密码不能与原密码相同', [{ path: 'newPassword', message: '新密码不能与原密码相同' }]);
  const hash = await hashPassword(newPassword);
  await inTransaction(db, async (trx) => {
    await setOwnPassword(trx, accountId, hash);
    // Other devices signed in with the old password are signed out; this one stays.
    const others = await t(trx)
      .updateTable('sessions')
      .set({ ended_at: new Date(), end_reason: '密码已修改' })
      .where('account_id', '=', accountId)
      .where('ended_at', 'is', null)
      .where('public_id', '!=', ctx.principal.sessionId ?? '')
      .returning('public_id')
      .execute();
    await record(trx, ctx, { action: 'auth.password.change', subjectType: 'account', subjectId: accountId, payload: { endedSessions: others.length } });
    invalidatePrincipals();
  });
}

export type LoginLogFilter = Omit<z.output<typeof loginLogQuery>, 'page' | 'pageSize'>;

function filteredLog(db: Db, f: LoginLogFilter) {
  let q = t(db).selectFrom('login_log');
  if (f.username) q = q.where('username', 'ilike', contains(f.username));
  if (f.result) q = q.where('result', '=', f.result);
  if (f.from) q = q.where('at', '>=', new Date(f.from));
  if (f.to) q = q.where('at', '<', new Date(f.to));
  return q;
}

type LogRow = { id: number; at: Date; username: string; account_id: number | null; ip: string; user_agent: string; result: 'success' | 'failure'; reason: string };
const toLogEntry = (r: LogRow) => ({
  id: r.id,
  at: r.at.toISOString(),
  username: r.username,
  accountId: r.account_id,
  ip: r.ip,
  userAgent: r.user_agent,
  result: r.result,
  reason: r.reason,
});
export type LoginLogEntry = ReturnType<typeof toLogEntry>;

export async function listLoginLog(db: Db, query: z.output<typeof loginLogQuery>): Promise<Page<LoginLogEntry>> {
  const { page, pageSize, ...f } = query;
  const q = filteredLog(db, f);
  const rows = await q.selectAll().select(totalCount).orderBy('id', 'desc').limit(pageSize).offset((page - 1) * pageSize).execute();
  const total = await totalOf(rows, page, async () => (await q.select(countAll).executeTakeFirstOrThrow()).n);
  return { items: rows.map(toLogEntry), total, page, pageSize };
}

export async function* exportLoginLog(db: Db, f: LoginLogFilter): AsyncGenerator<LoginLogEntry> {
  const q = filteredLog(db, f);
  let before: number | undefined;
  for (;;) {
    const page = before === undefined ? q : q.where('id', '<', before);
    const rows = await page.selectAll().orderBy('id', 'desc').limit(1000).execute();
    for (const r of rows) yield toLogEntry(r);
    if (rows.length < 1000) return;
    before = rows.at(-1)!.id;
  }
}
