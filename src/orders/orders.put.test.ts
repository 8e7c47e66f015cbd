import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, operatorKey } from '../test-support/fixtures.js';
import { placeOrderVia, seedCatalog, type IntakeItemInput } from '../test-support/order-fixtures.js';
import { useTestApp } from '../test-support/test-app.js';

describe('PUT /v2/chains/{chain_id}/orders/{order_id}', () => {
  const s = useTestApp({ chains: { a: 'Put A', b: 'Put B' } });
  let op: string;

  beforeAll(async () => {
    op = await operatorKey(s.ctx);
    await seedCatalog(s.ctx, [s.a.direct, s.a.indirect, s.b.direct]);
  });

  const order = (items: IntakeItemInput[], transport: 'LOGISTICS_DELIVERY' | 'VENDOR_DELIVERY' = 'LOGISTICS_DELIVERY') => placeOrderVia(s.app, op, s.a.direct, items, transport);
  const put = (id: string, body: object, headers: Record<string, string> = {}, fx = s.a) =>
    s.app.inject({ method: 'PUT', url: `/v2/chains/${fx.chain.id}/orders/${id}`, headers: { ...bearer(fx.token), ...headers }, payload: { order_id: id, ...body } });
  const get = async (id: string, fx = s.a) => s.app.inject({ method: 'GET', url: `/v2/chains/${fx.chain.id}/orders/${id}`, headers: bearer(fx.token) });
  const timeline = async (id: string) => (await s.app.inject({ method: 'GET', url: `/platform/v1/orders/${id}`, headers: bearer(op) })).json().timeline as Array<{ type: string; webhook: boolean }>;
  const BASKET: IntakeItemInput[] = [{ sku: 'LECHE-1L', quantity: 2 }, { sku: 'PAN-LACTAL', quantity: 1 }, { sku: 'QUESO-TYBO', weight: 0.5 }];

  it('1. accept (vendor delivery) with accepted_for, then dispatch', async () => {
    const o = await order(BASKET, 'VENDOR_DELIVERY');
    const res = await put(o.order_id, { status: 'ACCEPTED', accepted_for: '2026-12-01T15:30:00Z' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ACCEPTED', accepted_for: '2026-12-01T15:30:00.000Z' });
    const d = await put(o.order_id, { status: 'DISPATCHED' });
    expect(d.statusCode).toBe(200);
    expect(d.json().status).toBe('DISPATCHED');
    expect(d.json().items.every((i: { status: string }) => i.status === 'IN_CART')).toBe(true);
    expect((await timeline(o.order_id)).map((e) => [e.type, e.webhook])).toEqual([['RECEIVED', true], ['ACCEPTED', true], ['DISPATCHED', true]]);
  });

  it('2. full fulfilment: items omitted → every line IN_CART, totals unchanged', async () => {
    const o = await order(BASKET);
    const res = await put(o.order_id, { status: 'READY_FOR_PICKUP' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.status).toBe('READY_FOR_PICKUP');
    expect(body.items.map((i: { status: string }) => i.status)).toEqual(['IN_CART', 'IN_CART', 'IN_CART']);
    expect(body.payment.sub_total).toBe(o.payment.sub_total);
    expect((await get(o.order_id)).json()).toEqual(body);
  });

  it('3. partial fulfilment: a NOT_FOUND line and a smaller quantity; totals follow the picked lines', async () => {
    const o = await order(BASKET);
    const [leche, pan] = o.items;
    const res = await put(o.order_id, { status: 'READY_FOR_PICKUP', items: [
      { _id: leche._id, status: 'IN_CART', pricing: { quantity: 1 } },
      { _id: pan._id, status: 'NOT_FOUND' },
    ] });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.items[0]).toMatchObject({ status: 'IN_CART', pricing: { quantity: 1, total_price: 1250.5 }, original_pricing: { quantity: 2, total_price: 2501 } });
    expect(body.items[1].status).toBe('NOT_FOUND');
    expect(body.items[2].status).toBe('IN_CART');
    expect(body.payment.sub_total).toBe(5750.45);
    expect(body.payment.order_total).toBe(body.payment.sub_total);
  });

  it('4. modify items (by sku) and fulfil', async () => {
    const o = await order([{ sku: 'AGUA-500', quantity: 6 }, { sku: 'GALLETITAS', quantity: 2 }]);
    const res = await put(o.order_id, { status: 'READY_FOR_PICKUP', items: [{ sku: 'AGUA-500', status: 'IN_CART', pricing: { quantity: 4 } }] });
    expect(res.statusCode).toBe(200);
    expect(res.json().items[0].pricing).toMatchObject({ quantity: 4, total_price: 2603.02 });
    expect(res.json().payment.sub_total).toBe(4603);
  });

  it('5. change the picked weight of a KG item and fulfil (priced by weight, half-up once)', async () => {
    const o = await order([{ sku: 'QUESO-TYBO', weight: 1 }, { sku: 'LECHE-1L', quantity: 1 }]);
    const res = await put(o.order_id, { status: 'READY_FOR_PICKUP', items: [{ _id: o.items[0]._id, status: 'IN_CART', pricing: { weight: 1.137 } }] });
    expect(res.statusCode).toBe(200);
    const queso = res.json().items[0];
    expect(queso.pricing).toMatchObject({ pricing_type: 'KG', weight: 1.137, unit_price: 8999.9, total_price: 10232.89 });
    expect(queso.original_pricing).toMatchObject({ weight: 1, total_price: 8999.9 });
    expect(res.json().payment.sub_total).toBe(11483.39);
  });

  it('6. replace an out-of-stock item: original REPLACED, new line with replaced_id, priced from the catalog', async () => {
    const o = await order([{ sku: 'LECHE-1L', quantity: 2 }, { sku: 'PAN-LACTAL', quantity: 1 }]);
    const leche = o.items[0];
    const res = await put(o.order_id, { status: 'READY_FOR_PICKUP', items: [
      { _id: leche._id, status: 'REPLACED' },
      { sku: 'YERBA-1K', status: 'IN_CART', replaced_id: leche._id, pricing: { quantity: 1, unit_price: 0.01 } },
    ] });
    expect(res.statusCode).toBe(200);
    const items = res.json().items;
    expect(items).toHaveLength(3);
    expect(items[0].status).toBe('REPLACED');
    expect(items[2]).toMatchObject({ sku: 'YERBA-1K', status: 'IN_CART', replaced_id: leche._id, name: 'Yerba mate 1 kg' });
    expect(items[2].pricing).toMatchObject({ unit_price: 4999.999, total_price: 5000, vat_percent: 10.5 });
    expect(items[2].original_pricing).toMatchObject({ quantity: 0, total_price: 0 });
    expect(res.json().payment.sub_total).toBe(7199.99);
  });

  it('7. add an extra item (ADDITION), including a weighted one', async () => {
    const o = await order([{ sku: 'PAN-LACTAL', quantity: 1 }]);
    const res = await put(o.order_id, { status: 'READY_FOR_PICKUP', items: [
      { sku: 'GALLETITAS', status: 'ADDITION', pricing: { quantity: 2 } },
      { sku: 'BANANA', status: 'ADDITION', pricing: { weight: 0.75 } },
    ] });
    expect(res.statusCode).toBe(200);
    const items = res.json().items;
    expect(items.map((i: { sku: string; status: string }) => `${i.sku}:${i.status}`)).toEqual(['PAN-LACTAL:IN_CART', 'GALLETITAS:ADDITION', 'BANANA:ADDITION']);
    expect(items[2].pricing).toMatchObject({ pricing_type: 'KG', weight: 0.75, total_price: 1425 });
    expect(res.json().payment.sub_total).toBe(5624.97);
  });

  it('8. review the cart with UPDATE_CART (no webhook, status unchanged), then fulfil resending the same lines', async () => {
    const o = await order([{ sku: 'LECHE-1L', quantity: 3 }, { sku: 'PAN-LACTAL', quantity: 1 }]);
    const edits = [
      { _id: o.items[0]._id, status: 'IN_CART', pricing: { quantity: 2 } },
      { _id: o.items[1]._id, status: 'REPLACED' },
      { sku: 'GALLETITAS', status: 'IN_CART', replaced_id: o.items[1]._id },
      { sku: 'AGUA-500', status: 'ADDITION', pricing: { quantity: 1 } },
    ];
    const review = await put(o.order_id, { status: 'UPDATE_CART', items: edits });
    expect(review.statusCode).toBe(200);
    expect(review.json().status).toBe('RECEIVED');
    expect(review.json().items).toHaveLength(4);
    const fulfil = await put(o.order_id, { status: 'READY_FOR_PICKUP', items: edits });
    expect(fulfil.statusCode).toBe(200);
    expect(fulfil.json().items).toHaveLength(4);
    expect(fulfil.json().payment.sub_total).toBe(4151.75);
    expect((await timeline(o.order_id)).map((e) => [e.type, e.webhook])).toEqual([['RECEIVED', true], ['UPDATE_CART', false], ['READY_FOR_PICKUP', true]]);
  });

  it('vendor cancellation sets cancelled_by VENDOR and keeps the reason', async () => {
    const o = await order(BASKET);
    const res = await put(o.order_id, { status: 'CANCELLED', cancellation: { reason: 'ITEM_UNAVAILABLE' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().cancellation).toEqual({ reason: 'ITEM_UNAVAILABLE', cancelled_by: 'VENDOR' });
  });

  it('refuses every broken rule with a stable code and changes nothing', async () => {
    const o = await order([{ sku: 'LECHE-1L', quantity: 2 }, { sku: 'LECHE-1L', quantity: 1 }, { sku: 'QUESO-TYBO', weight: 1 }, { sku: 'PAN-LACTAL', quantity: 1 }]);
    const [l1, , queso, pan] = o.items;
    const before = (await get(o.order_id)).json();
    const cases: Array<[object, number, string]> = [
      [{ status: 'READY_FOR_PICKUP', items: [{ _id: 'nope', status: 'IN_CART' }] }, 422, 'UNKNOWN_LINE'],
      [{ status: 'READY_FOR_PICKUP', items: [{ sku: 'LECHE-1L', status: 'IN_CART' }] }, 422, 'AMBIGUOUS_LINE'],
      [{ status: 'READY_FOR_PICKUP', items: [{ _id: l1._id, sku: 'PAN-LACTAL', status: 'IN_CART' }] }, 422, 'LINE_SKU_MISMATCH'],
      [{ status: 'READY_FOR_PICKUP', items: [{ sku: 'NOPE', status: 'ADDITION', pricing: { quantity: 1 } }] }, 422, 'SKU_NOT_IN_ASSORTMENT'],
      [{ status: 'READY_FOR_PICKUP', items: [{ sku: 'INACTIVO', status: 'ADDITION', pricing: { quantity: 1 } }] }, 422, 'PRODUCT_INACTIVE'],
      [{ status: 'READY_FOR_PICKUP', items: [{ _id: l1._id, status: 'IN_CART', pricing: { quantity: 3 } }] }, 422, 'QUANTITY_ABOVE_ORDERED'],
      [{ status: 'READY_FOR_PICKUP', items: [{ _id: l1._id, status: 'IN_CART', pricing: { quantity: 0 } }] }, 422, 'QUANTITY_INVALID'],
      [{ status: 'READY_FOR_PICKUP', items: [{ _id: queso._id, status: 'IN_CART', pricing: { weight: 1.25 } }] }, 422, 'WEIGHT_OUT_OF_TOLERANCE'],
      [{ status: 'READY_FOR_PICKUP', items: [{ _id: queso._id, status: 'IN_CART', pricing: { weight: 0.79 } }] }, 422, 'WEIGHT_OUT_OF_TOLERANCE'],
      [{ status: 'READY_FOR_PICKUP', items: [{ _id: pan._id, status: 'IN_CART', pricing: { weight: 1 } }] }, 422, 'WEIGHT_NOT_ALLOWED'],
      [{ status: 'READY_FOR_PICKUP', items: [{ sku: 'YERBA-1K', status: 'IN_CART', pricing: { quantity: 1 } }] }, 422, 'REPLACEMENT_WITHOUT_REPLACED_ID'],
      [{ status: 'READY_FOR_PICKUP', items: [{ _id: pan._id, status: 'REPLACED' }] }, 422, 'REPLACED_LINE_WITHOUT_REPLACEMENT'],
      [{ status: 'READY_FOR_PICKUP', items: [{ sku: 'YERBA-1K', status: 'IN_CART', replaced_id: 'nope' }] }, 422, 'INVALID_REPLACEMENT'],
      [{ status: 'READY_FOR_PICKUP', items: o.items.map((i: { _id: string }) => ({ _id: i._id, status: 'NOT_FOUND' })) }, 422, 'ALL_ITEMS_NOT_FOUND'],
      [{ status: 'READY_FOR_PICKUP', items: [{ _id: pan._id, status: 'IN_CART' }, { _id: pan._id, status: 'NOT_FOUND' }] }, 400, 'DUPLICATE_LINE'],
      [{ status: 'DISPATCHED' }, 422, 'STATUS_NOT_ALLOWED_FOR_TRANSPORT'],
      [{ status: 'ACCEPTED', accepted_for: '2026-12-01T15:30:00Z' }, 422, 'STATUS_NOT_ALLOWED_FOR_TRANSPORT'],
      [{ status: 'CANCELLED' }, 400, 'CANCELLATION_REASON_REQUIRED'],
      [{ status: 'CANCELLED', cancellation: { reason: 'BORED' } }, 400, 'VALIDATION_FAILED'],
      [{ status: 'READY_FOR_PICKUP', items: [{ _id: pan._id, status: 'IN_CART', pricing: { quantity: 'one' }, note: 'x' }] }, 400, 'VALIDATION_FAILED'],
      [{ status: 'SHIPPED' }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [body, status, code] of cases) {
      const res = await put(o.order_id, body);
      expect(res.statusCode, `${code} ${JSON.stringify(body)}`).toBe(status);
      expect(res.json().error.code, JSON.stringify(body)).toBe(code);
    }
    const mismatch = await s.app.inject({ method: 'PUT', url: `/v2/chains/${s.a.chain.id}/orders/${o.order_id}`, headers: bearer(s.a.token), payload: { order_id: pan._id, status: 'READY_FOR_PICKUP' } });
    expect(mismatch.json().error.code).toBe('ORDER_ID_MISMATCH');
    expect((await get(o.order_id)).json()).toEqual(before);
    expect(await timeline(o.order_id)).toHaveLength(1);
    // Once fulfilled, the cart is closed.
    expect((await put(o.order_id, { status: 'READY_FOR_PICKUP' })).statusCode).toBe(200);
    const late = await put(o.order_id, { status: 'UPDATE_CART', items: [{ _id: pan._id, status: 'NOT_FOUND' }] });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('ORDER_NOT_EDITABLE');
    const again = await put(o.order_id, { status: 'READY_FOR_PICKUP' });
    expect(again.json().error.code).toBe('INVALID_STATUS_TRANSITION');
  });

  it('INDIRECT_POS (Pelican) orders are read-only for the partner', async () => {
    const o = await placeOrderVia(s.app, op, s.a.indirect, [{ sku: 'LECHE-1L', quantity: 1 }]);
    const res = await put(o.order_id, { status: 'READY_FOR_PICKUP' });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('INDIRECT_POS_READ_ONLY');
    expect((await get(o.order_id)).json().status).toBe('RECEIVED');
  });

  it('another chain gets 404 for GET and PUT, like an order that does not exist', async () => {
    const o = await order(BASKET);
    for (const res of [await get(o.order_id, s.b), await put(o.order_id, { status: 'READY_FOR_PICKUP' }, {}, s.b)]) {
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('ORDER_NOT_FOUND');
    }
    const wrongChainPath = await s.app.inject({ method: 'GET', url: `/v2/chains/${s.a.chain.id}/orders/${o.order_id}`, headers: bearer(s.b.token) });
    expect(wrongChainPath.statusCode).toBe(404);
    const list = await s.app.inject({ method: 'GET', url: `/v2/chains/${s.b.chain.id}/vendors/${s.a.direct.code}/orders?start_time=2020-01-01T00:00:00Z&end_time=2020-01-02T00:00:00Z`, headers: bearer(s.b.token) });
    expect(list.statusCode).toBe(404);
    const status = await s.app.inject({ method: 'GET', url: `/v2/chains/${s.b.chain.id}/vendors/${s.a.direct.code}/status`, headers: bearer(s.b.token) });
    expect(status.statusCode).toBe(404);
    expect((await get(o.order_id)).json().status).toBe('RECEIVED');
  });

  it('Idempotency-Key: same key and body replays the first response; another body → 422', async () => {
    const o = await order(BASKET);
    const body = { status: 'UPDATE_CART', items: [{ _id: o.items[0]._id, status: 'IN_CART', pricing: { quantity: 1 } }] };
    const first = await put(o.order_id, body, { 'idempotency-key': 'k-123' });
    expect(first.statusCode).toBe(200);
    const replay = await put(o.order_id, body, { 'idempotency-key': 'k-123' });
    expect(replay.statusCode).toBe(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json()).toEqual(first.json());
    const other = await put(o.order_id, { status: 'READY_FOR_PICKUP' }, { 'idempotency-key': 'k-123' });
    expect(other.statusCode).toBe(422);
    expect(other.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await timeline(o.order_id)).toHaveLength(2);
  });

  it('two concurrent PUTs are serialised: both edits survive, one fulfilment wins', async () => {
    const o = await order([{ sku: 'LECHE-1L', quantity: 2 }, { sku: 'PAN-LACTAL', quantity: 1 }, { sku: 'AGUA-500', quantity: 3 }]);
    const [r1, r2] = await Promise.all([
      put(o.order_id, { status: 'UPDATE_CART', items: [{ _id: o.items[0]._id, status: 'IN_CART', pricing: { quantity: 1 } }] }),
      put(o.order_id, { status: 'UPDATE_CART', items: [{ _id: o.items[2]._id, status: 'NOT_FOUND' }] }),
    ]);
    expect([r1.statusCode, r2.statusCode]).toEqual([200, 200]);
    const after = (await get(o.order_id)).json();
    expect(after.items[0].pricing.quantity).toBe(1);
    expect(after.items[2].status).toBe('NOT_FOUND');
    const results = await Promise.all([put(o.order_id, { status: 'READY_FOR_PICKUP' }), put(o.order_id, { status: 'READY_FOR_PICKUP', items: [{ _id: o.items[1]._id, status: 'NOT_FOUND' }] })]);
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([200, 409]);
    const final = (await get(o.order_id)).json();
    const winner = results.find((r) => r.statusCode === 200)!.json();
    expect(final).toEqual(winner);
    expect(results.find((r) => r.statusCode === 409)!.json().error.code).toMatch(/^(INVALID_STATUS_TRANSITION|ORDER_NOT_EDITABLE)$/);
    expect(await timeline(o.order_id)).toHaveLength(4);
  });
});
