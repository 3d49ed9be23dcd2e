import { z } from 'zod';

// zh-CN messages for every built-in zod check; field-specific messages are written where needed.
z.config(z.locales.zhCN());

export const MAX_PAGE_SIZE = 500;

export const pageQuery = {
  page: z.coerce.number().int().min(1, '页码须为正整数').default(1),
  pageSize: z.coerce
    .number()
    .int()
    .min(1, '每页条数须为正整数')
    .max(MAX_PAGE_SIZE, `每页条数不能超过${MAX_PAGE_SIZE}`)
    .default(20),
};

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  });
}

export type Page<T> = { items: T[]; total: number; page: number; pageSize: number };

export const idParam = z.strictObject({ id: z.coerce.number().int().positive('编号无效') });

export const errorBody = z.object({
  code: z.string(),
  message: z.string(),
  details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  requestId: z.string(),
});
export type ErrorBody = z.infer<typeof errorBody>;

export const okBody = z.object({ ok: z.literal(true) });

/** Optional query-string text filter: blank means "no filter". */
export const optionalText = z
  .string()
  .trim()
  .max(100)
  .optional()
  .transform((v) => (v ? v : undefined));

export const isoDateTime = z.iso.datetime({ offset: true, message: '时间格式应为带时区的 ISO 8601' });
