// Which look-up rule each parameter tunes, for showing the parameters rule by rule.
import { LOOKUP_RULE_PARAM_LABELS, type LookupRuleId, type LookupRuleParams } from '@contracts/lookup-rules.ts';

export type ParamKey = keyof LookupRuleParams;

const PREFIXES: Array<[prefix: string, rule: LookupRuleId]> = [
  ['purpose', 'L-PURPOSE'],
  ['colleague', 'L-COLLEAGUE'],
  ['hot', 'L-HOT'],
  ['skew', 'L-SKEW'],
  ['office', 'L-OFFDUTY'],
  ['offDuty', 'L-OFFDUTY'],
  ['volume', 'L-VOLUME'],
  ['bulk', 'L-BULK'],
  ['shared', 'L-SHARED'],
  ['criminal', 'L-CRIMINAL'],
  ['random', 'L-RANDOM'],
];

/** The parameters in label order, grouped under the rule they tune; an unknown prefix goes under 其他. */
export function paramGroups(): Array<{ rule: LookupRuleId | 'other'; keys: ParamKey[] }> {
  const groups: Array<{ rule: LookupRuleId | 'other'; keys: ParamKey[] }> = [];
  for (const key of Object.keys(LOOKUP_RULE_PARAM_LABELS) as ParamKey[]) {
    const rule = PREFIXES.find(([p]) => key.startsWith(p))?.[1] ?? 'other';
    const group = groups.find((g) => g.rule === rule);
    if (group) group.keys.push(key);
    else groups.push({ rule, keys: [key] });
  }
  return groups;
}
