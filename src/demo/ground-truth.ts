// The ground truth of the enforcement demo: which misconduct the generator injected, and what a
// correct rules engine and detectors must flag. scoreDetections compares a run against it, so the
// benchmark can print recall and precision per rule (precision counts every detection of the
// rule, on the clean background too).
import type { DetectorId, RuleId } from '../modules/rules/types.ts';
import type { DeviceDetectorId } from '../contracts/device-captures.ts';

export type SubjectKind = 'officer' | 'checkpoint' | 'vehicle';

export interface GroundTruthCase {
  /** stable, e.g. `R-REPEAT-1` */
  id: string;
  rule: RuleId | DetectorId | DeviceDetectorId;
  /** zh-CN: what was injected */
  description: string;
  expect: {
    /**
     * externalIds the rule must flag. Camera records: the record's outcome is decided by the rule
     * (merged, voided, held). On-site records: the rule raises a finding on the record.
     */
    records?: string[];
    /** For detectors and R-DAILY-CAP: officer = 警号, checkpoint = deviceId or road name, vehicle = plate. */
    subjects?: Array<{ kind: SubjectKind; id: string }>;
  };
}

export interface GroundTruth {
  seed: number;
  generatedFor: { days: number; cameraRecords: number; onSiteRecords: number; endAt: string };
  cases: GroundTruthCase[];
  /** the look-up audit's injected misuse (written when look-ups were seeded) */
  lookups?: LookupGroundTruth;
}

/** What a run flagged, per rule or detector id: externalIds of records and `${kind}:${id}` subjects. */
export interface Detections {
  byRule: Map<string, { records: Set<string>; subjects: Set<string> }>;
}

export interface RuleScore {
  rule: string;
  expected: number;
  detected: number;
  truePositives: number;
  /** null when nothing was expected */
  recall: number | null;
  /** null when nothing was detected */
  precision: number | null;
}

export const subjectKey = (s: { kind: SubjectKind; id: string }): string => `${s.kind}:${s.id}`;

/**
 * Per rule: expected = the cases' records and subjects, detected = what the run flagged for the
 * rule. A rule is scored on the dimensions its cases use: a rule whose cases name only subjects
 * (detectors, R-DAILY-CAP) is not charged for the records it also lists as evidence, and the other
 * way round. A rule with no cases is scored on both, so everything it flags is a false positive.
 * Rows come in the order of the truth's cases, then rules only the run produced, by id.
 */
export function scoreDetections(truth: GroundTruth, detected: Detections): RuleScore[] {
  const expectedByRule = new Map<string, { records: Set<string> | null; subjects: Set<string> | null }>();
  for (const c of truth.cases) {
    const e = expectedByRule.get(c.rule) ?? { records: null, subjects: null };
    if (c.expect.records) {
      e.records ??= new Set();
      for (const id of c.expect.records) e.records.add(id);
    }
    if (c.expect.subjects) {
      e.subjects ??= new Set();
      for (const s of c.expect.subjects) e.subjects.add(subjectKey(s));
    }
    expectedByRule.set(c.rule, e);
  }
  const onlyDetected = [...detected.byRule.keys()].filter((r) => !expectedByRule.has(r)).sort();
  const rules = [...expectedByRule.keys(), ...onlyDetected];

  return rules.map((rule) => {
    const exp = expectedByRule.get(rule);
    const got = detected.byRule.get(rule) ?? { records: new Set<string>(), subjects: new Set<string>() };
    const dims: Array<[Set<string>, Set<string>]> = exp
      ? [
          ...(exp.records ? [[exp.records, got.records] as [Set<string>, Set<string>]] : []),
          ...(exp.subjects ? [[exp.subjects, got.subjects] as [Set<string>, Set<string>]] : []),
        ]
      : [
          [new Set<string>(), got.records],
          [new Set<string>(), got.subjects],
        ];
    let expected = 0;
    let found = 0;
    let truePositives = 0;
    for (const [want, have] of dims) {
      expected += want.size;
      found += have.size;
      for (const key of have) if (want.has(key)) truePositives++;
    }
    return {
      rule,
      expected,
      detected: found,
      truePositives,
      recall: expected === 0 ? null : truePositives / expected,
      precision: found === 0 ? null : truePositives / found,
    };
  });
}

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);

/** A fixed-width table for the benchmark's console output, with a micro-averaged total line. */
export function formatScoreTable(scores: RuleScore[]): string {
  const total = scores.reduce((t, s) => ({ expected: t.expected + s.expected, detected: t.detected + s.detected, tp: t.tp + s.truePositives }), {
    expected: 0,
    detected: 0,
    tp: 0,
  });
  const rows: string[][] = [
    ['rule', 'expected', 'detected', 'TP', 'recall', 'precision'],
    ...scores.map((s) => [s.rule, String(s.expected), String(s.detected), String(s.truePositives), pct(s.recall), pct(s.precision)]),
    [
      'total',
      String(total.expected),
      String(total.detected),
      String(total.tp),
      pct(total.expected === 0 ? null : total.tp / total.expected),
      pct(total.detected === 0 ? null : total.tp / total.detected),
    ],
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(rows[0]!), rule, ...rows.slice(1, -1).map(line), rule, line(rows[rows.length - 1]!)].join('\n');
}

// ---- look-ups (issue #6): the injected misuse of vehicle and driver data look-ups ----

export interface LookupGroundTruthCase {
  /** stable, e.g. `L-BULK-seller` */
  id: string;
  /** the look-up rule that must flag it (L-BULK, L-SHARED, …) */
  rule: string;
  /** zh-CN: what was injected */
  description: string;
  /** the accounts (警号) the rule must raise an alert about */
  expect: { accounts: string[] };
}

export interface LookupGroundTruth {
  seed: number;
  generatedFor: { days: number; lookups: number; endAt: string };
  cases: LookupGroundTruthCase[];
}

/**
 * Per look-up rule: expected = the cases' accounts, detected = the accounts the run raised an alert
 * about. Precision counts every alert of the rule, on the clean background too.
 */
export function scoreLookupDetections(truth: LookupGroundTruth, detected: ReadonlyMap<string, ReadonlySet<string>>): RuleScore[] {
  const expected = new Map<string, Set<string>>();
  for (const c of truth.cases) {
    const e = expected.get(c.rule) ?? expected.set(c.rule, new Set()).get(c.rule)!;
    for (const a of c.expect.accounts) e.add(a);
  }
  const rules = [...new Set([...expected.keys(), ...detected.keys()])].sort();
  return rules.map((rule) => {
    const want = expected.get(rule) ?? new Set<string>();
    const have = detected.get(rule) ?? new Set<string>();
    const tp = [...have].filter((a) => want.has(a)).length;
    return {
      rule,
      expected: want.size,
      detected: have.size,
      truePositives: tp,
      recall: want.size === 0 ? null : tp / want.size,
      precision: have.size === 0 ? null : tp / have.size,
    };
  });
}
