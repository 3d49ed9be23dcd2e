import { Button, Space, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { DownloadOutlined, FileTextOutlined, SafetyOutlined } from '@ant-design/icons';
import type { LedgerCheckpoint, LedgerEntry } from '@contracts/ledger.ts';
import { fmtTime } from '../../app/format.ts';
import { t } from '../../locales/zh-CN.ts';

export const mono = { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', fontSize: 12 } as const;

export function ledgerColumns(onDetail: (seq: number) => void): TableColumnsType<LedgerEntry> {
  return [
    { title: '序号', dataIndex: 'seq', width: 90 },
    { title: '时间', dataIndex: 'at', width: 170, render: fmtTime },
    { title: '操作人', dataIndex: 'actorName', width: 140, render: (v: string) => v || t.empty },
    { title: '动作', dataIndex: 'action', width: 230, render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
    { title: '对象类型', dataIndex: 'subjectType', width: 120 },
    { title: '对象编号', dataIndex: 'subjectId', width: 120, ellipsis: true },
    { title: 'IP 地址', dataIndex: 'clientIp', width: 130 },
    { title: '请求编号', dataIndex: 'requestId', ellipsis: true },
    {
      title: t.actions,
      key: 'actions',
      width: 120,
      fixed: 'right',
      render: (_: unknown, e: LedgerEntry) => (
        <Button type="link" size="small" icon={<SafetyOutlined />} onClick={() => onDetail(e.seq)}>
          详情与核验
        </Button>
      ),
    },
  ];
}

/** The expanded row: the entry's payload as it was recorded. */
export function PayloadView({ entry }: { entry: LedgerEntry }) {
  return (
    <pre style={{ margin: 0, maxHeight: 360, overflow: 'auto', fontSize: 12, background: '#fafafa', padding: 12 }}>
      {JSON.stringify(entry.payload, null, 2) ?? 'null'}
    </pre>
  );
}

export function checkpointColumns(actions: {
  onView: (cp: LedgerCheckpoint) => void;
  onDownload: (cp: LedgerCheckpoint) => void;
}): TableColumnsType<LedgerCheckpoint> {
  return [
    { title: '树大小（条目数）', dataIndex: 'size', width: 150 },
    {
      title: '根哈希（base64）',
      dataIndex: 'rootHash',
      render: (v: string) => (
        <Typography.Text copyable={{ text: v }} style={mono}>
          {v}
        </Typography.Text>
      ),
    },
    { title: '签发时间', dataIndex: 'createdAt', width: 180, render: fmtTime },
    {
      title: t.actions,
      key: 'actions',
      width: 200,
      render: (_: unknown, cp: LedgerCheckpoint) => (
        <Space size={0}>
          <Button type="link" size="small" icon={<FileTextOutlined />} onClick={() => actions.onView(cp)}>
            签名文本
          </Button>
          <Button type="link" size="small" icon={<DownloadOutlined />} onClick={() => actions.onDownload(cp)}>
            下载
          </Button>
        </Space>
      ),
    },
  ];
}
