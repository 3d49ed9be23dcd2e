import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { App } from './app.ts';
import { AppError } from './errors.ts';

const FRAMEWORK_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'BAD_REQUEST', message: '请求体不是合法的 JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'BAD_REQUEST', message: '请求体为空' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 400, code: 'BODY_TOO_LARGE', message: '请求体超过大小限制' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 400, code: 'UNSUPPORTED_MEDIA_TYPE', message: '不支持的请求内容类型' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'BAD_REQUEST', message: '请求长度无效' },
  FST_INVALID_MULTIPART_CONTENT_TYPE: { status: 400, code: 'BAD_REQUEST', message: '请以表单方式上传文件' },
  FST_REQ_FILE_TOO_LARGE: { status: 400, code: 'BODY_TOO_LARGE', message: '上传文件超过大小限制' },
  FST_ERR_RATE_LIMIT: { status: 429, code: 'RATE_LIMITED', message: '请求过于频繁，请稍后再试' },
};

const fieldPath = (instancePath: string) => instancePath.replace(/^\//, '').replaceAll('/', '.') || '(根)';

/**
 * Every error leaves as `{ code, message, details?, requestId }` with a zh-CN message. Nothing
 * internal (stack, SQL, file paths) reaches a client: unexpected errors are logged with the
 * request id and the client gets only that id.
 */
export function installErrorHandling(app: App) {
  app.setErrorHandler((error, request, reply) => {
    const requestId = request.id;
    if (error instanceof AppError) {
      return reply.status(error.statusCode).send({ code: error.code, message: error.message, details: error.details, requestId });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const details = error.validation.map((v) => ({ path: fieldPath(v.instancePath), message: v.message ?? '无效' }));
      const where = error.validationContext === 'querystring' ? '查询参数' : error.validationContext === 'params' ? '路径参数' : '请求参数';
      const first = details[0]!;
      const message = `${where}有误：${first.path} ${first.message}${details.length > 1 ? `（共 ${details.length} 处）` : ''}`;
      return reply.status(400).send({ code: 'VALIDATION', message, details, requestId });
    }
    const code = (error as { code?: string }).code;
    const known = code ? FRAMEWORK_ERRORS[code] : undefined;
    if (known) {
      if (known.status === 429) reply.header('retry-after', reply.getHeader('retry-after') ?? '60');
      return reply.status(known.status).send({ code: known.code, message: known.message, requestId });
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 429) return reply.status(429).send({ code: 'RATE_LIMITED', message: '请求过于频繁，请稍后再试', requestId });
    if (status && status >= 400 && status < 500) {
      return reply.status(status).send({ code: 'BAD_REQUEST', message: '请求无效', requestId });
    }
    request.log.error({ err: error }, 'unexpected error');
    return reply.status(500).send({ code: 'INTERNAL', message: `服务器内部错误，请联系管理员并提供请求编号 ${requestId}`, requestId });
  });

  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({ code: 'NOT_FOUND', message: '接口不存在', requestId: request.id });
  });
}
