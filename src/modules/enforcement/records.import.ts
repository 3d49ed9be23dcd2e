// CSV/XLSX import of enforcement records, streaming: rows are read one at a time, mapped from the
// flat sheet columns to the intake shape, and sent through the batch path in chunks, so a
// million-row file never sits in memory. Each chunk is one transaction; a bad row is reported
// with its row number and never half-written; re-importing a file creates nothing twice
// (externalId).
import { MAX_REPORTED_ROW_ERRORS, type RecordImportReport, type VehicleType } from '../../contracts/enforcement.ts';
import type { Db } from '../../platform/db/database.ts';
import { badRequest } from '../../platform/http/errors.ts';
import { defineColumns, readSheetRows, type SheetInput } from '../../platform/sheets/index.ts';
import type { RequestContext } from '../ledger/ledger.service.ts';
import { runDeviceDetectors, scheduleDeviceDetectors, touchedDevices } from '../devices/device-detectors.service.ts';
import { runDetectors, scheduleDetectors, type TouchedKeys } from './detectors.service.ts';
import { ingestBatch } from './intake.service.ts';

export const RECORD_SHEET = defineColumns([
  { key: 'externalId', header: '外部编号', aliases: ['externalId'], example: 'DEMO-0001', note: '必填，来源系统中的唯一编号；重复导入不会重复入库' },
  { key: 'kind', header: '记录类型', aliases: ['kind'], example: '非现场', note: '必填：非现场（电子监控）或 现场' },
  { key: 'plate', header: '号牌号码', aliases: ['号牌', 'plate'], example: '苏A12345' },
  { key: 'vehicleType', header: '车辆类型', aliases: ['vehicleType'], example: '小型载客汽车', note: '中文名称、英文代码或国标车辆类型代码（如 K33、H11、Q11）' },
  { key: 'violationCode', header: '违法代码', aliases: ['violationCode'], example: '1625' },
  { key: 'occurredAt', header: '违法时间', aliases: ['occurredAt'], example: '2026-10-01 08:30:00', note: '北京时间；也可带时区的 ISO 8601' },
  { key: 'road', header: '道路', aliases: ['road'], example: '中山路' },
  { key: 'direction', header: '方向', aliases: ['direction'], example: '由东向西', required: false },
  { key: 'km', header: '公里桩', aliases: ['km'], example: '', required: false },
  { key: 'lat', header: '纬度', aliases: ['lat'], example: '', required: false },
  { key: 'lon', header: '经度', aliases: ['lon'], example: '', required: false },
  { key: 'description', header: '地点描述', aliases: ['description'], example: '中山路与北京东路交叉口', required: false },
  { key: 'deviceId', header: '设备编号', aliases: ['deviceId'], example: 'SXJ-0001', required: false, note: '非现场记录必填' },
  { key: 'decidingOfficer', header: '处罚民警警号', aliases: ['decidingOfficer'], example: '', required: false, note: '现场记录必填' },
  { key: 'assistants', header: '协助人员警号', aliases: ['assistants'], example: '', required: false, note: '多人用“;”分隔' },
  { key: 'procedure', header: '程序', aliases: ['procedure'], example: '', required: false, note: '现场记录必填：简易 或 一般' },
  { key: 'party', header: '当事人类型', aliases: ['party'], example: '', required: false, note: '现场记录必填：机动车驾驶人、非机动车驾驶人、行人、乘车人' },
  { key: 'fineYuan', header: '罚款金额', aliases: ['fineYuan'], example: '', required: false, note: '元；现场记录必填（警告填0）' },
  { key: 'points', header: '记分', aliases: ['points'], example: '', required: false },
  { key: 'paymentMethod', header: '缴款方式', aliases: ['paymentMethod'], example: '', required: false, note: '银行、网上 或 当场收缴' },
  { key: 'receiptNo', header: '收据号', aliases: ['receiptNo'], example: '', required: false },
  { key: 'remoteArea', header: '边远地区', aliases: ['remoteArea'], example: '', required: false, note: '是/否' },
  { key: 'evidence', header: '证据', aliases: ['evidence'], example: 'photo|IMG-0001.jpg|', required: false, note: '类型|引用|SHA-256，多项用“;”分隔；类型：photo、video、bodyCam' },
  { key: 'driverName', header: '驾驶人姓名', aliases: ['driverName'], example: '', required: false },
  { key: 'driverIdNumber', header: '驾驶人身份证号', aliases: ['driverIdNumber'], example: '', required: false },
  { key: 'driverLicenceNo', header: '驾驶证号', aliases: ['driverLicenceNo'], example: '', required: false },
]);
type SheetValues = Record<(typeof RECORD_SHEET)[number]['key'], string>;

/** Rows per transaction: large enough for set-based SQL to pay off, small enough to stay flat in memory. */
export const IMPORT_CHUNK = 5000;
/** Above this many plates an import runs the detectors over everything instead of a key list. */
const FULL_RUN_FROM = 50_000;

const KIND: Record<string, string> = { 非现场: 'camera', 电子监控: 'camera', camera: 'camera', 现场: 'onSite', onsite: 'onSite', onSite: 'onSite' };
const PROCEDURE: Record<string, string> = { 简易: 'simple', 简易程序: 'simple', simple: 'simple', 一般: 'general', 一般程序: 'general', general: 'general' };
const PARTY: Record<string, string> = { 机动车驾驶人: 'motorVehicleDriver', 非机动车驾驶人: 'nonMotor', 行人: 'pedestrian', 乘车人: 'passenger' };
const PAYMENT: Record<string, string> = { 银行: 'bank', 银行缴纳: 'bank', 网上: 'online', 网上缴纳: 'online', 当场收缴: 'cashOnSpot', 现金: 'cashOnSpot' };
const VEHICLE_BY_LABEL: Record<string, VehicleType> = {
  小型载客汽车: 'smallPassenger', 小型汽车: 'smallPassenger', 大型载客汽车: 'largePassenger', 大型汽车: 'largePassenger',
  轻型货车: 'lightTruck', 中型货车: 'mediumTruck', 重型货车: 'heavyTruck', 牵引车: 'tractor', 挂车: 'trailer', 摩托车: 'motorcycle', 其他: 'other',
};

/**
 * National vehicle-type codes (GA 802 / GA 24.4 style: a letter and two digits). K1x/K2x large and
 * medium passenger, K3x/K4x small and mini passenger, H1x heavy, H2x medium, H3x/H4x light and
 * mini trucks, Q tractors, B/G trailers (semi and full), M motorcycles.
 */
export function vehicleTypeFromCode(code: string): VehicleType | undefined {
  const m = /^([KHQBGM])(\d)\d?$/.exec(code.toUpperCase());
  if (!m) return undefined;
  const [, letter, digit] = m;
  switch (letter) {
    case 'K':
      return digit === '1' || digit === '2' ? 'largePassenger' : 'smallPassenger';
    case 'H':
      return digit === '1' ? 'heavyTruck' : digit === '2' ? 'mediumTruck' : 'lightTruck';
    case 'Q':
      return 'tractor';
    case 'B':
    case 'G':
      return 'trailer';
    case 'M':
      return 'motorcycle';
    default:
      return undefined;
  }
}

const mapped = (table: Record<string, string>, v: string) => (v === '' ? undefined : (table[v] ?? table[v.toLowerCase()] ?? v));
const number = (v: string) => (v === '' ? undefined : Number.isFinite(Number(v)) ? Number(v) : v);
const list = (v: string) => v.split(/[;；,，、\s]+/).filter(Boolean);

/** A wall-clock time without offset is Beijing time, the time the brigade's systems write. */
export function withOffset(v: string): string {
  const s = v.trim().replace(' ', 'T');
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(s)) return `${s.length === 16 ? `${s}:00` : s}+08:00`;
  return s;
}

/** One sheet row → the intake shape; the intake's zod contract then checks every field. */
export function rowToInput(v: SheetValues): Record<string, unknown> {
  const place: Record<string, unknown> = { road: v.road };
  if (v.direction) place.direction = v.direction;
  if (v.km) place.km = number(v.km);
  if (v.lat) place.lat = number(v.lat);
  if (v.lon) place.lon = number(v.lon);
  if (v.description) place.description = v.description;
  const out: Record<string, unknown> = {
    externalId: v.externalId,
    kind: mapped(KIND, v.kind),
    plate: v.plate,
    vehicleType: VEHICLE_BY_LABEL[v.vehicleType] ?? vehicleTypeFromCode(v.vehicleType) ?? v.vehicleType,
    violationCode: v.violationCode,
    occurredAt: withOffset(v.occurredAt),
    place,
    assistants: list(v.assistants),
    remoteArea: v.remoteArea === '是' || v.remoteArea.toUpperCase() === 'TRUE',
    evidence: list(v.evidence.replace(/[,，、\s]+/g, ';')).map((item) => {
      const [kind, ref, sha256] = item.split('|');
      return { kind, ref, ...(sha256 ? { sha256 } : {}) };
    }),
  };
  if (v.deviceId) out.deviceId = v.deviceId;
  if (v.decidingOfficer) out.decidingOfficer = v.decidingOfficer;
  if (v.procedure) out.procedure = mapped(PROCEDURE, v.procedure);
  if (v.party) out.party = mapped(PARTY, v.party);
  if (v.fineYuan) out.fineYuan = number(v.fineYuan);
  if (v.points) out.points = number(v.points);
  if (v.paymentMethod) out.payment = { method: mapped(PAYMENT, v.paymentMethod), ...(v.receiptNo ? { receiptNo: v.receiptNo } : {}) };
  if (v.driverName || v.driverIdNumber || v.driverLicenceNo) {
    out.driver = {
      ...(v.driverName ? { name: v.driverName } : {}),
      ...(v.driverIdNumber ? { idNumber: v.driverIdNumber } : {}),
      ...(v.driverLicenceNo ? { licenceNo: v.driverLicenceNo } : {}),
    };
  }
  return out;
}

const FIELD_LABEL: Record<string, string> = Object.fromEntries(RECORD_SHEET.map((c) => [c.key, c.header]));
const fieldOf = (path: string) => {
  const head = path.split('.')[0]!;
  if (head === 'place') return FIELD_LABEL[path.split('.')[1] ?? 'road'] ?? '道路';
  if (head === 'payment') return path.endsWith('receiptNo') ? '收据号' : '缴款方式';
  if (head === 'driver') return { name: '驾驶人姓名', idNumber: '驾驶人身份证号', licenceNo: '驾驶证号' }[path.split('.')[1] ?? ''] ?? '驾驶人';
  return FIELD_LABEL[head] ?? path;
};

const isExampleRow = (v: SheetValues) => RECORD_SHEET.every((c) => v[c.key] === (c.example ?? ''));

export interface ImportProgress {
  rows: number;
}

export interface ImportOptions {
  onProgress?: (p: ImportProgress) => void;
  /** wait for the pattern detectors after the import (the CLI, which closes the database next) */
  awaitDetectors?: boolean;
}

/**
 * The pattern detectors run once, after the last chunk, for everything the file touched — not
 * after every chunk, which would re-aggregate the same checkpoints dozens of times while the
 * import still runs.
 */
export async function importRecords(db: Db, ctx: RequestContext, input: SheetInput, opts: ImportOptions = {}): Promise<RecordImportReport> {
  const report: RecordImportReport = { total: 0, created: 0, duplicates: 0, rejected: 0, outcomes: {}, errors: [], errorsTruncated: false };
  const touched: TouchedKeys = { plates: new Set(), officers: new Set(), checkpoints: new Set() };
  let everything = false;
  let chunk: Array<{ row: number; input: Record<string, unknown> }> = [];
  const flush = async () => {
    if (chunk.length === 0) return;
    const rows = chunk;
    chunk = [];
    const s = await ingestBatch(db, ctx, rows.map((r) => r.input), { skipDetectors: true });
    if (s.created > 0 && !everything) {
      for (const p of s.touched.plates) touched.plates.add(p);
      // a large file touches most of the brigade: one full run then, and no set of a million plates
      if (touched.plates.size > FULL_RUN_FROM) everything = true;
      for (const o of s.touched.officers) touched.officers.add(o);
      for (const c of s.touched.checkpoints) touched.checkpoints.add(c);
    }
    report.created += s.created;
    report.duplicates += s.duplicates;
    report.rejected += s.rejected;
    for (const [k, n] of Object.entries(s.outcomes)) report.outcomes[k] = (report.outcomes[k] ?? 0) + n;
    s.results.forEach((res, i) => {
      if (!('errors' in res)) return;
      for (const e of res.errors) {
        if (report.errors.length >= MAX_REPORTED_ROW_ERRORS) report.errorsTruncated = true;
        else report.errors.push({ row: rows[i]!.row, field: fieldOf(e.path), message: e.message });
      }
    });
    opts.onProgress?.({ rows: report.total });
  };
  // The last row read is held back until the next one arrives: when an upload is cut at the size
  // limit, that row may be cut too, and a cut row that still validates must not be stored (a later
  // complete copy would be ignored as a duplicate).
  let held: (typeof chunk)[number] | null = null;
  let lastRow = 1;
  for await (const { row, values } of readSheetRows(input, RECORD_SHEET)) {
    lastRow = row;
    if (isExampleRow(values)) continue;
    report.total += 1;
    if (held) chunk.push(held);
    held = { row, input: rowToInput(values) };
    if (chunk.length >= IMPORT_CHUNK) await flush();
  }
  const truncated = (input.stream as { truncated?: boolean }).truncated === true;
  if (held && !truncated) chunk.push(held);
  await flush();
  if (truncated) {
    // The rows before the cut are in (each chunk committed whole); say plainly where it stopped.
    if (held) report.total -= 1;
    report.errors.push({ row: held ? held.row : lastRow + 1, field: '文件', message: '文件超过上传大小限制，此行及之后的行未导入；请拆分文件或使用命令行导入' });
    report.errorsTruncated = true;
  }
  if (report.total === 0) throw badRequest('文件中没有数据行', [{ path: 'file', message: '文件为空' }]);
  if (report.created > 0) {
    const run = everything
      ? Promise.all([runDetectors(db, ctx, 'all'), runDeviceDetectors(db, ctx, 'all')]).then(() => undefined)
      : Promise.all([scheduleDetectors(db, touched), scheduleDeviceDetectors(db, touchedDevices(touched.checkpoints))]).then(() => undefined);
    if (opts.awaitDetectors) await run;
    // a detector failure must not fail an import that has committed
    else run.catch((e: unknown) => console.error('detectors failed after import', e));
  }
  return report;
}
