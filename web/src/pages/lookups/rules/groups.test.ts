import { describe, expect, it } from 'vitest';
import { LOOKUP_RULE_PARAM_LABELS } from '@contracts/lookup-rules.ts';
import { paramGroups } from './groups.ts';

describe('look-up rule parameter groups', () => {
  it('places every parameter once, under the rule it tunes', () => {
    const groups = paramGroups();
    const keys = groups.flatMap((g) => g.keys);
    expect(keys.sort()).toEqual(Object.keys(LOOKUP_RULE_PARAM_LABELS).sort());
    const ruleOf = (key: string) => groups.find((g) => g.keys.includes(key as never))?.rule;
    expect(ruleOf('bulkMinSubjects')).toBe('L-BULK');
    expect(ruleOf('officeStartHour')).toBe('L-OFFDUTY');
    expect(ruleOf('offDutyMinPerDay')).toBe('L-OFFDUTY');
    expect(ruleOf('criminalCriticalAt')).toBe('L-CRIMINAL');
    expect(groups.some((g) => g.rule === 'other')).toBe(false);
  });
});
