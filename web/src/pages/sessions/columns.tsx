import { Button, Popconfirm, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { fmtTime } from '../../app/format.ts';
import { t } from '../../locales/zh-CN.ts';
import type { OnlineSession } from './api.ts';

export function sessionColumns(canRevoke: boolean, onRevoke: (s: OnlineSession) => Promise<void>): TableColumnsType<OnlineSession> {
  const columns: TableColumnsType<OnlineSession> = [
    {
      title: '用户名',
      dataIndex: 'username',
      width: 160,
      render: (u: string, s) => (
        <>
          {u} {s.current && <Tag color="blue">当前会话</Tag>}
        </>
      ),
    },
    { title: '姓名', dataIndex: 'personName', width: 100 },
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
    { title: '登录时间', dataIndex: 'createdAt', width: 170, render: fmtTime },
    { title: '最后活动', dataIndex: 'lastSeenAt', width: 170, render: fmtTime },
  ];
  if (canRevoke) {
    columns.push({
      title: t.actions,
      key: 'actions',
      width: 110,
      render: (_, s) =>
        s.current ? (
          <Tooltip title="当前会话请使用“退出登录”">
            <Button type="link" size="small" disabled>
              强制下线
            </Button>
          </Tooltip>
        ) : (
          <Popconfirm
            title={`确定将 ${s.personName}（${s.username}）强制下线？`}
            description="该会话将立即失效，用户需重新登录。"
            okText={t.confirm}
            cancelText={t.cancel}
            onConfirm={() => onRevoke(s)}
          >
            <Button type="link" size="small" danger>
              强制下线
            </Button>
          </Popconfirm>
        ),
    });
  }
  return columns;
}
