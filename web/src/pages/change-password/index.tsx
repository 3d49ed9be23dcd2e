// Forced password change: a new account or a reset password must be changed before anything else.
import { Alert, Button } from 'antd';
import { Navigate, useNavigate } from 'react-router';
import { useAuth } from '../../app/auth.tsx';
import { ChangePasswordForm } from '../../components/ChangePasswordForm.tsx';
import { CenteredCard } from '../../components/CenteredCard.tsx';
import { t } from '../../locales/zh-CN.ts';

export default function ChangePasswordPage() {
  const { me, logout } = useAuth();
  const navigate = useNavigate();
  if (!me) return <Navigate to="/login" replace />;
  if (!me.mustChangePassword) return <Navigate to="/" replace />;

  return (
    <CenteredCard title={t.changePassword}>
      <Alert
        type="warning"
        showIcon
        title="首次登录或密码已被重置，请先修改密码后再使用系统。"
        style={{ marginBottom: 16 }}
      />
      <ChangePasswordForm onDone={() => navigate('/', { replace: true })} />
      <Button type="link" block style={{ marginTop: 8 }} onClick={() => void logout()}>
        {t.logout}
      </Button>
    </CenteredCard>
  );
}
