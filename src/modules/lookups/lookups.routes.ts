import { z } from 'zod';
import { idParam } from '../../contracts/common.ts';
import {
  explanationAnswer,
  explanationCreate,
  explanationDecision,
  explanationDetail,
  explanationEscalation,
  explanationListQuery,
  explanationPage,
  fullSubject,
  lookupBatchBody,
  lookupBatchResponse,
  lookupDetail,
  lookupImportReport,
  type LookupImportReport,
  lookupListQuery,
  lookupOverview,
  lookupOverviewQuery,
  lookupPage,
  lookupProfile,
  myExplanationQuery,
  profileQuery,
  rosterImportReport,
  rosterPage,
  rosterQuery,
  subjectQuery,
  subjectView,
  watchEntry,
  watchEntryCreate,
  watchEntryUpdate,
  watchListQuery,
  watchPage,
} from '../../contracts/lookups.ts';
import { needs } from '../../platform/authz/access.ts';
import type { App, AppDeps } from '../../platform/http/app.ts';
import { sendTemplate, uploadedSheet } from '../../platform/http/export.ts';
import { acceptExplanation, answerExplanation, createExplanation, escalateExplanation, getExplanation, getMyExplanation, listExplanations, myExplanations } from './explanations.service.ts';
import { detectionHook } from './hooks.ts';
import { registerLookupKeys } from './rebind.service.ts';
import { importLookups, LOOKUP_SHEET } from './lookups.import.ts';
import { getLookup, listLookups, revealSubject, subjectView as readSubjectView } from './lookups.query.ts';
import { ingestLookups } from './intake.service.ts';
import { importRoster, listRoster, ROSTER_SHEET } from './roster.service.ts';
import { lookupOverview as readOverview, lookupProfile as readProfile } from './stats.service.ts';
import { subjectKeys } from './subject-crypto.ts';
import { addWatch, listWatch, revealWatchSubject, updateWatch } from './watchlist.service.ts';

const tags = ['数据查询审计'];
const explanationTags = ['说明核查'];
/** A console upload; larger files go through `clearlane import lookups`. */
const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;
const personParam = z.strictObject({ personId: z.coerce.number().int().positive('人员编号无效') });
const formatQuery = z.strictObject({ format: z.enum(['xlsx', 'csv']).default('xlsx') });

/** The verdict counts of an import go to callers who may read look-ups, not to a feed that only sends. */
function withoutVerdicts(report: LookupImportReport, mayView: boolean): LookupImportReport {
  if (mayView) return report;
  const { justified: _j, unjustified: _u, unknownAccounts: _k, ...rest } = report;
  return rest;
}

export function registerLookupRoutes(app: App, deps: AppDeps) {
  const db = deps.database.db;
  const keys = subjectKeys(deps.config);
  // re-bindings called from enforcement intake (rebindLookupsForRecords) read subjects with these
  registerLookupKeys(db, keys);
  const detect = detectionHook(db, keys);
  const view = { access: needs('lookup:view', 'data') };
  const ingest = { access: needs('lookup:ingest', 'data') };
  const handle = { access: needs('lookup:handle', 'data') };
  const watch = { access: needs('lookup:watchlist', 'none') };
  const answer = { access: needs('explanation:answer', 'none') };

  // ---- intake ----
  app.post(
    '/api/lookups/batch',
    { config: ingest, schema: { tags, summary: '批量报送数据查询日志（每批最多10000条，按外部编号幂等）', body: lookupBatchBody, response: { 200: lookupBatchResponse } } },
    async (request) => ({ results: (await ingestLookups(db, request.ctx, keys, request.body.lookups, { afterCommit: (t) => detect(request.ctx, t) })).results }),
  );
  app.get('/api/lookups/template', { config: { access: needs('lookup:ingest', 'none') }, schema: { tags, summary: '数据查询日志导入模板', querystring: formatQuery } }, async (request, reply) =>
    sendTemplate(reply, '数据查询日志导入模板', LOOKUP_SHEET, request.query.format),
  );
  app.post('/api/lookups/import', { config: ingest, schema: { tags, summary: '导入数据查询日志（.xlsx/.csv，multipart 字段 file）', response: { 200: lookupImportReport } } }, async (request) =>
    withoutVerdicts(
      await importLookups(db, request.ctx, keys, await uploadedSheet(request, { maxBytes: MAX_UPLOAD_BYTES }), { afterImport: (t) => detect(request.ctx, t) }),
      request.principal!.permissions.has('lookup:view'),
    ),
  );

  // ---- reading ----
  app.get('/api/lookups', { config: view, schema: { tags, summary: '数据查询记录列表（查询对象已脱敏）', querystring: lookupListQuery, response: { 200: lookupPage } } }, async (request) =>
    listLookups(db, request.principal!.scope, request.query),
  );
  app.get('/api/lookups/overview', { config: view, schema: { tags, summary: '查询审计总览', querystring: lookupOverviewQuery, response: { 200: lookupOverview } } }, async (request) =>
    readOverview(db, request.principal!.scope, request.query),
  );
  app.get('/api/lookups/profile/:personId', { config: view, schema: { tags, summary: '查询画像（个人查询行为与同单位对比）', params: personParam, querystring: profileQuery, response: { 200: lookupProfile } } }, async (request) =>
    readProfile(db, request.principal!.scope, request.params.personId, request.query),
  );
  app.get(
    '/api/lookups/subject',
    { config: { access: needs('lookup:subject', 'data') }, schema: { tags, summary: '按查询对象追查：谁在何时因何查询了此车此人（本次追查记入账本）', querystring: subjectQuery, response: { 200: subjectView } } },
    async (request) => readSubjectView(db, request.ctx, keys, request.query),
  );
  app.get('/api/lookups/roster', { config: view, schema: { tags, summary: '值班与请假记录', querystring: rosterQuery, response: { 200: rosterPage } } }, async (request) =>
    listRoster(db, request.principal!.scope, request.query),
  );
  // The roster decides who counts as off duty or on leave (L-OFFDUTY, L-LEAVER): the inspectors
  // keep it, not whoever may feed the look-up log (the administrator's integration token).
  app.get('/api/lookups/roster/template', { config: { access: needs('lookup:handle', 'none') }, schema: { tags, summary: '值班表导入模板', querystring: formatQuery } }, async (request, reply) =>
    sendTemplate(reply, '值班表导入模板', ROSTER_SHEET, request.query.format),
  );
  app.post('/api/lookups/roster/import', { config: { access: needs('lookup:handle', 'data') }, schema: { tags, summary: '导入值班表（.xlsx/.csv，multipart 字段 file）', response: { 200: rosterImportReport } } }, async (request) =>
    importRoster(db, request.ctx, await uploadedSheet(request, { maxBytes: 50 * 1024 * 1024 })),
  );

  // ---- watch list ----
  app.get('/api/lookups/watchlist', { config: watch, schema: { tags, summary: '关注名单', querystring: watchListQuery, response: { 200: watchPage } } }, async (request) => listWatch(db, request.query));
  app.post('/api/lookups/watchlist', { config: watch, schema: { tags, summary: '添加关注对象', body: watchEntryCreate, response: { 200: watchEntry } } }, async (request) =>
    addWatch(db, request.ctx, keys, request.body),
  );
  app.patch('/api/lookups/watchlist/:id', { config: watch, schema: { tags, summary: '修改或停用关注对象', params: idParam, body: watchEntryUpdate, response: { 200: watchEntry } } }, async (request) =>
    updateWatch(db, request.ctx, request.params.id, request.body),
  );
  app.get(
    '/api/lookups/watchlist/:id/subject',
    { config: { access: needs('lookup:pii', 'none') }, schema: { tags, summary: '查看关注对象完整信息（本次查看记入账本）', params: idParam, response: { 200: fullSubject } } },
    async (request) => revealWatchSubject(db, request.ctx, keys, request.params.id),
  );

  // after the static paths above
  app.get('/api/lookups/:id', { config: view, schema: { tags, summary: '数据查询记录详情（含事由核验依据）', params: idParam, response: { 200: lookupDetail } } }, async (request) =>
    getLookup(db, request.principal!.scope, request.params.id),
  );
  app.get(
    '/api/lookups/:id/subject',
    { config: { access: needs('lookup:pii', 'data') }, schema: { tags, summary: '查看查询对象完整信息（本次查看记入账本）', params: idParam, response: { 200: fullSubject } } },
    async (request) => revealSubject(db, request.ctx, keys, request.params.id),
  );

  // ---- explanation requests (说明核查) ----
  app.get('/api/explanations', { config: handle, schema: { tags: explanationTags, summary: '说明核查列表', querystring: explanationListQuery, response: { 200: explanationPage } } }, async (request) =>
    listExplanations(db, request.principal!.scope, request.query),
  );
  app.post('/api/explanations', { config: handle, schema: { tags: explanationTags, summary: '发起说明核查', body: explanationCreate, response: { 200: explanationDetail } } }, async (request) =>
    createExplanation(db, request.ctx, request.body),
  );
  app.get('/api/explanations/mine', { config: answer, schema: { tags: explanationTags, summary: '我的说明（发给本人的说明核查）', querystring: myExplanationQuery, response: { 200: explanationPage } } }, async (request) =>
    myExplanations(db, request.principal!, request.query),
  );
  app.get('/api/explanations/mine/:id', { config: answer, schema: { tags: explanationTags, summary: '我的说明详情', params: idParam, response: { 200: explanationDetail } } }, async (request) =>
    getMyExplanation(db, request.principal!, request.params.id),
  );
  app.get('/api/explanations/:id', { config: handle, schema: { tags: explanationTags, summary: '说明核查详情', params: idParam, response: { 200: explanationDetail } } }, async (request) =>
    getExplanation(db, request.principal!.scope, request.params.id),
  );
  app.post('/api/explanations/:id/answer', { config: answer, schema: { tags: explanationTags, summary: '答复本人的说明核查', params: idParam, body: explanationAnswer, response: { 200: explanationDetail } } }, async (request) =>
    answerExplanation(db, request.ctx, request.params.id, request.body.answer),
  );
  app.post('/api/explanations/:id/accept', { config: handle, schema: { tags: explanationTags, summary: '认可说明（关联告警办结）', params: idParam, body: explanationDecision, response: { 200: explanationDetail } } }, async (request) =>
    acceptExplanation(db, request.ctx, request.params.id, request.body.note),
  );
  app.post(
    '/api/explanations/:id/escalate',
    { config: handle, schema: { tags: explanationTags, summary: '不认可说明，升级处理（关联告警保持未结并标记升级）', params: idParam, body: explanationEscalation, response: { 200: explanationDetail } } },
    async (request) => escalateExplanation(db, request.ctx, request.params.id, request.body.note),
  );
}
