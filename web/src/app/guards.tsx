// Route guards: signed in, password changed, permission held. A page the account may not see
// answers with a 403 result, never a blank screen.
import type { ReactNode } from 'react';
import { Button, Result, Spin } from 'antd';
import { Navigate, useLocation, useNavigate } from 'react-router';
import type { Permission } from '@contracts/permissions.ts';
import { t } from '../locales/zh-CN.ts';
import { useAuth } from './auth.tsx';
import { PAGES } from './pages.tsx';

export function RequireSession({ children }: { children: ReactNode }) {
  const { me, signedOut } = useAuth();
  const location = useLocation();
  if (me === undefined) return <Spin size="large" fullscreen />;
  if (me === null) {
    // an expired session comes back to the page it was on; a deliberate sign-out starts afresh
    const state = signedOut ? null : { from: location.pathname + location.search };
    return <Navigate to="/login" replace state={state} />;
  }
  if (me.mustChangePassword) return <Navigate to="/change-password" replace />;
  return <>{children}</>;
}

export function RequirePermission({ permission, children }: { permission: Permission; children: ReactNode }) {
  const { can } = useAuth();
  return can(permission) ? <>{children}</> : <Forbidden />;
}

export function Forbidden() {
  const navigate = useNavigate();
  return (
    <Result
      status="403"
      title={t.forbiddenTitle}
      subTitle={t.forbiddenSub}
      extra={<Button type="primary" onClick={() => navigate('/')}>{t.backHome}</Button>}
    />
  );
}

export function NotFound() {
  const navigate = useNavigate();
  return (
    <Result
      status="404"
      title={t.notFoundTitle}
      extra={<Button type="primary" onClick={() => navigate('/')}>{t.backHome}</Button>}
    />
  );
}

/** The enforcement dashboard: where `/` leads everyone who may see it. */
const HOME_PAGE = '/dashboard';

/** `/`: the dashboard, else the first page the account may open, or a greeting when it may open none. */
export function Home() {
  const { can, me } = useAuth();
  const first = PAGES.find((p) => p.path === HOME_PAGE && can(p.view)) ?? PAGES.find((p) => can(p.view));
  if (first) return <Navigate to={first.path} replace />;
  return (
    <Result
      status="info"
      title={`欢迎，${me?.personName ?? ''}`}
      subTitle="您的账号暂未开通控制台页面的权限，如有需要请联系系统管理员。"
    />
  );
}
