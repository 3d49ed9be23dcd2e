import { sql } from 'kysely';
import { z } from 'zod';
import { badgeNo, personName, phone, position, type ImportReport } from '../../contracts/org.ts';
import type { Db } from '../../platform/db/database.ts';
import { inTransaction } from '../../platform/db/tx.ts';
import { badRequest, conflict, pgErrorCode, PG_UNIQUE_VIOLATION } from '../../platform/http/errors.ts';
import { invalidatePrincipals } from '../../platform/authz/principal-cache.ts';
import { defineColumns, readSheetRows, SheetError, type SheetInput } from '../../platform/sheets/index.ts';
import { record, type RequestContext, type LedgerRecord } from '../ledger/ledger.service.ts';
import type { OrgTables } from './org.tables.ts';

const t = (db: Db) => db.withTables<OrgTables>();

export const PERSON_SHEET = defineColumns([
  { key: 'name', header: '姓名', example: '张伟', note: '必填' },
  { key: 'badgeNo', header: '警号', example: '010234', note: '必填，4-12位字母或数字；已存在的警号会按本行更新' },
  { key: 'category', header: '类别', aliases: ['人员类别'], example: '民警', note: '必填：民警 或 辅警' },
  { key: 'unit', header: '所属单位', aliases: ['单位', '单位名称'], example: '一中队', note: '必填：单位名称（重名时填机构代码）' },
  { key: 'position', header: '职务', example: '中队长', required: false },
  { key: 'phone', header: '手机号', aliases: ['联系电话', '电话'], example: '13800138000', required: false },
]);

export const MAX_IMPORT_ROWS = 10_000;

const isTruncated = (input: SheetInput) => (input.stream as { truncated?: boolean }).truncated === true;
const tooLarge = () => badRequest('上传文件超过大小限制（50 MB）', [{ path: 'file', message: '文件过大' }]);

const CATEGORY_BY_LABEL: Record<string, 'police' | 'auxiliary'> = { 民警: 'police', 辅警: 'auxiliary', police: 'police', auxiliary: 'auxiliary' };

const rowSchema = z.object({
  name: personName,
  badgeNo,
  position: position.transform((v) => v || null),
  phone: z.preprocess((v) => (v === '' ? null : v), phone).transform((v) => v ?? null),
});

interface ValidRow {
  row: number;
  name: string;
  badge_no: string;
  category: 'police' | 'auxiliary';
  unit_id: number;
  position: string | null;
  phone: string | null;
}

/** The template's example row (张伟, 010234, …): sent back with the filled-in rows, it is not a person. */
const isExampleRow = (values: Record<string, string>) => PERSON_SHEET.every((c) => values[c.key] === (c.example ?? ''));

const FIELD_LABEL: Record<string, string> = { name: '姓名', badgeNo: '警号', category: '类别', unit: '所属单位', position: '职务', phone: '手机号' };

/**
 * Imports personnel from a sheet. Every row is checked first; then all valid rows go in together
 * in one transaction, so a failure leaves nothing half-written. Idempotent on 警号: a row for an
 * existing badge number updates that person, and re-importing the same file changes nothing.
 */
export async function importPeople(db: Db, ctx: RequestContext, input: SheetInput): Promise<ImportReport> {
  const scope = ctx.principal.scope;
  const units = await t(db).selectFrom('units').select(['id', 'name', 'code', 'active']).execute();
  const usable = units.filter((u) => u.active && (scope.all || scope.unitIds.includes(u.id)));
  const errors: ImportReport['errors'] = [];
  const valid: ValidRow[] = [];
  const firstRowOfBadge = new Map<string, number>();
  let total = 0;

  try {
    for await (const { row, values } of readSheetRows(input, PERSON_SHEET)) {
      if (isExampleRow(values)) continue;
      total += 1;
      if (total > MAX_IMPORT_ROWS) throw badRequest(`一次最多导入 ${MAX_IMPORT_ROWS} 行，请拆分文件`);
      const rowErrors: Array<{ field: string; message: string }> = [];
      const parsed = rowSchema.safeParse(values);
      if (!parsed.success) for (const i of parsed.error.issues) rowErrors.push({ field: FIELD_LABEL[String(i.path[0])] ?? String(i.path[0]), message: i.message });
      const category = CATEGORY_BY_LABEL[values.category];
      if (!category) rowErrors.push({ field: '类别', message: values.category ? `“${values.category}”不是有效类别，应为民警或辅警` : '类别不能为空' });
      const byCode = usable.filter((u) => u.code !== null && u.code === values.unit);
      const byName = usable.filter((u) => u.name === values.unit);
      const unitMatches = byCode.length > 0 ? byCode : byName;
      if (!values.unit) rowErrors.push({ field: '所属单位', message: '所属单位不能为空' });
      else if (unitMatches.length === 0) rowErrors.push({ field: '所属单位', message: `找不到在用的单位“${values.unit}”，或不在您的数据权限内` });
      else if (unitMatches.length > 1) rowErrors.push({ field: '所属单位', message: `单位名称“${values.unit}”有重名，请填写机构代码` });
      // Only a row that would go in claims its badge number: a rejected row does not block a later good one.
      if (parsed.success && rowErrors.length === 0) {
        const seen = firstRowOfBadge.get(parsed.data.badgeNo);
        if (seen !== undefined) rowErrors.push({ field: '警号', message: `与第 ${seen} 行警号重复` });
        else firstRowOfBadge.set(parsed.data.badgeNo, row);
      }
      if (rowErrors.length > 0 || !parsed.success || !category || unitMatches.length !== 1) {
        errors.push(...rowErrors.map((e) => ({ row, ...e })));
        continue;
      }
      valid.push({ row, name: parsed.data.name, badge_no: parsed.data.badgeNo, category, unit_id: unitMatches[0]!.id, position: parsed.data.position, phone: parsed.data.phone });
    }
  } catch (e) {
    if (isTruncated(input)) throw tooLarge();
    if (e instanceof SheetError) throw badRequest(e.message, [{ path: 'file', message: e.message }]);
    throw e;
  }
  // A multipart upload cut at the size limit ends like a shorter file: refuse it before writing.
  if (isTruncated(input)) throw tooLarge();

  let created = 0;
  let updated = 0;
  let unchangedCount = 0;
  await inTransaction(db, async (trx) => {
    // One query for every badge number in the file: never one per row.
    const existing = valid.length === 0 ? [] : await t(trx)
      .selectFrom('personnel')
      .select(['id', 'badge_no', 'name', 'category', 'unit_id', 'position', 'phone'])
      .where('badge_no', '=', sql<string>`ANY(${valid.map((v) => v.badge_no)})`)
      .execute();
    const byBadge = new Map(existing.map((p) => [p.badge_no, p]));
    const creates: ValidRow[] = [];
    const updates: Array<ValidRow & { id: number; before: (typeof existing)[number] }> = [];
    let unchanged = 0;
    for (const v of valid) {
      const old = byBadge.get(v.badge_no);
      if (!old) creates.push(v);
      else if (!scope.all && !scope.unitIds.includes(old.unit_id)) errors.push({ row: v.row, field: '警号', message: '该警号属于您数据权限以外的人员，不能更新' });
      else if (old.name === v.name && old.category === v.category && old.unit_id === v.unit_id && old.position === v.position && old.phone === v.phone) unchanged += 1;
      else updates.push({ ...v, id: old.id, before: old });
    }
    const ledger: LedgerRecord[] = [];
    for (let i = 0; i < creates.length; i += 1000) {
      const chunk = creates.slice(i, i + 1000);
      const ids = await t(trx)
        .insertInto('personnel')
        .values(chunk.map(({ row: _row, ...p }) => p))
        .returning(['id', 'badge_no'])
        .execute();
      const idOf = new Map(ids.map((r) => [r.badge_no, r.id]));
      for (const { row: _row, ...p } of chunk) ledger.push({ action: 'org.person.create', subjectType: 'person', subjectId: idOf.get(p.badge_no)!, payload: { after: p, via: 'import' } });
    }
    if (updates.length > 0) {
      const data = JSON.stringify(updates.map((u) => ({ id: u.id, name: u.name, category: u.category, unit_id: u.unit_id, position: u.position, phone: u.phone })));
      await sql`
        UPDATE personnel p SET name = v.name, category = v.category, unit_id = v.unit_id,
               position = v.position, phone = v.phone, updated_at = now()
        FROM jsonb_to_recordset(${data}::jsonb) AS v(id int, name text, category text, unit_id int, position text, phone text)
        WHERE p.id = v.id`.execute(trx);
      for (const { row: _row, before, ...u } of updates) ledger.push({ action: 'org.person.update', subjectType: 'person', subjectId: u.id, payload: { before, after: u, via: 'import' } });
    }
    ledger.push({ action: 'org.person.import', subjectType: 'import', subjectId: input.filename.slice(0, 200), payload: { total, created: creates.length, updated: updates.length, unchanged, rejectedRows: new Set(errors.map((e) => e.row)).size } });
    await record(trx, ctx, ...ledger);
    created = creates.length;
    updated = updates.length;
    unchangedCount = unchanged;
  }).catch((e: unknown) => {
    if (pgErrorCode(e) === PG_UNIQUE_VIOLATION) throw conflict('导入期间有人同时录入了相同警号的人员，请重新导入');
    throw e;
  });
  invalidatePrincipals();

  errors.sort((a, b) => a.row - b.row);
  return { total, created, updated, unchanged: unchangedCount, rejected: new Set(errors.map((e) => e.row)).size, errors };
}
