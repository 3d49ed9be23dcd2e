// 账号管理: accounts of people — create, roles, enable/disable, password reset, unlock.
import { useState } from 'react';
import { App, Button, Form, Input, Select, Table } from 'antd';
import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import type { Account } from '@contracts/org.ts';
import { useCan } from '../../app/auth.tsx';
import { FilterBar } from '../../components/FilterBar.tsx';
import { useExport } from '../../hooks/useExport.ts';
import { usePagedList } from '../../hooks/usePagedList.ts';
import { useRoleOptions } from '../../hooks/useRoles.ts';
import { ACCOUNT_STATES, t } from '../../locales/zh-CN.ts';
import { accountsApi, type AccountFilters } from './api.ts';
import { CreateAccountModal, ResetPasswordModal, RolesModal } from './AccountModals.tsx';
import { accountColumns } from './columns.tsx';

const activeOptions = [
  { value: 'true', label: ACCOUNT_STATES.active },
  { value: 'false', label: ACCOUNT_STATES.inactive },
];

export default function AccountsPage() {
  const can = useCan();
  const { message } = App.useApp();
  const { roles, names } = useRoleOptions();
  const list = usePagedList<Account, AccountFilters>(accountsApi.list, {});
  const [creating, setCreating] = useState(false);
  const [rolesTarget, setRolesTarget] = useState<Account | null>(null);
  const [passwordTarget, setPasswordTarget] = useState<Account | null>(null);
  const { exporting, exportFile } = useExport(() => accountsApi.exportXlsx(list.filters));

  const done = (text: string) => {
    message.success(text);
    list.reload();
  };
  // errors are shown by the client; the catch only keeps the promise from rejecting into the Popconfirm
  const toggle = (a: Account) =>
    accountsApi.update(a.id, { active: !a.active }).then(() => done(a.active ? '账号已停用' : '账号已启用'), () => undefined);
  const unlock = (a: Account) => accountsApi.unlock(a.id).then(() => done('账号已解锁'), () => undefined);


  const columns = accountColumns({
    canEdit: can('org:account:edit'),
    roleNames: names,
    onRoles: setRolesTarget,
    onToggle: toggle,
    onResetPassword: setPasswordTarget,
    onUnlock: unlock,
  });

  return (
    <>
      <FilterBar<AccountFilters>
        onSearch={list.search}
        actions={
          <>
            {can('org:account:edit') && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
                新增账号
              </Button>
            )}
            <Button icon={<DownloadOutlined />} loading={exporting} onClick={exportFile}>
              {t.export}
            </Button>
          </>
        }
      >
        <Form.Item name="q" label={t.keyword}>
          <Input placeholder="用户名、姓名或警号" allowClear style={{ width: 180 }} />
        </Form.Item>
        <Form.Item name="role" label="角色">
          <Select
            allowClear
            placeholder="全部"
            showSearch={{ optionFilterProp: 'label' }}
            options={roles.map((r) => ({ value: r.code, label: r.name }))}
            style={{ width: 140 }}
          />
        </Form.Item>
        <Form.Item name="active" label={t.status}>
          <Select allowClear placeholder="全部" options={activeOptions} style={{ width: 100 }} />
        </Form.Item>
      </FilterBar>
      <Table<Account>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={list.items}
        loading={list.loading}
        pagination={list.pagination}
        scroll={{ x: 1300 }}
      />
      <CreateAccountModal
        open={creating}
        roles={roles}
        onClose={() => setCreating(false)}
        onSaved={() => {
          setCreating(false);
          done('账号已创建，用户首次登录时须修改密码');
        }}
      />
      <RolesModal
        account={rolesTarget}
        roles={roles}
        onClose={() => setRolesTarget(null)}
        onSaved={() => {
          setRolesTarget(null);
          done('角色已更新');
        }}
      />
      <ResetPasswordModal
        account={passwordTarget}
        onClose={() => setPasswordTarget(null)}
        onSaved={() => {
          setPasswordTarget(null);
          done('密码已重置，用户下次登录时须修改');
        }}
      />
    </>
  );
}
