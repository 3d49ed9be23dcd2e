// SQL over the catalogue's own tables. Versions and their rows are only ever inserted.
import { sql, type Selectable } from 'kysely';
import type { CatalogueCategory, CatalogueRow, CatalogueVersion } from '../../contracts/catalogue.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Tx } from '../../platform/db/tx.ts';
import { totalCount, totalOf, countAll } from '../../platform/db/paging.ts';
import type { CatalogueTables } from './catalogue.tables.ts';

const t = (db: Db) => db.withTables<CatalogueTables>();

export type VersionRow = Selectable<CatalogueTables['catalogue_versions']>;

export function toVersion(r: VersionRow): CatalogueVersion {
  return {
    version: r.version,
    label: r.label,
    isSample: r.is_sample,
    sourceFilename: r.source_filename,
    sourceSha256: r.source_sha256,
    contentSha256: r.content_sha256,
    entryCount: r.entry_count,
    note: r.note,
    createdAt: r.created_at.toISOString(),
    createdByName: r.created_by_name,
  };
}

const VERSION_COLUMNS = [
  'id',
  'version',
  'label',
  'is_sample',
  'source_filename',
  'source_sha256',
  'content_sha256',
  'entry_count',
  'note',
  'created_at',
  'created_by',
  'created_by_name',
] as const;

/** The current version (the latest), or undefined while there is none. */
export function latestVersion(db: Db): Promise<VersionRow | undefined> {
  return t(db).selectFrom('catalogue_versions').select(VERSION_COLUMNS).orderBy('version', 'desc').limit(1).executeTakeFirst();
}

export function versionByNumber(db: Db, version: number): Promise<VersionRow | undefined> {
  return t(db).selectFrom('catalogue_versions').select(VERSION_COLUMNS).where('version', '=', version).executeTakeFirst();
}

export async function latestVersionNumber(db: Db): Promise<number> {
  const row = await t(db).selectFrom('catalogue_versions').select(sql<number>`coalesce(max(version), 0)::int`.as('v')).executeTakeFirstOrThrow();
  return row.v;
}

export async function pageOfVersions(db: Db, page: number, pageSize: number) {
  const rows = await t(db)
    .selectFrom('catalogue_versions')
    .select([...VERSION_COLUMNS, totalCount])
    .orderBy('version', 'desc')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  const total = await totalOf(rows, page, async () => (await t(db).selectFrom('catalogue_versions').select(countAll).executeTakeFirstOrThrow()).n);
  return { items: rows.map(toVersion), total, page, pageSize };
}

/** All rows of one version: one query (catalogues are a few thousand rows). Dates as text. */
export async function rowsOfVersion(db: Db, versionId: number): Promise<CatalogueRow[]> {
  const rows = await t(db)
    .selectFrom('violation_codes')
    .select([
      'code',
      'description',
      'basis',
      'fine_min',
      'fine_max',
      'fine_default',
      'points',
      'category',
      'warning_eligible',
      'continuing_window_minutes',
      sql<string>`to_char(effective_from, 'YYYY-MM-DD')`.as('effective_from'),
      sql<string | null>`to_char(effective_to, 'YYYY-MM-DD')`.as('effective_to'),
    ])
    .where('version_id', '=', versionId)
    .execute();
  return rows.map((r) => ({
    code: r.code,
    description: r.description,
    basis: r.basis,
    fineMin: r.fine_min,
    fineMax: r.fine_max,
    fineDefault: r.fine_default,
    points: r.points,
    category: r.category as CatalogueCategory,
    warningEligible: r.warning_eligible,
    continuingWindowMinutes: r.continuing_window_minutes,
    effectiveFrom: r.effective_from,
    effectiveTo: r.effective_to,
  }));
}

/**
 * Serializes version creation: a concurrent import or start-up waits here, then sees the version
 * just written. Readers are not blocked (SHARE ROW EXCLUSIVE conflicts only with writers).
 */
export async function lockVersions(trx: Tx): Promise<void> {
  await sql`LOCK TABLE catalogue_versions IN SHARE ROW EXCLUSIVE MODE`.execute(trx);
}

export interface NewVersionRow {
  version: number;
  label: string;
  isSample: boolean;
  sourceFilename: string | null;
  sourceSha256: string | null;
  contentSha256: string;
  note: string | null;
  createdBy: number | null;
  createdByName: string;
}

/** Inserts the version and all its rows: two statements whatever the size (rows as one jsonb). */
export async function insertVersion(trx: Tx, v: NewVersionRow, rows: readonly CatalogueRow[]): Promise<VersionRow> {
  const inserted = await t(trx)
    .insertInto('catalogue_versions')
    .values({
      version: v.version,
      label: v.label,
      is_sample: v.isSample,
      source_filename: v.sourceFilename,
      source_sha256: v.sourceSha256,
      content_sha256: v.contentSha256,
      entry_count: rows.length,
      note: v.note,
      created_by: v.createdBy,
      created_by_name: v.createdByName,
    })
    .returning(VERSION_COLUMNS)
    .executeTakeFirstOrThrow();
  if (rows.length > 0) {
    const data = JSON.stringify(
      rows.map((r) => ({
        code: r.code,
        description: r.description,
        basis: r.basis,
        fine_min: r.fineMin,
        fine_max: r.fineMax,
        fine_default: r.fineDefault,
        points: r.points,
        category: r.category,
        warning_eligible: r.warningEligible,
        continuing_window_minutes: r.continuingWindowMinutes,
        effective_from: r.effectiveFrom,
        effective_to: r.effectiveTo,
      })),
    );
    await sql`
      INSERT INTO violation_codes (version_id, code, description, basis, fine_min, fine_max, fine_default, points,
                                   category, warning_eligible, continuing_window_minutes, effective_from, effective_to)
      SELECT ${inserted.id}, v.code, v.description, v.basis, v.fine_min, v.fine_max, v.fine_default, v.points,
             v.category, v.warning_eligible, v.continuing_window_minutes, v.effective_from, v.effective_to
      FROM jsonb_to_recordset(${data}::jsonb) AS v(code text, description text, basis text, fine_min int, fine_max int,
           fine_default int, points smallint, category text, warning_eligible boolean, continuing_window_minutes int,
           effective_from date, effective_to date)`.execute(trx);
  }
  return inserted;
}
