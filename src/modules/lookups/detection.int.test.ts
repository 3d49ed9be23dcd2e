import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEFAULT_LOOKUP_RULE_PARAMS } from '../../contracts/lookup-rules.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import { seedDemo } from '../../demo/index.ts';
import { bootstrapContext } from '../../platform/bootstrap.ts';
import { addPersonnelSubjects } from './detection.personnel.ts';
import { dailyCounts, randomRows, storeSex } from './detection.queries.ts';
import { detectForBatch, lookupDetectionIdle, runLookupDetection, sexOfIdNumber } from './detection.service.ts';
import { ingestLookups } from './intake.service.ts';
import { rebindInScope, rebindLookupsForRecords } from './rebind.service.ts';
import { detectUnknown } from './rules/account-rules.ts';
import { detectPurpose, isSampled } from './rules/activity-rules.ts';
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

  it('the migration back-fills the summaries from look-ups stored before it, and leaves them undrawn for the runner', async () => {
    const statements = fs
      .readFileSync(path.join(import.meta.dirname, '../../../migrations/0013_lookup_summaries.sql'), 'utf8')
      .replace(/--.*$/gm, '')
      .split(';')
      .map((x) => x.trim())
      .filter((x) => /^(INSERT INTO lookup_|UPDATE lookups)/.test(x));
    // the summaries only: no UPDATE of every look-up to draw the sample
    expect(statements).toHaveLength(3);
    expect(statements.every((x) => x.startsWith('INSERT INTO lookup_'))).toBe(true);
    await sql`DELETE FROM lookup_account_days`.execute(b.db);
    await sql`DELETE FROM lookup_unjustified_subjects`.execute(b.db);
    await sql`DELETE FROM lookup_certificate_days`.execute(b.db);
    for (const x of statements) await sql.raw(x).execute(b.db);
    expect(await summaryMismatches(b.db)).toBe(0);
    // the migration's day is the code's, text for text (and so the planner's statistics match both)
    const sqlText = fs.readFileSync(path.join(import.meta.dirname, '../../../migrations/0013_lookup_summaries.sql'), 'utf8');
    expect(sqlText).toContain("CREATE STATISTICS lookups_account_day (ndistinct) ON account, person_id, (floor((date_part('epoch', at) + 28800) / 86400)::int) FROM lookups;");
    expect(sqlText.match(/date_part\('epoch', at\)[^,]*/g)!.every((x) => x.startsWith("date_part('epoch', at) + 28800) / 86400)::int"))).toBe(true);
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
    const { rows: stored } = await sql<{ external_id: string; sampled: boolean | null; sample_one_in: number | null; person_id: number | null }>`SELECT external_id, sampled, sample_one_in, person_id FROM lookups`.execute(a.db);
    expect(stored.every((r) => r.sampled === isSampled(r.external_id, DEFAULT_LOOKUP_RULE_PARAMS))).toBe(true);
    expect(stored.every((r) => r.sample_one_in === (r.sampled ? DEFAULT_LOOKUP_RULE_PARAMS.randomOneIn : null))).toBe(true);
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
      expect(got.every((r) => r.oneIn === 7)).toBe(true);
    } finally {
      await sql`UPDATE lookups l SET sampled = v.s FROM unnest(${stored.map((r) => r.external_id)}::text[], ${stored.map((r) => r.sampled)}::boolean[]) AS v(e, s) WHERE l.external_id = v.e`.execute(a.db);
    }
  });
});

describe('look-up detection at the edges: the last instant of a day, late look-ups, changed parameters, re-binding', () => {
  let db: TestDatabase;
  let police: Array<{ id: number; badge: string; unitId: number }>;
  const now = Date.parse('2026-11-20T12:00:00+08:00');
  let n = 0;
  const row = (account: string, at: string, extra: Record<string, unknown> = {}) => ({
    externalId: `E${String(++n).padStart(5, '0')}`,
    at: bj(at),
    account,
    certificateId: `CERT-${account}`,
    terminal: { id: `TERM-${account}`, ip: '10.1.1.1' },
    queryType: 'vehicle',
    subject: { plate: `苏E${String(20000 + n)}` },
    ...extra,
  });
  const alerts = async (rule: string) =>
    (await sql<{ id: number; dedup_key: string; status: string; facts: unknown; explanation: string }>`
      SELECT id, dedup_key, status, facts, explanation FROM alerts WHERE rule = ${rule} ORDER BY id`.execute(db.db)).rows.map((a) => ({
      ...a,
      facts: (typeof a.facts === 'string' ? JSON.parse(a.facts) : a.facts) as Record<string, unknown>,
    }));
  const fullRun = () => runLookupDetection(db.db, ctx, 'all', { keys, now, days: 60 });
  const ruleSet = (version: number, randomOneIn: number) =>
    sql`INSERT INTO lookup_rule_sets (version, params, note) VALUES (${version}, ${JSON.stringify({ ...DEFAULT_LOOKUP_RULE_PARAMS, randomOneIn })}, '测试')`.execute(db.db);
  /** An on-site record of `person` for the plate, as enforcement intake stores it. */
  const enforcementRecord = async (id: number, externalId: string, person: { id: number; badge: string; unitId: number }, plate: string, at: string) =>
    sql`INSERT INTO enforcement_records (id, external_id, kind, plate, vehicle_type, freight, violation_code, occurred_at, road, deciding_officer, deciding_person_id, unit_id, outcome, decided_outcome, reasons, rule_set_version, catalogue_version, batch_seq)
        VALUES (${id}, ${externalId}, 'onSite', ${plate}, 'smallPassenger', false, '1625', ${bj(at)}, '北京东路', ${person.badge}, ${person.id}, ${person.unitId}, 'compliant', 'compliant', '[]', 1, 1, 1)`.execute(db.db);
  const cited = (p: string, at: string, caseRef: string, plate: string) => row(p, at, { caseRef, subject: { plate }, purpose: { category: '案件办理', text: '核查' } });

  beforeAll(async () => {
    db = await createTestDatabase();
    // 1 in 1,000,000: no look-up of these tests is sampled unless a test changes the ratio
    await ruleSet(1, 1_000_000);
    await seedDemo(db, 'Demo#Pass2026');
    const { rows } = await sql<{ id: number; badge_no: string; unit_id: number }>`
      SELECT id, badge_no, unit_id FROM personnel WHERE category = 'police' AND badge_no >= '050100' ORDER BY badge_no LIMIT 10`.execute(db.db);
    police = rows.map((r) => ({ id: r.id, badge: r.badge_no, unitId: r.unit_id }));
  }, 120_000);
  afterAll(async () => {
    await db?.drop();
  });

  it('a look-up in the last second of a Beijing day counts on that day (floor, not rounding): L-PURPOSE and L-UNKNOWN find it', async () => {
    const p = police[0]!.badge;
    const s = await ingestLookups(db.db, ctx, keys, [row(p, '2026-11-02T10:00:00'), row(p, '2026-11-02T10:10:00'), row(p, '2026-11-02T23:59:59.700'), row('888888', '2026-11-03T23:59:59.800')]);
    expect(s.created).toBe(4);
    const day = (iso: string) => Math.floor((Date.parse(`${iso}T00:00:00+08:00`) + 8 * 3_600_000) / 86_400_000);
    const { rows: days } = await sql<{ account: string; day: number; lookups: number }>`
      SELECT account, day, lookups FROM lookup_account_days WHERE account IN (${p}, '888888') ORDER BY account, day`.execute(db.db);
    expect(days).toEqual([
      { account: p, day: day('2026-11-02'), lookups: 3 },
      { account: '888888', day: day('2026-11-03'), lookups: 1 },
    ]);
    expect(await summaryMismatches(db.db)).toBe(0);
    // what the pure rules find over the raw rows is what the runner raises from the summaries
    const { rows: raw } = await sql<{ id: unknown; at: Date; account: string; person_id: number | null; justified: boolean }>`
      SELECT id, at, account, person_id, justified FROM lookups WHERE account IN (${p}, '888888')`.execute(db.db);
    const facts = raw.map((r) => ({ id: Number(r.id), at: new Date(r.at).getTime(), account: r.account, personId: r.person_id, justified: r.justified }));
    const pure = [...detectPurpose(facts, DEFAULT_LOOKUP_RULE_PARAMS), ...detectUnknown(facts)].map((f) => f.dedupKey).sort();
    expect(pure).toEqual([`L-PURPOSE|${p}|2026-11-02`, 'L-UNKNOWN|888888|2026-11-03']);
    await fullRun();
    const got = [...(await alerts('L-PURPOSE')), ...(await alerts('L-UNKNOWN'))].map((a) => a.dedup_key).sort();
    expect(got).toEqual(pure);
  });

  it('L-CRIMINAL: a look-up delivered late moves the episode start back, and the episode keeps its one alert', async () => {
    const p = police[1]!.badge;
    const track = (at: string, records: number) => row(p, at, { queryType: 'locationTrack', resultCount: records });
    await ingestLookups(db.db, ctx, keys, [track('2026-11-05T09:00:00', 6), track('2026-11-12T09:00:00', 6)]);
    await fullRun();
    expect((await alerts('L-CRIMINAL')).map((a) => [a.dedup_key, a.status])).toEqual([[`L-CRIMINAL|${p}|2026-11-12`, 'open']]);
    // the feed delivers a look-up of 11-08 late: the count reached 10 on 11-08 — the same episode
    await ingestLookups(db.db, ctx, keys, [track('2026-11-08T09:00:00', 5)]);
    await fullRun();
    const after = await alerts('L-CRIMINAL');
    expect(after.map((a) => [a.dedup_key, a.status])).toEqual([[`L-CRIMINAL|${p}|2026-11-12`, 'open']]);
    // refreshed with what it now knows: 17 records since 11-08
    expect(after[0]!.facts).toMatchObject({ records: 17, since: '2026-11-08' });
    // closed by a person, the same episode is not raised again under a moved start either
    await sql`UPDATE alerts SET status = 'dismissed', status_reason = '已核实' WHERE rule = 'L-CRIMINAL'`.execute(db.db);
    await ingestLookups(db.db, ctx, keys, [track('2026-11-06T09:00:00', 4)]);
    await fullRun();
    expect((await alerts('L-CRIMINAL')).map((a) => a.status)).toEqual(['dismissed']);
  });

  it('L-RANDOM: the sample drawn on arrival stands when the parameters change, and states the ratio that drew it', async () => {
    const p = police[2]!.badge;
    const recent = (h: number) => new Date(now - h * 3_600_000 + 8 * 3_600_000).toISOString().slice(0, 19);
    // drawn out under 1 in 1,000,000
    const out = [row(p, recent(1)), row(p, recent(2)), row(p, recent(3))];
    await ingestLookups(db.db, ctx, keys, out);
    // drawn in under 1 in 1
    await ruleSet(2, 1);
    const drawn = [row(p, recent(4)), row(p, recent(5)), row(p, recent(6))];
    await ingestLookups(db.db, ctx, keys, drawn);
    const stored = async () =>
      (await sql<{ external_id: string; sampled: boolean | null; sample_one_in: number | null }>`
        SELECT external_id, sampled, sample_one_in FROM lookups WHERE account = ${p} ORDER BY external_id`.execute(db.db)).rows;
    expect(await stored()).toEqual([...out.map((r) => ({ external_id: r.externalId, sampled: false, sample_one_in: null })), ...drawn.map((r) => ({ external_id: r.externalId, sampled: true, sample_one_in: 1 }))]);
    // now 1 in 1,000,000 again: the three drawn in stay in the sample, the three drawn out stay out
    await ruleSet(3, 1_000_000);
    const run = await fullRun();
    expect(run.byRule['L-RANDOM']).toBe(3);
    const random = await alerts('L-RANDOM');
    expect(random.map((a) => a.dedup_key).sort()).toEqual(drawn.map((r) => `L-RANDOM|${p}|${r.externalId}`).sort());
    for (const a of random) {
      expect(a.facts).toMatchObject({ randomOneIn: 1 });
      expect(a.explanation).toContain('比例：1取1');
    }
  });

  it('an alert the re-binding resolved does not silence the same finding found again later', async () => {
    const person = police[3]!;
    const p = person.badge;
    await ingestLookups(db.db, ctx, keys, ['10:00', '10:05', '10:10'].map((m) => cited(p, `2026-11-06T${m}:00`, 'ENF-REV', '苏A77777')));
    await fullRun();
    const key = `L-PURPOSE|${p}|2026-11-06`;
    const purpose = async () => (await alerts('L-PURPOSE')).filter((a) => a.dedup_key === key);
    expect((await purpose()).map((a) => a.status)).toEqual(['open']);
    // the record arrives: the three are justified and the alert resting on them alone is resolved — by the system
    await enforcementRecord(990001, 'ENF-REV', person, '苏A77777', '2026-11-06T10:05:00');
    const done = await rebindLookupsForRecords(db.db, ctx, [990001], keys);
    await lookupDetectionIdle(db.db);
    expect(done.justified).toBe(3);
    expect((await purpose()).map((a) => a.status)).toEqual(['resolved']);
    const { rows: events } = await sql<{ details: unknown; comment: string }>`
      SELECT details, comment FROM alert_events WHERE alert_id = ${(await purpose())[0]!.id} AND action = 'resolve'`.execute(db.db);
    expect(events.map((e) => (typeof e.details === 'string' ? JSON.parse(e.details) : e.details))).toEqual([{ before: { status: 'open' }, after: { status: 'resolved' }, automatic: 'lookup.rebind' }]);
    // later that day, three look-ups with no reason at all: L-PURPOSE holds for 11-06 on its own
    await ingestLookups(db.db, ctx, keys, [row(p, '2026-11-06T14:00:00'), row(p, '2026-11-06T14:05:00'), row(p, '2026-11-06T14:10:00')]);
    const run = await fullRun();
    expect(run.byRule['L-PURPOSE']).toBeGreaterThan(0);
    expect((await purpose()).map((a) => a.status)).toEqual(['resolved', 'open']);
    // a person's resolution still silences it
    await sql`UPDATE alerts SET status = 'resolved', status_reason = '已核实' WHERE rule = 'L-PURPOSE' AND dedup_key = ${key} AND status = 'open'`.execute(db.db);
    await sql`INSERT INTO alert_events (alert_id, actor_name, action, from_status, to_status) SELECT id, '督察', 'resolve', 'open', 'resolved' FROM alerts WHERE dedup_key = ${key} ORDER BY id DESC LIMIT 1`.execute(db.db);
    await fullRun();
    expect((await purpose()).map((a) => a.status)).toEqual(['resolved', 'resolved']);
  });

  it('re-binding leaves an alert open when its evidence list was cut short (look-ups left out may be unjustified)', async () => {
    const person = police[4]!;
    const p = person.badge;
    await ingestLookups(db.db, ctx, keys, ['10:00', '10:05', '10:10'].map((m) => cited(p, `2026-11-07T${m}:00`, 'ENF-CUT', '苏A55555')));
    await fullRun();
    const key = `L-PURPOSE|${p}|2026-11-07`;
    // as the runner stores an alert with more than 1,000 look-ups: the list holds the first 1,000 of lookupCount
    // (a Saturday: L-OFFDUTY holds as well)
    const cut = await sql<{ rule: string }>`UPDATE alerts SET facts = jsonb_set(facts, '{lookupCount}', '1500') WHERE subject_id = ${p} AND rule IN ('L-PURPOSE', 'L-OFFDUTY') RETURNING rule`.execute(db.db);
    expect(cut.rows.map((r) => r.rule).sort()).toEqual(['L-OFFDUTY', 'L-PURPOSE']);
    await enforcementRecord(990002, 'ENF-CUT', person, '苏A55555', '2026-11-07T10:05:00');
    const done = await rebindLookupsForRecords(db.db, ctx, [990002], keys);
    await lookupDetectionIdle(db.db);
    expect(done.justified).toBe(3);
    expect(done.resolvedAlerts).toEqual([]);
    expect((await alerts('L-PURPOSE')).filter((a) => a.dedup_key === key).map((a) => a.status)).toEqual(['open']);
    expect((await alerts('L-OFFDUTY')).filter((a) => a.dedup_key === `L-OFFDUTY|${p}|2026-11-07`).map((a) => a.status)).toEqual(['open']);
  });

  it('L-SKEW totals an account, whichever person its days were matched to', async () => {
    const d = Math.floor((now + 8 * 3_600_000) / 86_400_000) - 3;
    const person = police[5]!;
    await sql`
      INSERT INTO lookup_account_days (account, day, person_id, lookups, unjustified, known_sex, female, female_id, min_cert, max_cert, min_term, max_term, foreign_terminal, track_records)
      VALUES ('SKEW-T', ${d}, NULL, 2, 0, 2, 1, 901, 'C', 'C', 'T', 'T', false, 0),
             ('SKEW-T', ${d + 1}, ${person.id}, 3, 0, 3, 2, 902, 'C', 'C', 'T', 'T', false, 0)`.execute(db.db);
    try {
      const everything = { all: true, accounts: [], subjectHashes: [], certificates: [] };
      const { sex } = await dailyCounts(db.db, everything, { from: d - 10, to: d + 5 }, d - 40);
      expect(sex.filter((t) => t.account === 'SKEW-T')).toEqual([{ account: 'SKEW-T', personId: person.id, known: 5, female: 3, lookupIds: [901, 902], lastDay: d + 1 }]);
    } finally {
      await sql`DELETE FROM lookup_account_days WHERE account = 'SKEW-T'`.execute(db.db);
    }
  });

  // Lock waits need two sessions: PGlite has one, and serialises every transaction.
  it.runIf(inject('testDb') === 'postgres')('re-binding reads and locks only the look-ups whose caseRef now resolves', async () => {
    const person = police[6]!;
    const p = person.badge;
    const never = cited(p, '2026-11-09T10:00:00', 'ENF-NEVER', '苏A44444');
    const bound = cited(p, '2026-11-09T10:05:00', 'ENF-LOCK', '苏A44444');
    await ingestLookups(db.db, ctx, keys, [never, bound]);
    await enforcementRecord(990003, 'ENF-LOCK', person, '苏A44444', '2026-11-09T10:05:00');
    // another session holds the look-up whose caseRef still names nothing
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const holder = db.db.transaction().execute(async (trx) => {
      await sql`SELECT id FROM lookups WHERE external_id = ${never.externalId} FOR UPDATE`.execute(trx);
      locked();
      await held;
    });
    await isLocked;
    try {
      const rebound = rebindInScope(db.db, ctx, keys, [p], { from: bj('2026-11-09T00:00:00'), to: bj('2026-11-10T00:00:00') });
      const outcome = await Promise.race([rebound.then((r) => r.justified), new Promise((r) => setTimeout(() => r('waited'), 3000))]);
      expect(outcome).toBe(1);
    } finally {
      release();
      await holder;
    }
    const { rows } = await sql<{ external_id: string; justified: boolean }>`SELECT external_id, justified FROM lookups WHERE account = ${p} ORDER BY external_id`.execute(db.db);
    expect(rows).toEqual([{ external_id: never.externalId, justified: false }, { external_id: bound.externalId, justified: true }]);
  });

  it.runIf(inject('testDb') === 'postgres')('the sex back-fill waits for the look-up write lock, as intake and re-binding do', async () => {
    const p = police[7]!.badge;
    const r = row(p, '2026-11-10T10:00:00');
    await ingestLookups(db.db, ctx, keys, [r]);
    const id = Number((await sql<{ id: unknown }>`SELECT id FROM lookups WHERE external_id = ${r.externalId}`.execute(db.db)).rows[0]!.id);
    let release!: () => void;
    const held = new Promise<void>((x) => (release = x));
    let locked!: () => void;
    const isLocked = new Promise<void>((x) => (locked = x));
    const holder = db.db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(7401, 2)`.execute(trx);
      locked();
      await held;
    });
    await isLocked;
    let stored = false;
    const store = storeSex(db.db, [{ id, sex: 'F' }]).then(() => (stored = true));
    try {
      await new Promise((x) => setTimeout(x, 500));
      expect(stored).toBe(false);
    } finally {
      release();
      await holder;
    }
    await store;
    expect(stored).toBe(true);
    expect(await summaryMismatches(db.db)).toBe(0);
  });
});
