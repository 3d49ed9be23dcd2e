import { z } from 'zod';
import {
  lookupDetectionRunBody,
  lookupDetectionRunResult,
  lookupRuleSet,
  personnelSubjectAddResult,
  personnelSubjectCreateBody,
  personnelSubjectIdParam,
  personnelSubjectList,
  personnelSubjectListQuery,
  personnelSubjectRemoveBody,
} from '../../contracts/lookup-rules.ts';
import { needs } from '../../platform/authz/access.ts';
import type { App, AppDeps } from '../../platform/http/app.ts';
import { createLookupRuleSet, currentLookupRuleSet, lookupRuleSetCreate, withoutSecrets } from './detection.params.ts';
import { addPersonnelSubjects, listPersonnelSubjects, removePersonnelSubject } from './detection.personnel.ts';
import { runLookupDetection } from './detection.service.ts';
import { subjectKeys } from './subject-crypto.ts';

const tags = ['查询审计规则'];

export function registerLookupDetectionRoutes(app: App, deps: AppDeps) {
  const db = deps.database.db;
  const keys = () => subjectKeys(deps.config);
  app.post(
    '/api/lookups/detection/run',
    { config: { access: needs('lookup:handle', 'none') }, schema: { tags, summary: '全量运行查询审计规则', body: lookupDetectionRunBody, response: { 200: lookupDetectionRunResult } } },
    async (request) => runLookupDetection(db, request.ctx, 'all', { keys: keys(), ...(request.body?.days ? { days: request.body.days } : {}) }),
  );
  // The sampling key stays on the server (withoutSecrets): squadron leaders read these parameters.
  app.get('/api/lookups/rules', { config: { access: needs('lookup:view', 'none') }, schema: { tags, summary: '当前查询审计规则参数（抽查密钥不显示）', response: { 200: lookupRuleSet } } }, async () =>
    withoutSecrets(await currentLookupRuleSet(db)),
  );
  app.post(
    '/api/lookups/rules',
    { config: { access: needs('lookup:handle', 'none') }, schema: { tags, summary: '保存为新版本查询审计规则参数', body: lookupRuleSetCreate, response: { 200: lookupRuleSet } } },
    async (request) => withoutSecrets(await createLookupRuleSet(db, request.ctx, request.body)),
  );
  app.get(
    '/api/lookups/personnel-subjects',
    {
      config: { access: needs('lookup:watchlist', 'none') },
      schema: { tags, summary: '人员身份证号与车辆登记（脱敏）', querystring: personnelSubjectListQuery, response: { 200: personnelSubjectList } },
    },
    async (request) => ({ items: await listPersonnelSubjects(db, request.query.personId) }),
  );
  app.post(
    '/api/lookups/personnel-subjects',
    {
      config: { access: needs('lookup:watchlist', 'none') },
      schema: { tags, summary: '登记人员或其亲属的身份证号、车辆', body: personnelSubjectCreateBody, response: { 200: personnelSubjectAddResult } },
    },
    async (request) => ({ added: await addPersonnelSubjects(db, request.ctx, keys(), request.body.items) }),
  );
  app.post(
    '/api/lookups/personnel-subjects/:id/remove',
    {
      config: { access: needs('lookup:watchlist', 'none') },
      schema: { tags, summary: '删除登记错误的人员身份证号或车辆（记入审计账本）', params: personnelSubjectIdParam, body: personnelSubjectRemoveBody, response: { 200: z.object({ ok: z.literal(true) }) } },
    },
    async (request) => {
      await removePersonnelSubject(db, request.ctx, request.params.id, request.body.reason);
      return { ok: true as const };
    },
  );
}
