import { role, roleCodeParam, roleCreate, roleListQuery, rolePage, roleUpdate } from '../../contracts/org.ts';
import { needs } from '../../platform/authz/access.ts';
import type { App, AppDeps } from '../../platform/http/app.ts';
import { createRole, getRole, listRoles, updateRole } from './roles.service.ts';

const tags = ['角色权限'];

export function registerRoleRoutes(app: App, deps: AppDeps) {
  const db = deps.database.db;
  const view = { access: needs('org:role:view', 'none') };
  const edit = { access: needs('org:role:edit', 'none') };
  app.get('/api/org/roles', { config: view, schema: { tags, summary: '角色列表', querystring: roleListQuery, response: { 200: rolePage } } }, async (request) =>
    listRoles(db, request.query.page, request.query.pageSize),
  );
  app.get('/api/org/roles/:code', { config: view, schema: { tags, summary: '角色详情', params: roleCodeParam, response: { 200: role } } }, async (request) =>
    getRole(db, request.params.code),
  );
  app.post('/api/org/roles', { config: edit, schema: { tags, summary: '新增角色', body: roleCreate, response: { 200: role } } }, async (request) =>
    createRole(db, request.ctx, request.body),
  );
  app.patch('/api/org/roles/:code', { config: edit, schema: { tags, summary: '修改角色权限与数据权限', params: roleCodeParam, body: roleUpdate, response: { 200: role } } }, async (request) =>
    updateRole(db, request.ctx, request.params.code, request.body),
  );
}
