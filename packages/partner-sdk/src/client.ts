import createClient, { type Client } from 'openapi-fetch';
import { apiToken, OAuthClientCredentials, type TokenProvider } from './auth.js';
import type { paths } from './generated/partner-api.js';
import { resolveRetry, retryDelay, sleep, type RetryOptions } from './retry.js';

export interface PartnerClientOptions {
  /** The Comanda server, e.g. `https://comanda.example` (paths in calls start with `/v2`). */
  baseUrl: string;
  /** An API token (`cmd_live_…`), OAuth client credentials, or your own TokenProvider. */
  auth: { token: string } | { clientId: string; clientSecret: string; refreshMarginSeconds?: number; basicAuth?: boolean } | TokenProvider;
  /** Retries of 429 and 503 answers, honouring Retry-After (default: 3 retries, no single wait above 30 s). */
  retry?: RetryOptions | false;
  /** A fetch implementation (default: the global one). */
  fetch?: typeof fetch;
  /** Sent as User-Agent (default `comanda-partner-sdk`). */
  userAgent?: string;
}

export type PartnerClient = Client<paths> & {
  /** The token source this client uses (e.g. to read `fetched` or to share it). */
  readonly tokens: TokenProvider;
};

function tokenProvider(options: PartnerClientOptions): TokenProvider {
  const a = options.auth;
  if ('token' in a && typeof a.token === 'string') return apiToken(a.token);
  if ('clientId' in a) {
    return new OAuthClientCredentials({ ...a, baseUrl: options.baseUrl, retry: options.retry, ...(options.fetch ? { fetch: options.fetch } : {}) });
  }
  return a as TokenProvider;
}

/**
 * A fetch that adds the bearer token, retries 429/503 (Retry-After, bounded) and, with renewable
 * credentials, fetches a new token once when the server answers 401.
 */
export function authorizedFetch(tokens: TokenProvider, options: Pick<PartnerClientOptions, 'retry' | 'fetch' | 'userAgent'> = {}): (request: Request) => Promise<Response> {
  const policy = resolveRetry(options.retry);
  const base = options.fetch ?? globalThis.fetch;
  const userAgent = options.userAgent ?? 'comanda-partner-sdk';
  return async (request: Request) => {
    // The body is read once so every attempt can send it again.
    const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer();
    let renewed = false;
    for (let retry = 0; ; ) {
      const headers = new Headers(request.headers);
      headers.set('authorization', `Bearer ${await tokens.token()}`);
      if (!headers.has('user-agent')) headers.set('user-agent', userAgent);
      const init: RequestInit = { method: request.method, headers, signal: request.signal, redirect: request.redirect };
      if (body !== undefined && body.byteLength > 0) init.body = body;
      const res = await base(request.url, init);
      if (res.status === 401 && tokens.renewable && !renewed) {
        renewed = true;
        tokens.invalidate();
        await res.body?.cancel();
        continue;
      }
      const wait = retryDelay(res, retry, policy);
      if (wait === undefined) return res;
      await res.body?.cancel();
      await sleep(wait);
      retry++;
    }
  };
}

/**
 * The typed Partner API client: openapi-fetch over the generated types of `/openapi.json`.
 * `const { data, error } = await client.GET('/v2/chains/{chain_id}/orders/{order_id}', { params: { path: { chain_id, order_id } } })`.
 */
export function createPartnerClient(options: PartnerClientOptions): PartnerClient {
  const tokens = tokenProvider(options);
  const client = createClient<paths>({ baseUrl: options.baseUrl.replace(/\/+$/, ''), fetch: authorizedFetch(tokens, options) });
  return Object.assign(client, { tokens });
}
