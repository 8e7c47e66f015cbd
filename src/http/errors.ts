/**
 * The error catalogue: every `code` a partner, operator or portal user can branch on.
 * Codes are stable; messages may improve. Add new codes here, never inline.
 */
export const ERRORS = {
  // 400 — the request itself is malformed
  VALIDATION_FAILED: { status: 400, message: 'The request is invalid' },
  INVALID_JSON: { status: 400, message: 'The request body is not valid JSON' },
  INVALID_TIME_WINDOW: { status: 400, message: 'The time window is invalid' },
  // 401 / 403 — who is calling
  UNAUTHENTICATED: { status: 401, message: 'Missing credentials: send Authorization: Bearer <token>' },
  INVALID_TOKEN: { status: 401, message: 'The token is malformed, unknown, expired or revoked' },
  INVALID_OPERATOR_KEY: { status: 401, message: 'The operator key is malformed, unknown or revoked' },
  SESSION_REQUIRED: { status: 401, message: 'Log in to the Partner Portal first' },
  INVALID_CREDENTIALS: { status: 401, message: 'E-mail or password is wrong' },
  CSRF_TOKEN_INVALID: { status: 403, message: 'Missing or wrong x-csrf-token header' },
  FORBIDDEN: { status: 403, message: 'Your role does not allow this' },
  // 404 — not found, or not yours (we never tell the difference)
  ROUTE_NOT_FOUND: { status: 404, message: 'No such route' },
  CHAIN_NOT_FOUND: { status: 404, message: 'Chain not found' },
  VENDOR_NOT_FOUND: { status: 404, message: 'Vendor not found' },
  TOKEN_NOT_FOUND: { status: 404, message: 'Token not found' },
  OAUTH_CLIENT_NOT_FOUND: { status: 404, message: 'OAuth client not found' },
  USER_NOT_FOUND: { status: 404, message: 'User not found' },
  // promotions
  PROMOTION_JOB_NOT_FOUND: { status: 404, message: 'Promotion job not found' },
  // 405 / 406 / 413 / 415
  METHOD_NOT_ALLOWED: { status: 405, message: 'Method not allowed' },
  NOT_ACCEPTABLE: { status: 406, message: 'No acceptable representation' },
  BODY_TOO_LARGE: { status: 413, message: 'The request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Unsupported Content-Type' },
  // 409 / 422 — business refusals
  TOKEN_LIMIT_REACHED: { status: 409, message: 'A chain can have at most 11 active tokens; revoke one first' },
  TOKEN_ALREADY_REVOKED: { status: 409, message: 'The token is already revoked' },
  OAUTH_CLIENT_ALREADY_REVOKED: { status: 409, message: 'The OAuth client is already revoked' },
  EMAIL_TAKEN: { status: 409, message: 'A user with this e-mail already exists' },
  EXTERNAL_ID_TAKEN: { status: 409, message: 'Another vendor of this chain already uses this external id' },
  // promotions
  PROMOTION_MAX_ITEMS_EXCEEDED: { status: 422, message: 'More units of a promoted SKU than the promotion allows per order' },
  // webhooks
  WEBHOOK_ENDPOINT_NOT_FOUND: { status: 404, message: 'Webhook endpoint not found' },
  WEBHOOK_DELIVERY_NOT_FOUND: { status: 404, message: 'Webhook delivery not found' },
  WEBHOOK_URL_REFUSED: { status: 422, message: 'The webhook URL is not an allowed target' },
  WEBHOOK_ENDPOINT_DISABLED: { status: 409, message: 'The webhook endpoint is disabled; enable it first' },
  WEBHOOK_DELIVERY_IN_FLIGHT: { status: 409, message: 'The delivery is being sent right now; try again in a moment' },
  INVALID_CURSOR: { status: 400, message: 'The cursor is malformed' },
  // 429
  TOO_MANY_REQUESTS: { status: 429, message: 'Too many requests' },
  // 5xx — never with internals
  INTERNAL_ERROR: { status: 500, message: 'Internal error' },
  SERVICE_UNAVAILABLE: { status: 503, message: 'Service unavailable' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

/** A refusal we mean to send: rendered by the one error handler as { error: { code, message, details? } }. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;
  readonly headers: Record<string, string> | undefined;

  constructor(code: ErrorCode, message?: string, details?: unknown, headers?: Record<string, string>) {
    super(message ?? ERRORS[code].message);
    this.name = 'AppError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.details = details;
    this.headers = headers;
  }
}

export function appError(code: ErrorCode, message?: string, details?: unknown): AppError {
  return new AppError(code, message, details);
}
