// Permission codes and the built-in roles. Shared by the server (route guards) and the web console
// (menu and button visibility), so both read one list.

export const PERMISSIONS = {
  'org:unit:view': '查看组织机构',
  'org:unit:edit': '维护组织机构',
  'org:person:view': '查看人员',
  'org:person:edit': '维护人员',
  'org:person:import': '导入人员',
  'org:person:export': '导出人员',
  'org:person:pii': '查看人员完整个人信息',
  'org:account:view': '查看账号',
  'org:account:edit': '维护账号',
  'org:role:view': '查看角色权限',
  'org:role:edit': '维护角色权限',
  'auth:session:view': '查看在线用户',
  'auth:session:revoke': '强制下线',
  'auth:token:view': '查看接口令牌',
  'auth:token:edit': '维护接口令牌',
  'log:login:view': '查看登录日志',
  'log:operation:view': '查看操作记录',
  'ledger:verify': '核验账本、签发检查点',
  'enforcement:view': '查看执法记录',
  'enforcement:ingest': '报送、导入执法记录',
  'enforcement:review': '审核待定记录',
  'enforcement:pii': '查看当事人完整个人信息',
  'catalogue:view': '查看违法代码',
  'catalogue:edit': '维护违法代码',
  'rules:view': '查看规则参数',
  'rules:edit': '维护规则参数',
  'alert:view': '查看告警',
  'alert:handle': '处置告警',
  'device:view': '查看监控设备台账',
  'device:edit': '维护监控设备台账',
  'lookup:view': '查看数据查询审计',
  'lookup:ingest': '报送、导入数据查询日志',
  'lookup:subject': '按查询对象追查（谁查了此车此人）',
  'lookup:pii': '查看查询对象完整个人信息',
  'lookup:handle': '发起与认定说明核查',
  'lookup:watchlist': '维护关注名单',
  'explanation:answer': '答复本人的说明核查',
} as const;

export type Permission = keyof typeof PERMISSIONS;
export const ALL_PERMISSIONS = Object.keys(PERMISSIONS) as Permission[];

export function isPermission(code: string): code is Permission {
  return Object.prototype.hasOwnProperty.call(PERMISSIONS, code);
}

/** 数据权限: which units' data a role reaches. */
export const DATA_SCOPES = {
  self: '仅本人',
  unit: '本单位',
  unitTree: '本单位及以下',
  custom: '自定义单位',
  all: '全部',
} as const;
export type DataScope = keyof typeof DATA_SCOPES;
export const DATA_SCOPE_VALUES = Object.keys(DATA_SCOPES) as [DataScope, ...DataScope[]];

export const ROLE_CODES = [
  'admin',
  'auditor',
  'leader',
  'squadron_leader',
  'legal',
  'inspector',
  'officer',
  'auxiliary',
] as const;
export type RoleCode = (typeof ROLE_CODES)[number];

interface BuiltInRole {
  name: string;
  description: string;
  dataScope: DataScope;
  permissions: Permission[];
}

// Defaults only: an admin edits roles at run time. Admin, security and audit duties stay apart
// (三员分立): the admin manages people and accounts but cannot read the operation record; the
// auditor reads logs and changes nothing.
export const BUILT_IN_ROLES: Record<RoleCode, BuiltInRole> = {
  admin: {
    name: '系统管理员',
    description: '单位、人员、账号、角色、接口令牌的维护；不接触案件内容',
    dataScope: 'all',
    permissions: [
      'org:unit:view', 'org:unit:edit',
      'org:person:view', 'org:person:edit', 'org:person:import', 'org:person:export',
      'org:account:view', 'org:account:edit',
      'org:role:view', 'org:role:edit',
      'auth:session:view', 'auth:session:revoke',
      'auth:token:view', 'auth:token:edit',
      'log:login:view',
      // Only so the administrator can issue the look-up log feed's integration token (a token never
      // exceeds its creator). The inspector reads the operation record, so may not issue tokens
      // (三员分立); ingesting writes look-ups and reads nothing back.
      'lookup:ingest',
    ],
  },
  auditor: {
    name: '审计管理员',
    description: '查阅操作记录与登录日志，核验账本；不做任何修改',
    dataScope: 'all',
    permissions: ['org:unit:view', 'log:login:view', 'log:operation:view', 'ledger:verify'],
  },
  leader: {
    name: '大队领导',
    description: '查看全大队情况，审批案件结论与表彰',
    dataScope: 'all',
    permissions: [
      'org:unit:view', 'org:person:view', 'org:person:export', 'enforcement:view', 'catalogue:view', 'rules:view', 'alert:view',
      'device:view', 'lookup:view', 'explanation:answer',
    ],
  },
  squadron_leader: {
    name: '中队长',
    description: '查看本中队情况',
    dataScope: 'unitTree',
    permissions: [
      'org:unit:view', 'org:person:view', 'org:person:export', 'enforcement:view', 'catalogue:view', 'rules:view', 'alert:view',
      'device:view', 'lookup:view', 'explanation:answer',
    ],
  },
  legal: {
    name: '法制员',
    description: '审核待定记录，开展执法质量考评，维护违法代码与规则',
    // The brigade's 法制员 sits in the office but reviews every squadron's enforcement.
    dataScope: 'all',
    permissions: [
      'org:unit:view', 'org:person:view',
      'enforcement:view', 'enforcement:ingest', 'enforcement:review', 'enforcement:pii',
      'catalogue:view', 'catalogue:edit', 'rules:view', 'rules:edit', 'alert:view',
      // the legal and technical review of every camera rests with the 法制员
      'device:view', 'device:edit', 'explanation:answer',
      // the integration token of the traffic-management system pushing records
      'auth:token:view', 'auth:token:edit',
    ],
  },
  inspector: {
    name: '督察/纪检',
    description: '处置告警，立案调查，审计数据查询',
    dataScope: 'all',
    permissions: [
      'org:unit:view', 'org:person:view', 'org:person:pii', 'log:operation:view',
      'enforcement:view', 'catalogue:view', 'rules:view', 'alert:view', 'alert:handle', 'device:view',
      'lookup:view', 'lookup:ingest', 'lookup:subject', 'lookup:pii', 'lookup:handle', 'lookup:watchlist',
      'explanation:answer',
    ],
  },
  officer: {
    name: '民警',
    description: '执法办案，本人整改与学习任务',
    dataScope: 'self',
    permissions: ['org:person:view', 'enforcement:view', 'catalogue:view', 'explanation:answer'],
  },
  auxiliary: {
    name: '辅警',
    description: '协助执法，登记证据；不得作为处罚决定人',
    dataScope: 'self',
    permissions: ['org:person:view', 'explanation:answer'],
  },
};
