import { Webhook } from 'standardwebhooks';
import { beforeAll, describe, expect, it } from 'vitest';
import { pickerTick } from '../simulator/pelican-picker.js';
import { riderTick } from '../simulator/logistics-rider.js';
import { bearer, operatorKey } from '../test-support/fixtures.js';
import { placeOrderVia, seedCatalog, type IntakeItemInput } from '../test-support/order-fixtures.js';
import { useTestApp } from '../test-support/test-app.js';
import { type ReceivedWebhook } from '../test-support/webhook-receiver.js';
import { FAST_WEBHOOKS, useWebhooks } from '../test-support/webhooks.js';
import { drainWebhooks } from '../webhooks/drain.js';

/**
 * End to end: orders placed through intake and written with PUT reach a real HTTP receiver, signed
 * (verified with the official standardwebhooks library), with the order object and sys.sequence.
 */
describe('orders → webhook (real receiver)', () => {
  const s = useTestApp({ chains: { a: 'Hooks A' }, config: { ...FAST_WEBHOOKS, simRiderPickupDelayMs: 0, simRiderDeliveryDelayMs: 0, simPickerDelayMs: 0, simPickerNotFoundPercent: 0 } });
  let op: string;

  beforeAll(async () => {
    op = await operatorKey(s.ctx);
    await seedCatalog(s.ctx, [s.a.direct, s.a.indirect]);
  });
  const w = useWebhooks(s, { endpointFor: () => s.a.chain.id, authorization: 'Basic cGFydG5lcjpzZWNyZXQ=' });

  const BASKET: IntakeItemInput[] = [{ sku: 'LECHE-1L', quantity: 2 }, { sku: 'PAN-LACTAL', quantity: 1 }, { sku: 'QUESO-TYBO', weight: 1 }];
  const put = (id: string, body: object) => s.app.inject({ method: 'PUT', url: `/v2/chains/${s.a.chain.id}/orders/${id}`, headers: bearer(s.a.token), payload: { order_id: id, ...body } });
  const get = async (id: string) => (await s.app.inject({ method: 'GET', url: `/v2/chains/${s.a.chain.id}/orders/${id}`, headers: bearer(s.a.token) })).json();

  async function hooksFor(orderId: string, n: number): Promise<ReceivedWebhook[]> {
    await w.receiver.waitFor(n, { filter: (r) => r.orderId === orderId });
    await drainWebhooks(s.ctx, { chainId: s.a.chain.id });
    const got = w.receiver.forOrder(orderId);
    for (const r of got) {
      expect(r.verified, r.verifyError).toBe(true);
      expect(r.headers.authorization).toBe('Basic cGFydG5lcjpzZWNyZXQ=');
      expect(new Webhook(w.secret).verify(r.body, r.headers as Record<string, string>)).toEqual(r.json);
    }
    const seqs = got.map((r) => r.sequence!);
    expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
    return got;
  }

  /** Places an order, runs one PUT scenario, and checks the RECEIVED + echo webhooks carry the PUT's result. */
  async function scenario(items: IntakeItemInput[], transport: 'LOGISTICS_DELIVERY' | 'VENDOR_DELIVERY', puts: (o: any) => object[], echo: string) {
    const o = await placeOrderVia(s.app, op, s.a.direct, items, transport);
    let last: any;
    for (const body of puts(o)) {
      const res = await put(o.order_id, body);
      expect(res.statusCode, res.body).toBe(200);
      last = res.json();
    }
    const hooks = await hooksFor(o.order_id, 2);
    expect(hooks.map((h) => h.json.status)).toEqual(['RECEIVED', echo]);
    expect(hooks[0]!.json.items).toHaveLength(items.length);
    const final = hooks[1]!.json;
    expect(final.items).toEqual(last.items);
    expect(final.payment).toEqual(last.payment);
    expect(final.sys.sequence).toBe(2);
    expect(final.sys.event_id).toBe(hooks[1]!.webhookId);
    expect((await get(o.order_id)).sys).toMatchObject({ sequence: 2, event_id: hooks[1]!.webhookId });
    return final;
  }

  it('1. accept (vendor delivery): ACCEPTED is opt-in, DISPATCHED reaches the webhook', async () => {
    const o = await placeOrderVia(s.app, op, s.a.direct, BASKET, 'VENDOR_DELIVERY');
    expect((await put(o.order_id, { status: 'ACCEPTED', accepted_for: '2030-01-01T10:00:00Z' })).statusCode).toBe(200);
    expect((await put(o.order_id, { status: 'DISPATCHED' })).statusCode).toBe(200);
    const hooks = await hooksFor(o.order_id, 2);
    expect(hooks.map((h) => h.json.status)).toEqual(['RECEIVED', 'DISPATCHED']);
    expect(hooks[1]!.json.accepted_for).toBe('2030-01-01T10:00:00.000Z');
    // ACCEPTED is not subscribed by default: the endpoint's sequence counts only what it receives, so DISPATCHED is 2 (no gap);
    // the order's own counter (GET order's sys.sequence) counts every event of the order.
    expect(hooks[1]!.sequence).toBe(2);
    expect((await get(o.order_id)).sys.sequence).toBe(3);
  });

  it('2. full fulfilment', async () => {
    const final = await scenario(BASKET, 'LOGISTICS_DELIVERY', () => [{ status: 'READY_FOR_PICKUP' }], 'READY_FOR_PICKUP');
    expect(final.items.every((i: { status: string }) => i.status === 'IN_CART')).toBe(true);
  });

  it('3. partial fulfilment', async () => {
    const final = await scenario(BASKET, 'LOGISTICS_DELIVERY', (o) => [{ status: 'READY_FOR_PICKUP', items: [{ _id: o.items[0]._id, status: 'IN_CART', pricing: { quantity: 1 } }, { _id: o.items[1]._id, status: 'NOT_FOUND' }] }], 'READY_FOR_PICKUP');
    expect(final.payment.sub_total).toBe(1250.5 + 8999.9);
  });

  it('4. modify items and fulfil', async () => {
    const final = await scenario(BASKET, 'LOGISTICS_DELIVERY', () => [{ status: 'READY_FOR_PICKUP', items: [{ sku: 'PAN-LACTAL', status: 'NOT_FOUND' }, { sku: 'LECHE-1L', status: 'IN_CART', pricing: { quantity: 1 } }] }], 'READY_FOR_PICKUP');
    expect(final.items.map((i: { status: string }) => i.status)).toEqual(['IN_CART', 'NOT_FOUND', 'IN_CART']);
  });

  it('5. change the weight of a KG item and fulfil', async () => {
    const final = await scenario(BASKET, 'LOGISTICS_DELIVERY', (o) => [{ status: 'READY_FOR_PICKUP', items: [{ _id: o.items[2]._id, status: 'IN_CART', pricing: { weight: 0.9 } }] }], 'READY_FOR_PICKUP');
    expect(final.items[2].pricing).toMatchObject({ weight: 0.9, total_price: 8099.91 });
    expect(final.items[2].original_pricing).toMatchObject({ weight: 1, total_price: 8999.9 });
  });

  it('6. replace an out-of-stock item', async () => {
    const final = await scenario(BASKET, 'LOGISTICS_DELIVERY', (o) => [{ status: 'READY_FOR_PICKUP', items: [{ _id: o.items[1]._id, status: 'REPLACED' }, { sku: 'GALLETITAS', status: 'IN_CART', replaced_id: o.items[1]._id, pricing: { quantity: 1 } }] }], 'READY_FOR_PICKUP');
    expect(final.items[1].status).toBe('REPLACED');
    expect(final.items[3]).toMatchObject({ sku: 'GALLETITAS', replaced_id: final.items[1]._id, pricing: { unit_price: 999.99 } });
  });

  it('7. add an extra item', async () => {
    const final = await scenario(BASKET, 'LOGISTICS_DELIVERY', () => [{ status: 'READY_FOR_PICKUP', items: [{ sku: 'AGUA-500', status: 'ADDITION', pricing: { quantity: 2 } }] }], 'READY_FOR_PICKUP');
    expect(final.items[3]).toMatchObject({ sku: 'AGUA-500', status: 'ADDITION', pricing: { total_price: 1301.51 } });
  });

  it('8. UPDATE_CART sends no webhook; the fulfilment does', async () => {
    const o = await placeOrderVia(s.app, op, s.a.direct, BASKET);
    expect((await put(o.order_id, { status: 'UPDATE_CART', items: [{ _id: o.items[0]._id, status: 'IN_CART', pricing: { quantity: 1 } }] })).statusCode).toBe(200);
    await w.receiver.waitFor(1, { filter: (r) => r.orderId === o.order_id });
    await drainWebhooks(s.ctx, { chainId: s.a.chain.id });
    expect(w.receiver.forOrder(o.order_id).map((r) => r.json.status)).toEqual(['RECEIVED']);
    expect((await put(o.order_id, { status: 'READY_FOR_PICKUP' })).statusCode).toBe(200);
    const hooks = await hooksFor(o.order_id, 2);
    expect(hooks.map((h) => h.json.status)).toEqual(['RECEIVED', 'READY_FOR_PICKUP']);
    expect(hooks[1]!.json.items[0].pricing.quantity).toBe(1);
  });

  it('vendor cancellation reaches the webhook with cancelled_by VENDOR', async () => {
    const o = await placeOrderVia(s.app, op, s.a.direct, BASKET);
    expect((await put(o.order_id, { status: 'CANCELLED', cancellation: { reason: 'TOO_BUSY' } })).statusCode).toBe(200);
    const hooks = await hooksFor(o.order_id, 2);
    expect(hooks[1]!.json).toMatchObject({ status: 'CANCELLED', cancellation: { reason: 'TOO_BUSY', cancelled_by: 'VENDOR' } });
  });

  it('a refused PUT sends nothing', async () => {
    const o = await placeOrderVia(s.app, op, s.a.direct, BASKET);
    const res = await put(o.order_id, { status: 'READY_FOR_PICKUP', items: [{ _id: o.items[2]._id, status: 'IN_CART', pricing: { weight: 3 } }] });
    expect(res.json().error.code).toBe('WEIGHT_OUT_OF_TOLERANCE');
    await w.receiver.waitFor(1, { filter: (r) => r.orderId === o.order_id });
    await drainWebhooks(s.ctx, { chainId: s.a.chain.id });
    expect(w.receiver.forOrder(o.order_id)).toHaveLength(1);
  });

  it('PARTNER vs PELICAN event sets through the whole life of an order', async () => {
    const partner = await placeOrderVia(s.app, op, s.a.direct, BASKET);
    const pelican = await placeOrderVia(s.app, op, s.a.indirect, BASKET);
    expect((await put(partner.order_id, { status: 'READY_FOR_PICKUP' })).statusCode).toBe(200);
    await pickerTick(s.ctx);
    await riderTick(s.ctx); // both dispatched
    await riderTick(s.ctx); // both delivered
    expect((await get(partner.order_id)).status).toBe('DELIVERED');
    expect((await get(pelican.order_id)).status).toBe('DELIVERED');
    const p = await hooksFor(partner.order_id, 3);
    expect(p.map((h) => h.json.status)).toEqual(['RECEIVED', 'READY_FOR_PICKUP', 'DISPATCHED']);
    await w.receiver.waitFor(1, { filter: (r) => r.orderId === pelican.order_id });
    await drainWebhooks(s.ctx, { chainId: s.a.chain.id });
    expect(w.receiver.forOrder(pelican.order_id).map((h) => h.json.status)).toEqual(['READY_FOR_PICKUP']);
    // A Pelican cancellation is pushed too.
    const cancelled = await placeOrderVia(s.app, op, s.a.indirect, BASKET);
    const res = await s.app.inject({ method: 'POST', url: `/platform/v1/orders/${cancelled.order_id}/cancel`, headers: bearer(op), payload: { reason: 'CUSTOMER_REQUEST', cancelled_by: 'CUSTOMER' } });
    expect(res.statusCode).toBe(200);
    const hooks = await hooksFor(cancelled.order_id, 1);
    expect(hooks.map((h) => h.json.status)).toEqual(['CANCELLED']);
    expect(hooks[0]!.json.cancellation).toEqual({ reason: 'CUSTOMER_REQUEST', cancelled_by: 'CUSTOMER' });
  });
});
