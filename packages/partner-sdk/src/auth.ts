import { ComandaAuthError } from './errors.js';
import { resolveRetry, retryDelay, sleep, type RetryOptions } from './retry.js';

/** Where the client gets the bearer token it sends. */
export interface TokenProvider {
  /** A token valid now. */
  token(): Promise<string>;
  /** The server refused the last token (401): forget it so the next call fetches a new one. */
  invalidate(): void;
  /** True when invalidate() can help (a fresh token can be fetched); false for a fixed API token. */
  readonly renewable: boolean;
}

/** An API token from the Partner Portal (`cmd_live_…` / `cmd_test_…`): sent as it is. */
export function apiToken(token: string): TokenProvider {
  if (!token) throw new TypeError('apiToken: the token is empty');
  return { token: async () => token, invalidate: () => {}, renewable: false };
}

export interface ClientCredentials {
  /** The OAuth client's client_id (Shops Integrations → OAuth clients). */
  clientId: string;
  clientSecret: string;
  /** Base URL of the Comanda server; the token endpoint is `${baseUrl}/v2/oauth/token`. */
  baseUrl: string;
  /** Fetch a new token this many seconds before the current one expires (default: 5 min, at most a tenth of its lifetime). */
  refreshMarginSeconds?: number;
  /** Send the credentials with HTTP Basic instead of in the form body (both are accepted). */
  basicAuth?: boolean;
  retry?: RetryOptions | false;
  fetch?: typeof fetch;
  /** For tests: the time now in ms. */
  now?: () => number;
}

interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
}

/**
 * OAuth 2.0 client credentials (`POST /v2/oauth/token`): fetches an access token, caches it, and
 * fetches the next one shortly before it expires. Concurrent callers share one request.
 */
export class OAuthClientCredentials implements TokenProvider {
  readonly renewable = true;
  private current: { token: string; refreshAt: number; expiresAt: number } | undefined;
  private pending: Promise<string> | undefined;
  private readonly now: () => number;
  private readonly doFetch: typeof fetch;
  /** How many tokens were fetched (for logs and tests). */
  fetched = 0;

  constructor(private readonly options: ClientCredentials) {
    if (!options.clientId || !options.clientSecret) throw new TypeError('OAuthClientCredentials: clientId and clientSecret are required');
    this.now = options.now ?? Date.now;
    this.doFetch = options.fetch ?? globalThis.fetch;
  }

  async token(): Promise<string> {
    const c = this.current;
    if (c && this.now() < c.refreshAt) return c.token;
    // Past the refresh point but still valid: a failed refresh keeps using it until it expires.
    this.pending ??= this.fetchToken().finally(() => (this.pending = undefined));
    if (c && this.now() < c.expiresAt) return this.pending.catch(() => c.token);
    return this.pending;
  }

  invalidate(): void {
    this.current = undefined;
  }

  private async fetchToken(): Promise<string> {
    const o = this.options;
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    if (o.basicAuth) {
      // RFC 6749 §2.3.1: each part is form-encoded before the Basic encoding.
      const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
      headers.authorization = `Basic ${Buffer.from(`${enc(o.clientId)}:${enc(o.clientSecret)}`).toString('base64')}`;
    } else {
      form.set('client_id', o.clientId);
      form.set('client_secret', o.clientSecret);
    }
    const url = `${o.baseUrl.replace(/\/+$/, '')}/v2/oauth/token`;
    const policy = resolveRetry(o.retry);
    for (let retry = 0; ; retry++) {
      const started = this.now();
      const res = await this.doFetch(url, { method: 'POST', headers, body: form.toString() });
      const wait = retryDelay(res, retry, policy);
      if (wait !== undefined) {
        await res.body?.cancel();
        await sleep(wait);
        continue;
      }
      const text = await res.text();
      let body: Partial<TokenResponse> & { error?: string; error_description?: string } = {};
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        // not JSON: reported below
      }
      if (!res.ok || typeof body.access_token !== 'string') {
        throw new ComandaAuthError(res.status, body.error ?? 'invalid_response', body.error_description ?? text.slice(0, 200));
      }
      const lifetimeMs = Math.max(1, Number(body.expires_in ?? 0)) * 1000;
      const marginMs = Math.min((o.refreshMarginSeconds ?? 300) * 1000, lifetimeMs / 10);
      // Measured from when the request started: the server's clock started no earlier.
      this.current = { token: body.access_token, expiresAt: started + lifetimeMs, refreshAt: started + lifetimeMs - marginMs };
      this.fetched++;
      return body.access_token;
    }
  }
}
