// The catalogue as the rules see it: pure functions over the rows of one version. No database
// here; the service loads the rows and caches the snapshot per version.
import crypto from 'node:crypto';
import type { CatalogueRow } from '../../contracts/catalogue.ts';
import type { CatalogueEntry } from '../rules/types.ts';

export interface CatalogueSnapshot {
  version: number;
  isSample: boolean;
  /** the entry of `code` in force on the Beijing calendar day of `atMs` (epoch ms) */
  entryAt(code: string, atMs: number): CatalogueEntry | undefined;
  /** every code of the version, sorted */
  codes(): string[];
}

const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** The Beijing (UTC+8, no daylight saving) calendar day of an instant, as 'YYYY-MM-DD'. */
export function beijingDay(atMs: number): string {
  return new Date(atMs + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

export interface Period {
  effectiveFrom: string;
  effectiveTo: string | null;
}

/** effectiveFrom ≤ day < effectiveTo; 'YYYY-MM-DD' strings compare in calendar order. */
export function inForceOn(period: Period, day: string): boolean {
  return period.effectiveFrom <= day && (period.effectiveTo === null || day < period.effectiveTo);
}

/** Two half-open periods [from, to) share at least one day. */
export function periodsOverlap(a: Period, b: Period): boolean {
  return (b.effectiveTo === null || a.effectiveFrom < b.effectiveTo) && (a.effectiveTo === null || b.effectiveFrom < a.effectiveTo);
}

/** Row order everywhere: code (ordinal, so code families stay together), then first day. */
export function compareRows(a: Pick<CatalogueRow, 'code' | 'effectiveFrom'>, b: Pick<CatalogueRow, 'code' | 'effectiveFrom'>): number {
  if (a.code !== b.code) return a.code < b.code ? -1 : 1;
  return a.effectiveFrom < b.effectiveFrom ? -1 : a.effectiveFrom > b.effectiveFrom ? 1 : 0;
}

export interface Overlap<T> {
  /** the later of the two (by first day, then by position) */
  item: T;
  /** the earlier one it overlaps */
  with: T;
}

/**
 * Periods of the same code that overlap an earlier-starting one (ties: the later in `items`).
 * Each is reported once, with the earlier period reaching furthest into it; O(n log n).
 */
export function findOverlaps<T extends Period & { code: string }>(items: readonly T[]): Overlap<T>[] {
  const byCode = new Map<string, T[]>();
  for (const item of items) {
    const list = byCode.get(item.code);
    if (list) list.push(item);
    else byCode.set(item.code, [item]);
  }
  const found: Overlap<T>[] = [];
  for (const list of byCode.values()) {
    if (list.length < 2) continue;
    const sorted = list
      .map((item, index) => ({ item, index }))
      .sort((a, b) => (a.item.effectiveFrom < b.item.effectiveFrom ? -1 : a.item.effectiveFrom > b.item.effectiveFrom ? 1 : a.index - b.index))
      .map((x) => x.item);
    // Sorted by first day, a period overlaps an earlier one iff it starts before the latest end
    // seen so far; the period holding that end is one it overlaps.
    let reach: T = sorted[0]!;
    for (const item of sorted.slice(1)) {
      if (periodsOverlap(reach, item)) found.push({ item, with: reach });
      if (reach.effectiveTo !== null && (item.effectiveTo === null || item.effectiveTo > reach.effectiveTo)) reach = item;
    }
  }
  return found;
}

export function toEntry(row: CatalogueRow): CatalogueEntry {
  return Object.freeze({
    code: row.code,
    description: row.description,
    basis: row.basis,
    fineMin: row.fineMin,
    fineMax: row.fineMax,
    fineDefault: row.fineDefault,
    points: row.points,
    category: row.category,
    warningEligible: row.warningEligible,
    continuingWindowMinutes: row.continuingWindowMinutes,
  });
}

/** The lookup structure over one version's rows (which must not overlap per code). */
export function buildSnapshot(version: number, isSample: boolean, rows: readonly CatalogueRow[]): CatalogueSnapshot {
  const byCode = new Map<string, Array<{ period: Period; entry: CatalogueEntry }>>();
  for (const row of [...rows].sort(compareRows)) {
    const list = byCode.get(row.code) ?? [];
    list.push({ period: { effectiveFrom: row.effectiveFrom, effectiveTo: row.effectiveTo }, entry: toEntry(row) });
    byCode.set(row.code, list);
  }
  const codes = Object.freeze([...byCode.keys()].sort());
  return Object.freeze({
    version,
    isSample,
    entryAt(code: string, atMs: number) {
      const periods = byCode.get(code) ?? byCode.get(code.trim().toUpperCase());
      if (!periods || !Number.isFinite(atMs)) return undefined;
      const day = beijingDay(atMs);
      return periods.find((p) => inForceOn(p.period, day))?.entry;
    },
    codes: () => [...codes],
  });
}

/**
 * SHA-256 of the canonical JSON of a version's rows (sorted, fixed key order): the identity of
 * its content. Two versions with the same hash hold the same catalogue.
 */
export function contentSha256(rows: readonly CatalogueRow[]): string {
  const canonical = [...rows].sort(compareRows).map((r) => [
    r.code,
    r.description,
    r.basis,
    r.fineMin,
    r.fineMax,
    r.fineDefault,
    r.points,
    r.category,
    r.warningEligible,
    r.continuingWindowMinutes,
    r.effectiveFrom,
    r.effectiveTo,
  ]);
  return crypto.createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}
