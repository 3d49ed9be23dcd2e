// C2SP signed-note and tlog-checkpoint, read and verified in the browser with WebCrypto Ed25519.
//
//   note      = text "\n" signature-line+            (text itself ends in "\n")
//   signature = "— " name " " base64(key id (4) ‖ Ed25519 signature (64)) "\n"
//   key id    = SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[:4]
//   vkey      = name "+" hex(key id) "+" base64(0x01 ‖ public key)
//   checkpoint text = origin "\n" size "\n" base64(root) "\n" extension-line*

import { concat, equalBytes, fromBase64, fromHex, sha256, subtle, toHex, utf8 } from './bytes.ts';

const ALG_ED25519 = 0x01;
const KEY_ID_SIZE = 4;
const ED25519_KEY_SIZE = 32;
const ED25519_SIG_SIZE = 64;
const SIGNATURE_PREFIX = '\u2014 ';
const MAX_SIGNATURES = 100;

export class NoteError extends Error {
  override name = 'NoteError';
}

export interface VerifierKey {
  name: string;
  keyId: Uint8Array;
  publicKey: Uint8Array;
}

export interface NoteSignature {
  name: string;
  keyId: Uint8Array;
  signature: Uint8Array;
}

export interface Checkpoint {
  origin: string;
  size: number;
  rootHash: Uint8Array;
  extensions: string[];
}

function decode64(text: string, what: string): Uint8Array {
  try {
    return fromBase64(text);
  } catch (e) {
    throw new NoteError(`${what}${(e as Error).message}`);
  }
}

function assertKeyName(name: string): void {
  if (name.length === 0 || /[\s\u0085+]/u.test(name)) throw new NoteError(`密钥名称不合法：${JSON.stringify(name)}`);
}

function assertNoteText(text: string): void {
  if (!text.endsWith('\n')) throw new NoteError('签名文本须以换行结尾');
  if (/[\u0000-\u0009\u000B-\u001F]/.test(text)) throw new NoteError('签名文本含控制字符');
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text)) throw new NoteError('签名文本不是合法的 Unicode');
}

/** The 4-byte key id: SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key)[:4]. */
export async function computeKeyId(name: string, publicKey: Uint8Array): Promise<Uint8Array> {
  assertKeyName(name);
  const digest = await sha256(concat(utf8(name), Uint8Array.of(0x0a, ALG_ED25519), publicKey));
  return digest.slice(0, KEY_ID_SIZE);
}

/** Parses `<name>+<hex key id>+<base64(0x01 ‖ key)>` and checks the id against name and key. */
export async function parseVerifierKey(vkey: string): Promise<VerifierKey> {
  // Only the first two '+' separate fields: the base64 key may contain '+' itself.
  const m = /^([^+]*)\+([^+]*)\+(.*)$/s.exec(vkey.trim());
  if (!m) throw new NoteError('公钥格式应为 <名称>+<密钥编号>+<base64 公钥>');
  const [, name = '', idHex = '', keyB64 = ''] = m;
  assertKeyName(name);
  if (!/^[0-9a-f]{8}$/i.test(idHex)) throw new NoteError('公钥中的密钥编号应为 8 位十六进制');
  const data = decode64(keyB64, '公钥');
  if (data[0] !== ALG_ED25519) throw new NoteError('不是 Ed25519 公钥');
  if (data.length !== 1 + ED25519_KEY_SIZE) throw new NoteError('Ed25519 公钥应为 32 字节');
  const publicKey = data.slice(1);
  const keyId = fromHex(idHex);
  if (!equalBytes(keyId, await computeKeyId(name, publicKey))) throw new NoteError('公钥中的密钥编号与名称和公钥不符');
  return { name, keyId, publicKey };
}

/** Splits a signed note into its signed text and its signature lines; verifies nothing. */
export function splitNote(note: string): { text: string; signatures: NoteSignature[] } {
  // The text may contain blank lines itself; the signatures start after the last one.
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new NoteError('签名文本缺少签名前的空行');
  const text = note.slice(0, split + 1);
  const block = note.slice(split + 2);
  assertNoteText(text);
  if (block.length === 0 || !block.endsWith('\n')) throw new NoteError('缺少签名行');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) throw new NoteError('签名行过多');
  return { text, signatures: lines.map(parseSignatureLine) };
}

function parseSignatureLine(line: string): NoteSignature {
  if (!line.startsWith(SIGNATURE_PREFIX)) throw new NoteError('签名行应以“— ”开头');
  const rest = line.slice(SIGNATURE_PREFIX.length);
  const space = rest.indexOf(' ');
  if (space < 0) throw new NoteError('签名行缺少签名');
  const name = rest.slice(0, space);
  assertKeyName(name);
  const bytes = decode64(rest.slice(space + 1), '签名');
  if (bytes.length <= KEY_ID_SIZE) throw new NoteError('签名过短');
  return { name, keyId: bytes.slice(0, KEY_ID_SIZE), signature: bytes.slice(KEY_ID_SIZE) };
}

/** Strict parse of checkpoint text (origin, size, root, extensions); a whole note is accepted too. */
export function parseCheckpoint(textOrNote: string): Checkpoint {
  const text = textOrNote.includes('\n\n') ? splitNote(textOrNote).text : textOrNote;
  assertNoteText(text);
  const [origin, sizeLine, rootLine, ...extensions] = text.slice(0, -1).split('\n');
  if (origin === undefined || sizeLine === undefined || rootLine === undefined) throw new NoteError('检查点应有来源、大小、根哈希三行');
  if (origin.length === 0) throw new NoteError('检查点来源为空');
  if (!/^(0|[1-9][0-9]*)$/.test(sizeLine)) throw new NoteError('检查点大小不是十进制整数');
  const size = Number(sizeLine);
  if (!Number.isSafeInteger(size)) throw new NoteError('检查点大小过大');
  const rootHash = decode64(rootLine, '检查点根哈希');
  if (rootHash.length !== 32) throw new NoteError('检查点根哈希不是 32 字节');
  if (extensions.some((l) => l.length === 0)) throw new NoteError('检查点含空扩展行');
  return { origin, size, rootHash, extensions };
}

export async function importEd25519PublicKey(raw: Uint8Array): Promise<CryptoKey> {
  try {
    return await subtle().importKey('raw', concat(raw), { name: 'Ed25519' }, false, ['verify']);
  } catch (e) {
    throw new NoteError(`浏览器无法导入 Ed25519 公钥（可能不支持 WebCrypto Ed25519）：${(e as Error).message}`);
  }
}

export interface NoteVerification {
  /** the signed text (for a checkpoint: origin, size, root lines) */
  text: string;
  key: VerifierKey;
  keyIdHex: string;
}

/**
 * Verifies a signed note against one verifier key. Signatures by other keys are ignored (notes may
 * carry cosignatures), but there must be one from this key, and every line that claims this key
 * must verify. Throws NoteError with the reason otherwise.
 */
export async function verifySignedNote(note: string, vkey: string | VerifierKey): Promise<NoteVerification> {
  const key = typeof vkey === 'string' ? await parseVerifierKey(vkey) : vkey;
  const { text, signatures } = splitNote(note);
  const ours = signatures.filter((s) => s.name === key.name && equalBytes(s.keyId, key.keyId));
  if (ours.length === 0) throw new NoteError(`没有密钥 ${key.name}（编号 ${toHex(key.keyId)}）的签名`);
  const cryptoKey = await importEd25519PublicKey(key.publicKey);
  const message = utf8(text);
  for (const s of ours) {
    const ok = s.signature.length === ED25519_SIG_SIZE && (await subtle().verify({ name: 'Ed25519' }, cryptoKey, concat(s.signature), concat(message)));
    if (!ok) throw new NoteError(`密钥 ${key.name} 的签名无效`);
  }
  return { text, key, keyIdHex: toHex(key.keyId) };
}

/** Verifies a signed checkpoint and returns it; `origin` pins which log it must be for. */
export async function verifyCheckpointNote(note: string, vkey: string | VerifierKey, origin?: string): Promise<Checkpoint & NoteVerification> {
  const v = await verifySignedNote(note, vkey);
  // Parse exactly the signed text, never a re-split of the whole note.
  const cp = parseCheckpoint(v.text);
  if (origin !== undefined && cp.origin !== origin) throw new NoteError(`检查点来源为 ${JSON.stringify(cp.origin)}，应为 ${JSON.stringify(origin)}`);
  return { ...cp, ...v };
}
