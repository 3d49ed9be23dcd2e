import { Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import type { LedgerEntry } from '@contracts/ledger.ts';
import { fmtTime } from '../../app/format.ts';
import { t } from '../../locales/zh-CN.ts';

export const ledgerColumns: TableColumnsType<LedgerEntry> = [
  { title: '序号', dataIndex: 'seq', width: 90 },
  { title: '时间', dataIndex: 'at', width: 170, render: fmtTime },
  { title: '操作人', dataIndex: 'actorName', width: 120, render: (v: string) => v || t.empty },
  { title: '动作', dataIndex: 'action', width: 250, render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
  { title: '对象类型', dataIndex: 'subjectType', width: 120 },
  { title: '对象编号', dataIndex: 'subjectId', width: 140, ellipsis: true },
  { title: 'IP 地址', dataIndex: 'clientIp', width: 140 },
  { title: '请求编号', dataIndex: 'requestId', ellipsis: true },
];

/** The expanded row: the entry's payload as it was recorded. */
export function PayloadView({ entry }: { entry: LedgerEntry }) {
  return (
    <pre style={{ margin: 0, maxHeight: 360, overflow: 'auto', fontSize: 12, background: '#fafafa', padding: 12 }}>
      {JSON.stringify(entry.payload, null, 2) ?? 'null'}
    </pre>
  );
}
