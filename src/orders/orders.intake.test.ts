import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, operatorKey, portalLogin, seedChain } from '../test-support/fixtures.js';
import { CUSTOMER, placeOrderVia, seedCatalog } from '../test-support/order-fixtures.js';
import { useTestApp } from '../test-support/test-app.js';
import { createToken } from '../tokens/tokens.service.js';

describe('order intake (POST /platform/v1/orders)', () => {
  const s = useTestApp({ chains: { a: 'Intake A' } });
  let op: string;

  beforeAll(async () => {
    op = await operatorKey(s.ctx);
    await seedCatalog(s.ctx, [s.a.direct, s.a.indirect, s.a.test]);
  });

  const post = (payload: object) => s.app.inject({ method: 'POST', url: '/platform/v1/orders', headers: bearer(op), payload });
  const count = async () => Number((await s.ctx.db.selectFrom('orders').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('answers 201 with the full order object, priced from the listing, money exact', async () => {
    const o = await placeOrderVia(s.app, op, s.a.direct, [
      { sku: 'AGUA-500', quantity: 3 },
      { sku: 'QUESO-TYBO', weight: 0.853 },
    ]);
    expect(o.status).toBe('RECEIVED');
    expect(o.order_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(o.external_order_id).toMatch(/^\d{18}$/);
    expect(o.order_code).toMatch(/^[A-Z]{2}-\d{3}$/);
    expect(o.isPreorder).toBe(false);
    expect(o.client).toMatchObject({ chain_id: s.a.chain.id, vendor_id: s.a.direct.code, store_id: s.a.direct.external_id, country_code: 'AR' });
    expect(o.customer.first_name).toBe('María');
    expect(o.customer.delivery_address.street).toBe('Honduras');
    expect(o.customer.delivery_address.zipcode).toBeNull();
    const [agua, queso] = o.items;
    expect(agua).toMatchObject({ sku: 'AGUA-500', status: 'NOT_PROCESSED', name: 'Agua mineral 500 ml', discount: 0, promotion: [] });
    expect(agua.pricing).toEqual({ pricing_type: 'UNIT', unit_price: 650.755, total_price: 1952.27, quantity: 3, min_quantity: 1, max_quantity: 3, vat_percent: 21 });
    expect(agua.original_pricing).toEqual(agua.pricing);
    expect(queso.pricing).toMatchObject({ pricing_type: 'KG', unit_price: 8999.9, weight: 0.853, total_price: 7676.91, quantity: 1 });
    expect(o.payment).toMatchObject({ type: 'PAID', sub_total: 9629.18, order_total: 9629.18, discount: 0, discounts: [], delivery_fee: 0 });
    expect(o.sys).toMatchObject({ sequence: expect.any(Number), created_by: expect.stringContaining('operator-key:') });
    const timeline = (await s.app.inject({ method: 'GET', url: `/platform/v1/orders/${o.order_id}`, headers: bearer(op) })).json().timeline;
    expect(timeline).toHaveLength(1);
    expect(timeline[0]).toMatchObject({ type: 'RECEIVED', status: 'RECEIVED', webhook: true });
  });

  it('INDIRECT_POS orders are stored without a RECEIVED webhook (the Pelican picker takes them)', async () => {
    const o = await placeOrderVia(s.app, op, s.a.indirect, [{ sku: 'LECHE-1L', quantity: 1 }]);
    const timeline = (await s.app.inject({ method: 'GET', url: `/platform/v1/orders/${o.order_id}`, headers: bearer(op) })).json().timeline;
    expect(timeline[0]).toMatchObject({ type: 'RECEIVED', webhook: false });
  });

  it('accepts the vendor by external id and takes fees', async () => {
    const res = await post({ vendor_id: s.a.direct.external_id, chain_id: s.a.chain.id, transport_type: 'VENDOR_DELIVERY', order_type: 'DELIVERY', items: [{ sku: 'PAN-LACTAL', quantity: 2 }], customer: CUSTOMER, delivery_fee: 500.5 });
    expect(res.statusCode).toBe(201);
    expect(res.json().payment).toMatchObject({ sub_total: 4399.98, delivery_fee: 500.5, order_total: 4900.48 });
  });

  it('refuses bad baskets with stable codes and stores nothing', async () => {
    const before = await count();
    const base = { vendor_id: s.a.direct.code, transport_type: 'LOGISTICS_DELIVERY', order_type: 'DELIVERY', customer: CUSTOMER };
    const cases: Array<[object, number, string, string?]> = [
      [{ ...base, items: [{ sku: 'NOPE', quantity: 1 }] }, 422, 'SKU_NOT_IN_ASSORTMENT', 'body.items[0].sku'],
      [{ ...base, items: [{ sku: 'LECHE-1L', quantity: 1 }, { sku: 'INACTIVO', quantity: 1 }] }, 422, 'PRODUCT_INACTIVE', 'body.items[1].sku'],
      [{ ...base, items: [{ sku: 'LECHE-1L', quantity: 4 }, { sku: 'LECHE-1L', quantity: 3 }] }, 422, 'MAX_SALES_QUANTITY_EXCEEDED', 'body.items[1].quantity'],
      [{ ...base, items: [{ sku: 'BANANA', quantity: 2 }] }, 422, 'WEIGHT_REQUIRED', 'body.items[0].weight'],
      [{ ...base, items: [{ sku: 'LECHE-1L', weight: 1 }] }, 422, 'WEIGHT_NOT_ALLOWED'],
      [{ ...base, vendor_id: 'zzzz' , items: [{ sku: 'LECHE-1L' }] }, 404, 'VENDOR_NOT_FOUND'],
      [{ ...base, items: [] }, 400, 'VALIDATION_FAILED', 'body.items'],
      [{ ...base, items: [{ sku: 'LECHE-1L', quantity: '2' }] }, 400, 'VALIDATION_FAILED', 'body.items[0].quantity'],
      [{ ...base, items: [{ sku: 'LECHE-1L', price: 1 }] }, 400, 'VALIDATION_FAILED', 'body.items[0].price'],
      [{ ...base, transport_type: 'DRONE', items: [{ sku: 'LECHE-1L' }] }, 400, 'VALIDATION_FAILED', 'body.transport_type'],
    ];
    for (const [payload, status, code, field] of cases) {
      const res = await post(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(status);
      expect(res.json().error.code).toBe(code);
      if (field) expect(res.json().error.message).toContain(field);
    }
    expect(await count()).toBe(before);
  });

  it('closed stores refuse intake', async () => {
    const put = (body: object) => s.app.inject({ method: 'PUT', url: `/v2/chains/${s.a.chain.id}/vendors/${s.a.direct.code}/status`, headers: bearer(s.a.token), payload: body });
    expect((await put({ status: 'CLOSED_TODAY', closed_reason: 'TOO_BUSY_KITCHEN' })).statusCode).toBe(200);
    const before = await count();
    const res = await post({ vendor_id: s.a.direct.code, transport_type: 'LOGISTICS_DELIVERY', order_type: 'DELIVERY', customer: CUSTOMER, items: [{ sku: 'LECHE-1L' }] });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('VENDOR_CLOSED');
    expect(await count()).toBe(before);
    expect((await put({ status: 'OPEN' })).statusCode).toBe(200);
    expect((await post({ vendor_id: s.a.direct.code, transport_type: 'LOGISTICS_DELIVERY', order_type: 'DELIVERY', customer: CUSTOMER, items: [{ sku: 'LECHE-1L' }] })).statusCode).toBe(201);
  });

  it('needs the operator key', async () => {
    const res = await s.app.inject({ method: 'POST', url: '/platform/v1/orders', headers: bearer(s.a.token), payload: {} });
    expect(res.statusCode).toBe(401);
  });

  it('test orders: only on test stores, chosen SKUs or a sample basket', async () => {
    const ok = await s.app.inject({ method: 'POST', url: '/platform/v1/test-orders', headers: bearer(op), payload: { vendor_id: s.a.test.code, transport_type: 'VENDOR_DELIVERY' } });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().transport_type).toBe('VENDOR_DELIVERY');
    expect(ok.json().items.length).toBeGreaterThanOrEqual(2);
    expect(ok.json().items.some((i: { pricing: { pricing_type: string } }) => i.pricing.pricing_type === 'KG')).toBe(true);
    const chosen = await s.app.inject({ method: 'POST', url: '/platform/v1/test-orders', headers: bearer(op), payload: { vendor_id: s.a.test.code, items: [{ sku: 'BANANA', weight: 1.2 }] } });
    expect(chosen.statusCode).toBe(201);
    expect(chosen.json().items[0].pricing.weight).toBe(1.2);
    const refused = await s.app.inject({ method: 'POST', url: '/platform/v1/test-orders', headers: bearer(op), payload: { vendor_id: s.a.direct.code } });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe('NOT_A_TEST_STORE');
  });

  it('portal Test Order button: chain admins only, test stores of their chain only', async () => {
    const admin = await portalLogin(s.app, s.a.admin.email, s.a.admin.password);
    const staff = await portalLogin(s.app, s.a.staff.email, s.a.staff.password);
    const post = (login: { cookie: string; csrf: string }, payload: object, chainId = s.a.chain.id) =>
      s.app.inject({ method: 'POST', url: `/portal/api/chains/${chainId}/test-orders`, headers: { cookie: login.cookie, 'x-csrf-token': login.csrf }, payload });
    const ok = await post(admin, { vendor_id: s.a.test.code, items: [{ sku: 'QUESO-TYBO', weight: 0.4 }, { sku: 'PAN-LACTAL', quantity: 1 }], transport_type: 'LOGISTICS_DELIVERY' });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().items.map((i: { sku: string }) => i.sku)).toEqual(['QUESO-TYBO', 'PAN-LACTAL']);
    expect(ok.json().client.vendor_id).toBe(s.a.test.code);
    expect((await post(staff, { vendor_id: s.a.test.code })).statusCode).toBe(403);
    const notTest = await post(admin, { vendor_id: s.a.direct.code });
    expect(notTest.json().error.code).toBe('NOT_A_TEST_STORE');
    const other = await seedChain(s.ctx, 'Intake Other');
    expect((await post(admin, { vendor_id: other.test.code })).statusCode).toBe(404);
    expect((await post(admin, { vendor_id: s.a.test.code }, other.chain.id)).statusCode).toBe(404);
  });

  it('sandbox tokens see test orders only', async () => {
    const { secret } = await createToken(s.ctx, s.a.chain.id, { name: 'Sandbox', environment: 'test' }, 'test');
    const live = await placeOrderVia(s.app, op, s.a.direct, [{ sku: 'PAN-LACTAL', quantity: 1 }]);
    const test = (await s.app.inject({ method: 'POST', url: '/platform/v1/test-orders', headers: bearer(op), payload: { vendor_id: s.a.test.code } })).json();
    const get = (id: string) => s.app.inject({ method: 'GET', url: `/v2/chains/${s.a.chain.id}/orders/${id}`, headers: bearer(secret) });
    expect((await get(live.order_id)).statusCode).toBe(404);
    expect((await get(test.order_id)).statusCode).toBe(200);
    const put = await s.app.inject({ method: 'PUT', url: `/v2/chains/${s.a.chain.id}/orders/${live.order_id}`, headers: bearer(secret), payload: { order_id: live.order_id, status: 'READY_FOR_PICKUP' } });
    expect(put.statusCode).toBe(404);
  });
});
