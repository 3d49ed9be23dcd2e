import { z } from 'zod';
import { ruleSet, ruleSetCreate, ruleSetDiff, ruleSetDiffQuery, ruleSetList } from '../../contracts/rules.ts';
import { needs } from '../../platform/authz/access.ts';
import type { App, AppDeps } from '../../platform/http/app.ts';
import { createRuleSet, diffRuleSets, getRuleSet, listRuleSets } from './rule-sets.service.ts';

const tags = ['规则参数'];

export function registerRuleSetRoutes(app: App, deps: AppDeps) {
  const db = deps.database.db;
  const view = { access: needs('rules:view', 'none') };
  app.get('/api/rules/current', { config: view, schema: { tags, summary: '当前规则参数', response: { 200: ruleSet } } }, async () => getRuleSet(db));
  app.get('/api/rules/versions', { config: view, schema: { tags, summary: '规则参数版本列表', response: { 200: ruleSetList } } }, async () => ({ items: await listRuleSets(db) }));
  app.get(
    '/api/rules/versions/:version',
    { config: view, schema: { tags, summary: '某一版本的规则参数', params: z.strictObject({ version: z.coerce.number().int().positive('版本号无效') }), response: { 200: ruleSet } } },
    async (request) => getRuleSet(db, request.params.version),
  );
  app.get('/api/rules/diff', { config: view, schema: { tags, summary: '比较两个版本', querystring: ruleSetDiffQuery, response: { 200: ruleSetDiff } } }, async (request) =>
    diffRuleSets(db, request.query.from, request.query.to),
  );
  app.post('/api/rules', { config: { access: needs('rules:edit', 'none') }, schema: { tags, summary: '保存为新版本规则参数', body: ruleSetCreate, response: { 200: ruleSet } } }, async (request) =>
    createRuleSet(db, request.ctx, request.body),
  );
}
