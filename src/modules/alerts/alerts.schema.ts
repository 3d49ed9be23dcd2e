import crypto from 'node:crypto';
import { z } from 'zod';
import {
  ALERT_SEVERITY_VALUES,
  ALERT_SUBJECT_TYPE_VALUES,
  alertEvidence,
  type AlertEvidence,
  type AlertSeverity,
  type AlertSubjectType,
} from '../../contracts/alerts.ts';

/** What a detector hands over for one finding. */
export interface AlertInput {
  /** the raising module: 'enforcement', 'devices', 'lookups', 'reviews', 'public' */
  source: string;
  /** rule or detector id: 'R-DECIDER', 'D-TRUCK-REPEAT' */
  rule: string;
  ruleSetVersion?: number | null;
  subjectType: AlertSubjectType;
  subjectId: string;
  /** zh-CN, how people know the subject: "苏A12345", "张伟(010234)" */
  subjectLabel: string;
  /** data scope: who may see it. Null: only accounts with scope 全部 */
  unitId: number | null;
  /** the person the finding is about (scope 仅本人) */
  personId: number | null;
  severity: AlertSeverity;
  title: string;
  /** zh-CN: why this is a finding, with the numbers */
  explanation: string;
  /** legal basis or brigade rule cited */
  basis?: string | null;
  /** the values the detector used (JSON-serialisable) */
  facts: Record<string, unknown>;
  evidence: AlertEvidence[];
  /** the same finding raised again carries the same key; (rule, dedupKey) identifies it */
  dedupKey: string;
  occurredAt: Date;
}

/** Detectors are code, not users: a bad input is a bug, refused before anything is written. */
export const alertInput: z.ZodType<AlertInput> = z.object({
  source: z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, 'source must be a lower-case module name'),
  rule: z.string().min(1).max(60),
  ruleSetVersion: z.number().int().nullable().optional(),
  subjectType: z.enum(ALERT_SUBJECT_TYPE_VALUES),
  subjectId: z.string().min(1).max(200),
  subjectLabel: z.string().min(1).max(200),
  unitId: z.number().int().positive().nullable(),
  personId: z.number().int().positive().nullable(),
  severity: z.enum(ALERT_SEVERITY_VALUES),
  title: z.string().min(1).max(200),
  explanation: z.string().min(1).max(4000),
  basis: z.string().max(2000).nullable().optional(),
  facts: z.record(z.string(), z.unknown()),
  evidence: z.array(alertEvidence).max(500),
  dedupKey: z.string().min(1).max(500),
  occurredAt: z.date().refine((d) => !Number.isNaN(d.getTime()), 'occurredAt is not a valid date'),
});

export class AlertInputError extends Error {}

export function validateInputs(inputs: readonly AlertInput[]): AlertInput[] {
  return inputs.map((input, i) => {
    const r = alertInput.safeParse(input);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      throw new AlertInputError(`alert input #${i} (${String(input?.rule)}): ${issue.path.join('.')} ${issue.message}`);
    }
    return r.data;
  });
}

/** JSON with object keys sorted at every depth, after the same round trip jsonb makes. */
export function stableJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
      );
    }
    return v;
  };
  return JSON.stringify(sort(JSON.parse(JSON.stringify(value ?? null))));
}

/**
 * SHA-256 of what the detector said (explanation, basis, facts, evidence), for the ledger entry:
 * the alert row can be checked against it later without copying facts into the ledger.
 */
export function contentHash(input: Pick<AlertInput, 'explanation' | 'basis' | 'facts' | 'evidence'>): string {
  const text = stableJson({ explanation: input.explanation, basis: input.basis ?? null, facts: input.facts, evidence: input.evidence });
  return crypto.createHash('sha256').update(text).digest('hex');
}
