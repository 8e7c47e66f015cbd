import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOauthClient } from '../../../src/oauth/oauth.service.js';
import { ComandaApiError, ComandaAuthError, createPartnerClient, OAuthClientCredentials, retryAfterMs, unwrap } from '../src/index.js';
import { startSdkEnv, type SdkEnv } from './support.js';

describe('partner SDK client against a real Comanda server', () => {
  let env: SdkEnv;
  beforeAll(async () => {
    env = await startSdkEnv();
  });
  afterAll(async () => env?.close());

  it('reads typed data with an API token and turns refusals into ComandaApiError with the stable code', async () => {
    const client = createPartnerClient({ baseUrl: env.url, auth: { token: env.demo.token } });
    const { data, response } = await client.GET('/v2/chains/{chain_id}/vendors', { params: { path: { chain_id: env.demo.chain_id } } });
    expect(response.status).toBe(200);
    const codes = data!.vendors.map((v) => v.external_id).sort();
    expect(codes).toEqual(['BEL-002', 'PAL-001', 'TEST-900']);

    const missing = await client.GET('/v2/chains/{chain_id}/orders/{order_id}', { params: { path: { chain_id: env.demo.chain_id, order_id: '00000000-0000-4000-8000-000000000000' } } });
    const err = (() => {
      try {
        unwrap(missing);
      } catch (e) {
        return e;
      }
    })() as ComandaApiError;
    expect(err).toBeInstanceOf(ComandaApiError);
    expect(err.status).toBe(404);
    expect(err.code).toBe('ORDER_NOT_FOUND');
    expect(err.requestId).toBeTruthy();
  });

  it('places nothing itself but picks an order the platform placed: GET, PUT READY_FOR_PICKUP, typed answer', async () => {
    const placed = await env.operator('POST', '/platform/v1/test-orders', { vendor_id: 'TEST-900', chain_id: env.demo.chain_id });
    expect(placed.status).toBe(201);
    const client = createPartnerClient({ baseUrl: env.url, auth: { token: env.demo.token } });
    const path = { chain_id: env.demo.chain_id, order_id: placed.body.order_id as string };
    const order = unwrap(await client.GET('/v2/chains/{chain_id}/orders/{order_id}', { params: { path } }));
    expect(order.status).toBe('RECEIVED');
    const done = unwrap(await client.PUT('/v2/chains/{chain_id}/orders/{order_id}', { params: { path }, body: { status: 'READY_FOR_PICKUP' } }));
    expect(done.status).toBe('READY_FOR_PICKUP');
    expect(done.items.every((i) => i.status === 'IN_CART')).toBe(true);
  });

  it('OAuth client credentials: one token for many calls, a new one shortly before expiry, both accepted', async () => {
    const { client: oauth, client_secret } = await createOauthClient(env.t.ctx, env.demo.chain_id, 'SDK test', 'test');
    let now = Date.now();
    const tokens = new OAuthClientCredentials({ baseUrl: env.url, clientId: oauth.client_id, clientSecret: client_secret, now: () => now });
    const client = createPartnerClient({ baseUrl: env.url, auth: tokens });
    for (let i = 0; i < 3; i++) expect((await client.GET('/v2/chains/{chain_id}/vendors', { params: { path: { chain_id: env.demo.chain_id } } })).response.status).toBe(200);
    expect(tokens.fetched).toBe(1);
    const first = await tokens.token();
    // 7200 s tokens are renewed 5 minutes before they expire.
    now += (7200 - 299) * 1000;
    expect((await client.GET('/v2/chains/{chain_id}/vendors', { params: { path: { chain_id: env.demo.chain_id } } })).response.status).toBe(200);
    expect(tokens.fetched).toBe(2);
    expect(await tokens.token()).not.toBe(first);

    // HTTP Basic client authentication works the same.
    const basic = new OAuthClientCredentials({ baseUrl: env.url, clientId: oauth.client_id, clientSecret: client_secret, basicAuth: true });
    expect(await basic.token()).toMatch(/^cmd_at_/);
    const wrong = new OAuthClientCredentials({ baseUrl: env.url, clientId: oauth.client_id, clientSecret: `${client_secret}x` });
    await expect(wrong.token()).rejects.toBeInstanceOf(ComandaAuthError);
    await expect(wrong.token()).rejects.toMatchObject({ status: 401, error: 'invalid_client' });
  });

  it('a 401 with renewable credentials fetches a new token once and repeats the call', async () => {
    const { client: oauth, client_secret } = await createOauthClient(env.t.ctx, env.demo.chain_id, 'SDK 401 test', 'test');
    const real = new OAuthClientCredentials({ baseUrl: env.url, clientId: oauth.client_id, clientSecret: client_secret });
    let stale = true;
    const provider = {
      renewable: true,
      token: async () => (stale ? 'cmd_at_stale' : real.token()),
      invalidate: () => {
        stale = false;
      },
    };
    const client = createPartnerClient({ baseUrl: env.url, auth: provider });
    const res = await client.GET('/v2/chains/{chain_id}/vendors', { params: { path: { chain_id: env.demo.chain_id } } });
    expect(res.response.status).toBe(200);
    expect(stale).toBe(false);
  });
});

describe('partner SDK retries', () => {
  let env: SdkEnv;
  beforeAll(async () => {
    env = await startSdkEnv({ rateLimitMax: 2, rateLimitWindowSeconds: 1 });
  });
  afterAll(async () => env?.close());

  it('429 from the real rate limit: waits Retry-After and succeeds; without retries the 429 comes back', async () => {
    const statuses: number[] = [];
    const counting: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      statuses.push(res.status);
      return res;
    };
    const noRetry = createPartnerClient({ baseUrl: env.url, auth: { token: env.demo.token }, retry: false, fetch: counting });
    const path = { chain_id: env.demo.chain_id };
    const seen: number[] = [];
    for (let i = 0; i < 3; i++) seen.push((await noRetry.GET('/v2/chains/{chain_id}/vendors', { params: { path } })).response.status);
    expect(seen).toContain(429);

    statuses.length = 0;
    const client = createPartnerClient({ baseUrl: env.url, auth: { token: env.demo.token }, fetch: counting });
    const started = Date.now();
    const last = await client.GET('/v2/chains/{chain_id}/vendors', { params: { path } });
    expect(last.response.status).toBe(200);
    expect(statuses[0]).toBe(429);
    expect(statuses.at(-1)).toBe(200);
    // Retry-After is whole seconds: the retry waited for the window to pass.
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
  });
});

describe('retry policy details', () => {
  it('503 with Retry-After is retried (body sent again), a wait above maxDelayMs is not', async () => {
    const bodies: string[] = [];
    let answers = [503, 503, 200];
    let retryAfter = '0';
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        bodies.push(`${req.headers.authorization} ${body}`);
        const status = answers.shift() ?? 200;
        res.writeHead(status, { 'content-type': 'application/json', 'retry-after': retryAfter }).end(status === 200 ? '{"vendors":[]}' : '{"error":{"code":"SERVICE_UNAVAILABLE","message":"down"}}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const client = createPartnerClient({ baseUrl: url, auth: { token: 'cmd_live_x' } });
      const res = await client.PUT('/v2/chains/{chain_id}/vendors/{vendor_id}/catalog', { params: { path: { chain_id: 'c', vendor_id: 'v' } }, body: { products: [{ sku: 'LAC-0001', price: 1300 }] } });
      expect(res.response.status).toBe(200);
      expect(bodies).toHaveLength(3);
      expect(new Set(bodies)).toEqual(new Set(['Bearer cmd_live_x {"products":[{"sku":"LAC-0001","price":1300}]}']));

      bodies.length = 0;
      answers = [503, 200];
      retryAfter = '120';
      const impatient = createPartnerClient({ baseUrl: url, auth: { token: 'cmd_live_x' }, retry: { maxDelayMs: 1000 } });
      const refused = await impatient.GET('/v2/chains/{chain_id}/vendors', { params: { path: { chain_id: 'c' } } });
      expect(refused.response.status).toBe(503);
      expect(bodies).toHaveLength(1);
    } finally {
      server.close();
    }
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });
});
