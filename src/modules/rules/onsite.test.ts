import { describe, expect, it } from 'vitest';
import { checkOnSite } from './onsite.ts';
import { camera, context, HOUR, onSite, past, SHA, T0 } from './rules.testing.ts';

const ctx = context();

describe('checkOnSite', () => {
  it('a lawful simple-procedure fine is compliant and lists every check as passed', () => {
    const d = checkOnSite(onSite(), [], ctx);
    expect(d).toEqual({
      outcome: 'compliant',
      findings: [],
      passed: ['R-DECIDER', 'R-PROCEDURE', 'R-CASH', 'R-FINE-RANGE', 'R-EVIDENCE', 'R-REPEAT', 'R-WARN-FIRST'],
    });
  });

  it('runs every check and reports every finding with its severity', () => {
    const d = checkOnSite(
      onSite({ decidingOfficer: 'F10001', fineYuan: 300, payment: { method: 'cashOnSpot' }, evidence: [{ kind: 'photo', ref: 'p', sha256: SHA }] }),
      [],
      ctx,
    );
    expect(d.outcome).toBe('nonCompliant');
    expect(d.findings.map((f) => [f.rule, f.severity])).toEqual([
      ['R-DECIDER', 'high'],
      ['R-PROCEDURE', 'medium'],
      ['R-CASH', 'high'],
      ['R-FINE-RANGE', 'medium'],
      ['R-EVIDENCE', 'medium'],
    ]);
    expect(d.passed).toEqual(['R-REPEAT', 'R-WARN-FIRST']);
  });

  it('a fine where a first-violation warning was due is a low finding', () => {
    const d = checkOnSite(onSite({ violationCode: '1345', fineYuan: 100, points: 1 }), [], ctx);
    expect(d.findings.map((f) => [f.rule, f.severity])).toEqual([['R-WARN-FIRST', 'low']]);
  });

  it('fining again a continuing act already penalised is a medium finding; a warning is not', () => {
    const earlier = past({ violationCode: '1039', occurredAt: T0 - HOUR, outcome: 'penalty' });
    const parkingFine = { violationCode: '1039', fineYuan: 200, points: 0 };
    const d = checkOnSite(onSite(parkingFine), [earlier], ctx);
    expect(d.findings).toMatchObject([{ rule: 'R-REPEAT', severity: 'medium', facts: { linkedRecordId: earlier.id } }]);
    expect(checkOnSite(onSite({ ...parkingFine, fineYuan: 0, points: 0, evidence: [] }), [earlier], ctx).findings.map((f) => f.rule)).not.toContain('R-REPEAT');
    // a red light an hour after another is a second violation, not a repeat
    expect(checkOnSite(onSite(), [past({ violationCode: '1625', occurredAt: T0 - HOUR, outcome: 'penalty' })], ctx).outcome).toBe('compliant');
  });

  it('a warning (no fine, no points) on a code outside the warning list is a downgrade finding', () => {
    const d = checkOnSite(onSite({ fineYuan: 0, points: 0 }), [], ctx);
    expect(d.findings).toMatchObject([{ rule: 'R-FINE-RANGE', facts: { warningEligible: false, fineYuan: 0 } }]);
    expect(d.findings[0]!.message).toMatch(/不得以警告/);
    expect(checkOnSite(onSite({ violationCode: '1345', fineYuan: 0, points: 0, evidence: [] }), [], ctx).findings.map((f) => f.rule)).not.toContain('R-FINE-RANGE');
  });

  it('an unknown code is a finding; range and warning checks are not run', () => {
    const d = checkOnSite(onSite({ violationCode: '9999' }), [], ctx);
    expect(d.findings.map((f) => f.rule)).toEqual(['R-CODE-UNKNOWN']);
    expect(d.passed).not.toContain('R-FINE-RANGE');
    expect(d.passed).not.toContain('R-WARN-FIRST');
  });

  it('refuses a camera record', () => {
    expect(() => checkOnSite(camera(), [], ctx)).toThrow(TypeError);
  });
});
