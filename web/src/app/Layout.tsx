// The signed-in frame: side menu (only the pages the account may see), header, breadcrumb.
import { Suspense, useState } from 'react';
import { Breadcrumb, Button, Layout, Menu, Modal, Space, Spin, Tag, Typography, type MenuProps } from 'antd';
import { KeyOutlined, LogoutOutlined } from '@ant-design/icons';
import { Link, Outlet, useLocation } from 'react-router';
import { MENU_GROUPS, t, type MenuGroup } from '../locales/zh-CN.ts';
import { ChangePasswordForm } from '../components/ChangePasswordForm.tsx';
import { useAuth, useMe } from './auth.tsx';
import { roleName } from './format.ts';
import { PAGES } from './pages.tsx';

export function ConsoleLayout() {
  const me = useMe();
  const { can, logout } = useAuth();
  const location = useLocation();
  const [passwordOpen, setPasswordOpen] = useState(false);

  const visible = PAGES.filter((p) => can(p.view));
  const items: MenuProps['items'] = (Object.keys(MENU_GROUPS) as MenuGroup[])
    .map((group) => ({
      type: 'group' as const,
      key: group,
      label: MENU_GROUPS[group],
      children: visible
        .filter((p) => p.group === group)
        .map((p) => ({ key: p.path, icon: p.icon, label: <Link to={p.path}>{p.label}</Link> })),
    }))
    .filter((g) => g.children.length > 0);

  const current = PAGES.find((p) => location.pathname.startsWith(p.path));
  const crumbs = [{ title: <Link to="/">{t.home}</Link> }];
  if (current) crumbs.push({ title: <>{MENU_GROUPS[current.group]}</> }, { title: <>{current.label}</> });

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider width={208} theme="dark" breakpoint="lg" collapsedWidth={0}>
        <div style={{ color: '#fff', fontWeight: 600, fontSize: 16, padding: '16px 20px' }}>{t.appName}</div>
        <nav aria-label="主菜单">
          <Menu theme="dark" mode="inline" selectedKeys={current ? [current.path] : []} items={items} />
        </nav>
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{ background: '#fff', padding: '0 24px', display: 'flex', justifyContent: 'flex-end', alignItems: 'center' }}
        >
          <Space size="middle" wrap>
            <span data-testid="current-user">
              <Typography.Text strong>{me.personName}</Typography.Text>
              <Typography.Text type="secondary"> · {me.unitName}</Typography.Text>
            </span>
            <span>
              {me.roles.map((r) => (
                <Tag key={r} color="blue">
                  {roleName(r)}
                </Tag>
              ))}
            </span>
            <Button icon={<KeyOutlined />} onClick={() => setPasswordOpen(true)}>
              {t.changePassword}
            </Button>
            <Button icon={<LogoutOutlined />} onClick={() => void logout()}>
              {t.logout}
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ margin: 16 }}>
          <Breadcrumb items={crumbs} style={{ marginBottom: 12 }} />
          <div style={{ background: '#fff', padding: 24, borderRadius: 8, minHeight: 360 }}>
            <Suspense fallback={<Spin style={{ display: 'block', margin: 48 }} />}>
              <Outlet />
            </Suspense>
          </div>
        </Layout.Content>
      </Layout>
      <Modal
        title={t.changePassword}
        open={passwordOpen}
        footer={null}
        onCancel={() => setPasswordOpen(false)}
        destroyOnHidden
      >
        <ChangePasswordForm onDone={() => setPasswordOpen(false)} />
      </Modal>
    </Layout>
  );
}
