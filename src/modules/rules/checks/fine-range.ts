// R-FINE-RANGE and R-CODE-UNKNOWN: the fine and points given must be what the catalogue allows for
// the code (the statutory range the row carries, the points of its level). A fine of 0 is a
// warning, and a warning carries no points (L2 Art.28).
import { BASIS, fineRangeBasis } from '../basis.ts';
import { deepFreeze, reason, yuan } from '../reason.ts';
import type { CatalogueEntry, Reason, RecordFacts, RuleContext } from '../types.ts';

export function codeUnknown(record: RecordFacts, ctx: RuleContext): Reason {
  return reason(
    'R-CODE-UNKNOWN',
    ctx,
    `违法代码${record.violationCode}在违法时间适用的违法代码目录中不存在，无法核对处罚依据、罚款幅度和记分，须由法制员审核。`,
    { violationCode: record.violationCode, occurredAt: record.occurredAt },
    { severity: 'medium', basis: BASIS['R-CODE-UNKNOWN'] },
  );
}

/**
 * A finding when the given fine or points do not fit the catalogue row; undefined when they do.
 * On-site, a decision of no fine and no points on a code outside the warning list is a downgrade
 * (a "favour case"; L2 Art.33 names it) and is a finding too. On a camera record 0 means no
 * amount was given.
 */
export function fineRange(record: RecordFacts, entry: CatalogueEntry, ctx: RuleContext): Reason | undefined {
  const { fineYuan: fine, points } = record;
  const problems: string[] = [];
  if (record.kind === 'onSite' && fine === 0 && !entry.warningEligible) {
    problems.push(`该代码不在首违警告范围内，罚款${yuan(entry.fineMin)}至${yuan(entry.fineMax)}元，不得以警告（罚款0元）代替处罚`);
  }
  if (fine !== undefined && fine > 0 && (fine < entry.fineMin || fine > entry.fineMax)) {
    problems.push(`罚款${yuan(fine)}元超出目录幅度${yuan(entry.fineMin)}至${yuan(entry.fineMax)}元`);
  }
  const warning = fine === 0;
  const expectedPoints = warning ? 0 : entry.points;
  if (points !== undefined && points !== expectedPoints) {
    problems.push(warning ? `警告不得记分，实际记${points}分` : `记分${points}分与目录规定的${entry.points}分不符`);
  }
  if (problems.length === 0) return undefined;
  return reason(
    'R-FINE-RANGE',
    ctx,
    `违法代码${entry.code}（${entry.description}）：${problems.join('；')}。`,
    {
      violationCode: entry.code,
      fineYuan: fine ?? null,
      points: points ?? null,
      fineMin: entry.fineMin,
      fineMax: entry.fineMax,
      cataloguePoints: entry.points,
      expectedPoints,
      warningEligible: entry.warningEligible,
    },
    { severity: 'medium', basis: fineRangeBasis(entry.basis, warning && points !== undefined && points > 0) },
  );
}

/** What a camera penalty carries: the given fine when it is in range, else the catalogue default. */
export function penaltyAmount(record: RecordFacts, entry: CatalogueEntry): { fineYuan: number; points: number; source: 'record' | 'catalogue' } {
  const fine = record.fineYuan;
  if (fine !== undefined && fine > 0 && fine >= entry.fineMin && fine <= entry.fineMax) return { fineYuan: fine, points: entry.points, source: 'record' };
  return { fineYuan: entry.fineDefault, points: entry.points, source: 'catalogue' };
}

/**
 * A penalty's reason depends on the catalogue entry, the amount and the rule-set version only:
 * one frozen object per combination, shared by every penalty of a batch that has it (and
 * serialised once).
 */
const penaltyReasons = new WeakMap<CatalogueEntry, Map<string, Reason>>();

/** The reason a camera penalty states: the catalogue row it stands on and the amount. */
export function penaltyBasis(record: RecordFacts, entry: CatalogueEntry, ctx: RuleContext): Reason {
  const amount = penaltyAmount(record, entry);
  let byAmount = penaltyReasons.get(entry);
  if (!byAmount) penaltyReasons.set(entry, (byAmount = new Map()));
  const key = `${amount.fineYuan}|${amount.points}|${amount.source}|${ctx.ruleSetVersion}`;
  let r = byAmount.get(key);
  if (!r) byAmount.set(key, (r = deepFreeze(penaltyReason(amount, entry, ctx))));
  return r;
}

function penaltyReason(amount: ReturnType<typeof penaltyAmount>, entry: CatalogueEntry, ctx: RuleContext): Reason {
  return reason(
    'R-FINE-RANGE',
    ctx,
    `依违法代码${entry.code}（${entry.description}）处罚款${yuan(amount.fineYuan)}元、记${amount.points}分` +
      `（目录幅度${yuan(entry.fineMin)}至${yuan(entry.fineMax)}元，${amount.source === 'record' ? '采用记录给出的金额' : '采用目录默认金额'}）。`,
    { violationCode: entry.code, fineYuan: amount.fineYuan, points: amount.points, amountSource: amount.source, fineMin: entry.fineMin, fineMax: entry.fineMax, fineDefault: entry.fineDefault },
    { basis: fineRangeBasis(entry.basis, false) },
  );
}
