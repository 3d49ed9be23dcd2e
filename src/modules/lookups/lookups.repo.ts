// Set-based storage of look-ups: one COPY (PostgreSQL) or one INSERT … SELECT FROM
// json_to_recordset (PGlite) per batch, and one query each for known externalIds and for the
// enforcement records the batch's caseRefs name.
import { sql } from 'kysely';
import { copyFromStdin, type Db, type DatabaseKind } from '../../platform/db/database.ts';
import type { Tx } from '../../platform/db/tx.ts';
import type { CaseRecord } from './purpose.ts';

/** One row as written. */
export interface NewLookupRow {
  id: number;
  externalId: string;
  at: Date;
  account: string;
  personId: number | null;
  unitId: number | null;
  certificateId: string;
  terminalId: string;
  terminalIp: string;
  terminalUnit: string | null;
  terminalUnitId: number | null;
  queryType: string;
  plateHash: string | null;
  idHash: string | null;
  nameHash: string | null;
  /** 'F' | 'M' from the ID number's 17th digit (L-SKEW); null without one */
  subjectSex: string | null;
  subjectEnc: string;
  subjectMasked: unknown;
  purposeCategory: string | null;
  purposeText: string | null;
  caseRef: string | null;
  resultCount: number | null;
  justified: boolean;
  justification: unknown;
  /** L-RANDOM's draw, made on arrival, and the ratio that picked it (null unless sampled) */
  sampled: boolean;
  sampleOneIn: number | null;
  batchSeq: number;
}

const COLUMNS = [
  'id', 'external_id', 'at', 'account', 'person_id', 'unit_id', 'certificate_id', 'terminal_id', 'terminal_ip', 'terminal_unit', 'terminal_unit_id',
  'query_type', 'subject_plate_hash', 'subject_id_hash', 'subject_name_hash', 'subject_sex', 'subject_enc', 'subject_masked',
  'purpose_category', 'purpose_text', 'case_ref', 'result_count', 'justified', 'justification', 'sampled', 'sample_one_in', 'batch_seq',
] as const;

const RECORDSET = sql.raw(`x(
  id bigint, external_id text, at timestamptz, account text, person_id int, unit_id int, certificate_id text, terminal_id text, terminal_ip text,
  terminal_unit text, terminal_unit_id int, query_type text, subject_plate_hash text, subject_id_hash text, subject_name_hash text,
  subject_sex text, subject_enc text, subject_masked jsonb, purpose_category text, purpose_text text, case_ref text, result_count int,
  justified boolean, justification jsonb, sampled boolean, sample_one_in int, batch_seq bigint)`);

const values = (r: NewLookupRow): unknown[] => [
  r.id, r.externalId, r.at.toISOString(), r.account, r.personId, r.unitId, r.certificateId, r.terminalId, r.terminalIp, r.terminalUnit, r.terminalUnitId,
  r.queryType, r.plateHash, r.idHash, r.nameHash, r.subjectSex, r.subjectEnc, r.subjectMasked,
  r.purposeCategory, r.purposeText, r.caseRef, r.resultCount, r.justified, r.justification, r.sampled, r.sampleOneIn, r.batchSeq,
];

/** One value in COPY text format: \N for null, backslash escapes for the four special characters. */
function copyValue(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  const text = typeof v === 'string' ? v : typeof v === 'boolean' ? (v ? 't' : 'f') : typeof v === 'number' ? String(v) : JSON.stringify(v);
  return /[\\\t\n\r]/.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : text;
}

export async function insertLookups(trx: Tx, rows: NewLookupRow[], engine: DatabaseKind | undefined): Promise<void> {
  if (rows.length === 0) return;
  if (engine === 'postgres') {
    let data = '';
    for (const r of rows) data += `${values(r).map(copyValue).join('\t')}\n`;
    await trx.executeQuery(copyFromStdin(`COPY lookups (${COLUMNS.join(', ')}) FROM STDIN`, data));
    return;
  }
  const json = rows.map((r) => Object.fromEntries(COLUMNS.map((c, i) => [c, values(r)[i]])));
  await sql`
    INSERT INTO lookups (${sql.raw(COLUMNS.join(', '))})
    SELECT ${sql.raw(COLUMNS.join(', '))} FROM json_to_recordset(${JSON.stringify(json)}::json) AS ${RECORDSET}`.execute(trx);
}

export interface StoredLookup {
  id: number;
  external_id: string;
  justified: boolean;
  justification: unknown;
  person_id: number | null;
}

export async function findByExternalIds(q: Db | Tx, externalIds: string[]): Promise<Map<string, StoredLookup>> {
  if (externalIds.length === 0) return new Map();
  const { rows } = await sql<StoredLookup>`
    SELECT id, external_id, justified, justification, person_id FROM lookups WHERE external_id = ANY(${externalIds}::text[])`.execute(q);
  return new Map(rows.map((r) => [r.external_id, { ...r, id: Number(r.id) }]));
}

export async function allocateLookupIds(trx: Tx, n: number): Promise<number[]> {
  if (n === 0) return [];
  const { rows } = await sql<{ id: number }>`SELECT nextval('lookups_id_seq') AS id FROM generate_series(1, ${n}::int)`.execute(trx);
  return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
}

export async function nextLookupBatchSeq(trx: Tx): Promise<number> {
  const { rows } = await sql<{ seq: number }>`SELECT nextval('lookup_batches_seq') AS seq FROM (VALUES (1)) AS one(x)`.execute(trx);
  return Number(rows[0]!.seq);
}

/**
 * The enforcement records a batch's caseRefs name (by external id, or by Clearlane's record id),
 * in one query. Read-only: purpose binding needs who decided and assisted, and when.
 */
export async function caseRecords(q: Db | Tx, caseRefs: string[]): Promise<Map<string, CaseRecord>> {
  if (caseRefs.length === 0) return new Map();
  const ids = caseRefs.filter((c) => /^\d{1,15}$/.test(c)).map(Number);
  const { rows } = await sql<{
    id: number; external_id: string; kind: 'camera' | 'onSite'; plate: string; occurred_at: Date; deciding_person_id: number | null;
    deciding_officer: string | null; assistants: string[]; driver_id_number: string | null; driver_name: string | null;
  }>`
    SELECT id, external_id, kind, plate, occurred_at, deciding_person_id, deciding_officer, assistants, driver_id_number, driver_name
      FROM enforcement_records
     WHERE external_id = ANY(${caseRefs}::text[]) OR id = ANY(${ids}::bigint[])`.execute(q);
  const out = new Map<string, CaseRecord>();
  for (const r of rows) {
    const rec: CaseRecord = {
      id: Number(r.id),
      externalId: r.external_id,
      kind: r.kind,
      plate: r.plate,
      occurredAt: new Date(r.occurred_at).getTime(),
      decidingPersonId: r.deciding_person_id,
      decidingOfficer: r.deciding_officer,
      assistants: r.assistants,
      driverIdNumber: r.driver_id_number,
      driverName: r.driver_name,
    };
    // the source's own ticket number first: a numeric external id must not be shadowed by an internal id
    out.set(r.external_id, rec);
    if (!out.has(String(rec.id))) out.set(String(rec.id), rec);
  }
  return out;
}
