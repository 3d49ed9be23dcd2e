import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { leafHash } from './merkle.ts';
import {
  formatCheckpoint,
  formatVerifierKey,
  generateSigningKey,
  keyId,
  parseCheckpoint,
  parseVerifierKey,
  signCheckpoint,
  signNote,
  splitNote,
  verifyNote,
  verifySignedNote,
  type Checkpoint,
} from './note.ts';

interface Vectors {
  signed_note_example: { vkey: string; note: string };
}

const vectors = JSON.parse(
  readFileSync(new URL('../../../../shared/testdata/rfc6962.json', import.meta.url), 'utf8'),
) as Vectors;
const spec = vectors.signed_note_example;

// golang.org/x/mod/sumdb/note documentation example (used as data). Ed25519 signatures are
// deterministic, so signing the same text with the same seed must reproduce the note byte for byte.
const GO_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const GO_SEED_B64 = 'AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz'; // 0x01 ‖ 32-byte seed
const GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const GO_NOTE = `${GO_TEXT}\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;

function pemFromSeed(seed: Buffer): string {
  const pkcs8Prefix = Buffer.from('302e020100300506032b657004220420', 'hex');
  return createPrivateKey({ key: Buffer.concat([pkcs8Prefix, seed]), format: 'der', type: 'pkcs8' })
    .export({ format: 'pem', type: 'pkcs8' })
    .toString();
}

const key = generateSigningKey('clearlane.example/ledger');
const checkpoint: Checkpoint = {
  origin: 'clearlane.example/ledger',
  size: 1234,
  rootHash: leafHash(Buffer.from('root')),
  extensions: [],
};
const body = formatCheckpoint(checkpoint);
const signed = signCheckpoint(body, key);

describe('C2SP signed-note example', () => {
  it('derives the key id in the verifier key', () => {
    const vkey = parseVerifierKey(spec.vkey);
    expect(vkey.name).toBe('example.com/foo');
    expect(vkey.keyId.toString('hex')).toBe('530d903a');
    expect(keyId(vkey.name, vkey.publicKeyRaw).toString('hex')).toBe('530d903a');
    expect(formatVerifierKey(vkey.name, vkey.publicKeyRaw)).toBe(spec.vkey);
  });

  it('verifies the example note and returns its text', () => {
    expect(verifySignedNote(spec.note, spec.vkey)).toBe('This is an example message.\n');
    const [sig] = splitNote(spec.note).signatures;
    expect(sig?.name).toBe('example.com/foo');
    expect(sig?.keyId.toString('hex')).toBe('530d903a');
    expect(sig?.signature).toHaveLength(64);
  });

  it('rejects the example note once its text changes', () => {
    const tampered = spec.note.replace('example message', 'exemplary message');
    expect(() => verifySignedNote(tampered, spec.vkey)).toThrow(/invalid signature/);
  });

  it('is not a checkpoint', () => {
    expect(() => verifyNote(spec.note, spec.vkey)).toThrow(/malformed checkpoint/);
  });
});

describe('golang.org/x/mod/sumdb/note example', () => {
  it('reproduces the reference signature byte for byte', () => {
    const seed = Buffer.from(GO_SEED_B64, 'base64');
    expect(seed[0]).toBe(0x01);
    const privateKeyPem = pemFromSeed(seed.subarray(1));
    expect(signNote(GO_TEXT, { name: 'PeterNeumann', privateKeyPem })).toBe(GO_NOTE);
    expect(verifySignedNote(GO_NOTE, GO_VKEY)).toBe(GO_TEXT);
  });
});

describe('keys', () => {
  it('generates a key whose verifier key round-trips', () => {
    const vkey = parseVerifierKey(key.verifierKey);
    expect(vkey.name).toBe(key.name);
    expect(vkey.publicKeyRaw).toEqual(key.publicKeyRaw);
    expect(key.publicKeyRaw).toHaveLength(32);
    expect(key.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(key.verifierKey).toBe(formatVerifierKey(key.name, key.publicKeyRaw));
  });

  it('parses verifier keys whose base64 contains "+"', () => {
    // About three keys in four have a '+' somewhere in their 44 base64 characters.
    const hasPlusInData = (k: { verifierKey: string }) => k.verifierKey.split('+').length > 3;
    let withPlus = generateSigningKey('plus.example');
    for (let tries = 0; !hasPlusInData(withPlus) && tries < 200; tries += 1) {
      withPlus = generateSigningKey('plus.example');
    }
    expect(hasPlusInData(withPlus)).toBe(true);
    expect(parseVerifierKey(withPlus.verifierKey).publicKeyRaw).toEqual(withPlus.publicKeyRaw);
    expect(verifyNote(signCheckpoint(body, withPlus), withPlus.verifierKey)).toEqual(checkpoint);
  });

  it('refuses names with spaces or plus signs', () => {
    expect(() => generateSigningKey('two words')).toThrow(/invalid key name/);
    expect(() => generateSigningKey('a+b')).toThrow(/invalid key name/);
    expect(() => generateSigningKey('')).toThrow(/invalid key name/);
  });

  it('refuses malformed verifier keys', () => {
    const [name, id, data] = spec.vkey.split('+') as [string, string, string];
    expect(() => parseVerifierKey(`${name}+${id}`)).toThrow(/form/);
    expect(() => parseVerifierKey(`${name}+00000000+${data}`)).toThrow(/does not match/);
    expect(() => parseVerifierKey(`other.example+${id}+${data}`)).toThrow(/does not match/);
    expect(() => parseVerifierKey(`${name}+${id}+${data.slice(0, -4)}`)).toThrow();
    const notEd25519 = Buffer.from(data, 'base64');
    notEd25519[0] = 0x02;
    expect(() => parseVerifierKey(`${name}+${id}+${notEd25519.toString('base64')}`)).toThrow(/Ed25519/);
  });
});

describe('checkpoints', () => {
  it('formats the C2SP tlog-checkpoint body', () => {
    expect(body).toBe(`clearlane.example/ledger\n1234\n${checkpoint.rootHash.toString('base64')}\n`);
    expect(signed.startsWith(`${body}\n— clearlane.example/ledger `)).toBe(true);
    expect(signed.endsWith('\n')).toBe(true);
  });

  it('signs and verifies a checkpoint', () => {
    expect(verifyNote(signed, key.verifierKey)).toEqual(checkpoint);
    expect(verifyNote(signed, key.verifierKey, { origin: checkpoint.origin })).toEqual(checkpoint);
    expect(parseCheckpoint(signed)).toEqual(checkpoint);
    expect(parseCheckpoint(body)).toEqual(checkpoint);
  });

  it('carries extension lines', () => {
    const withExt = { ...checkpoint, extensions: ['timestamp 1700000000', 'note: 交警'] };
    const note = signCheckpoint(formatCheckpoint(withExt), key);
    expect(verifyNote(note, key.verifierKey)).toEqual(withExt);
  });

  it('pins the origin when asked', () => {
    expect(() => verifyNote(signed, key.verifierKey, { origin: 'other.example/log' })).toThrow(/origin/);
  });

  it('refuses malformed checkpoint bodies', () => {
    const root = checkpoint.rootHash.toString('base64');
    const bad = [
      `origin\n12\n${root}`, // no final newline
      `\n12\n${root}\n`, // empty origin
      `origin\n012\n${root}\n`, // leading zero
      `origin\n-1\n${root}\n`,
      `origin\n12\n`, // no root line
      `origin\n12\n${root.slice(0, -4)}\n`, // short hash
      `origin\n12\n${root}x\n`, // not base64
      `origin\n12\n${root}\n\next\n`, // blank line
      `origin\n${2 ** 53}\n${root}\n`, // beyond safe integers
      `origin\t1\n12\n${root}\n`, // control character
    ];
    for (const text of bad) expect(() => signCheckpoint(text, key), JSON.stringify(text)).toThrow();
    expect(() => formatCheckpoint({ ...checkpoint, extensions: ['a\nb'] })).toThrow(/newline/);
    expect(() => formatCheckpoint({ ...checkpoint, extensions: [''] })).toThrow(/extension/);
  });
});

describe('tampering', () => {
  const sigLines = signed.slice(body.length + 1);
  const root = checkpoint.rootHash.toString('base64');

  function resign(text: string): string {
    return `${text}\n${sigLines}`;
  }

  it('fails when the size changes', () => {
    const note = resign(body.replace('\n1234\n', '\n1235\n'));
    expect(() => verifyNote(note, key.verifierKey)).toThrow(/invalid signature/);
  });

  it('fails when the root changes', () => {
    const otherRoot = leafHash(Buffer.from('other root')).toString('base64');
    const note = resign(body.replace(root, otherRoot));
    expect(() => verifyNote(note, key.verifierKey)).toThrow(/invalid signature/);
  });

  it('fails when a line is added', () => {
    expect(() => verifyNote(resign(`${body}extra\n`), key.verifierKey)).toThrow(/invalid signature/);
  });

  it('fails when the signature bytes change', () => {
    const raw = Buffer.from(sigLines.slice(sigLines.lastIndexOf(' ') + 1, -1), 'base64');
    raw[10] = raw[10]! ^ 0x01;
    const note = `${body}\n— ${key.name} ${raw.toString('base64')}\n`;
    expect(() => verifyNote(note, key.verifierKey)).toThrow(/invalid signature/);
  });

  it('fails with a different key, even one using the same name', () => {
    const other = generateSigningKey(key.name);
    expect(() => verifyNote(signed, other.verifierKey)).toThrow(/no signature from key/);
    const stranger = generateSigningKey('someone.else');
    expect(() => verifyNote(signed, stranger.verifierKey)).toThrow(/no signature from key/);
  });

  it('ignores signatures by unknown keys but not bad ones by the verifier key', () => {
    const witness = generateSigningKey('witness.example');
    const cosigned = signed + signNote(body, witness).slice(body.length + 1);
    expect(verifyNote(cosigned, key.verifierKey)).toEqual(checkpoint);
    expect(verifyNote(cosigned, witness.verifierKey)).toEqual(checkpoint);

    const forged = signNote(body.replace('1234', '9999'), key).slice(body.length + 1);
    expect(() => verifyNote(signed + forged, key.verifierKey)).toThrow(/invalid signature/);
  });

  it('refuses a signed text that hides lines behind a blank line', () => {
    const hidden = `${body}\n— decoy AAAAAAAA\n`;
    const note = signNote(hidden, key);
    expect(verifySignedNote(note, key.verifierKey)).toBe(hidden);
    expect(() => verifyNote(note, key.verifierKey)).toThrow(/malformed checkpoint/);
  });

  it('refuses malformed signature blocks', () => {
    expect(() => verifyNote(body, key.verifierKey)).toThrow(/malformed note/);
    expect(() => verifyNote(`${body}\n`, key.verifierKey)).toThrow(/malformed note/);
    expect(() => verifyNote(signed.slice(0, -1), key.verifierKey)).toThrow(/malformed note/);
    expect(() => verifyNote(signed.replace('—', '-'), key.verifierKey)).toThrow(/malformed note/);
    expect(() => verifyNote(`${signed}— ${key.name} AAAA\n`, key.verifierKey)).toThrow(/too short/);
    const many = signed + sigLines.repeat(100);
    expect(() => verifyNote(many, key.verifierKey)).toThrow(/more than 100/);
  });
});

describe('zh-CN problems for auditors', () => {
  it('turns each parser and verifier error into a Chinese sentence', async () => {
    const { noteProblemZh } = await import('./note.ts');
    const key = generateSigningKey('example.com/log');
    const other = generateSigningKey('example.com/log');
    const signed = signCheckpoint(formatCheckpoint({ origin: 'example.com/log', size: 1, rootHash: Buffer.alloc(32), extensions: [] }), key);
    const problem = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return noteProblemZh(e);
      }
      throw new Error('expected a failure');
    };
    expect(problem(() => verifyNote(signed, other.verifierKey))).toMatch(/^没有密钥 example\.com\/log 的签名$/);
    expect(problem(() => verifyNote(signed.replace('\n1\n', '\n2\n'), key.verifierKey))).toBe('密钥 example.com/log 的签名不正确');
    expect(problem(() => verifyNote(signed, key.verifierKey, { origin: 'other/log' }))).toBe('检查点属于账本 "example.com/log"，应为 "other/log"');
    expect(problem(() => verifyNote('junk', key.verifierKey))).toMatch(/格式不正确|不允许的字符/);
    expect(noteProblemZh(new Error('something new'))).toBe('检查点无法解析');
  });
});
