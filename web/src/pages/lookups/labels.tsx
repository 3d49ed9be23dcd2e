// How a look-up reads in the console: its subject (masked as the server sent it), query type,
// purpose and whether it is justified.
import { Tag, Tooltip } from 'antd';
import { PURPOSE_CATEGORIES, QUERY_TYPES, type MaskedSubject, type QueryType } from '@contracts/lookups.ts';
import { t } from '../../locales/zh-CN.ts';

export const optionsOf = (labels: Record<string, string>) => Object.entries(labels).map(([value, label]) => ({ value, label }));

/** `苏A1***5 · 3201**********1234 · 张*` — whichever parts the source sent */
export function subjectText(s: MaskedSubject): string {
  const parts = [s.plate, s.idNumber, s.name].filter((p): p is string => !!p);
  return parts.length > 0 ? parts.join(' · ') : t.empty;
}

const QUERY_TYPE_COLORS: Record<QueryType, string> = { vehicle: 'blue', driver: 'cyan', violations: 'geekblue', locationTrack: 'volcano', other: 'default' };
export const queryTypeTag = (q: QueryType) => <Tag color={QUERY_TYPE_COLORS[q]}>{QUERY_TYPES[q]}</Tag>;

export const purposeLabel = (category: string | null) =>
  category ? ((PURPOSE_CATEGORIES as Record<string, string>)[category] ?? category) : '未填写事由';

export function justifiedTag(justified: boolean, reason?: string) {
  const tag = justified ? <Tag color="green">有事由</Tag> : <Tag color="red">无正当事由</Tag>;
  return reason ? <Tooltip title={reason}>{tag}</Tooltip> : tag;
}

export const percent = (share: number | null | undefined) => (share === null || share === undefined ? t.empty : `${Math.round(share * 1000) / 10}%`);
