// The violation catalogue (违法代码): versions, the snapshot the rules read, lists, diffs.
// Versions are immutable, so a version's rows are loaded once per process and kept in memory.
import type { z } from 'zod';
import type {
  CatalogueCodeDetail,
  CatalogueDiff,
  CataloguePage,
  CatalogueRow,
  CatalogueVersion,
  catalogueDiffQuery,
  catalogueListQuery,
} from '../../contracts/catalogue.ts';
import type { Page } from '../../contracts/common.ts';
import type { Db } from '../../platform/db/database.ts';
import { inTransaction, type Tx } from '../../platform/db/tx.ts';
import { AppError, badRequest, notFound } from '../../platform/http/errors.ts';
import { record, type RequestContext } from '../ledger/ledger.service.ts';
import { diffCounts, diffRows } from './catalogue.diff.ts';
import {
  insertVersion,
  latestVersion,
  latestVersionNumber,
  lockVersions,
  pageOfVersions,
  rowsOfVersion,
  toVersion,
  versionByNumber,
  type VersionRow,
} from './catalogue.repo.ts';
import { buildSnapshot, compareRows, contentSha256, inForceOn, type CatalogueSnapshot } from './catalogue.snapshot.ts';
import { SAMPLE_CATALOGUE } from './sample-catalogue.ts';

export type { CatalogueSnapshot } from './catalogue.snapshot.ts';

/** One version in memory: its rows (sorted by code, then first day) and the rules' lookup. */
interface LoadedContent {
  rows: readonly CatalogueRow[];
  snapshot: CatalogueSnapshot;
}
interface LoadedVersion extends LoadedContent {
  meta: CatalogueVersion;
}

// Keyed by what identifies the content (its hash) and what the snapshot reports (number, sample
// flag): never by database handle, so transactions and requests share one copy. Bounded: current
// use needs one or two versions; replays of old decisions may pull in a few more.
const MAX_CACHED = 8;
const cache = new Map<string, Promise<LoadedContent>>();

function loadContent(db: Db, v: VersionRow): Promise<LoadedContent> {
  const key = `${v.content_sha256}:${v.version}:${v.is_sample}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key); // most recently used last
    cache.set(key, hit);
    return hit;
  }
  const loading = (async () => {
    const rows = (await rowsOfVersion(db, v.id)).sort(compareRows);
    // Immutable rows still get checked once: a mismatch means someone went around the service.
    if (rows.length !== v.entry_count || contentSha256(rows) !== v.content_sha256) {
      throw new Error(`catalogue version ${v.version}: stored rows do not match the version's content hash`);
    }
    return { rows: Object.freeze(rows), snapshot: buildSnapshot(v.version, v.is_sample, rows) };
  })();
  cache.set(key, loading);
  loading.catch(() => cache.delete(key));
  while (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value!);
  return loading;
}

async function loadVersion(db: Db, v: VersionRow): Promise<LoadedVersion> {
  return { meta: toVersion(v), ...(await loadContent(db, v)) };
}

async function versionOrNotFound(db: Db, version: number): Promise<VersionRow> {
  const v = await versionByNumber(db, version);
  if (!v) throw notFound(`违法代码目录第 ${version} 版`);
  return v;
}

/** The given version, or the current one; undefined only when no version exists and none was asked. */
async function resolve(db: Db, version: number | undefined): Promise<LoadedVersion | undefined> {
  const v = version === undefined ? await latestVersion(db) : await versionOrNotFound(db, version);
  return v && loadVersion(db, v);
}

export const catalogueMissing = () => new AppError(409, 'CATALOGUE_EMPTY', '尚无违法代码目录，请先导入本省违法代码');

// ---- what the rules and the enforcement service use ----

/** The current version's number: one indexed single-row query. 0 while no catalogue exists. */
export function currentCatalogueVersion(db: Db): Promise<number> {
  return latestVersionNumber(db);
}

/** The current catalogue, whole, in memory (cached per version). 409 CATALOGUE_EMPTY if none. */
export async function loadCatalogue(db: Db): Promise<CatalogueSnapshot> {
  const v = await latestVersion(db);
  if (!v) throw catalogueMissing();
  return (await loadContent(db, v)).snapshot;
}

/** A given version, for replaying a decision made under it. 404 if it does not exist. */
export async function loadCatalogueVersion(db: Db, version: number): Promise<CatalogueSnapshot> {
  return (await loadContent(db, await versionOrNotFound(db, version))).snapshot;
}

// ---- creating versions ----

export interface NewVersion {
  label: string;
  isSample: boolean;
  sourceFilename: string | null;
  sourceSha256: string | null;
  note: string | null;
  rows: readonly CatalogueRow[];
}

export interface PublishResult {
  /** the version written; null when the content equals the current version's */
  version: CatalogueVersion | null;
  base: CatalogueVersion | null;
  counts: { added: number; removed: number; changed: number };
}

/**
 * Writes `input` as the next version, ledgered in the same transaction, unless its content is
 * exactly the current version's (then nothing is written). Version creation is serialized, so two
 * concurrent imports become two consecutive versions.
 */
export async function publishVersion(db: Db, ctx: RequestContext, input: NewVersion): Promise<PublishResult> {
  const rows = [...input.rows].sort(compareRows);
  const content = contentSha256(rows);
  return inTransaction(db, async (trx) => {
    await lockVersions(trx);
    const head = await latestVersion(trx);
    const base = head ? await loadVersion(trx, head) : null;
    const counts = diffCounts(base?.rows ?? [], rows);
    if (head && head.content_sha256 === content) return { version: null, base: base!.meta, counts };
    const written = await writeVersion(trx, ctx, (head?.version ?? 0) + 1, { ...input, rows }, content, { baseVersion: head?.version ?? null, ...counts });
    return { version: written, base: base?.meta ?? null, counts };
  });
}

async function writeVersion(trx: Tx, ctx: RequestContext, version: number, input: NewVersion, content: string, extra: Record<string, unknown>): Promise<CatalogueVersion> {
  const inserted = await insertVersion(
    trx,
    {
      version,
      label: input.label,
      isSample: input.isSample,
      sourceFilename: input.sourceFilename,
      sourceSha256: input.sourceSha256,
      contentSha256: content,
      note: input.note,
      createdBy: ctx.principal.accountId,
      createdByName: ctx.principal.name,
    },
    input.rows,
  );
  const meta = toVersion(inserted);
  await record(trx, ctx, {
    action: 'catalogue.version.create',
    subjectType: 'catalogue_version',
    subjectId: version,
    payload: {
      version,
      label: meta.label,
      isSample: meta.isSample,
      sourceFilename: meta.sourceFilename,
      sourceSha256: meta.sourceSha256,
      contentSha256: content,
      entryCount: meta.entryCount,
      codeCount: new Set(input.rows.map((r) => r.code)).size,
      note: meta.note,
      ...extra,
    },
  });
  return meta;
}

export const SAMPLE_LABEL = '样例';

/**
 * Creates version 1 from the built-in sample when no version exists yet; otherwise does nothing.
 * Safe to call at every start-up, also from several processes at once.
 */
export async function ensureSampleCatalogue(db: Db, ctx: RequestContext): Promise<{ created: boolean; version: number }> {
  return inTransaction(db, async (trx) => {
    await lockVersions(trx);
    const current = await latestVersionNumber(trx);
    if (current > 0) return { created: false, version: current };
    const rows = SAMPLE_CATALOGUE.map((r) => ({ ...r })).sort(compareRows);
    const meta = await writeVersion(
      trx,
      ctx,
      1,
      { label: SAMPLE_LABEL, isSample: true, sourceFilename: null, sourceSha256: null, note: '内置样例目录，仅供演示；请导入本省违法代码', rows },
      contentSha256(rows),
      { baseVersion: null, added: new Set(rows.map((r) => r.code)).size, removed: 0, changed: 0 },
    );
    return { created: true, version: meta.version };
  });
}

// ---- reading for people ----

export type CatalogueListQuery = z.output<typeof catalogueListQuery>;

function matches(row: CatalogueRow, f: Omit<CatalogueListQuery, 'page' | 'pageSize' | 'version'>): boolean {
  if (f.q) {
    const q = f.q.toLowerCase();
    if (!row.code.toLowerCase().includes(q) && !row.description.toLowerCase().includes(q)) return false;
  }
  if (f.category && row.category !== f.category) return false;
  if (f.warningEligible && row.warningEligible !== (f.warningEligible === 'true')) return false;
  if (f.effectiveOn && !inForceOn(row, f.effectiveOn)) return false;
  return true;
}

/** A page of one version's rows (a code with several periods has a row per period). */
export async function listCodes(db: Db, query: CatalogueListQuery): Promise<CataloguePage> {
  const { page, pageSize, version, ...filter } = query;
  const loaded = await resolve(db, version);
  if (!loaded) return { items: [], total: 0, page, pageSize, version: null };
  const hits = loaded.rows.filter((r) => matches(r, filter));
  return { items: hits.slice((page - 1) * pageSize, page * pageSize), total: hits.length, page, pageSize, version: loaded.meta };
}

/** Every effective period of one code in a version (default: the current one). */
export async function getCode(db: Db, code: string, version?: number): Promise<CatalogueCodeDetail> {
  const loaded = await resolve(db, version);
  const periods = loaded?.rows.filter((r) => r.code === code) ?? [];
  if (!loaded || periods.length === 0) throw notFound(`违法代码 ${code}`);
  return { version: loaded.meta, code, periods };
}

export function listVersions(db: Db, page: number, pageSize: number): Promise<Page<CatalogueVersion>> {
  return pageOfVersions(db, page, pageSize);
}

/** What changed from one version to another; by default from the previous version to the current. */
export async function diffVersions(db: Db, query: z.output<typeof catalogueDiffQuery>): Promise<CatalogueDiff> {
  const to = await resolve(db, query.to);
  if (!to) throw catalogueMissing();
  const fromNumber = query.from ?? to.meta.version - 1;
  if (fromNumber < 1) throw badRequest('当前只有一个版本，没有可对比的更早版本', [{ path: 'from', message: '请选择要对比的版本' }]);
  const from = (await resolve(db, fromNumber))!;
  return { from: from.meta, to: to.meta, ...diffRows(from.rows, to.rows) };
}

/** A whole version for export (default: the current one). */
export async function exportVersion(db: Db, version?: number): Promise<{ meta: CatalogueVersion; rows: readonly CatalogueRow[] }> {
  const loaded = await resolve(db, version);
  if (!loaded) throw catalogueMissing();
  return { meta: loaded.meta, rows: loaded.rows };
}

/** The current version with its rows, for an import's dry run (null while none exists). */
export async function currentContent(db: Db): Promise<{ meta: CatalogueVersion; rows: readonly CatalogueRow[]; contentSha256: string } | null> {
  const loaded = await resolve(db, undefined);
  return loaded ? { meta: loaded.meta, rows: loaded.rows, contentSha256: loaded.meta.contentSha256 } : null;
}
