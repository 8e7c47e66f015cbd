import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { operatorKey } from '../test-support/fixtures.js';
import { placeOrderVia, seedCatalog } from '../test-support/order-fixtures.js';
import { useTestApp } from '../test-support/test-app.js';
import { testDialect } from '../test-support/test-db.js';
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
  const fx = useTestApp({ chains: { a: 'Dash A', b: 'Dash B' }, logins: { staff: ['a', 'staff'], otherAdmin: ['b', 'admin'] } });
  let op: string;
  let base: string;

  beforeAll(async () => {
    base = await fx.app.listen({ port: 0, host: '127.0.0.1' });
    await seedCatalog(fx.ctx, [fx.a.direct, fx.a.test]);
    op = await operatorKey(fx.ctx);
  });

  const get = (path: string, login = fx.staff) => fx.app.inject({ method: 'GET', url: `/portal/api/chains/${fx.a.chain.id}${path}`, headers: { cookie: login.cookie } });

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
    const one = await placeOrderVia(fx.app, op, fx.a.direct, [{ sku: 'LECHE-1L', quantity: 2 }, { sku: 'PAN-LACTAL', quantity: 1 }]);
    const two = await placeOrderVia(fx.app, op, fx.a.direct, [{ sku: 'LECHE-1L', quantity: 1 }]);
    await placeOrderVia(fx.app, op, fx.a.test, [{ sku: 'LECHE-1L', quantity: 1 }]);
    const [leche, pan] = one.items;
    const put = await fx.app.inject({
      method: 'PUT',
      url: `/v2/chains/${fx.a.chain.id}/orders/${one.order_id}`,
      headers: { authorization: `Bearer ${fx.a.token}` },
      payload: { order_id: one.order_id, status: 'READY_FOR_PICKUP', items: [{ _id: leche._id, status: 'IN_CART', pricing: { quantity: 2 } }, { _id: pan._id, status: 'NOT_FOUND' }] },
    });
    expect(put.statusCode, put.body).toBe(200);
    const cancel = await fx.app.inject({ method: 'PUT', url: `/v2/chains/${fx.a.chain.id}/orders/${two.order_id}`, headers: { authorization: `Bearer ${fx.a.token}` }, payload: { order_id: two.order_id, status: 'CANCELLED', cancellation: { reason: 'TOO_BUSY' } } });
    expect(cancel.statusCode, cancel.body).toBe(200);

    for (const range of ['today', '7d', '30d']) {
      const d = (await get(`/dashboard?range=${range}`)).json();
      expect(d.totals).toMatchObject({ orders: 3, cancelled: 1, not_found: 1, ready_count: 1 });
      expect(d.totals.cancellation_rate).toBeCloseTo(1 / 3);
      expect(d.totals.not_found_rate).toBeCloseTo(1 / 3);
      expect(d.totals.ready_p50_s).toBeGreaterThanOrEqual(0);
      expect(d.totals.sales).toBeGreaterThan(0);
      expect(d.stores.find((s: { vendor_id: string }) => s.vendor_id === fx.a.direct.id)).toMatchObject({ orders: 2, cancelled: 1, not_found: 1 });
      expect(d.per_hour.reduce((n: number, h: { orders: number }) => n + h.orders, 0)).toBe(3);
    }
    const store = (await get(`/dashboard?range=7d&vendor_id=${fx.a.test.id}`)).json();
    expect(store.totals).toMatchObject({ orders: 1, cancelled: 0, not_found: 0, ready_count: 0 });
    expect(store.vendor_id).toBe(fx.a.test.id);
  });

  it('is strict and keeps chains apart', async () => {
    const bad = await get('/dashboard?range=week');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('range');
    expect((await get('/dashboard?extra=1')).statusCode).toBe(400);
    const foreign = await get(`/dashboard?vendor_id=${fx.b.direct.id}`);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.body).toContain('VENDOR_NOT_FOUND');
    expect((await get('/dashboard', fx.otherAdmin)).statusCode).toBe(404);
    expect((await get('/alerts', fx.otherAdmin)).statusCode).toBe(404);
    expect((await get('/alerts')).json()).toEqual({ endpoints: [] });
    const anon = await fetch(`${base}/portal/api/chains/${fx.a.chain.id}/live`);
    expect(anon.status).toBe(401);
  });

  it('streams orders and new_order within a second of an order placed in this process', async () => {
    const s = await openStream(`${base}/portal/api/chains/${fx.a.chain.id}/live`, fx.staff.cookie);
    try {
      expect(s.res.headers.get('content-type')).toContain('text/event-stream');
      await s.waitFor('ready');
      const other = await openStream(`${base}/portal/api/chains/${fx.b.chain.id}/live`, fx.otherAdmin.cookie);
      await other.waitFor('ready');
      await placeOrderVia(fx.app, op, fx.a.direct, [{ sku: 'LECHE-1L', quantity: 1 }]);
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
    const s = await openStream(`${base}/portal/api/chains/${fx.a.chain.id}/live`, fx.staff.cookie);
    try {
      await s.waitFor('ready');
      const order = await placeOrderVia(fx.app, op, fx.a.test, [{ sku: 'LECHE-1L', quantity: 1 }]);
      await s.waitFor('orders');
      s.events.length = 0;
      // A separate Node process with its own connection commits a change to the order.
      const script = `import pg from 'pg'; const c = new pg.Client({ connectionString: process.env.URL }); await c.connect();
        await c.query("update orders set comment = 'changed elsewhere', updated_at = now() where id = $1", [process.env.ORDER]); await c.end();`;
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, URL: fx.t.db.config.databaseUrl!, ORDER: order.order_id }, stdio: 'inherit' });
      const code = await new Promise<number | null>((r) => child.on('exit', r));
      expect(code).toBe(0);
      expect(await s.waitFor('orders')).toBeLessThan(1000);
      expect(s.events).not.toContain('new_order');
    } finally {
      s.close();
    }
  });
});
