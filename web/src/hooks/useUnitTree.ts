// Every unit in the account's data scope (flat, with parentId), fetched once and shared by the
// unit pickers; the organisation page invalidates it after a change.
import { useEffect, useState } from 'react';
import type { Unit } from '@contracts/org.ts';
import { api } from '../api/client.ts';

let cached: Promise<Unit[]> | null = null;
const listeners = new Set<() => void>();

export function invalidateUnitTree(): void {
  cached = null;
  for (const notify of listeners) notify();
}

function load(): Promise<Unit[]> {
  cached ??= api.get<{ items: Unit[] }>('/api/org/units/tree').then(
    (r) => r.items,
    (e: unknown) => {
      cached = null;
      throw e;
    },
  );
  return cached;
}

/** `enabled` false (no `org:unit:view`) skips the request and returns no units. */
export function useUnitTree(enabled = true): { units: Unit[]; loading: boolean } {
  const [units, setUnits] = useState<Unit[]>([]);
  const [loading, setLoading] = useState(enabled);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    const notify = () => setVersion((v) => v + 1);
    listeners.add(notify);
    return () => {
      listeners.delete(notify);
    };
  }, []);

  useEffect(() => {
    if (!enabled) return;
    let live = true;
    setLoading(true);
    load()
      .then((items) => live && setUnits(items))
      .catch(() => undefined)
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [enabled, version]);

  return { units, loading };
}

export interface UnitNode {
  unit: Unit;
  children: UnitNode[];
}

/** Flat units → forest. A unit whose parent lies outside the scope becomes a root. */
export function buildUnitForest(units: Unit[]): UnitNode[] {
  const nodes = new Map(units.map((u) => [u.id, { unit: u, children: [] as UnitNode[] }]));
  const roots: UnitNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.unit.parentId === null ? undefined : nodes.get(node.unit.parentId);
    (parent ? parent.children : roots).push(node);
  }
  const sort = (list: UnitNode[]) => {
    list.sort((a, b) => a.unit.sortOrder - b.unit.sortOrder || a.unit.id - b.unit.id);
    list.forEach((n) => sort(n.children));
  };
  sort(roots);
  return roots;
}

/** The ids of a unit and everything under it (a unit cannot move under its own descendant). */
export function subtreeIds(units: Unit[], rootId: number): Set<number> {
  const children = new Map<number, number[]>();
  for (const u of units) if (u.parentId !== null) children.set(u.parentId, [...(children.get(u.parentId) ?? []), u.id]);
  const ids = new Set<number>();
  const stack = [rootId];
  for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
    if (ids.has(id)) continue;
    ids.add(id);
    stack.push(...(children.get(id) ?? []));
  }
  return ids;
}
