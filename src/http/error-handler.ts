import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError, ERRORS, type ErrorCode } from './errors.js';

interface ValidationIssue {
  instancePath?: string;
  keyword?: string;
  params?: Record<string, unknown>;
  message?: string;
}

/** "body.items[0].sku" from AJV's instancePath + keyword params. */
function fieldOf(part: string, issue: ValidationIssue): string {
  const segments = (issue.instancePath ?? '').split('/').filter(Boolean);
  const extra =
    (issue.params?.missingProperty as string | undefined) ??
    (issue.params?.additionalProperty as string | undefined);
  if (extra) segments.push(extra);
  let field = part;
  for (const s of segments) field += /^\d+$/.test(s) ? `[${s}]` : `.${s}`;
  return field;
}

function describe(issue: ValidationIssue): string {
  if (issue.keyword === 'additionalProperties') return 'is not an allowed field';
  if (issue.keyword === 'required') return 'is required';
  return issue.message ?? 'is invalid';
}

/** Maps Fastify's own error codes to ours. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
  FST_ERR_CTP_INVALID_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_NOT_ACCEPTABLE: 'NOT_ACCEPTABLE',
};

/** The one error handler: renders { error: { code, message, details? } }, never leaks 5xx internals. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError, request, reply) => {
    if (err instanceof AppError) {
      if (err.headers) reply.headers(err.headers);
      const body: { code: string; message: string; details?: unknown } = { code: err.code, message: err.message };
      if (err.details !== undefined) body.details = err.details;
      return reply.status(err.status).send({ error: body });
    }
    const fe = err as FastifyError & { validation?: ValidationIssue[]; validationContext?: string };
    if (fe.validation) {
      const part = fe.validationContext ?? 'body';
      const fields = fe.validation.map((issue) => ({ field: fieldOf(part, issue), problem: describe(issue) }));
      const first = fields[0]!;
      return reply.status(400).send({
        error: { code: 'VALIDATION_FAILED', message: `${first.field} ${first.problem}`, details: { fields } },
      });
    }
    const mapped = fe.code ? FASTIFY_CODES[fe.code] : undefined;
    if (mapped) {
      return reply.status(ERRORS[mapped].status).send({ error: { code: mapped, message: fe.message || ERRORS[mapped].message } });
    }
    const status = typeof fe.statusCode === 'number' ? fe.statusCode : 500;
    if (status >= 400 && status < 500) {
      // A client error Fastify or a plugin raised that we have not catalogued: keep it 4xx, generic code.
      request.log.info({ err: fe }, 'client error');
      return reply.status(status).send({ error: { code: 'VALIDATION_FAILED', message: fe.message } });
    }
    request.log.error({ err: fe }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'INTERNAL_ERROR', message: ERRORS.INTERNAL_ERROR.message } });
  });

  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({ error: { code: 'ROUTE_NOT_FOUND', message: `No route ${request.method} ${request.url.split('?')[0]}` } });
  });
}
