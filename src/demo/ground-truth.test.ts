import { describe, expect, it } from 'vitest';
import { formatScoreTable, scoreDetections, type Detections, type GroundTruth } from './ground-truth.ts';

const truth: GroundTruth = {
  seed: 1,
  generatedFor: { days: 90, cameraRecords: 2000, onSiteRecords: 300, endAt: '2025-11-26T00:00:00+08:00' },
  cases: [
    { id: 'R-REPEAT-1', rule: 'R-REPEAT', description: '连续违停', expect: { records: ['GT-REPEAT-1-2', 'GT-REPEAT-1-3'] } },
    { id: 'R-REPEAT-2', rule: 'R-REPEAT', description: '连续违停', expect: { records: ['GT-REPEAT-2-2'] } },
    { id: 'D-NONLOCAL-1', rule: 'D-NONLOCAL', description: '外地货车', expect: { subjects: [{ kind: 'officer', id: '050141' }] } },
    { id: 'R-DAILY-CAP-1', rule: 'R-DAILY-CAP', description: '日上限', expect: { subjects: [{ kind: 'officer', id: '050146' }] } },
  ],
};

const detections = (byRule: Record<string, { records?: string[]; subjects?: string[] }>): Detections => ({
  byRule: new Map(Object.entries(byRule).map(([rule, d]) => [rule, { records: new Set(d.records ?? []), subjects: new Set(d.subjects ?? []) }])),
});
const perfect = {
  'R-REPEAT': { records: ['GT-REPEAT-1-2', 'GT-REPEAT-1-3', 'GT-REPEAT-2-2'] },
  'D-NONLOCAL': { subjects: ['officer:050141'] },
  'R-DAILY-CAP': { subjects: ['officer:050146'] },
};
const byRule = (scores: ReturnType<typeof scoreDetections>) => new Map(scores.map((s) => [s.rule, s]));

describe('scoreDetections', () => {
  it('scores a perfect run at recall and precision 1 for every rule, in the order of the cases', () => {
    const scores = scoreDetections(truth, detections(perfect));
    expect(scores.map((s) => s.rule)).toEqual(['R-REPEAT', 'D-NONLOCAL', 'R-DAILY-CAP']);
    expect(scores[0]).toEqual({ rule: 'R-REPEAT', expected: 3, detected: 3, truePositives: 3, recall: 1, precision: 1 });
    expect(scores.every((s) => s.recall === 1 && s.precision === 1)).toBe(true);
  });

  it('lowers recall for a missed record and a missed subject, and leaves precision alone', () => {
    const s = byRule(scoreDetections(truth, detections({ ...perfect, 'R-REPEAT': { records: ['GT-REPEAT-1-2', 'GT-REPEAT-2-2'] }, 'D-NONLOCAL': {} })));
    expect(s.get('R-REPEAT')).toMatchObject({ expected: 3, detected: 2, truePositives: 2, precision: 1 });
    expect(s.get('R-REPEAT')!.recall).toBeCloseTo(2 / 3);
    expect(s.get('D-NONLOCAL')).toEqual({ rule: 'D-NONLOCAL', expected: 1, detected: 0, truePositives: 0, recall: 0, precision: null });
  });

  it('counts a flag on the background as a false positive, also for a rule with no case', () => {
    const s = byRule(
      scoreDetections(truth, detections({ ...perfect, 'R-REPEAT': { records: [...perfect['R-REPEAT'].records, 'CAM-20251001-000042'] }, 'R-CASH': { records: ['ONS-20251002-00007'] } })),
    );
    expect(s.get('R-REPEAT')).toMatchObject({ expected: 3, detected: 4, truePositives: 3, recall: 1, precision: 0.75 });
    expect(s.get('R-CASH')).toEqual({ rule: 'R-CASH', expected: 0, detected: 1, truePositives: 0, recall: null, precision: 0 });
  });

  it('scores a rule on the dimensions its cases name: evidence records of a subject rule are not charged', () => {
    const s = byRule(scoreDetections(truth, detections({ ...perfect, 'R-DAILY-CAP': { subjects: ['officer:050146', 'officer:050999'], records: ['GT-DAILYCAP-151'] } })));
    expect(s.get('R-DAILY-CAP')).toMatchObject({ expected: 1, detected: 2, truePositives: 1, recall: 1, precision: 0.5 });
  });

  it('formats a table with one line per rule and a total', () => {
    const table = formatScoreTable(scoreDetections(truth, detections({ ...perfect, 'D-NONLOCAL': { subjects: ['officer:050141', 'checkpoint:SXJ-0027'] } })));
    const lines = table.split('\n');
    expect(lines[0]).toMatch(/^rule\s+expected\s+detected\s+TP\s+recall\s+precision$/);
    expect(lines.find((l) => l.startsWith('D-NONLOCAL'))).toMatch(/1\s+2\s+1\s+100\.0%\s+50\.0%$/);
    expect(lines.at(-1)).toMatch(/^total\s+5\s+6\s+5\s+100\.0%\s+83\.3%$/);
    expect(formatScoreTable(scoreDetections(truth, detections({})))).toMatch(/R-REPEAT\s+3\s+0\s+0\s+0\.0%\s+—/);
  });
});
