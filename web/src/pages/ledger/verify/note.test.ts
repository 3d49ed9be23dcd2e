import { describe, expect, it } from 'vitest';
import { concat, fromBase64, toBase64, toHex, utf8 } from './bytes.ts';
import { NoteError, computeKeyId, parseCheckpoint, parseVerifierKey, splitNote, verifyCheckpointNote, verifySignedNote } from './note.ts';
import { vectors } from './rfc6962.testdata.ts';
import { newSigner } from './signer.testing.ts';

const example = vectors.signed_note_example;

describe('C2SP signed note: the example of the vectors file', () => {
  it('computes the key id from name and key, as in the verifier key', async () => {
    const [name, idHex, keyB64] = example.vkey.split('+') as [string, string, string];
    const raw = fromBase64(keyB64).slice(1);
    expect(toHex(await computeKeyId(name, raw))).toBe(idHex);
    const key = await parseVerifierKey(example.vkey);
    expect(key.name).toBe(name);
    expect(toHex(key.keyId)).toBe(idHex);
    expect(key.publicKey).toHaveLength(32);
  });

  it('verifies the example signature with WebCrypto Ed25519', async () => {
    const v = await verifySignedNote(example.note, example.vkey);
    expect(v.text).toBe(splitNote(example.note).text);
    expect(v.keyIdHex).toBe(example.vkey.split('+')[1]);
  });

  it('fails when one character of the text changes', async () => {
    const tampered = example.note.replace('example', 'exbmple');
    await expect(verifySignedNote(tampered, example.vkey)).rejects.toThrow('签名无效');
  });

  it('fails when any byte of the signature changes', async () => {
    const { text, signatures } = splitNote(example.note);
    const s = signatures[0]!;
    for (const at of [0, 17, 40, 63]) {
      const sig = s.signature.slice();
      sig[at]! ^= 0x01;
      const note = `${text}\n\u2014 ${s.name} ${toBase64(concat(s.keyId, sig))}\n`;
      await expect(verifySignedNote(note, example.vkey)).rejects.toThrow(NoteError);
    }
  });

  it('refuses a verifier key whose id does not match, and a note without a signature from the key', async () => {
    const [name, idHex, key] = example.vkey.split('+') as [string, string, string];
    const wrongId = (parseInt(idHex, 16) ^ 1).toString(16).padStart(8, '0');
    await expect(parseVerifierKey(`${name}+${wrongId}+${key}`)).rejects.toThrow('密钥编号');
    await expect(parseVerifierKey(`${name}+${idHex}+${key.replace(/^A/, 'B')}`)).rejects.toThrow(NoteError);
    const other = await newSigner('example.com/foo');
    await expect(verifySignedNote(example.note, other.vkey)).rejects.toThrow('没有密钥');
  });

  it('refuses malformed notes', async () => {
    for (const bad of ['no blank line\n', 'text\n\n', 'text\n\n\u2014 example.com/foo abc\n', 'text\n\n- example.com/foo AAAA\n', 'text\n\nx']) {
      expect(() => splitNote(bad), JSON.stringify(bad)).toThrow(NoteError);
    }
  });
});

describe('checkpoints', () => {
  it('parses origin, size and root, and refuses malformed ones', () => {
    const root = toBase64(new Uint8Array(32).fill(7));
    const cp = parseCheckpoint(`clearlane/test\n42\n${root}\n`);
    expect(cp).toMatchObject({ origin: 'clearlane/test', size: 42, extensions: [] });
    expect(toBase64(cp.rootHash)).toBe(root);
    for (const bad of [`o\n042\n${root}\n`, `o\n-1\n${root}\n`, `o\n1\n${root.slice(4)}\n`, `o\n1\n${root}`, `\n1\n${root}\n`, `o\n1\n${root}\n\n`, `o\n1\n`]) {
      expect(() => parseCheckpoint(bad), JSON.stringify(bad)).toThrow();
    }
  });

  it('verifies a checkpoint signed with a fresh WebCrypto key, pins the origin, and catches a changed root', async () => {
    const signer = await newSigner('clearlane/test');
    const root = new Uint8Array(32).fill(9);
    const note = await signer.sign(`clearlane/test\n5\n${toBase64(root)}\n`);
    const cp = await verifyCheckpointNote(note, signer.vkey, 'clearlane/test');
    expect(cp.size).toBe(5);
    await expect(verifyCheckpointNote(note, signer.vkey, 'clearlane/other')).rejects.toThrow('来源');
    const forged = note.replace(toBase64(root), toBase64(new Uint8Array(32).fill(8)));
    await expect(verifyCheckpointNote(forged, signer.vkey)).rejects.toThrow('签名无效');
    // a cosignature by another key is ignored, ours still verifies
    const witness = await newSigner('witness.example');
    const cosigned = note + (await witness.sign(splitNote(note).text)).slice(splitNote(note).text.length + 1);
    await expect(verifyCheckpointNote(cosigned, signer.vkey)).resolves.toMatchObject({ size: 5 });
    expect(utf8(cosigned).length).toBeGreaterThan(utf8(note).length);
  });
});
