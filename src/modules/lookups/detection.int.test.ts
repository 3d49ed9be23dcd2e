import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LOOKUP_RULE_PARAMS } from '../../contracts/lookup-rules.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import { seedDemo } from '../../demo/index.ts';
import { bootstrapContext } from '../../platform/bootstrap.ts';
import { addPersonnelSubjects } from './detection.personnel.ts';
import { randomRows } from './detection.queries.ts';
import { detectForBatch, lookupDetectionIdle, runLookupDetection, sexOfIdNumber } from './detection.service.ts';
import { ingestLookups } from './intake.service.ts';
import { isSampled } from './rules/activity-rules.ts';
import { subjectKeys } from './subject-crypto.ts';
import { rebuildLookupSummaries, summaryMismatches } from './summaries.ts';

const ctx = bootstrapContext('test');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clearlane-l2-'));
const keys = subjectKeys({ dataDir });
// a Monday in Beijing time, far enough back that nothing is "in the future"
const bj = (s: string) => new Date(`${s}+08:00`).toISOString();
let seq = 0;

interface People {
  police: Array<{ id: number; badge: string; unitId: number }>;
}

/** The scenario: one case per rule, as intake rows. */
function scenario(p: People): unknown[] {
  const [a, b, c, d, e, ...rest] = p.police;
  const row = (account: string, at: string, extra: Record<string, unknown> = {}) => ({
    externalId: `T${String(++seq).padStart(5, '0')}`,
    at: bj(at),
    account,
    certificateId: `CERT-${account}`,
    terminal: { id: `TERM-${account}`, ip: '10.1.1.1' },
    queryType: 'vehicle',
    subject: { plate: `苏E${String(10000 + seq)}` },
    ...extra,
  });
  const rows: unknown[] = [];
  // L-UNKNOWN
  rows.push(row('999999', '2026-11-02T10:00:00'), row('999999', '2026-11-02T10:05:00'));
  // L-PURPOSE (3 unjustified in office hours) and L-OFFDUTY (3 at night)
  for (const m of ['10:00', '10:10', '10:20']) rows.push(row(a!.badge, `2026-11-02T${m}:00`));
  for (const m of ['22:00', '22:10', '22:20']) rows.push(row(a!.badge, `2026-11-03T${m}:00`));
  // L-SELF and L-COLLEAGUE (b's plate and c's registered plate)
  rows.push(row(b!.badge, '2026-11-04T10:00:00', { subject: { plate: '苏E0B001' } }), row(b!.badge, '2026-11-04T10:30:00', { subject: { plate: '苏E0C001' } }));
  // L-HOT: five accounts, one plate, two days
  for (const [i, x] of [a, b, c, d, e].entries()) rows.push(row(x!.badge, `2026-11-0${5 + (i % 2)}T11:0${i}:00`, { subject: { plate: '苏E88888' } }));
  // L-SHARED: d's certificate on two terminals within minutes
  rows.push(row(d!.badge, '2026-11-09T09:00:00', { terminal: { id: 'TERM-X', ip: '10.1.1.2' } }), row(d!.badge, '2026-11-09T09:03:00', { terminal: { id: 'TERM-Y', ip: '10.1.1.3' } }));
  // L-BULK: e looks up 26 plates in ten minutes, sequential
  for (let i = 0; i < 26; i++) rows.push(row(e!.badge, `2026-11-10T09:${String(10 + Math.floor(i / 3)).padStart(2, '0')}:${String((i % 3) * 15).padStart(2, '0')}`, { subject: { plate: `苏E5${String(1000 + i)}` } }));
  // L-CRIMINAL: 12 location-track records without a reason
  const f = rest[0]!;
  for (let i = 0; i < 12; i++) rows.push(row(f.badge, `2026-11-1${i % 5}T09:${String(i).padStart(2, '0')}:00`, { queryType: 'locationTrack', resultCount: 1 }));
  // L-SKEW source data: ID numbers of both sexes (sex back-filled from the ciphertext)
  rows.push(row(rest[1]!.badge, '2026-11-11T09:00:00', { queryType: 'driver', subject: { idNumber: '320501199001011224' } }));
  return rows;
}

async function setUp(db: TestDatabase) {
  // Both installations sample with the same L-RANDOM key (each would draw its own at first start):
  // what is compared is the order the look-ups arrived in, not two different samples.
  await sql`INSERT INTO lookup_rule_sets (version, params, note) VALUES (1, ${JSON.stringify(DEFAULT_LOOKUP_RULE_PARAMS)}, '测试：固定抽查密钥')`.execute(db.db);
  await seedDemo(db, 'Demo#Pass2026');
  const { rows } = await sql<{ id: number; badge_no: string; unit_id: number }>`
    SELECT id, badge_no, unit_id FROM personnel WHERE category = 'police' AND badge_no >= '050100' ORDER BY badge_no LIMIT 10`.execute(db.db);
  const police = rows.map((r) => ({ id: r.id, badge: r.badge_no, unitId: r.unit_id }));
  await addPersonnelSubjects(db.db, ctx, keys, [
    { personId: police[1]!.id, relation: 'self', plate: '苏E0B001', note: '' },
    { personId: police[2]!.id, relation: 'self', plate: '苏E0C001', note: '' },
  ]);
  return { police };
}

async function openAlerts(db: TestDatabase) {
  const { rows } = await sql<{ rule: string; dedup_key: string; severity: string; person_id: number | null; evidence: Array<{ externalId: string; lookupId: number }> }>`
    SELECT rule, dedup_key, severity, person_id, evidence FROM alerts WHERE source = 'lookups' AND status IN ('open', 'acknowledged') ORDER BY rule, dedup_key`.execute(db.db);
  return rows.map((r) => ({ rule: r.rule, key: r.dedup_key, severity: r.severity, evidence: (typeof r.evidence === 'string' ? JSON.parse(r.evidence) : r.evidence).map((x: { externalId: string }) => x.externalId).sort() }));
}

describe('look-up detection', () => {
  let a: TestDatabase;
  let b: TestDatabase;
  let rowsA: unknown[];
  const now = Date.parse('2026-11-20T12:00:00+08:00');

  beforeAll(async () => {
    [a, b] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    const [pa, pb] = await Promise.all([setUp(a), setUp(b)]);
    seq = 0;
    rowsA = scenario(pa);
    seq = 0;
    const rowsB = scenario(pb);
    // A: three batches in time order; B: the same rows, batches reversed and each reversed
    const third = Math.ceil(rowsA.length / 3);
    for (const chunk of [rowsA.slice(0, third), rowsA.slice(third, 2 * third), rowsA.slice(2 * third)]) {
      const s = await ingestLookups(a.db, ctx, keys, chunk);
      expect(s.rejected).toBe(0);
      await detectForBatch(a.db, ctx, s.touched, { keys, now });
    }
    for (const chunk of [rowsB.slice(2 * third), rowsB.slice(third, 2 * third), rowsB.slice(0, third)]) {
      const s = await ingestLookups(b.db, ctx, keys, [...chunk].reverse());
      await detectForBatch(b.db, ctx, s.touched, { keys, now });
    }
    await Promise.all([lookupDetectionIdle(a.db), lookupDetectionIdle(b.db)]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([a?.drop(), b?.drop()]);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('raises each injected case, with look-ups as evidence', async () => {
    const alerts = await openAlerts(a);
    const rules = new Set(alerts.map((x) => x.rule));
    for (const r of ['L-UNKNOWN', 'L-PURPOSE', 'L-OFFDUTY', 'L-SELF', 'L-COLLEAGUE', 'L-HOT', 'L-SHARED', 'L-BULK', 'L-CRIMINAL']) expect(rules, r).toContain(r);
    expect(alerts.filter((x) => x.rule === 'L-HOT')).toHaveLength(5);
    const bulk = alerts.find((x) => x.rule === 'L-BULK')!;
    expect(bulk.evidence).toHaveLength(26);
    expect(alerts.find((x) => x.rule === 'L-CRIMINAL')!.severity).toBe('high');
    for (const x of alerts) expect(x.evidence.length).toBeGreaterThan(0);
  });

  it('gives the same alerts whatever the order the batches arrived in', async () => {
    expect(await openAlerts(b)).toEqual(await openAlerts(a));
  });

  it('a full run finds the same, and creates nothing new', async () => {
    const before = await openAlerts(a);
    const run = await runLookupDetection(a.db, ctx, 'all', { keys, now, days: 60 });
    expect(run.created).toBe(0);
    expect(await openAlerts(a)).toEqual(before);
  });

  it('does not raise a dismissed finding again', async () => {
    await sql`UPDATE alerts SET status = 'dismissed', status_reason = '已核实' WHERE rule = 'L-UNKNOWN'`.execute(a.db);
    const run = await runLookupDetection(a.db, ctx, 'all', { keys, now, days: 60 });
    expect(run.byRule['L-UNKNOWN']).toBeGreaterThan(0);
    expect((await openAlerts(a)).filter((x) => x.rule === 'L-UNKNOWN')).toEqual([]);
  });

  it('fills the subject sex from the ID number', async () => {
    expect(sexOfIdNumber('320501199001011224')).toBe('F');
    expect(sexOfIdNumber('320501199001011214')).toBe('M');
    const { rows } = await sql<{ subject_sex: string | null }>`SELECT subject_sex FROM lookups WHERE subject_id_hash IS NOT NULL`.execute(a.db);
    expect(rows.map((r) => r.subject_sex)).toEqual(['F']);
  });

  it('keeps the summaries exact whatever the order, and a re-sent batch counts nothing', async () => {
    expect(await summaryMismatches(a.db)).toBe(0);
    expect(await summaryMismatches(b.db)).toBe(0);
    // the same counts in both installations (ids aside: they follow the arrival order)
    const counts = async (db: TestDatabase) =>
      (await sql`SELECT account, day, lookups, unjustified, known_sex, female, min_cert, max_cert, min_term, max_term, foreign_terminal, track_records FROM lookup_account_days ORDER BY account, day`.execute(db.db)).rows;
    const subjects = async (db: TestDatabase) => (await sql`SELECT subject, day, account, lookups FROM lookup_unjustified_subjects ORDER BY subject, day, account`.execute(db.db)).rows;
    const certificates = async (db: TestDatabase) => (await sql`SELECT certificate_id, day, min_account, max_account FROM lookup_certificate_days ORDER BY certificate_id, day`.execute(db.db)).rows;
    expect(await counts(b)).toEqual(await counts(a));
    expect(await subjects(b)).toEqual(await subjects(a));
    expect(await certificates(b)).toEqual(await certificates(a));
    expect((await counts(a)).length).toBeGreaterThan(5);
    const again = await ingestLookups(a.db, ctx, keys, rowsA.slice(0, 20));
    expect(again).toMatchObject({ created: 0, duplicates: 20 });
    expect(await counts(a)).toEqual(await counts(b));
    expect(await summaryMismatches(a.db)).toBe(0);
  });

  it('the migration back-fills the summaries and the sample from look-ups stored before it', async () => {
    const statements = fs
      .readFileSync(path.join(import.meta.dirname, '../../../migrations/0013_lookup_summaries.sql'), 'utf8')
      .replace(/--.*$/gm, '')
      .split(';')
      .map((x) => x.trim())
      .filter((x) => /^(INSERT INTO lookup_|UPDATE lookups)/.test(x));
    expect(statements).toHaveLength(4);
    await sql`DELETE FROM lookup_account_days`.execute(b.db);
    await sql`DELETE FROM lookup_unjustified_subjects`.execute(b.db);
    await sql`DELETE FROM lookup_certificate_days`.execute(b.db);
    await sql`UPDATE lookups SET sampled = NULL`.execute(b.db);
    for (const x of statements) await sql.raw(x).execute(b.db);
    expect(await summaryMismatches(b.db)).toBe(0);
    const { rows } = await sql<{ external_id: string; sampled: boolean | null }>`SELECT external_id, sampled FROM lookups`.execute(b.db);
    expect(rows.length).toBeGreaterThan(50);
    expect(rows.every((r) => r.sampled === isSampled(r.external_id, DEFAULT_LOOKUP_RULE_PARAMS))).toBe(true);
  });

  it('a full run reads the summaries: the same findings after the summaries are rebuilt from the look-ups', async () => {
    const before = await openAlerts(a);
    await rebuildLookupSummaries(a.db);
    expect(await summaryMismatches(a.db)).toBe(0);
    const run = await runLookupDetection(a.db, ctx, 'all', { keys, now, days: 60 });
    expect(run.created).toBe(0);
    expect(await openAlerts(a)).toEqual(before);
  });

  it('draws the L-RANDOM sample on arrival as the pure function does, and in SQL for look-ups never drawn', async () => {
    const { rows: stored } = await sql<{ external_id: string; sampled: boolean | null; person_id: number | null }>`SELECT external_id, sampled, person_id FROM lookups`.execute(a.db);
    expect(stored.every((r) => r.sampled === isSampled(r.external_id, DEFAULT_LOOKUP_RULE_PARAMS))).toBe(true);
    const everything = { all: true, accounts: [], subjectHashes: [], certificates: [] };
    const year = { from: bj('2026-01-01T00:00:00'), to: bj('2027-01-01T00:00:00') };
    const drawn = await randomRows(a.db, everything, year, DEFAULT_LOOKUP_RULE_PARAMS);
    expect(drawn.map((r) => r.externalId).sort()).toEqual(stored.filter((r) => r.sampled && r.person_id !== null).map((r) => r.external_id).sort());
    // never drawn (loaded some other way): the same keyed hash in SQL
    const params = { ...DEFAULT_LOOKUP_RULE_PARAMS, randomOneIn: 7, randomKey: 'test-sample-key' };
    await sql`UPDATE lookups SET sampled = NULL`.execute(a.db);
    try {
      const expected = stored.filter((r) => r.person_id !== null).map((r) => r.external_id).filter((id) => isSampled(id, params)).sort();
      const got = await randomRows(a.db, everything, year, params);
      expect(expected.length).toBeGreaterThan(0);
      expect(got.map((r) => r.externalId).sort()).toEqual(expected);
    } finally {
      await sql`UPDATE lookups l SET sampled = v.s FROM unnest(${stored.map((r) => r.external_id)}::text[], ${stored.map((r) => r.sampled)}::boolean[]) AS v(e, s) WHERE l.external_id = v.e`.execute(a.db);
    }
  });
});
