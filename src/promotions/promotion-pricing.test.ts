import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  capSaving,
  discountProblem,
  discountedUnits,
  paymentDiscounts,
  priceLine,
  priceWithoutPromotion,
  strikethroughPrice,
  type DiscountSubtype,
  type LineInput,
  type PromotionTerms,
} from './promotion-pricing.js';

const unit = (listPrice: number, quantity: number): LineInput => ({ pricingType: 'UNIT', listPrice, quantity, grams: null });
const kg = (listPrice: number, grams: number, quantity = 1): LineInput => ({ pricingType: 'KG', listPrice, quantity, grams });
const strike = (subtype: DiscountSubtype, value: number): PromotionTerms => ({
  promotionId: 'p-strike',
  type: 'STRIKETHROUGH',
  subtype,
  value,
  purchasedQuantity: null,
  discountedQuantity: null,
});
const bundle = (subtype: DiscountSubtype, value: number, purchased: number, discounted: number): PromotionTerms => ({
  promotionId: 'p-bundle',
  type: 'SAME_ITEM_BUNDLE',
  subtype,
  value,
  purchasedQuantity: purchased,
  discountedQuantity: discounted,
});

describe('strikethrough', () => {
  it('FINAL_PRICE on a unit line sets the unit price; the saving is the promotion discount_amount', () => {
    const p = priceLine(unit(100_000, 3), strike('FINAL_PRICE', 85_500), 2);
    expect(p).toEqual({ unitPrice: 85_500, total: 25_650, discount: 0, payable: 25_650, promotion: { promotion_id: 'p-strike', type: 'STRIKETHROUGH', discount_amount: 4_350 }, discountedUnits: 3 });
  });

  it('PERCENTAGE rounds the unit price half-up to the thousandth, then the line once', () => {
    // 19.99 × 85 % = 16.9915 → 16.992; × 2 = 33.984 → 33.98
    const p = priceLine(unit(19_990, 2), strike('PERCENTAGE', 15_000), 2);
    expect(p.unitPrice).toBe(16_992);
    expect(p.total).toBe(3_398);
    expect(p.promotion?.discount_amount).toBe(3_998 - 3_398);
  });

  it('ABSOLUTE takes the amount off the unit price', () => {
    const p = priceLine(unit(10_000, 4), strike('ABSOLUTE', 2_500), 2);
    expect(p.unitPrice).toBe(7_500);
    expect(p.total).toBe(3_000);
  });

  it('KG lines: the promotional price is per kg and the weight in grams multiplies it exactly', () => {
    // 999.99/kg × 0.850 kg = 849.9915 → 849.99 ; listing 1234.567 × 0.850 = 1049.38195 → 1049.38
    const p = priceLine(kg(1_234_567, 850), strike('FINAL_PRICE', 999_990), 2);
    expect(p.unitPrice).toBe(999_990);
    expect(p.total).toBe(84_999);
    expect(p.promotion?.discount_amount).toBe(104_938 - 84_999);
    // Percentage on a KG line, 3-digit currency (KWD): 1.005/kg × 90 % = 0.9045 → 0.905 ; × 1.5 kg = 1.3575 → 1.358
    const k = priceLine(kg(1_005, 1_500), strike('PERCENTAGE', 10_000), 3);
    expect(k.unitPrice).toBe(905);
    expect(k.total).toBe(1_358);
  });

  it('ABSOLUTE on a KG line takes the amount off the price per kg', () => {
    // (12.5 − 2.25)/kg × 1.234 kg = 12.6485 → 12.65 ; listing 12.5 × 1.234 = 15.425 → 15.43
    const p = priceLine(kg(12_500, 1_234), strike('ABSOLUTE', 2_250), 2);
    expect(p.unitPrice).toBe(10_250);
    expect(p.total).toBe(1_265);
    expect(p.promotion?.discount_amount).toBe(1_543 - 1_265);
  });

  it('a final price at or above the listing price is not applied (and is an invalid discounted SKU)', () => {
    expect(priceLine(unit(5_000, 1), strike('FINAL_PRICE', 5_000), 2).promotion).toBeNull();
    expect(strikethroughPrice(5_000, 'FINAL_PRICE', 6_000)).toBeNull();
    expect(discountProblem('STRIKETHROUGH', 'FINAL_PRICE', 5_000, 5_000)).toBe('FINAL_PRICE_NOT_BELOW_LISTING_PRICE');
    expect(discountProblem('STRIKETHROUGH', 'FINAL_PRICE', 4_999, 5_000)).toBeNull();
  });

  it('percentages outside 1–100 and wrong subtypes are problems', () => {
    expect(discountProblem('STRIKETHROUGH', 'PERCENTAGE', 0, 5_000)).toBe('PERCENTAGE_OUT_OF_RANGE');
    expect(discountProblem('STRIKETHROUGH', 'PERCENTAGE', 100_001, 5_000)).toBe('PERCENTAGE_OUT_OF_RANGE');
    expect(discountProblem('SAME_ITEM_BUNDLE', 'PERCENTAGE', 100_000, 5_000)).toBeNull();
    expect(discountProblem('STRIKETHROUGH', 'FREE_ITEM', 0, 5_000)).toMatch(/not a STRIKETHROUGH/);
    expect(discountProblem('SAME_ITEM_BUNDLE', 'FINAL_PRICE', 1, 5_000)).toMatch(/not a SAME_ITEM_BUNDLE/);
  });
});

describe('same item bundle', () => {
  it('FREE_ITEM 2×1 on 5 units: two units free, the line rounded once', () => {
    // 3.333 × 5 = 16.665 → 16.67 ; pay 3 units = 9.999 → 10.00 ; discount 6.67
    const p = priceLine(unit(3_333, 5), bundle('FREE_ITEM', 0, 2, 1), 2);
    expect(p).toEqual({ unitPrice: 3_333, total: 1_667, discount: 667, payable: 1_000, promotion: { promotion_id: 'p-bundle', type: 'SAME_ITEM_BUNDLE', discount_amount: 667 }, discountedUnits: 2 });
  });

  it('PERCENTAGE on the discounted units only', () => {
    // buy 2, second at 50 %: 3 units of 10.00 → one discounted unit → 25.00
    const p = priceLine(unit(10_000, 3), bundle('PERCENTAGE', 50_000, 2, 1), 2);
    expect(p.total).toBe(3_000);
    expect(p.discount).toBe(500);
    expect(p.payable).toBe(2_500);
  });

  it('ABSOLUTE per discounted unit, never more than the unit is worth', () => {
    expect(priceLine(unit(10_000, 6), bundle('ABSOLUTE', 3_000, 3, 1), 2).discount).toBe(600);
    expect(priceLine(unit(2_000, 2), bundle('ABSOLUTE', 5_000, 2, 1), 2).payable).toBe(200);
  });

  it('incomplete bundles get nothing', () => {
    expect(priceLine(unit(10_000, 2), bundle('FREE_ITEM', 0, 3, 1), 2).promotion).toBeNull();
    expect(discountedUnits(7, 3, 1)).toBe(2);
    expect(discountedUnits(7, 3, 2)).toBe(4);
  });

  it('KG lines count pieces; each piece is worth its share of the weight', () => {
    // 2 pieces, 1.000 kg at 10.000/kg → 10.00; one piece free → 5.00
    const p = priceLine(kg(10_000, 1_000, 2), bundle('FREE_ITEM', 0, 2, 1), 2);
    expect(p.total).toBe(1_000);
    expect(p.discount).toBe(500);
    // 3 pieces, 0.999 kg at 7.777/kg = 7.769223 → 7.77; 2×1 → one piece off = 2.589741; pay 5.179482 → 5.18
    const q = priceLine(kg(7_777, 999, 3), bundle('FREE_ITEM', 0, 2, 1), 2);
    expect(q.total).toBe(777);
    expect(q.payable).toBe(518);
    expect(q.discount).toBe(259);
  });

  it('KG lines: PERCENTAGE and ABSOLUTE bundles on the discounted pieces', () => {
    // 4 pieces, 2.000 kg at 10.000/kg = 20.00; 2×1 at 25 % → 2 pieces × 5.00 × 25 % = 2.50 off
    const pct = priceLine(kg(10_000, 2_000, 4), bundle('PERCENTAGE', 25_000, 2, 1), 2);
    expect([pct.total, pct.discount, pct.payable]).toEqual([2_000, 250, 1_750]);
    // 3 pieces, 0.900 kg at 9.999/kg = 8.9991 → 9.00; 3×1 with 1.111 off the discounted piece → pay 7.8881 → 7.89
    const abs = priceLine(kg(9_999, 900, 3), bundle('ABSOLUTE', 1_111, 3, 1), 2);
    expect([abs.total, abs.discount, abs.payable]).toEqual([900, 111, 789]);
  });
});

const lineArb = fc.oneof(
  fc.record({ pricingType: fc.constant<'UNIT'>('UNIT'), listPrice: fc.integer({ min: 1, max: 10_000_000 }), quantity: fc.integer({ min: 1, max: 200 }), grams: fc.constant(null) }),
  fc.record({ pricingType: fc.constant<'KG'>('KG'), listPrice: fc.integer({ min: 1, max: 10_000_000 }), quantity: fc.integer({ min: 1, max: 20 }), grams: fc.integer({ min: 1, max: 50_000 }) }),
);
const bundleArb = fc
  .record({
    subtype: fc.constantFrom<DiscountSubtype>('FREE_ITEM', 'PERCENTAGE', 'ABSOLUTE'),
    percent: fc.integer({ min: 1_000, max: 100_000 }),
    absolute: fc.integer({ min: 1, max: 20_000_000 }),
    purchased: fc.integer({ min: 1, max: 6 }),
    discounted: fc.integer({ min: 1, max: 6 }),
  })
  .map((b) => bundle(b.subtype, b.subtype === 'PERCENTAGE' ? b.percent : b.subtype === 'ABSOLUTE' ? b.absolute : 0, b.purchased, b.discounted));
const strikeArb = fc
  .record({ subtype: fc.constantFrom<DiscountSubtype>('FINAL_PRICE', 'PERCENTAGE', 'ABSOLUTE'), value: fc.integer({ min: 0, max: 10_000_000 }) })
  .map((s) => strike(s.subtype, s.subtype === 'PERCENTAGE' ? Math.min(s.value, 100_000) : s.value));
const digitsArb = fc.constantFrom(0, 2, 3);

describe('properties', () => {
  it('a bundle never charges more than the same line without it', () => {
    fc.assert(
      fc.property(lineArb, bundleArb, digitsArb, (line, terms, digits) => {
        const plain = priceWithoutPromotion(line, digits);
        const p = priceLine(line, terms, digits);
        expect(p.payable).toBeLessThanOrEqual(plain.payable);
        expect(p.discount).toBeGreaterThanOrEqual(0);
        expect(p.payable).toBeGreaterThanOrEqual(0);
        expect(p.total - p.discount).toBe(p.payable);
      }),
      { numRuns: 2000 },
    );
  });

  it('a strikethrough never charges more and never goes below zero', () => {
    fc.assert(
      fc.property(lineArb, strikeArb, digitsArb, (line, terms, digits) => {
        const plain = priceWithoutPromotion(line, digits);
        const p = priceLine(line, terms, digits);
        expect(p.payable).toBeLessThanOrEqual(plain.payable);
        expect(p.unitPrice).toBeLessThanOrEqual(line.listPrice);
        expect(p.unitPrice).toBeGreaterThanOrEqual(0);
        expect(p.discount).toBe(0);
        if (p.promotion) expect(p.promotion.discount_amount).toBe(plain.total - p.total);
      }),
      { numRuns: 2000 },
    );
  });

  it('totals equal the sum of lines: payment discounts add up to the line discounts', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(lineArb, fc.option(fc.oneof(bundleArb, strikeArb), { nil: null })), { minLength: 1, maxLength: 30 }), digitsArb, (items, digits) => {
        const priced = items.map(([line, terms]) => priceLine(line, terms, digits));
        const lineDiscount = priced.reduce((s, p) => s + p.discount, 0);
        const discounts = paymentDiscounts(priced, new Map([['p-bundle', 'Bundle']]));
        expect(discounts.reduce((s, d) => s + d.value, 0)).toBe(lineDiscount);
        const subTotal = priced.reduce((s, p) => s + p.total, 0);
        expect(priced.reduce((s, p) => s + p.payable, 0)).toBe(subTotal - lineDiscount);
      }),
      { numRuns: 500 },
    );
  });

  it('more units in a bundle never lower the discount (beyond one minor unit of rounding)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 1, max: 100 }), bundleArb, (price, qty, terms) => {
        const a = priceLine(unit(price, qty), terms, 2);
        const b = priceLine(unit(price, qty + 1), terms, 2);
        // Total and payable are each rounded once, so the discount between them may move by one minor unit.
        expect(b.discount).toBeGreaterThanOrEqual(a.discount - 1);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('per-order caps (discount[].max_quantity, limits.max_discount_per_order)', () => {
  it('max_quantity on a strikethrough: only that many units at the promotional price, exact, the saving as discount', () => {
    // 5 × 1250.50 = 6252.50; 2 × 1000.00 + 3 × 1250.50 = 5751.50.
    const p = priceLine(unit(1_250_500, 5), strike('FINAL_PRICE', 1_000_000), 2, 2);
    expect(p).toEqual({ unitPrice: 1_250_500, total: 625_250, discount: 50_100, payable: 575_150, promotion: { promotion_id: 'p-strike', type: 'STRIKETHROUGH', discount_amount: 50_100 }, discountedUnits: 2 });
    // At or under the cap: the plain strikethrough line.
    expect(priceLine(unit(1_250_500, 2), strike('FINAL_PRICE', 1_000_000), 2, 2)).toMatchObject({ unitPrice: 1_000_000, total: 200_000, discount: 0, discountedUnits: 2 });
    // Nothing left of the cap: no promotion.
    expect(priceLine(unit(1_250_500, 2), strike('FINAL_PRICE', 1_000_000), 2, 0)).toMatchObject({ promotion: null, discountedUnits: 0 });
  });

  it('max_quantity on a KG line counts pieces, each its share of the weight; on a bundle it caps the discounted units', () => {
    // 2 pieces, 1.000 kg at 8999.90/kg, 20 % off one piece: 0.5 kg × 1799.98 off = 899.99.
    const p = priceLine(kg(8_999_900, 1000, 2), strike('PERCENTAGE', 20_000), 2, 1);
    expect(p).toMatchObject({ total: 899_990, discount: 89_999, payable: 809_991, discountedUnits: 1 });
    const b = priceLine(unit(650_755, 6), bundle('FREE_ITEM', 0, 2, 1), 2, 1);
    expect(b).toMatchObject({ total: 390_453, discount: 65_075, payable: 325_378, discountedUnits: 1 });
  });

  it('capSaving keeps a line saving at most the money left, shown as discount at the listing price', () => {
    const line = unit(2_199_990, 2);
    const terms = strike('PERCENTAGE', 20_000);
    const priced = priceLine(line, terms, 2);
    expect(priced.promotion?.discount_amount).toBe(88_000);
    expect(capSaving(line, priced, terms, 30_000, 2)).toMatchObject({ unitPrice: 2_199_990, total: 439_998, discount: 30_000, payable: 409_998, promotion: { discount_amount: 30_000 } });
    expect(capSaving(line, priced, terms, 0, 2)).toMatchObject({ discount: 0, promotion: null });
    expect(capSaving(line, priced, terms, 100_000, 2)).toBe(priced);
  });
});
