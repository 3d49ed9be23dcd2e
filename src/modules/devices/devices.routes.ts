import { z } from 'zod';
import {
  affectedRecords as affectedRecordsResponse,
  affectedRecordsQuery,
  deviceCreate,
  deviceDetail,
  deviceIdParam,
  deviceImportQuery,
  deviceImportReport,
  deviceListQuery,
  devicePage,
  deviceStatusChange,
  deviceUpdate,
  publicDeviceList,
} from '../../contracts/devices.ts';
import { needs, PUBLIC } from '../../platform/authz/access.ts';
import type { App, AppDeps } from '../../platform/http/app.ts';
import { sendTemplate, uploadedSheet } from '../../platform/http/export.ts';
import { DEVICE_SHEET, importDevices } from './devices.import.ts';
import { publicDevices } from './devices.public.ts';
import { affectedRecords } from './devices.retro.ts';
import { changeDeviceStatus, createDevice, getDevice, listDevices, updateDevice } from './devices.service.ts';

const tags = ['设备台账'];

export function registerDeviceRoutes(app: App, deps: AppDeps) {
  const db = deps.database.db;
  // Devices belong to their owning unit: every read and write is scoped by it.
  const view = { access: needs('device:view', 'data') };
  const edit = { access: needs('device:edit', 'data') };

  app.get('/api/devices', { config: view, schema: { tags, summary: '设备台账列表（含今日是否合法）', querystring: deviceListQuery, response: { 200: devicePage } } }, async (request) =>
    listDevices(db, request.principal!.scope, request.query),
  );
  app.get(
    '/api/devices/template',
    { config: { access: needs('device:edit', 'none') }, schema: { tags, summary: '设备台账导入模板', querystring: z.strictObject({ format: z.enum(['xlsx', 'csv']).default('xlsx') }) } },
    async (request, reply) => sendTemplate(reply, '设备台账导入模板', DEVICE_SHEET, request.query.format),
  );
  app.post(
    '/api/devices/import',
    { config: edit, schema: { tags, summary: '导入设备台账（.xlsx/.csv，multipart 字段 file）：全部行有效才写入', querystring: deviceImportQuery, response: { 200: deviceImportReport } } },
    async (request) => importDevices(db, request.ctx, await uploadedSheet(request), request.query.documentNo),
  );
  app.get('/api/devices/:id', { config: view, schema: { tags, summary: '设备详情（含变更记录）', params: deviceIdParam, response: { 200: deviceDetail } } }, async (request) =>
    getDevice(db, request.principal!.scope, request.params.id),
  );
  app.get(
    '/api/devices/:id/affected',
    { config: view, schema: { tags, summary: '设备不合法期间的抓拍记录（按处理结果；sinceRevision：与该版本相比新失去合法依据的记录）', params: deviceIdParam, querystring: affectedRecordsQuery, response: { 200: affectedRecordsResponse } } },
    async (request) => affectedRecords(db, request.principal!.scope, request.params.id, request.query),
  );
  app.post('/api/devices', { config: edit, schema: { tags, summary: '登记设备', body: deviceCreate, response: { 200: deviceDetail } } }, async (request) =>
    createDevice(db, request.ctx, request.body),
  );
  app.patch('/api/devices/:id', { config: edit, schema: { tags, summary: '修改设备台账（须注明依据文号）', params: deviceIdParam, body: deviceUpdate, response: { 200: deviceDetail } } }, async (request) =>
    updateDevice(db, request.ctx, request.params.id, request.body),
  );
  app.post(
    '/api/devices/:id/status',
    { config: edit, schema: { tags, summary: '变更设备状态（启用/停用/撤除，可追溯生效）', params: deviceIdParam, body: deviceStatusChange, response: { 200: deviceDetail } } },
    async (request) => changeDeviceStatus(db, request.ctx, request.params.id, request.body),
  );

  // No login: a modest per-address limit keeps the one query from being a free load generator.
  app.get('/api/public/devices', { config: { access: PUBLIC, rateLimit: { max: 120, timeWindow: 60_000 } }, schema: { tags: ['公开信息'], summary: '已公布的固定电子监控设备（无需登录）', response: { 200: publicDeviceList } } }, async () => publicDevices(db));
}
