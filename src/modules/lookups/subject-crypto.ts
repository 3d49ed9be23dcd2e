// The subject of a look-up (plate, ID number, name of a private person) is personal data. It is
// stored three ways: keyed HMAC-SHA-256 hashes, so look-ups of the same subject match without
// reading it; AES-256-GCM ciphertext, for the ledgered unmasked view; and a masked copy for lists.
// The key lives outside the database and the repository, in DATA_DIR/lookup-subject.key (created
// with mode 0600 on first use), so a copy of the database alone reveals no subject and cannot
// test guesses against the hashes. The key is never logged.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config.ts';
import type { MaskedSubject, SubjectInput } from '../../contracts/lookups.ts';
import { canonicalPlate } from '../../contracts/plate.ts';
import { maskIdNumber, maskName } from '../../platform/mask.ts';

export const SUBJECT_KEY_FILE = 'lookup-subject.key';
const ENC_PREFIX = 'v1.';

export type SubjectField = 'plate' | 'idNumber' | 'name';

export interface SubjectHashes {
  plate: string | null;
  idNumber: string | null;
  name: string | null;
}

export interface SubjectKeys {
  readonly keyFile: string;
  /** HMAC of one field's normalised value; fields are domain-separated, so a plate never matches a name */
  hash(field: SubjectField, value: string): string;
  hashes(subject: Partial<Record<SubjectField, string | undefined | null>>): SubjectHashes;
  encrypt(subject: SubjectInput): string;
  decrypt(enc: string): MaskedSubject;
}

export class SubjectKeyError extends Error {
  override name = 'SubjectKeyError';
}

/** The form a value is hashed in: plates canonical (no separators, upper case), ID numbers upper case, names trimmed. */
export function normaliseField(field: SubjectField, value: string): string {
  if (field === 'plate') return canonicalPlate(value);
  if (field === 'idNumber') return value.trim().toUpperCase();
  return value.trim().normalize('NFC');
}

/** 苏A12345 → 苏A***45: enough to tell subjects apart in a list, not to identify the vehicle. */
export function maskPlate(plate: string | null): string | null {
  if (!plate) return plate;
  const chars = [...plate];
  return chars.length <= 4 ? '****' : `${chars.slice(0, 2).join('')}${'*'.repeat(chars.length - 4)}${chars.slice(-2).join('')}`;
}

export function maskSubject(s: Partial<Record<SubjectField, string | undefined | null>>): MaskedSubject {
  return { plate: maskPlate(s.plate ?? null), idNumber: maskIdNumber(s.idNumber ?? null), name: maskName(s.name ?? null) };
}

function createKeyFile(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(temp, `${crypto.randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    // atomic: fails if another process created it first; then both read the one winner
    fs.linkSync(temp, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    fs.unlinkSync(temp);
  }
}

function readMaster(file: string): Buffer {
  if (!fs.existsSync(file)) createKeyFile(file);
  const master = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  if (master.length !== 32) throw new SubjectKeyError(`查询对象加密密钥文件无效（应为32字节的base64）: ${file}`);
  return master;
}

function buildKeys(file: string): SubjectKeys {
  let derived: { mac: Buffer; enc: Buffer } | undefined;
  const keys = () => {
    if (!derived) {
      const master = readMaster(file);
      // separate keys for matching and for secrecy, derived from the one stored secret
      derived = {
        mac: Buffer.from(crypto.hkdfSync('sha256', master, Buffer.alloc(0), 'clearlane/lookup-subject/hmac', 32)),
        enc: Buffer.from(crypto.hkdfSync('sha256', master, Buffer.alloc(0), 'clearlane/lookup-subject/aes-256-gcm', 32)),
      };
    }
    return derived;
  };
  const hash = (field: SubjectField, value: string) => crypto.createHmac('sha256', keys().mac).update(`${field}\0${normaliseField(field, value)}`).digest('hex');
  return {
    keyFile: file,
    hash,
    hashes: (s) => ({
      plate: s.plate ? hash('plate', s.plate) : null,
      idNumber: s.idNumber ? hash('idNumber', s.idNumber) : null,
      name: s.name ? hash('name', s.name) : null,
    }),
    encrypt(subject) {
      const iv = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv('aes-256-gcm', keys().enc, iv);
      const plain = JSON.stringify({ plate: subject.plate ?? null, idNumber: subject.idNumber ?? null, name: subject.name ?? null });
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return ENC_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    },
    decrypt(enc) {
      if (!enc.startsWith(ENC_PREFIX)) throw new SubjectKeyError('查询对象密文格式无效');
      const raw = Buffer.from(enc.slice(ENC_PREFIX.length), 'base64');
      const decipher = crypto.createDecipheriv('aes-256-gcm', keys().enc, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      try {
        const plain = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
        return JSON.parse(plain) as MaskedSubject;
      } catch {
        throw new SubjectKeyError('查询对象无法解密：密钥文件与数据库不匹配');
      }
    },
  };
}

const cache = new Map<string, SubjectKeys>();

/** The deployment's subject keys (DATA_DIR/lookup-subject.key), loaded or created on first use. */
export function subjectKeys(config: Pick<Config, 'dataDir'>): SubjectKeys {
  const file = path.resolve(config.dataDir, SUBJECT_KEY_FILE);
  let k = cache.get(file);
  if (!k) cache.set(file, (k = buildKeys(file)));
  return k;
}
