import {
  alertAssignBody,
  alertCommentBody,
  alertDetail,
  alertDismissBody,
  alertListQuery,
  alertPage,
  alertSummary as alertSummarySchema,
  alertVerdictBody,
  detectorStats as detectorStatsSchema,
} from '../../contracts/alerts.ts';
import { idParam } from '../../contracts/common.ts';
import { needs } from '../../platform/authz/access.ts';
import type { App, AppDeps } from '../../platform/http/app.ts';
import {
  acknowledgeAlert,
  alertSummary,
  assignAlert,
  detectorStats,
  dismissAlert,
  getAlert,
  listAlerts,
  reopenAlert,
  resolveAlert,
  setAlertVerdict,
} from './alerts.service.ts';

const tags = ['告警'];

export function registerAlertRoutes(app: App, deps: AppDeps) {
  const db = deps.database.db;
  const view = { access: needs('alert:view', 'data') };
  const handle = { access: needs('alert:handle', 'data') };
  const changed = { 200: alertDetail };

  app.get('/api/alerts', { config: view, schema: { tags, summary: '告警列表（含各状态数量）', querystring: alertListQuery, response: { 200: alertPage } } }, async (request) =>
    listAlerts(db, request.principal!, request.query),
  );
  app.get('/api/alerts/summary', { config: view, schema: { tags, summary: '告警概况（未结告警按等级、规则、单位）', response: { 200: alertSummarySchema } } }, async (request) =>
    alertSummary(db, request.principal!.scope),
  );
  app.get('/api/alerts/stats', { config: view, schema: { tags, summary: '各规则告警准确率', response: { 200: detectorStatsSchema } } }, async (request) => ({
    items: await detectorStats(db, request.principal!.scope),
  }));
  app.get('/api/alerts/:id', { config: view, schema: { tags, summary: '告警详情（含处理记录）', params: idParam, response: { 200: alertDetail } } }, async (request) =>
    getAlert(db, request.principal!.scope, request.params.id),
  );
  app.post('/api/alerts/:id/assign', { config: handle, schema: { tags, summary: '分派告警', params: idParam, body: alertAssignBody, response: changed } }, async (request) =>
    assignAlert(db, request.ctx, request.params.id, request.body),
  );
  app.post('/api/alerts/:id/acknowledge', { config: handle, schema: { tags, summary: '确认处理', params: idParam, body: alertCommentBody, response: changed } }, async (request) =>
    acknowledgeAlert(db, request.ctx, request.params.id, request.body?.comment),
  );
  app.post('/api/alerts/:id/dismiss', { config: handle, schema: { tags, summary: '排除告警（须填写原因）', params: idParam, body: alertDismissBody, response: changed } }, async (request) =>
    dismissAlert(db, request.ctx, request.params.id, request.body.reason),
  );
  app.post('/api/alerts/:id/resolve', { config: handle, schema: { tags, summary: '办结告警', params: idParam, body: alertCommentBody, response: changed } }, async (request) =>
    resolveAlert(db, request.ctx, request.params.id, request.body?.comment),
  );
  app.post('/api/alerts/:id/reopen', { config: handle, schema: { tags, summary: '重新打开告警', params: idParam, body: alertCommentBody, response: changed } }, async (request) =>
    reopenAlert(db, request.ctx, request.params.id, request.body?.comment),
  );
  app.post('/api/alerts/:id/verdict', { config: handle, schema: { tags, summary: '评价告警是否准确', params: idParam, body: alertVerdictBody, response: changed } }, async (request) =>
    setAlertVerdict(db, request.ctx, request.params.id, request.body),
  );
}
