import { describe, expect, it } from 'vitest';
import { lookupInput } from '../../contracts/lookups.ts';
import { sheetRowToLookup } from './lookups.import.ts';
import { rosterTime } from './roster.service.ts';

describe('look-up sheet rows', () => {
  const row = {
    externalId: 'F-1', at: '2026-10-01 09:00:00', account: '050007', certificateId: 'C-1', terminalId: 'PC-1', terminalIp: '10.0.0.1', terminalUnit: '一中队',
    queryType: '轨迹/卡口照片', plate: '苏A12345', idNumber: '', name: '', purposeCategory: '案件办理', purposeText: '刑事案件协查', caseRef: 'ENF-9', resultCount: '3',
  };
  it('maps zh-CN labels and Beijing wall-clock times to the intake shape, which then validates', () => {
    const input = sheetRowToLookup(row);
    const parsed = lookupInput.parse(input);
    expect(parsed).toMatchObject({ at: '2026-10-01T09:00:00+08:00', queryType: 'locationTrack', subject: { plate: '苏A12345' }, purpose: { category: 'caseHandling', text: '刑事案件协查' }, caseRef: 'ENF-9', resultCount: 3, terminalUnit: '一中队' });
  });
  it('leaves a missing purpose out (unjustified, not an error) and a bad value for the contract to report', () => {
    expect(sheetRowToLookup({ ...row, purposeCategory: '' }).purpose).toBeUndefined();
    const bad = lookupInput.safeParse(sheetRowToLookup({ ...row, resultCount: 'abc', purposeCategory: '随便' }));
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join('.')).sort()).toEqual(['purpose.category', 'resultCount']);
  });
});

describe('roster times', () => {
  it('reads Beijing wall-clock times; a bare date starts its day, or ends it', () => {
    expect(rosterTime('2026-10-01 08:00', false)).toBe(Date.parse('2026-10-01T00:00:00Z'));
    expect(rosterTime('2026/10/1', false)).toBe(Date.parse('2026-09-30T16:00:00Z'));
    expect(rosterTime('2026-10-01', true)).toBe(Date.parse('2026-10-01T16:00:00Z'));
    expect(rosterTime('2026-10-01T08:00:00+08:00', false)).toBe(Date.parse('2026-10-01T00:00:00Z'));
    expect(rosterTime('明天', false)).toBeNull();
    expect(rosterTime('2026-13-01', false)).toBeNull();
  });
});
