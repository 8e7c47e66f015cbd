import { lineDiscountBreakdown } from './line-promotions.js';
import { divHalfUp } from '../platform/money.js';
import type { ItemStatus, OrderLine, PricingType } from './orders.model.js';

/** The money side of one line: unit price in thousandths, quantity, weight in grams (KG lines). */
export interface LinePricingInput {
  pricing_type: PricingType;
  unit_price: number;
  quantity: number;
  grams: number | null;
}

/**
 * Line total in minor units: unit price × quantity (UNIT) or unit price per kg × weight (KG),
 * rounded half-up to the currency's minor unit once, here, per line.
 */
export function lineTotal(p: LinePricingInput, digits: number): number {
  // Work in millionths of the unit: thousandths (price) × grams (thousandths of a kg) is exact.
  const millionths =
    p.pricing_type === 'KG' ? BigInt(p.unit_price) * BigInt(p.grams ?? 0) : BigInt(p.unit_price) * BigInt(p.quantity) * 1000n;
  return Number(divHalfUp(millionths, 10n ** BigInt(6 - digits)));
}

/** Lines whose price the customer pays: picked, replacements, additions, and lines not yet processed. */
export const DELIVERED_STATUSES: ReadonlySet<ItemStatus> = new Set(['NOT_PROCESSED', 'IN_CART', 'ADDITION']);

export function isDelivered(line: Pick<OrderLine, 'status'>): boolean {
  return DELIVERED_STATUSES.has(line.status);
}

/** Fees stored on the order, minor units. */
export interface OrderFees {
  delivery_fee: number;
  service_fee: number;
  difference_to_minimum: number;
  container_charge: number;
}

export const NO_FEES: OrderFees = { delivery_fee: 0, service_fee: 0, difference_to_minimum: 0, container_charge: 0 };

/** A discount line of the payment block (filled by promotions). */
export interface PaymentDiscount {
  name: string;
  value: number;
  promotion_id: string | null;
}

export interface OrderTotals {
  sub_total: number;
  order_total: number;
  discount: number;
  discounts: PaymentDiscount[];
  total_taxes: number;
  original_sub_total: number;
}

/** VAT included in a gross amount: amount × vat / (100 + vat), half-up, per line. */
export function includedTax(gross: number, vatPercent: number): number {
  const vatMilli = BigInt(Math.round(vatPercent * 1000));
  if (vatMilli === 0n) return 0;
  return Number(divHalfUp(BigInt(gross) * vatMilli, 100_000n + vatMilli));
}

/**
 * THE pricing function: totals of an order from its lines and fees, everything in minor units.
 * sub_total follows the lines that will be delivered; original_sub_total keeps what was ordered.
 * Promotions extend this through the lines' `discount` and the `discounts` argument.
 */
export function computeTotals(lines: readonly OrderLine[], fees: OrderFees, digits: number, discounts: PaymentDiscount[] = []): OrderTotals {
  let subTotal = 0;
  let lineDiscounts = 0;
  let taxes = 0;
  let original = 0;
  for (const line of lines) {
    if (line.original) original += line.original.total;
    if (!isDelivered(line)) continue;
    const total = lineTotal(line, digits);
    subTotal += total;
    lineDiscounts += line.discount;
    taxes += includedTax(total - line.discount, line.vat_percent);
  }
  // payment.discount = the lines' discounts + order-level ones; payment.discounts[] lists both, one entry per promotion.
  const discount = lineDiscounts + discounts.reduce((s, d) => s + d.value, 0);
  const orderTotal = Math.max(0, subTotal + fees.delivery_fee + fees.service_fee + fees.difference_to_minimum + fees.container_charge - discount);
  const all = [...lineDiscountBreakdown(lines, isDelivered), ...discounts];
  return { sub_total: subTotal, order_total: orderTotal, discount, discounts: all, total_taxes: taxes, original_sub_total: original };
}
