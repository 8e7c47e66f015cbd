import type { FastifyError, FastifyInstance } from 'fastify';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable, uniqueViolation, type UniqueViolation } from '../../db/db-errors.js';
import { AppError, ERRORS, type ErrorCode } from '../errors.js';

interface ValidationIssue {
  instancePath?: string;
  schemaPath?: string;
  keyword?: string;
  params?: Record<string, unknown>;
  message?: string;
  /** With AJV's `verbose` (validation.ts): the schema object that holds the failed keyword. */
  parentSchema?: Record<string, unknown>;
}

/** "body.items[0].sku" from AJV's instancePath + keyword params. */
function fieldOf(part: string, issue: ValidationIssue): string {
  const segments = (issue.instancePath ?? '').split('/').filter(Boolean).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const extra =
    (issue.params?.missingProperty as string | undefined) ??
    (issue.params?.additionalProperty as string | undefined);
  if (extra) segments.push(extra);
  let field = part;
  for (const s of segments) field += /^\d+$/.test(s) ? `[${s}]` : `.${s}`;
  return field;
}

const MAX_LISTED = 20;

function listOf(values: readonly unknown[]): string {
  const shown = values.slice(0, MAX_LISTED).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  return values.length > MAX_LISTED ? `${shown.join(', ')}, … (${values.length} values)` : shown.join(', ');
}

/** The constants a schema allows, when it is nothing but constants (`const`, `enum`, or a union of them). */
function constantsOf(schema: unknown): unknown[] | undefined {
  if (!schema || typeof schema !== 'object') return undefined;
  const s = schema as Record<string, unknown>;
  if ('const' in s) return [s.const];
  if (Array.isArray(s.enum)) return s.enum;
  const branches = (s.anyOf ?? s.oneOf) as unknown[] | undefined;
  if (!Array.isArray(branches)) return undefined;
  const out: unknown[] = [];
  for (const b of branches) {
    const c = constantsOf(b);
    if (!c) return undefined;
    out.push(...c);
  }
  return out;
}

/** The types a union allows (`string or null`), when each branch is a plain type. */
function typesOf(schema: Record<string, unknown> | undefined): string | undefined {
  const branches = (schema?.anyOf ?? schema?.oneOf) as Array<Record<string, unknown>> | undefined;
  if (!Array.isArray(branches)) return undefined;
  const parts: string[] = [];
  for (const b of branches) {
    const c = constantsOf(b);
    if (c) parts.push(...c.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))));
    else if (typeof b.type === 'string') parts.push(b.type === 'object' ? 'an object' : b.type === 'array' ? 'an array' : b.type);
    else return undefined;
  }
  return parts.join(' or ');
}

function describe(issue: ValidationIssue): string {
  switch (issue.keyword) {
    case 'additionalProperties':
      return 'is not an allowed field';
    case 'required':
      return 'is required';
    case 'enum':
      return `must be one of ${listOf((issue.params?.allowedValues as unknown[]) ?? [])}`;
    case 'const':
      return `must be ${listOf([issue.params?.allowedValue])}`;
    case 'anyOf':
    case 'oneOf': {
      const constants = constantsOf(issue.parentSchema);
      if (constants) return `must be one of ${listOf(constants)}`;
      const types = typesOf(issue.parentSchema);
      return types ? `must be ${types}` : 'does not match any of the allowed shapes';
    }
    default:
      return issue.message ?? 'is invalid';
  }
}

/**
 * One problem per field, said so a person can act on it: a refused enum or union of constants lists
 * the allowed values once (not "must be equal to constant" per branch), and the errors of a union's
 * branches at the union's own position fold into the union's one message. Deeper problems inside a
 * branch (a wrong field of one object shape) stay, so the caller sees which field to fix.
 */
export function validationFields(part: string, issues: readonly ValidationIssue[]): Array<{ field: string; problem: string }> {
  // Unions of constants or plain types fold; unions of object shapes keep their branches' field errors.
  const unions = issues.filter((i) => (i.keyword === 'anyOf' || i.keyword === 'oneOf') && i.schemaPath && (constantsOf(i.parentSchema) || typesOf(i.parentSchema)));
  // The outermost union at the same position that this issue is a branch error of.
  const unionOf = (i: ValidationIssue): ValidationIssue | undefined =>
    unions.find((u) => u !== i && u.instancePath === i.instancePath && i.schemaPath?.startsWith(`${u.schemaPath}/`));
  const out: Array<{ field: string; problem: string }> = [];
  const seen = new Set<string>();
  for (const raw of issues) {
    let issue = raw;
    // Branch errors come before their union's: the union's message takes the first one's place.
    for (let u = unionOf(issue); u; u = unionOf(u)) issue = u;
    const field = fieldOf(part, issue);
    if (seen.has(field)) continue;
    seen.add(field);
    out.push({ field, problem: describe(issue) });
  }
  return out;
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

/**
 * Unique violations whose clash the domain already names with its own code (the code the route
 * answers when its own check sees the clash first): a race past that check answers the same code.
 * Every other unique violation is 409 CONFLICT.
 */
const UNIQUE_CODES: Record<string, ErrorCode> = {
  'users.email': 'EMAIL_TAKEN',
  'vendors.external_id': 'EXTERNAL_ID_TAKEN',
  'sftp_users.chain_id': 'SFTP_LOGIN_EXISTS',
};

/** 409 for a unique violation: the field named as the request sent it (`body.email`) when it did. */
function conflictError(v: UniqueViolation, body: unknown): AppError {
  const columns = v.columns.filter((c) => c !== 'chain_id');
  const named = columns.length ? columns : v.columns;
  const sent = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const fields = named.map((c) => (c in sent ? `body.${c}` : c));
  const code = (v.table && named.map((c) => UNIQUE_CODES[`${v.table}.${c}`]).find(Boolean)) || 'CONFLICT';
  const what = fields.length ? fields.join(', ') : 'a value';
  return new AppError(code, `${what} must be unique: another ${v.table ? v.table.replace(/_/g, ' ').replace(/s$/, '') : 'record'} already has this value`, { field: fields[0] });
}

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
      const fields = validationFields(part, fe.validation);
      const first = fields[0] ?? { field: part, problem: 'is invalid' };
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
    const unique = uniqueViolation(err);
    if (unique) {
      const conflict = conflictError(unique, request.body);
      request.log.info({ table: unique.table, columns: unique.columns, code: conflict.code }, 'unique violation answered 409');
      return reply.status(conflict.status).send({ error: { code: conflict.code, message: conflict.message, details: conflict.details } });
    }
    if (isDatabaseUnavailable(err)) {
      request.log.warn({ err: fe }, 'database unavailable');
      return reply.status(503).header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS)).send({ error: { code: 'SERVICE_UNAVAILABLE', message: 'The database is unavailable right now; retry shortly' } });
    }
    request.log.error({ err: fe }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'INTERNAL_ERROR', message: ERRORS.INTERNAL_ERROR.message } });
  });

  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({ error: { code: 'ROUTE_NOT_FOUND', message: `No route ${request.method} ${request.url.split('?')[0]}` } });
  });
}
