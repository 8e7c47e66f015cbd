import { beforeAll, describe, expect, it } from 'vitest';
import { operatorKey } from '../test-support/fixtures.js';
import { placeOrderVia, seedCatalog } from '../test-support/order-fixtures.js';
import { useTestApp } from '../test-support/test-app.js';
import { emitEvents } from '../webhooks/deliveries.service.js';
import { createEndpoint } from '../webhooks/endpoints.service.js';

/** The portal's order monitor, catalog and store routes: roles, chain isolation, filters, CSV. */
describe('portal operations API', () => {
  const s = useTestApp({ chains: { a: 'Ops API A', b: 'Ops API B' }, logins: { staff: ['a', 'staff'], otherAdmin: ['b', 'admin'] }, config: { webhookAllowedHosts: ['127.0.0.1'] } });
  const orders: Array<{ order_id: string; order_code: string }> = [];

  beforeAll(async () => {
    await seedCatalog(s.ctx, [s.a.direct, s.a.test]);
    const op = await operatorKey(s.ctx);
    orders.push(await placeOrderVia(s.app, op, s.a.direct, [{ sku: 'LECHE-1L', quantity: 1 }]));
    orders.push(await placeOrderVia(s.app, op, s.a.test, [{ sku: 'PAN-LACTAL', quantity: 2 }], 'VENDOR_DELIVERY'));
  });

  const get = (path: string, login = s.staff) => s.app.inject({ method: 'GET', url: `/portal/api/chains/${s.a.chain.id}${path}`, headers: { cookie: login.cookie } });
  const put = (path: string, payload: object, login = s.staff) => s.app.inject({ method: 'PUT', url: `/portal/api/chains/${s.a.chain.id}${path}`, headers: { cookie: login.cookie, 'x-csrf-token': login.csrf }, payload });

  it('lists the chain\'s orders for staff, newest first, with store/status/code filters and cursor paging', async () => {
    const all = await get('/orders');
    expect(all.statusCode).toBe(200);
    expect(all.json().orders.map((o: { id: string }) => o.id)).toEqual([orders[1]!.order_id, orders[0]!.order_id]);
    expect((await get(`/orders?vendor_id=${s.a.direct.id}`)).json().orders).toHaveLength(1);
    expect((await get(`/orders?code=${orders[1]!.order_code}`)).json().orders[0].id).toBe(orders[1]!.order_id);
    expect((await get('/orders?status=CANCELLED')).json().orders).toHaveLength(0);
    const first = (await get('/orders?limit=1')).json();
    expect(first.orders).toHaveLength(1);
    const second = (await get(`/orders?limit=1&cursor=${first.next_cursor}`)).json();
    expect(second.orders[0].id).toBe(orders[0]!.order_id);
    expect(second.next_cursor).toBeNull();
    expect((await get('/orders?status=NOPE')).statusCode).toBe(400);
  });

  it('hides another chain\'s orders, stores and catalog (404)', async () => {
    expect((await get('/orders', s.otherAdmin)).statusCode).toBe(404);
    expect((await get(`/orders/${orders[0]!.order_id}`, s.otherAdmin)).statusCode).toBe(404);
    expect((await get('/store-status', s.otherAdmin)).statusCode).toBe(404);
    // b's admin on their own chain, asking for a's order id: not found either.
    const cross = await s.app.inject({ method: 'GET', url: `/portal/api/chains/${s.b.chain.id}/orders/${orders[0]!.order_id}`, headers: { cookie: s.otherAdmin.cookie } });
    expect(cross.statusCode).toBe(404);
    const crossCatalog = await s.app.inject({ method: 'GET', url: `/portal/api/chains/${s.b.chain.id}/vendors/${s.a.test.id}/catalog`, headers: { cookie: s.otherAdmin.cookie } });
    expect(crossCatalog.statusCode).toBe(404);
  });

  it('order detail carries the order object and its timeline', async () => {
    const res = await get(`/orders/${orders[0]!.order_id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().order.order_code).toBe(orders[0]!.order_code);
    expect(res.json().timeline.map((e: { type: string }) => e.type)).toEqual(['RECEIVED']);
    expect(res.json()).toMatchObject({ deliveries: [], deliveries_next_cursor: null, deliveries_total_count: 0, deliveries_total_capped: false });
  });

  it("pages the order's webhook deliveries (cursor, with the total) instead of stopping at 100", async () => {
    const orderId = orders[0]!.order_id;
    // No dispatcher runs here: the deliveries stay pending where emit puts them.
    await createEndpoint(s.ctx, s.a.chain.id, { url: 'http://127.0.0.1:9/hook', authorization: 'Basic dXNlcjpwYXNz', description: 'ERP' }, 'test');
    await emitEvents(s.ctx, s.a.chain.id, { events: Array.from({ length: 25 }, (_, n) => ({ type: 'RECEIVED' as const, order_key: orderId, payload: { order_id: orderId, n } })) });
    const first = (await get(`/orders/${orderId}`)).json();
    expect(first.deliveries).toHaveLength(20); // the default page
    expect(first).toMatchObject({ deliveries_total_count: 25, deliveries_total_capped: false });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await get(`/orders/${orderId}?deliveries_limit=10${cursor ? `&deliveries_cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.deliveries_total_count).toBe(25);
      seen.push(...body.deliveries.map((d: { delivery: { id: string; order_key: string } }) => d.delivery.id));
      cursor = body.deliveries_next_cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(25);
    // Another order of the chain has none of them.
    expect((await get(`/orders/${orders[1]!.order_id}`)).json().deliveries_total_count).toBe(0);
    const bad = await get(`/orders/${orderId}?deliveries_cursor=bm9wZQ`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'INVALID_CURSOR' });
    expect(bad.json().error.message).toContain('query.deliveries_cursor');
    expect((await get(`/orders/${orderId}?deliveries_limit=0`)).statusCode).toBe(400);
    expect((await get(`/orders/${orderId}?deliveries_limit=101`)).statusCode).toBe(400);
  });

  it('exports CSV as an attachment, filtered', async () => {
    const res = await get(`/orders/export.csv?vendor_id=${s.a.test.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="orders-/);
    const lines = res.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`"${orders[1]!.order_id}"`);
    expect(lines[1]).toContain('"VENDOR_DELIVERY"');
  });

  it('serves the store catalog listing and lets staff change store status', async () => {
    const cat = await get(`/vendors/${s.a.test.id}/catalog?query_term=Leche`);
    expect(cat.statusCode).toBe(200);
    expect(cat.json().products.map((p: { sku: string }) => p.sku)).toEqual(['LECHE-1L']);
    const closed = await put(`/vendors/${s.a.direct.id}/status`, { status: 'CLOSED_TODAY', closed_reason: 'TECHNICAL_PROBLEM' });
    expect(closed.statusCode).toBe(200);
    expect(closed.json()).toMatchObject({ status: 'CLOSED_TODAY', is_open: false });
    expect((await get('/store-status')).json().statuses[s.a.direct.id].closed_reason).toBe('TECHNICAL_PROBLEM');
    const noCsrf = await s.app.inject({ method: 'PUT', url: `/portal/api/chains/${s.a.chain.id}/vendors/${s.a.direct.id}/status`, headers: { cookie: s.staff.cookie }, payload: { status: 'OPEN' } });
    expect(noCsrf.statusCode).toBe(403);
  });
});
