/** The portal JSON API client: session cookie (sent by the browser) + the CSRF token on every write. */

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

export type Role = 'admin' | 'staff';

export interface User {
  id: string;
  email: string;
  name: string;
  is_operator: boolean;
  memberships: Array<{ chain_id: string; role: Role }>;
}

export interface SessionInfo {
  user: User;
  csrf_token: string;
  expires_at: string;
}

export interface Chain {
  id: string;
  name: string;
  country_code: string;
  currency: string;
}

export interface Vendor {
  id: string;
  chain_id: string;
  code: string;
  external_id: string | null;
  name: string;
  integration_type: 'DIRECT_POS' | 'INDIRECT_POS';
  is_test: boolean;
  time_zone: string;
  currency: string;
  country_code: string;
  locale: string;
}

export interface ApiToken {
  id: string;
  name: string;
  environment: 'live' | 'test';
  display_prefix: string;
  last4: string;
  created_at: string;
  created_by: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
  status: 'active' | 'revoked' | 'expired';
}

export interface OauthClient {
  id: string;
  client_id: string;
  name: string;
  secret_last4: string;
  created_at: string;
  created_by: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface AuditEntry {
  id: string;
  actor: string;
  action: string;
  target_type: string;
  target_id: string | null;
  details: Record<string, unknown>;
  created_at: string;
}

export interface ActorLabel {
  actor: string;
  kind: 'user' | 'operator-key' | 'api-token' | 'oauth-client' | 'cli' | 'system' | 'other';
  name: string | null;
  email: string | null;
}

export interface WebhookEndpoint {
  id: string;
  url: string;
  description: string;
  authorization: { header: string; last4: string };
  signing_secret_prefix: string;
  previous_secret_expires_at: string | null;
  events: string[];
  enabled: boolean;
  disabled_reason: 'gone' | 'failing' | 'manual' | null;
  created_at: string;
  updated_at: string;
}

export interface WebhookDelivery {
  id: string;
  event_id: string;
  endpoint_id: string;
  event_type: string;
  order_id: string | null;
  status: string;
  attempts: number;
  next_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string;
  completed_at: string | null;
}

export interface WebhookAttempt {
  attempt: number;
  started_at: string;
  duration_ms: number;
  status_code: number | null;
  response_body: string | null;
  error: string | null;
  outcome: string;
}

export interface OrderRow {
  id: string;
  order_code: string;
  external_order_id: string;
  vendor_id: string;
  status: string;
  transport_type: string;
  order_type: string;
  is_test: boolean;
  customer_name: string;
  items: number;
  currency: string;
  order_total: number;
  created_at: string;
  updated_at: string;
}

/** Query string of the defined, non-empty values. */
export function qs(params: Record<string, string | number | undefined | null>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : '';
}
