import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { maskPlate, maskSubject, SUBJECT_KEY_FILE, subjectKeys } from './subject-crypto.ts';

const dirs: string[] = [];
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'clearlane-subject-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('subject keys', () => {
  it('creates the key file on first use, owner-only, and keeps using it', () => {
    const dir = tempDir();
    const k = subjectKeys({ dataDir: dir });
    const h = k.hash('plate', '苏A12345');
    const file = path.join(dir, SUBJECT_KEY_FILE);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(subjectKeys({ dataDir: dir })).toBe(k);
  });

  it('hashes normalised values, separated by field, keyed per deployment', () => {
    const a = subjectKeys({ dataDir: tempDir() });
    const b = subjectKeys({ dataDir: tempDir() });
    expect(a.hash('plate', '苏a·12345')).toBe(a.hash('plate', '苏A12345'));
    expect(a.hash('idNumber', '32010219800101001x')).toBe(a.hash('idNumber', '32010219800101001X'));
    expect(a.hash('name', '苏A12345')).not.toBe(a.hash('plate', '苏A12345'));
    expect(b.hash('plate', '苏A12345')).not.toBe(a.hash('plate', '苏A12345'));
    expect(a.hashes({ plate: '苏A12345' })).toEqual({ plate: a.hash('plate', '苏A12345'), idNumber: null, name: null });
  });

  it('encrypts with a fresh nonce each time; only the same key decrypts, and tampering is detected', () => {
    const a = subjectKeys({ dataDir: tempDir() });
    const b = subjectKeys({ dataDir: tempDir() });
    const s = { plate: '苏A12345', idNumber: '32010219800101001X', name: '李四' };
    const e1 = a.encrypt(s);
    expect(e1).not.toBe(a.encrypt(s));
    expect(e1).not.toContain('李四');
    expect(a.decrypt(e1)).toEqual(s);
    expect(a.decrypt(a.encrypt({ name: '王五' }))).toEqual({ plate: null, idNumber: null, name: '王五' });
    expect(() => b.decrypt(e1)).toThrow(/密钥/);
    const raw = Buffer.from(e1.slice(3), 'base64');
    raw[raw.length - 1]! ^= 1;
    expect(() => a.decrypt(`v1.${raw.toString('base64')}`)).toThrow();
  });

  it('refuses a key file that is not 32 bytes', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, SUBJECT_KEY_FILE), 'c2hvcnQ=\n', { mode: 0o600 });
    expect(() => subjectKeys({ dataDir: dir }).hash('plate', '苏A12345')).toThrow(/32字节/);
  });
});

describe('masks', () => {
  it('shows enough to tell subjects apart, not to identify them', () => {
    expect(maskPlate('苏A12345')).toBe('苏A***45');
    expect(maskPlate('苏AD12345')).toBe('苏A****45');
    expect(maskSubject({ plate: '苏A12345', idNumber: '32010219800101001X', name: '欧阳娜娜' })).toEqual({ plate: '苏A***45', idNumber: '3201**********001X', name: '欧***' });
    expect(maskSubject({})).toEqual({ plate: null, idNumber: null, name: null });
  });
});
