/**
 * The error catalogue: every `code` a partner, operator or portal user can branch on.
 * Codes are stable; messages may improve. Add new codes here, never inline.
 */
export const ERRORS = {
  // 400 — the request itself is malformed
  VALIDATION_FAILED: { status: 400, message: 'The request is invalid' },
  INVALID_JSON: { status: 400, message: 'The request body is not valid JSON' },
  INVALID_TEXT: { status: 400, message: 'A value contains a NUL byte or a lone UTF-16 surrogate' },
  INVALID_TIME_WINDOW: { status: 400, message: 'The time window is invalid' },
  PASSWORD_TOO_WEAK: { status: 400, message: 'The password must be at least 12 characters and not a common password' },
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
  PASSWORD_LINK_INVALID: { status: 404, message: 'This link is unknown, already used or expired; ask an admin of your chain for a new one' },
  // promotions
  PROMOTION_JOB_NOT_FOUND: { status: 404, message: 'Promotion job not found' },
  PROMOTION_NOT_FOUND: { status: 404, message: 'Promotion not found' },
  // certification kit
  CERTIFICATION_NOT_FOUND: { status: 404, message: 'Certification run not found' },
  CERTIFICATION_RUNNING: { status: 409, message: 'A certification of this chain is already running; wait for it to finish' },
  // 405 / 406 / 413 / 415
  METHOD_NOT_ALLOWED: { status: 405, message: 'Method not allowed' },
  NOT_ACCEPTABLE: { status: 406, message: 'No acceptable representation' },
  BODY_TOO_LARGE: { status: 413, message: 'The request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Unsupported Content-Type' },
  // 409 / 422 — business refusals
  CONFLICT: { status: 409, message: 'Another record already has this value; it must be unique' },
  TOKEN_LIMIT_REACHED: { status: 409, message: 'A chain can have at most 11 active tokens; revoke one first' },
  TOKEN_ALREADY_REVOKED: { status: 409, message: 'The token is already revoked' },
  OAUTH_CLIENT_ALREADY_REVOKED: { status: 409, message: 'The OAuth client is already revoked' },
  EMAIL_TAKEN: { status: 409, message: 'A user with this e-mail already exists' },
  EXTERNAL_ID_TAKEN: { status: 409, message: 'Another vendor of this chain already uses this external id' },
  // portal users
  LAST_ADMIN: { status: 409, message: 'The chain would be left without an active admin; make someone else admin first' },
  USER_IN_OTHER_CHAINS: { status: 403, message: 'This person also works for another chain: only a platform operator can reset their password' },
  // promotions
  PROMOTION_TOO_LARGE_TO_EDIT: { status: 409, message: 'The promotion has more SKUs than the portal edits at once; change it by API or SFTP' },
  PROMOTION_MAX_ITEMS_EXCEEDED: { status: 422, message: 'More units of a promoted SKU than the promotion allows per order' },
  // webhooks
  WEBHOOK_ENDPOINT_NOT_FOUND: { status: 404, message: 'Webhook endpoint not found' },
  WEBHOOK_DELIVERY_NOT_FOUND: { status: 404, message: 'Webhook delivery not found' },
  WEBHOOK_URL_REFUSED: { status: 422, message: 'The webhook URL is not an allowed target' },
  WEBHOOK_ENDPOINT_DISABLED: { status: 409, message: 'The webhook endpoint is disabled; enable it first' },
  WEBHOOK_DELIVERY_IN_FLIGHT: { status: 409, message: 'The delivery is being sent right now; try again in a moment' },
  INVALID_CURSOR: { status: 400, message: 'The cursor is malformed' },
  // catalog & jobs
  JOB_NOT_FOUND: { status: 404, message: 'Job not found' },
  CATEGORY_NOT_FOUND: { status: 404, message: 'Category not found' },
  JOB_FILE_NOT_FOUND: { status: 404, message: 'This job has no downloadable file' },
  JOB_NOT_FINISHED: { status: 409, message: 'The job has not finished yet; try again when job_status is COMPLETED' },
  UNKNOWN_VENDORS: { status: 422, message: 'Some vendors are not vendors of this chain' },
  // orders
  ORDER_NOT_FOUND: { status: 404, message: 'Order not found' },
  ORDER_ID_MISMATCH: { status: 400, message: 'body.order_id must equal the order_id in the path' },
  TIME_WINDOW_TOO_LONG: { status: 400, message: 'start_time..end_time may span at most 60 days' },
  ACCEPTED_FOR_REQUIRED: { status: 400, message: 'body.accepted_for is required with status ACCEPTED' },
  CANCELLATION_REASON_REQUIRED: { status: 400, message: 'body.cancellation.reason is required with status CANCELLED' },
  ITEMS_NOT_ALLOWED: { status: 400, message: 'body.items is not allowed with this status' },
  DUPLICATE_LINE: { status: 400, message: 'The same line appears twice in body.items' },
  INDIRECT_POS_READ_ONLY: { status: 403, message: 'This vendor uses Pelican Picking (INDIRECT_POS): its orders are picked in the platform app and are read-only for the partner' },
  INVALID_STATUS_TRANSITION: { status: 409, message: 'The order cannot move to that status from its current status' },
  ORDER_NOT_EDITABLE: { status: 409, message: 'The order is fulfilled, dispatched, delivered or cancelled; its items can no longer change' },
  STATUS_NOT_ALLOWED_FOR_TRANSPORT: { status: 422, message: 'That status is not allowed for this transport type' },
  UNKNOWN_LINE: { status: 422, message: 'No line of this order has that _id or sku' },
  AMBIGUOUS_LINE: { status: 422, message: 'Several lines of this order have that sku; address the line by _id' },
  LINE_SKU_MISMATCH: { status: 422, message: 'The sku does not match the line addressed by _id' },
  SKU_NOT_IN_ASSORTMENT: { status: 422, message: "The SKU is not listed in this vendor's assortment" },
  PRODUCT_INACTIVE: { status: 422, message: 'The product is not active at this vendor' },
  QUANTITY_ABOVE_ORDERED: { status: 422, message: 'The quantity is above what the customer ordered' },
  QUANTITY_INVALID: { status: 422, message: 'The quantity must be at least 1 (use status NOT_FOUND for a line not picked)' },
  MAX_SALES_QUANTITY_EXCEEDED: { status: 422, message: "The quantity is above the product's maximum_sales_quantity" },
  WEIGHT_REQUIRED: { status: 422, message: 'A product sold by weight needs a weight in kg' },
  WEIGHT_NOT_ALLOWED: { status: 422, message: 'Only products sold by weight take a weight; send quantity' },
  WEIGHT_OUT_OF_TOLERANCE: { status: 422, message: 'The picked weight is outside the allowed tolerance of the ordered weight' },
  REPLACEMENT_WITHOUT_REPLACED_ID: { status: 422, message: 'A new line that is not an ADDITION must name the line it replaces in replaced_id' },
  REPLACED_LINE_WITHOUT_REPLACEMENT: { status: 422, message: 'A line marked REPLACED needs a replacement line whose replaced_id is its _id' },
  INVALID_REPLACEMENT: { status: 422, message: 'replaced_id must name an original line of this order' },
  ALL_ITEMS_NOT_FOUND: { status: 422, message: 'Every line is NOT_FOUND: cancel the order instead (status CANCELLED, reason ITEM_UNAVAILABLE)' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, message: 'This Idempotency-Key was already used with a different request body' },
  VENDOR_CLOSED: { status: 409, message: 'The store is closed and takes no orders' },
  NOT_A_TEST_STORE: { status: 422, message: 'Test orders can only be placed on test stores' },
  NO_PRODUCTS_LISTED: { status: 422, message: 'The vendor has no active listed products to build an order from' },
  // outlets
  OUTSIDE_OPENING_HOURS: { status: 409, message: 'The store can only reopen inside its scheduled opening hours' },
  CHECKIN_NOT_OPEN: { status: 409, message: 'Check-in is possible from 30 minutes before an opening until it closes' },
  CHECKIN_NOT_ENABLED: { status: 409, message: 'The check-in feature is not enabled for this store' },
  CLOSED_UNTIL_INVALID: { status: 400, message: 'closed_until must be a future time, and only with CLOSED_UNTIL' },
  // sftp
  SFTP_LOGIN_NOT_FOUND: { status: 404, message: 'This chain has no SFTP login' },
  SFTP_LOGIN_EXISTS: { status: 409, message: 'This chain already has an SFTP login; change it instead' },
  QUOTA_EXCEEDED: { status: 409, message: "The chain's stored uploads have reached their storage quota; processed uploads are deleted after the retention period" },
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
