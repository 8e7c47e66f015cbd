import { beforeAll, describe, expect, it } from 'vitest';
import { rebuildOrderStats } from '../orders/order-stats.repository.js';
import { dashboard } from '../orders/dashboard.service.js';
import { ManualClock } from '../platform/clock.js';
import { useTestContext } from '../test-support/test-app.js';
import { backfillDemoHistory, demoTrafficTick, poisson } from './demo-traffic.js';
import { seedDemo, type DemoInfo } from './demo.seed.js';

/** A seeded random (mulberry32): the same history every run. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

describe('demo customers', () => {
  let demo: DemoInfo;
  const clock = new ManualClock('2026-11-20T15:00:00.000Z');
  const vendorId = async (code: string) => (await s.ctx.db.selectFrom('vendors').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
  const statuses = async (code: string) => {
    const rows = await s.ctx.db.selectFrom('orders').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).where('vendor_id', '=', await vendorId(code)).groupBy('status').execute();
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  };

  const s = useTestContext({ clock, config: { simDemoOrdersPerHour: 20, simDemoUnansweredMs: 600_000 } });
  beforeAll(async () => {
    demo = await seedDemo(s.ctx);
  });

  it('poisson: mean and spread of the arrivals', () => {
    const random = seeded(7);
    const draws = Array.from({ length: 20_000 }, () => poisson(0.5, random));
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    expect(mean).toBeGreaterThan(0.47);
    expect(mean).toBeLessThan(0.53);
    expect(poisson(0, random)).toBe(0);
  });

  it('backfills a day of history on the stores (not the test store), once, with figures the dashboard reads', async () => {
    const placed = await backfillDemoHistory(s.ctx, { days: 1, ordersPerHour: 20, random: seeded(42) });
    // 24 hours × 20 an hour on average, Poisson: well inside ±30 %.
    expect(placed).toBeGreaterThan(24 * 20 * 0.7);
    expect(placed).toBeLessThan(24 * 20 * 1.3);
    expect(await backfillDemoHistory(s.ctx, { days: 1, ordersPerHour: 20, random: seeded(43) })).toBe(0);

    const testStore = await s.ctx.db.selectFrom('orders').select('id').where('vendor_id', '=', await vendorId(demo.vendors.test)).execute();
    expect(testStore).toHaveLength(0);
    for (const code of [demo.vendors.direct, demo.vendors.indirect]) {
      const s = await statuses(code);
      // Most orders are long delivered; a few were cancelled by their customer; the last minutes' are still in flight.
      expect(s.DELIVERED ?? 0).toBeGreaterThan(placed * 0.3);
      expect(s.CANCELLED ?? 0).toBeGreaterThan(0);
      expect(s.CANCELLED ?? 0).toBeLessThan(placed * 0.15);
    }
    // The partner store's orders were picked as the partner would; the Pelican store's by Pelican.
    const actors = await s.ctx.db
      .selectFrom('order_events')
      .innerJoin('orders', 'orders.id', 'order_events.order_id')
      .select(['orders.vendor_id', 'order_events.actor'])
      .where('order_events.type', '=', 'READY_FOR_PICKUP')
      .distinct()
      .execute();
    const direct = await vendorId(demo.vendors.direct);
    expect(new Set(actors.filter((a) => a.vendor_id === direct).map((a) => a.actor))).toEqual(new Set(['demo:partner-picker']));
    expect(new Set(actors.filter((a) => a.vendor_id !== direct).map((a) => a.actor))).toEqual(new Set(['simulator:pelican-picker']));

    // The rollups were written as live traffic writes them: equal to a rebuild from the orders.
    const rollup = async () => s.ctx.db.selectFrom('order_stats').selectAll().orderBy('vendor_id').orderBy('hour').execute();
    const incremental = await rollup();
    for (const code of [demo.vendors.direct, demo.vendors.indirect]) await rebuildOrderStats(s.ctx.db, s.ctx.dialect, await vendorId(code));
    expect(incremental).toEqual(await rollup());

    const week = await dashboard(s.ctx, demo.chain_id, '7d');
    expect(week.totals.orders).toBe(placed);
    expect(week.totals.ready_count).toBeGreaterThan(placed * 0.5);
    // Picking takes 3–18 minutes: the medians land there.
    expect(week.totals.ready_p50_s).toBeGreaterThanOrEqual(180);
    expect(week.totals.ready_p90_s).toBeLessThanOrEqual(1_800);
    expect(week.totals.not_found).toBeGreaterThan(0);
    // A daily curve: busy hours and quiet ones (nights in Buenos Aires).
    const hours = week.per_hour.map((h) => h.orders);
    expect(Math.max(...hours)).toBeGreaterThan(3 * Math.max(1, Math.min(...hours)));
  }, 120_000);

  it('live: customers order on the stores; a partner-store order nobody answers is cancelled by the platform', async () => {
    const before = { direct: await statuses(demo.vendors.direct), indirect: await statuses(demo.vendors.indirect) };
    const received = (s: Record<string, number>) => s.RECEIVED ?? 0;
    // An hour's worth of arrivals at 20 an hour in one tick.
    let placed = 0;
    const random = seeded(5);
    for (let i = 0; i < 12; i++) placed += await demoTrafficTick(s.ctx, 5 * 60_000, random);
    expect(placed).toBeGreaterThan(5);
    const now = { direct: await statuses(demo.vendors.direct), indirect: await statuses(demo.vendors.indirect) };
    expect(received(now.direct) + received(now.indirect)).toBe(received(before.direct) + received(before.indirect) + placed);
    expect(received(now.direct)).toBeGreaterThan(0);

    // Ten minutes later nobody picked the partner store's orders: cancelled by the platform; Pelican's store is left to Pelican.
    clock.advance(600_001);
    expect(await demoTrafficTick(s.ctx, 1, () => 0.999)).toBe(0);
    const later = { direct: await statuses(demo.vendors.direct), indirect: await statuses(demo.vendors.indirect) };
    expect(received(later.direct)).toBe(0);
    expect(later.direct.CANCELLED).toBe((now.direct.CANCELLED ?? 0) + received(now.direct));
    expect(received(later.indirect)).toBe(received(now.indirect));
    const cancellation = await s.ctx.db
      .selectFrom('orders')
      .select('cancellation')
      .where('vendor_id', '=', await vendorId(demo.vendors.direct))
      .where('status', '=', 'CANCELLED')
      .orderBy('updated_at', 'desc')
      .executeTakeFirstOrThrow();
    const stored = cancellation.cancellation;
    expect(typeof stored === 'string' ? JSON.parse(stored) : stored).toEqual({ reason: 'TOO_BUSY', cancelled_by: 'PLATFORM' });
  });
});
