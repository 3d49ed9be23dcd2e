import { idParam, okBody } from '../../contracts/common.ts';
import { account, accountCreate, accountListQuery, accountPage, accountResetPassword, accountUpdate } from '../../contracts/org.ts';
import { needs } from '../../platform/authz/access.ts';
import type { App, AppDeps } from '../../platform/http/app.ts';
import { mapRows, sendTable } from '../../platform/http/export.ts';
import { createAccount, exportAccounts, getAccount, listAccounts, resetPassword, unlockAccount, updateAccount } from './accounts.service.ts';

const tags = ['账号管理'];

const EXPORT_COLUMNS = [
  { key: 'username', header: '用户名' },
  { key: 'personName', header: '姓名' },
  { key: 'badgeNo', header: '警号' },
  { key: 'unitName', header: '所属单位' },
  { key: 'roles', header: '角色' },
  { key: 'active', header: '状态' },
  { key: 'lastLoginAt', header: '最近登录' },
] as const;

export function registerAccountRoutes(app: App, deps: AppDeps) {
  const db = deps.database.db;
  const view = { access: needs('org:account:view', 'data') };
  const edit = { access: needs('org:account:edit', 'data') };
  app.get('/api/org/accounts', { config: view, schema: { tags, summary: '账号列表', querystring: accountListQuery, response: { 200: accountPage } } }, async (request) =>
    listAccounts(db, request.principal!.scope, request.query),
  );
  app.get('/api/org/accounts/export', { config: view, schema: { tags, summary: '导出账号', querystring: accountListQuery } }, async (request, reply) => {
    const { page: _p, pageSize: _s, ...filter } = request.query;
    const rows = mapRows(exportAccounts(db, request.principal!.scope, filter), (a) => ({ ...a, roles: a.roles.join('、'), active: a.active ? '启用' : '停用' }));
    return sendTable(reply, '账号', EXPORT_COLUMNS, rows);
  });
  app.get('/api/org/accounts/:id', { config: view, schema: { tags, summary: '账号详情', params: idParam, response: { 200: account } } }, async (request) =>
    getAccount(db, request.principal!.scope, request.params.id),
  );
  app.post('/api/org/accounts', { config: edit, schema: { tags, summary: '开通账号', body: accountCreate, response: { 200: account } } }, async (request) =>
    createAccount(db, request.ctx, request.body),
  );
  app.patch('/api/org/accounts/:id', { config: edit, schema: { tags, summary: '修改角色或启停账号', params: idParam, body: accountUpdate, response: { 200: account } } }, async (request) =>
    updateAccount(db, request.ctx, request.params.id, request.body),
  );
  app.post('/api/org/accounts/:id/password', { config: edit, schema: { tags, summary: '重置密码（下次登录须修改）', params: idParam, body: accountResetPassword, response: { 200: okBody } } }, async (request) => {
    await resetPassword(db, request.ctx, request.params.id, request.body.password);
    return { ok: true as const };
  });
  app.post('/api/org/accounts/:id/unlock', { config: edit, schema: { tags, summary: '解除锁定', params: idParam, response: { 200: account } } }, async (request) =>
    unlockAccount(db, request.ctx, request.params.id),
  );
}
