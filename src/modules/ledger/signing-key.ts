// The checkpoint signing key lives outside the database, in a PEM file, so that someone who can
// rewrite the database cannot also sign a rewritten history: by default DATA_DIR/
// ledger-signing-key.pem, created with mode 0600 the first time a checkpoint is signed.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config.ts';
import { formatVerifierKey, type SigningKey } from './note.ts';

export const DEFAULT_KEY_FILE = 'ledger-signing-key.pem';

export class SigningKeyError extends Error {
  override name = 'SigningKeyError';
}

/** What signs and what verifies this deployment's checkpoints. */
export interface LedgerKeys {
  origin: string;
  keyFile: string;
  /** Loads (or, at the default path, creates) the private key on first use. */
  signingKey(): SigningKey;
  /** `<origin>+<key id>+<base64 key>`: publish it; verifiers need nothing else. */
  verifierKey(): string;
}

function rawPublicKey(privateKey: crypto.KeyObject): Buffer {
  const { x } = crypto.createPublicKey(privateKey).export({ format: 'jwk' });
  return Buffer.from(x as string, 'base64url');
}

function fromPem(name: string, pem: string, file: string): SigningKey {
  let key: crypto.KeyObject;
  try {
    key = crypto.createPrivateKey(pem);
  } catch (e) {
    throw new SigningKeyError(`账本签名密钥文件无法读取 ${file}: ${(e as Error).message}`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new SigningKeyError(`账本签名密钥必须是 Ed25519 私钥: ${file}`);
  const publicKeyRaw = rawPublicKey(key);
  return { name, privateKeyPem: pem, publicKeyRaw, verifierKey: formatVerifierKey(name, publicKeyRaw) };
}

/**
 * Creates the key file atomically: written to a private temporary file, then hard-linked into
 * place, which fails if another process got there first. Then both read the one winner.
 */
function createKeyFile(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const pem = crypto.generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const temp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(temp, pem, { mode: 0o600, flag: 'wx' });
  try {
    fs.linkSync(temp, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    fs.unlinkSync(temp);
  }
}

/** Loads the key file; creates it only at the default location, never at a path an operator named. */
export function loadSigningKey(name: string, file: string, opts: { create: boolean }): SigningKey {
  if (!fs.existsSync(file)) {
    if (!opts.create) throw new SigningKeyError(`账本签名密钥文件不存在: ${file}（LEDGER_KEY_FILE 指定的文件不会自动生成）`);
    createKeyFile(file);
  }
  return fromPem(name, fs.readFileSync(file, 'utf8'), file);
}

/** True when group or others may read the key file (POSIX modes only). */
export function keyFileTooOpen(file: string): boolean {
  if (process.platform === 'win32' || !fs.existsSync(file)) return false;
  return (fs.statSync(file).mode & 0o077) !== 0;
}

export function ledgerKeys(config: Pick<Config, 'LEDGER_ORIGIN' | 'LEDGER_KEY_FILE' | 'dataDir'>): LedgerKeys {
  const keyFile = path.resolve(config.LEDGER_KEY_FILE ?? path.join(config.dataDir, DEFAULT_KEY_FILE));
  const create = config.LEDGER_KEY_FILE === undefined;
  let key: SigningKey | undefined;
  const signingKey = () => (key ??= loadSigningKey(config.LEDGER_ORIGIN, keyFile, { create }));
  return { origin: config.LEDGER_ORIGIN, keyFile, signingKey, verifierKey: () => signingKey().verifierKey };
}
