// Every console page: its path, menu place and the permission that shows it. The side menu, the
// breadcrumb and the route guard all read this one table.
import { lazy, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import {
  AlertOutlined,
  ApartmentOutlined,
  ApiOutlined,
  AuditOutlined,
  BookOutlined,
  ControlOutlined,
  DashboardOutlined,
  DesktopOutlined,
  EyeOutlined,
  FileSearchOutlined,
  FundOutlined,
  IdcardOutlined,
  LoginOutlined,
  MessageOutlined,
  QuestionCircleOutlined,
  SafetyCertificateOutlined,
  SearchOutlined,
  SlidersOutlined,
  SolutionOutlined,
  TeamOutlined,
  UnorderedListOutlined,
  UserOutlined,
  VideoCameraOutlined,
} from '@ant-design/icons';
import type { Permission } from '@contracts/permissions.ts';
import type { MenuGroup } from '../locales/zh-CN.ts';

export interface PageDef {
  path: string;
  label: string;
  group: MenuGroup;
  icon: ReactNode;
  /** the permission that shows the menu entry and opens the page */
  view: Permission;
  Component: LazyExoticComponent<ComponentType>;
}

/** Old paths that still work: bookmarks and links made before a page moved. */
export const REDIRECTS: { from: string; to: string }[] = [{ from: '/logs/operations', to: '/logs/ledger' }];

export const PAGES: PageDef[] = [
  {
    path: '/dashboard',
    label: '首页看板',
    group: 'enforcement',
    icon: <DashboardOutlined />,
    view: 'enforcement:view',
    Component: lazy(() => import('../pages/dashboard/index.tsx')),
  },
  {
    path: '/enforcement/records',
    label: '执法记录',
    group: 'enforcement',
    icon: <FileSearchOutlined />,
    view: 'enforcement:view',
    Component: lazy(() => import('../pages/records/index.tsx')),
  },
  {
    path: '/enforcement/review',
    label: '待审核',
    group: 'enforcement',
    icon: <SolutionOutlined />,
    view: 'enforcement:review',
    Component: lazy(() => import('../pages/review/index.tsx')),
  },
  {
    path: '/alerts',
    label: '告警',
    group: 'enforcement',
    icon: <AlertOutlined />,
    view: 'alert:view',
    Component: lazy(() => import('../pages/alerts/index.tsx')),
  },
  {
    path: '/enforcement/rules',
    label: '规则参数',
    group: 'enforcement',
    icon: <ControlOutlined />,
    view: 'rules:view',
    Component: lazy(() => import('../pages/rules/index.tsx')),
  },
  {
    path: '/enforcement/catalogue',
    label: '违法代码',
    group: 'enforcement',
    icon: <BookOutlined />,
    view: 'catalogue:view',
    Component: lazy(() => import('../pages/catalogue/index.tsx')),
  },
  {
    path: '/enforcement/devices',
    label: '设备台账',
    group: 'enforcement',
    icon: <VideoCameraOutlined />,
    view: 'device:view',
    Component: lazy(() => import('../pages/devices/index.tsx')),
  },
  {
    path: '/lookups/overview',
    label: '概览',
    group: 'lookups',
    icon: <FundOutlined />,
    view: 'lookup:view',
    Component: lazy(() => import('../pages/lookups/overview/index.tsx')),
  },
  {
    path: '/lookups/records',
    label: '查询记录',
    group: 'lookups',
    icon: <UnorderedListOutlined />,
    view: 'lookup:view',
    Component: lazy(() => import('../pages/lookups/records/index.tsx')),
  },
  {
    path: '/lookups/profile',
    label: '查询画像',
    group: 'lookups',
    icon: <IdcardOutlined />,
    view: 'lookup:view',
    Component: lazy(() => import('../pages/lookups/profile/index.tsx')),
  },
  {
    path: '/lookups/subject',
    label: '对象追查',
    group: 'lookups',
    icon: <SearchOutlined />,
    view: 'lookup:subject',
    Component: lazy(() => import('../pages/lookups/subject/index.tsx')),
  },
  {
    path: '/lookups/watchlist',
    label: '关注名单',
    group: 'lookups',
    icon: <EyeOutlined />,
    view: 'lookup:watchlist',
    Component: lazy(() => import('../pages/lookups/watchlist/index.tsx')),
  },
  {
    path: '/lookups/rules',
    label: '审计规则',
    group: 'lookups',
    icon: <SlidersOutlined />,
    view: 'lookup:view',
    Component: lazy(() => import('../pages/lookups/rules/index.tsx')),
  },
  {
    path: '/lookups/explanations',
    label: '说明核查',
    group: 'lookups',
    icon: <QuestionCircleOutlined />,
    view: 'lookup:handle',
    Component: lazy(() => import('../pages/explanations/index.tsx')),
  },
  {
    path: '/my/explanations',
    label: '我的说明',
    group: 'lookups',
    icon: <MessageOutlined />,
    view: 'explanation:answer',
    Component: lazy(() => import('../pages/explanations/mine.tsx')),
  },
  {
    path: '/org/units',
    label: '组织机构',
    group: 'org',
    icon: <ApartmentOutlined />,
    view: 'org:unit:view',
    Component: lazy(() => import('../pages/units/index.tsx')),
  },
  {
    path: '/org/personnel',
    label: '人员管理',
    group: 'org',
    icon: <TeamOutlined />,
    view: 'org:person:view',
    Component: lazy(() => import('../pages/personnel/index.tsx')),
  },
  {
    path: '/org/accounts',
    label: '账号管理',
    group: 'system',
    icon: <UserOutlined />,
    view: 'org:account:view',
    Component: lazy(() => import('../pages/accounts/index.tsx')),
  },
  {
    path: '/org/roles',
    label: '角色权限',
    group: 'system',
    icon: <SafetyCertificateOutlined />,
    view: 'org:role:view',
    Component: lazy(() => import('../pages/roles/index.tsx')),
  },
  {
    path: '/system/sessions',
    label: '在线用户',
    group: 'system',
    icon: <DesktopOutlined />,
    view: 'auth:session:view',
    Component: lazy(() => import('../pages/sessions/index.tsx')),
  },
  {
    path: '/system/tokens',
    label: '接口令牌',
    group: 'system',
    icon: <ApiOutlined />,
    view: 'auth:token:view',
    Component: lazy(() => import('../pages/tokens/index.tsx')),
  },
  {
    path: '/logs/login',
    label: '登录日志',
    group: 'logs',
    icon: <LoginOutlined />,
    view: 'log:login:view',
    Component: lazy(() => import('../pages/login-log/index.tsx')),
  },
  {
    // 审计账本 (formerly 操作记录 at /logs/operations, which redirects here)
    path: '/logs/ledger',
    label: '审计账本',
    group: 'logs',
    icon: <AuditOutlined />,
    view: 'log:operation:view',
    Component: lazy(() => import('../pages/ledger/index.tsx')),
  },
];
