// The personnel identifier registry's API (L-SELF / L-KIN / L-COLLEAGUE match look-ups against it).
import type { z } from 'zod';
import type { PersonnelSubject, personnelSubjectCreate } from '@contracts/lookup-rules.ts';
import { api } from '../../../api/client.ts';

export type PersonnelSubjectInput = z.input<typeof personnelSubjectCreate>;

const base = '/api/lookups/personnel-subjects';

export const personnelSubjectsApi = {
  list: (personId?: number) => api.get<{ items: PersonnelSubject[] }>(base, { personId }),
  add: (items: PersonnelSubjectInput[]) => api.post<{ added: number }>(base, { items }, { silent: true }),
  /** the row is removed; the server keeps what it was (masked) and the reason in the ledger */
  remove: (id: number, reason: string) => api.post<{ ok: true }>(`${base}/${id}/remove`, { reason }, { silent: true }),
};
