import { Button, Popconfirm, Space, Tag, Tooltip } from 'antd';
import type { TableColumnsType } from 'antd';
import type { Account } from '@contracts/org.ts';
import { fmtTime, roleName } from '../../app/format.ts';
import { ACCOUNT_STATES, t } from '../../locales/zh-CN.ts';
import { isLocked } from './api.ts';

interface Actions {
  canEdit: boolean;
  roleNames: ReadonlyMap<string, string>;
  onRoles: (a: Account) => void;
  onToggle: (a: Account) => Promise<void>;
  onResetPassword: (a: Account) => void;
  onUnlock: (a: Account) => Promise<void>;
}

function stateTags(a: Account) {
  return (
    <Space size={2} wrap>
      {a.active ? <Tag color="green">{ACCOUNT_STATES.active}</Tag> : <Tag>{ACCOUNT_STATES.inactive}</Tag>}
      {isLocked(a) && (
        <Tooltip title={`锁定至 ${fmtTime(a.lockedUntil)}`}>
          <Tag color="red">{ACCOUNT_STATES.locked}</Tag>
        </Tooltip>
      )}
      {a.mustChangePassword && <Tag color="orange">待改密</Tag>}
    </Space>
  );
}

export function accountColumns({ canEdit, roleNames, onRoles, onToggle, onResetPassword, onUnlock }: Actions): TableColumnsType<Account> {
  const columns: TableColumnsType<Account> = [
    { title: '用户名', dataIndex: 'username', width: 140, fixed: 'left' },
    { title: '姓名', dataIndex: 'personName', width: 100 },
    { title: '警号', dataIndex: 'badgeNo', width: 100 },
    { title: '所属单位', dataIndex: 'unitName', ellipsis: true },
    {
      title: '角色',
      dataIndex: 'roles',
      render: (roles: string[]) => roles.map((r) => <Tag key={r}>{roleName(r, roleNames)}</Tag>),
    },
    { title: t.status, key: 'state', width: 170, render: (_, a) => stateTags(a) },
    { title: '最后登录', dataIndex: 'lastLoginAt', width: 170, render: fmtTime },
    { title: t.createdAt, dataIndex: 'createdAt', width: 170, render: fmtTime },
  ];
  if (canEdit) {
    columns.push({
      title: t.actions,
      key: 'actions',
      width: 260,
      fixed: 'right',
      render: (_, a) => (
        <Space size={4} wrap>
          <Button type="link" size="small" onClick={() => onRoles(a)}>
            编辑角色
          </Button>
          <Popconfirm
            title={a.active ? `确定停用账号 ${a.username}？` : `确定启用账号 ${a.username}？`}
            description={a.active ? '停用后该账号不能登录。' : undefined}
            okText={t.confirm}
            cancelText={t.cancel}
            onConfirm={() => onToggle(a)}
          >
            <Button type="link" size="small" danger={a.active}>
              {a.active ? t.disable : t.enable}
            </Button>
          </Popconfirm>
          <Button type="link" size="small" onClick={() => onResetPassword(a)}>
            重置密码
          </Button>
          {isLocked(a) && (
            <Popconfirm title={`确定解锁账号 ${a.username}？`} okText={t.confirm} cancelText={t.cancel} onConfirm={() => onUnlock(a)}>
              <Button type="link" size="small">
                解锁
              </Button>
            </Popconfirm>
          )}
        </Space>
      ),
    });
  }
  return columns;
}
