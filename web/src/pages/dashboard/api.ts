import type { z } from 'zod';
import type { AlertSummary } from '@contracts/alerts.ts';
import type { statsResponse } from '@contracts/enforcement.ts';
import { api } from '../../api/client.ts';

export type Stats = z.infer<typeof statsResponse>;

// the dashboard shows failures in place of the chart they belong to
const quiet = { silent: true };

export const dashboardApi = {
  stats: (from: string, to: string) => api.get<Stats>('/api/enforcement/stats', { from, to }, quiet),
  /** unclosed alerts now (not limited to the period) */
  alerts: () => api.get<AlertSummary>('/api/alerts/summary', undefined, quiet),
};
