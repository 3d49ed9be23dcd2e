// Device registry import (.xlsx/.csv): one row per device, new ids registered, known ids updated.
// All or nothing, as the catalogue import: when any row is bad, the report names each bad row and
// field and nothing is written; otherwise every changed device gets its next revision, ledgered
// with the import's document number, and every change that shrinks a device's lawful window
// raises its retroactive finding.
import { DEVICE_STATUSES, DEVICE_TYPES, checkDeviceDates, deviceCreate, type DeviceImportReport } from '../../contracts/devices.ts';
import type { Db } from '../../platform/db/database.ts';
import { inTransaction } from '../../platform/db/tx.ts';
import { badRequest, conflict, pgErrorCode, PG_UNIQUE_VIOLATION } from '../../platform/http/errors.ts';
import { defineColumns, readSheetRows, SheetError, type SheetInput } from '../../platform/sheets/index.ts';
import { loadCatalogue } from '../catalogue/catalogue.service.ts';
import type { RequestContext } from '../ledger/ledger.service.ts';
import { unitTree } from '../org/units.service.ts';
import { parseDay } from '../catalogue/catalogue.sheet.ts';
import { changedFields, devicesByIds, saveRevisions, stateOf, withArchivedCertificate, type DeviceRecord, type RevisionWrite } from './devices.service.ts';
import { retroactiveFindings, type DeviceChange } from './devices.retro.ts';

export const MAX_DEVICE_ROWS = 5_000;

const TYPE_LIST = Object.values(DEVICE_TYPES).join('、');
const STATUS_LIST = Object.values(DEVICE_STATUSES).join('、');

export const DEVICE_SHEET = defineColumns([
  { key: 'id', header: '设备编号', example: 'SXJ-9001', note: '必填：字母、数字、-、_、.，不超过40位；已登记的编号按本行更新' },
  { key: 'type', header: '设备类型', example: DEVICE_TYPES.redLight, note: `必填：${TYPE_LIST}` },
  { key: 'road', header: '道路', example: '（示例行，请删除）中山路', note: '必填' },
  { key: 'direction', header: '方向', example: '由南向北', required: false },
  { key: 'km', header: '公里桩', example: '1.2', required: false, note: '选填：数字' },
  { key: 'lat', header: '纬度', example: '32.0452', required: false },
  { key: 'lon', header: '经度', example: '118.7841', required: false },
  { key: 'description', header: '地点描述', example: '中山路与汉中路交叉口', required: false },
  { key: 'unit', header: '管理单位', example: '一中队', note: '必填：单位名称或单位编码（须在您的数据权限内）' },
  { key: 'codes', header: '准许抓拍违法代码', example: '1625,1345', note: '必填：多个代码以逗号、顿号或空格分隔，须在当前违法代码目录中' },
  { key: 'legalDate', header: '法制审核日期', example: '2025-01-06', required: false, note: '选填：YYYY-MM-DD；与文号、审核人一并填写' },
  { key: 'legalDoc', header: '法制审核文号', example: '法审〔2025〕3号', required: false },
  { key: 'legalBy', header: '法制审核人', example: '法制大队', required: false },
  { key: 'techDate', header: '技术审核日期', example: '2025-01-08', required: false },
  { key: 'techDoc', header: '技术审核文号', example: '技审〔2025〕3号', required: false },
  { key: 'techBy', header: '技术审核人', example: '科技科', required: false },
  { key: 'announceDate', header: '公告日期', example: '2025-01-10', required: false, note: '选填：向社会公布设置地点的日期' },
  { key: 'announceChannel', header: '公告渠道', example: '支队官网', required: false },
  { key: 'announceUrl', header: '公告链接', example: '', required: false },
  { key: 'signage', header: '警示标志', example: '是', note: '必填：是 或 否' },
  { key: 'signageM', header: '标志距离(米)', example: '50', required: false },
  { key: 'certNo', header: '检定证书编号', example: '', required: false, note: '测速设备必填（计量检定）' },
  { key: 'certFrom', header: '检定有效期起', example: '', required: false },
  { key: 'certTo', header: '检定有效期止', example: '', required: false },
  { key: 'police', header: '民警操作', example: '否', required: false, note: '移动测速设备须为“是”' },
  { key: 'status', header: '状态', example: DEVICE_STATUSES.active, note: `必填：${STATUS_LIST}` },
  { key: 'statusFrom', header: '状态生效日期', example: '2025-01-17', note: '必填：YYYY-MM-DD' },
  { key: 'statusReason', header: '状态原因', example: '公告期满启用', note: '必填' },
]);

type Key = (typeof DEVICE_SHEET)[number]['key'];
type Values = Record<Key, string>;
const LABEL = Object.fromEntries(DEVICE_SHEET.map((c) => [c.key, c.header])) as Record<Key, string>;
const isExampleRow = (v: Values) => DEVICE_SHEET.every((c) => v[c.key] === (c.example ?? ''));

const TYPE_BY_TEXT = new Map<string, string>(Object.entries(DEVICE_TYPES).flatMap(([k, label]) => [[label, k], [k.toLowerCase(), k]]));
const STATUS_BY_TEXT = new Map<string, string>(Object.entries(DEVICE_STATUSES).flatMap(([k, label]) => [[label, k], [k, k]]));
const YES = new Set(['是', 'y', 'yes', 'true', '1']);
const NO = new Set(['否', 'n', 'no', 'false', '0', '']);

/** Where a body path's problem shows in the sheet. */
const FIELD_OF: Array<[RegExp, Key]> = [
  [/^id/, 'id'], [/^type/, 'type'], [/^location\.road/, 'road'], [/^location\.direction/, 'direction'], [/^location\.km/, 'km'], [/^location\.lat/, 'lat'], [/^location\.lon/, 'lon'], [/^location\.description/, 'description'],
  [/^owningUnitId/, 'unit'], [/^allowedCodes/, 'codes'], [/^legalReview\.date/, 'legalDate'], [/^legalReview\.documentNo/, 'legalDoc'], [/^legalReview/, 'legalBy'],
  [/^technicalReview\.date/, 'techDate'], [/^technicalReview\.documentNo/, 'techDoc'], [/^technicalReview/, 'techBy'], [/^announcement\.date/, 'announceDate'], [/^announcement\.url/, 'announceUrl'], [/^announcement/, 'announceChannel'],
  [/^signage\.distanceM/, 'signageM'], [/^signage/, 'signage'], [/^verification\.certificateNo/, 'certNo'], [/^verification\.validFrom/, 'certFrom'], [/^verification/, 'certTo'], [/^policeOperated/, 'police'],
  [/^status\.from/, 'statusFrom'], [/^statusHistory/, 'statusFrom'], [/^status\.reason/, 'statusReason'], [/^status/, 'status'],
];
const fieldOf = (path: string) => LABEL[FIELD_OF.find(([re]) => re.test(path))?.[1] ?? 'id'];

type RowError = DeviceImportReport['errors'][number];

/** One sheet row → the create body (without basis), or its errors. Pure but for the lookups passed in. */
export function parseRow(v: Values, units: Map<string, number>, knownCodes: Set<string>, documentNo: string): { ok: true; record: DeviceRecord } | { ok: false; errors: Array<{ field: string; message: string }> } {
  const errors: Array<{ field: string; message: string }> = [];
  const fail = (key: Key, message: string) => errors.push({ field: LABEL[key], message });
  const num = (key: Key) => {
    if (v[key] === '') return undefined;
    const n = Number(v[key]);
    if (!Number.isFinite(n)) fail(key, `${LABEL[key]}“${v[key]}”不是数字`);
    return Number.isFinite(n) ? n : undefined;
  };
  const day = (key: Key) => {
    if (v[key] === '') return undefined;
    const p = parseDay(v[key], LABEL[key]);
    if (!p.ok) fail(key, p.message);
    return p.ok ? p.value : undefined;
  };
  const yesNo = (key: Key) => {
    const t = v[key].toLowerCase();
    if (YES.has(t)) return true;
    if (NO.has(t)) return false;
    fail(key, `“${v[key]}”无效，应为是或否`);
    return false;
  };
  const group = <T>(keys: Key[], build: () => T): T | null => (keys.every((k) => v[k] === '') ? null : build());

  const type = TYPE_BY_TEXT.get(v.type) ?? TYPE_BY_TEXT.get(v.type.toLowerCase());
  if (!type) fail('type', v.type === '' ? '设备类型不能为空' : `“${v.type}”不是有效设备类型，应为：${TYPE_LIST}`);
  const unitId = units.get(v.unit);
  if (v.unit === '') fail('unit', '管理单位不能为空');
  else if (unitId === undefined) fail('unit', `管理单位“${v.unit}”不存在或超出您的数据权限`);
  const codes = v.codes.split(/[\s,，、;；]+/).filter(Boolean).map((c) => c.toUpperCase());
  for (const c of codes) if (/^[0-9A-Z]{1,10}$/.test(c) && !knownCodes.has(c)) fail('codes', `违法代码${c}不在当前违法代码目录中`);
  const status = STATUS_BY_TEXT.get(v.status);
  if (!status) fail('status', v.status === '' ? '状态不能为空' : `“${v.status}”无效，应为：${STATUS_LIST}`);

  const body = {
    id: v.id,
    type: type ?? 'other',
    location: { road: v.road, direction: v.direction || undefined, km: num('km'), lat: num('lat'), lon: num('lon'), description: v.description || undefined },
    owningUnitId: unitId ?? 1,
    allowedCodes: codes,
    legalReview: group(['legalDate', 'legalDoc', 'legalBy'], () => ({ date: day('legalDate') ?? v.legalDate, documentNo: v.legalDoc, reviewer: v.legalBy })),
    technicalReview: group(['techDate', 'techDoc', 'techBy'], () => ({ date: day('techDate') ?? v.techDate, documentNo: v.techDoc, reviewer: v.techBy })),
    announcement: group(['announceDate', 'announceChannel', 'announceUrl'], () => ({ date: day('announceDate') ?? v.announceDate, channel: v.announceChannel, ...(v.announceUrl ? { url: v.announceUrl } : {}) })),
    signage: { present: yesNo('signage'), ...(v.signageM !== '' ? { distanceM: num('signageM') } : {}) },
    verification: group(['certNo', 'certFrom', 'certTo'], () => ({ certificateNo: v.certNo, validFrom: day('certFrom') ?? v.certFrom, validTo: day('certTo') ?? v.certTo })),
    policeOperated: yesNo('police'),
    status: { status: status ?? 'active', from: day('statusFrom') ?? v.statusFrom, reason: v.statusReason, documentNo },
    basis: { documentNo },
  };
  const parsed = deviceCreate.safeParse(body);
  if (!parsed.success) {
    const seen = new Set(errors.map((e) => e.field));
    for (const issue of parsed.error.issues) {
      const field = fieldOf(issue.path.map(String).join('.'));
      // a field already reported by the sheet parsing (bad date, unknown type) is reported once
      if (!seen.has(field)) errors.push({ field, message: issue.message });
      seen.add(field);
    }
  }
  if (errors.length > 0 || !parsed.success) return { ok: false, errors };
  const d = parsed.data;
  return { ok: true, record: { id: d.id, type: d.type, location: d.location, owningUnitId: d.owningUnitId, allowedCodes: d.allowedCodes, legalReview: d.legalReview, technicalReview: d.technicalReview, announcement: d.announcement, signage: d.signage, verification: d.verification, verificationHistory: d.verificationHistory, policeOperated: d.policeOperated, statusHistory: [d.status] } };
}

/** The import's record of a known device: the sheet's fields, its history kept, a new status appended when it differs. */
function merged(existing: DeviceRecord, row: DeviceRecord): DeviceRecord {
  const status = row.statusHistory[0]!;
  const last = [...existing.statusHistory].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0)).at(-1);
  const sameStatus = last && last.status === status.status && last.from === status.from;
  const next = { ...row, verificationHistory: existing.verificationHistory, statusHistory: sameStatus ? existing.statusHistory : [...existing.statusHistory, status] };
  return withArchivedCertificate(existing, next, false);
}

export async function importDevices(db: Db, ctx: RequestContext, input: SheetInput, documentNo: string, now = Date.now()): Promise<DeviceImportReport> {
  const scope = ctx.principal.scope;
  const [tree, catalogue] = await Promise.all([unitTree(db, scope), loadCatalogue(db)]);
  const units = new Map<string, number>();
  for (const u of tree) {
    units.set(u.name, u.id);
    if (u.code) units.set(u.code, u.id);
  }
  const knownCodes = new Set(catalogue.codes());
  const errors: RowError[] = [];
  const rows: Array<{ row: number; record: DeviceRecord }> = [];
  let total = 0;
  try {
    for await (const { row, values } of readSheetRows(input, DEVICE_SHEET)) {
      if (isExampleRow(values)) continue;
      total += 1;
      if (total > MAX_DEVICE_ROWS) throw badRequest(`一次最多导入 ${MAX_DEVICE_ROWS} 台设备`, [{ path: 'file', message: '行数过多' }]);
      const parsed = parseRow(values, units, knownCodes, documentNo);
      if (parsed.ok) rows.push({ row, record: parsed.record });
      else errors.push(...parsed.errors.map((e) => ({ row, ...e })));
    }
  } catch (e) {
    if (e instanceof SheetError) throw badRequest(e.message, [{ path: 'file', message: e.message }]);
    throw e;
  }
  if (total === 0) throw badRequest('文件中没有设备（模板示例行不计）', [{ path: 'file', message: '没有数据行' }]);
  const firstRow = new Map<string, number>();
  for (const r of rows) {
    const earlier = firstRow.get(r.record.id);
    if (earlier !== undefined) errors.push({ row: r.row, field: LABEL.id, message: `设备编号${r.record.id}与第${earlier}行重复` });
    else firstRow.set(r.record.id, r.row);
  }
  errors.sort((a, b) => a.row - b.row);
  const rejected = new Set(errors.map((e) => e.row)).size;
  if (errors.length > 0) return { total, created: 0, updated: 0, unchanged: 0, rejected, errors };

  return inTransaction(db, async (trx) => {
    const existing = await devicesByIds(trx, rows.map((r) => r.record.id));
    const writes: RevisionWrite[] = [];
    const findings: DeviceChange[] = [];
    let created = 0;
    let updated = 0;
    let unchanged = 0;
    for (const { row, record } of rows) {
      const known = existing.get(record.id);
      if (!known) {
        created++;
        writes.push({ record, revision: 1, kind: 'import', basis: { documentNo, note: `导入第${row}行` }, changed: [] });
        continue;
      }
      if (!(scope.all || scope.unitIds.includes(known.record.owningUnitId))) {
        errors.push({ row, field: LABEL.id, message: `设备${record.id}属于您数据权限以外的单位，不能更新` });
        continue;
      }
      const next = merged(known.record, record);
      // the row alone passed its checks; the merged record (stored history + the row's status) must
      // too, or an import could reactivate a removed device or date a review after its removal
      const dates = checkDeviceDates(next);
      if (dates.length > 0) {
        errors.push(...dates.map((i) => ({ row, field: fieldOf(i.path.join('.')), message: i.message })));
        continue;
      }
      const changed = changedFields(known.record, next);
      if (changed.length === 0) {
        unchanged++;
        continue;
      }
      updated++;
      writes.push({ record: next, revision: known.revision + 1, kind: 'import', basis: { documentNo, note: `导入第${row}行` }, changed });
      findings.push({ before: stateOf(known.record, known.revision), after: stateOf(next, known.revision + 1), owningUnitId: next.owningUnitId, documentNo, now });
    }
    if (errors.length > 0) return { total, created: 0, updated: 0, unchanged: 0, rejected: new Set(errors.map((e) => e.row)).size, errors };
    await saveRevisions(trx, ctx, writes);
    await retroactiveFindings(trx, ctx, findings);
    return { total, created, updated, unchanged, rejected: 0, errors: [] };
  }).catch((e: unknown) => {
    // a device created or changed by someone else while this import ran: its revision collides
    if (pgErrorCode(e) === PG_UNIQUE_VIOLATION) throw conflict('导入期间有人同时登记或修改了其中的设备，请重新导入');
    throw e;
  });
}
