// The account dialogs: create an account for a person, edit its roles, reset its password.
import { Alert, Form, Input, Modal, Select } from 'antd';
import type { Account } from '@contracts/org.ts';
import { useFormSave } from '../../api/forms.ts';
import { PASSWORD_RULE, passwordRules } from '../../app/validators.ts';
import { PersonPicker } from '../../components/PersonPicker.tsx';
import type { RoleOption } from '../../hooks/useRoles.ts';
import { t } from '../../locales/zh-CN.ts';
import { accountsApi, type AccountCreate } from './api.ts';

const rolesRules = [{ required: true, type: 'array' as const, min: 1, message: '至少选择一个角色' }];
const roleSelect = (roles: RoleOption[]) => (
  <Select
    mode="multiple"
    placeholder="选择角色"
    showSearch={{ optionFilterProp: 'label' }}
    options={roles.map((r) => ({ value: r.code, label: r.name }))}
  />
);

export function CreateAccountModal(props: { open: boolean; roles: RoleOption[]; onClose: () => void; onSaved: () => void }) {
  const [form] = Form.useForm<AccountCreate>();

  const { saving, onFinish } = useFormSave(form, accountsApi.create, props.onSaved);

  return (
    <Modal
      title="新增账号"
      open={props.open}
      onCancel={props.onClose}
      onOk={() => form.submit()}
      confirmLoading={saving}
      okText={t.save}
      cancelText={t.cancel}
      destroyOnHidden
    >
      <Form form={form} onFinish={onFinish} layout="vertical" preserve={false}>
        <Form.Item name="personId" label="人员" rules={[{ required: true, message: '请选择人员' }]}>
          <PersonPicker disableWithAccount />
        </Form.Item>
        <Form.Item
          name="username"
          label="用户名"
          extra="以字母开头，3-32位字母、数字、下划线、点或连字符"
          rules={[{ required: true, whitespace: true, message: '请填写用户名' }]}
        >
          <Input maxLength={32} autoComplete="off" />
        </Form.Item>
        <Form.Item name="roles" label="角色" rules={rolesRules}>
          {roleSelect(props.roles)}
        </Form.Item>
        <Form.Item name="password" label="初始密码" extra={`${PASSWORD_RULE}；用户首次登录须修改`} rules={passwordRules}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function RolesModal(props: { account: Account | null; roles: RoleOption[]; onClose: () => void; onSaved: () => void }) {
  const [form] = Form.useForm<{ roles: string[] }>();
  const { account } = props;

  // the form exists only while the dialog is open, i.e. with an account
  const { saving, onFinish } = useFormSave(form, (v: { roles: string[] }) => accountsApi.update(account!.id, v), props.onSaved);

  return (
    <Modal
      title={`编辑角色：${account?.username ?? ''}`}
      open={account !== null}
      onCancel={props.onClose}
      onOk={() => form.submit()}
      confirmLoading={saving}
      okText={t.save}
      cancelText={t.cancel}
      destroyOnHidden
    >
      <Form form={form} onFinish={onFinish} layout="vertical" preserve={false} initialValues={{ roles: account?.roles ?? [] }}>
        <Form.Item name="roles" label="角色" rules={rolesRules}>
          {roleSelect(props.roles)}
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function ResetPasswordModal(props: { account: Account | null; onClose: () => void; onSaved: () => void }) {
  const [form] = Form.useForm<{ password: string }>();
  const { account } = props;

  // the form exists only while the dialog is open, i.e. with an account
  const reset = (v: { password: string }) => accountsApi.resetPassword(account!.id, v.password);
  const { saving, onFinish } = useFormSave(form, reset, props.onSaved);

  return (
    <Modal
      title={`重置密码：${account?.username ?? ''}`}
      open={account !== null}
      onCancel={props.onClose}
      onOk={() => form.submit()}
      confirmLoading={saving}
      okText={t.save}
      cancelText={t.cancel}
      destroyOnHidden
    >
      <Alert type="info" showIcon title="重置后，该用户下次登录时须修改密码。" style={{ marginBottom: 16 }} />
      <Form form={form} onFinish={onFinish} layout="vertical" preserve={false}>
        <Form.Item name="password" label="新密码" extra={PASSWORD_RULE} rules={passwordRules}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
