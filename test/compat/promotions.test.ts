/**
 * Promotions, the way existing integrations written for the real Partner API call them (partner-api.md
 * §5, §9). Where each request shape comes from:
 *  - [HS]  ryingapp/TRYING-POS server/hungerstation.ts — managePromotion (PUT …/promotion with
 *          `reason` among OVERSTOCK | DELISTING | COMPETITIVENESS | EXPIRING_SOON | NMR | TRADING,
 *          `limits: { max_discount_per_order, max_items_per_order }`, `discount[]: { sku[], discount_subtype,
 *          discount_value, active, max_quantity }`), getPromotionStatus (reads `job_status` and
 *          `result: { invalid_vendors, missing_skus, invalid_discounted_skus }`).
 *  - [DOC] partner-api.md §5 / §9 (from the real documentation): both caps applied in pricing, times
 *          without a zone are UTC.
 * Money is checked exactly, at intake and again after a PUT changes the cart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCompat, type CompatEnv } from './support.js';

/** A time `hours` from now, as the real documentation writes them: no zone (UTC). */
function zoneless(hours: number): string {
  return new Date(Date.now() + hours * 3_600_000).toISOString().slice(0, 19);
}

describe('compatibility: promotions', () => {
  let env: CompatEnv;
  beforeAll(async () => {
    env = await startCompat({ webhooks: ['PROMOTION_JOB_COMPLETED', 'RECEIVED'] });
  });
  afterAll(async () => {
    await env?.close();
  });

  const promotionPath = () => `/v2/chains/${env.chainId}/promotion`;
  async function upsert(body: unknown): Promise<any> {
    const res = await env.call('PUT', promotionPath(), { json: body });
    expect(res.status, res.text).toBe(202);
    expect(res.ignored).toEqual([]);
    // With webhooks the server runs a worker too, which may hold the job while runJobs() finds nothing
    // left to claim (Postgres): poll the status as a client does.
    for (let i = 0; i < 400; i++) {
      await env.runJobs();
      const job = (await env.call('GET', `${promotionPath()}/jobs/${res.body.job_id}`)).body;
      if (job.job_status !== 'QUEUED') return job;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`promotion job ${res.body.job_id} did not finish`);
  }
  const put = (orderId: string, body: unknown) => env.call('PUT', `/v2/chains/${env.chainId}/orders/${orderId}`, { json: body });
  const line = (order: any, sku: string) => order.items.find((i: any) => i.sku === sku);
  /** What the customer pays for the items: order_total without the fees. */
  const itemsPaid = (order: any) => {
    const p = order.payment;
    return Math.round((p.order_total - p.delivery_fee - p.service_fee - p.difference_to_minimum - p.container_charge) * 100) / 100;
  };

  it('[HS] reason NMR, max_quantity on a strikethrough: 2 of 5 units at the promotional price, exact at intake and after UPDATE_CART', async () => {
    const job = await upsert({
      vendors: [env.fx.direct.code],
      type: 'STRIKETHROUGH',
      active: true,
      reason: 'NMR',
      display_name: { es_AR: 'Leche 1000' },
      limits: { max_items_per_order: 6 },
      conditions: { start_time: zoneless(-1), end_time: zoneless(24) },
      discount: [{ sku: ['LECHE-1L'], discount_subtype: 'FINAL_PRICE', discount_value: 1000, active: true, max_quantity: 2 }],
    });
    expect(job).toMatchObject({ job_status: 'COMPLETED', status: 'COMPLETED', result: { invalid_vendors: [], missing_skus: {}, invalid_discounted_skus: {} } });
    const listed = (await env.call('GET', `/v2/chains/${env.chainId}/promotions?sku=LECHE-1L`)).body.promotions[0];
    expect(listed).toMatchObject({ reason: 'NMR', state: 'RUNNING' });

    // 5 units: 2 × 1000.00 + 3 × 1250.50 = 5751.50; the line shows the listing price and the saving as discount.
    const order = await env.placeOrder([{ sku: 'LECHE-1L', quantity: 5 }]);
    expect(line(order, 'LECHE-1L')).toMatchObject({ pricing: { unit_price: 1250.5, quantity: 5, total_price: 6252.5 }, discount: 501, promotion: [{ type: 'STRIKETHROUGH', discount_amount: 501 }] });
    expect(order.payment).toMatchObject({ sub_total: 6252.5, discount: 501 });
    expect(itemsPaid(order)).toBe(5751.5);

    // The partner picks only 2: under the cap, the plain strikethrough price again.
    const res = await put(order.order_id, { order_id: order.order_id, status: 'UPDATE_CART', items: [{ _id: line(order, 'LECHE-1L')._id, sku: 'LECHE-1L', status: 'IN_CART', pricing: { pricing_type: 'UNIT', quantity: 2 } }] });
    expect(res.status, res.text).toBe(200);
    expect(line(res.body, 'LECHE-1L')).toMatchObject({ pricing: { unit_price: 1000, quantity: 2, total_price: 2000 }, discount: 0, promotion: [{ discount_amount: 501 }] });
    expect(itemsPaid(res.body)).toBe(2000);
    // 3 units: 2 × 1000.00 + 1250.50 = 3250.50 (saving 2 × 250.50 = 501.00) — the cap follows the picked quantity.
    const three = await put(order.order_id, { status: 'UPDATE_CART', items: [{ _id: line(order, 'LECHE-1L')._id, sku: 'LECHE-1L', status: 'IN_CART', pricing: { quantity: 3 } }] });
    expect(three.status, three.text).toBe(200);
    expect(line(three.body, 'LECHE-1L')).toMatchObject({ pricing: { unit_price: 1250.5, total_price: 3751.5 }, discount: 501 });
    expect(itemsPaid(three.body)).toBe(3250.5);
  });

  it('[HS] limits.max_discount_per_order caps the money one order saves; a PUT that drops a line moves the cap to the next one', async () => {
    const job = await upsert({
      vendors: [env.fx.direct.code, 'not-a-store'],
      type: 'STRIKETHROUGH',
      reason: 'COMPETITIVENESS',
      display_name: { es_AR: '20% con tope' },
      limits: { max_discount_per_order: 300, max_items_per_order: 5 },
      conditions: { start_time: zoneless(-1), end_time: zoneless(24) },
      discount: [{ sku: ['PAN-LACTAL', 'GALLETITAS', 'NO-EXISTE'], discount_subtype: 'PERCENTAGE', discount_value: 20 }],
    });
    expect(job.job_status).toBe('COMPLETED');
    expect(job.result).toEqual({ invalid_vendors: ['not-a-store'], missing_skus: { [env.fx.direct.code]: ['NO-EXISTE'] }, invalid_discounted_skus: {} });
    // Old top-level copies kept for clients written against Comanda.
    expect(job.invalid_vendors).toEqual(['not-a-store']);
    expect(job.refused_rows).toEqual([{ sku: 'NO-EXISTE', vendor: env.fx.direct.code, code: 'MISSING_SKU', message: expect.stringContaining('SKU_NOT_IN_ASSORTMENT') }]);
    // All of them at results_url, JSON or CSV.
    const all = await env.call('GET', new URL(job.results_url).pathname);
    expect(all.status).toBe(200);
    expect(all.body).toEqual({ job_id: job.job_id, job_status: 'COMPLETED', results: job.refused_rows });
    const csv = await env.call('GET', new URL(job.results_url).pathname, { headers: { accept: 'text/csv' } });
    expect(csv.text).toBe(`code,vendor,sku,message\r\nMISSING_SKU,${env.fx.direct.code},NO-EXISTE,not listed at this vendor (SKU_NOT_IN_ASSORTMENT)\r\n`);
    const [hook] = await env.receiver!.waitFor(1, { filter: (r) => r.json?.job_id === job.job_id });
    expect(hook!.headers['comanda-event-type']).toBe('PROMOTION_JOB_COMPLETED');
    expect(hook!.json).toMatchObject({ event_type: 'PROMOTION_JOB_COMPLETED', job_status: 'COMPLETED', refused_count: 1, refused_rows: job.refused_rows });

    // 2 × PAN-LACTAL (2199.99): 20 % saves 880.00 → capped at 300.00; 2 × GALLETITAS (999.99) would save 400.00 → nothing left.
    const order = await env.placeOrder([{ sku: 'PAN-LACTAL', quantity: 2 }, { sku: 'GALLETITAS', quantity: 2 }]);
    expect(line(order, 'PAN-LACTAL')).toMatchObject({ pricing: { unit_price: 2199.99, total_price: 4399.98 }, discount: 300, promotion: [{ discount_amount: 300 }] });
    expect(line(order, 'GALLETITAS')).toMatchObject({ pricing: { unit_price: 999.99, total_price: 1999.98 }, discount: 0, promotion: [] });
    expect(order.payment).toMatchObject({ sub_total: 6399.96, discount: 300 });
    expect(itemsPaid(order)).toBe(6099.96);

    // PAN-LACTAL not found: GALLETITAS now gets the cap (400.00 → 300.00).
    const res = await put(order.order_id, {
      order_id: order.order_id,
      status: 'UPDATE_CART',
      items: [
        { _id: line(order, 'PAN-LACTAL')._id, sku: 'PAN-LACTAL', status: 'NOT_FOUND' },
        { _id: line(order, 'GALLETITAS')._id, sku: 'GALLETITAS', status: 'IN_CART', pricing: { pricing_type: 'UNIT', quantity: 2 } },
      ],
    });
    expect(res.status, res.text).toBe(200);
    expect(line(res.body, 'GALLETITAS')).toMatchObject({ pricing: { unit_price: 999.99, total_price: 1999.98 }, discount: 300, promotion: [{ discount_amount: 300 }] });
    expect(res.body.payment).toMatchObject({ sub_total: 1999.98, discount: 300 });
    expect(itemsPaid(res.body)).toBe(1699.98);
    // One GALLETITAS: 999.99 × 0.8 = 799.992 → 799.99, saves 200.00, under the cap: plain strikethrough.
    const one = await put(order.order_id, { status: 'READY_FOR_PICKUP', items: [{ _id: line(order, 'PAN-LACTAL')._id, status: 'NOT_FOUND' }, { _id: line(order, 'GALLETITAS')._id, status: 'IN_CART', pricing: { quantity: 1 } }] });
    expect(one.status, one.text).toBe(200);
    expect(line(one.body, 'GALLETITAS')).toMatchObject({ pricing: { unit_price: 799.992, total_price: 799.99 }, discount: 0 });
    expect(itemsPaid(one.body)).toBe(799.99);
  });

  it('[HS] max_quantity on a bundle caps the free units; a wrong type on a cap is a 400 naming it', async () => {
    await upsert({
      vendors: [env.fx.direct.code],
      type: 'SAME_ITEM_BUNDLE',
      reason: 'OVERSTOCK',
      display_name: { es_AR: '2x1 agua' },
      conditions: { start_time: zoneless(-1), end_time: zoneless(24), purchased_quantity: 2, discounted_quantity: 1 },
      discount: [{ sku: ['AGUA-500'], discount_subtype: 'FREE_ITEM', max_quantity: 1 }],
    });
    // 6 units would make 3 free; max_quantity 1 → one free unit: pay 5/6 of 3904.53 = 3253.775 → 3253.78 (half-up), discount 650.75.
    const order = await env.placeOrder([{ sku: 'AGUA-500', quantity: 6 }]);
    expect(line(order, 'AGUA-500')).toMatchObject({ pricing: { unit_price: 650.755, total_price: 3904.53 }, discount: 650.75 });
    expect(itemsPaid(order)).toBe(3253.78);
    const bad = await env.call('PUT', promotionPath(), {
      json: {
        vendors: ['*'], type: 'STRIKETHROUGH', reason: 'OTHER', display_name: { es_AR: 'x' }, limits: { max_discount_per_order: 'a lot' },
        conditions: { start_time: zoneless(-1), end_time: zoneless(1) }, discount: [{ sku: ['PAN-LACTAL'], discount_subtype: 'PERCENTAGE', discount_value: 5 }],
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('max_discount_per_order');
  });
});
