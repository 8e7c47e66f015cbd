/** The error body of every Comanda 4xx/5xx: `{ error: { code, message, details? } }`. */
export interface ComandaErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** A refusal from the API, with its stable `code` (see the error catalogue in the OpenAPI document). */
export class ComandaApiError extends Error {
  override readonly name = 'ComandaApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown,
    readonly requestId: string | undefined,
  ) {
    super(`${status} ${code}: ${message}`);
  }
}

/** The OAuth token endpoint refused the client credentials (RFC 6749 error body). */
export class ComandaAuthError extends Error {
  override readonly name = 'ComandaAuthError';
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(`OAuth token request failed (${status} ${error}): ${description}`);
  }
}

function isErrorBody(value: unknown): value is ComandaErrorBody {
  const e = (value as { error?: { code?: unknown } } | null)?.error;
  return typeof e === 'object' && e !== null && typeof e.code === 'string';
}

/**
 * The data of an openapi-fetch result, or a thrown ComandaApiError for a refusal:
 * `const order = unwrap(await client.GET('/v2/chains/{chain_id}/orders/{order_id}', …))`.
 */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  const { response } = result;
  if (result.error === undefined && response.ok) return result.data as T;
  const requestId = response.headers.get('x-request-id') ?? undefined;
  if (isErrorBody(result.error)) {
    throw new ComandaApiError(response.status, result.error.error.code, result.error.error.message, result.error.error.details, requestId);
  }
  throw new ComandaApiError(response.status, 'UNEXPECTED_RESPONSE', `unexpected response ${response.status} ${response.statusText}`, result.error, requestId);
}
