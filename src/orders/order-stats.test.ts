import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { notFoundPredicate } from '../db/migrations/0014_dashboard.js';
import { dashboard, DASHBOARD_RANGES, histogramPercentile, orderFigures, percentile } from './dashboard.service.js';
import { ManualClock } from '../platform/clock.js';
import { pelicanPick } from '../simulator/pelican-picker.js';
import { bearer, operatorKey } from '../test-support/fixtures.js';
import { placeOrderVia, seedCatalog } from '../test-support/order-fixtures.js';
import { useTestApp } from '../test-support/test-app.js';
import { purgeExpiredOrders } from './order-retention.js';
import { countVendorOrders, readyBucket, READY_EDGES_S, rebuildOrderStats, STATS_COLUMNS } from './order-stats.repository.js';

const MIN = 60_000;
const DAY = 86_400_000;

/**
 * The hourly rollup is exact: after intakes, PUTs (status moves, not-found lines, weight changes, cancellations),
 * platform actions, the Pelican picker and a retention purge, (1) the rollup rows equal the rollup rebuilt from
 * orders, and (2) every dashboard figure equals the same figure computed straight from orders and their timeline.
 */
describe('order_stats: the hourly rollup behind the dashboard and the list total_count', () => {
  let op: string;
  const clock = new ManualClock('2026-03-01T08:17:23.456Z');

  const put = (id: string, body: object) => s.app.inject({ method: 'PUT', url: `/v2/chains/${s.a.chain.id}/orders/${id}`, headers: bearer(s.a.token), payload: { order_id: id, ...body } });
  const platform = (id: string, action: string, payload?: object) => s.app.inject({ method: 'POST', url: `/platform/v1/orders/${id}/${action}`, headers: bearer(op), payload });
  const ok = async (p: Promise<{ statusCode: number; body: string }>) => {
    const r = await p;
    if (r.statusCode !== 200) throw new Error(`${r.statusCode} ${r.body}`);
  };

  const s = useTestApp({ chains: { a: 'Stats A', b: 'Stats B' }, clock, config: { orderRetentionDays: 25 } });
  beforeAll(async () => {
    op = await operatorKey(s.ctx);
    await seedCatalog(s.ctx, [s.a.direct, s.a.indirect, s.a.test, s.b.direct]);

    let seed = 11;
    const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const basket = [{ sku: 'LECHE-1L', quantity: 2 }, { sku: 'PAN-LACTAL', quantity: 1 }, { sku: 'QUESO-TYBO', weight: 0.5 }];
    let now = clock.now().getTime();
    const later = (ms: number) => clock.set(new Date((now += ms)));
    // ~32 days of orders: gaps of 1 min … 40 h, so hours, days and the window edges fall everywhere.
    for (let i = 0; i < 70; i++) {
      later(Math.floor(MIN + rnd() * (i % 7 === 0 ? 40 * 60 * MIN : 14 * 60 * MIN)));
      const kind = i % 9;
      const store = kind === 8 ? s.a.indirect : i % 5 === 4 ? s.a.test : s.a.direct;
      const vendorDelivery = kind === 5;
      const o = await placeOrderVia(s.app, op, store, basket, vendorDelivery ? 'VENDOR_DELIVERY' : 'LOGISTICS_DELIVERY');
      if (i % 6 === 0) await placeOrderVia(s.app, op, s.b.direct, basket); // another chain, same hours
      const [leche, pan, queso] = o.items as Array<{ _id: string }>;
      // Ready after 10 s … 14 h (past the histogram's last bound now and then).
      const readyIn = Math.floor(i % 11 === 0 ? 13 * 60 * MIN + rnd() * 60 * MIN : 10_000 + rnd() * 50 * MIN);
      switch (kind) {
        case 0: // untouched: stays RECEIVED
          break;
        case 1: // not found + ready, dispatched, delivered
          later(readyIn);
          await ok(put(o.order_id, { status: 'READY_FOR_PICKUP', items: [{ _id: pan!._id, status: 'NOT_FOUND' }] }));
          later(5 * MIN);
          await ok(platform(o.order_id, 'dispatch'));
          later(20 * MIN);
          await ok(platform(o.order_id, 'deliver'));
          break;
        case 2: // weight change (sales move) + ready
          later(readyIn);
          await ok(put(o.order_id, { status: 'READY_FOR_PICKUP', items: [{ _id: queso!._id, status: 'IN_CART', pricing: { weight: 0.52 } }] }));
          break;
        case 3: // cart edits first (not found, then found again), then cancelled by the partner
          later(2 * MIN);
          await ok(put(o.order_id, { status: 'UPDATE_CART', items: [{ _id: leche!._id, status: 'NOT_FOUND' }] }));
          later(MIN);
          await ok(put(o.order_id, { status: 'UPDATE_CART', items: [{ _id: leche!._id, status: 'IN_CART' }, { _id: pan!._id, status: 'NOT_FOUND' }] }));
          later(MIN);
          await ok(put(o.order_id, { status: 'CANCELLED', cancellation: { reason: 'ITEM_UNAVAILABLE' } }));
          break;
        case 4: // ready, then cancelled by the platform (the ready time stays)
          later(readyIn);
          await ok(put(o.order_id, { status: 'READY_FOR_PICKUP' }));
          later(3 * MIN);
          await ok(platform(o.order_id, 'cancel', { reason: 'OTHER' }));
          break;
        case 5: // vendor delivery: accepted, dispatched (no READY_FOR_PICKUP)
          later(MIN);
          await ok(put(o.order_id, { status: 'ACCEPTED', accepted_for: new Date(now + 30 * MIN).toISOString() }));
          later(readyIn);
          await ok(put(o.order_id, { status: 'DISPATCHED', items: [{ _id: queso!._id, status: 'NOT_FOUND' }] }));
          break;
        case 6: // cancelled straight away (sales leave)
          later(30_000);
          await ok(platform(o.order_id, 'cancel', {}));
          break;
        case 7: // ready with a smaller weight and a not-found line
          later(readyIn);
          await ok(put(o.order_id, { status: 'READY_FOR_PICKUP', items: [{ _id: queso!._id, status: 'IN_CART', pricing: { weight: 0.47 } }, { _id: leche!._id, status: 'NOT_FOUND' }] }));
          break;
        case 8: // Pelican picks (INDIRECT_POS), one line not found
          later(readyIn);
          await pelicanPick(s.ctx, o.order_id, [pan!._id]);
          break;
      }
    }
  });

  const vendors = () => [s.a.direct, s.a.indirect, s.a.test, s.b.direct];

  /** The rollup rows as stored, keyed by store and hour. */
  const rollupRows = async () => {
    const rows = await sql<Record<string, unknown>>`select * from order_stats order by vendor_id, ${sql.ref('hour')}`.execute(s.ctx.db);
    return rows.rows.map((r) => Object.fromEntries([['vendor_id', r.vendor_id], ['hour', Number(r.hour)], ...STATS_COLUMNS.map((c) => [c, Number(r[c])])]));
  };

  /** Every figure straight from orders and their timeline (no rollup), for a scope and window. */
  const direct = async (chainId: string, vendorId: string | undefined, from: string, to: string) => {
    const where = vendorId ? sql`o.vendor_id = ${vendorId}` : sql`o.chain_id = ${chainId}`;
    const orders = (
      await sql<{ vendor_id: string; status: string; order_total: unknown; nf: unknown; created_at: unknown }>`
        select o.vendor_id, o.status, o.order_total, case when ${notFoundPredicate(s.ctx.dialect)} then 1 else 0 end as nf, o.created_at
        from orders o where ${where} and o.created_at >= ${from} and o.created_at < ${to}`.execute(s.ctx.db)
    ).rows;
    const ready = (
      await sql<{ o: unknown; e: unknown }>`select o.created_at as o, e.created_at as e from orders o join order_events e on e.order_id = o.id and e.type = 'READY_FOR_PICKUP'
        where ${where} and o.created_at >= ${from} and o.created_at < ${to}`.execute(s.ctx.db)
    ).rows.map((r) => Math.floor((new Date(r.e as string).getTime() - new Date(r.o as string).getTime()) / 1000));
    const stores = new Map<string, { vendor_id: string; orders: number; cancelled: number; sales_minor: number; not_found: number }>();
    const perHour = new Map<number, number>();
    for (const o of orders) {
      const s = stores.get(o.vendor_id) ?? { vendor_id: o.vendor_id, orders: 0, cancelled: 0, sales_minor: 0, not_found: 0 };
      stores.set(o.vendor_id, s);
      s.orders++;
      if (o.status === 'CANCELLED') s.cancelled++;
      else s.sales_minor += Number(o.order_total);
      s.not_found += Number(o.nf);
      const h = Math.floor(new Date(o.created_at as string).getTime() / 3_600_000) * 3_600_000;
      perHour.set(h, (perHour.get(h) ?? 0) + 1);
    }
    ready.sort((x, y) => x - y);
    const hist = [...new Set(ready)].map((v) => ({ v, n: ready.filter((r) => r === v).length }));
    return {
      stores: [...stores.values()].sort((x, y) => x.vendor_id.localeCompare(y.vendor_id)),
      perHour: [...perHour.entries()].sort((x, y) => x[0] - y[0]).map(([at, n]) => ({ at, orders: n })),
      ready,
      p50: percentile(hist, 50),
      p90: percentile(hist, 90),
    };
  };

  /** Rollup-based figures (orderFigures) equal the direct ones; percentiles in the exact value's bucket. */
  const expectExact = async (chainId: string, vendorId: string | undefined, from: string, to: string) => {
    const ids = vendors().filter((v) => v.chain_id === chainId).map((v) => v.id);
    const got = await orderFigures({ db: s.ctx.db, dialect: s.ctx.dialect }, { chainId, vendorId, from, to }, ids);
    const want = await direct(chainId, vendorId, from, to);
    const label = `${vendorId ?? 'chain'} ${from}..${to}`;
    expect([...got.stores].sort((x, y) => x.vendor_id.localeCompare(y.vendor_id)), label).toEqual(want.stores);
    expect(got.perHour, label).toEqual(want.perHour);
    expect(got.readyHistogram.reduce((s, n) => s + n, 0), label).toBe(want.ready.length);
    expect(got.readyHistogram, label).toEqual(READY_EDGES_S.concat([0]).map((_, k) => want.ready.filter((r) => readyBucket(r) === k).length));
    for (const [p, exact] of [[50, want.p50], [90, want.p90]] as const) {
      const approx = histogramPercentile(got.readyHistogram, p);
      if (exact === null) expect(approx, label).toBeNull();
      else expect(readyBucket(approx!), `${label} p${p}: ${approx} vs exact ${exact}`).toBe(readyBucket(exact));
    }
    return want;
  };

  const windows = () => {
    const now = clock.now().getTime();
    const out: Array<[string, string]> = [];
    let seed = 5;
    const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let i = 0; i < 12; i++) {
      const start = now - Math.floor(rnd() * 40 * DAY);
      out.push([new Date(start).toISOString(), new Date(Math.min(now + DAY, start + Math.floor(rnd() * (i % 3 === 0 ? 3 * 3_600_000 : 20 * DAY)))).toISOString()]);
    }
    // Hour-aligned ends, an empty window, one inside a single hour.
    out.push([new Date(Math.floor(now / 3_600_000 - 300) * 3_600_000).toISOString(), new Date(Math.floor(now / 3_600_000) * 3_600_000).toISOString()]);
    out.push([new Date(now - DAY).toISOString(), new Date(now - DAY).toISOString()]);
    out.push([new Date(now - 10 * DAY + 60_000).toISOString(), new Date(now - 10 * DAY + 1_200_000).toISOString()]);
    return out;
  };

  const checkEverything = async () => {
    // (1) Incremental rows = rows rebuilt from orders.
    const incremental = await rollupRows();
    for (const v of vendors()) await rebuildOrderStats(s.ctx.db, s.ctx.dialect, v.id);
    expect(incremental).toEqual(await rollupRows());
    // (2) Every figure for chain and store, dashboard ranges and arbitrary windows.
    let seen = 0;
    for (const [from, to] of windows()) {
      for (const vendorId of [undefined, s.a.direct.id, s.a.indirect.id]) seen += (await expectExact(s.a.chain.id, vendorId, from, to)).ready.length;
      await expectExact(s.b.chain.id, undefined, from, to);
      for (const status of [undefined, 'RECEIVED', 'READY_FOR_PICKUP', 'DELIVERED', 'CANCELLED'] as const) {
        const n = await countVendorOrders(s.ctx.db, s.a.direct.id, from, to, status);
        const want = await s.ctx.db.selectFrom('orders').select(sql<number>`count(*)`.as('n')).where('vendor_id', '=', s.a.direct.id).where('created_at', '>=', from).where('created_at', '<', to).$if(status !== undefined, (q) => q.where('status', '=', status!)).executeTakeFirstOrThrow();
        expect(n, `${from}..${to} ${status}`).toBe(Number(want.n));
      }
    }
    expect(seen).toBeGreaterThan(0);
    for (const range of DASHBOARD_RANGES) {
      for (const vendorId of [undefined, s.a.direct.id]) {
        const d = await dashboard(s.ctx, s.a.chain.id, range, vendorId);
        const want = await direct(s.a.chain.id, vendorId, d.from, d.to);
        const orders = want.stores.reduce((s, x) => s + x.orders, 0);
        const cancelled = want.stores.reduce((s, x) => s + x.cancelled, 0);
        const nf = want.stores.reduce((s, x) => s + x.not_found, 0);
        expect(d.totals, `${range} ${vendorId ?? 'chain'}`).toMatchObject({ orders, cancelled, not_found: nf, ready_count: want.ready.length, cancellation_rate: orders ? cancelled / orders : null, not_found_rate: orders ? nf / orders : null });
        expect(Math.round(d.totals.sales * 100)).toBe(want.stores.reduce((s, x) => s + x.sales_minor, 0));
        expect(d.per_hour).toEqual(want.perHour);
      }
    }
  };

  it('after intakes, PUTs, platform actions and picks: rollup = rebuild, figures = orders', async () => {
    const kinds = await s.ctx.db.selectFrom('orders').select(['status']).where('chain_id', '=', s.a.chain.id).execute();
    // The mix really happened: every status, not-found lines, ready times past the last bucket.
    expect(new Set(kinds.map((k) => k.status))).toEqual(new Set(['RECEIVED', 'READY_FOR_PICKUP', 'DISPATCHED', 'DELIVERED', 'CANCELLED']));
    const long = await direct(s.a.chain.id, undefined, '2000-01-01T00:00:00.000Z', '2100-01-01T00:00:00.000Z');
    expect(long.ready.some((s) => s >= READY_EDGES_S[READY_EDGES_S.length - 1]!)).toBe(true);
    expect(long.stores.reduce((s, x) => s + x.not_found, 0)).toBeGreaterThan(3);
    await checkEverything();
  });

  it('after the retention purge (batches, the boundary hour recomputed) the same holds', async () => {
    const before = await s.ctx.db.selectFrom('orders').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    const purged = await purgeExpiredOrders(s.ctx);
    expect(purged).toBeGreaterThan(5);
    expect(purged).toBeLessThan(Number(before.n));
    // Hours wholly before the cutoff are gone (the cutoff's own hour is recomputed: checked by the rebuild below).
    const cutoff = clock.now().getTime() - 25 * DAY;
    expect(await rollupRows()).not.toContainEqual(expect.objectContaining({ hour: Math.floor(cutoff / 3_600_000) - 1 }));
    await checkEverything();
  });

  it('a change that moves nothing the rollup counts writes nothing; a new order and a move write one row', async () => {
    const o = await placeOrderVia(s.app, op, s.a.direct, [{ sku: 'LECHE-1L', quantity: 1 }, { sku: 'PAN-LACTAL', quantity: 1 }]);
    const hour = Math.floor(Date.parse(o.sys.created_at) / 3_600_000);
    const row = async () => (await rollupRows()).find((r) => r.vendor_id === s.a.direct.id && r.hour === hour);
    const r0 = await row();
    await ok(put(o.order_id, { status: 'UPDATE_CART', items: [{ _id: o.items[0]._id, status: 'IN_CART' }] }));
    expect(await row()).toEqual(r0);
    await ok(put(o.order_id, { status: 'UPDATE_CART', items: [{ _id: o.items[1]._id, status: 'NOT_FOUND' }] }));
    const r1 = (await row())!;
    expect(r1.not_found).toBe(r0!.not_found + 1);
    expect(r1.sales_minor).toBeLessThan(r0!.sales_minor);
    expect(r1.n).toBe(r0!.n);
    clock.set(new Date(clock.now().getTime() + 125_000));
    await ok(put(o.order_id, { status: 'READY_FOR_PICKUP' }));
    const r2 = (await row())!;
    expect([r2.n_received, r2.n_ready_for_pickup]).toEqual([r1.n_received - 1, r1.n_ready_for_pickup + 1]);
    expect(r2[`ready_${String(readyBucket(125)).padStart(2, '0')}`]).toBe(r1[`ready_${String(readyBucket(125)).padStart(2, '0')}`]! + 1);
  });
});
