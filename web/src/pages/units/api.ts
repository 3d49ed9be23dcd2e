import type { z } from 'zod';
import type { Unit, unitCreate, unitUpdate } from '@contracts/org.ts';
import { api } from '../../api/client.ts';

export type UnitCreate = z.input<typeof unitCreate>;
export type UnitUpdate = z.input<typeof unitUpdate>;

// The tree itself comes from the shared `useUnitTree` (the pickers on other pages use it too).
export const unitsApi = {
  create: (body: UnitCreate) => api.post<Unit>('/api/org/units', body),
  update: (id: number, body: UnitUpdate) => api.patch<Unit>(`/api/org/units/${id}`, body),
  deactivate: (id: number) => api.post<Unit>(`/api/org/units/${id}/deactivate`),
  activate: (id: number) => api.post<Unit>(`/api/org/units/${id}/activate`),
};
