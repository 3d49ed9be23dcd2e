import { deviceIdParam } from '../../contracts/devices.ts';
import { deviceCaptureSeries, deviceCaptureSummary, deviceCaptureSummaryQuery, deviceCapturesQuery, deviceDetectorRun } from '../../contracts/device-captures.ts';
import { needs } from '../../platform/authz/access.ts';
import type { App, AppDeps } from '../../platform/http/app.ts';
import { deviceCaptureSummary as captureSummary, deviceCaptures } from './captures.query.ts';
import { runDeviceDetectors } from './device-detectors.service.ts';

const tags = ['监控设备'];

export function registerDeviceCaptureRoutes(app: App, deps: AppDeps) {
  const db = deps.database.db;
  const view = { access: needs('device:view', 'data') };

  app.get(
    '/api/devices/capture-summary',
    { config: view, schema: { tags, summary: '设备抓拍量汇总（近N日，按设备）', querystring: deviceCaptureSummaryQuery, response: { 200: deviceCaptureSummary } } },
    async (request) => captureSummary(db, request.principal!.scope, request.query.days),
  );
  app.get(
    '/api/devices/:id/captures',
    { config: view, schema: { tags, summary: '设备每日抓拍量（按违法代码）与异常标记', params: deviceIdParam, querystring: deviceCapturesQuery, response: { 200: deviceCaptureSeries } } },
    async (request) => deviceCaptures(db, request.principal!.scope, request.params.id, request.query),
  );
  app.post(
    '/api/devices/detectors/run',
    { config: { access: needs('device:edit', 'none') }, schema: { tags, summary: '全量运行设备抓拍异常检测与计量检定到期提醒', response: { 200: deviceDetectorRun } } },
    async (request) => runDeviceDetectors(db, request.ctx, 'all'),
  );
}
