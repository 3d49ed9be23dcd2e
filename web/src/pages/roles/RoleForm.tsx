// 新增角色 / 编辑角色: name, description, data scope (自定义 → unit multi-select), permissions.
import { Alert, Button, Drawer, Form, Input, Select, Space } from 'antd';
import type { Role } from '@contracts/org.ts';
import { DATA_SCOPES, type DataScope } from '@contracts/permissions.ts';
import { useFormSave } from '../../api/forms.ts';
import { PermissionPicker } from '../../components/PermissionPicker.tsx';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.tsx';
import { t } from '../../locales/zh-CN.ts';
import { rolesApi } from './api.ts';

/** null: closed; 'new': create; a role: edit */
export type RoleFormTarget = 'new' | Role | null;

interface Values {
  code: string;
  name: string;
  description: string;
  dataScope: DataScope;
  customUnitIds: number[];
  permissions: string[];
}

const scopeOptions = Object.entries(DATA_SCOPES).map(([value, label]) => ({ value, label }));

export function RoleForm({ target, onClose, onSaved }: { target: RoleFormTarget; onClose: () => void; onSaved: () => void }) {
  const [form] = Form.useForm<Values>();
  const scope = Form.useWatch('dataScope', form);
  const editing = target !== null && target !== 'new' ? target : null;

  const initialValues: Partial<Values> = editing
    ? { ...editing }
    : { description: '', dataScope: 'self', customUnitIds: [], permissions: [] };

  const save = (v: Values) => {
    const body = {
      name: v.name,
      description: v.description ?? '',
      dataScope: v.dataScope,
      customUnitIds: v.dataScope === 'custom' ? (v.customUnitIds ?? []) : [],
      permissions: v.permissions ?? [],
    };
    return editing ? rolesApi.update(editing.code, body) : rolesApi.create({ ...body, code: v.code });
  };
  const { saving, onFinish } = useFormSave(form, save, onSaved);

  return (
    <Drawer
      title={editing ? `编辑角色：${editing.name}` : '新增角色'}
      open={target !== null}
      onClose={onClose}
      size={720}
      destroyOnHidden
      footer={
        <Space style={{ float: 'right' }}>
          <Button onClick={onClose}>{t.cancel}</Button>
          <Button type="primary" loading={saving} onClick={() => form.submit()}>
            {t.save}
          </Button>
        </Space>
      }
    >
      {editing && editing.accountCount > 0 && (
        <Alert
          type="info"
          showIcon
          title={`该角色已授予 ${editing.accountCount} 个账号，修改后对这些账号立即生效。`}
          style={{ marginBottom: 16 }}
        />
      )}
      <Form form={form} layout="vertical" onFinish={onFinish} preserve={false} initialValues={initialValues}>
        <Form.Item
          name="code"
          label="角色代码"
          extra={editing ? '角色代码创建后不可修改' : '小写字母开头，2-32位小写字母、数字或下划线'}
          rules={[{ required: true, message: '请填写角色代码' }]}
        >
          <Input maxLength={32} disabled={!!editing} />
        </Form.Item>
        <Form.Item name="name" label="角色名称" rules={[{ required: true, whitespace: true, message: '请填写角色名称' }]}>
          <Input maxLength={30} />
        </Form.Item>
        <Form.Item name="description" label="说明">
          <Input.TextArea rows={2} maxLength={200} />
        </Form.Item>
        <Form.Item name="dataScope" label="数据权限" rules={[{ required: true, message: '请选择数据权限' }]}>
          <Select options={scopeOptions} />
        </Form.Item>
        {scope === 'custom' && (
          <Form.Item
            name="customUnitIds"
            label="自定义单位"
            rules={[{ required: true, type: 'array', min: 1, message: '请至少选择一个单位' }]}
          >
            <UnitTreeSelect multiple placeholder="选择可访问的单位" style={{ width: '100%' }} />
          </Form.Item>
        )}
        <Form.Item name="permissions" label="功能权限">
          <PermissionPicker />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
