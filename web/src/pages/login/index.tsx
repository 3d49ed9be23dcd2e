// 登录: wrong password, a locked account and too many attempts each get their own message.
import { useState } from 'react';
import { Alert, Button, Form, Input } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import { authApi, type LoginBody } from '../../api/auth.ts';
import { ApiError } from '../../api/client.ts';
import { applyFieldErrors } from '../../api/forms.ts';
import { useAuth } from '../../app/auth.tsx';
import { CenteredCard } from '../../components/CenteredCard.tsx';

interface Failure {
  title: string;
  detail?: string;
}

function describe(err: unknown): Failure {
  if (!(err instanceof ApiError)) return { title: '登录失败，请稍后重试' };
  switch (err.status) {
    case 401:
      return { title: '用户名或密码错误', detail: err.message };
    case 403: // account disabled, or the person has left
      return { title: '无法登录', detail: err.message };
    case 423:
      return { title: '账号已锁定', detail: err.message };
    case 429: {
      const seconds = Number(err.retryAfter);
      return { title: '登录尝试过于频繁', detail: seconds > 0 ? `请在 ${seconds} 秒后再试。` : err.message };
    }
    case 0:
      return { title: err.message };
    default:
      return { title: '登录失败', detail: err.message };
  }
}

export default function LoginPage() {
  const [form] = Form.useForm<LoginBody>();
  const { me, acceptSession } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [failure, setFailure] = useState<Failure | null>(null);
  const [busy, setBusy] = useState(false);
  const from = (location.state as { from?: string } | null)?.from ?? '/';

  if (me) return <Navigate to={me.mustChangePassword ? '/change-password' : from} replace />;

  const submit = async (values: LoginBody) => {
    setBusy(true);
    setFailure(null);
    try {
      const info = await authApi.login(values);
      acceptSession(info);
      navigate(info.account.mustChangePassword ? '/change-password' : from, { replace: true });
    } catch (e) {
      if (e instanceof ApiError && e.status === 400) applyFieldErrors(form, e);
      setFailure(describe(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <CenteredCard title="用户登录">
      {failure && (
        <Alert
          type="error"
          showIcon
          title={failure.title}
          description={failure.detail !== failure.title ? failure.detail : undefined}
          style={{ marginBottom: 16 }}
          role="alert"
        />
      )}
      <Form form={form} layout="vertical" onFinish={submit} autoComplete="on">
        <Form.Item name="username" label="用户名" rules={[{ required: true, message: '请输入用户名' }]}>
          <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
        </Form.Item>
        <Form.Item name="password" label="密码" rules={[{ required: true, message: '请输入密码' }]}>
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy}>
          登录
        </Button>
      </Form>
      {/* the public list needs no account (L1 Art.16) */}
      <div style={{ marginTop: 16, textAlign: 'center' }}>
        <Link to="/public/devices">交通技术监控设备设置地点公示</Link>
      </div>
    </CenteredCard>
  );
}
