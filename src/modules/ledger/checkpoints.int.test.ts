import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import { createCheckpoint, latestCheckpoint, listCheckpoints, startCheckpointTimer } from './checkpoints.service.ts';
import { appendMany, tempKeys, TEST_ORIGIN } from './ledger.testing.ts';
import { parseCheckpoint, verifyNote } from './note.ts';
import { ledgerKeys, loadSigningKey, SigningKeyError } from './signing-key.ts';
import { consistency, inclusion } from './proofs.service.ts';
import { verifyConsistency, verifyInclusion } from './merkle.ts';
import { readHead } from './tree.repo.ts';

let database: TestDatabase;
const keys = tempKeys();
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

describe('the signing key', () => {
  it('is created on first need in DATA_DIR with mode 0600, then reused', () => {
    const k = tempKeys();
    const file = path.join(k.dir, 'ledger-signing-key.pem');
    expect(fs.existsSync(file)).toBe(false);
    const vkey = k.verifierKey();
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(vkey.startsWith(`${TEST_ORIGIN}+`)).toBe(true);
    expect(ledgerKeys({ LEDGER_ORIGIN: TEST_ORIGIN, dataDir: k.dir }).verifierKey()).toBe(vkey);
    expect(fs.readdirSync(k.dir)).toEqual(['ledger-signing-key.pem']);
  });

  it('is never generated at a path the operator named', () => {
    const k = tempKeys();
    const named = ledgerKeys({ LEDGER_ORIGIN: TEST_ORIGIN, dataDir: k.dir, LEDGER_KEY_FILE: path.join(k.dir, 'missing.pem') });
    expect(() => named.signingKey()).toThrow(SigningKeyError);
  });

  it('refuses a file that is not an Ed25519 private key', () => {
    const k = tempKeys();
    const file = path.join(k.dir, 'bad.pem');
    fs.writeFileSync(file, 'not a key');
    expect(() => loadSigningKey(TEST_ORIGIN, file, { create: false })).toThrow(SigningKeyError);
  });

  it('is created once when two processes race for it', () => {
    const k = tempKeys();
    const file = path.join(k.dir, 'ledger-signing-key.pem');
    const a = loadSigningKey(TEST_ORIGIN, file, { create: true });
    const b = loadSigningKey(TEST_ORIGIN, file, { create: true });
    expect(a.verifierKey).toBe(b.verifierKey);
  });
});

describe('checkpoints', () => {
  it('signs the empty log, then each growth, never the same size twice', async () => {
    const empty = await createCheckpoint(database.db, keys);
    expect(empty).toMatchObject({ created: true, checkpoint: { size: 0 } });
    expect((await createCheckpoint(database.db, keys)).created).toBe(false);
    await appendMany(database.db, 25, 5);
    const first = await createCheckpoint(database.db, keys);
    expect(first).toMatchObject({ created: true, checkpoint: { size: 25 } });
    const signed = verifyNote(first.checkpoint.note, keys.verifierKey(), { origin: TEST_ORIGIN });
    expect(signed.rootHash.equals(first.checkpoint.root)).toBe(true);
    expect(first.checkpoint.note).toMatch(new RegExp(`^${TEST_ORIGIN}\\n25\\n[A-Za-z0-9+/]{43}=\\n\\n— ${TEST_ORIGIN} [A-Za-z0-9+/]+=*\\n$`));
    await appendMany(database.db, 40, 8);
    const second = await createCheckpoint(database.db, keys);
    expect(second.checkpoint.size).toBe(65);
    expect((await latestCheckpoint(database.db))!.size).toBe(65);
    expect((await listCheckpoints(database.db, 1, 2)).items.map((c) => c.size)).toEqual([65, 25]);
  });

  it('serves proofs that verify against the signed roots', async () => {
    const latest = parseCheckpoint((await latestCheckpoint(database.db))!.note);
    for (const seq of [1, 2, 33, 65]) {
      const p = await inclusion(database.db, seq);
      expect(p.treeSize).toBe(65);
      expect(p.checkpoint).not.toBeNull();
      expect(verifyInclusion(p.leafHash, seq - 1, 65, p.proof, latest.rootHash)).toBe(true);
    }
    const c = await consistency(database.db, 25);
    expect(c.to).toBe(65);
    expect(verifyConsistency(25, 65, c.fromRoot, latest.rootHash, c.proof)).toBe(true);
    await expect(inclusion(database.db, 66, 65)).rejects.toThrow(/不在/);
    await expect(consistency(database.db, 1, 10_000)).rejects.toThrow(/超出/);
  });

  it('refuses to sign for another origin than the previous checkpoint’s', async () => {
    await appendMany(database.db, 1);
    const other = { ...keys, origin: 'clearlane/other' };
    await expect(createCheckpoint(database.db, other)).rejects.toThrow(/验签失败/);
  });
});

describe('the checkpoint timer', () => {
  it('signs once enough entries have been added, and stops cleanly', async () => {
    const log = { error: vi.fn(), info: vi.fn() };
    const before = (await latestCheckpoint(database.db))!.size;
    const timer = startCheckpointTimer(database.db, keys, { everyEntries: 10, everySeconds: 3600, pollMs: 10, log });
    try {
      await appendMany(database.db, 5);
      await new Promise((r) => setTimeout(r, 100));
      expect((await latestCheckpoint(database.db))!.size).toBe(before);
      await appendMany(database.db, 10);
      await vi.waitFor(async () => expect((await latestCheckpoint(database.db))!.size).toBeGreaterThan(before), { timeout: 5000, interval: 20 });
    } finally {
      await timer.stop();
    }
    expect(log.error).not.toHaveBeenCalled();
    const signed = (await latestCheckpoint(database.db))!.size;
    expect(signed).toBe((await readHead(database.db)).size);
    await appendMany(database.db, 20);
    await new Promise((r) => setTimeout(r, 100));
    expect((await latestCheckpoint(database.db))!.size).toBe(signed);
  });

  it('signs after the interval when anything was added', async () => {
    const log = { error: vi.fn() };
    await appendMany(database.db, 1);
    const size = (await readHead(database.db)).size;
    const timer = startCheckpointTimer(database.db, keys, { everyEntries: 1000, everySeconds: 1, pollMs: 50, log });
    try {
      await vi.waitFor(async () => expect((await latestCheckpoint(database.db))!.size).toBe(size), { timeout: 5000, interval: 50 });
    } finally {
      await timer.stop();
    }
  });

  it('logs a lasting failure once, not at every poll', async () => {
    const log = { error: vi.fn(), info: vi.fn() };
    await appendMany(database.db, 1);
    // a key for another origin than the signed checkpoints': every attempt is refused
    const timer = startCheckpointTimer(database.db, { ...keys, origin: 'clearlane/other' }, { everyEntries: 1, everySeconds: 1, pollMs: 5, log });
    try {
      await new Promise((r) => setTimeout(r, 400));
    } finally {
      await timer.stop();
    }
    expect(log.error).toHaveBeenCalledTimes(1);
    expect(String((log.error.mock.calls[0]![0] as { err: Error }).err.message)).toMatch(/验签失败/);
    expect(log.info).not.toHaveBeenCalled();
  });
});
