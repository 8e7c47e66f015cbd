import { ERRORS, type ErrorCode } from '../errors.js';
import { operationsOf, type Json } from './openapi-components.js';

/**
 * Error responses of the documents: every status an operation can answer, with its codes — the ones
 * the route declares in `errors(...)` plus the ones every route of its API shares (credentials,
 * request shape, rate limit, database outage), derived here once from what the operation is.
 */

const has = (code: string): code is ErrorCode => code in ERRORS;
/** Codes of the text guard and the outage answer exist once those parts are in; list only what the catalogue has. */
const known = (...codes: string[]): ErrorCode[] => codes.filter(has);

interface CommonRule {
  when: (op: Json, path: string) => boolean;
  codes: ErrorCode[];
}

const secured = (scheme: string) => (op: Json) => (op.security ?? []).some((r: Json) => scheme in r);

export const COMMON_ERRORS: CommonRule[] = [
  { when: (op) => Boolean(op.parameters?.length || op.requestBody), codes: known('VALIDATION_FAILED', 'INVALID_TEXT') },
  { when: (op) => Boolean(op.requestBody), codes: known('INVALID_JSON', 'BODY_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE') },
  { when: secured('bearerAuth'), codes: known('UNAUTHENTICATED', 'INVALID_TOKEN', 'TOO_MANY_REQUESTS') },
  { when: (op, path) => secured('bearerAuth')(op) && path.includes('{chain_id}'), codes: ['CHAIN_NOT_FOUND'] },
  { when: (op, path) => secured('bearerAuth')(op) && path.includes('{vendor_id}'), codes: ['VENDOR_NOT_FOUND'] },
  { when: secured('operatorKey'), codes: known('UNAUTHENTICATED', 'INVALID_OPERATOR_KEY') },
  { when: (op) => (op.security ?? []).length > 0, codes: known('SERVICE_UNAVAILABLE') },
];

const REASONS: Record<string, string> = { '200': 'OK', '201': 'Created', '202': 'Accepted', '204': 'No Content' };

const RETRY_AFTER = { description: 'Seconds to wait before retrying', schema: { type: 'integer', minimum: 0 } };
const STATUS_HEADERS: Record<string, Json> = {
  '429': {
    'Retry-After': RETRY_AFTER,
    'RateLimit-Limit': { description: 'Requests allowed per window and token', schema: { type: 'integer' } },
    'RateLimit-Remaining': { description: 'Requests left in this window', schema: { type: 'integer' } },
    'RateLimit-Reset': { description: 'Seconds until the window resets', schema: { type: 'integer' } },
  },
  '503': { 'Retry-After': RETRY_AFTER },
};

export const ERROR_SCHEMA = {
  title: 'Error',
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', description: 'stable: branch on it (the x-error-codes of each response list the possible values)' },
        message: { type: 'string', description: 'for people; may change' },
        details: { description: 'e.g. `fields: [{ field, problem }]` for VALIDATION_FAILED' },
      },
    },
  },
};

function describeCodes(codes: readonly ErrorCode[]): string {
  return codes.map((c) => `- \`${c}\` — ${ERRORS[c].message}`).join('\n');
}

/** The route's declared codes (from `errors(...)`) of one response, if it is one of ours. */
function declaredCodes(response: Json): string[] | undefined {
  const schema = response?.content?.['application/json']?.schema;
  if (!schema) return undefined;
  if (Array.isArray(schema['x-error-codes'])) return schema['x-error-codes'];
  return schema.title === 'Error' ? [] : undefined;
}

/** Rewrites every operation's error responses: codes per status, one Error schema, retry headers. */
export function documentErrors(doc: Json): Json {
  for (const { path, op } of operationsOf(doc)) {
    const byStatus = new Map<string, ErrorCode[]>();
    for (const [status, response] of Object.entries(op.responses ?? {}) as Array<[string, Json]>) {
      if (REASONS[status] && response.description === 'Default Response') response.description = REASONS[status];
      const declared = declaredCodes(response);
      if (declared !== undefined) byStatus.set(status, declared.filter(has));
    }
    // Only operations that answer our error shape get the shared codes (the OAuth endpoint answers RFC 6749's).
    if (byStatus.size === 0) continue;
    for (const rule of COMMON_ERRORS) {
      if (!rule.when(op, path)) continue;
      for (const code of rule.codes) {
        const status = String(ERRORS[code].status);
        byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
      }
    }
    for (const [status, list] of byStatus) {
      const codes = [...new Set(list)].sort();
      if (!codes.length) {
        delete op.responses[status];
        continue;
      }
      op.responses[status] = {
        description: describeCodes(codes),
        ...(STATUS_HEADERS[status] ? { headers: STATUS_HEADERS[status] } : {}),
        'x-error-codes': codes,
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      };
    }
    op.responses = Object.fromEntries(Object.entries(op.responses).sort(([a], [b]) => a.localeCompare(b)));
  }
  // The one Error schema: any other copy named Error (the route-level ErrorBody) is replaced.
  const schemas = Object.fromEntries(Object.entries(doc.components?.schemas ?? {}).filter(([, s]) => (s as Json).title !== 'Error'));
  doc.components = { ...doc.components, schemas: { ...schemas, Error: ERROR_SCHEMA } };
  return doc;
}
