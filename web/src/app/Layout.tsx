// The signed-in frame: side menu (only the pages the account may see), header, breadcrumb.
import { Suspense, useState } from 'react';
import { Breadcrumb, Button, Grid, Layout, Menu, Modal, Space, Spin, Tag, Typography, type MenuProps } from 'antd';
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
  // On a phone the header keeps the name and two icon buttons, and the content leaves room for
  // the menu's trigger, which the collapsed side menu shows at the content's top-left corner.
  const narrow = !Grid.useBreakpoint().md;

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
          style={{ background: '#fff', padding: narrow ? '0 12px' : '0 24px', display: 'flex', justifyContent: 'flex-end', alignItems: 'center' }}
        >
          <Space size={narrow ? 'small' : 'middle'}>
            <span data-testid="current-user" title={`${me.personName} · ${me.unitName} · ${me.roles.map((r) => roleName(r)).join('、')}`}>
              <Typography.Text strong>{me.personName}</Typography.Text>
              {!narrow && <Typography.Text type="secondary"> · {me.unitName}</Typography.Text>}
            </span>
            {!narrow && (
              <span>
                {me.roles.map((r) => (
                  <Tag key={r} color="blue">
                    {roleName(r)}
                  </Tag>
                ))}
              </span>
            )}
            <Button icon={<KeyOutlined />} aria-label={t.changePassword} title={narrow ? t.changePassword : undefined} onClick={() => setPasswordOpen(true)}>
              {!narrow && t.changePassword}
            </Button>
            <Button icon={<LogoutOutlined />} aria-label={t.logout} title={narrow ? t.logout : undefined} onClick={() => void logout()}>
              {!narrow && t.logout}
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ margin: narrow ? '16px 8px' : 16 }}>
          <Breadcrumb items={crumbs} style={{ marginBottom: 12, paddingLeft: narrow ? 40 : 0 }} />
          <div style={{ background: '#fff', padding: narrow ? 12 : 24, borderRadius: 8, minHeight: 360 }}>
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
