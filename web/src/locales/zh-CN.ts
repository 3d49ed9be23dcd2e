// zh-CN strings shared across pages. Labels that the server also uses (permissions, unit kinds,
// person categories and statuses, data scopes) come from the contracts, not from here.

export const t = {
  appName: '交警执法监督平台',
  appShort: 'Clearlane',
  home: '首页',
  actions: '操作',
  search: '查询',
  reset: '重置',
  add: '新增',
  edit: '编辑',
  save: '保存',
  cancel: '取消',
  confirm: '确定',
  close: '关闭',
  export: '导出',
  import: '导入',
  enable: '启用',
  disable: '停用',
  yes: '是',
  no: '否',
  empty: '-',
  keyword: '关键字',
  status: '状态',
  timeRange: '时间范围',
  createdAt: '创建时间',
  updatedAt: '更新时间',
  active: '启用',
  inactive: '已停用',
  saved: '已保存',
  exported: '已开始下载',
  changePassword: '修改密码',
  logout: '退出登录',
  forbiddenTitle: '无权访问',
  forbiddenSub: '您的账号没有访问此页面的权限，如需开通请联系系统管理员。',
  notFoundTitle: '页面不存在',
  backHome: '返回首页',
  networkError: '无法连接服务器，请检查网络后重试',
  sessionExpired: '登录已失效，请重新登录',
  piiNotice: '查看完整个人信息将记入审计账本，请仅在履职需要时查看。',
  piiRecorded: '本次查看已记入审计账本。',
} as const;

/** Menu groups of the side bar; each page names its group. */
export const MENU_GROUPS = {
  enforcement: '执法监督',
  lookups: '查询审计',
  org: '组织人员',
  system: '系统管理',
  logs: '日志审计',
} as const;
export type MenuGroup = keyof typeof MENU_GROUPS;

/** Headings of the permission groups (permission code prefix → label) on role and token forms. */
export const PERMISSION_GROUPS: Record<string, string> = {
  'org:unit': '组织机构',
  'org:person': '人员管理',
  'org:account': '账号管理',
  'org:role': '角色权限',
  'auth:session': '在线用户',
  'auth:token': '接口令牌',
  'log:login': '登录日志',
  'log:operation': '审计账本',
  ledger: '账本核验',
  enforcement: '执法记录',
  catalogue: '违法代码',
  rules: '规则参数',
  alert: '告警',
  device: '设备台账',
  lookup: '数据查询审计',
};

export const ACCOUNT_STATES = { active: '启用', inactive: '停用', locked: '已锁定' } as const;
export const TOKEN_STATES = { valid: '有效', expired: '已过期', revoked: '已吊销' } as const;
