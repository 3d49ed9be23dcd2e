// What changed between two catalogue versions, by code: pure, over the rows of each.
import {
  CATALOGUE_CATEGORIES,
  type CatalogueDiff,
  type CatalogueFieldChange,
  type CatalogueRow,
} from '../../contracts/catalogue.ts';
import { compareRows } from './catalogue.snapshot.ts';

/** The fields compared within one period; the periods themselves are compared as a whole. */
const FIELDS = [
  'description',
  'basis',
  'fineMin',
  'fineMax',
  'fineDefault',
  'points',
  'category',
  'warningEligible',
  'continuingWindowMinutes',
] as const satisfies ReadonlyArray<keyof CatalogueRow>;

function display(field: (typeof FIELDS)[number], row: CatalogueRow): string {
  const value = row[field];
  if (field === 'category') return CATALOGUE_CATEGORIES[row.category];
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (value === null) return '—';
  return String(value);
}

const periodText = (r: CatalogueRow) => (r.effectiveTo ? `${r.effectiveFrom} 至 ${r.effectiveTo}` : `${r.effectiveFrom} 起`);
const periodsText = (rows: CatalogueRow[]) => rows.map(periodText).join('；');

function byCode(rows: readonly CatalogueRow[]): Map<string, CatalogueRow[]> {
  const map = new Map<string, CatalogueRow[]>();
  for (const row of [...rows].sort(compareRows)) {
    const list = map.get(row.code);
    if (list) list.push(row);
    else map.set(row.code, [row]);
  }
  return map;
}

/** Pairs the periods of one code: by first day; a code with one period on each side pairs those. */
function pairPeriods(before: CatalogueRow[], after: CatalogueRow[]): Array<[CatalogueRow, CatalogueRow]> {
  if (before.length === 1 && after.length === 1) return [[before[0]!, after[0]!]];
  const afterByFrom = new Map(after.map((r) => [r.effectiveFrom, r]));
  return before.flatMap((b) => {
    const a = afterByFrom.get(b.effectiveFrom);
    return a ? [[b, a] as [CatalogueRow, CatalogueRow]] : [];
  });
}

export function diffRows(fromRows: readonly CatalogueRow[], toRows: readonly CatalogueRow[]): Pick<CatalogueDiff, 'added' | 'removed' | 'changed'> {
  const before = byCode(fromRows);
  const after = byCode(toRows);
  const added: CatalogueRow[] = [];
  const removed: CatalogueRow[] = [];
  const changed: CatalogueDiff['changed'] = [];
  for (const [code, rows] of before) if (!after.has(code)) removed.push(...rows);
  for (const [code, rows] of after) {
    const old = before.get(code);
    if (!old) {
      added.push(...rows);
      continue;
    }
    const changes: CatalogueFieldChange[] = [];
    const oldPeriods = periodsText(old);
    const newPeriods = periodsText(rows);
    if (oldPeriods !== newPeriods) changes.push({ field: 'periods', effectiveFrom: null, before: oldPeriods, after: newPeriods });
    for (const [b, a] of pairPeriods(old, rows)) {
      for (const field of FIELDS) {
        if (b[field] !== a[field]) changes.push({ field, effectiveFrom: a.effectiveFrom, before: display(field, b), after: display(field, a) });
      }
    }
    if (changes.length > 0) changed.push({ code, description: rows.at(-1)!.description, changes });
  }
  return { added, removed, changed };
}

/** Codes added, removed and changed: the counts an import report shows. */
export function diffCounts(fromRows: readonly CatalogueRow[], toRows: readonly CatalogueRow[]) {
  const d = diffRows(fromRows, toRows);
  return {
    added: new Set(d.added.map((r) => r.code)).size,
    removed: new Set(d.removed.map((r) => r.code)).size,
    changed: d.changed.length,
  };
}
