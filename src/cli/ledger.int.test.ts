import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import { appendMany, asAttacker, tempKeys } from '../modules/ledger/ledger.testing.ts';
import { verifyInclusion } from '../modules/ledger/merkle.ts';
import { verifyNote } from '../modules/ledger/note.ts';
import { ledgerCheckpoint, ledgerProve, ledgerPublicKey, ledgerVerify } from './ledger.ts';

let database: TestDatabase;
const keys = tempKeys();
beforeAll(async () => {
  database = await createTestDatabase();
  await appendMany(database.db, 120, 40);
});
afterAll(() => database.drop());

describe('clearlane ledger', () => {
  it('checkpoint signs one when there is none, then prints the same until --new', async () => {
    const first = await ledgerCheckpoint(database, keys);
    expect(verifyNote(first, ledgerPublicKey(keys)).size).toBe(120);
    await appendMany(database.db, 10);
    expect(await ledgerCheckpoint(database, keys)).toBe(first);
    expect(verifyNote(await ledgerCheckpoint(database, keys, { fresh: true }), ledgerPublicKey(keys)).size).toBe(130);
  });

  it('prove prints a proof that verifies against the printed checkpoint', async () => {
    const p = JSON.parse(await ledgerProve(database, 17)) as { leafHash: string; proof: string[]; treeSize: number; checkpoint: string };
    const cp = verifyNote(p.checkpoint, ledgerPublicKey(keys));
    expect(verifyInclusion(Buffer.from(p.leafHash, 'base64'), 16, p.treeSize, p.proof.map((x) => Buffer.from(x, 'base64')), cp.rootHash)).toBe(true);
    await expect(ledgerProve(database, 0)).rejects.toThrow(/正整数/);
    await expect(ledgerProve(database, 500)).rejects.toThrow(/不在/);
  });

  it('verify passes, also against an outside checkpoint file and key file', async () => {
    const file = path.join(keys.dir, 'outside.txt');
    fs.writeFileSync(file, await ledgerCheckpoint(database, keys));
    const keyFile = path.join(keys.dir, 'office.vkey');
    fs.writeFileSync(keyFile, `${ledgerPublicKey(keys)}\n`);
    const r = await ledgerVerify(database, keys, { checkpoint: file, key: keyFile, batchSize: 50 });
    expect(r.ok).toBe(true);
    expect(r.lines.join('\n')).toMatch(/核验通过：130 条，2 个检查点/);
    expect(r.lines.join('\n')).toMatch(/外部检查点（130 条）/);
  });

  it('verify --deep also checks the search hints, which plain verify leaves to it', async () => {
    expect((await ledgerVerify(database, keys, { batchSize: 50, deep: true })).lines.join('\n')).toContain('检索字段（筛选用）与叶一致');
    await asAttacker(database.db, () => sql`UPDATE ledger_entries SET subject_id = 'x' WHERE seq = 77`.execute(database.db));
    const plain = await ledgerVerify(database, keys, { batchSize: 50 });
    expect(plain.ok).toBe(true);
    expect(plain.lines.join('\n')).toContain('加 --deep 核对');
    const deep = await ledgerVerify(database, keys, { batchSize: 50, deep: true });
    expect(deep.ok).toBe(false);
    expect(deep.lines[0]).toContain('第一个不符的条目序号：77');
    expect(deep.lines[1]).toContain('检索字段');
  });

  it('verify fails naming the first entry that does not match', async () => {
    await asAttacker(database.db, () =>
      sql`UPDATE ledger_entries SET leaf = convert_to(replace(convert_from(leaf, 'UTF8'), '"subjectId":"', '"subjectId":"x'), 'UTF8') WHERE seq IN (64, 99)`.execute(database.db),
    );
    const r = await ledgerVerify(database, keys, { batchSize: 50 });
    expect(r.ok).toBe(false);
    expect(r.lines[0]).toContain('第一个不符的条目序号：64');
  });
});
