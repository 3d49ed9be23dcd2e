import { z } from 'zod';
import { DATA_SCOPE_VALUES, isPermission } from './permissions.ts';
import { optionalText, pageOf, pageQuery } from './common.ts';

export const UNIT_KINDS = {
  detachment: '支队',
  brigade: '大队',
  squadron: '中队',
  office: '科室',
  station: '警务站',
  other: '其他',
} as const;
export type UnitKind = keyof typeof UNIT_KINDS;
const unitKind = z.enum(Object.keys(UNIT_KINDS) as [UnitKind, ...UnitKind[]], {
  message: '单位类型无效',
});

export const PERSON_CATEGORIES = { police: '民警', auxiliary: '辅警' } as const;
export type PersonCategory = keyof typeof PERSON_CATEGORIES;
export const PERSON_STATUSES = { active: '在职', left: '离职', suspended: '停职' } as const;
export type PersonStatus = keyof typeof PERSON_STATUSES;
const personCategory = z.enum(['police', 'auxiliary'], { message: '人员类别应为民警或辅警' });
const personStatus = z.enum(['active', 'left', 'suspended'], { message: '人员状态无效' });

// ---- units ----

export const unit = z.object({
  id: z.number().int(),
  parentId: z.number().int().nullable(),
  name: z.string(),
  kind: unitKind,
  code: z.string().nullable(),
  sortOrder: z.number().int(),
  active: z.boolean(),
});
export type Unit = z.infer<typeof unit>;

export const unitName = z.string().trim().min(1, '单位名称不能为空').max(60, '单位名称不能超过60个字符');
export const unitCode = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z]{1,20}$/, '机构代码只能是1-20位字母或数字')
  .nullable()
  .optional();

export const unitCreate = z.strictObject({
  parentId: z.number().int().positive('上级单位无效'),
  name: unitName,
  kind: unitKind,
  code: unitCode,
  sortOrder: z.number().int().min(0).max(9999).default(0),
});
export const unitUpdate = z.strictObject({
  parentId: z.number().int().positive('上级单位无效').optional(),
  name: unitName.optional(),
  kind: unitKind.optional(),
  code: unitCode,
  sortOrder: z.number().int().min(0).max(9999).optional(),
});
export const unitListQuery = z.strictObject({
  ...pageQuery,
  q: optionalText,
  kind: unitKind.optional(),
  active: z.enum(['true', 'false']).optional(),
});
export const unitPage = pageOf(unit);

// ---- personnel ----

export const BADGE_NO_PATTERN = /^[0-9A-Za-z]{4,12}$/;
export const badgeNo = z
  .string({ message: '警号不能为空' })
  .trim()
  .regex(BADGE_NO_PATTERN, '警号应为4-12位字母或数字');
export const personName = z
  .string({ message: '姓名不能为空' })
  .trim()
  .min(1, '姓名不能为空')
  .max(30, '姓名不能超过30个字符');
export const phone = z
  .string()
  .trim()
  .regex(/^1[3-9]\d{9}$/, '手机号应为11位中国大陆手机号')
  .nullable()
  .optional();
export const position = z.string().trim().max(30, '职务不能超过30个字符').nullable().optional();

export const person = z.object({
  id: z.number().int(),
  name: z.string(),
  badgeNo: z.string(),
  category: personCategory,
  unitId: z.number().int(),
  unitName: z.string(),
  position: z.string().nullable(),
  /** masked (138****5678); the full number comes only from the ledgered PII endpoint */
  phoneMasked: z.string().nullable(),
  status: personStatus,
  statusReason: z.string().nullable(),
  hasAccount: z.boolean(),
  updatedAt: z.string(),
});
export type Person = z.infer<typeof person>;

export const personCreate = z.strictObject({
  name: personName,
  badgeNo,
  category: personCategory,
  unitId: z.number({ message: '所属单位不能为空' }).int().positive('所属单位无效'),
  position,
  phone,
});
export const personUpdate = z.strictObject({
  name: personName.optional(),
  category: personCategory.optional(),
  unitId: z.number().int().positive('所属单位无效').optional(),
  position,
  phone,
});
export const personStatusChange = z.strictObject({
  status: personStatus,
  reason: z.string().trim().min(1, '请填写原因').max(200, '原因不能超过200个字符'),
});
export const personListQuery = z.strictObject({
  ...pageQuery,
  q: optionalText,
  unitId: z.coerce.number().int().positive().optional(),
  category: personCategory.optional(),
  status: personStatus.optional(),
});
export const personPage = pageOf(person);
export const personPii = z.object({ id: z.number().int(), name: z.string(), phone: z.string().nullable() });

export const importRowError = z.object({ row: z.number().int(), field: z.string(), message: z.string() });
export const importReport = z.object({
  total: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.number().int(),
  errors: z.array(importRowError),
});
export type ImportReport = z.infer<typeof importReport>;

// ---- accounts ----

export const PASSWORD_RULE = '密码至少10位，且包含大写字母、小写字母、数字、符号中的至少三类';
export const password = z
  .string({ message: '密码不能为空' })
  .max(128, '密码不能超过128个字符')
  .refine(
    (p) => p.length >= 10 && [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(p)).length >= 3,
    PASSWORD_RULE,
  );
export const username = z
  .string({ message: '用户名不能为空' })
  .trim()
  .regex(/^[A-Za-z][A-Za-z0-9_.-]{2,31}$/, '用户名应以字母开头，3-32位字母、数字、下划线、点或连字符');

export const roleCode = z
  .string()
  .regex(/^[a-z][a-z0-9_]{1,31}$/, '角色代码应以小写字母开头，2-32位小写字母、数字或下划线');

export const account = z.object({
  id: z.number().int(),
  username: z.string(),
  personId: z.number().int(),
  personName: z.string(),
  badgeNo: z.string(),
  unitName: z.string(),
  roles: z.array(z.string()),
  active: z.boolean(),
  mustChangePassword: z.boolean(),
  lockedUntil: z.string().nullable(),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
});
export type Account = z.infer<typeof account>;

export const accountCreate = z.strictObject({
  username,
  personId: z.number({ message: '请选择人员' }).int().positive('人员无效'),
  roles: z.array(roleCode).min(1, '至少选择一个角色').max(8),
  password,
});
export const accountUpdate = z.strictObject({
  roles: z.array(roleCode).min(1, '至少选择一个角色').max(8).optional(),
  active: z.boolean().optional(),
});
export const accountResetPassword = z.strictObject({ password });
export const accountListQuery = z.strictObject({
  ...pageQuery,
  q: optionalText,
  role: roleCode.optional(),
  active: z.enum(['true', 'false']).optional(),
});
export const accountPage = pageOf(account);

// ---- roles ----

export const permissionCode = z.string().refine(isPermission, '未知的权限代码');
export const role = z.object({
  code: z.string(),
  name: z.string(),
  description: z.string(),
  dataScope: z.enum(DATA_SCOPE_VALUES),
  customUnitIds: z.array(z.number().int()),
  permissions: z.array(z.string()),
  builtIn: z.boolean(),
  accountCount: z.number().int(),
});
export type Role = z.infer<typeof role>;
export const roleCreate = z.strictObject({
  code: roleCode,
  name: z.string().trim().min(1, '角色名称不能为空').max(30),
  description: z.string().trim().max(200).default(''),
  dataScope: z.enum(DATA_SCOPE_VALUES, { message: '数据权限无效' }),
  customUnitIds: z.array(z.number().int().positive()).max(200).default([]),
  permissions: z.array(permissionCode).max(200),
});
export const roleUpdate = z.strictObject({
  name: z.string().trim().min(1, '角色名称不能为空').max(30).optional(),
  description: z.string().trim().max(200).optional(),
  dataScope: z.enum(DATA_SCOPE_VALUES, { message: '数据权限无效' }).optional(),
  customUnitIds: z.array(z.number().int().positive()).max(200).optional(),
  permissions: z.array(permissionCode).max(200).optional(),
});
export const roleCodeParam = z.strictObject({ code: roleCode });
export const roleListQuery = z.strictObject({ ...pageQuery });
export const rolePage = pageOf(role);
