import { Button, Popconfirm, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { fmtTime, permissionLabel } from '../../app/format.ts';
import { TOKEN_STATES, t } from '../../locales/zh-CN.ts';
import { tokenState, type ApiToken } from './api.ts';

const STATE_COLORS = { valid: 'green', expired: 'default', revoked: 'red' } as const;

export function tokenColumns(canEdit: boolean, onRevoke: (token: ApiToken) => Promise<void>): TableColumnsType<ApiToken> {
  const columns: TableColumnsType<ApiToken> = [
    { title: '对接系统', dataIndex: 'name', width: 180 },
    { title: '令牌前缀', dataIndex: 'prefix', width: 130, render: (p: string) => <Typography.Text code>{p}</Typography.Text> },
    {
      title: '权限',
      dataIndex: 'permissions',
      render: (codes: string[]) => (
        <Tooltip title={codes.map(permissionLabel).join('、')}>
          <span>{codes.map(permissionLabel).join('、')}</span>
        </Tooltip>
      ),
      ellipsis: { showTitle: false },
    },
    {
      title: t.status,
      key: 'state',
      width: 90,
      render: (_, tok) => {
        const s = tokenState(tok);
        return <Tag color={STATE_COLORS[s]}>{TOKEN_STATES[s]}</Tag>;
      },
    },
    { title: '创建人', dataIndex: 'createdBy', width: 100 },
    { title: t.createdAt, dataIndex: 'createdAt', width: 170, render: fmtTime },
    { title: '到期时间', dataIndex: 'expiresAt', width: 170, render: fmtTime },
    { title: '最后使用', dataIndex: 'lastUsedAt', width: 170, render: fmtTime },
    { title: '使用次数', dataIndex: 'useCount', width: 90 },
  ];
  if (canEdit) {
    columns.push({
      title: t.actions,
      key: 'actions',
      width: 90,
      fixed: 'right',
      render: (_, tok) =>
        tokenState(tok) === 'valid' && (
          <Popconfirm
            title={`确定吊销令牌“${tok.name}”？`}
            description="吊销后使用该令牌的对接系统将立即无法访问。"
            okText={t.confirm}
            cancelText={t.cancel}
            onConfirm={() => onRevoke(tok)}
          >
            <Button type="link" size="small" danger>
              吊销
            </Button>
          </Popconfirm>
        ),
    });
  }
  return columns;
}
