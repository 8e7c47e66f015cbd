import { beforeAll, describe, expect, it } from 'vitest';
import { listOrderEvents } from '../orders/orders.repository.js';
import { startServer } from '../server.js';
import { ManualClock } from '../platform/clock.js';
import { bearer, operatorKey } from '../test-support/fixtures.js';
import { placeOrderVia, seedCatalog } from '../test-support/order-fixtures.js';
import { riderTick } from './logistics-rider.js';
import { pickerTick } from './pelican-picker.js';
import { parseDuration, parseRate, randomBasket, simulateTraffic } from './traffic.js';
import { sampleListings } from '../orders/catalog-lookup.js';
import { createContext } from '../bootstrap.js';
import { useTestApp } from '../test-support/test-app.js';

describe('simulators', () => {
  let op: string;
  const clock = new ManualClock('2026-04-01T12:00:00.000Z');

  const s = useTestApp({ chains: { a: 'Sim A' }, clock, config: { simRiderPickupDelayMs: 60_000, simRiderDeliveryDelayMs: 120_000, simPickerDelayMs: 30_000, simPickerNotFoundPercent: 100 } });
  beforeAll(async () => {
    op = await operatorKey(s.ctx);
    await seedCatalog(s.ctx, [s.a.direct, s.a.indirect]);
  });

  const get = async (id: string) => (await s.app.inject({ method: 'GET', url: `/v2/chains/${s.a.chain.id}/orders/${id}`, headers: bearer(s.a.token) })).json();

  it('rider: READY_FOR_PICKUP → DISPATCHED after the pickup delay → DELIVERED after the delivery delay', async () => {
    const o = await placeOrderVia(s.app, op, s.a.direct, [{ sku: 'PAN-LACTAL', quantity: 1 }]);
    await s.app.inject({ method: 'PUT', url: `/v2/chains/${s.a.chain.id}/orders/${o.order_id}`, headers: bearer(s.a.token), payload: { order_id: o.order_id, status: 'READY_FOR_PICKUP' } });
    expect(await riderTick(s.ctx)).toBe(0);
    clock.advance(60_000);
    expect(await riderTick(s.ctx)).toBe(1);
    expect((await get(o.order_id)).status).toBe('DISPATCHED');
    clock.advance(119_000);
    expect(await riderTick(s.ctx)).toBe(0);
    clock.advance(1_000);
    expect(await riderTick(s.ctx)).toBe(1);
    expect((await get(o.order_id)).status).toBe('DELIVERED');
    const timeline = await listOrderEvents(s.ctx.db, o.order_id);
    expect(timeline.map((e) => `${e.type}:${e.actor}`).slice(2)).toEqual(['DISPATCHED:simulator:rider', 'DELIVERED:simulator:rider']);
  });

  it('Pelican picker: INDIRECT_POS orders only, READY_FOR_PICKUP with a NOT_FOUND line; PELICAN event set', async () => {
    const pelican = await placeOrderVia(s.app, op, s.a.indirect, [{ sku: 'PAN-LACTAL', quantity: 1 }, { sku: 'LECHE-1L', quantity: 2 }]);
    const partner = await placeOrderVia(s.app, op, s.a.direct, [{ sku: 'PAN-LACTAL', quantity: 1 }]);
    clock.advance(30_000);
    expect(await pickerTick(s.ctx, () => 0.4)).toBe(1);
    const picked = await get(pelican.order_id);
    expect(picked.status).toBe('READY_FOR_PICKUP');
    expect(picked.items.map((i: { status: string }) => i.status).sort()).toEqual(['IN_CART', 'NOT_FOUND']);
    expect(picked.payment.sub_total).toBeLessThan(pelican.payment.sub_total);
    expect((await get(partner.order_id)).status).toBe('RECEIVED');
    // Pelican: the webhook gets READY_FOR_PICKUP (and CANCELLED) only; Partner Picking gets RECEIVED too.
    const pel = await listOrderEvents(s.ctx.db, pelican.order_id);
    expect(pel.map((e) => [e.type, e.webhook])).toEqual([['RECEIVED', false], ['READY_FOR_PICKUP', true]]);
    const par = await listOrderEvents(s.ctx.db, partner.order_id);
    expect(par.map((e) => [e.type, e.webhook])).toEqual([['RECEIVED', true]]);
  });

  it('traffic generator: rates, durations, baskets within the rules', async () => {
    expect(parseRate('5/s')).toBe(5);
    expect(parseRate('300/m')).toBe(5);
    expect(() => parseRate('fast')).toThrow();
    expect(parseDuration('10m')).toBe(600_000);
    expect(parseDuration('250ms')).toBe(250);
    const products = await sampleListings(s.ctx.db, s.a.direct.id, 100);
    let seed = 1;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let i = 0; i < 200; i++) {
      const basket = randomBasket(products, random);
      expect(basket.length).toBeGreaterThan(0);
      for (const item of basket) {
        const p = products.find((x) => x.sku === item.sku)!;
        expect(p.active).toBe(true);
        if (p.is_sold_by_weight) expect(item.weight).toBeGreaterThan(0);
        else expect(item.quantity).toBeLessThanOrEqual(p.maximum_sales_quantity ?? 3);
      }
    }
    const summary = await simulateTraffic(s.ctx, { vendor: s.a.direct.code, ratePerSecond: 200, durationMs: 10_000, maxOrders: 40, cancelPercent: 25, random });
    expect(summary.created).toBe(40);
    expect(summary.refused).toEqual({});
    expect(summary.cancelled).toBeGreaterThan(0);
    expect(summary.cancelled).toBeLessThan(40);
  });

  it('runs as background services of a started server (SIMULATORS=on)', async () => {
    const ctx = await createContext({ ...s.ctx.config, port: 0, simulators: 'on', simPollMs: 20, simRiderPickupDelayMs: 0, simRiderDeliveryDelayMs: 0, simPickerDelayMs: 0 }, { log: s.ctx.log });
    const server = await startServer(ctx, ['worker']);
    try {
      const o = await placeOrderVia(s.app, op, s.a.indirect, [{ sku: 'PAN-LACTAL', quantity: 1 }]);
      const deadline = Date.now() + 10_000;
      let status = '';
      while (Date.now() < deadline && status !== 'DELIVERED') {
        await new Promise((r) => setTimeout(r, 50));
        status = (await get(o.order_id)).status;
      }
      expect(status).toBe('DELIVERED');
    } finally {
      await server.stop();
    }
  });
});
