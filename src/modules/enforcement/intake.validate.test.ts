import { describe, expect, it } from 'vitest';
import { recordInput } from '../../contracts/enforcement.ts';
import { demoEnforcementPeople, generateEnforcementDemo } from '../../demo/enforcement.demo.ts';
import { canonicalCamera, validateRows } from './intake.validate.ts';

const demo = generateEnforcementDemo({ seed: 7, cameraRecords: 2_000, onSiteRecords: 300, people: demoEnforcementPeople(7), days: 45 });
const rows = [...demo.rows()] as Array<Record<string, unknown>>;
const cameras = rows.filter((r) => r.kind === 'camera');

/** A deep copy with one path changed (value undefined: the key removed). */
function mutate(row: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(row);
  let o = copy as Record<string, unknown>;
  for (const k of path.slice(0, -1)) o = o[k] as Record<string, unknown>;
  const last = path[path.length - 1]!;
  if (value === undefined) delete o[last];
  else o[last] = value;
  return copy;
}

const sample = cameras[0]!;
const MUTATIONS: Array<[string[], unknown]> = [
  [['externalId'], ' CAM-1'],
  [['externalId'], ''],
  [['externalId'], 'x'.repeat(65)],
  [['externalId'], 'CAM\u0001'],
  [['externalId'], 42],
  [['kind'], 'onSite'],
  [['kind'], 'drone'],
  [['plate'], ' 苏a·12345 '],
  [['plate'], '苏I12345'],
  [['plate'], '苏AD12345'],
  [['vehicleType'], 'bus'],
  [['violationCode'], ' 1625'],
  [['violationCode'], '16'],
  [['occurredAt'], '2026-03-02T10:00:00'],
  [['occurredAt'], '2026-02-30T10:00:00+08:00'],
  [['occurredAt'], '2026-03-02T10:00:00.123456Z'],
  [['occurredAt'], new Date(Date.now() + 60_000).toISOString()],
  [['occurredAt'], new Date(Date.now() + 3_600_000).toISOString()],
  [['place', 'road'], ''],
  [['place', 'road'], ' 中山路'],
  [['place', 'road'], '中山路\t东'],
  [['place', 'direction'], ''],
  [['place', 'km'], -1],
  [['place', 'km'], Number.NaN],
  [['place', 'km'], Number.POSITIVE_INFINITY],
  [['place', 'km'], '3.2'],
  [['place', 'lat'], 91],
  [['place', 'lon'], undefined],
  [['place', 'extra'], 1],
  [['place'], undefined],
  [['deviceId'], undefined],
  [['deviceId'], ''],
  [['evidence'], undefined],
  [['evidence'], []],
  [['evidence', '0', 'sha256'], 'A'.repeat(64)],
  [['evidence', '0', 'sha256'], ` ${'a'.repeat(64)}`],
  [['evidence', '0', 'sha256'], undefined],
  [['evidence', '0', 'kind'], 'audio'],
  [['evidence', '0', 'note'], 'x'],
  [['assistants'], []],
  [['assistants'], ['010001']],
  [['remoteArea'], true],
  [['remoteArea'], 'yes'],
  [['fineYuan'], 200],
  [['fineYuan'], -5],
  [['points'], 1.5],
  [['points'], 3],
  [['decidingOfficer'], '010001'],
  [['driver'], { name: '张三' }],
  [['unknown'], 1],
  [['place', 'description'], undefined],
];

describe('intake validation: the canonical camera path answers as the zod contract does', () => {
  it('accepts the demo camera rows as zod parses them', () => {
    const now = Date.now();
    for (const row of cameras) {
      const fast = canonicalCamera(row, now);
      expect(fast).toBeDefined();
      expect(fast).toStrictEqual(recordInput.parse(row));
    }
  });

  it('on every mutation, either leaves the row to zod or returns exactly what zod returns', () => {
    const now = Date.now();
    let fastAnswers = 0;
    for (const [path, value] of MUTATIONS) {
      const row = mutate(sample, path, value);
      const fast = canonicalCamera(row, now);
      const parsed = recordInput.safeParse(row);
      if (fast === undefined) continue;
      fastAnswers++;
      expect(parsed.success, `${path.join('.')} = ${String(value)}`).toBe(true);
      expect(fast, `${path.join('.')} = ${String(value)}`).toStrictEqual(parsed.data);
    }
    // the harmless mutations (optional fields in canonical form) still take the fast path
    expect(fastAnswers).toBeGreaterThanOrEqual(8);
  });

  it('leaves on-site rows to zod, and a batch gets the same results either way', async () => {
    const onSite = rows.find((r) => r.kind === 'onSite')!;
    expect(canonicalCamera(onSite, Date.now())).toBeUndefined();
    const batch = [...rows.slice(0, 50), ...MUTATIONS.map(([path, value]) => mutate(sample, path, value))];
    const { results, valid, rejected } = await validateRows(batch);
    const expected = batch.map((r) => recordInput.safeParse(r));
    expect(rejected).toBe(expected.filter((e) => !e.success).length);
    expect(valid.map((v) => v.input)).toStrictEqual(expected.flatMap((e) => (e.success ? [e.data] : [])));
    for (const [i, e] of expected.entries()) {
      if (e.success) expect(results[i]).toBeUndefined();
      else expect(results[i]).toMatchObject({ errors: expect.arrayContaining([expect.objectContaining({ message: e.error.issues[0]!.message })]) });
    }
  });
});
