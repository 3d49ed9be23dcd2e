// What a run of the rules and detectors flagged, in the shape scoreDetections compares with the
// ground truth: the demo's self-check (a test) and the benchmark's recall/precision table. It
// reads the enforcement and alerts tables directly: it is a measuring harness, not a module.
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import type { Detections } from './ground-truth.ts';

const SUBJECT_KIND: Record<string, string> = { person: 'officer', device: 'checkpoint', unit: 'checkpoint', vehicle: 'vehicle' };

export async function collectDetections(db: Db): Promise<Detections> {
  const byRule: Detections['byRule'] = new Map();
  const slot = (rule: string) => byRule.get(rule) ?? byRule.set(rule, { records: new Set(), subjects: new Set() }).get(rule)!;
  // A camera record flags a rule when the rule decided its outcome (merged, voided, held); an
  // on-site record when the rule is one of its findings. Camera warnings are the law working,
  // not misconduct, and are not detections.
  const { rows } = await sql<{ external_id: string; rule: string }>`
    SELECT r.external_id, x.value->>'rule' AS rule
      FROM enforcement_records r, jsonb_array_elements(r.reasons) x
     WHERE (r.kind = 'camera' AND r.decided_outcome IN ('merged', 'voided', 'held'))
        OR (r.kind = 'onSite' AND r.decided_outcome = 'nonCompliant')`.execute(db);
  for (const r of rows) slot(r.rule).records.add(r.external_id);
  const alerts = await sql<{ rule: string; subject_type: string; subject_id: string }>`
    SELECT DISTINCT rule, subject_type, subject_id FROM alerts
     WHERE source = 'enforcement' AND (rule LIKE 'D-%' OR rule = 'R-DAILY-CAP')`.execute(db);
  for (const a of alerts.rows) slot(a.rule).subjects.add(`${SUBJECT_KIND[a.subject_type] ?? a.subject_type}:${a.subject_id}`);
  // The device detectors (issue #5): a device is a checkpoint, as in the enforcement detectors.
  const devices = await sql<{ rule: string; subject_id: string }>`
    SELECT DISTINCT rule, subject_id FROM alerts WHERE source = 'devices' AND rule LIKE 'D-DEVICE-%'`.execute(db);
  for (const a of devices.rows) slot(a.rule).subjects.add(`checkpoint:${a.subject_id}`);
  return { byRule };
}
