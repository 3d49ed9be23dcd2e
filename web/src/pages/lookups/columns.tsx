import { Button, Space, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { JUSTIFICATION_REASONS, type LookupSummary } from '@contracts/lookups.ts';
import { Link } from 'react-router';
import { fmtTime } from '../../app/format.ts';
import { t } from '../../locales/zh-CN.ts';
import { justifiedTag, purposeLabel, queryTypeTag, subjectText } from './labels.tsx';

export const reasonText = (code: string) => (JUSTIFICATION_REASONS as Record<string, string>)[code] ?? code;

interface Options {
  onDetail: (l: LookupSummary) => void;
  /** the person links to their 查询画像 */
  profileLinks: boolean;
  /** narrow screens: fewer, shorter columns */
  compact?: boolean;
}

export function lookupColumns({ onDetail, profileLinks, compact }: Options): TableColumnsType<LookupSummary> {
  const columns: TableColumnsType<LookupSummary> = [
    { title: '查询时间', dataIndex: 'at', width: 160, render: fmtTime },
    {
      title: '查询人',
      key: 'person',
      width: 120,
      render: (_, l) => (
        <Space orientation="vertical" size={0}>
          {l.personId !== null && profileLinks ? (
            <Link to={`/lookups/profile?personId=${l.personId}`}>{l.personName}</Link>
          ) : (
            <span>{l.personName ?? <Typography.Text type="danger">无对应人员</Typography.Text>}</span>
          )}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {l.account}
          </Typography.Text>
        </Space>
      ),
    },
    { title: '单位', dataIndex: 'unitName', width: 100, ellipsis: true, render: (v: string | null) => v ?? t.empty },
    { title: '类型', dataIndex: 'queryType', width: 110, render: queryTypeTag },
    { title: '查询对象', key: 'subject', width: 200, render: (_, l) => subjectText(l.subject) },
    {
      title: '查询事由',
      key: 'purpose',
      ellipsis: true,
      render: (_, l) => (
        <>
          {purposeLabel(l.purposeCategory)}
          {l.purposeText && <Typography.Text type="secondary">：{l.purposeText}</Typography.Text>}
        </>
      ),
    },
    { title: '关联编号', dataIndex: 'caseRef', width: 110, ellipsis: true, render: (v: string | null) => v ?? t.empty },
    { title: '事由核验', key: 'justified', width: 110, render: (_, l) => justifiedTag(l.justified, reasonText(l.justificationReason)) },
    {
      title: t.actions,
      key: 'actions',
      width: 70,
      fixed: 'right',
      render: (_, l) => (
        <Button type="link" size="small" onClick={() => onDetail(l)}>
          详情
        </Button>
      ),
    },
  ];
  return compact ? columns.filter((c) => !['unitName', 'caseRef', 'purpose'].includes(String(c.key ?? (c as { dataIndex?: string }).dataIndex))) : columns;
}
