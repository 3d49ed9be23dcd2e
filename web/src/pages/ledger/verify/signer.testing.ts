// Test-only: an Ed25519 signer for C2SP notes made with WebCrypto, to build notes the verifier must
// accept (and forgeries it must refuse) without a server.
import { concat, toBase64, toHex, utf8 } from './bytes.ts';
import { computeKeyId } from './note.ts';

export async function newSigner(name: string) {
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  const keyId = await computeKeyId(name, raw);
  const vkey = `${name}+${toHex(keyId)}+${toBase64(concat(Uint8Array.of(0x01), raw))}`;
  return {
    name,
    publicKey: raw,
    keyId,
    vkey,
    /** the signed note of `text` (which ends in a newline) */
    async sign(text: string): Promise<string> {
      const sig = new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, pair.privateKey, concat(utf8(text))));
      return `${text}\n\u2014 ${name} ${toBase64(concat(keyId, sig))}\n`;
    },
  };
}
