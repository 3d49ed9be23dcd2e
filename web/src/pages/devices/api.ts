import type { z } from 'zod';
import type { Page } from '@contracts/common.ts';
import type {
  AffectedRecords,
  Device,
  DeviceDetail,
  DeviceImportReport,
  DeviceStatus,
  DeviceType,
  deviceCreate,
  deviceStatusChange,
  deviceUpdate,
} from '@contracts/devices.ts';
import type { DeviceCaptureSeries, DeviceCaptureSummary, DeviceDetectorRun } from '@contracts/device-captures.ts';
import { api } from '../../api/client.ts';
import type { PageQuery } from '../../hooks/usePagedList.ts';

export type DeviceFilters = {
  q?: string;
  type?: DeviceType;
  status?: DeviceStatus;
  unitId?: number;
  unlawfulToday?: 'true' | 'false';
};
export type DeviceCreateBody = z.input<typeof deviceCreate>;
export type DeviceUpdateBody = z.input<typeof deviceUpdate>;
export type DeviceStatusBody = z.input<typeof deviceStatusChange>;

const base = '/api/devices';
const one = (id: string) => `${base}/${encodeURIComponent(id)}`;

export const devicesApi = {
  list: (query: DeviceFilters & PageQuery) => api.get<Page<Device>>(base, query),
  get: (id: string) => api.get<DeviceDetail>(one(id), undefined, { silent: true }),
  create: (body: DeviceCreateBody) => api.post<Device>(base, body),
  update: (id: string, body: DeviceUpdateBody) => api.patch<Device>(one(id), body),
  changeStatus: (id: string, body: DeviceStatusBody) => api.post<Device>(`${one(id)}/status`, body),
  /** every record the device captured while the registry says it was not lawful, by outcome */
  affected: (id: string) => api.get<AffectedRecords>(`${one(id)}/affected`, undefined, { silent: true }),
  /** daily captures by code with the detectors' anomalies; `from` inclusive, `to` exclusive (Beijing days) */
  captures: (id: string, query: { from?: string; to?: string } = {}) =>
    api.get<DeviceCaptureSeries>(`${one(id)}/captures`, query, { silent: true }),
  /** captures of every device in scope over the last `days` days, for the list */
  captureSummary: (days: number) => api.get<DeviceCaptureSummary>(`${base}/capture-summary`, { days }),
  /** the device detectors and verification reminders over all devices */
  runDetectors: () => api.post<DeviceDetectorRun>(`${base}/detectors/run`),
  template: (format: 'xlsx' | 'csv') => api.download(`${base}/template`, { format }, `设备台账导入模板.${format}`),
  /** a file the server refuses whole (bad header, wrong type) comes back as an error the dialog shows */
  importFile: (file: File, documentNo: string) =>
    api.upload<DeviceImportReport>(`${base}/import`, file, { silent: true, query: { documentNo } }),
};
