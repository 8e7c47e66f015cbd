import { divHalfUp } from '../platform/money.js';

/**
 * The promotion pricing math, pure (no I/O). Money: prices in integer thousandths of the currency
 * unit (per kg for KG lines), weights in integer grams, line totals and discounts in integer minor
 * units of the currency. Every line is computed exactly (in millionths of the currency unit) and
 * rounded half-up to the minor unit once.
 *
 * How a promotion shows on a line (partner-api.md §3.2, §5):
 * - STRIKETHROUGH sets the price: `unit_price` is the promotional price, `total_price` follows it and
 *   the line `discount` stays 0 (nothing more comes off the total). The saving against the listing
 *   price is reported in `promotion[].discount_amount`.
 * - SAME_ITEM_BUNDLE takes money off the line: `unit_price`/`total_price` stay at the listing price and
 *   `discount` is the amount off (also the `promotion[].discount_amount`); the line costs total − discount.
 */

export const PROMOTION_TYPES = ['STRIKETHROUGH', 'SAME_ITEM_BUNDLE'] as const;
export type PromotionType = (typeof PROMOTION_TYPES)[number];
export const DISCOUNT_SUBTYPES = ['FINAL_PRICE', 'PERCENTAGE', 'ABSOLUTE', 'FREE_ITEM'] as const;
export type DiscountSubtype = (typeof DISCOUNT_SUBTYPES)[number];

/** Subtypes each type accepts. */
export const SUBTYPES_OF: Record<PromotionType, readonly DiscountSubtype[]> = {
  STRIKETHROUGH: ['FINAL_PRICE', 'PERCENTAGE', 'ABSOLUTE'],
  SAME_ITEM_BUNDLE: ['FREE_ITEM', 'PERCENTAGE', 'ABSOLUTE'],
};

/** 100 % in thousandths of a percent. */
export const FULL_PERCENT = 100_000;

/** What pricing needs about the promotion that applies to one (vendor, sku). */
export interface PromotionTerms {
  promotionId: string;
  type: PromotionType;
  subtype: DiscountSubtype;
  /** FINAL_PRICE / ABSOLUTE: thousandths of the currency unit; PERCENTAGE: thousandths of a percent; FREE_ITEM: 0. */
  value: number;
  /** SAME_ITEM_BUNDLE: units per bundle (the customer buys this many)… */
  purchasedQuantity: number | null;
  /** …of which this many are discounted. */
  discountedQuantity: number | null;
  /** discount[].max_quantity: discounted units of this SKU per order (null/absent: no cap). */
  maxQuantity?: number | null;
}

export interface LineInput {
  pricingType: 'UNIT' | 'KG';
  /** Listing price, thousandths (per kg for KG lines). */
  listPrice: number;
  quantity: number;
  /** KG lines: weight in grams. */
  grams: number | null;
}

export interface LinePromotion {
  promotion_id: string;
  type: PromotionType;
  /** Minor units: the saving against the listing price. */
  discount_amount: number;
}

export interface PricedLine {
  /** Thousandths: what `pricing.unit_price` shows. */
  unitPrice: number;
  /** Minor units: unit price × quantity (or × weight), rounded once. */
  total: number;
  /** Minor units still taken off `total` (bundles). */
  discount: number;
  /** Minor units the customer pays for the line: total − discount. */
  payable: number;
  promotion: LinePromotion | null;
  /** Units of the line that got the promotion (0 without one). */
  discountedUnits: number;
}

/** The exact value of a line in millionths of the currency unit. */
function grossMicros(unitPrice: number, line: LineInput): bigint {
  return line.pricingType === 'KG' ? BigInt(unitPrice) * BigInt(line.grams ?? 0) : BigInt(unitPrice) * BigInt(line.quantity) * 1000n;
}

/** Millionths → minor units (digits = the currency's minor digits, 0–3), half-up. */
function toMinor(numerator: bigint, denominator: bigint, digits: number): number {
  return Number(divHalfUp(numerator, denominator * 10n ** BigInt(6 - digits)));
}

/** A line's total at a unit price, minor units, rounded half-up once. */
export function lineTotalAt(unitPrice: number, line: LineInput, digits: number): number {
  return toMinor(grossMicros(unitPrice, line), 1n, digits);
}

/**
 * The strikethrough unit price for a listing price, in thousandths, or null when it would not be a
 * discount (at or above the listing price, or below zero): such an entry is an invalid discounted SKU.
 * PERCENTAGE rounds the unit price half-up to the thousandth, like any catalog price.
 */
export function strikethroughPrice(listPrice: number, subtype: DiscountSubtype, value: number): number | null {
  let price: number;
  switch (subtype) {
    case 'FINAL_PRICE':
      price = value;
      if (price <= 0) return null;
      break;
    case 'PERCENTAGE':
      if (value < 1000 || value > FULL_PERCENT) return null;
      price = Number(divHalfUp(BigInt(listPrice) * BigInt(FULL_PERCENT - value), BigInt(FULL_PERCENT)));
      break;
    case 'ABSOLUTE':
      if (value <= 0) return null;
      price = listPrice - value;
      break;
    default:
      return null;
  }
  return price >= 0 && price < listPrice ? price : null;
}

/**
 * Why a discount entry cannot apply to a listing price (the job's invalid_discounted_skus), or null
 * when it is valid: final price below the listing price, percentage in 1–100, an absolute amount off
 * below the listing price, FREE_ITEM only on bundles.
 */
export function discountProblem(type: PromotionType, subtype: DiscountSubtype, value: number, listPrice: number): string | null {
  if (!SUBTYPES_OF[type].includes(subtype)) return `${subtype} is not a ${type} discount`;
  if (subtype === 'PERCENTAGE' && (value < 1000 || value > FULL_PERCENT)) return 'PERCENTAGE_OUT_OF_RANGE';
  if (type === 'STRIKETHROUGH') {
    if (subtype === 'FINAL_PRICE' && value >= listPrice) return 'FINAL_PRICE_NOT_BELOW_LISTING_PRICE';
    if (subtype === 'FINAL_PRICE' && value <= 0) return 'FINAL_PRICE_NOT_POSITIVE';
    if (subtype === 'ABSOLUTE' && (value <= 0 || value >= listPrice)) return 'ABSOLUTE_NOT_BELOW_LISTING_PRICE';
    return null;
  }
  if (subtype === 'ABSOLUTE' && (value <= 0 || value > listPrice)) return 'ABSOLUTE_ABOVE_LISTING_PRICE';
  return null;
}

/** Units of a bundle line that get the discount: `discounted` of every complete group of `purchased`. */
export function discountedUnits(quantity: number, purchased: number, discounted: number): number {
  if (purchased < 1 || discounted < 1) return 0;
  return Math.floor(quantity / purchased) * Math.min(discounted, purchased);
}

/** A line without promotion. */
export function priceWithoutPromotion(line: LineInput, digits: number): PricedLine {
  const total = lineTotalAt(line.listPrice, line, digits);
  return { unitPrice: line.listPrice, total, discount: 0, payable: total, promotion: null, discountedUnits: 0 };
}

/**
 * A promoted line whose saving is money off the listing-priced line (bundles, and capped lines):
 * `unit_price`/`total` at the listing price, `discount` = what comes off.
 */
function moneyOff(plain: PricedLine, terms: PromotionTerms, payable: number, units: number): PricedLine {
  const discount = plain.total - payable;
  if (discount <= 0) return plain;
  return { unitPrice: plain.unitPrice, total: plain.total, discount, payable, promotion: { promotion_id: terms.promotionId, type: terms.type, discount_amount: discount }, discountedUnits: units };
}

/**
 * The same priced line saving at most `maxSaving` minor units (limits.max_discount_per_order): past
 * the cap the line shows the listing price with `discount` = the capped saving.
 */
export function capSaving(line: LineInput, priced: PricedLine, terms: PromotionTerms, maxSaving: number, digits: number): PricedLine {
  const saving = priced.promotion?.discount_amount ?? 0;
  if (saving <= maxSaving) return priced;
  const plain = priceWithoutPromotion(line, digits);
  return moneyOff(plain, terms, plain.total - Math.max(0, maxSaving), priced.discountedUnits);
}

/**
 * Prices one line with the promotion that applies to it (or none). A promotion that would not lower
 * the price (e.g. the listing price dropped below a final price) is not applied: a promotion never
 * makes a line dearer. KG lines: strikethrough applies to the price per kg; bundles count the pieces
 * (`quantity`), each piece worth its share of the line's weight.
 */
export function priceLine(line: LineInput, terms: PromotionTerms | null, digits: number, maxUnits?: number): PricedLine {
  const plain = priceWithoutPromotion(line, digits);
  if (!terms) return plain;
  // discount[].max_quantity: what is left of it for this line (the order's earlier lines used the rest).
  const cap = maxUnits === undefined ? Infinity : Math.max(0, maxUnits);
  if (terms.type === 'STRIKETHROUGH') {
    const unit = strikethroughPrice(line.listPrice, terms.subtype, terms.value);
    if (unit === null || cap === 0) return plain;
    if (line.quantity > cap) {
      // Only `cap` of the line's units (pieces of a KG line, each its share of the weight) at the
      // promotional price, the rest at the listing price: exact, rounded once.
      const q = BigInt(line.quantity);
      const m = BigInt(cap);
      const payable = toMinor(grossMicros(line.listPrice, line) * (q - m) + grossMicros(unit, line) * m, q, digits);
      return moneyOff(plain, terms, payable, cap);
    }
    const total = lineTotalAt(unit, line, digits);
    return {
      unitPrice: unit,
      total,
      discount: 0,
      payable: total,
      promotion: { promotion_id: terms.promotionId, type: terms.type, discount_amount: plain.total - total },
      discountedUnits: line.quantity,
    };
  }
  const k = Math.min(cap, discountedUnits(line.quantity, terms.purchasedQuantity ?? 0, terms.discountedQuantity ?? 0));
  if (k === 0 || line.quantity < 1) return plain;
  const gross = grossMicros(line.listPrice, line);
  const q = BigInt(line.quantity);
  const kb = BigInt(k);
  // Amount off as an exact fraction num/den of millionths.
  let offNum: bigint;
  let offDen: bigint;
  switch (terms.subtype) {
    case 'FREE_ITEM':
      offNum = gross * kb;
      offDen = q;
      break;
    case 'PERCENTAGE':
      if (terms.value < 1000 || terms.value > FULL_PERCENT) return plain;
      offNum = gross * kb * BigInt(terms.value);
      offDen = q * BigInt(FULL_PERCENT);
      break;
    case 'ABSOLUTE': {
      if (terms.value <= 0) return plain;
      // Never more than the unit is worth.
      const perUnitCap = gross; // per unit = gross / q; compare value×1000×q with gross
      const valueMicrosTimesQ = BigInt(terms.value) * 1000n * q;
      offNum = (valueMicrosTimesQ < perUnitCap ? valueMicrosTimesQ : perUnitCap) * kb;
      offDen = q;
      break;
    }
    default:
      return plain;
  }
  // Pay = gross − off, rounded once; the discount is what the rounding leaves between total and pay.
  const payable = toMinor(gross * offDen - offNum, offDen, digits);
  return moneyOff(plain, terms, payable, k);
}

/** One `payment.discounts[]` entry per promotion with money off (bundles), in first-seen order. */
export function paymentDiscounts(lines: ReadonlyArray<{ discount: number; promotion: LinePromotion | null }>, names: ReadonlyMap<string, string>): Array<{ name: string; value: number; promotion_id: string }> {
  const byPromotion = new Map<string, number>();
  for (const l of lines) {
    if (!l.promotion || l.discount <= 0) continue;
    byPromotion.set(l.promotion.promotion_id, (byPromotion.get(l.promotion.promotion_id) ?? 0) + l.discount);
  }
  return [...byPromotion].map(([id, value]) => ({ name: names.get(id) ?? id, value, promotion_id: id }));
}
