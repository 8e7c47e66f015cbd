import { AppError } from '../platform/errors.js';
import { sha256 } from '../platform/secrets.js';
import { parseUtcTime } from '../platform/utc-time.js';
import type { DiscountSubtype, PromotionType } from './promotion-pricing.js';
import { SUBTYPES_OF } from './promotion-pricing.js';
import type { PromotionUpsertBody } from './promotions.schemas.js';

/** The promotion header of an upsert, normalised (times as ISO, money as integers). */
export interface PromotionHeader {
  type: PromotionType;
  active: boolean;
  reason: string;
  displayName: Record<string, string>;
  /** As sent, de-duplicated and sorted; ['*'] means every vendor of the chain. */
  vendors: string[];
  startTime: string;
  endTime: string;
  purchasedQuantity: number | null;
  discountedQuantity: number | null;
  globalLimit: number | null;
  maxItemsPerOrder: number | null;
  /** limits.max_discount_per_order in thousandths of the currency unit (absent in jobs queued before it existed). */
  maxDiscountPerOrder?: number | null;
}

/**
 * One SKU of an upsert (the unit a job stores and streams): applied to every vendor of the promotion.
 * Short keys: a 2,000,000-pair request stores these as durable job input.
 */
export interface PromotionSkuRow {
  /** sku */
  s: string;
  /** discount subtype */
  t: DiscountSubtype;
  /** value: thousandths of money, or thousandths of a percent; 0 for FREE_ITEM */
  v: number;
  /** active: false removes the SKU from the promotion */
  a: boolean;
  /** discount[].max_quantity: discounted units per order (absent: no cap) */
  q?: number;
}

/** A whole upsert, as the API, the SFTP importer or a test hands it over. */
export interface PromotionUpsertInput {
  header: PromotionHeader;
  rows: Iterable<PromotionSkuRow> | AsyncIterable<PromotionSkuRow>;
  /** Hash of the request as sent (DUPLICATE detection). */
  bodyHash: string;
}

/** Decimal → integer thousandths, truncating extra decimals (like catalog prices). */
export function toThousandths(value: number): number {
  let text = String(value);
  if (/e/i.test(text)) text = value.toFixed(6);
  const [int = '0', frac = ''] = text.split('.');
  return Number(int) * 1000 + Number((frac + '000').slice(0, 3));
}

/** Canonical JSON (sorted keys), so the same body hashes the same whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The upsert key: display_name + vendors + start_time + end_time (partner-api.md §5). */
export function upsertKey(h: Pick<PromotionHeader, 'displayName' | 'vendors' | 'startTime' | 'endTime'>): string {
  return sha256(canonicalJson({ d: h.displayName, v: h.vendors, s: h.startTime, e: h.endTime }));
}

function invalid(field: string, problem: string): never {
  throw new AppError('VALIDATION_FAILED', `${field} ${problem}`, { fields: [{ field, problem }] });
}

/**
 * Checks what the schema cannot express (times in order, bundle quantities, subtypes per type,
 * values present) and normalises the header. Per-SKU price checks happen in the job against each
 * vendor's listing (invalid_discounted_skus), never here.
 */
export function normalizeHeader(body: Omit<PromotionUpsertBody, 'discount'>): PromotionHeader {
  const start = parseUtcTime(body.conditions.start_time);
  const end = parseUtcTime(body.conditions.end_time);
  if (end.getTime() <= start.getTime()) invalid('body.conditions.end_time', 'must be after conditions.start_time');
  const vendors = [...new Set(body.vendors)].sort();
  if (vendors.includes('*') && vendors.length > 1) invalid('body.vendors', 'is either ["*"] or a list of vendors, not both');
  const c = body.conditions;
  if (body.type === 'SAME_ITEM_BUNDLE') {
    if (c.purchased_quantity === undefined) invalid('body.conditions.purchased_quantity', 'is required for SAME_ITEM_BUNDLE');
    if (c.discounted_quantity === undefined) invalid('body.conditions.discounted_quantity', 'is required for SAME_ITEM_BUNDLE');
    if (c.discounted_quantity > c.purchased_quantity) invalid('body.conditions.discounted_quantity', 'must not exceed conditions.purchased_quantity');
  } else {
    if (c.purchased_quantity !== undefined) invalid('body.conditions.purchased_quantity', 'is only for SAME_ITEM_BUNDLE');
    if (c.discounted_quantity !== undefined) invalid('body.conditions.discounted_quantity', 'is only for SAME_ITEM_BUNDLE');
  }
  return {
    type: body.type,
    active: body.active ?? true,
    reason: body.reason,
    displayName: body.display_name,
    vendors,
    startTime: start.toISOString(),
    endTime: end.toISOString(),
    purchasedQuantity: c.purchased_quantity ?? null,
    discountedQuantity: c.discounted_quantity ?? null,
    globalLimit: body.limits?.global_limit ?? null,
    maxItemsPerOrder: body.limits?.max_items_per_order ?? null,
    maxDiscountPerOrder: body.limits?.max_discount_per_order === undefined ? null : toThousandths(body.limits.max_discount_per_order),
  };
}

/** Checks one discount entry against the header: subtype allowed for the type, value present. */
export function checkDiscountEntry(header: PromotionHeader, entry: PromotionUpsertBody['discount'][number], field: string): void {
  if (!SUBTYPES_OF[header.type].includes(entry.discount_subtype)) {
    invalid(`${field}.discount_subtype`, `${entry.discount_subtype} is not allowed for ${header.type} (use ${SUBTYPES_OF[header.type].join(', ')})`);
  }
  if (entry.discount_subtype === 'FREE_ITEM') {
    if (header.discountedQuantity !== null && header.purchasedQuantity !== null && header.discountedQuantity >= header.purchasedQuantity) {
      invalid('body.conditions.discounted_quantity', 'must be below conditions.purchased_quantity for FREE_ITEM');
    }
    return;
  }
  if (entry.discount_value === undefined && entry.active !== false) invalid(`${field}.discount_value`, `is required for ${entry.discount_subtype}`);
}

/** The stored value of an entry: thousandths of money, or thousandths of a percent. */
export function entryValue(subtype: DiscountSubtype, value: number | undefined): number {
  if (subtype === 'FREE_ITEM' || value === undefined) return 0;
  return toThousandths(value);
}

/**
 * Validates a PUT body and turns it into an upsert input whose rows are generated lazily from the
 * body (no second copy of a large SKU list). A SKU listed twice keeps its last entry.
 */
export function upsertInputFromBody(body: PromotionUpsertBody): PromotionUpsertInput {
  const header = normalizeHeader(body);
  body.discount.forEach((d, i) => checkDiscountEntry(header, d, `body.discount[${i}]`));
  const bodyHash = sha256(canonicalJson(body));
  function* rows(): Generator<PromotionSkuRow> {
    for (const d of body.discount) {
      const v = entryValue(d.discount_subtype, d.discount_value);
      const a = d.active ?? true;
      const q = d.max_quantity;
      for (const s of d.sku) yield q === undefined ? { s, t: d.discount_subtype, v, a } : { s, t: d.discount_subtype, v, a, q };
    }
  }
  return { header, rows: rows(), bodyHash };
}
