// R-DAILY-CAP: an officer's simple-procedure decisions in one Beijing day above the brigade's cap.
// A supervision signal (haste, tickets written in bulk, quotas), never an assessment of the
// officer: counts may not be used to assess officers (L3 Art.86; L1 Art.66).
import type { RuleParams } from '../../contracts/rules.ts';
import { reason } from './reason.ts';
import type { Reason } from './types.ts';

/** One row per (officer, day): `SELECT deciding_officer, <Beijing date>, count(*) … WHERE procedure = 'simple' GROUP BY 1, 2`. */
export interface DailySimpleCount {
  badgeNo: string;
  /** 'YYYY-MM-DD', Beijing time */
  day: string;
  simpleCount: number;
}

export function dailyCapReasons(counts: readonly DailySimpleCount[], params: RuleParams, ruleSetVersion: number): Reason[] {
  const cap = params.dailySimpleCap;
  return counts
    .filter((c) => c.simpleCount > cap)
    .sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.badgeNo < b.badgeNo ? -1 : a.badgeNo > b.badgeNo ? 1 : 0))
    .map((c) =>
      reason(
        'R-DAILY-CAP',
        { ruleSetVersion },
        `民警${c.badgeNo}于${c.day}适用简易程序作出处罚决定${c.simpleCount}起，超过每日上限${cap}起（超出${c.simpleCount - cap}起），请核查是否存在批量开具、未当场告知或变相指标等情况。`,
        { badgeNo: c.badgeNo, day: c.day, simpleCount: c.simpleCount, dailySimpleCap: cap },
        { severity: 'medium' },
      ),
    );
}
