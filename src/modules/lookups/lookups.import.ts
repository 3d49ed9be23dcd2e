// CSV/XLSX import of look-ups, streaming: rows are read one at a time, mapped from the flat sheet
// columns to the intake shape, and sent through the batch path in chunks, so a file of millions
// of rows never sits in memory. Each chunk is one transaction; a bad row is reported with its row
// number and never stored; re-importing a file creates nothing twice (externalId). The detection
// rules run once, after the last chunk, for everything the file touched.
import { MAX_REPORTED_LOOKUP_ERRORS, PURPOSE_CATEGORIES, QUERY_TYPES, type LookupImportReport } from '../../contracts/lookups.ts';
import type { Db } from '../../platform/db/database.ts';
import { badRequest } from '../../platform/http/errors.ts';
import { defineColumns, readSheetRows, SheetError, type SheetInput } from '../../platform/sheets/index.ts';
import type { RequestContext } from '../ledger/ledger.service.ts';
import { withOffset } from '../enforcement/records.import.ts';
import { emptyTouched, ingestLookups, mergeTouched, type AfterCommit } from './intake.service.ts';
import type { SubjectKeys } from './subject-crypto.ts';

export const LOOKUP_SHEET = defineColumns([
  { key: 'externalId', header: '外部编号', aliases: ['externalId', '日志编号'], example: 'CX-20261001-0001', note: '必填，查询日志中的唯一编号；重复导入不会重复入库' },
  { key: 'at', header: '查询时间', aliases: ['at'], example: '2026-10-01 08:30:00', note: '北京时间；也可带时区的 ISO 8601' },
  { key: 'account', header: '查询账号', aliases: ['account', '警号'], example: '010234', note: '必填，查询人的警号（公安网登录账号）' },
  { key: 'certificateId', header: '数字证书编号', aliases: ['certificateId', '数字证书'], example: 'CERT-010234' },
  { key: 'terminalId', header: '终端编号', aliases: ['terminalId'], example: 'PC-YZD-01' },
  { key: 'terminalIp', header: '终端IP', aliases: ['terminalIp', 'IP'], example: '10.1.2.3' },
  { key: 'terminalUnit', header: '终端所属单位', aliases: ['terminalUnit'], example: '', required: false, note: '单位名称或机构代码' },
  { key: 'queryType', header: '查询类型', aliases: ['queryType'], example: '机动车信息', note: `${Object.values(QUERY_TYPES).join('、')}（或英文代码）` },
  { key: 'plate', header: '号牌号码', aliases: ['plate', '号牌'], example: '苏A12345', required: false, note: '号牌、身份证号、姓名至少填一项' },
  { key: 'idNumber', header: '身份证号', aliases: ['idNumber'], example: '', required: false },
  { key: 'name', header: '姓名', aliases: ['name', '查询对象姓名'], example: '', required: false },
  { key: 'purposeCategory', header: '查询事由类别', aliases: ['purposeCategory', '事由类别'], example: '路面检查', required: false, note: `${Object.values(PURPOSE_CATEGORIES).join('、')}；不填视为未说明事由` },
  { key: 'purposeText', header: '查询事由', aliases: ['purposeText', '事由说明'], example: '', required: false },
  { key: 'caseRef', header: '关联编号', aliases: ['caseRef'], example: '', required: false, note: '执法记录、案件或现场检查的编号' },
  { key: 'resultCount', header: '返回条数', aliases: ['resultCount'], example: '1', required: false },
]);
type SheetValues = Record<(typeof LOOKUP_SHEET)[number]['key'], string>;

export const LOOKUP_IMPORT_CHUNK = 5000;
const QUERY_TYPE_BY_LABEL: Record<string, string> = Object.fromEntries(Object.entries(QUERY_TYPES).map(([k, v]) => [v, k]));

/** One sheet row → the intake shape; the intake's zod contract then checks every field. */
export function sheetRowToLookup(v: SheetValues): Record<string, unknown> {
  const subject: Record<string, string> = {};
  if (v.plate) subject.plate = v.plate;
  if (v.idNumber) subject.idNumber = v.idNumber;
  if (v.name) subject.name = v.name;
  const out: Record<string, unknown> = {
    externalId: v.externalId,
    at: withOffset(v.at),
    account: v.account,
    certificateId: v.certificateId,
    terminal: { id: v.terminalId, ip: v.terminalIp },
    queryType: QUERY_TYPE_BY_LABEL[v.queryType] ?? v.queryType,
    subject,
  };
  if (v.terminalUnit) out.terminalUnit = v.terminalUnit;
  if (v.purposeCategory) out.purpose = { category: v.purposeCategory, text: v.purposeText };
  if (v.caseRef) out.caseRef = v.caseRef;
  if (v.resultCount) out.resultCount = Number.isFinite(Number(v.resultCount)) ? Number(v.resultCount) : v.resultCount;
  return out;
}

const FIELD_LABEL: Record<string, string> = Object.fromEntries(LOOKUP_SHEET.map((c) => [c.key, c.header]));
const fieldOf = (path: string) => {
  const [head, sub] = path.split('.');
  if (head === 'terminal') return sub === 'ip' ? '终端IP' : '终端编号';
  if (head === 'subject') return sub ? (FIELD_LABEL[sub] ?? '查询对象') : '查询对象';
  if (head === 'purpose') return sub === 'text' ? '查询事由' : '查询事由类别';
  return FIELD_LABEL[head ?? ''] ?? path;
};
const isExampleRow = (v: SheetValues) => LOOKUP_SHEET.every((c) => v[c.key] === (c.example ?? ''));

export interface LookupImportOptions {
  onProgress?: (p: { rows: number }) => void;
  /** the detection rules, run once after the last chunk */
  afterImport?: AfterCommit;
  /** wait for them (the CLI, which closes the database next) */
  awaitAfterImport?: boolean;
}

/** The whole report, verdict counts included (the HTTP route leaves those out for a feed). */
export type FullLookupImportReport = LookupImportReport & Required<Pick<LookupImportReport, 'justified' | 'unjustified' | 'unknownAccounts'>>;

export async function importLookups(db: Db, ctx: RequestContext, keys: SubjectKeys, input: SheetInput, opts: LookupImportOptions = {}): Promise<FullLookupImportReport> {
  const report: FullLookupImportReport = { total: 0, created: 0, duplicates: 0, rejected: 0, justified: 0, unjustified: 0, unknownAccounts: 0, errors: [], errorsTruncated: false };
  const touched = emptyTouched();
  let chunk: Array<{ row: number; input: Record<string, unknown> }> = [];
  const flush = async () => {
    if (chunk.length === 0) return;
    const rows = chunk;
    chunk = [];
    const s = await ingestLookups(db, ctx, keys, rows.map((r) => r.input));
    mergeTouched(touched, s.touched);
    report.created += s.created;
    report.duplicates += s.duplicates;
    report.rejected += s.rejected;
    report.justified += s.justified;
    report.unjustified += s.unjustified;
    report.unknownAccounts += s.unknownAccounts;
    s.results.forEach((res, i) => {
      if (!('errors' in res)) return;
      for (const e of res.errors) {
        if (report.errors.length >= MAX_REPORTED_LOOKUP_ERRORS) report.errorsTruncated = true;
        else report.errors.push({ row: rows[i]!.row, field: fieldOf(e.path), message: e.message });
      }
    });
    opts.onProgress?.({ rows: report.total });
  };
  // The last row read is held back until the next one arrives: when an upload is cut at the size
  // limit, that row may be cut too, and a cut row that still validates must not be stored (a later
  // complete copy would then be ignored as a duplicate).
  let held: { row: number; input: Record<string, unknown> } | null = null;
  let lastRow = 1;
  try {
    for await (const { row, values } of readSheetRows(input, LOOKUP_SHEET)) {
      lastRow = row;
      if (isExampleRow(values)) continue;
      report.total += 1;
      if (held) chunk.push(held);
      held = { row, input: sheetRowToLookup(values) };
      if (chunk.length >= LOOKUP_IMPORT_CHUNK) await flush();
    }
  } catch (e) {
    // chunks before the failure are committed whole; say where reading stopped (the sheet's row)
    if (e instanceof SheetError && report.total > 0) {
      if (held) chunk.push(held);
      await flush();
      report.errors.push({ row: lastRow + 1, field: '文件', message: `${e.message}：此行及之后的行未导入` });
      report.errorsTruncated = true;
      await runAfter();
      return report;
    }
    if (e instanceof SheetError) throw badRequest(e.message, [{ path: 'file', message: e.message }]);
    throw e;
  }
  const truncated = (input.stream as { truncated?: boolean }).truncated === true;
  if (held && !truncated) chunk.push(held);
  await flush();
  if (truncated) {
    const from = held ? held.row : lastRow + 1;
    if (held) report.total -= 1;
    report.errors.push({ row: from, field: '文件', message: '文件超过上传大小限制，此行及之后的行未导入；请拆分文件或使用命令行导入' });
    report.errorsTruncated = true;
  }
  if (report.total === 0) throw badRequest('文件中没有数据行', [{ path: 'file', message: '文件为空' }]);
  await runAfter();
  return report;

  async function runAfter() {
    if (report.created === 0 || !opts.afterImport) return;
    const run = opts.afterImport(touched);
    if (opts.awaitAfterImport) await run;
    // a detection failure must not fail an import that has committed
    else run.catch((e: unknown) => console.error('look-up detection failed after import', e));
  }
}
