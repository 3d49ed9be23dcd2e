// 角色权限: roles with their data scope and permissions.
import { useState } from 'react';
import { App, Button, Flex, Table } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { Role } from '@contracts/org.ts';
import { useCan } from '../../app/auth.tsx';
import { usePagedList } from '../../hooks/usePagedList.ts';
import { rolesApi } from './api.ts';
import { roleColumns } from './columns.tsx';
import { RoleForm, type RoleFormTarget } from './RoleForm.tsx';

export default function RolesPage() {
  const can = useCan();
  const { message } = App.useApp();
  const list = usePagedList<Role, Record<string, never>>(rolesApi.list, {}, 50);
  const [target, setTarget] = useState<RoleFormTarget>(null);
  const canEdit = can('org:role:edit');

  return (
    <>
      {canEdit && (
        <Flex justify="flex-end" style={{ marginBottom: 16 }}>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setTarget('new')}>
            新增角色
          </Button>
        </Flex>
      )}
      <Table<Role>
        rowKey="code"
        size="middle"
        columns={roleColumns(canEdit, setTarget)}
        dataSource={list.items}
        loading={list.loading}
        pagination={list.pagination}
      />
      <RoleForm
        target={target}
        onClose={() => setTarget(null)}
        onSaved={() => {
          message.success('角色已保存');
          setTarget(null);
          list.reload();
        }}
      />
    </>
  );
}
