import { AppError, type ErrorCode } from '../platform/errors.js';
import { uuid } from '../platform/secrets.js';
import { productName, type ListedProduct } from './catalog-lookup.js';
import { toGrams } from '../platform/money.js';
import type { OrderLine } from './orders.model.js';
import type { PutItem } from './orders.schemas.js';
import { isDelivered, lineTotal } from './pricing.js';

export interface CartRuleOptions {
  /** Listings of the SKUs of new lines (replacements, additions), from the vendor's catalog. */
  listings: Map<string, ListedProduct>;
  /** Allowed deviation of a picked weight from the ordered weight, percent (default 20). */
  weightTolerancePercent: number;
  locale: string;
  digits: number;
  /** READY_FOR_PICKUP / DISPATCHED: the cart closes; unprocessed lines count as picked. */
  finalize: boolean;
}

function refuse(code: ErrorCode, field: string, message: string, details: Record<string, unknown> = {}): never {
  throw new AppError(code, `${field}: ${message}`, { field, ...details });
}

/** SKUs the edits would add as new lines (so the caller can look their listings up first). */
export function newLineSkus(lines: readonly OrderLine[], edits: readonly PutItem[]): string[] {
  const skus = new Set<string>();
  for (const e of edits) {
    if (e._id || !e.sku) continue;
    const isOriginal = lines.some((l) => !l.added && l.sku === e.sku);
    if (e.status === 'ADDITION' || e.replaced_id || !isOriginal) skus.add(e.sku);
  }
  return [...skus];
}

function applyAmount(line: OrderLine, e: PutItem, field: string, tolerancePercent: number): void {
  const q = e.pricing?.quantity;
  const w = e.pricing?.weight;
  if (line.pricing_type === 'UNIT') {
    if (w !== undefined) refuse('WEIGHT_NOT_ALLOWED', `${field}.pricing.weight`, `${line.sku} is sold by unit; send pricing.quantity`);
    if (q === undefined) return;
    if (q < 1) refuse('QUANTITY_INVALID', `${field}.pricing.quantity`, 'must be at least 1; use status NOT_FOUND for a line not picked');
    const cap = line.added ? line.max_quantity : line.original.quantity;
    if (q > cap) {
      refuse(line.added ? 'MAX_SALES_QUANTITY_EXCEEDED' : 'QUANTITY_ABOVE_ORDERED', `${field}.pricing.quantity`, `${q} is above ${cap}`, { maximum: cap });
    }
    line.quantity = q;
    return;
  }
  if (q !== undefined && q !== line.quantity && (q < 1 || q > Math.max(line.original.quantity, 1))) {
    refuse('QUANTITY_ABOVE_ORDERED', `${field}.pricing.quantity`, `${line.sku} is sold by weight; change pricing.weight`);
  }
  if (w === undefined) return;
  const grams = toGrams(w);
  if (grams < 1) refuse('WEIGHT_REQUIRED', `${field}.pricing.weight`, 'must be at least 0.001 kg');
  if (!line.added) {
    const ordered = line.original.grams ?? 0;
    const low = Math.ceil((ordered * (100 - tolerancePercent)) / 100);
    const high = Math.floor((ordered * (100 + tolerancePercent)) / 100);
    if (grams < low || grams > high) {
      refuse('WEIGHT_OUT_OF_TOLERANCE', `${field}.pricing.weight`, `${w} kg is outside ${low / 1000}–${high / 1000} kg (ordered ${ordered / 1000} kg ±${tolerancePercent} %)`, {
        min_weight: low / 1000,
        max_weight: high / 1000,
      });
    }
  }
  line.grams = grams;
}

function newLine(e: PutItem, field: string, listing: ListedProduct | undefined, opts: CartRuleOptions, replacedId: string | null): OrderLine {
  const sku = e.sku!;
  if (!listing) refuse('SKU_NOT_IN_ASSORTMENT', `${field}.sku`, `"${sku}" is not listed at this vendor`, { sku });
  if (!listing.active) refuse('PRODUCT_INACTIVE', `${field}.sku`, `"${sku}" is not active at this vendor`, { sku });
  const kg = listing.is_sold_by_weight;
  const max = listing.maximum_sales_quantity ?? 1000;
  const line: OrderLine = {
    id: uuid(),
    sku,
    barcodes: listing.barcodes,
    name: productName(listing, opts.locale),
    status: replacedId ? 'IN_CART' : 'ADDITION',
    replaced_id: replacedId,
    instructions: '',
    image_url: listing.image_url,
    container_deposit: 0,
    pricing_type: kg ? 'KG' : 'UNIT',
    unit_price: listing.price,
    quantity: 1,
    grams: null,
    min_quantity: 1,
    max_quantity: max,
    vat_percent: listing.vat_percent,
    original: { unit_price: listing.price, quantity: 0, grams: kg ? 0 : null, total: 0 },
    discount: 0,
    promotions: [],
    added: true,
  };
  if (kg) {
    if (e.pricing?.weight === undefined) refuse('WEIGHT_REQUIRED', `${field}.pricing.weight`, `"${sku}" is sold by weight; send pricing.weight in kg`);
  } else if (e.pricing?.quantity === undefined) {
    e = { ...e, pricing: { ...e.pricing, quantity: 1 } };
  }
  applyAmount(line, e, field, opts.weightTolerancePercent);
  return line;
}

/**
 * Applies a PUT's item edits to a copy of the lines, enforcing every rule of partner-api.md §3.3:
 * lines by `_id` (or unambiguous `sku`), an item without a status is IN_CART, NOT_PROCESSED leaves its
 * line untouched (the cart's close turns it into IN_CART as ordered), quantities never above what was ordered, weights inside the
 * tolerance, replacements with `replaced_id` and new lines priced from the catalog (a price sent by
 * the partner is ignored). Throws the first refusal with its stable code; the input is never mutated.
 */
export function applyCartEdits(lines: readonly OrderLine[], edits: readonly PutItem[], opts: CartRuleOptions): OrderLine[] {
  const out: OrderLine[] = lines.map((l) => ({ ...l, original: { ...l.original } }));
  const touched = new Set<string>();
  const markedReplaced = new Map<string, string>();

  edits.forEach((sent, i) => {
    const field = `body.items[${i}]`;
    // An item without a status is picked (IN_CART), as existing clients expect.
    const e: PutItem = sent.status ? sent : { ...sent, status: 'IN_CART' };
    let target: OrderLine | undefined;
    if (e._id) {
      target = out.find((l) => l.id === e._id);
      if (!target) refuse('UNKNOWN_LINE', `${field}._id`, `no line "${e._id}" in this order`);
      if (e.sku && e.sku !== target.sku) refuse('LINE_SKU_MISMATCH', `${field}.sku`, `line ${target.id} is "${target.sku}", not "${e.sku}"`);
    } else if (e.sku) {
      if (e.status === 'ADDITION' || e.replaced_id) {
        // Sending the same replacement/addition again (e.g. after an UPDATE_CART review) edits that line.
        target = out.find((l) => l.added && l.sku === e.sku && l.replaced_id === (e.replaced_id ?? null));
      } else {
        const candidates = out.filter((l) => !l.added && l.sku === e.sku);
        if (candidates.length > 1) refuse('AMBIGUOUS_LINE', `${field}.sku`, `${candidates.length} lines have sku "${e.sku}"; address the line by _id`);
        target = candidates[0];
        if (!target) {
          if (e.status === 'IN_CART') {
            refuse('REPLACEMENT_WITHOUT_REPLACED_ID', `${field}.replaced_id`, `"${e.sku}" is not in the order: send replaced_id to replace a line, or status ADDITION to add it`);
          }
          refuse('UNKNOWN_LINE', `${field}.sku`, `no line with sku "${e.sku}" in this order`);
        }
      }
    } else {
      refuse('VALIDATION_FAILED', `${field}._id`, 'each item needs _id or sku');
    }

    if (target) {
      if (touched.has(target.id)) refuse('DUPLICATE_LINE', field, `line ${target.id} appears more than once`);
      touched.add(target.id);
      if (e.replaced_id && e.replaced_id !== target.replaced_id) refuse('INVALID_REPLACEMENT', `${field}.replaced_id`, 'an existing line cannot start replacing another one');
      // NOT_PROCESSED (the status of an item as the webhook sent it): not touched, the line stays as it is.
      if (e.status === 'NOT_PROCESSED') return;
      if (e.status === 'ADDITION' && !(target.added && target.replaced_id === null)) {
        refuse('VALIDATION_FAILED', `${field}.status`, 'ADDITION is for extra lines added by the picker');
      }
      if (e.status === 'REPLACED') {
        if (target.added) refuse('INVALID_REPLACEMENT', `${field}.status`, 'only lines the customer ordered can be REPLACED');
        target.status = 'REPLACED';
        markedReplaced.set(target.id, field);
        return;
      }
      if (target.status === 'REPLACED' && e.status !== 'NOT_FOUND') {
        refuse('INVALID_REPLACEMENT', `${field}.status`, `line ${target.id} was already replaced`);
      }
      if (e.status === 'NOT_FOUND') {
        target.status = 'NOT_FOUND';
        return;
      }
      applyAmount(target, e, field, opts.weightTolerancePercent);
      target.status = target.added && target.replaced_id === null ? 'ADDITION' : 'IN_CART';
      return;
    }

    // A new line: a replacement (replaced_id) or an addition.
    if (e.status === 'NOT_FOUND' || e.status === 'REPLACED' || e.status === 'NOT_PROCESSED') refuse('UNKNOWN_LINE', `${field}.sku`, `no line with sku "${e.sku}" in this order`);
    let replacedId: string | null = null;
    if (e.replaced_id) {
      const original = out.find((l) => l.id === e.replaced_id);
      if (!original || original.added) refuse('INVALID_REPLACEMENT', `${field}.replaced_id`, `"${e.replaced_id}" is not an original line of this order`);
      if (touched.has(original.id) && original.status !== 'REPLACED') {
        refuse('INVALID_REPLACEMENT', `${field}.replaced_id`, `line ${original.id} is also sent as ${original.status}`);
      }
      original.status = 'REPLACED';
      replacedId = original.id;
    } else if (e.status !== 'ADDITION') {
      refuse('REPLACEMENT_WITHOUT_REPLACED_ID', `${field}.replaced_id`, 'a new line must name the line it replaces, or be an ADDITION');
    }
    const line = newLine(e, field, opts.listings.get(e.sku!), opts, replacedId);
    touched.add(line.id);
    out.push(line);
  });

  for (const line of out) {
    if (line.status !== 'REPLACED') continue;
    if (!out.some((l) => l.replaced_id === line.id)) {
      const field = markedReplaced.get(line.id) ?? 'body.items';
      refuse('REPLACED_LINE_WITHOUT_REPLACEMENT', field, `line ${line.id} is REPLACED but no line has replaced_id "${line.id}"`);
    }
  }
  if (opts.finalize) {
    for (const line of out) if (line.status === 'NOT_PROCESSED') line.status = 'IN_CART';
    if (!out.some((l) => isDelivered(l) && lineTotal(l, opts.digits) >= 0)) {
      throw new AppError('ALL_ITEMS_NOT_FOUND');
    }
  }
  return out;
}
