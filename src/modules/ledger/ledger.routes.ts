import { ledgerPage, ledgerQuery } from '../../contracts/ledger.ts';
import { needs } from '../../platform/authz/access.ts';
import type { App, AppDeps } from '../../platform/http/app.ts';
import { mapRows, sendTable } from '../../platform/http/export.ts';
import { exportEntries, listEntries } from './ledger.query.ts';

const tags = ['操作记录'];
const EXPORT_COLUMNS = [
  { key: 'seq', header: '序号' },
  { key: 'at', header: '时间' },
  { key: 'actorName', header: '操作人' },
  { key: 'action', header: '操作' },
  { key: 'subjectType', header: '对象类型' },
  { key: 'subjectId', header: '对象编号' },
  { key: 'clientIp', header: 'IP地址' },
  { key: 'requestId', header: '请求编号' },
  { key: 'payload', header: '内容' },
] as const;

export function registerLedgerRoutes(app: App, deps: AppDeps) {
  const db = deps.database.db;
  // The operation record spans every unit and module; it is the auditor's, not scoped by unit.
  const view = { access: needs('log:operation:view', 'none') };
  app.get('/api/ledger/entries', { config: view, schema: { tags, summary: '操作记录', querystring: ledgerQuery, response: { 200: ledgerPage } } }, async (request) =>
    listEntries(db, request.query),
  );
  app.get('/api/ledger/entries/export', { config: view, schema: { tags, summary: '导出操作记录', querystring: ledgerQuery } }, async (request, reply) => {
    const { page: _p, pageSize: _s, ...filter } = request.query;
    return sendTable(reply, '操作记录', EXPORT_COLUMNS, mapRows(exportEntries(db, filter), (e) => ({ ...e, payload: JSON.stringify(e.payload) })));
  });
}
