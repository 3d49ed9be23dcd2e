import { z } from 'zod';
import { isoDateTime, optionalText, pageOf, pageQuery } from './common.ts';

export const ledgerEntry = z.object({
  seq: z.number().int(),
  at: z.string(),
  actorAccountId: z.number().int().nullable(),
  actorPersonId: z.number().int().nullable(),
  actorName: z.string(),
  action: z.string(),
  subjectType: z.string(),
  subjectId: z.string(),
  payload: z.unknown(),
  requestId: z.string(),
  clientIp: z.string(),
});
export type LedgerEntry = z.infer<typeof ledgerEntry>;

export const ledgerQuery = z.strictObject({
  ...pageQuery,
  actor: optionalText,
  action: optionalText,
  subjectType: optionalText,
  subjectId: optionalText,
  from: isoDateTime.optional(),
  to: isoDateTime.optional(),
});
export const ledgerPage = pageOf(ledgerEntry);
