import { z } from 'zod';
import { idParam } from '../../contracts/common.ts';
import {
  importReport,
  person,
  personCreate,
  personListQuery,
  personPage,
  personPii,
  personStatusChange,
  personUpdate,
  PERSON_CATEGORIES,
  PERSON_STATUSES,
} from '../../contracts/org.ts';
import { needs } from '../../platform/authz/access.ts';
import type { App, AppDeps } from '../../platform/http/app.ts';
import { badRequest } from '../../platform/http/errors.ts';
import { mapRows, sendTable, sendTemplate, uploadedSheet } from '../../platform/http/export.ts';
import { importPeople, PERSON_SHEET } from './personnel.import.ts';
import { changePersonStatus, createPerson, exportPeople, getPerson, listPeople, readPersonPii, updatePerson } from './personnel.service.ts';

const tags = ['人员管理'];

const EXPORT_COLUMNS = [
  { key: 'name', header: '姓名' },
  { key: 'badgeNo', header: '警号' },
  { key: 'category', header: '类别' },
  { key: 'unitName', header: '所属单位' },
  { key: 'position', header: '职务' },
  { key: 'phoneMasked', header: '手机号（脱敏）' },
  { key: 'status', header: '状态' },
] as const;

export function registerPersonnelRoutes(app: App, deps: AppDeps) {
  const db = deps.database.db;
  const view = { access: needs('org:person:view', 'data') };
  const edit = { access: needs('org:person:edit', 'data') };

  app.get('/api/org/personnel', { config: view, schema: { tags, summary: '人员列表（unitId 含下级单位）', querystring: personListQuery, response: { 200: personPage } } }, async (request) =>
    listPeople(db, request.principal!.scope, request.query),
  );

  app.get('/api/org/personnel/export', { config: { access: needs('org:person:export', 'data') }, schema: { tags, summary: '导出人员（遵守数据权限，手机号脱敏）', querystring: personListQuery } }, async (request, reply) => {
    const { page: _p, pageSize: _s, ...filter } = request.query;
    const rows = mapRows(exportPeople(db, request.principal!.scope, filter), (p) => ({ ...p, category: PERSON_CATEGORIES[p.category], status: PERSON_STATUSES[p.status] }));
    return sendTable(reply, '人员', EXPORT_COLUMNS, rows);
  });

  app.get(
    '/api/org/personnel/import-template',
    { config: { access: needs('org:person:import', 'none') }, schema: { tags, summary: '人员导入模板', querystring: z.strictObject({ format: z.enum(['xlsx', 'csv']).default('xlsx') }) } },
    async (request, reply) => sendTemplate(reply, '人员导入模板', PERSON_SHEET, request.query.format),
  );

  app.post(
    '/api/org/personnel/import',
    { config: { access: needs('org:person:import', 'data') }, schema: { tags, summary: '导入人员（.xlsx/.csv，multipart 字段 file）', response: { 200: importReport } } },
    async (request) => importPeople(db, request.ctx, await uploadedSheet(request)),
  );

  app.get('/api/org/personnel/:id', { config: view, schema: { tags, summary: '人员详情', params: idParam, response: { 200: person } } }, async (request) =>
    getPerson(db, request.principal!.scope, request.params.id),
  );
  app.get('/api/org/personnel/:id/pii', { config: { access: needs('org:person:pii', 'data') }, schema: { tags, summary: '查看完整个人信息（本次查看记入账本）', params: idParam, response: { 200: personPii } } }, async (request) =>
    readPersonPii(db, request.ctx, request.params.id),
  );
  app.post('/api/org/personnel', { config: edit, schema: { tags, summary: '新增人员', body: personCreate, response: { 200: person } } }, async (request) =>
    createPerson(db, request.ctx, request.body),
  );
  app.patch('/api/org/personnel/:id', { config: edit, schema: { tags, summary: '修改人员', params: idParam, body: personUpdate, response: { 200: person } } }, async (request) =>
    updatePerson(db, request.ctx, request.params.id, request.body),
  );
  app.post('/api/org/personnel/:id/status', { config: edit, schema: { tags, summary: '变更人员状态（离职、停职会结束其会话）', params: idParam, body: personStatusChange, response: { 200: person } } }, async (request) =>
    changePersonStatus(db, request.ctx, request.params.id, request.body),
  );
}
