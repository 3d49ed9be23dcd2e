// The duty roster (值班/请假): imported from the brigade's XLSX/CSV roster, read by the off-duty
// and leaver rules. Every row is checked first (警号 known and in the importer's data scope, times
// valid, kinds 值班/请假); then all valid rows go in with one INSERT … ON CONFLICT DO NOTHING, so
// re-importing a roster adds nothing. One ledger entry per import.
import { sql } from 'kysely';
import type { z } from 'zod';
import type { Page } from '../../contracts/common.ts';
import { type DutyKind, type RosterEntry, type RosterImportReport, type rosterQuery } from '../../contracts/lookups.ts';
import type { ResolvedScope } from '../../platform/authz/principal.ts';
import { inScope } from '../../platform/authz/scope.ts';
import type { Db } from '../../platform/db/database.ts';
import { inTransaction } from '../../platform/db/tx.ts';
import { totalCount, totalOf } from '../../platform/db/paging.ts';
import { badRequest } from '../../platform/http/errors.ts';
import { defineColumns, readSheetRows, SheetError, type SheetInput } from '../../platform/sheets/index.ts';
import { record, type RequestContext } from '../ledger/ledger.service.ts';
import { peopleByBadge } from '../org/personnel.service.ts';
import { iso, lt } from './lookups.query.ts';
import { peopleByIds } from './people.ts';

export const ROSTER_SHEET = defineColumns([
  { key: 'badgeNo', header: '警号', aliases: ['badgeNo'], example: '010234', note: '必填，在册人员的警号' },
  { key: 'from', header: '开始时间', aliases: ['from', '起始时间'], example: '2026-10-01 08:00', note: '北京时间；只填日期表示当天0点' },
  { key: 'to', header: '结束时间', aliases: ['to', '截止时间'], example: '2026-10-01 20:00', note: '北京时间；只填日期表示当天结束（次日0点）' },
  { key: 'kind', header: '类型', aliases: ['kind'], example: '值班', note: '值班 或 请假' },
]);

export const MAX_ROSTER_ROWS = 50_000;
const KIND_BY_LABEL: Record<string, DutyKind> = { 值班: 'onDuty', 在岗: 'onDuty', 上班: 'onDuty', onDuty: 'onDuty', 请假: 'leave', 休假: 'leave', leave: 'leave' };
const isExampleRow = (v: Record<string, string>) => ROSTER_SHEET.every((c) => v[c.key] === (c.example ?? ''));

/**
 * A roster time: 'YYYY-MM-DD HH:mm[:ss]' is Beijing time; a bare date is that day's start, or —
 * for an end — the next day's start, so "2026-10-01 – 2026-10-01" is the whole day.
 */
export function rosterTime(v: string, end: boolean): number | null {
  const s = v.trim().replace(/\//g, '-');
  const date = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (date) {
    const [, y, m, d] = date;
    const ms = Date.parse(`${y}-${m!.padStart(2, '0')}-${d!.padStart(2, '0')}T00:00:00+08:00`);
    return Number.isNaN(ms) ? null : ms + (end ? 86_400_000 : 0);
  }
  const dt = /^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(s);
  if (dt) {
    const [, y, m, d, hh, mm, ss] = dt;
    const ms = Date.parse(`${y}-${m!.padStart(2, '0')}-${d!.padStart(2, '0')}T${hh!.padStart(2, '0')}:${mm}:${ss ?? '00'}+08:00`);
    return Number.isNaN(ms) ? null : ms;
  }
  const withZone = Date.parse(s);
  return /[zZ]|[+-]\d{2}:?\d{2}$/.test(s) && !Number.isNaN(withZone) ? withZone : null;
}

export async function importRoster(db: Db, ctx: RequestContext, input: SheetInput): Promise<RosterImportReport> {
  const scope = ctx.principal.scope;
  const parsed: Array<{ row: number; badgeNo: string; from: number; to: number; kind: DutyKind }> = [];
  const errors: RosterImportReport['errors'] = [];
  let total = 0;
  try {
    for await (const { row, values } of readSheetRows(input, ROSTER_SHEET)) {
      if (isExampleRow(values)) continue;
      total += 1;
      if (total > MAX_ROSTER_ROWS) throw badRequest(`一次最多导入 ${MAX_ROSTER_ROWS} 行，请拆分文件`, [{ path: 'file', message: '行数过多' }]);
      const rowErrors: Array<{ field: string; message: string }> = [];
      const badgeNo = values.badgeNo.trim();
      if (!badgeNo) rowErrors.push({ field: '警号', message: '警号不能为空' });
      const from = rosterTime(values.from, false);
      const to = rosterTime(values.to, true);
      if (from === null) rowErrors.push({ field: '开始时间', message: values.from ? `“${values.from}”不是有效时间` : '开始时间不能为空' });
      if (to === null) rowErrors.push({ field: '结束时间', message: values.to ? `“${values.to}”不是有效时间` : '结束时间不能为空' });
      if (from !== null && to !== null && to <= from) rowErrors.push({ field: '结束时间', message: '结束时间应晚于开始时间' });
      if (from !== null && to !== null && to - from > 366 * 86_400_000) rowErrors.push({ field: '结束时间', message: '一行的时段不能超过一年' });
      const kind = KIND_BY_LABEL[values.kind.trim()];
      if (!kind) rowErrors.push({ field: '类型', message: values.kind ? `“${values.kind}”不是有效类型，应为值班或请假` : '类型不能为空' });
      if (rowErrors.length > 0) errors.push(...rowErrors.map((e) => ({ row, ...e })));
      else parsed.push({ row, badgeNo, from: from!, to: to!, kind: kind! });
    }
  } catch (e) {
    if ((input.stream as { truncated?: boolean }).truncated === true) throw badRequest('上传文件超过大小限制', [{ path: 'file', message: '文件过大' }]);
    if (e instanceof SheetError) throw badRequest(e.message, [{ path: 'file', message: e.message }]);
    throw e;
  }
  if ((input.stream as { truncated?: boolean }).truncated === true) throw badRequest('上传文件超过大小限制', [{ path: 'file', message: '文件过大' }]);
  if (total === 0) throw badRequest('文件中没有数据行', [{ path: 'file', message: '文件为空' }]);

  // One query for every 警号 in the file.
  const people = await peopleByBadge(db, parsed.map((p) => p.badgeNo));
  const rows: Array<{ person_id: number; unit_id: number; starts_at: Date; ends_at: Date; kind: DutyKind; imported_by: string }> = [];
  for (const p of parsed) {
    const person = people.get(p.badgeNo);
    if (!person) errors.push({ row: p.row, field: '警号', message: `找不到警号为“${p.badgeNo}”的人员` });
    else if (!scope.all && !scope.unitIds.includes(person.unitId) && scope.selfPersonId !== person.id) errors.push({ row: p.row, field: '警号', message: '该人员不在您的数据权限内' });
    else rows.push({ person_id: person.id, unit_id: person.unitId, starts_at: new Date(p.from), ends_at: new Date(p.to), kind: p.kind, imported_by: ctx.principal.name });
  }
  errors.sort((a, b) => a.row - b.row);
  let created = 0;
  if (rows.length > 0) {
    created = await inTransaction(db, async (trx) => {
      const { rows: ins } = await sql<{ n: number }>`
        WITH ins AS (
          INSERT INTO duty_roster (person_id, unit_id, starts_at, ends_at, kind, imported_by)
          SELECT person_id, unit_id, starts_at, ends_at, kind, imported_by
            FROM json_to_recordset(${JSON.stringify(rows.map((r) => ({ ...r, starts_at: r.starts_at.toISOString(), ends_at: r.ends_at.toISOString() })))}::json)
                 AS x(person_id int, unit_id int, starts_at timestamptz, ends_at timestamptz, kind text, imported_by text)
          ON CONFLICT (person_id, starts_at, ends_at, kind) DO NOTHING
          RETURNING 1)
        SELECT count(*)::int AS n FROM ins`.execute(trx);
      const n = Number(ins[0]!.n);
      await record(trx, ctx, {
        action: 'lookup.roster.import',
        subjectType: 'duty_roster',
        subjectId: input.filename ?? 'upload',
        payload: { file: input.filename ?? null, rows: total, created: n, unchanged: rows.length - n, rejected: total - rows.length, people: new Set(rows.map((r) => r.person_id)).size },
      });
      return n;
    });
  }
  return { total, created, unchanged: rows.length - created, rejected: total - rows.length, errors };
}

export async function listRoster(db: Db, scope: ResolvedScope, q: z.output<typeof rosterQuery>): Promise<Page<RosterEntry>> {
  let base = lt(db).selectFrom('duty_roster').where((eb) => inScope(eb, scope, 'duty_roster.unit_id', 'duty_roster.person_id'));
  if (q.personId) base = base.where('person_id', '=', q.personId);
  if (q.kind) base = base.where('kind', '=', q.kind);
  // periods overlapping [from, to)
  if (q.from) base = base.where('ends_at', '>', new Date(q.from));
  if (q.to) base = base.where('starts_at', '<', new Date(q.to));
  const rows = await base.selectAll().select(totalCount).orderBy('starts_at', 'desc').orderBy('id', 'desc').limit(q.pageSize).offset((q.page - 1) * q.pageSize).execute();
  const total = await totalOf(rows, q.page, async () => Number((await base.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n));
  const people = await peopleByIds(db, rows.map((r) => r.person_id));
  return {
    items: rows.map((r) => ({
      id: Number(r.id),
      personId: r.person_id,
      personName: people.get(r.person_id)?.name ?? '',
      badgeNo: people.get(r.person_id)?.badgeNo ?? '',
      unitId: r.unit_id,
      startsAt: iso(r.starts_at),
      endsAt: iso(r.ends_at),
      kind: r.kind as DutyKind,
      importedAt: iso(r.imported_at),
      importedBy: r.imported_by,
    })),
    total,
    page: q.page,
    pageSize: q.pageSize,
  };
}

