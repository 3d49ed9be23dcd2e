import { BASIS } from './basis.ts';
import type { Reason, RuleContext, RuleId, Severity } from './types.ts';

export function reason(
  rule: RuleId,
  ctx: Pick<RuleContext, 'ruleSetVersion'>,
  message: string,
  facts: Record<string, unknown>,
  opts: { severity?: Severity; basis?: string } = {},
): Reason {
  return {
    rule,
    ruleSetVersion: ctx.ruleSetVersion,
    basis: opts.basis ?? BASIS[rule],
    message,
    facts,
    ...(opts.severity ? { severity: opts.severity } : {}),
  };
}

/** ¥ amounts in messages: integers as is, otherwise two decimals. */
export function yuan(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}

export function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** Freezes a reason shared by many decisions, so no caller can change it for the others. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
