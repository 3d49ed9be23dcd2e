import { describe, expect, it } from 'vitest';
import { DEFAULT_RULE_PARAMS, RULE_PARAM_LABELS } from '@contracts/rules.ts';
import { PARAM_GROUPS, paramInput, paramText, type ParamKey } from './groups.ts';

describe('rule parameter groups', () => {
  it('shows every parameter exactly once', () => {
    const grouped = PARAM_GROUPS.flatMap((g) => [...g.params]);
    expect(new Set(grouped).size).toBe(grouped.length);
    expect([...grouped].sort()).toEqual(Object.keys(RULE_PARAM_LABELS).sort());
  });

  it('reads each input kind and range from the contract', () => {
    expect(paramInput('cameraRequiresMedia')).toEqual({ kind: 'boolean' });
    expect(paramInput('holidays')).toEqual({ kind: 'dates' });
    expect(paramInput('localPlatePrefixes')).toEqual({ kind: 'texts' });
    expect(paramInput('reviewDueWorkingDays')).toEqual({ kind: 'number', min: 1, max: 30, integer: true });
    expect(paramInput('flatAmountShare')).toMatchObject({ kind: 'number', min: 0.5, max: 1, integer: false });
    for (const key of Object.keys(DEFAULT_RULE_PARAMS) as ParamKey[]) expect(paramInput(key).kind).toBeTruthy();
  });

  it('writes values as people read them', () => {
    expect(paramText('cameraRequiresMedia', true)).toBe('是');
    expect(paramText('flatAmountShare', 0.9)).toBe('90%');
    expect(paramText('holidays', [])).toBe('（无）');
    expect(paramText('localPlatePrefixes', ['苏A', '苏B'])).toBe('苏A、苏B');
  });
});
