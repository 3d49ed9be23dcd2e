import { describe, expect, it } from 'vitest';
import { DEFAULT_RULE_PARAMS } from '../../contracts/rules.ts';
import { dailyCapReasons } from './daily-cap.ts';

describe('R-DAILY-CAP', () => {
  const params = { ...DEFAULT_RULE_PARAMS, dailySimpleCap: 150 };

  it('flags an officer-day above the cap, not at it', () => {
    const rs = dailyCapReasons(
      [
        { badgeNo: '010001', day: '2026-03-02', simpleCount: 150 },
        { badgeNo: '010002', day: '2026-03-02', simpleCount: 151 },
      ],
      params,
      4,
    );
    expect(rs).toHaveLength(1);
    expect(rs[0]).toMatchObject({ rule: 'R-DAILY-CAP', ruleSetVersion: 4, severity: 'medium', facts: { badgeNo: '010002', day: '2026-03-02', simpleCount: 151, dailySimpleCap: 150 } });
    expect(rs[0]!.message).toContain('超过每日上限150起');
    expect(rs[0]!.basis).toContain('《道路交通安全法》第86条');
  });

  it('returns reasons in (day, badge) order whatever the input order', () => {
    const rows = [
      { badgeNo: 'B', day: '2026-03-03', simpleCount: 200 },
      { badgeNo: 'A', day: '2026-03-03', simpleCount: 200 },
      { badgeNo: 'C', day: '2026-03-02', simpleCount: 200 },
    ];
    expect(dailyCapReasons(rows, params, 1).map((r) => `${String(r.facts.day)}/${String(r.facts.badgeNo)}`)).toEqual(['2026-03-02/C', '2026-03-03/A', '2026-03-03/B']);
  });
});
