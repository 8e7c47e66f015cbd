import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { createLogger } from '../platform/logger.js';
import { ROLES } from '../platform/roles.js';
import { bearer, operatorKey, seedChain, type ChainFixture } from '../test-support/fixtures.js';
import { placeOrderVia, seedCatalog } from '../test-support/order-fixtures.js';
import { createTestContext, type TestContext } from '../test-support/test-db.js';
import { createToken, revokeToken } from '../tokens/tokens.service.js';
import { hotGetStats } from './get-order.hot.js';

/**
 * The hot GET (get-order.hot.ts) against the generic route it stands in front of: two apps on one
 * context, both listening, one built without the hot path. Every request goes to both over real HTTP;
 * the answers must be the same bytes with the same headers (the request id and the date aside), and
 * the hot app's counters say which answers the fast path gave itself.
 */
interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

async function fetchAnswer(url: string, headers: Record<string, string>, method = 'GET', body?: string): Promise<Answer> {
  const res = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(10_000) });
  const out: Record<string, string> = {};
  res.headers.forEach((v, k) => (out[k] = v));
  return { status: res.status, headers: out, body: await res.text() };
}

/**
 * The headers that must be equal: all but the request id and the date; RateLimit-Reset is checked
 * within a second (two windows opened ms apart) and, where the two apps' counters saw different
 * numbers of requests, RateLimit-Remaining is left out (`counted: false`).
 */
function comparable(a: Answer, counted = true): Answer {
  const { date: _date, 'x-request-id': _id, 'ratelimit-reset': _reset, ...headers } = a.headers;
  if (!counted) delete headers['ratelimit-remaining'];
  return { ...a, headers };
}

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address() as { port: number };
  return `http://127.0.0.1:${address.port}`;
}

describe('GET order: the hot path answers exactly what the generic route answers', () => {
  let t: TestContext;
  let generic: FastifyInstance;
  let hot: FastifyInstance;
  let genericUrl: string;
  let hotUrl: string;
  let a: ChainFixture;
  let b: ChainFixture;
  let op: string;

  beforeAll(async () => {
    t = await createTestContext();
    generic = await buildApp(t.ctx, ROLES, { hotGetOrder: false });
    hot = await buildApp(t.ctx);
    genericUrl = await listen(generic);
    hotUrl = await listen(hot);
    a = await seedChain(t.ctx, 'Hot A');
    b = await seedChain(t.ctx, 'Hot B');
    op = await operatorKey(t.ctx);
    await seedCatalog(t.ctx, [a.direct, a.test, b.direct]);
  });
  afterAll(async () => {
    await hot.close();
    await generic.close();
    await t.close();
  });

  const served = () => hotGetStats(hot)!.served;
  const order = (fx: ChainFixture, vendor = fx.direct) => placeOrderVia(hot, op, vendor, [{ sku: 'LECHE-1L', quantity: 2 }, { sku: 'QUESO-TYBO', weight: 0.5 }]);

  /** The same request to both apps (generic first, so the caches it fills are there for both); answers both. */
  async function both(path: string, headers: Record<string, string>): Promise<{ before: Answer; after: Answer }> {
    const before = await fetchAnswer(genericUrl + path, headers);
    const after = await fetchAnswer(hotUrl + path, headers);
    // Some tests send the hot app more requests (a PUT, a metric check): its counters run ahead.
    expect(comparable(after, false)).toEqual(comparable(before, false));
    expect(after.headers['ratelimit-remaining'] === undefined).toBe(before.headers['ratelimit-remaining'] === undefined);
    expect(after.headers['x-request-id']).toBeTruthy();
    if (before.headers['ratelimit-reset'] !== undefined) expect(Math.abs(Number(after.headers['ratelimit-reset']) - Number(before.headers['ratelimit-reset']))).toBeLessThanOrEqual(1);
    else expect(after.headers['ratelimit-reset']).toBeUndefined();
    return { before, after };
  }

  it('a normal order: the same snapshot bytes and headers, served by the hot path', async () => {
    const o = await order(a);
    const path = `/v2/chains/${a.chain.id}/orders/${o.order_id}`;
    await both(path, bearer(a.token)); // fills the credential and vendor caches
    const count = served();
    const { after } = await both(path, bearer(a.token));
    expect(served()).toBe(count + 1);
    expect(after.status).toBe(200);
    expect(after.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(after.body).order_id).toBe(o.order_id);
    // The rate limit counted it like the plugin does.
    expect(after.headers['ratelimit-limit']).toBe(String(t.ctx.config.rateLimitMax));
    // The token's chain without the chain in the path (the documented variant), and a client's request id.
    const variant = await both(`/v2/orders/${o.order_id}`, { ...bearer(a.token), 'x-request-id': 'partner-req.42' });
    expect(served()).toBe(count + 2);
    expect(variant.after.body).toBe(after.body);
    expect(variant.after.headers['x-request-id']).toBe('partner-req.42');
    expect(variant.before.headers['x-request-id']).toBe('partner-req.42');
  });

  it('observes the request duration metric with the route and status', async () => {
    const o = await order(a);
    const path = `/v2/chains/${a.chain.id}/orders/${o.order_id}`;
    await both(path, bearer(a.token));
    const count = async () => {
      const m = (await t.ctx.metrics.httpDuration.get()).values.find((v) => v.metricName === 'comanda_http_request_duration_seconds_count' && v.labels.route === '/v2/chains/:chain_id/orders/:order_id' && v.labels.status === '200');
      return m?.value ?? 0;
    };
    const before = await count();
    const servedBefore = served();
    await fetchAnswer(hotUrl + path, bearer(a.token));
    expect(served()).toBe(servedBefore + 1);
    expect(await count()).toBe(before + 1);
  });

  it('a missing order: the same 404 ORDER_NOT_FOUND (from the generic route)', async () => {
    const count = served();
    const { after } = await both(`/v2/chains/${a.chain.id}/orders/no-such-order`, bearer(a.token));
    expect(after.status).toBe(404);
    expect(JSON.parse(after.body).error.code).toBe('ORDER_NOT_FOUND');
    expect(served()).toBe(count);
  });

  it("another chain's ids: the same 404s", async () => {
    const theirs = await order(b);
    await both(`/v2/chains/${b.chain.id}/orders/${theirs.order_id}`, bearer(b.token));
    const count = served();
    const chain = await both(`/v2/chains/${b.chain.id}/orders/${theirs.order_id}`, bearer(a.token));
    expect(chain.after.status).toBe(404);
    expect(JSON.parse(chain.after.body).error.code).toBe('CHAIN_NOT_FOUND');
    const viaOwnChain = await both(`/v2/chains/${a.chain.id}/orders/${theirs.order_id}`, bearer(a.token));
    expect(JSON.parse(viaOwnChain.after.body).error.code).toBe('ORDER_NOT_FOUND');
    const viaToken = await both(`/v2/orders/${theirs.order_id}`, bearer(a.token));
    expect(JSON.parse(viaToken.after.body).error.code).toBe('ORDER_NOT_FOUND');
    expect(served()).toBe(count);
  });

  it('a revoked token: the same 401 INVALID_TOKEN with its WWW-Authenticate, although it was cached', async () => {
    const o = await order(a);
    const { token, secret } = await createToken(t.ctx, a.chain.id, { name: 'To revoke' }, 'test');
    const path = `/v2/chains/${a.chain.id}/orders/${o.order_id}`;
    await both(path, bearer(secret));
    const count = served();
    expect((await both(path, bearer(secret))).after.status).toBe(200);
    expect(served()).toBe(count + 1);
    await revokeToken(t.ctx, a.chain.id, token.id, 'test');
    const { after } = await both(path, bearer(secret));
    expect(after.status).toBe(401);
    expect(JSON.parse(after.body).error.code).toBe('INVALID_TOKEN');
    expect(after.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    expect(served()).toBe(count + 1);
    // No token at all, and a malformed one.
    expect((await both(path, {})).after.status).toBe(401);
    expect((await both(path, bearer('cmd_live_nope'))).after.status).toBe(401);
  });

  it('a sandbox token: a non-test store’s order is the same 404; a test store’s is served', async () => {
    const { secret } = await createToken(t.ctx, a.chain.id, { name: 'Sandbox', environment: 'test' }, 'test');
    const live = await order(a);
    const sandbox = await order(a, a.test);
    await both(`/v2/chains/${a.chain.id}/orders/${sandbox.order_id}`, bearer(secret));
    const count = served();
    const refused = await both(`/v2/chains/${a.chain.id}/orders/${live.order_id}`, bearer(secret));
    expect(refused.after.status).toBe(404);
    expect(JSON.parse(refused.after.body).error.code).toBe('ORDER_NOT_FOUND');
    expect(served()).toBe(count);
    expect((await both(`/v2/chains/${a.chain.id}/orders/${sandbox.order_id}`, bearer(secret))).after.status).toBe(200);
    expect(served()).toBe(count + 1);
  });

  it('unknown query parameters: the same 200 with Comanda-Ignored-Fields (from the generic route)', async () => {
    const o = await order(a);
    const path = `/v2/chains/${a.chain.id}/orders/${o.order_id}`;
    await both(path, bearer(a.token));
    const count = served();
    const { after } = await both(`${path}?expand=items&page=`, bearer(a.token));
    expect(after.status).toBe(200);
    expect(after.headers['comanda-ignored-fields']).toBe('query.expand, query.page');
    expect(served()).toBe(count);
    // Percent-encoded ids and a trailing slash: the generic route's answers too.
    expect((await both(`${path}/`, bearer(a.token))).after.status).toBe(200);
    expect((await both(`/v2/chains/${a.chain.id}/orders/%00x`, bearer(a.token))).after.status).toBe(400);
    expect(served()).toBe(count);
  });

  it('reads every committed write: a GET right after a PUT’s 200 shows the PUT', async () => {
    const o = await order(a);
    const path = `/v2/chains/${a.chain.id}/orders/${o.order_id}`;
    await both(path, bearer(a.token));
    const count = served();
    const put = await fetchAnswer(hotUrl + path, { ...bearer(a.token), 'content-type': 'application/json' }, 'PUT', JSON.stringify({ order_id: o.order_id, status: 'READY_FOR_PICKUP' }));
    expect(put.status).toBe(200);
    const got = await fetchAnswer(hotUrl + path, bearer(a.token));
    expect(served()).toBe(count + 1);
    expect(JSON.parse(got.body).status).toBe('READY_FOR_PICKUP');
    expect(got.body).toBe(put.body);
  });

  it('never shows the writes of a transaction that is still open', async () => {
    const o = await order(a);
    const path = `/v2/chains/${a.chain.id}/orders/${o.order_id}`;
    const committed = (await both(path, bearer(a.token))).after.body;
    const count = served();
    let inside: Answer | undefined;
    await t.ctx.db
      .transaction()
      .execute(async (trx) => {
        await trx.updateTable('orders').set({ snapshot: '{"uncommitted":true}' }).where('id', '=', o.order_id).execute();
        inside = await fetchAnswer(hotUrl + path, bearer(a.token));
        throw new Error('roll back');
      })
      .catch((err: Error) => expect(err.message).toBe('roll back'));
    expect(served()).toBe(count + 1);
    expect(inside!.status).toBe(200);
    expect(inside!.body).toBe(committed);
  });
});

describe('GET order: the hot path keeps the per-token rate limit', () => {
  let t: TestContext;
  let generic: FastifyInstance;
  let hot: FastifyInstance;
  let genericUrl: string;
  let hotUrl: string;
  let a: ChainFixture;

  beforeAll(async () => {
    t = await createTestContext({ config: { rateLimitMax: 3, rateLimitWindowSeconds: 60 } });
    generic = await buildApp(t.ctx, ROLES, { hotGetOrder: false });
    hot = await buildApp(t.ctx);
    genericUrl = await listen(generic);
    hotUrl = await listen(hot);
    a = await seedChain(t.ctx, 'Hot limited');
    await seedCatalog(t.ctx, [a.direct]);
  });
  afterAll(async () => {
    await hot.close();
    await generic.close();
    await t.close();
  });

  it('counts served requests and answers the same 429 once the budget is spent', async () => {
    const o = await placeOrderVia(hot, await operatorKey(t.ctx), a.direct, [{ sku: 'LECHE-1L', quantity: 1 }]);
    const path = `/v2/chains/${a.chain.id}/orders/${o.order_id}`;
    const answers: Array<{ before: Answer; after: Answer }> = [];
    for (let i = 0; i < 4; i++) {
      const before = await fetchAnswer(genericUrl + path, bearer(a.token));
      const after = await fetchAnswer(hotUrl + path, bearer(a.token));
      expect(comparable(after)).toEqual(comparable(before));
      answers.push({ before, after });
    }
    expect(answers.map((x) => x.after.status)).toEqual([200, 200, 200, 429]);
    expect(answers.map((x) => x.after.headers['ratelimit-remaining'])).toEqual(['2', '1', '0', '0']);
    expect(answers[3]!.after.headers['retry-after']).toBeTruthy();
    expect(JSON.parse(answers[3]!.after.body).error.code).toBe('TOO_MANY_REQUESTS');
    // The generic app's first answer filled the shared caches: the hot app served its three 200s itself.
    expect(hotGetStats(hot)!.served).toBe(3);
  });
});

describe('GET order at LOG_LEVEL=info: the hot path writes the request lines Fastify writes', () => {
  const lines: Array<Record<string, any>> = [];
  let t: TestContext;
  let generic: FastifyInstance;
  let hot: FastifyInstance;
  let genericUrl: string;
  let hotUrl: string;
  let a: ChainFixture;

  beforeAll(async () => {
    const log = createLogger({ logLevel: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    t = await createTestContext({ log, config: { rateLimitMax: 0 } });
    generic = await buildApp(t.ctx, ROLES, { hotGetOrder: false });
    hot = await buildApp(t.ctx);
    genericUrl = await listen(generic);
    hotUrl = await listen(hot);
    a = await seedChain(t.ctx, 'Hot logged');
    await seedCatalog(t.ctx, [a.direct]);
  });
  afterAll(async () => {
    await hot.close();
    await generic.close();
    await t.close();
  });

  /** A request's log lines without what differs between two requests and two apps (time, id, duration, ports). */
  const linesOf = (reqId: string) =>
    lines
      .filter((l) => l.reqId === reqId)
      .map(({ time: _time, reqId: _id, responseTime, req, ...rest }): Record<string, any> => ({ ...rest, ...(req ? { req: { ...req, host: String(req.host).replace(/:\d+$/, ':port'), remotePort: typeof req.remotePort } } : {}), responseTime: typeof responseTime }));

  it('the same "incoming request" and "request completed" lines', async () => {
    const o = await placeOrderVia(hot, await operatorKey(t.ctx), a.direct, [{ sku: 'LECHE-1L', quantity: 1 }]);
    const path = `/v2/chains/${a.chain.id}/orders/${o.order_id}`;
    await fetchAnswer(genericUrl + path, bearer(a.token));
    const count = hotGetStats(hot)!.served;
    const before = await fetchAnswer(genericUrl + path, { ...bearer(a.token), 'x-request-id': 'logged-generic' });
    const after = await fetchAnswer(hotUrl + path, { ...bearer(a.token), 'x-request-id': 'logged-hot' });
    expect(hotGetStats(hot)!.served).toBe(count + 1);
    expect(comparable(after)).toEqual(comparable(before));
    const expected = linesOf('logged-generic');
    expect(expected.map((l) => l.msg)).toEqual(['incoming request', 'request completed']);
    expect(linesOf('logged-hot')).toEqual(expected);
  });
});
