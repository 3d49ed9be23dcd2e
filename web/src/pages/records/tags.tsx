// The enforcement tags: outcome (with the system's decision when a review changed it), rule, severity.
import { Tag, Tooltip } from 'antd';
import { SEVERITIES, type Outcome, type Severity } from '@contracts/enforcement.ts';
import { OUTCOME_STYLE, RULE_NAMES, outcomeLabel } from './labels.ts';

export function OutcomeTag({ outcome, decided }: { outcome: Outcome; decided?: Outcome }) {
  const tag = <Tag color={OUTCOME_STYLE[outcome]?.tag}>{outcomeLabel(outcome)}</Tag>;
  if (!decided || decided === outcome) return tag;
  // the rules decided one thing, the legal officer's review another
  return <Tooltip title={`系统判定：${outcomeLabel(decided)}；审核后：${outcomeLabel(outcome)}`}>{tag}</Tooltip>;
}

export function RuleTag({ rule }: { rule: string }) {
  const name = RULE_NAMES[rule];
  return (
    <Tooltip title={rule}>
      <Tag>{name ?? rule}</Tag>
    </Tooltip>
  );
}

const SEVERITY_COLORS: Record<Severity, string> = { low: 'default', medium: 'gold', high: 'orange', critical: 'red' };

export function SeverityTag({ severity }: { severity: Severity }) {
  return <Tag color={SEVERITY_COLORS[severity]}>{SEVERITIES[severity]}</Tag>;
}
