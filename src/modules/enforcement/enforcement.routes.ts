import { z } from 'zod';
import { idParam } from '../../contracts/common.ts';
import {
  batchBody,
  batchResponse,
  driverFull,
  recordDetail,
  recordImportReport,
  recordListQuery,
  recordPage,
  replayBody,
  replayResponse,
  reviewBody,
  reviewPage,
  reviewQueueQuery,
  reviewResponse,
  statsQuery,
  statsResponse,
} from '../../contracts/enforcement.ts';
import { needs } from '../../platform/authz/access.ts';
import type { App, AppDeps } from '../../platform/http/app.ts';
import { sendTemplate, uploadedSheet } from '../../platform/http/export.ts';
import { runDetectors } from './detectors.service.ts';
import { ingestBatch } from './intake.service.ts';
import { importRecords, RECORD_SHEET } from './records.import.ts';
import { getRecord, listRecords, readDriver, replayRecord } from './records.service.ts';
import { reviewQueue, reviewRecords, sweepReviewDue } from './review.service.ts';
import { enforcementStats } from './stats.service.ts';

const tags = ['执法记录'];
/** A console upload; a larger file goes through `clearlane import records`. */
const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;

export function registerEnforcementRoutes(app: App, deps: AppDeps) {
  const db = deps.database.db;
  const view = { access: needs('enforcement:view', 'data') };
  const ingest = { access: needs('enforcement:ingest', 'data') };
  const review = { access: needs('enforcement:review', 'data') };

  app.post(
    '/api/enforcement/records/batch',
    { config: ingest, schema: { tags, summary: '批量报送执法记录（每批最多10000条，按外部编号幂等）', body: batchBody, response: { 200: batchResponse } } },
    async (request) => ({ results: (await ingestBatch(db, request.ctx, request.body.records)).results }),
  );
  app.get('/api/enforcement/records', { config: view, schema: { tags, summary: '执法记录列表', querystring: recordListQuery, response: { 200: recordPage } } }, async (request) =>
    listRecords(db, request.principal!.scope, request.query),
  );
  app.get(
    '/api/enforcement/records/template',
    { config: { access: needs('enforcement:ingest', 'none') }, schema: { tags, summary: '执法记录导入模板', querystring: z.strictObject({ format: z.enum(['xlsx', 'csv']).default('xlsx') }) } },
    async (request, reply) => sendTemplate(reply, '执法记录导入模板', RECORD_SHEET, request.query.format),
  );
  app.post(
    '/api/enforcement/records/import',
    { config: ingest, schema: { tags, summary: '导入执法记录（.xlsx/.csv，multipart 字段 file）', response: { 200: recordImportReport } } },
    async (request) => importRecords(db, request.ctx, await uploadedSheet(request, { maxBytes: MAX_UPLOAD_BYTES })),
  );
  app.get('/api/enforcement/records/:id', { config: view, schema: { tags, summary: '执法记录详情（含规则说明）', params: idParam, response: { 200: recordDetail } } }, async (request) =>
    getRecord(db, request.principal!.scope, request.params.id),
  );
  app.get(
    '/api/enforcement/records/:id/driver',
    { config: { access: needs('enforcement:pii', 'data') }, schema: { tags, summary: '查看驾驶人完整信息（本次查看记入账本）', params: idParam, response: { 200: driverFull } } },
    async (request) => readDriver(db, request.ctx, request.params.id),
  );
  app.post(
    '/api/enforcement/records/:id/replay',
    { config: view, schema: { tags, summary: '按指定规则版本重放判定（不做任何修改）', params: idParam, body: replayBody, response: { 200: replayResponse } } },
    async (request) => replayRecord(db, request.principal!.scope, request.params.id, request.body.ruleSetVersion),
  );
  app.get('/api/enforcement/review-queue', { config: review, schema: { tags, summary: '待审核队列', querystring: reviewQueueQuery, response: { 200: reviewPage } } }, async (request) =>
    reviewQueue(db, request.principal!.scope, request.query),
  );
  app.post('/api/enforcement/review', { config: review, schema: { tags, summary: '审核待定记录（确认处罚、改为警告或作废）', body: reviewBody, response: { 200: reviewResponse } } }, async (request) =>
    reviewRecords(db, request.ctx, request.body),
  );
  app.get('/api/enforcement/stats', { config: view, schema: { tags, summary: '执法监督看板数据', querystring: statsQuery, response: { 200: statsResponse } } }, async (request) =>
    enforcementStats(db, request.principal!.scope, request.query),
  );
  app.post(
    '/api/enforcement/detectors/run',
    { config: { access: needs('enforcement:review', 'none') }, schema: { tags, summary: '全量运行异常模式检测与审核超期检查', response: { 200: z.object({ alerts: z.number().int(), reviewDue: z.number().int() }) } } },
    async (request) => {
      const alerts = await runDetectors(db, request.ctx, 'all');
      const reviewDue = await sweepReviewDue(db, request.ctx);
      return { alerts, reviewDue };
    },
  );
}
