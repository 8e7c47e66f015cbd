import { Type } from 'typebox';
import { ERRORS, type ErrorCode } from '../errors.js';

const errorFields = {
  error: Type.Object({
    code: Type.String({ description: 'stable, see the error catalogue' }),
    message: Type.String(),
    details: Type.Optional(Type.Unknown()),
  }),
};

export const ErrorBody = Type.Object(errorFields, { $id: 'ErrorBody', title: 'Error' });

/**
 * Response schemas for the error statuses a route can answer, so they are documented and serialised.
 * Give the route's own codes (`errors('ORDER_NOT_FOUND', 'INVALID_STATUS_TRANSITION')`): each status
 * comes from the catalogue and the OpenAPI documents list the codes per status (`x-error-codes`).
 * The codes every route of an API shares (credentials, validation, rate limit) are added by the
 * documents (openapi-errors.ts), not here. Bare statuses are for the portal's routes, which are in
 * no published document.
 */
export function errors(...items: Array<ErrorCode | number>): Record<number, typeof ErrorBody> {
  const byStatus = new Map<number, ErrorCode[]>([[400, []]]);
  for (const item of items) {
    const status = typeof item === 'number' ? item : ERRORS[item].status;
    const codes = byStatus.get(status) ?? [];
    if (typeof item !== 'number') codes.push(item);
    byStatus.set(status, codes);
  }
  const out: Record<number, typeof ErrorBody> = {};
  for (const [status, codes] of byStatus) {
    // A copy per route (no $id): the documents read `x-error-codes` and point the schema at Error.
    out[status] = (codes.length ? Type.Object(errorFields, { title: 'Error', 'x-error-codes': codes }) : ErrorBody) as typeof ErrorBody;
  }
  return out;
}

export const ChainParams = Type.Object({ chain_id: Type.String({ minLength: 1, maxLength: 64 }) });
export const ChainVendorParams = Type.Object({
  chain_id: Type.String({ minLength: 1, maxLength: 64 }),
  vendor_id: Type.String({ minLength: 1, maxLength: 64, description: 'platform code or external id' }),
});

export const bearerSecurity = [{ bearerAuth: [] }];
export const operatorSecurity = [{ operatorKey: [] }];
export const sessionSecurity = [{ portalSession: [] }];

/**
 * A time in a request: ISO-8601 with a zone (`Z`, `+02:00`) or without one, read as UTC (partner-api.md
 * §9). Parse it with `parseUtcTime` (shared/utc-time.ts), never with `new Date()` alone (that reads a
 * zone-less time as the server's local time).
 */
export const UtcTime = (options: { description?: string } = {}) =>
  // Year 0000 passes the format but no database stores it.
  Type.String({ format: 'iso-date-time', pattern: '^(?!0000)\\d{4}-', maxLength: 40, description: options.description ?? 'ISO-8601; without a zone it is UTC', example: '2024-09-11T10:40:00Z' });

/** Highest page number a list accepts: beyond it every list is empty anyway, and the offset stays far inside 32 bits' worth of rows. */
export const MAX_PAGE = 100000;
/** `page` of every paged list (1-based; `page=99999999999999999999999` is a 400 naming the field, not an offset overflow). */
export const PageNumber = () => Type.Integer({ minimum: 1, maximum: MAX_PAGE, default: 1 });
