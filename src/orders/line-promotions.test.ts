import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, operatorKey } from '../test-support/fixtures.js';
import { CUSTOMER, placeOrderVia, seedCatalog } from '../test-support/order-fixtures.js';
import { upsertPromotionHeader } from '../promotions/promotion-apply.js';
import type { PromotionHeader } from '../promotions/promotion-input.js';
import type { DiscountSubtype } from '../promotions/promotion-pricing.js';
import { upsertItems } from '../promotions/promotions.repository.js';
import { useTestApp } from '../test-support/test-app.js';

describe('promotions applied to orders: intake and PUT replacement/addition lines', () => {
  const s = useTestApp({ chains: { a: 'Promo orders' } });
  let op: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    op = await operatorKey(s.ctx);
    await seedCatalog(s.ctx, [s.a.direct]);
    const now = Date.now();
    const base: PromotionHeader = {
      type: 'STRIKETHROUGH',
      active: true,
      reason: 'COMPETITIVENESS',
      displayName: { es_AR: 'x' },
      vendors: [s.a.direct.code],
      startTime: new Date(now - 3600_000).toISOString(),
      endTime: new Date(now + 86_400_000).toISOString(),
      purchasedQuantity: null,
      discountedQuantity: null,
      globalLimit: null,
      maxItemsPerOrder: null,
    };
    const promo = async (key: string, h: Partial<PromotionHeader>, sku: string, subtype: DiscountSubtype, value: number) => {
      await s.ctx.db.transaction().execute(async (trx) => {
        const p = await upsertPromotionHeader(s.ctx, trx, s.a.chain.id, { ...base, displayName: { es_AR: key }, ...h }, { bodyHash: key, source: 'API', jobId: null });
        await upsertItems(trx, s.ctx.dialect, p.id, [{ vendorId: s.a.direct.id, sku, subtype, value }]);
        ids[key] = p.id;
      });
    };
    await promo('Agua a 500', { maxItemsPerOrder: 5 }, 'AGUA-500', 'FINAL_PRICE', 500_000);
    await promo('Queso -10 %', {}, 'QUESO-TYBO', 'PERCENTAGE', 10_000);
    await promo('Pan 2x1', { type: 'SAME_ITEM_BUNDLE', purchasedQuantity: 2, discountedQuantity: 1, globalLimit: 1 }, 'PAN-LACTAL', 'FREE_ITEM', 0);
    await promo('Galletitas 2da al 50', { type: 'SAME_ITEM_BUNDLE', purchasedQuantity: 2, discountedQuantity: 1 }, 'GALLETITAS', 'PERCENTAGE', 50_000);
    // Ended and not-yet-started promotions on LECHE-1L never apply.
    await promo('Leche vieja', { startTime: new Date(now - 86_400_000).toISOString(), endTime: new Date(now - 3600_000).toISOString() }, 'LECHE-1L', 'FINAL_PRICE', 1_000_000);
    await promo('Leche futura', { startTime: new Date(now + 3600_000).toISOString() }, 'LECHE-1L', 'FINAL_PRICE', 900_000);
  });

  let first: any;

  it('intake prices each type exactly on unit and KG lines; payment.discount sums the lines', async () => {
    first = await placeOrderVia(s.app, op, s.a.direct, [
      { sku: 'AGUA-500', quantity: 3 },
      { sku: 'QUESO-TYBO', weight: 0.853 },
      { sku: 'PAN-LACTAL', quantity: 3 },
      { sku: 'LECHE-1L', quantity: 1 },
    ]);
    const [agua, queso, pan, leche] = first.items;
    // Strikethrough FINAL_PRICE: 500 × 3; the saving vs 650.755 × 3 = 1952.27 is the promotion's discount_amount.
    expect(agua.pricing).toMatchObject({ unit_price: 500, total_price: 1500, quantity: 3 });
    expect(agua.original_pricing).toMatchObject({ unit_price: 500, total_price: 1500 });
    expect(agua.discount).toBe(0);
    expect(agua.promotion).toEqual([{ promotion_id: ids['Agua a 500'], type: 'STRIKETHROUGH', discount_amount: 452.27 }]);
    // Strikethrough PERCENTAGE on a KG line: 8999.9 × 90 % = 8099.91/kg × 0.853 kg = 6909.22323 → 6909.22.
    expect(queso.pricing).toMatchObject({ pricing_type: 'KG', unit_price: 8099.91, weight: 0.853, total_price: 6909.22 });
    expect(queso.promotion[0]).toMatchObject({ promotion_id: ids['Queso -10 %'], discount_amount: 767.69 });
    // Bundle 2×1 on 3 units: one free.
    expect(pan.pricing).toMatchObject({ unit_price: 2199.99, total_price: 6599.97 });
    expect(pan.discount).toBe(2199.99);
    expect(pan.promotion).toEqual([{ promotion_id: ids['Pan 2x1'], type: 'SAME_ITEM_BUNDLE', discount_amount: 2199.99 }]);
    expect(leche).toMatchObject({ discount: 0, promotion: [] });
    expect(leche.pricing.unit_price).toBe(1250.5);
    expect(first.payment).toMatchObject({
      sub_total: 15009.19 + 1250.5,
      discount: 2199.99,
      discounts: [{ name: 'Pan 2x1', value: 2199.99, promotion_id: ids['Pan 2x1'] }],
      order_total: 15009.19 + 1250.5 - 2199.99,
    });
  });

  it('global_limit counts orders: the 2×1 limited to one order no longer applies', async () => {
    const o = await placeOrderVia(s.app, op, s.a.direct, [{ sku: 'PAN-LACTAL', quantity: 2 }]);
    expect(o.items[0]).toMatchObject({ discount: 0, promotion: [] });
    expect(o.payment).toMatchObject({ discount: 0, discounts: [], order_total: 4399.98 });
    const row = await s.ctx.db.selectFrom('promotions').select('used_count').where('id', '=', ids['Pan 2x1']!).executeTakeFirstOrThrow();
    expect(Number(row.used_count)).toBe(1);
  });

  it('max_items_per_order is refused at intake, naming the line that goes over, and stores nothing', async () => {
    const before = Number((await s.ctx.db.selectFrom('orders').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const res = await s.app.inject({
      method: 'POST',
      url: '/platform/v1/orders',
      headers: bearer(op),
      payload: { vendor_id: s.a.direct.code, transport_type: 'LOGISTICS_DELIVERY', order_type: 'DELIVERY', customer: CUSTOMER, items: [{ sku: 'AGUA-500', quantity: 3 }, { sku: 'AGUA-500', quantity: 3 }] },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({ code: 'PROMOTION_MAX_ITEMS_EXCEEDED', details: { field: 'body.items[1].quantity', max_items_per_order: 5 } });
    expect(Number((await s.ctx.db.selectFrom('orders').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBe(before);
  });

  const put = (id: string, body: object) =>
    s.app.inject({ method: 'PUT', url: `/v2/chains/${s.a.chain.id}/orders/${id}`, headers: bearer(s.a.token), payload: { order_id: id, ...body } });

  it('picking fewer units re-prices the bundle; strikethrough lines keep their promotional price', async () => {
    const [agua, , pan] = first.items;
    const res = await put(first.order_id, { status: 'UPDATE_CART', items: [{ _id: pan._id, status: 'IN_CART', pricing: { quantity: 1 } }, { _id: agua._id, status: 'IN_CART', pricing: { quantity: 2 } }] });
    expect(res.statusCode).toBe(200);
    const o = res.json();
    expect(o.items[2]).toMatchObject({ discount: 0, promotion: [] });
    expect(o.items[2].pricing).toMatchObject({ quantity: 1, total_price: 2199.99 });
    expect(o.items[0].pricing).toMatchObject({ unit_price: 500, total_price: 1000, quantity: 2 });
    expect(o.payment).toMatchObject({ discount: 0, discounts: [] });
  });

  it('replacement and addition lines are priced from the catalog with the promotions running now', async () => {
    const o = await placeOrderVia(s.app, op, s.a.direct, [{ sku: 'AGUA-500', quantity: 3 }, { sku: 'QUESO-TYBO', weight: 0.5 }]);
    const queso = o.items[1];
    const tooMany = await put(o.order_id, { status: 'UPDATE_CART', items: [{ sku: 'AGUA-500', status: 'ADDITION', pricing: { quantity: 3 } }] });
    expect(tooMany.statusCode).toBe(422);
    expect(tooMany.json().error.code).toBe('PROMOTION_MAX_ITEMS_EXCEEDED');
    const res = await put(o.order_id, {
      status: 'UPDATE_CART',
      items: [
        { _id: queso._id, status: 'REPLACED' },
        { sku: 'GALLETITAS', status: 'IN_CART', replaced_id: queso._id, pricing: { quantity: 2 } },
        { sku: 'AGUA-500', status: 'ADDITION', pricing: { quantity: 2 } },
      ],
    });
    expect(res.statusCode).toBe(200);
    const next = res.json();
    const galletitas = next.items.find((i: any) => i.sku === 'GALLETITAS');
    const added = next.items.find((i: any) => i.sku === 'AGUA-500' && i.status === 'ADDITION');
    // 999.99 × 2 = 1999.98; second unit at 50 %: pay 1499.985 → 1499.99; discount 499.99.
    expect(galletitas.pricing).toMatchObject({ unit_price: 999.99, total_price: 1999.98 });
    expect(galletitas).toMatchObject({ replaced_id: queso._id, discount: 499.99 });
    expect(galletitas.promotion).toEqual([{ promotion_id: ids['Galletitas 2da al 50'], type: 'SAME_ITEM_BUNDLE', discount_amount: 499.99 }]);
    expect(added.pricing).toMatchObject({ unit_price: 500, total_price: 1000 });
    expect(added.promotion[0].promotion_id).toBe(ids['Agua a 500']);
    const delivered = next.items.filter((i: any) => i.status !== 'REPLACED' && i.status !== 'NOT_FOUND');
    const sum = (xs: number[]) => Math.round(xs.reduce((s, x) => s + x, 0) * 100) / 100;
    expect(next.payment.sub_total).toBe(sum(delivered.map((i: any) => i.pricing.total_price)));
    expect(next.payment.discount).toBe(sum(delivered.map((i: any) => i.discount)));
    expect(next.payment.discounts).toEqual([{ name: 'Galletitas 2da al 50', value: 499.99, promotion_id: ids['Galletitas 2da al 50'] }]);
    expect(next.payment.order_total).toBe(sum([next.payment.sub_total, -next.payment.discount]));
  });
});
