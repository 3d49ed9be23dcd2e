import { Tag } from 'antd';
import { EXPLANATION_STATUSES, type Explanation, type ExplanationStatus } from '@contracts/lookups.ts';

const STATUS_COLORS: Record<ExplanationStatus, string> = { requested: 'gold', answered: 'processing', accepted: 'green', escalated: 'magenta' };

export const explanationStatusTag = (s: ExplanationStatus) => <Tag color={STATUS_COLORS[s]}>{EXPLANATION_STATUSES[s]}</Tag>;

/** 逾期 when unanswered past the deadline or answered after it. */
export function overdueTag(e: Pick<Explanation, 'overdue' | 'status'>) {
  if (!e.overdue) return null;
  return <Tag color="red">{e.status === 'requested' ? '已逾期' : '逾期答复'}</Tag>;
}
