import { z } from 'zod';
import { idParam } from '../../contracts/common.ts';
import { unit, unitCreate, unitListQuery, unitPage, unitUpdate } from '../../contracts/org.ts';
import { needs } from '../../platform/authz/access.ts';
import type { App, AppDeps } from '../../platform/http/app.ts';
import { createUnit, getUnit, listUnits, setUnitActive, unitTree, updateUnit } from './units.service.ts';

const tags = ['组织机构'];

export function registerUnitRoutes(app: App, deps: AppDeps) {
  const db = deps.database.db;
  const view = { access: needs('org:unit:view', 'data') };
  const edit = { access: needs('org:unit:edit', 'data') };

  app.get('/api/org/units', { config: view, schema: { tags, summary: '单位列表', querystring: unitListQuery, response: { 200: unitPage } } }, async (request) =>
    listUnits(db, request.principal!.scope, request.query),
  );
  app.get('/api/org/units/tree', { config: view, schema: { tags, summary: '单位树（平铺，含上级编号）', response: { 200: z.object({ items: z.array(unit) }) } } }, async (request) => ({
    items: await unitTree(db, request.principal!.scope),
  }));
  app.get('/api/org/units/:id', { config: view, schema: { tags, summary: '单位详情', params: idParam, response: { 200: unit } } }, async (request) =>
    getUnit(db, request.principal!.scope, request.params.id),
  );
  app.post('/api/org/units', { config: edit, schema: { tags, summary: '新增单位', body: unitCreate, response: { 200: unit } } }, async (request) =>
    createUnit(db, request.ctx, request.body),
  );
  app.patch('/api/org/units/:id', { config: edit, schema: { tags, summary: '修改单位', params: idParam, body: unitUpdate, response: { 200: unit } } }, async (request) =>
    updateUnit(db, request.ctx, request.params.id, request.body),
  );
  app.post('/api/org/units/:id/deactivate', { config: edit, schema: { tags, summary: '停用单位', params: idParam, response: { 200: unit } } }, async (request) =>
    setUnitActive(db, request.ctx, request.params.id, false),
  );
  app.post('/api/org/units/:id/activate', { config: edit, schema: { tags, summary: '启用单位', params: idParam, response: { 200: unit } } }, async (request) =>
    setUnitActive(db, request.ctx, request.params.id, true),
  );
}
