/**
 * Orders, the way existing integrations written for the real Partner API call them (partner-api.md
 * §3.3, §9). Where each request shape comes from:
 *  - [HS]  ryingapp/TRYING-POS server/hungerstation.ts — markOrderReady / fulfillOrder (order_id in the
 *          body, items rebuilt from the webhook payload with its whole `pricing` object, status IN_CART),
 *          cancelOrder (every item NOT_FOUND, `cancellation: { reason, cancelled_by: "VENDOR" }`),
 *          updateOrderCart (UPDATE_CART, pricing with pricing_type + unit_price), getVendorOrders
 *          (start_time, end_time, page_size, page).
 *  - [DF]  LuckyFSChen/DineFlow app/Services/FoodpandaOrderSyncService.php + FoodpandaApiClient.php —
 *          completeOrder / cancelOrder send order_id, the webhook's items with their webhook status
 *          (NOT_PROCESSED) and pricing { pricing_type, quantity, unit_price, weight }, CANCELLED with items.
 *  - [AM]  BeelBegins/aimatic aimatic/foodpanda_integration/orders.py — push_status_update sends
 *          `{"status": "READY_FOR_PICKUP"}` (no order_id, no items); reject_order sends
 *          `{"status": "CANCELLED", "cancellation": {"reason": "ITEM_UNAVAILABLE"}}`.
 *  - [FPD] developer.foodpanda.com/en/documentation/pos-pelican-picking-use-cases (and the foodora copy,
 *          /en/documentation/api/manage-incoming-orders/pelican-picking/use-cases): the list as
 *          `GET /v2/chains/{chain_id}/vendors/7253942?start_time=2024-09-11T10%3A40%3A00&end_time=…&page_size=&page=`
 *          with `Content-Type: application/json` and `--data ''` (which makes curl send a POST), times
 *          "in UTC" without a zone; and the single order as `GET /v2/orders/{order_id}`.
 *  - [FPU] developer.foodpanda.com/en/documentation/pos-partner-picking-use-cases — item statuses, with
 *          NOT_PROCESSED "the initial status of an item when received to your webhook".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCompat, type CompatEnv } from './support.js';

// Run the server in a zone west of UTC: a time without a zone read as local time would miss by 3 hours.
const SAVED_TZ = process.env.TZ;
process.env.TZ = 'America/Argentina/Buenos_Aires';

const BASKET = [{ sku: 'LECHE-1L', quantity: 2 }, { sku: 'PAN-LACTAL', quantity: 1 }, { sku: 'QUESO-TYBO', weight: 0.5 }];
/** 2 × 1250.50 + 2199.99 + 0.5 kg × 8999.90 */
const BASKET_TOTAL = 9200.94;

describe('compatibility: orders', () => {
  let env: CompatEnv;
  beforeAll(async () => {
    env = await startCompat({ webhooks: true });
  });
  afterAll(async () => {
    await env?.close();
    process.env.TZ = SAVED_TZ;
  });

  const path = (id: string) => `/v2/chains/${env.chainId}/orders/${id}`;
  const put = (id: string, body: unknown) => env.call('PUT', path(id), { json: body });
  const get = async (id: string) => (await env.call('GET', path(id))).body;
  /** The RECEIVED webhook body of an order: what the integrations above keep as their "raw payload". */
  async function received(orderId: string): Promise<any> {
    const [hook] = await env.receiver!.waitFor(1, { filter: (r) => r.orderId === orderId && r.json?.status === 'RECEIVED' });
    return hook!.json;
  }
  async function placeAndReceive(items = BASKET, transport: 'LOGISTICS_DELIVERY' | 'VENDOR_DELIVERY' = 'LOGISTICS_DELIVERY') {
    const o = await env.placeOrder(items, { transport });
    return received(o.order_id);
  }

  describe('PUT', () => {
    it('[HS] fulfil with order_id and the webhook items echoed back with their whole pricing: accepted, read-only fields ignored', async () => {
      const raw = await placeAndReceive();
      // hungerstation.ts buildItemsForFulfillment(rawPayload)
      const items = raw.items.map((item: any) => ({ _id: item._id, sku: item.sku, pricing: item.pricing || item.original_pricing, status: 'IN_CART' }));
      const res = await put(raw.order_id, { order_id: raw.order_id, items, status: 'READY_FOR_PICKUP' });
      expect(res.status, res.text).toBe(200);
      expect(res.body.status).toBe('READY_FOR_PICKUP');
      expect(res.body.items.map((i: any) => i.status)).toEqual(['IN_CART', 'IN_CART', 'IN_CART']);
      expect(res.body.payment.sub_total).toBe(BASKET_TOTAL);
      expect(res.ignored).toEqual(expect.arrayContaining([
        'body.items[0].pricing.pricing_type',
        'body.items[0].pricing.unit_price',
        'body.items[0].pricing.total_price',
        'body.items[0].pricing.min_quantity',
        'body.items[0].pricing.max_quantity',
        'body.items[0].pricing.vat_percent',
      ]));
      // Reported once per field, not once per item.
      expect(res.ignored.filter((f) => f.endsWith('.pricing.unit_price'))).toEqual(['body.items[0].pricing.unit_price']);
      const hook = await env.receiver!.waitFor(1, { filter: (r) => r.orderId === raw.order_id && r.json?.status === 'READY_FOR_PICKUP' });
      expect(hook[0]!.json.payment.sub_total).toBe(BASKET_TOTAL);
    });

    it('[AM] fulfil with only {"status": "READY_FOR_PICKUP"}: no order_id, no items → every line picked as ordered', async () => {
      const raw = await placeAndReceive();
      const res = await put(raw.order_id, { status: 'READY_FOR_PICKUP' });
      expect(res.status, res.text).toBe(200);
      expect(res.body.items.map((i: any) => i.status)).toEqual(['IN_CART', 'IN_CART', 'IN_CART']);
      expect(res.body.payment.sub_total).toBe(BASKET_TOTAL);
      expect(res.ignored).toEqual([]);
    });

    it('[DF] fulfil echoing each item with its webhook status NOT_PROCESSED: picked as ordered, the pricing sent is ignored', async () => {
      const raw = await placeAndReceive();
      expect(raw.items.every((i: any) => i.status === 'NOT_PROCESSED')).toBe(true);
      // FoodpandaOrderSyncService::buildOutboundItems + FoodpandaApiClient::updateOrderStatus
      const items = raw.items.map((p: any) => ({
        _id: p._id,
        sku: p.sku,
        pricing: Object.fromEntries(Object.entries({ pricing_type: p.pricing.pricing_type ?? 'UNIT', quantity: p.pricing.quantity ?? 1, unit_price: p.pricing.unit_price, weight: p.pricing.weight }).filter(([, v]) => v !== undefined && v !== null && v !== '')),
        status: p.status ?? 'IN_CART',
      }));
      const res = await put(raw.order_id, { order_id: raw.order_id, status: 'READY_FOR_PICKUP', items });
      expect(res.status, res.text).toBe(200);
      expect(res.body.items.map((i: any) => i.status)).toEqual(['IN_CART', 'IN_CART', 'IN_CART']);
      expect(res.body.items[2].pricing).toMatchObject({ pricing_type: 'KG', weight: 0.5, total_price: 4499.95 });
      expect(res.body.payment.sub_total).toBe(BASKET_TOTAL);
      expect(res.ignored).toEqual(expect.arrayContaining(['body.items[0].pricing', 'body.items[0].pricing.pricing_type', 'body.items[0].pricing.unit_price']));
    });

    it('[DF][FPU] NOT_PROCESSED on UPDATE_CART leaves those lines untouched while the others change', async () => {
      const raw = await placeAndReceive();
      const [leche, pan, queso] = raw.items;
      const res = await put(raw.order_id, { status: 'UPDATE_CART', items: [
        { _id: leche._id, sku: leche.sku, status: 'NOT_PROCESSED', pricing: { quantity: 1 } },
        { _id: pan._id, sku: pan.sku, status: 'NOT_FOUND' },
        { _id: queso._id, sku: queso.sku, status: 'NOT_PROCESSED' },
      ] });
      expect(res.status, res.text).toBe(200);
      expect(res.body.status).toBe('RECEIVED');
      expect(res.body.items.map((i: any) => i.status)).toEqual(['NOT_PROCESSED', 'NOT_FOUND', 'NOT_PROCESSED']);
      expect(res.body.items[0].pricing.quantity).toBe(2);
      expect(res.body.payment.sub_total).toBe(7000.95); // 2501.00 + 4499.95
      expect(res.ignored).toEqual(['body.items[0].pricing']);
      const done = await put(raw.order_id, { status: 'READY_FOR_PICKUP' });
      expect(done.body.items.map((i: any) => i.status)).toEqual(['IN_CART', 'NOT_FOUND', 'IN_CART']);
      expect(done.body.payment.sub_total).toBe(7000.95);
    });

    it('[HS] UPDATE_CART with pricing_type and a unit_price in every item: quantities, weights and replacements apply, the server prices stand', async () => {
      const raw = await placeAndReceive();
      const [leche, pan, queso] = raw.items;
      const res = await put(raw.order_id, { order_id: raw.order_id, status: 'UPDATE_CART', items: [
        { _id: leche._id, sku: leche.sku, status: 'IN_CART', pricing: { pricing_type: 'UNIT', quantity: 1, unit_price: 0.01 } },
        { _id: queso._id, sku: queso.sku, status: 'IN_CART', pricing: { pricing_type: 'KG', quantity: 1, unit_price: 1, weight: 0.55 } },
        { _id: pan._id, sku: pan.sku, status: 'REPLACED', pricing: { pricing_type: 'UNIT', quantity: 1, unit_price: 2199.99 } },
        { sku: 'GALLETITAS', status: 'IN_CART', replaced_id: pan._id, pricing: { pricing_type: 'UNIT', quantity: 1, unit_price: 0.01 } },
      ] });
      expect(res.status, res.text).toBe(200);
      const items = res.body.items;
      expect(items[0].pricing).toMatchObject({ quantity: 1, unit_price: 1250.5, total_price: 1250.5 });
      expect(items[2].pricing).toMatchObject({ weight: 0.55, unit_price: 8999.9, total_price: 4949.95 });
      expect(items[1].status).toBe('REPLACED');
      expect(items[3]).toMatchObject({ sku: 'GALLETITAS', replaced_id: pan._id, pricing: { unit_price: 999.99, total_price: 999.99 } });
      expect(res.body.payment.sub_total).toBe(7200.44);
      expect(res.ignored).toEqual(['body.items[0].pricing.pricing_type', 'body.items[0].pricing.unit_price']);
    });

    it('items echoed from the GET order verbatim (every read-only field) with a line changed: the change applies, nothing else', async () => {
      const raw = await placeAndReceive();
      const order = await get(raw.order_id);
      const items = order.items.map((i: any, n: number) =>
        n === 0 ? { ...i, status: 'IN_CART', pricing: { ...i.pricing, quantity: 1 } } : n === 1 ? { ...i, status: 'NOT_FOUND' } : { ...i, status: 'IN_CART' },
      );
      const res = await put(raw.order_id, { ...order, status: 'READY_FOR_PICKUP', items });
      expect(res.status, res.text).toBe(200);
      expect(res.body.items.map((i: any) => `${i.status}:${i.pricing.quantity}`)).toEqual(['IN_CART:1', 'NOT_FOUND:1', 'IN_CART:1']);
      expect(res.body.items[0].original_pricing.quantity).toBe(2);
      expect(res.body.payment.sub_total).toBe(5750.45); // 1250.50 + 4499.95
      // accepted_for: null (as the GET answers it) is "not sent".
      for (const f of ['body.accepted_for', 'body.external_order_id', 'body.client', 'body.customer', 'body.payment', 'body.sys', 'body.items[0].barcode', 'body.items[0].name',
        'body.items[0].original_pricing', 'body.items[0].discount', 'body.items[0].promotion', 'body.items[0].instructions', 'body.items[0].image_url',
        'body.items[0].container_deposit', 'body.items[0].pricing.total_price']) {
        expect(res.ignored, f).toContain(f);
      }
    });

    it('an item without a status is picked (IN_CART) with what it says', async () => {
      const raw = await placeAndReceive();
      const res = await put(raw.order_id, { status: 'READY_FOR_PICKUP', items: [{ _id: raw.items[0]._id, pricing: { quantity: 1 } }] });
      expect(res.status, res.text).toBe(200);
      expect(res.body.items[0]).toMatchObject({ status: 'IN_CART', pricing: { quantity: 1, total_price: 1250.5 } });
    });

    it('[HS] cancel with every item NOT_FOUND and cancelled_by VENDOR; [DF] cancel with the webhook items; [AM] cancel with a reason only', async () => {
      const hs = await placeAndReceive();
      const hsItems = hs.items.map((item: any) => ({ _id: item._id, sku: item.sku, pricing: item.pricing || item.original_pricing, status: 'NOT_FOUND' }));
      let res = await put(hs.order_id, { order_id: hs.order_id, items: hsItems, cancellation: { reason: 'TOO_BUSY', cancelled_by: 'VENDOR' }, status: 'CANCELLED' });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({ status: 'CANCELLED', cancellation: { reason: 'TOO_BUSY', cancelled_by: 'VENDOR' } });
      // The lines stay as they were ordered: a cancellation does not pick.
      expect(res.body.items.map((i: any) => i.status)).toEqual(['NOT_PROCESSED', 'NOT_PROCESSED', 'NOT_PROCESSED']);
      expect(res.ignored).toEqual(expect.arrayContaining(['body.items', 'body.cancellation.cancelled_by']));
      const hook = await env.receiver!.waitFor(1, { filter: (r) => r.orderId === hs.order_id && r.json?.status === 'CANCELLED' });
      expect(hook[0]!.json.cancellation).toEqual({ reason: 'TOO_BUSY', cancelled_by: 'VENDOR' });

      const df = await placeAndReceive();
      const dfItems = df.items.map((p: any) => ({ _id: p._id, sku: p.sku, pricing: { pricing_type: p.pricing.pricing_type, quantity: p.pricing.quantity }, status: p.status }));
      res = await put(df.order_id, { order_id: df.order_id, status: 'CANCELLED', items: dfItems, cancellation: { reason: 'ITEM_UNAVAILABLE' } });
      expect(res.status, res.text).toBe(200);
      expect(res.body.cancellation).toEqual({ reason: 'ITEM_UNAVAILABLE', cancelled_by: 'VENDOR' });
      expect(res.ignored).toContain('body.items');

      const am = await placeAndReceive();
      res = await put(am.order_id, { status: 'CANCELLED', cancellation: { reason: 'ITEM_UNAVAILABLE' } });
      expect(res.status, res.text).toBe(200);
      expect(res.body.cancellation).toEqual({ reason: 'ITEM_UNAVAILABLE', cancelled_by: 'VENDOR' });
      expect(res.ignored).toEqual([]);

      // Whatever cancelled_by says, a partner's cancellation is the vendor's.
      const other = await placeAndReceive();
      res = await put(other.order_id, { status: 'CANCELLED', cancellation: { reason: 'CLOSED', cancelled_by: 'CUSTOMER' } });
      expect(res.body.cancellation).toEqual({ reason: 'CLOSED', cancelled_by: 'VENDOR' });
    });

    it('keeps every refusal the contract wants, with unknown fields around it', async () => {
      const raw = await placeAndReceive();
      const before = await get(raw.order_id);
      const [leche] = raw.items;
      const cases: Array<[unknown, number, string, string?]> = [
        [{ order_id: leche._id, status: 'READY_FOR_PICKUP' }, 400, 'ORDER_ID_MISMATCH'],
        [{ status: 'READY_FOR_PICKUP', items: [{ ...leche, status: 'IN_CART', pricing: { ...leche.pricing, quantity: 3 } }] }, 422, 'QUANTITY_ABOVE_ORDERED'],
        [{ status: 'READY_FOR_PICKUP', items: [{ _id: 'nope', sku: 'LECHE-1L', status: 'NOT_PROCESSED', name: 'x' }] }, 422, 'UNKNOWN_LINE'],
        [{ status: 'READY_FOR_PICKUP', items: [{ sku: 'NOPE-SKU', status: 'ADDITION', barcode: ['1'] }] }, 422, 'SKU_NOT_IN_ASSORTMENT'],
        [{ status: 'READY_FOR_PICKUP', items: [{ _id: leche._id, pricing: { quantity: '1', unit_price: 1 } }] }, 400, 'VALIDATION_FAILED', 'body.items[0].pricing.quantity'],
        [{ status: 'READY_FOR_PICKUP', items: [{ _id: leche._id, status: 'PICKED' }] }, 400, 'VALIDATION_FAILED', 'body.items[0].status'],
        [{ status: 'CANCELLED', cancellation: { reason: 'TOO_BUSY', cancelled_by: 'SOMEONE' } }, 400, 'VALIDATION_FAILED', 'body.cancellation.cancelled_by'],
        [{ status: 'CANCELLED', cancelled_by: 'VENDOR' }, 400, 'CANCELLATION_REASON_REQUIRED'],
        [{ status: 'ACCEPTED', accepted_for: '0000-01-01T10:00:00' }, 400, 'VALIDATION_FAILED', 'body.accepted_for'],
        [{ status: 'ACCEPTED', accepted_for: 'tomorrow' }, 400, 'VALIDATION_FAILED', 'body.accepted_for'],
      ];
      for (const [body, status, code, field] of cases) {
        const res = await put(raw.order_id, body);
        expect(res.status, `${code} ${JSON.stringify(body)}`).toBe(status);
        expect(res.body.error.code).toBe(code);
        if (field) expect(res.body.error.message).toContain(field);
      }
      expect(await get(raw.order_id)).toEqual(before);
    });
  });

  describe('GET', () => {
    /** "2026-05-01T12:00:00": UTC, without a zone, as the real documentation writes it. */
    const naive = (ms: number) => new Date(ms).toISOString().slice(0, 19);
    let ids: string[];
    let windowQs: string;

    beforeAll(async () => {
      ids = [];
      for (let i = 0; i < 3; i++) ids.push((await env.placeOrder([{ sku: 'AGUA-500', quantity: 1 }], { vendorCode: env.fx.test.code })).order_id);
      const first = Date.parse((await get(ids[0]!)).sys.created_at);
      const last = Date.parse((await get(ids[2]!)).sys.created_at);
      // Two minutes either side: read as Buenos Aires time (UTC-3) this window would hold nothing.
      windowQs = `start_time=${encodeURIComponent(naive(first - 120_000))}&end_time=${encodeURIComponent(naive(last + 120_000))}`;
    });

    it('[FPD] the documented path without /orders, times without a zone, empty page_size= and page=', async () => {
      const res = await env.call('GET', `/v2/chains/${env.chainId}/vendors/${env.fx.test.code}?${windowQs}&page_size=&page=`, { headers: { 'content-type': 'application/json' } });
      expect(res.status, res.text).toBe(200);
      expect(res.body.orders.map((o: any) => o.order_id).sort()).toEqual([...ids].sort());
      expect(res.body).toMatchObject({ page: 1, page_size: 20, total_count: 3, total_pages: 1, pagination: { page: 1, page_size: 20, total_count: 3, total_pages: 1 } });
      expect(res.ignored).toEqual([]);
    });

    it("[FPD] the same curl as documented (--data '' with Content-Type: application/json, i.e. a POST) answers the same list", async () => {
      const res = await env.call('POST', `/v2/chains/${env.chainId}/vendors/${env.fx.test.code}?${windowQs}&page_size=&page=`, { raw: '', headers: { 'content-type': 'application/json' } });
      expect(res.status, res.text).toBe(200);
      expect(res.body.total_count).toBe(3);
    });

    it('[HS] getVendorOrders: /orders with page_size and page, total_pages read at the top level', async () => {
      const res = await env.call('GET', `/v2/chains/${env.chainId}/vendors/${env.fx.test.code}/orders?${windowQs}&page_size=2&page=1`);
      expect(res.status, res.text).toBe(200);
      expect(res.body.orders).toHaveLength(2);
      expect(res.body).toMatchObject({ page: 1, page_size: 2, total_count: 3, total_pages: 2 });
      expect(res.body.pagination).toEqual({ page: 1, page_size: 2, total_count: 3, total_pages: 2 });
    });

    it('the path without /orders still reads the vendor without list parameters, and asks for the window when only paging is sent', async () => {
      const vendor = await env.call('GET', `/v2/chains/${env.chainId}/vendors/${env.fx.test.code}`);
      expect(vendor.status).toBe(200);
      expect(vendor.body).toMatchObject({ code: env.fx.test.code, name: env.fx.test.name, is_test: true });
      const paging = await env.call('GET', `/v2/chains/${env.chainId}/vendors/${env.fx.test.code}?page=2`);
      expect(paging.status).toBe(400);
      expect(paging.body.error.message).toContain('querystring.start_time');
      const half = await env.call('GET', `/v2/chains/${env.chainId}/vendors/${env.fx.test.code}?start_time=2026-01-01T00:00:00`);
      expect(half.status).toBe(400);
      expect(half.body.error.message).toContain('querystring.end_time');
    });

    it('[FPD] GET /v2/orders/{order_id} without the chain: the token names it', async () => {
      const res = await env.call('GET', `/v2/orders/${ids[0]}`);
      expect(res.status, res.text).toBe(200);
      expect(res.body).toEqual(await get(ids[0]!));
      const unknown = await env.call('GET', '/v2/orders/00000000-0000-4000-8000-000000000000');
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.code).toBe('ORDER_NOT_FOUND');
    });
  });
});
