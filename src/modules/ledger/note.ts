// C2SP signed-note (Ed25519) and tlog-checkpoint, so ledger checkpoints can be checked by any
// standard transparency-log tooling (e.g. golang.org/x/mod/sumdb/note, transparency-dev).
//
//   note      = text "\n" signature-line+          (text itself ends in "\n")
//   signature = "— " name " " base64(keyid(4) ‖ ed25519 sig(64)) "\n"
//   keyid     = SHA-256(name ‖ "\n" ‖ 0x01 ‖ pubkey)[:4]
//   vkey      = name "+" hex(keyid) "+" base64(0x01 ‖ pubkey)
//   checkpoint text = origin "\n" size "\n" base64(root) "\n" extension-line*

import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { HASH_SIZE } from './merkle.ts';

const ALG_ED25519 = 0x01;
const ED25519_PUBLIC_KEY_SIZE = 32;
const ED25519_SIGNATURE_SIZE = 64;
const KEY_ID_SIZE = 4;
const SIGNATURE_PREFIX = '\u2014 ';
// Bounds the work an untrusted note can cause; matches golang.org/x/mod/sumdb/note.
const MAX_SIGNATURES = 100;

export interface SigningKey {
  name: string;
  /** PKCS#8 PEM of the Ed25519 private key. */
  privateKeyPem: string;
  /** The 32-byte Ed25519 public key. */
  publicKeyRaw: Buffer;
  /** `<name>+<hex keyid>+<base64(0x01 ‖ pubkey)>`, safe to publish. */
  verifierKey: string;
}

export interface VerifierKey {
  name: string;
  keyId: Buffer;
  publicKeyRaw: Buffer;
}

export interface Checkpoint {
  origin: string;
  size: number;
  rootHash: Buffer;
  extensions: string[];
}

export interface NoteSignature {
  name: string;
  keyId: Buffer;
  signature: Buffer;
}

// ---------------------------------------------------------------------------------------------
// Encoding helpers

/** Standard, padded base64 only: Buffer's own decoder silently skips junk, which a verifier must not. */
function decodeBase64Strict(text: string, what: string): Buffer {
  const bytes = Buffer.from(text, 'base64');
  if (text.length === 0 || bytes.toString('base64') !== text) {
    throw new Error(`${what} is not canonical base64`);
  }
  return bytes;
}

// Go's unicode.IsSpace set: JS \s covers it apart from NEL (U+0085).
const SPACE_OR_PLUS = /[\s\u0085+]/u;

function assertKeyName(name: string): void {
  if (name.length === 0 || SPACE_OR_PLUS.test(name)) {
    throw new Error(`invalid key name ${JSON.stringify(name)}: must be non-empty, without spaces or "+"`);
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const CONTROL_EXCEPT_NEWLINE = /[\u0000-\u0009\u000B-\u001F]/;

/** Note text must be UTF-8 without control characters other than newline, ending in newline. */
function assertNoteText(text: string): void {
  if (!text.endsWith('\n')) throw new Error('note text must end with a newline');
  if (CONTROL_EXCEPT_NEWLINE.test(text)) throw new Error('note text contains a control character');
  // A lone surrogate has no UTF-8 encoding, so signer and verifier could disagree on the bytes.
  if (LONE_SURROGATE.test(text)) throw new Error('note text is not well-formed Unicode');
}

// ---------------------------------------------------------------------------------------------
// Keys

export function keyId(name: string, publicKeyRaw: Uint8Array): Buffer {
  assertKeyName(name);
  return createHash('sha256')
    .update(name, 'utf8')
    .update(Buffer.of(0x0a, ALG_ED25519))
    .update(publicKeyRaw)
    .digest()
    .subarray(0, KEY_ID_SIZE);
}

export function formatVerifierKey(name: string, publicKeyRaw: Uint8Array): string {
  if (publicKeyRaw.length !== ED25519_PUBLIC_KEY_SIZE) throw new Error('Ed25519 public key must be 32 bytes');
  const keyData = Buffer.concat([Buffer.of(ALG_ED25519), publicKeyRaw]).toString('base64');
  return `${name}+${keyId(name, publicKeyRaw).toString('hex')}+${keyData}`;
}

export function parseVerifierKey(vkey: string): VerifierKey {
  // Only the first two '+' separate fields: the base64 key data may itself contain '+'.
  const match = /^([^+]*)\+([^+]*)\+(.*)$/s.exec(vkey);
  if (!match) throw new Error('verifier key must have the form <name>+<hex key id>+<base64 key>');
  const [, name = '', idHex = '', keyB64 = ''] = match;
  assertKeyName(name);
  if (!/^[0-9a-f]{8}$/i.test(idHex)) throw new Error('verifier key id must be 8 hex digits');
  const keyData = decodeBase64Strict(keyB64, 'verifier key');
  if (keyData[0] !== ALG_ED25519) throw new Error('verifier key is not an Ed25519 key');
  if (keyData.length !== 1 + ED25519_PUBLIC_KEY_SIZE) {
    throw new Error('Ed25519 verifier key must be 32 bytes');
  }
  const publicKeyRaw = keyData.subarray(1);
  const id = Buffer.from(idHex, 'hex');
  if (!id.equals(keyId(name, publicKeyRaw))) {
    throw new Error('verifier key id does not match its name and key');
  }
  return { name, keyId: id, publicKeyRaw };
}

function publicKeyObject(raw: Uint8Array): KeyObject {
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') },
    format: 'jwk',
  });
}

function rawPublicKey(key: KeyObject): Buffer {
  const { x } = key.export({ format: 'jwk' });
  if (key.asymmetricKeyType !== 'ed25519' || typeof x !== 'string') throw new Error('not an Ed25519 key');
  return Buffer.from(x, 'base64url');
}

export function generateSigningKey(name: string): SigningKey {
  assertKeyName(name);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const publicKeyRaw = rawPublicKey(publicKey);
  return {
    name,
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicKeyRaw,
    verifierKey: formatVerifierKey(name, publicKeyRaw),
  };
}

// ---------------------------------------------------------------------------------------------
// Signed notes

function signatureLine(text: string, key: Pick<SigningKey, 'name' | 'privateKeyPem'>): string {
  assertKeyName(key.name);
  const privateKey = createPrivateKey(key.privateKeyPem);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('signing key is not an Ed25519 key');
  const id = keyId(key.name, rawPublicKey(createPublicKey(privateKey)));
  const signature = sign(null, Buffer.from(text, 'utf8'), privateKey);
  return `${SIGNATURE_PREFIX}${key.name} ${Buffer.concat([id, signature]).toString('base64')}\n`;
}

/** Signs arbitrary note text (which must end in a newline) and returns the signed note. */
export function signNote(text: string, key: Pick<SigningKey, 'name' | 'privateKeyPem'>): string {
  assertNoteText(text);
  return `${text}\n${signatureLine(text, key)}`;
}

/** Splits a signed note into its text and signatures without verifying anything. */
export function splitNote(noteText: string): { text: string; signatures: NoteSignature[] } {
  // Text may itself contain blank lines, so the signature block starts after the last one.
  const split = noteText.lastIndexOf('\n\n');
  if (split < 0) throw new Error('malformed note: no blank line before the signatures');
  const text = noteText.slice(0, split + 1);
  const block = noteText.slice(split + 2);
  assertNoteText(text);
  if (block.length === 0 || !block.endsWith('\n')) throw new Error('malformed note: missing signature lines');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) {
    throw new Error(`malformed note: more than ${MAX_SIGNATURES} signatures`);
  }
  return { text, signatures: lines.map(parseSignatureLine) };
}

function parseSignatureLine(line: string): NoteSignature {
  if (!line.startsWith(SIGNATURE_PREFIX)) {
    throw new Error('malformed note: signature line must start with "— "');
  }
  const rest = line.slice(SIGNATURE_PREFIX.length);
  const space = rest.indexOf(' ');
  if (space < 0) throw new Error('malformed note: signature line has no signature');
  const name = rest.slice(0, space);
  assertKeyName(name);
  const bytes = decodeBase64Strict(rest.slice(space + 1), 'note signature');
  if (bytes.length <= KEY_ID_SIZE) throw new Error('malformed note: signature too short');
  return { name, keyId: bytes.subarray(0, KEY_ID_SIZE), signature: bytes.subarray(KEY_ID_SIZE) };
}

/**
 * Verifies a signed note against one verifier key and returns its text. Signatures by other keys
 * are ignored, as the spec requires (notes may carry witness cosignatures), but a signature that
 * claims to be from this key and does not verify is an error, never silently skipped.
 */
export function verifySignedNote(noteText: string, verifierKey: string): string {
  const vkey = parseVerifierKey(verifierKey);
  const { text, signatures } = splitNote(noteText);
  const ours = signatures.filter((s) => s.name === vkey.name && s.keyId.equals(vkey.keyId));
  if (ours.length === 0) throw new Error(`note has no signature from key ${vkey.name}`);
  const publicKey = publicKeyObject(vkey.publicKeyRaw);
  const message = Buffer.from(text, 'utf8');
  for (const s of ours) {
    if (s.signature.length !== ED25519_SIGNATURE_SIZE || !verify(null, message, publicKey, s.signature)) {
      throw new Error(`invalid signature from key ${vkey.name}`);
    }
  }
  return text;
}

// ---------------------------------------------------------------------------------------------
// Checkpoints

const DECIMAL = /^(0|[1-9][0-9]*)$/;

export function formatCheckpoint(checkpoint: Checkpoint): string {
  if ([checkpoint.origin, ...checkpoint.extensions].some((line) => line.includes('\n'))) {
    throw new Error('checkpoint origin and extension lines must not contain a newline');
  }
  const body = [
    checkpoint.origin,
    String(checkpoint.size),
    checkpoint.rootHash.toString('base64'),
    ...checkpoint.extensions,
  ].join('\n');
  const text = `${body}\n`;
  // Round-trip through the parser so we can never emit a checkpoint we would refuse to read.
  parseCheckpointText(text);
  return text;
}

/**
 * Parses a checkpoint from either its bare text or a whole signed note; does NOT verify. The two
 * are unambiguous because checkpoint text never contains a blank line.
 */
export function parseCheckpoint(noteText: string): Checkpoint {
  return parseCheckpointText(noteText.includes('\n\n') ? splitNote(noteText).text : noteText);
}

/** Strict parse of bare checkpoint text: any blank line shows up as an empty field and is refused. */
function parseCheckpointText(text: string): Checkpoint {
  assertNoteText(text);
  const [origin, sizeLine, rootLine, ...extensions] = text.slice(0, -1).split('\n');
  if (origin === undefined || sizeLine === undefined || rootLine === undefined) {
    throw new Error('malformed checkpoint: expected origin, size and root hash lines');
  }
  if (origin.length === 0) throw new Error('malformed checkpoint: empty origin');
  if (!DECIMAL.test(sizeLine)) throw new Error('malformed checkpoint: tree size is not a decimal number');
  const size = Number(sizeLine);
  if (!Number.isSafeInteger(size)) throw new Error('malformed checkpoint: tree size is too large');
  const rootHash = decodeBase64Strict(rootLine, 'checkpoint root hash');
  if (rootHash.length !== HASH_SIZE) throw new Error('malformed checkpoint: root hash is not 32 bytes');
  if (extensions.some((line) => line.length === 0)) {
    throw new Error('malformed checkpoint: empty extension line');
  }
  return { origin, size, rootHash, extensions };
}

/** Signs checkpoint text (validated first) and returns the signed note. */
export function signCheckpoint(body: string, key: Pick<SigningKey, 'name' | 'privateKeyPem'>): string {
  parseCheckpointText(body);
  return signNote(body, key);
}

/**
 * Verifies a signed checkpoint and returns it. Pass `origin` to also pin which log it is for: a
 * valid signature alone does not stop a checkpoint of another log signed by the same key.
 */
export function verifyNote(
  noteText: string,
  verifierKey: string,
  options: { origin?: string } = {},
): Checkpoint {
  // Parse exactly the signed text: re-splitting it could let a signed blank line hide the rest.
  const checkpoint = parseCheckpointText(verifySignedNote(noteText, verifierKey));
  if (options.origin !== undefined && checkpoint.origin !== options.origin) {
    const [got, want] = [checkpoint.origin, options.origin].map((o) => JSON.stringify(o));
    throw new Error(`checkpoint is for origin ${got}, expected ${want}`);
  }
  return checkpoint;
}

// note.ts speaks English to programmers; auditors read the verifier's findings in Chinese.
const NOTE_PROBLEMS_ZH: Array<[RegExp, string]> = [
  [/^invalid signature from key (.+)$/, '密钥 $1 的签名不正确'],
  [/^note has no signature from key (.+)$/, '没有密钥 $1 的签名'],
  [/^checkpoint is for origin (.+), expected (.+)$/, '检查点属于账本 $1，应为 $2'],
  [/^malformed checkpoint/, '检查点正文格式不正确'],
  [/^malformed note/, '签名文本格式不正确'],
  [/^verifier key|^Ed25519|^invalid key name/, '验签公钥格式不正确'],
  [/^note text/, '签名文本含有不允许的字符'],
];

/** A zh-CN sentence for an error thrown by this file's parsers and verifiers. */
export function noteProblemZh(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  for (const [pattern, zh] of NOTE_PROBLEMS_ZH) if (pattern.test(message)) return message.replace(pattern, zh);
  return '检查点无法解析';
}
