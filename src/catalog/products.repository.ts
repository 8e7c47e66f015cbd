import type { AppContext } from '../platform/context.js';
import type { Executor } from '../db/database.js';
import { bulkInsert, inText, type BulkSpec } from '../db/bulk.js';
import { toJson } from '../db/rows.js';
import { uuidv7 } from '../platform/ids.js';
import { categoryPaths, ensureCategories, type CategoryCache } from './categories.repository.js';
import type { CatalogRowResult, ProductInput } from './catalog.types.js';
import { upsertListings, type ListingWrite } from './listings.repository.js';
import { bodyBarcodes, checkProduct, type ProductBody } from './product-input.js';

/** Splits a list for multi-row statements (keeps bound parameters under every driver's limit). */
export function chunked<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

const PRODUCT_COLUMNS = ['id', 'chain_id', 'sku', 'barcodes', 'title', 'description', 'category_ids', 'brand', 'image_url', 'is_sold_by_weight', 'weight_specifications', 'vat_percent', 'search_text', 'created_at', 'updated_at'];
const PRODUCT_UPSERT: BulkSpec = {
  table: 'products',
  columns: PRODUCT_COLUMNS,
  pgTypes: ['text', 'text', 'text', 'jsonb', 'jsonb', 'jsonb', 'jsonb', 'text', 'text', 'boolean', 'jsonb', 'double precision', 'text', 'timestamptz', 'timestamptz'],
  suffix:
    'on conflict (chain_id, sku) do update set ' +
    PRODUCT_COLUMNS.filter((c) => !['id', 'chain_id', 'sku', 'created_at'].includes(c))
      .map((c) => `${c} = excluded.${c}`)
      .join(', '),
};

function searchText(p: ProductInput): string {
  return [p.sku, ...Object.values(p.title), p.brand ?? '', ...p.barcodes].join(' ').toLowerCase();
}

/** Category entries that look like ids (no "/"; our ids are UUIDs) and are ids of this chain's categories → their paths. */
async function categoryIdPaths(db: Executor, chainId: string, rows: readonly ProductBody[]): Promise<Map<string, string>> {
  const candidates = new Set<string>();
  for (const r of rows) {
    if (!Array.isArray(r?.categories)) continue;
    for (const c of r.categories) if (typeof c === 'string' && UUID.test(c)) candidates.add(c);
  }
  return candidates.size ? categoryPaths(db, chainId, [...candidates]) : new Map();
}
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Creates or updates a batch of products and lists them on the given vendors, all inside `db` (the
 * caller's transaction), with a handful of multi-row statements per batch. Returns one result per
 * row: CREATED / UPDATED, or the reason the row was refused (a bad row never stops the others).
 */
export async function applyProductRows(
  ctx: AppContext,
  db: Executor,
  chainId: string,
  vendorIds: readonly string[],
  rows: readonly ProductBody[],
  firstRow: number,
  categoryCache: CategoryCache = new Map(),
): Promise<CatalogRowResult[]> {
  const now = ctx.clock.now().toISOString();
  const results: CatalogRowResult[] = new Array(rows.length);
  const accepted: Array<{ i: number; p: ProductInput }> = [];
  const seenSku = new Set<string>();
  const idPaths = await categoryIdPaths(db, chainId, rows);
  for (let i = 0; i < rows.length; i++) {
    let body = rows[i]!;
    const sku = typeof body?.sku === 'string' ? body.sku : '';
    const barcode = body ? bodyBarcodes(body).filter((b) => typeof b === 'string').join('|') : '';
    // A category named by its id (as GET categories answers it) stands for that category's path.
    if (idPaths.size && Array.isArray(body.categories) && body.categories.some((c) => idPaths.has(c))) {
      body = { ...body, categories: body.categories.map((c) => idPaths.get(c) ?? c) };
    }
    const checked = checkProduct(body);
    if (!checked.ok) {
      results[i] = { row: firstRow + i + 1, sku, barcode, result: checked.result, message: checked.message };
    } else if (seenSku.has(sku)) {
      results[i] = { row: firstRow + i + 1, sku, barcode, result: 'DUPLICATE_SKU_IN_BATCH', message: 'the same sku appears earlier in this batch' };
    } else {
      seenSku.add(sku);
      accepted.push({ i, p: checked.product });
    }
  }
  if (accepted.length === 0) return results;

  const existing = new Map<string, string>();
  for (const part of chunked(accepted, 1000)) {
    const found = await db.selectFrom('products').select(['id', 'sku']).where('chain_id', '=', chainId).where(inText(ctx.dialect, 'sku', part.map((a) => a.p.sku))).execute();
    for (const r of found) existing.set(r.sku, r.id);
  }
  const ids = new Map<string, string>(accepted.map((a) => [a.p.sku, existing.get(a.p.sku) ?? uuidv7()]));

  // A barcode belongs to one product of the chain: refuse rows that would steal one.
  const owner = new Map<string, string>();
  const allBarcodes = accepted.flatMap((a) => a.p.barcodes);
  for (const part of chunked(allBarcodes, 1000)) {
    const found = await db.selectFrom('product_barcodes').select(['barcode', 'product_id']).where('chain_id', '=', chainId).where(inText(ctx.dialect, 'barcode', part)).execute();
    for (const r of found) owner.set(r.barcode, r.product_id);
  }
  const writable: Array<{ i: number; p: ProductInput; id: string }> = [];
  for (const a of accepted) {
    const id = ids.get(a.p.sku)!;
    const clash = a.p.barcodes.find((b) => owner.has(b) && owner.get(b) !== id);
    if (clash) {
      results[a.i] = { row: firstRow + a.i + 1, sku: a.p.sku, barcode: a.p.barcodes.join('|'), result: 'BARCODE_TAKEN', message: `barcode ${clash} already belongs to another product of this chain` };
      continue;
    }
    for (const b of a.p.barcodes) owner.set(b, id);
    writable.push({ ...a, id });
  }
  if (writable.length === 0) return results;

  await ensureCategories(db, chainId, writable.flatMap((w) => w.p.categoryPaths), categoryCache, now);

  await bulkInsert(
    db,
    ctx.dialect,
    PRODUCT_UPSERT,
    writable.map(({ p, id }) => [
      id,
      chainId,
      p.sku,
      toJson(p.barcodes),
      toJson(p.title),
      toJson(p.description),
      toJson(p.categoryPaths.map((c) => categoryCache.get(c)!)),
      p.brand,
      p.imageUrl,
      p.isSoldByWeight,
      p.weightSpecifications ? toJson(p.weightSpecifications) : null,
      p.vatPercent,
      searchText(p),
      now,
      now,
    ]),
  );

  // Barcodes and category links of updated products are replaced; new products just get theirs.
  const updatedIds = writable.filter((w) => existing.has(w.p.sku)).map((w) => w.id);
  for (const part of chunked(updatedIds, 1000)) {
    await db.deleteFrom('product_barcodes').where('product_id', 'in', part).execute();
    await db.deleteFrom('product_categories').where('product_id', 'in', part).execute();
  }
  const barcodeRows = writable.flatMap((w) => w.p.barcodes.map((barcode) => ({ chain_id: chainId, barcode, product_id: w.id })));
  await bulkInsert(db, ctx.dialect, { table: 'product_barcodes', columns: ['chain_id', 'barcode', 'product_id'], pgTypes: ['text', 'text', 'text'] }, barcodeRows.map((r) => [r.chain_id, r.barcode, r.product_id]));
  const categoryRows = writable.flatMap((w) => w.p.categoryPaths.map((c) => ({ product_id: w.id, category_id: categoryCache.get(c)! })));
  await bulkInsert(db, ctx.dialect, { table: 'product_categories', columns: ['product_id', 'category_id'], pgTypes: ['text', 'text'] }, categoryRows.map((r) => [r.product_id, r.category_id]));

  const listings: ListingWrite[] = [];
  for (const vendorId of vendorIds) {
    for (const w of writable) {
      const l = w.p.listing;
      listings.push({ vendorId, sku: w.p.sku, productId: w.id, chainId, priceMilli: l.priceMilli, active: l.active, salesBuffer: l.salesBuffer, maximumSalesQuantity: l.maximumSalesQuantity });
    }
  }
  await upsertListings(db, ctx.dialect, listings, now);

  for (const w of writable) {
    results[w.i] = { row: firstRow + w.i + 1, sku: w.p.sku, barcode: w.p.barcodes.join('|'), result: existing.has(w.p.sku) ? 'UPDATED' : 'CREATED' };
  }
  return results;
}

/** True when the chain has any product (the demo catalog is seeded only into an empty chain). */
export async function chainHasProducts(db: Executor, chainId: string): Promise<boolean> {
  return (await db.selectFrom('products').select('id').where('chain_id', '=', chainId).limit(1).executeTakeFirst()) !== undefined;
}
