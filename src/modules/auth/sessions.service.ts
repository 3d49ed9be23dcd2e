import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Page } from '../../contracts/common.ts';
import type { Me } from '../../contracts/auth.ts';
import type { Principal } from '../../platform/authz/principal.ts';
import type { Db } from '../../platform/db/database.ts';
import { inTransaction, type Tx } from '../../platform/db/tx.ts';
import { notFound } from '../../platform/http/errors.ts';
import { cachedPrincipal, cachePrincipal, invalidatePrincipals, principalGeneration } from '../../platform/authz/principal-cache.ts';
import { record, type RequestContext } from '../ledger/ledger.service.ts';
import { accountLabels, principalForAccount } from '../org/credentials.service.ts';
import type { AuthTables } from './auth.tables.ts';

const t = (db: Db) => db.withTables<AuthTables>();

export interface SessionPolicy {
  idleMinutes: number;
  absoluteHours: number;
}

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
// Writing last_seen_at on every request would turn every read into a write; a minute's
// resolution is plenty for a 30-minute idle timeout.
const TOUCH_AFTER_MS = 60_000;

export async function createSession(trx: Tx, accountId: number, ip: string, userAgent: string, policy: SessionPolicy, now: Date) {
  const token = crypto.randomBytes(32).toString('base64url');
  const csrfToken = crypto.randomBytes(24).toString('base64url');
  const tokenHash = sha256(token);
  await t(trx)
    .insertInto('sessions')
    .values({
      token_hash: tokenHash,
      public_id: tokenHash.slice(0, 16),
      account_id: accountId,
      csrf_token: csrfToken,
      ip,
      user_agent: userAgent.slice(0, 300),
      created_at: now,
      last_seen_at: now,
      expires_at: new Date(now.getTime() + policy.absoluteHours * 3_600_000),
    })
    .execute();
  return { token, csrfToken, publicId: tokenHash.slice(0, 16) };
}

export interface AuthenticatedSession {
  principal: Principal;
  me: Me;
  csrfToken: string;
  publicId: string;
}

/** The session behind a cookie, or null when it is unknown, ended, idle too long or too old. */
export async function authenticateSession(db: Db, token: string, policy: SessionPolicy, now: Date): Promise<AuthenticatedSession | null> {
  const tokenHash = sha256(token);
  const cached = cachedPrincipal<CachedSession>(tokenHash, now.getTime());
  if (cached && !expiryReason(cached, policy, now)) {
    if (now.getTime() - cached.lastSeenAt.getTime() > TOUCH_AFTER_MS) {
      // Marked first, so the requests arriving meanwhile do not all write the same row.
      cached.lastSeenAt = now;
      await t(db).updateTable('sessions').set({ last_seen_at: now }).where('token_hash', '=', tokenHash).execute();
    }
    return cached.session;
  }
  // Single flight: when the cached entry lapses under load, one query reloads it for everyone.
  let pending = loading.get(tokenHash);
  if (!pending) {
    pending = loadSession(db, tokenHash, policy, now).finally(() => loading.delete(tokenHash));
    loading.set(tokenHash, pending);
  }
  return pending;
}

const loading = new Map<string, Promise<AuthenticatedSession | null>>();

async function loadSession(db: Db, tokenHash: string, policy: SessionPolicy, now: Date): Promise<AuthenticatedSession | null> {
  const generation = principalGeneration();
  const s = await t(db).selectFrom('sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  if (!s || s.ended_at) return null;
  const reason = expiryReason({ lastSeenAt: s.last_seen_at, expiresAt: s.expires_at }, policy, now);
  const loaded = reason ? undefined : await principalForAccount(db, s.account_id);
  if (reason || !loaded?.usable) {
    await t(db)
      .updateTable('sessions')
      .set({ ended_at: now, end_reason: reason ?? '账号停用或人员不在职' })
      .where('token_hash', '=', tokenHash)
      .where('ended_at', 'is', null)
      .execute();
    return null;
  }
  let lastSeenAt = s.last_seen_at;
  if (now.getTime() - s.last_seen_at.getTime() > TOUCH_AFTER_MS) {
    await t(db).updateTable('sessions').set({ last_seen_at: now }).where('token_hash', '=', tokenHash).execute();
    lastSeenAt = now;
  }
  const session = { principal: { ...loaded.principal, sessionId: s.public_id }, me: loaded.me, csrfToken: s.csrf_token, publicId: s.public_id };
  cachePrincipal(tokenHash, { session, lastSeenAt, expiresAt: s.expires_at } satisfies CachedSession, now.getTime(), generation);
  return session;
}

interface CachedSession {
  session: AuthenticatedSession;
  lastSeenAt: Date;
  expiresAt: Date;
}

function expiryReason(s: { lastSeenAt: Date; expiresAt: Date }, policy: SessionPolicy, now: Date): string | null {
  if (now > s.expiresAt) return '会话超过最长有效期';
  if (now.getTime() > s.lastSeenAt.getTime() + policy.idleMinutes * 60_000) return '会话空闲超时';
  return null;
}

export async function endSession(db: Db, ctx: RequestContext, publicId: string, reason: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    const ended = await t(trx)
      .updateTable('sessions')
      .set({ ended_at: new Date(), end_reason: reason })
      .where('public_id', '=', publicId)
      .where('ended_at', 'is', null)
      .returning(['account_id'])
      .executeTakeFirst();
    if (!ended) throw notFound('会话');
    invalidatePrincipals();
    await record(trx, ctx, { action: 'auth.session.end', subjectType: 'session', subjectId: publicId, payload: { accountId: ended.account_id, reason } });
  });
}

/** Ends every open session of these accounts, in the caller's transaction. */
export async function endSessionsOfAccounts(trx: Tx, ctx: RequestContext, accountIds: number[], reason: string): Promise<number> {
  if (accountIds.length === 0) return 0;
  invalidatePrincipals();
  const ended = await t(trx)
    .updateTable('sessions')
    .set({ ended_at: new Date(), end_reason: reason })
    .where('account_id', '=', sql<number>`ANY(${accountIds})`)
    .where('ended_at', 'is', null)
    .returning(['public_id'])
    .execute();
  if (ended.length > 0) {
    await record(trx, ctx, ...ended.map((e) => ({ action: 'auth.session.end', subjectType: 'session', subjectId: e.public_id, payload: { reason } })));
  }
  return ended.length;
}

export async function listSessions(db: Db, page: number, pageSize: number, username: string | undefined, currentPublicId: string | undefined, policy: SessionPolicy, now: Date): Promise<Page<{
  id: string; accountId: number; username: string; personName: string; ip: string; userAgent: string; createdAt: string; lastSeenAt: string; current: boolean;
}>> {
  const idleCutoff = new Date(now.getTime() - policy.idleMinutes * 60_000);
  let q = t(db)
    .selectFrom('sessions')
    .where('ended_at', 'is', null)
    .where('expires_at', '>', now)
    .where('last_seen_at', '>', idleCutoff);
  if (username) {
    const ids = await accountLabels(db, { usernameLike: username });
    q = q.where('account_id', '=', sql<number>`ANY(${[...ids.keys()]})`);
  }
  const [rows, count] = await Promise.all([
    q.selectAll().orderBy('last_seen_at', 'desc').limit(pageSize).offset((page - 1) * pageSize).execute(),
    q.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  const labels = await accountLabels(db, { ids: [...new Set(rows.map((r) => r.account_id))] });
  return {
    items: rows.map((r) => ({
      id: r.public_id,
      accountId: r.account_id,
      username: labels.get(r.account_id)?.username ?? '',
      personName: labels.get(r.account_id)?.personName ?? '',
      ip: r.ip,
      userAgent: r.user_agent,
      createdAt: r.created_at.toISOString(),
      lastSeenAt: r.last_seen_at.toISOString(),
      current: r.public_id === currentPublicId,
    })),
    total: count.n,
    page,
    pageSize,
  };
}
