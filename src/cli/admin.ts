import crypto from 'node:crypto';
import { z } from 'zod';
import { badgeNo, personName, username } from '../contracts/org.ts';
import type { Database } from '../platform/db/database.ts';
import { bootstrapContext } from '../platform/bootstrap.ts';
import { hashPassword } from '../platform/password.ts';
import { createAccounts, createPeople, createUnitTree, findAccountByUsername, findPersonByBadge, topUnit } from '../modules/org/bulk.service.ts';

export class CliError extends Error {
  override name = 'CliError';
}

const input = z.object({ username, name: personName, badgeNo, unitName: z.string().trim().min(1).max(60) });

/** 16 random characters from all four classes: always satisfies the password policy. */
export function oneTimePassword(): string {
  const classes = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '#%+=@^_-'];
  const all = classes.join('');
  const pick = (s: string) => s[crypto.randomInt(s.length)]!;
  const chars = [...classes.map(pick), ...Array.from({ length: 12 }, () => pick(all))];
  for (let i = chars.length - 1; i > 0; i--) {
    const j = crypto.randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

/**
 * Production bootstrap: the first administrator. There is no built-in default password outside
 * demo mode; this prints a one-time password that must be changed at first login.
 */
export async function createFirstAdmin(database: Database, raw: { username: string; name: string; badgeNo: string; unitName: string }) {
  const parsed = input.safeParse(raw);
  if (!parsed.success) throw new CliError(parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join('\n'));
  const opts = parsed.data;
  const db = database.db;
  if (await findAccountByUsername(db, opts.username)) throw new CliError(`用户名 ${opts.username} 已存在`);
  if (await findPersonByBadge(db, opts.badgeNo)) throw new CliError(`警号 ${opts.badgeNo} 已存在`);
  const password = oneTimePassword();
  const passwordHash = await hashPassword(password);
  const ctx = bootstrapContext('clearlane admin create');
  await db.transaction().execute(async (trx) => {
    let unitId = (await topUnit(trx))?.id;
    if (unitId === undefined) {
      const ids = await createUnitTree(trx, ctx, [{ key: 'top', parentKey: null, name: opts.unitName, kind: 'brigade', code: null, sortOrder: 0 }]);
      unitId = ids.get('top')!;
    }
    const people = await createPeople(trx, ctx, [{ name: opts.name, badgeNo: opts.badgeNo, category: 'police', unitId, position: '系统管理员', phone: null }]);
    await createAccounts(trx, ctx, [{ username: opts.username, personId: people.get(opts.badgeNo)!, passwordHash, roles: ['admin'], mustChangePassword: true }]);
  });
  return { password };
}
