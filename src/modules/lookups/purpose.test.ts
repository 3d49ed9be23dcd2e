import { describe, expect, it } from 'vitest';
import { LOOKUP_PARAMS } from '../../contracts/lookups.ts';
import { bindPurpose, subjectMatches, type CaseRecord, type PurposeLookup } from './purpose.ts';

const T0 = Date.parse('2026-10-01T08:00:00+08:00');
const record = (o: Partial<CaseRecord> = {}): CaseRecord => ({
  id: 11,
  externalId: 'ENF-11',
  kind: 'onSite',
  plate: '苏A12345',
  occurredAt: T0,
  decidingPersonId: 7,
  decidingOfficer: '010234',
  assistants: ['020001'],
  driverIdNumber: '32010219800101001X',
  driverName: '李四',
  ...o,
});
const lookup = (o: Partial<PurposeLookup> = {}): PurposeLookup => ({
  at: T0 + 5 * 60_000,
  account: '010234',
  personId: 7,
  queryType: 'vehicle',
  purpose: { category: 'roadCheck', text: '路面检查' },
  caseRef: 'ENF-11',
  subject: { plate: '苏A12345' },
  ...o,
});

describe('bindPurpose', () => {
  it('justifies a look-up at the officer’s own stop, and says so with the facts', () => {
    const f = bindPurpose(lookup(), record());
    expect(f).toMatchObject({ justified: true, reason: 'stop', role: 'decider', recordId: 11, minutesFromRecord: 5, subjectMatches: true, paramsVersion: LOOKUP_PARAMS.version, categoryAllowed: true });
    expect(f.basis).toContain('第34条');
  });

  it('justifies an assistant, matched by 警号', () => {
    expect(bindPurpose(lookup({ account: '020001', personId: 8 }), record())).toMatchObject({ justified: true, role: 'assistant' });
  });

  it('a missing purpose is unjustified', () => {
    expect(bindPurpose(lookup({ purpose: undefined }), record())).toMatchObject({ justified: false, reason: 'noPurpose', categoryAllowed: null });
  });

  it('a category that does not allow the query type is unjustified (road check for a location track)', () => {
    expect(bindPurpose(lookup({ queryType: 'locationTrack' }), record())).toMatchObject({ justified: false, reason: 'categoryNotAllowed', categoryAllowed: false });
    expect(bindPurpose(lookup({ queryType: 'locationTrack', purpose: { category: 'caseHandling', text: '' } }), record())).toMatchObject({ justified: true });
    expect(bindPurpose(lookup({ purpose: { category: 'other', text: '了解情况' } }), record())).toMatchObject({ justified: false, reason: 'categoryNotAllowed' });
  });

  it('no caseRef, or one that resolves to nothing, is unjustified', () => {
    expect(bindPurpose(lookup({ caseRef: undefined }), undefined)).toMatchObject({ justified: false, reason: 'noCaseRef' });
    expect(bindPurpose(lookup(), undefined)).toMatchObject({ justified: false, reason: 'caseRefNotFound', recordId: null });
  });

  it('someone else’s record does not justify, nor does an account matching nobody', () => {
    expect(bindPurpose(lookup({ account: '030003', personId: 9 }), record())).toMatchObject({ justified: false, reason: 'notParticipant', role: null });
    expect(bindPurpose(lookup({ account: '030003', personId: null }), record())).toMatchObject({ justified: false, reason: 'unknownAccount' });
  });

  it('a stop justifies within the stop window; a case within the case window; never long before', () => {
    const m = 60_000;
    expect(bindPurpose(lookup({ at: T0 - 30 * m }), record())).toMatchObject({ justified: true, reason: 'stop' });
    expect(bindPurpose(lookup({ at: T0 - 31 * m }), record())).toMatchObject({ justified: false, reason: 'outsideWindow' });
    expect(bindPurpose(lookup({ at: T0 + 2 * 86_400_000 }), record())).toMatchObject({ justified: true, reason: 'case' });
    expect(bindPurpose(lookup({ at: T0 + 91 * 86_400_000 }), record())).toMatchObject({ justified: false, reason: 'outsideWindow' });
    expect(bindPurpose(lookup({ at: T0 + 10 * m }), record({ kind: 'camera' }))).toMatchObject({ justified: true, reason: 'case' });
    const tight = { ...LOOKUP_PARAMS, stopWindowMinutes: 5, caseWindowDays: 0 };
    expect(bindPurpose(lookup({ at: T0 + 6 * m }), record(), tight)).toMatchObject({ justified: false, reason: 'outsideWindow' });
  });

  it('a subject that is not the record’s vehicle or party is unjustified', () => {
    expect(bindPurpose(lookup({ subject: { plate: '苏B99999' } }), record())).toMatchObject({ justified: false, reason: 'subjectMismatch', subjectMatches: false });
    expect(bindPurpose(lookup({ subject: { idNumber: '32010219800101001X' }, queryType: 'driver' }), record())).toMatchObject({ justified: true, subjectMatches: true });
    // a record with nothing to compare covers no look-up: any record of theirs would cover anyone
    expect(bindPurpose(lookup({ subject: { name: '王五' }, queryType: 'driver' }), record({ driverName: null }))).toMatchObject({ justified: false, reason: 'subjectNotComparable', subjectMatches: null });
  });
});

describe('subjectMatches', () => {
  it('is null when nothing can be compared', () => {
    expect(subjectMatches({ name: '王五' }, record({ driverName: null }))).toBeNull();
    expect(subjectMatches({ name: '王五' }, record())).toBe(false);
    expect(subjectMatches({ plate: '苏B99999', name: '李四' }, record())).toBe(true);
  });
});
