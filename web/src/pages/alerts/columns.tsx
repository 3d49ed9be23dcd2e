import { Button, Space, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import {
  ALERT_SEVERITIES,
  ALERT_SOURCES,
  ALERT_STATUSES,
  ALERT_SUBJECT_TYPES,
  type Alert,
  type AlertSeverity,
  type AlertStatus,
} from '@contracts/alerts.ts';
import { fmtTime } from '../../app/format.ts';
import { t } from '../../locales/zh-CN.ts';

const SEVERITY_COLORS: Record<AlertSeverity, string> = { low: 'default', medium: 'gold', high: 'orange', critical: 'red' };
const STATUS_COLORS: Record<AlertStatus, string> = { open: 'red', acknowledged: 'processing', resolved: 'green', dismissed: 'default' };

export const severityTag = (s: AlertSeverity) => <Tag color={SEVERITY_COLORS[s]}>{ALERT_SEVERITIES[s]}</Tag>;
export const statusTag = (s: AlertStatus) => <Tag color={STATUS_COLORS[s]}>{ALERT_STATUSES[s]}</Tag>;
export const sourceLabel = (source: string) => ALERT_SOURCES[source] ?? source;

export function alertColumns(onDetail: (a: Alert) => void): TableColumnsType<Alert> {
  return [
    { title: '等级', dataIndex: 'severity', width: 76, render: severityTag },
    {
      title: '规则',
      key: 'rule',
      width: 150,
      render: (_, a) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text code>{a.rule}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {sourceLabel(a.source)}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: '告警内容',
      dataIndex: 'title',
      ellipsis: { showTitle: false },
      render: (title: string, a) => (
        <Tooltip title={a.explanation} placement="topLeft">
          <Typography.Link onClick={() => onDetail(a)}>{title}</Typography.Link>
          {a.raiseCount > 1 && <Tag style={{ marginLeft: 6 }}>检出 {a.raiseCount} 次</Tag>}
        </Tooltip>
      ),
    },
    {
      title: '对象',
      key: 'subject',
      width: 190,
      ellipsis: true,
      render: (_, a) => (
        <>
          <Typography.Text type="secondary">{ALERT_SUBJECT_TYPES[a.subjectType]}：</Typography.Text>
          {a.subjectLabel}
        </>
      ),
    },
    { title: '单位', dataIndex: 'unitName', width: 120, ellipsis: true, render: (v: string | null) => v ?? t.empty },
    { title: '发生时间', dataIndex: 'occurredAt', width: 170, render: fmtTime },
    { title: t.status, dataIndex: 'status', width: 90, render: statusTag },
    { title: '处理人', dataIndex: 'assigneeName', width: 100, render: (v: string | null) => v ?? <Typography.Text type="secondary">未分派</Typography.Text> },
    {
      title: t.actions,
      key: 'actions',
      width: 80,
      fixed: 'right',
      render: (_, a) => (
        <Button type="link" size="small" onClick={() => onDetail(a)}>
          详情
        </Button>
      ),
    },
  ];
}
