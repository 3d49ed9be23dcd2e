// 修改密码: used by the forced first-login page and by the header's dialog.
import { App, Button, Form, Input } from 'antd';
import { authApi, type ChangePasswordBody } from '../api/auth.ts';
import { useFormSave } from '../api/forms.ts';
import { useAuth } from '../app/auth.tsx';
import { PASSWORD_RULE, passwordRules } from '../app/validators.ts';

interface Values extends ChangePasswordBody {
  confirmPassword: string;
}

export function ChangePasswordForm({ onDone }: { onDone: () => void }) {
  const [form] = Form.useForm<Values>();
  const { message } = App.useApp();
  const { refresh } = useAuth();

  const change = ({ oldPassword, newPassword }: Values) => authApi.changePassword({ oldPassword, newPassword });
  const { saving, onFinish } = useFormSave(form, change, async () => {
    message.success('密码已修改');
    await refresh();
    onDone();
  });

  return (
    <Form form={form} layout="vertical" onFinish={onFinish} autoComplete="off" requiredMark>
      <Form.Item name="oldPassword" label="原密码" rules={[{ required: true, message: '请输入原密码' }]}>
        <Input.Password autoComplete="current-password" />
      </Form.Item>
      <Form.Item
        name="newPassword"
        label="新密码"
        extra={PASSWORD_RULE}
        rules={passwordRules}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        name="confirmPassword"
        label="确认新密码"
        dependencies={['newPassword']}
        rules={[
          { required: true, message: '请再次输入新密码' },
          ({ getFieldValue }) => ({
            validator: async (_, v: string | undefined) => {
              if (v && v !== getFieldValue('newPassword')) throw new Error('两次输入的新密码不一致');
            },
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Button type="primary" htmlType="submit" block loading={saving}>
        确认修改
      </Button>
    </Form>
  );
}
