import crypto from 'node:crypto';
import { sql, type Selectable } from 'kysely';
import type { z } from 'zod';
import type { apiTokenCreate } from '../../contracts/auth.ts';
import type { Page } from '../../contracts/common.ts';
import { isPermission, type Permission } from '../../contracts/permissions.ts';
import type { Principal } from '../../platform/authz/principal.ts';
import type { Db } from '../../platform/db/database.ts';
import { inTransaction } from '../../platform/db/tx.ts';
import { AppError, conflict, forbidden, notFound } from '../../platform/http/errors.ts';
import { record, type RequestContext } from '../ledger/ledger.service.ts';
import { accountLabels } from '../org/credentials.service.ts';
import type { AuthTables } from './auth.tables.ts';

// API tokens let the traffic-management system push records and look-up logs without a person's
// session. The secret is high-entropy, so a plain SHA-256 is the right stored form (a slow hash
// only protects guessable secrets).

const t = (db: Db) => db.withTables<AuthTables>();
const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
const TOKEN_PATTERN = /^cl_([0-9a-f]{8})_[A-Za-z0-9_-]{43}$/;

type TokenRow = Selectable<AuthTables['api_tokens']>;

function toToken(r: TokenRow, createdBy: string) {
  return {
    id: r.id,
    name: r.name,
    permissions: r.permissions,
    prefix: `cl_${r.prefix}_…`,
    createdBy,
    createdAt: r.created_at.toISOString(),
    expiresAt: r.expires_at.toISOString(),
    revokedAt: r.revoked_at?.toISOString() ?? null,
    lastUsedAt: r.last_used_at?.toISOString() ?? null,
    useCount: r.use_count,
  };
}
export type ApiToken = ReturnType<typeof toToken>;

export async function createToken(db: Db, ctx: RequestContext, input: z.output<typeof apiTokenCreate>) {
  // A person answers for every token (created_by); a token cannot mint further tokens.
  if (ctx.principal.accountId === null) throw forbidden('接口令牌只能由登录用户创建');
  // A token is never worth more than its creator: no permission they do not hold themselves.
  const beyond = input.permissions.filter((p) => !ctx.principal.permissions.has(p as Permission));
  if (beyond.length > 0) {
    throw new AppError(400, 'VALIDATION', `不能授予本人没有的权限: ${beyond.join(', ')}`, [{ path: 'permissions', message: '超出本人权限' }]);
  }
  // Integrations feed and read the whole brigade's data, so a token's reach is all units: only
  // someone who already reaches all units may create one, or the token would widen their scope.
  if (!ctx.principal.scope.all) {
    throw new AppError(400, 'VALIDATION', '接口令牌的数据范围为全部单位，只有数据权限为“全部”的账号可以创建', [{ path: 'permissions', message: '数据权限不足' }]);
  }
  const prefix = crypto.randomBytes(4).toString('hex');
  const secret = `cl_${prefix}_${crypto.randomBytes(32).toString('base64url')}`;
  const now = new Date();
  return inTransaction(db, async (trx) => {
    const row = await t(trx)
      .insertInto('api_tokens')
      .values({
        name: input.name,
        prefix,
        secret_hash: sha256(secret),
        permissions: [...new Set(input.permissions)].sort(),
        created_by: ctx.principal.accountId!,
        created_at: now,
        expires_at: new Date(now.getTime() + input.expiresInDays * 86_400_000),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const token = toToken(row, ctx.principal.name);
    await record(trx, ctx, { action: 'auth.token.create', subjectType: 'apiToken', subjectId: row.id, payload: { after: token } });
    return { token, secret };
  });
}

export async function listTokens(db: Db, page: number, pageSize: number): Promise<Page<ApiToken>> {
  const [rows, count] = await Promise.all([
    t(db).selectFrom('api_tokens').selectAll().orderBy('id', 'desc').limit(pageSize).offset((page - 1) * pageSize).execute(),
    t(db).selectFrom('api_tokens').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  const labels = await accountLabels(db, { ids: [...new Set(rows.map((r) => r.created_by))] });
  return { items: rows.map((r) => toToken(r, labels.get(r.created_by)?.personName ?? '')), total: count.n, page, pageSize };
}

export async function revokeToken(db: Db, ctx: RequestContext, id: number): Promise<ApiToken> {
  return inTransaction(db, async (trx) => {
    const row = await t(trx).selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('接口令牌');
    if (row.revoked_at) throw conflict('该令牌已吊销');
    const after = await t(trx).updateTable('api_tokens').set({ revoked_at: new Date() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    await record(trx, ctx, { action: 'auth.token.revoke', subjectType: 'apiToken', subjectId: id });
    const labels = await accountLabels(trx, { ids: [after.created_by] });
    return toToken(after, labels.get(after.created_by)?.personName ?? '');
  });
}

/**
 * The principal behind a bearer token, or null. Each use is counted and ledgered, so what an
 * integration pushed is as traceable as what a person did.
 */
export async function authenticateToken(db: Db, bearer: string, meta: { requestId: string; ip: string; route: string }, now: Date): Promise<Principal | null> {
  if (!TOKEN_PATTERN.test(bearer)) return null;
  const row = await t(db).selectFrom('api_tokens').selectAll().where('secret_hash', '=', sha256(bearer)).executeTakeFirst();
  if (!row || row.revoked_at || row.expires_at <= now) return null;
  const permissions = new Set<Permission>(row.permissions.filter(isPermission));
  const principal: Principal = {
    kind: 'token',
    accountId: null,
    personId: null,
    name: `接口令牌:${row.name}`,
    unitId: null,
    roles: [],
    permissions,
    // Integrations feed the whole brigade's data; their reach is limited by permissions instead.
    scope: { all: true, unitIds: [], selfPersonId: null },
    tokenId: row.id,
  };
  await inTransaction(db, async (trx) => {
    await t(trx).updateTable('api_tokens').set({ last_used_at: now, use_count: sql`use_count + 1` }).where('id', '=', row.id).execute();
    await record(trx, { principal, requestId: meta.requestId, clientIp: meta.ip }, { action: 'auth.token.use', subjectType: 'apiToken', subjectId: row.id, payload: { route: meta.route } });
  });
  return principal;
}
