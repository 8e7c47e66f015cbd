import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../platform/clock.js';
import { purgeExpiredOrders } from './order-retention.js';
import { bearer, operatorKey } from '../test-support/fixtures.js';
import { placeOrderVia, seedCatalog } from '../test-support/order-fixtures.js';
import { useTestApp } from '../test-support/test-app.js';

const DAY = 86_400_000;

describe('GET /v2/chains/{chain_id}/vendors/{vendor_id}/orders', () => {
  let op: string;
  const clock = new ManualClock('2026-01-01T12:00:00.000Z');
  const ids: string[] = [];

  const s = useTestApp({ chains: { a: 'List A', b: 'List B' }, clock, config: { orderRetentionDays: 120 } });
  beforeAll(async () => {
    op = await operatorKey(s.ctx);
    await seedCatalog(s.ctx, [s.a.direct, s.b.direct]);
    // Another chain: three orders the retention purge takes, one it keeps.
    for (const at of ['2026-01-03', '2026-01-10', '2026-01-20', '2026-04-01']) {
      clock.set(`${at}T09:00:00.000Z`);
      await placeOrderVia(s.app, op, s.b.direct, [{ sku: 'LECHE-1L', quantity: 1 }]);
    }
    // 25 orders, one every 5 days from 2026-01-01 (the last on 2026-05-01).
    for (let i = 0; i < 25; i++) {
      clock.set(new Date(Date.parse('2026-01-01T12:00:00.000Z') + i * 5 * DAY));
      ids.push((await placeOrderVia(s.app, op, s.a.direct, [{ sku: 'LECHE-1L', quantity: 1 }])).order_id);
    }
  });

  const list = (vendor: string, qs: string) => s.app.inject({ method: 'GET', url: `/v2/chains/${s.a.chain.id}/vendors/${vendor}/orders?${qs}`, headers: bearer(s.a.token) });

  it('pages a 60-day window, newest first, with the pagination block', async () => {
    const res = await list(s.a.direct.code, 'start_time=2026-03-01T00:00:00Z&end_time=2026-04-30T00:00:00Z&page_size=5');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    // Orders on 03-02, 03-07, … 04-26: 12 of them.
    expect(body.pagination).toEqual({ page: 1, page_size: 5, total_count: 12, total_pages: 3 });
    expect(body.orders).toHaveLength(5);
    const created = body.orders.map((o: { sys: { created_at: string } }) => o.sys.created_at);
    expect([...created].sort().reverse()).toEqual(created);
    const page3 = (await list(s.a.direct.code, 'start_time=2026-03-01T00:00:00Z&end_time=2026-04-30T00:00:00Z&page_size=5&page=3')).json();
    expect(page3.orders).toHaveLength(2);
    expect(page3.pagination.page).toBe(3);
  });

  it('defaults to page 1 of 20 and accepts the external id', async () => {
    const res = await list(s.a.direct.external_id!, 'start_time=2026-03-01T00:00:00Z&end_time=2026-04-30T00:00:00Z');
    expect(res.statusCode).toBe(200);
    expect(res.json().pagination).toMatchObject({ page: 1, page_size: 20, total_count: 12 });
  });

  it('refuses windows longer than 60 days, reversed windows, and page_size over 100', async () => {
    const long = await list(s.a.direct.code, 'start_time=2026-01-01T00:00:00Z&end_time=2026-03-02T00:00:01Z');
    expect(long.statusCode).toBe(400);
    expect(long.json().error.code).toBe('TIME_WINDOW_TOO_LONG');
    expect((await list(s.a.direct.code, 'start_time=2026-01-01T00:00:00Z&end_time=2026-03-02T00:00:00Z')).statusCode).toBe(200);
    const reversed = await list(s.a.direct.code, 'start_time=2026-03-01T00:00:00Z&end_time=2026-02-01T00:00:00Z');
    expect(reversed.json().error.code).toBe('INVALID_TIME_WINDOW');
    const big = await list(s.a.direct.code, 'start_time=2026-03-01T00:00:00Z&end_time=2026-03-02T00:00:00Z&page_size=101');
    expect(big.statusCode).toBe(400);
    expect(big.json().error.message).toContain('page_size');
    const missing = await list(s.a.direct.code, 'start_time=2026-03-01T00:00:00Z');
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.message).toContain('end_time');
  });

  it('filters by status and updated_since', async () => {
    const target = ids[20]!; // created 2026-04-11
    clock.set('2026-05-02T00:00:00.000Z');
    const put = await s.app.inject({ method: 'PUT', url: `/v2/chains/${s.a.chain.id}/orders/${target}`, headers: bearer(s.a.token), payload: { order_id: target, status: 'READY_FOR_PICKUP' } });
    expect(put.statusCode).toBe(200);
    const window = 'start_time=2026-03-05T00:00:00Z&end_time=2026-05-01T23:00:00Z';
    const ready = (await list(s.a.direct.code, `${window}&status=READY_FOR_PICKUP`)).json();
    expect(ready.orders.map((o: { order_id: string }) => o.order_id)).toEqual([target]);
    const updated = (await list(s.a.direct.code, `${window}&updated_since=2026-05-01T18:00:00Z`)).json();
    expect(updated.pagination.total_count).toBe(1);
    expect(updated.orders[0].order_id).toBe(target);
  });

  it('keeps orders for the configured retention: older windows come back empty', async () => {
    clock.set('2026-05-02T00:00:00.000Z'); // retention 120 days → from 2026-01-02
    const old = (await list(s.a.direct.code, 'start_time=2025-12-31T00:00:00Z&end_time=2026-01-05T00:00:00Z')).json();
    expect(old.pagination.total_count).toBe(0);
    const inside = (await list(s.a.direct.code, 'start_time=2026-01-02T00:00:00Z&end_time=2026-01-12T00:00:00Z')).json();
    expect(inside.pagination.total_count).toBe(2);
  });

  it('total_count (hourly rollup + partial-hour edges) equals a direct count for any window and status', async () => {
    const direct = async (from: string, to: string, status?: string) => {
      let q = s.ctx.db.selectFrom('orders').select((eb) => eb.fn.countAll().as('n')).where('vendor_id', '=', s.a.direct.id).where('created_at', '>=', from).where('created_at', '<', to);
      if (status) q = q.where('status', '=', status);
      return Number((await q.executeTakeFirstOrThrow()).n);
    };
    let seed = 7;
    const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let i = 0; i < 25; i++) {
      const start = Date.parse('2026-01-02T00:00:00Z') + Math.floor(rnd() * 110 * DAY);
      const end = start + 1 + Math.floor(rnd() * 60 * DAY);
      const from = new Date(start).toISOString();
      const to = new Date(end).toISOString();
      const status = rnd() < 0.3 ? 'READY_FOR_PICKUP' : rnd() < 0.5 ? 'RECEIVED' : undefined;
      const res = (await list(s.a.direct.code, `start_time=${from}&end_time=${to}${status ? `&status=${status}` : ''}`)).json();
      expect(res.pagination.total_count, `${from}..${to} ${status}`).toBe(await direct(from, to, status));
    }
  });

  it('the retention purge deletes old orders with their timeline and keeps the counters right', async () => {
    clock.set('2026-06-01T06:00:00.000Z'); // retention 120 days → before 2026-02-01T06:00Z
    const purged = await purgeExpiredOrders(s.ctx);
    expect(purged).toBe(7 + 3); // chain A: 01-01, 01-06, … 01-31; chain B: 01-03, 01-10, 01-20
    const left = await s.ctx.db.selectFrom('orders').select('created_at').where('vendor_id', '=', s.a.direct.id).execute();
    expect(left).toHaveLength(18);
    const leftB = await s.ctx.db.selectFrom('orders').select('created_at').where('chain_id', '=', s.b.chain.id).execute();
    expect(leftB.map((o) => new Date(o.created_at).toISOString())).toEqual(['2026-04-01T09:00:00.000Z']);
    expect(await s.ctx.db.selectFrom('order_events').select('id').where('order_id', '=', ids[0]!).execute()).toHaveLength(0);
    const res = (await list(s.a.direct.code, 'start_time=2026-02-01T00:00:00Z&end_time=2026-03-15T00:00:00Z')).json();
    expect(res.pagination.total_count).toBe(8); // 02-05 … 03-12
    const counters = await s.ctx.db.selectFrom('order_stats').select(['hour', 'n']).where('vendor_id', '=', s.a.direct.id).execute();
    expect(counters.reduce((sum, c) => sum + Number(c.n), 0)).toBe(18);
  });
});
