import type { z } from 'zod';
import type { RuleSet, ruleSetCreate, ruleSetDiff, ruleSetList } from '@contracts/rules.ts';
import { api, type RequestOptions } from '../../api/client.ts';

export type RuleSetHead = z.infer<typeof ruleSetList>['items'][number];
export type RuleSetCreate = z.input<typeof ruleSetCreate>;
export type RuleSetDiff = z.infer<typeof ruleSetDiff>;

const base = '/api/rules';

export const rulesApi = {
  current: (opts?: RequestOptions) => api.get<RuleSet>(`${base}/current`, undefined, opts),
  /** newest first */
  versions: (opts?: RequestOptions) => api.get<z.infer<typeof ruleSetList>>(`${base}/versions`, undefined, opts).then((r) => r.items),
  version: (version: number, opts?: RequestOptions) => api.get<RuleSet>(`${base}/versions/${version}`, undefined, opts),
  /** saves a new version (the server ledgers it) */
  create: (body: RuleSetCreate) => api.post<RuleSet>(base, body, { silent: true }),
  diff: (from: number, to: number, opts?: RequestOptions) => api.get<RuleSetDiff>(`${base}/diff`, { from, to }, opts),
};
