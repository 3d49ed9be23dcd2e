import { Button, Space, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import type { Explanation } from '@contracts/lookups.ts';
import { fmtTime } from '../../app/format.ts';
import { t } from '../../locales/zh-CN.ts';
import { explanationStatusTag, overdueTag } from './labels.tsx';

export function explanationColumns(onOpen: (e: Explanation) => void, showPerson: boolean): TableColumnsType<Explanation> {
  const columns: TableColumnsType<Explanation> = [
    { title: '编号', dataIndex: 'id', width: 80, render: (id: number) => `#${id}` },
    {
      title: t.status,
      key: 'status',
      width: 130,
      render: (_, e) => (
        <Space size={4} wrap>
          {explanationStatusTag(e.status)}
          {overdueTag(e)}
        </Space>
      ),
    },
    {
      title: '说明人',
      key: 'person',
      width: 140,
      render: (_, e) => (
        <Space orientation="vertical" size={0}>
          {e.personName}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {e.badgeNo} · {e.unitName ?? t.empty}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: '问题',
      dataIndex: 'question',
      ellipsis: true,
      render: (q: string, e) => <Typography.Link onClick={() => onOpen(e)}>{q}</Typography.Link>,
    },
    { title: '查询记录', key: 'lookups', width: 90, render: (_, e) => `${e.lookupIds.length} 条` },
    { title: '关联告警', key: 'alert', width: 130, render: (_, e) => (e.alertId !== null ? `#${e.alertId} ${e.alertRule ?? ''}` : t.empty) },
    { title: '发起', key: 'asked', width: 160, render: (_, e) => fmtTime(e.askedAt) },
    { title: '答复期限', dataIndex: 'deadline', width: 160, render: fmtTime },
    {
      title: t.actions,
      key: 'actions',
      width: 80,
      fixed: 'right',
      render: (_, e) => (
        <Button type="link" size="small" onClick={() => onOpen(e)}>
          {showPerson ? '处理' : e.status === 'requested' ? '说明' : '查看'}
        </Button>
      ),
    },
  ];
  return showPerson ? columns : columns.filter((c) => c.key !== 'person');
}
