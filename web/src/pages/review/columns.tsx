import { Button, Flex, Space, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import type { ReviewDecision, ReviewItem } from '@contracts/enforcement.ts';
import { fmtTime } from '../../app/format.ts';
import { t } from '../../locales/zh-CN.ts';
import { plateColumn, rulesCell, sourceCell, violationColumn } from '../records/columns.tsx';
import { fineText, lastDueDay } from '../records/labels.ts';

/** 审核期限 as working days left: red when overdue, orange on the last day. */
export function DueTag({ item }: { item: Pick<ReviewItem, 'overdue' | 'workingDaysLeft'> }) {
  const n = item.workingDaysLeft;
  if (item.overdue) return <Tag color="red">{n < 0 ? `已超期 ${-n} 个工作日` : '已超期'}</Tag>;
  if (n <= 0) return <Tag color="orange">今日到期</Tag>;
  if (n <= 1) return <Tag color="orange">剩 {n} 个工作日</Tag>;
  return <Tag color="blue">剩 {n} 个工作日</Tag>;
}

interface Actions {
  /** a phone: no fixed action column, so the scrolled columns stay readable */
  narrow: boolean;
  onDetail: (id: number) => void;
  onDecide: (item: ReviewItem, decision: ReviewDecision) => void;
}

export function reviewColumns({ narrow, onDetail, onDecide }: Actions): TableColumnsType<ReviewItem> {
  return [
    plateColumn<ReviewItem>(onDetail),
    {
      title: '审核期限',
      key: 'due',
      width: 150,
      render: (_, r) => (
        <Space orientation="vertical" size={0}>
          <DueTag item={r} />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            最迟 {lastDueDay(r.reviewDueAt)}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: '待审原因',
      dataIndex: 'holdMessages',
      width: 360,
      render: (messages: string[]) =>
        messages.length ? (
          <Space orientation="vertical" size={2}>
            {messages.map((m, i) => (
              <Typography.Paragraph key={i} style={{ margin: 0 }} ellipsis={{ rows: 2, tooltip: m }}>
                {m}
              </Typography.Paragraph>
            ))}
          </Space>
        ) : (
          t.empty
        ),
    },
    violationColumn<ReviewItem>(240),
    { title: '违法时间', dataIndex: 'occurredAt', width: 165, render: fmtTime },
    { title: '设备', key: 'source', width: 130, ellipsis: true, render: (_, r) => sourceCell(r) },
    { title: '触发规则', dataIndex: 'rules', width: 180, render: rulesCell },
    { title: '判定罚款/记分', key: 'fine', width: 120, render: (_, r) => fineText(r.fineYuan, r.points) },
    { title: '转入待审核', dataIndex: 'heldAt', width: 165, render: fmtTime },
    { title: '地点', dataIndex: 'road', width: 140, ellipsis: true },
    {
      title: t.actions,
      key: 'actions',
      width: 150,
      fixed: narrow ? undefined : 'right',
      render: (_, r) => (
        <Flex wrap gap={0}>
          <Button type="link" size="small" onClick={() => onDecide(r, 'penalty')}>
            确认处罚
          </Button>
          <Button type="link" size="small" onClick={() => onDecide(r, 'warning')}>
            改为警告
          </Button>
          <Button type="link" size="small" danger onClick={() => onDecide(r, 'voided')}>
            作废
          </Button>
        </Flex>
      ),
    },
  ];
}
