import { spawn } from 'node:child_process';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { operatorKey, portalLogin, seedChain, type ChainFixture, type PortalLogin } from '../test-support/fixtures.js';
import { placeOrderVia, seedCatalog } from '../test-support/order-fixtures.js';
import { createTestContext, testDialect, type TestContext } from '../test-support/test-db.js';
import { percentile, startOfLocalDay } from './dashboard.service.js';

/** An open event stream: the event names seen so far. */
async function openStream(url: string, cookie: string) {
  const ac = new AbortController();
  const res = await fetch(url, { headers: { cookie }, signal: ac.signal });
  const events: string[] = [];
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buf += decoder.decode(value, { stream: true });
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const name = /^event: (.+)$/m.exec(block)?.[1];
          if (name) events.push(name);
        }
      }
    } catch {
      /* aborted */
    }
  })();
  const waitFor = async (name: string, ms = 1000) => {
    const t0 = Date.now();
    while (!events.includes(name)) {
      if (Date.now() - t0 > ms) throw new Error(`no "${name}" event within ${ms} ms (saw ${events.join(', ') || 'nothing'})`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return Date.now() - t0;
  };
  return { res, events, waitFor, close: () => ac.abort() };
}

describe('portal dashboard and live stream', () => {
  let t: TestContext;
  let app: FastifyInstance;
  let a: ChainFixture;
  let b: ChainFixture;
  let staff: PortalLogin;
  let otherAdmin: PortalLogin;
  let op: string;
  let base: string;

  beforeAll(async () => {
    t = await createTestContext();
    app = await buildApp(t.ctx);
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    a = await seedChain(t.ctx, 'Dash A');
    b = await seedChain(t.ctx, 'Dash B');
    await seedCatalog(t.ctx, [a.direct, a.test]);
    op = await operatorKey(t.ctx);
    staff = await portalLogin(app, a.staff.email, a.staff.password);
    otherAdmin = await portalLogin(app, b.admin.email, b.admin.password);
  });
  afterAll(async () => {
    await app.close();
    await t.close();
  });

  const get = (path: string, login = staff) => app.inject({ method: 'GET', url: `/portal/api/chains/${a.chain.id}${path}`, headers: { cookie: login.cookie } });

  it('percentiles and local midnight', () => {
    expect(percentile([], 50)).toBeNull();
    const hist = [{ v: 10, n: 5 }, { v: 20, n: 4 }, { v: 300, n: 1 }];
    expect(percentile(hist, 50)).toBe(10);
    expect(percentile(hist, 90)).toBe(20);
    expect(percentile(hist, 99)).toBe(300);
    expect(startOfLocalDay(new Date('2026-03-10T02:30:00Z'), 'America/Argentina/Buenos_Aires')).toBe('2026-03-09T03:00:00.000Z');
    expect(startOfLocalDay(new Date('2026-03-10T12:00:00Z'), 'UTC')).toBe('2026-03-10T00:00:00.000Z');
  });

  it('counts orders, sales, cancellations, not-found and ready times for the chain and per store', async () => {
    const empty = (await get('/dashboard')).json();
    expect(empty.totals).toMatchObject({ orders: 0, sales: 0, cancellation_rate: null, ready_p50_s: null });
    const one = await placeOrderVia(app, op, a.direct, [{ sku: 'LECHE-1L', quantity: 2 }, { sku: 'PAN-LACTAL', quantity: 1 }]);
    const two = await placeOrderVia(app, op, a.direct, [{ sku: 'LECHE-1L', quantity: 1 }]);
    await placeOrderVia(app, op, a.test, [{ sku: 'LECHE-1L', quantity: 1 }]);
    const [leche, pan] = one.items;
    const put = await app.inject({
      method: 'PUT',
      url: `/v2/chains/${a.chain.id}/orders/${one.order_id}`,
      headers: { authorization: `Bearer ${a.token}` },
      payload: { order_id: one.order_id, status: 'READY_FOR_PICKUP', items: [{ _id: leche._id, status: 'IN_CART', pricing: { quantity: 2 } }, { _id: pan._id, status: 'NOT_FOUND' }] },
    });
    expect(put.statusCode, put.body).toBe(200);
    const cancel = await app.inject({ method: 'PUT', url: `/v2/chains/${a.chain.id}/orders/${two.order_id}`, headers: { authorization: `Bearer ${a.token}` }, payload: { order_id: two.order_id, status: 'CANCELLED', cancellation: { reason: 'TOO_BUSY' } } });
    expect(cancel.statusCode, cancel.body).toBe(200);

    for (const range of ['today', '7d', '30d']) {
      const d = (await get(`/dashboard?range=${range}`)).json();
      expect(d.totals).toMatchObject({ orders: 3, cancelled: 1, not_found: 1, ready_count: 1 });
      expect(d.totals.cancellation_rate).toBeCloseTo(1 / 3);
      expect(d.totals.not_found_rate).toBeCloseTo(1 / 3);
      expect(d.totals.ready_p50_s).toBeGreaterThanOrEqual(0);
      expect(d.totals.sales).toBeGreaterThan(0);
      expect(d.stores.find((s: { vendor_id: string }) => s.vendor_id === a.direct.id)).toMatchObject({ orders: 2, cancelled: 1, not_found: 1 });
      expect(d.per_hour.reduce((n: number, h: { orders: number }) => n + h.orders, 0)).toBe(3);
    }
    const store = (await get(`/dashboard?range=7d&vendor_id=${a.test.id}`)).json();
    expect(store.totals).toMatchObject({ orders: 1, cancelled: 0, not_found: 0, ready_count: 0 });
    expect(store.vendor_id).toBe(a.test.id);
  });

  it('is strict and keeps chains apart', async () => {
    const bad = await get('/dashboard?range=week');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('range');
    expect((await get('/dashboard?extra=1')).statusCode).toBe(400);
    const foreign = await get(`/dashboard?vendor_id=${b.direct.id}`);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.body).toContain('VENDOR_NOT_FOUND');
    expect((await get('/dashboard', otherAdmin)).statusCode).toBe(404);
    expect((await get('/alerts', otherAdmin)).statusCode).toBe(404);
    expect((await get('/alerts')).json()).toEqual({ endpoints: [] });
    const anon = await fetch(`${base}/portal/api/chains/${a.chain.id}/live`);
    expect(anon.status).toBe(401);
  });

  it('streams orders and new_order within a second of an order placed in this process', async () => {
    const s = await openStream(`${base}/portal/api/chains/${a.chain.id}/live`, staff.cookie);
    try {
      expect(s.res.headers.get('content-type')).toContain('text/event-stream');
      await s.waitFor('ready');
      const other = await openStream(`${base}/portal/api/chains/${b.chain.id}/live`, otherAdmin.cookie);
      await other.waitFor('ready');
      await placeOrderVia(app, op, a.direct, [{ sku: 'LECHE-1L', quantity: 1 }]);
      expect(await s.waitFor('new_order')).toBeLessThan(1000);
      await s.waitFor('orders');
      await new Promise((r) => setTimeout(r, 400));
      expect(other.events).toEqual(['ready']);
      other.close();
    } finally {
      s.close();
    }
  });

  it.runIf(testDialect() === 'postgres')('hears an order change committed by another process (LISTEN/NOTIFY)', async () => {
    const s = await openStream(`${base}/portal/api/chains/${a.chain.id}/live`, staff.cookie);
    try {
      await s.waitFor('ready');
      const order = await placeOrderVia(app, op, a.test, [{ sku: 'LECHE-1L', quantity: 1 }]);
      await s.waitFor('orders');
      s.events.length = 0;
      // A separate Node process with its own connection commits a change to the order.
      const script = `import pg from 'pg'; const c = new pg.Client({ connectionString: process.env.URL }); await c.connect();
        await c.query("update orders set comment = 'changed elsewhere', updated_at = now() where id = $1", [process.env.ORDER]); await c.end();`;
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, URL: t.db.config.databaseUrl!, ORDER: order.order_id }, stdio: 'inherit' });
      const code = await new Promise<number | null>((r) => child.on('exit', r));
      expect(code).toBe(0);
      expect(await s.waitFor('orders')).toBeLessThan(1000);
      expect(s.events).not.toContain('new_order');
    } finally {
      s.close();
    }
  });
});
