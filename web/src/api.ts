/** The portal JSON API client: session cookie (sent by the browser) + the CSRF token on every write. */
import type { components, paths } from './api-types';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterSeconds: number | null = null,
    readonly details: unknown = undefined,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

// Kept in memory only (never in storage): a script injected elsewhere cannot read it from disk, and a
// reload fetches it again with GET /portal/api/session.
let csrfToken: string | null = null;
let onSessionLost: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when any call answers SESSION_REQUIRED (expired or logged out elsewhere). */
export function setSessionLostHandler(handler: (() => void) | null): void {
  onSessionLost = handler;
}

const SAFE = new Set(['GET', 'HEAD']);

/**
 * Calls /portal/api<path>; resolves with the JSON body (undefined for 204), rejects with ApiError.
 * A Blob body (a file upload) is sent as it is, with its own type; anything else as JSON.
 */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const raw = body instanceof Blob;
  if (body !== undefined) headers['content-type'] = raw ? body.type || 'application/octet-stream' : 'application/json';
  if (!SAFE.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(`/portal/api${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : raw ? body : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'network error');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const err = (json as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
    const retry = res.headers.get('retry-after');
    const e = new ApiError(res.status, err?.code ?? `HTTP_${res.status}`, err?.message ?? res.statusText, retry ? Number(retry) : null, err?.details);
    if (e.code === 'SESSION_REQUIRED' && path !== '/session') onSessionLost?.();
    throw e;
  }
  return json as T;
}

// ---- Wire types (snake_case as the API sends them) ----
// Derived from the server's route schemas (api-types.ts is generated from them): a field the server
// renames or drops is a type error here, not a blank cell in the browser.

type Method = 'get' | 'put' | 'post' | 'delete' | 'patch';
/** A portal route's path without the /portal/api prefix ("/chains/{chainId}/orders"). */
export type PortalPath = keyof paths extends infer K ? (K extends `/portal/api${infer Rest}` ? Rest : never) : never;
/** The JSON body a portal route answers with (on `status`, 200 unless said). */
export type Answer<P extends PortalPath, M extends Method = 'get', S extends number = 200> = paths[`/portal/api${P}`][M] extends { responses: { [K in S]: { content: { 'application/json': infer Body } } } } ? Body : never;
/** A named schema of the portal API. */
export type Schema<N extends keyof components['schemas']> = components['schemas'][N];

export type User = Schema<'User'>;
export type Role = User['memberships'][number]['role'];
export type SessionInfo = Answer<'/session'>;
export type Chain = Schema<'Chain'>;
export type Vendor = Schema<'Vendor'>;
export type ApiToken = Schema<'ApiToken'>;
export type OauthClient = Schema<'OauthClient'>;
export type AuditEntry = Answer<'/chains/{chainId}/audit'>['entries'][number];
export type ActorLabel = Answer<'/chains/{chainId}/actors'>['actors'][number];
export type WebhookEndpoint = Schema<'WebhookEndpoint'>;
export type WebhookDelivery = Schema<'WebhookDelivery'>;
export type WebhookAttempt = Answer<'/chains/{chainId}/webhooks/deliveries/{deliveryId}'>['attempts'][number];
export type OrderRow = Answer<'/chains/{chainId}/orders'>['orders'][number];

/** Query string of the defined, non-empty values. */
export function qs(params: Record<string, string | number | undefined | null>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : '';
}
