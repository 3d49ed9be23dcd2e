import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, loginAs, testApp, type Client, type TestApp } from '../../../test/factories.ts';
import { canonicalJson } from './leaf.ts';
import { leafHash, verifyConsistency, verifyInclusion } from './merkle.ts';
import { verifyNote } from './note.ts';

const ORIGIN = 'clearlane/routes-test';
let t: TestApp;
let auditor: Client;
let inspector: Client;
const b = (s: string) => Buffer.from(s, 'base64');

beforeAll(async () => {
  t = await testApp({ DATA_DIR: fs.mkdtempSync(`${os.tmpdir()}/clearlane-routes-`), LEDGER_ORIGIN: ORIGIN });
  auditor = await loginAs(t.app, 'auditor');
  inspector = await loginAs(t.app, 'inspector');
});
afterAll(() => t.close());

describe('ledger API', () => {
  it('has no checkpoint before the first is signed', async () => {
    expect((await call(t.app, 'GET', '/api/public/ledger/checkpoint')).status).toBe(404);
  });

  it('serves an entry with its leaf, which an outsider rebuilds from the entry alone', async () => {
    const res = await auditor.get('/api/ledger/entries/3');
    expect(res.status).toBe(200);
    const { entry, leaf, leafHash: stored, leafIndex } = res.body;
    expect(leafIndex).toBe(2);
    expect(entry.seq).toBe(3);
    // RFC 8785 over the entry exactly as served, then SHA-256(0x00 ‖ leaf).
    expect(b(leaf).toString('utf8')).toBe(canonicalJson(entry));
    expect(crypto.createHash('sha256').update(Buffer.of(0)).update(b(leaf)).digest('base64')).toBe(stored);
    expect((await auditor.get('/api/ledger/entries/999999')).status).toBe(404);
    expect((await auditor.get('/api/ledger/entries/0')).status).toBe(400);
  });

  it('signs a checkpoint on demand for the auditor only, and publishes it and the key without login', async () => {
    expect((await inspector.send('POST', '/api/ledger/checkpoints')).status).toBe(403);
    const made = await auditor.send('POST', '/api/ledger/checkpoints');
    expect(made.status).toBe(200);
    expect(made.body.created).toBe(true);
    const note = made.body.checkpoint.note as string;

    const key = await call(t.app, 'GET', '/api/ledger/public-key');
    expect(key.status).toBe(200);
    expect(key.body.origin).toBe(ORIGIN);
    const pub = await call(t.app, 'GET', '/api/public/ledger/checkpoint');
    expect(pub.status).toBe(200);
    expect(String(pub.headers['content-type'])).toMatch(/^text\/plain/);
    expect(pub.body).toBe(note);
    expect((await auditor.get('/api/ledger/checkpoint')).body).toBe(note);
    const cp = verifyNote(pub.body, key.body.verifierKey, { origin: ORIGIN });
    expect(cp.size).toBe(made.body.checkpoint.size);

    const list = await inspector.get('/api/ledger/checkpoints?pageSize=5');
    expect(list.body).toMatchObject({ total: 1, items: [{ size: cp.size, note }] });
  });

  it('proves inclusion of an entry in the signed tree', async () => {
    const key = (await call(t.app, 'GET', '/api/ledger/public-key')).body.verifierKey;
    const cp = verifyNote((await call(t.app, 'GET', '/api/public/ledger/checkpoint')).body, key);
    const entry = (await inspector.get('/api/ledger/entries/2')).body;
    const proof = await inspector.get('/api/ledger/proof/inclusion?seq=2');
    expect(proof.status).toBe(200);
    expect(proof.body).toMatchObject({ seq: 2, leafIndex: 1, treeSize: cp.size, rootHash: cp.rootHash.toString('base64') });
    expect(proof.body.checkpoint).toContain(`\n${cp.size}\n`);
    const leaf = leafHash(b(entry.leaf));
    expect(verifyInclusion(leaf, 1, cp.size, proof.body.proof.map(b), cp.rootHash)).toBe(true);
    expect((await inspector.get(`/api/ledger/proof/inclusion?seq=2&size=${cp.size + 100000}`)).status).toBe(400);
  });

  it('proves consistency between an old checkpoint and a newer one, also to the public', async () => {
    const key = (await call(t.app, 'GET', '/api/ledger/public-key')).body.verifierKey;
    const old = verifyNote((await call(t.app, 'GET', '/api/public/ledger/checkpoint')).body, key);
    await loginAs(t.app, 'leader'); // something new happens
    await auditor.send('POST', '/api/ledger/checkpoints');
    const current = verifyNote((await call(t.app, 'GET', '/api/public/ledger/checkpoint')).body, key);
    expect(current.size).toBeGreaterThan(old.size);
    for (const url of [`/api/public/ledger/proof/consistency?from=${old.size}`, `/api/ledger/proof/consistency?from=${old.size}&to=${current.size}`]) {
      const res = url.startsWith('/api/public') ? await call(t.app, 'GET', url) : await auditor.get(url);
      expect(res.status, url).toBe(200);
      expect(res.body).toMatchObject({ from: old.size, to: current.size });
      expect(verifyConsistency(old.size, current.size, old.rootHash, current.rootHash, res.body.proof.map(b))).toBe(true);
    }
  });

  it('verifies for the auditor, against a checkpoint kept outside too, and records that it did', async () => {
    const outside = (await call(t.app, 'GET', '/api/public/ledger/checkpoint')).body;
    expect((await inspector.send('POST', '/api/ledger/verify', {})).status).toBe(403);
    const res = await auditor.send('POST', '/api/ledger/verify', { checkpoint: outside });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, problem: null, checkpoints: 2 });
    expect(res.body.outsideSize).toBeGreaterThan(0);
    const bad = await auditor.send('POST', '/api/ledger/verify', { checkpoint: outside.replace(/\n\d+\n/, '\n1\n') });
    expect(bad.body).toMatchObject({ ok: false, problem: { kind: 'outside' } });
    const log = await auditor.get('/api/ledger/entries?action=ledger.verify');
    expect(log.body.items.map((e: { payload: { ok: boolean } }) => e.payload.ok)).toEqual([false, true]);
  });
});
