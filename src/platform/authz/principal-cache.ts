/**
 * A short-lived, per-process cache of resolved sessions, keyed by the session token's hash.
 *
 * Resolving a principal (session, account, roles, unit subtree) is most of the cost of a read
 * request. Entries live at most TTL_MS; every write that changes who may do what (roles,
 * accounts, people, units, sessions, passwords) calls `invalidatePrincipals()`, so in a single
 * process a change takes effect on the next request. With several processes behind a load
 * balancer, another process sees it within TTL_MS.
 */
export const PRINCIPAL_TTL_MS = 2_000;
const MAX_ENTRIES = 10_000;

const entries = new Map<string, { value: unknown; until: number }>();
// Bumped by every invalidation: a value loaded before it must not be cached after it.
let generation = 0;

export function principalGeneration(): number {
  return generation;
}

export function cachedPrincipal<T>(key: string, now: number): T | undefined {
  const hit = entries.get(key);
  if (!hit) return undefined;
  if (hit.until <= now) {
    entries.delete(key);
    return undefined;
  }
  return hit.value as T;
}

export function cachePrincipal(key: string, value: unknown, now: number, loadedAt: number): void {
  if (loadedAt !== generation) return;
  if (entries.size >= MAX_ENTRIES) entries.clear();
  entries.set(key, { value, until: now + PRINCIPAL_TTL_MS });
}

export function invalidatePrincipals(): void {
  generation += 1;
  entries.clear();
}
