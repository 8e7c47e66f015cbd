import type { AppContext } from '../platform/context.js';
import type { Executor } from '../db/database.js';
import type { CatalogRowResult, UpdateResult } from './catalog.types.js';
import { listedSkus, patchListings, type ListingPatch } from './listing-patch.sql.js';
import { skusByBarcode } from './listings.repository.js';
import { toMilli } from '../platform/money.js';

/**
 * One bulk-update row, from the API (typed JSON) or a CSV file (text). Either `sku` or `barcode`
 * names the product. `active` and `quantity` may come together (partner-api.md §4, the documented table):
 * `active:false` → inactive whatever the quantity; `active:true` + quantity → the quantity decides
 * (quantity > sales_buffer → active, ≤ → inactive). `max_sales_quantity` is another name of
 * `maximum_sales_quantity` (the real platform's clients send both spellings).
 */
export interface CatalogUpdateRow {
  sku?: string | null;
  barcode?: string | null;
  price?: number | string | null;
  active?: boolean | string | null;
  quantity?: number | string | null;
  /** null (JSON) removes the cap; empty text (CSV) leaves it as is. */
  maximum_sales_quantity?: number | string | null;
  /** Synonym of maximum_sales_quantity (used when that one is not sent). */
  max_sales_quantity?: number | string | null;
}

interface Patch {
  priceMilli?: number;
  active?: boolean;
  quantity?: number;
  maxQty?: number | null;
}

const blank = (v: unknown) => v === undefined || (typeof v === 'string' && v.trim() === '');

function parseIntLike(v: number | string): number | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? v : undefined;
  const t = v.trim();
  return /^\d{1,15}$/.test(t) ? Number(t) : undefined;
}

function parsePatch(row: CatalogUpdateRow): Patch | { result: UpdateResult; message: string } {
  const patch: Patch = {};
  if (!blank(row.price) && row.price !== null) {
    const milli = toMilli(row.price as number | string);
    if (milli === null || milli <= 0) return { result: 'INVALID_PRICE', message: `price must be > 0 (at most 3 decimals are kept), got ${JSON.stringify(row.price)}` };
    patch.priceMilli = milli;
  } else if (row.price === null) {
    return { result: 'INVALID_PRICE', message: 'price cannot be null' };
  }
  const hasActive = !blank(row.active) && row.active !== null;
  const hasQuantity = !blank(row.quantity) && row.quantity !== null;
  if (hasActive) {
    const a = row.active;
    if (typeof a === 'boolean') patch.active = a;
    else {
      const t = String(a).trim().toLowerCase();
      if (t === 'true' || t === '1') patch.active = true;
      else if (t === 'false' || t === '0') patch.active = false;
      else return { result: 'INVALID_ACTIVE', message: `active must be true/false or 1/0, got ${JSON.stringify(a)}` };
    }
  }
  if (hasQuantity) {
    const q = parseIntLike(row.quantity as number | string);
    if (q === undefined || q < 0) return { result: 'INVALID_QUANTITY', message: `quantity must be an integer ≥ 0, got ${JSON.stringify(row.quantity)}` };
    // The documented table: active:false wins over any quantity; with active:true the quantity decides.
    if (patch.active === false) delete patch.quantity;
    else {
      delete patch.active;
      patch.quantity = q;
    }
  }
  const maxName = row.maximum_sales_quantity === undefined && row.max_sales_quantity !== undefined ? 'max_sales_quantity' : 'maximum_sales_quantity';
  const maxQty = row[maxName];
  if (maxQty === null) patch.maxQty = null;
  else if (!blank(maxQty)) {
    const m = parseIntLike(maxQty as number | string);
    if (m === undefined || m < 1) return { result: 'INVALID_MAXIMUM_SALES_QUANTITY', message: `${maxName} must be an integer ≥ 1 (or null to remove it), got ${JSON.stringify(maxQty)}` };
    patch.maxQty = m;
  }
  if (patch.priceMilli === undefined && patch.active === undefined && patch.quantity === undefined && patch.maxQty === undefined) {
    return { result: 'NOTHING_TO_UPDATE', message: 'send at least one of price, active, quantity, maximum_sales_quantity' };
  }
  return patch;
}

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : v === null || v === undefined ? '' : String(v));

/**
 * Applies bulk listing updates for one vendor inside the caller's transaction and returns one result
 * per row (UPDATED, UNCHANGED, SKU_NOT_FOUND, INVALID_PRICE, …). Changes existing listings only;
 * a bad or unknown row never stops the others. Rows are applied in order, so a SKU repeated in one
 * batch ends with its last values. Reads and writes are batched (a few statements per 1,000 rows).
 */
export async function applyCatalogUpdates(
  ctx: AppContext,
  db: Executor,
  vendor: { id: string; chain_id: string },
  rows: readonly CatalogUpdateRow[],
  firstRow = 0,
): Promise<CatalogRowResult[]> {
  const results: CatalogRowResult[] = new Array(rows.length);
  // Each parsed row is its own ListingPatch (handed to patchListings as is: no copy per row).
  const parsed: Array<ListingPatch & { i: number; barcode: string }> = [];
  const barcodesToResolve: string[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const sku = text(row.sku);
    const barcode = text(row.barcode);
    const out = (result: UpdateResult, message?: string) => {
      results[i] = message ? { row: firstRow + i + 1, sku, barcode, result, message } : { row: firstRow + i + 1, sku, barcode, result };
    };
    if (!sku && !barcode) {
      out('MISSING_IDENTIFIER', 'send sku or barcode');
      continue;
    }
    const patch = parsePatch(row);
    if ('result' in patch) {
      out(patch.result, patch.message);
      continue;
    }
    if (barcode) barcodesToResolve.push(barcode);
    parsed.push({ i, sku, barcode, priceMilli: patch.priceMilli, active: patch.active, quantity: patch.quantity, maxQty: patch.maxQty });
  }

  const bySku = barcodesToResolve.length ? await skusByBarcode(db, ctx.dialect, vendor.chain_id, barcodesToResolve) : new Map<string, string>();
  for (const p of parsed) {
    if (p.barcode) {
      const owner = bySku.get(p.barcode);
      if (!owner) {
        results[p.i] = { row: firstRow + p.i + 1, sku: p.sku, barcode: p.barcode, result: 'BARCODE_NOT_FOUND', message: `no product of this chain has barcode ${p.barcode}` };
        continue;
      }
      if (p.sku && owner !== p.sku) {
        results[p.i] = { row: firstRow + p.i + 1, sku: p.sku, barcode: p.barcode, result: 'IDENTIFIER_MISMATCH', message: `barcode ${p.barcode} belongs to sku ${owner}, not ${p.sku}` };
        continue;
      }
      p.sku = owner;
    }
  }
  // Apply in waves so a SKU repeated in one batch is applied in row order (each wave has a SKU once).
  const now = ctx.clock.now().toISOString();
  let pending = parsed.filter((p) => !results[p.i]);
  const unknownOutcome: typeof parsed = [];
  while (pending.length) {
    const wave: typeof parsed = [];
    const later: typeof parsed = [];
    const seen = new Set<string>();
    for (const p of pending) {
      (seen.has(p.sku) ? later : wave).push(p);
      seen.add(p.sku);
    }
    const changed = await patchListings(db, ctx.dialect, vendor.id, wave, now);
    for (const p of wave) {
      if (changed.has(p.sku)) results[p.i] = { row: firstRow + p.i + 1, sku: p.sku, barcode: p.barcode, result: 'UPDATED' };
      else unknownOutcome.push(p);
    }
    pending = later;
  }
  // Not changed: either already had these values (UNCHANGED) or not listed here (SKU_NOT_FOUND).
  if (unknownOutcome.length) {
    const listed = await listedSkus(db, ctx.dialect, vendor.id, [...new Set(unknownOutcome.map((p) => p.sku))]);
    for (const p of unknownOutcome) {
      results[p.i] = listed.has(p.sku)
        ? { row: firstRow + p.i + 1, sku: p.sku, barcode: p.barcode, result: 'UNCHANGED' }
        : { row: firstRow + p.i + 1, sku: p.sku, barcode: p.barcode, result: 'SKU_NOT_FOUND', message: `sku ${p.sku} is not in this vendor's assortment` };
    }
  }
  return results;
}
