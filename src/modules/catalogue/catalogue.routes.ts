import {
  catalogueCodeDetail,
  catalogueDiff,
  catalogueDiffQuery,
  catalogueExportQuery,
  catalogueImportQuery,
  catalogueImportReport,
  catalogueListQuery,
  cataloguePage,
  catalogueTemplateQuery,
  catalogueVersionListQuery,
  catalogueVersionPage,
  catalogueVersionQuery,
  violationCodeParam,
} from '../../contracts/catalogue.ts';
import { needs } from '../../platform/authz/access.ts';
import type { App, AppDeps } from '../../platform/http/app.ts';
import { sendTemplate, uploadedSheet } from '../../platform/http/export.ts';
import { contentTypeFor, filenameFor, streamTable } from '../../platform/sheets/index.ts';
import { importCatalogue } from './catalogue.import.ts';
import { diffVersions, exportVersion, getCode, listCodes, listVersions } from './catalogue.service.ts';
import { CATALOGUE_SHEET, toSheetValues } from './catalogue.sheet.ts';

const tags = ['违法代码'];

export function registerCatalogueRoutes(app: App, deps: AppDeps) {
  const db = deps.database.db;
  // The catalogue is the brigade's, not a unit's: nothing to scope by.
  const view = { access: needs('catalogue:view', 'none') };
  const edit = { access: needs('catalogue:edit', 'none') };

  app.get('/api/catalogue/codes', { config: view, schema: { tags, summary: '违法代码列表（默认当前版本；一个代码的每个有效期一行）', querystring: catalogueListQuery, response: { 200: cataloguePage } } }, async (request) =>
    listCodes(db, request.query),
  );

  app.get(
    '/api/catalogue/codes/:code',
    { config: view, schema: { tags, summary: '违法代码详情：该版本中的全部有效期', params: violationCodeParam, querystring: catalogueVersionQuery, response: { 200: catalogueCodeDetail } } },
    async (request) => getCode(db, request.params.code, request.query.version),
  );

  app.get('/api/catalogue/versions', { config: view, schema: { tags, summary: '目录版本（最新在前，第一个为当前版本）', querystring: catalogueVersionListQuery, response: { 200: catalogueVersionPage } } }, async (request) =>
    listVersions(db, request.query.page, request.query.pageSize),
  );

  app.get('/api/catalogue/diff', { config: view, schema: { tags, summary: '两个版本的差异（默认：上一版本 → 当前版本）', querystring: catalogueDiffQuery, response: { 200: catalogueDiff } } }, async (request) =>
    diffVersions(db, request.query),
  );

  app.get(
    '/api/catalogue/export',
    { config: view, schema: { tags, summary: '导出一个版本（默认当前版本；格式同导入模板，可直接再导入）', querystring: catalogueExportQuery } },
    async (request, reply) => {
      const { meta, rows } = await exportVersion(db, request.query.version);
      const format = request.query.format;
      reply.header('content-type', contentTypeFor(format));
      reply.header('content-disposition', filenameFor(`违法代码_第${meta.version}版`, format));
      return reply.send(streamTable(CATALOGUE_SHEET, rows.map(toSheetValues), format, { sheetName: '违法代码' }));
    },
  );

  app.get('/api/catalogue/template', { config: edit, schema: { tags, summary: '违法代码导入模板', querystring: catalogueTemplateQuery } }, async (request, reply) =>
    sendTemplate(reply, '违法代码导入模板', CATALOGUE_SHEET, request.query.format),
  );

  app.post(
    '/api/catalogue/import',
    {
      config: edit,
      schema: {
        tags,
        summary: '导入违法代码（.xlsx/.csv，multipart 字段 file）：全部行有效才生成新版本；dryRun=true 只校验',
        querystring: catalogueImportQuery,
        response: { 200: catalogueImportReport },
      },
    },
    async (request) => {
      const { dryRun, label, note } = request.query;
      return importCatalogue(db, request.ctx, await uploadedSheet(request), { dryRun, label, note });
    },
  );
}
