import crypto from 'node:crypto';
import type { RequestContext } from '../modules/ledger/ledger.service.ts';
import { SYSTEM_PRINCIPAL } from './authz/principal.ts';

/** The context for changes made by the system itself (start-up, CLI), named in the ledger. */
export function bootstrapContext(what: string): RequestContext {
  return { principal: { ...SYSTEM_PRINCIPAL, name: `系统(${what})` }, requestId: crypto.randomUUID(), clientIp: '127.0.0.1' };
}
