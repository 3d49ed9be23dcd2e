/** An error a user can act on: stable code, zh-CN message, the fields at fault. */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: Array<{ path: string; message: string }>,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, details?: Array<{ path: string; message: string }>) =>
  new AppError(400, 'VALIDATION', message, details);
export const unauthenticated = (message = '请先登录') => new AppError(401, 'UNAUTHENTICATED', message);
export const forbidden = (message = '无权执行此操作') => new AppError(403, 'FORBIDDEN', message);
export const notFound = (what: string) => new AppError(404, 'NOT_FOUND', `${what}不存在或无权访问`);
export const conflict = (message: string, path?: string) =>
  new AppError(409, 'CONFLICT', message, path ? [{ path, message }] : undefined);

/** PostgreSQL error codes worth turning into user errors rather than 500s. */
export function pgErrorCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}
export const PG_UNIQUE_VIOLATION = '23505';
