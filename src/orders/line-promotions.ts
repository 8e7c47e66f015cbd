import type { Executor } from '../db/database.js';
import { AppError } from '../platform/errors.js';
import type { LinePromotionTerms, OrderLine } from './orders.model.js';
import { capSaving, type EffectivePromotion, priceLine, recordUse } from '../promotions/index.js';

/**
 * Promotions on order lines (partner-api.md §5 "applied at order intake", §3.3 new lines priced
 * "with active promotions"). A line keeps its listing price and the terms of the promotion it got,
 * so picking changes (fewer units, another weight) re-price it exactly with the same promotion
 * (`OrderLine.promotion_terms`, orders.model.ts). Pricing math: promotions/promotion-pricing.ts.
 */

export function termsOf(e: EffectivePromotion): LinePromotionTerms {
  return {
    promotionId: e.promotionId,
    type: e.type,
    subtype: e.subtype,
    value: e.value,
    purchasedQuantity: e.purchasedQuantity,
    discountedQuantity: e.discountedQuantity,
    name: e.name,
    maxItemsPerOrder: e.maxItemsPerOrder,
    maxQuantity: e.maxQuantity ?? null,
    maxDiscountPerOrder: e.maxDiscountPerOrder,
  };
}

/** Re-prices a line from its listing price and promotion terms at its current quantity / weight (mutates). */
export function repriceLine(line: OrderLine, digits: number): void {
  const listPrice = line.list_price ?? line.unit_price;
  const p = priceLine({ pricingType: line.pricing_type, listPrice, quantity: line.quantity, grams: line.grams }, line.promotion_terms ?? null, digits);
  line.list_price = listPrice;
  line.unit_price = p.unitPrice;
  line.discount = p.discount;
  line.promotions = p.promotion ? [{ ...p.promotion }] : [];
}

/** Thousandths → minor units, rounded down: a cap is never exceeded by rounding. */
function capMinor(milli: number, digits: number): number {
  return Math.floor(milli / 10 ** (3 - digits));
}

/**
 * The per-order caps of promotions (partner-api.md §5), over the order's lines still to be delivered,
 * in line order: `discount[].max_quantity` caps the discounted units of a SKU (units beyond it pay
 * the listing price), `limits.max_discount_per_order` caps the money the order saves from one
 * promotion (the line that reaches it saves what is left; later lines save nothing). A capped line
 * shows the listing price with the saving as its `discount`. Re-prices the lines it touches (mutates);
 * call it once every line has its promotion terms (after attachPromotions / repriceLine).
 */
export function applyPromotionCaps(lines: OrderLine[], digits: number): void {
  const unitsLeft = new Map<string, number>();
  const moneyLeft = new Map<string, number>();
  for (const line of lines) {
    const terms = line.promotion_terms;
    if (!terms || (terms.maxQuantity == null && terms.maxDiscountPerOrder == null) || NOT_DELIVERED.has(line.status)) continue;
    const unitsKey = `${terms.promotionId}\u0000${line.sku}`;
    const units = terms.maxQuantity == null ? undefined : (unitsLeft.get(unitsKey) ?? terms.maxQuantity);
    const input = { pricingType: line.pricing_type, listPrice: line.list_price ?? line.unit_price, quantity: line.quantity, grams: line.grams };
    let p = priceLine(input, terms, digits, units);
    if (units !== undefined) unitsLeft.set(unitsKey, units - p.discountedUnits);
    if (terms.maxDiscountPerOrder != null) {
      const left = moneyLeft.get(terms.promotionId) ?? capMinor(terms.maxDiscountPerOrder, digits);
      p = capSaving(input, p, terms, left, digits);
      moneyLeft.set(terms.promotionId, left - (p.promotion?.discount_amount ?? 0));
    }
    line.list_price = input.listPrice;
    line.unit_price = p.unitPrice;
    line.discount = p.discount;
    line.promotions = p.promotion ? [{ ...p.promotion }] : [];
  }
}

/** Gives new lines (intake, replacements, additions) the effective promotion of their SKU and prices them. */
export function attachPromotions(lines: OrderLine[], effective: ReadonlyMap<string, EffectivePromotion>, digits: number): void {
  for (const line of lines) {
    line.list_price ??= line.unit_price;
    const e = effective.get(line.sku);
    line.promotion_terms = e ? termsOf(e) : null;
    repriceLine(line, digits);
  }
}

const NOT_DELIVERED = new Set(['NOT_FOUND', 'REPLACED']);

/**
 * limits.max_items_per_order: the units of one promoted SKU the order may hold (lines still to be
 * delivered). More is refused like maximum_sales_quantity, naming the line that goes over.
 */
export function assertPromotionItemLimits(lines: readonly OrderLine[], fieldOf: (index: number) => string): void {
  const units = new Map<string, number>();
  lines.forEach((line, i) => {
    const limit = line.promotion_terms?.maxItemsPerOrder;
    if (limit == null || NOT_DELIVERED.has(line.status)) return;
    const n = (units.get(line.sku) ?? 0) + line.quantity;
    units.set(line.sku, n);
    if (n > limit) {
      const field = `${fieldOf(i)}.quantity`;
      throw new AppError('PROMOTION_MAX_ITEMS_EXCEEDED', `${field}: at most ${limit} units of "${line.sku}" per order while promotion "${line.promotion_terms!.name}" runs`, {
        field,
        sku: line.sku,
        max_items_per_order: limit,
        promotion_id: line.promotion_terms!.promotionId,
      });
    }
  });
}

/**
 * limits.global_limit (orders that may use a promotion), in the transaction that stores the order:
 * one use per promotion per order. Lines whose promotion has just run out (another order took the
 * last use) fall back to the listing price. Idempotent: an order that already counted keeps its use.
 */
export async function reservePromotionUses(trx: Executor, orderId: string, lines: OrderLine[], digits: number, at: string): Promise<void> {
  const granted = new Map<string, boolean>();
  for (const line of lines) {
    const id = line.promotion_terms?.promotionId;
    if (!id || line.promotions.length === 0 || NOT_DELIVERED.has(line.status)) continue;
    if (!granted.has(id)) granted.set(id, await recordUse(trx, id, orderId, at));
    if (!granted.get(id)) {
      line.promotion_terms = null;
      repriceLine(line, digits);
    }
  }
  // A line that lost its promotion frees what it used of the per-order caps.
  if ([...granted.values()].includes(false)) applyPromotionCaps(lines, digits);
}

/** payment.discounts[]: one entry per promotion with money off the lines (bundles), named in the vendor's locale. */
export function lineDiscountBreakdown(lines: readonly OrderLine[], isDelivered: (l: OrderLine) => boolean): Array<{ name: string; value: number; promotion_id: string }> {
  const out = new Map<string, { name: string; value: number; promotion_id: string }>();
  for (const line of lines) {
    if (!isDelivered(line) || line.discount <= 0 || !line.promotion_terms) continue;
    const id = line.promotion_terms.promotionId;
    const entry = out.get(id) ?? { name: line.promotion_terms.name, value: 0, promotion_id: id };
    entry.value += line.discount;
    out.set(id, entry);
  }
  return [...out.values()];
}
