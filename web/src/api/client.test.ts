import { describe, expect, it } from 'vitest';
import { buildUrl, filenameFrom } from './client.ts';

describe('filenameFrom', () => {
  it('prefers the RFC 5987 UTF-8 name', () => {
    const h = `attachment; filename="personnel.xlsx"; filename*=UTF-8''${encodeURIComponent('人员名单.xlsx')}`;
    expect(filenameFrom(h)).toBe('人员名单.xlsx');
  });
  it('falls back to the quoted and the bare name', () => {
    expect(filenameFrom('attachment; filename="a b.xlsx"')).toBe('a b.xlsx');
    expect(filenameFrom('attachment; filename=plain.csv')).toBe('plain.csv');
  });
  it('survives a malformed encoding and a missing header', () => {
    expect(filenameFrom(`attachment; filename="ok.xlsx"; filename*=UTF-8''%E4%ZZ`)).toBe('ok.xlsx');
    expect(filenameFrom(null)).toBeNull();
    expect(filenameFrom('inline')).toBeNull();
  });
});

describe('buildUrl', () => {
  it('drops empty filters and encodes the rest', () => {
    expect(buildUrl('/api/x', { q: '张 三', unitId: 3, status: undefined, role: '', active: null, page: 1 })).toBe(
      '/api/x?q=%E5%BC%A0+%E4%B8%89&unitId=3&page=1',
    );
    expect(buildUrl('/api/x', {})).toBe('/api/x');
  });
});
