import { Button, Tag, Tooltip } from 'antd';
import type { TableColumnsType } from 'antd';
import type { Role } from '@contracts/org.ts';
import { DATA_SCOPES } from '@contracts/permissions.ts';
import { permissionLabel } from '../../app/format.ts';
import { t } from '../../locales/zh-CN.ts';

export function roleColumns(canEdit: boolean, onEdit: (r: Role) => void): TableColumnsType<Role> {
  const columns: TableColumnsType<Role> = [
    { title: '角色代码', dataIndex: 'code', width: 150 },
    { title: '角色名称', dataIndex: 'name', width: 130 },
    { title: '说明', dataIndex: 'description', ellipsis: true },
    {
      title: '数据权限',
      dataIndex: 'dataScope',
      width: 150,
      render: (s: Role['dataScope'], r) => (s === 'custom' ? `${DATA_SCOPES[s]}（${r.customUnitIds.length}个）` : DATA_SCOPES[s]),
    },
    {
      title: '权限',
      dataIndex: 'permissions',
      width: 90,
      render: (codes: string[]) => (
        <Tooltip title={codes.map(permissionLabel).join('、') || '无'}>
          <span>{codes.length} 项</span>
        </Tooltip>
      ),
    },
    { title: '账号数', dataIndex: 'accountCount', width: 80 },
    {
      title: '类型',
      dataIndex: 'builtIn',
      width: 90,
      render: (b: boolean) => (b ? <Tag color="blue">内置</Tag> : <Tag>自定义</Tag>),
    },
  ];
  if (canEdit) {
    columns.push({
      title: t.actions,
      key: 'actions',
      width: 90,
      render: (_, r) => (
        <Button type="link" size="small" onClick={() => onEdit(r)}>
          {t.edit}
        </Button>
      ),
    });
  }
  return columns;
}
