import { Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { LOGIN_RESULTS } from '@contracts/auth.ts';
import { fmtTime } from '../../app/format.ts';
import { t } from '../../locales/zh-CN.ts';
import type { LoginLogEntry } from './api.ts';

export const loginLogColumns: TableColumnsType<LoginLogEntry> = [
  { title: '时间', dataIndex: 'at', width: 170, render: fmtTime },
  { title: '用户名', dataIndex: 'username', width: 140 },
  {
    title: '结果',
    dataIndex: 'result',
    width: 80,
    render: (r: LoginLogEntry['result']) => <Tag color={r === 'success' ? 'green' : 'red'}>{LOGIN_RESULTS[r]}</Tag>,
  },
  { title: '说明', dataIndex: 'reason', width: 200, render: (v: string) => v || t.empty },
  { title: 'IP 地址', dataIndex: 'ip', width: 140 },
  {
    title: '浏览器',
    dataIndex: 'userAgent',
    ellipsis: { showTitle: false },
    render: (ua: string) => (
      <Tooltip title={ua}>
        <Typography.Text type="secondary">{ua || t.empty}</Typography.Text>
      </Tooltip>
    ),
  },
];
