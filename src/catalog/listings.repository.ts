import { sql } from 'kysely';
import { bulkInsert, inText, type BulkSpec } from '../db/bulk.js';
import type { Dialect, Executor } from '../db/database.js';
import { bool, iso, json, num } from '../db/rows.js';
import type { LocaleMap, WeightSpecifications } from './catalog.types.js';

/** One listing write: the full state of a (vendor, sku) listing. */
export interface ListingWrite {
  vendorId: string;
  sku: string;
  productId: string;
  chainId: string;
  priceMilli: number;
  active: boolean;
  salesBuffer: number;
  maximumSalesQuantity: number | null;
}

const LISTING_UPSERT: BulkSpec = {
  table: 'listings',
  columns: ['vendor_id', 'sku', 'product_id', 'chain_id', 'price_milli', 'active', 'sales_buffer', 'maximum_sales_quantity', 'updated_at'],
  pgTypes: ['text', 'text', 'text', 'text', 'bigint', 'boolean', 'integer', 'integer', 'timestamptz'],
  suffix:
    'on conflict (vendor_id, sku) do update set product_id = excluded.product_id, price_milli = excluded.price_milli, active = excluded.active, ' +
    'sales_buffer = excluded.sales_buffer, maximum_sales_quantity = excluded.maximum_sales_quantity, updated_at = excluded.updated_at',
};

/** Multi-row upsert of listings keyed by (vendor_id, sku): one pre-compiled statement per 500 rows. */
export async function upsertListings(db: Executor, dialect: Dialect, rows: readonly ListingWrite[], now: string): Promise<void> {
  await bulkInsert(
    db,
    dialect,
    LISTING_UPSERT,
    rows.map((r) => [r.vendorId, r.sku, r.productId, r.chainId, r.priceMilli, r.active, r.salesBuffer, r.maximumSalesQuantity, now]),
  );
}

/** barcode → sku for a chain's products (bulk rows may name a product by barcode). */
export async function skusByBarcode(db: Executor, dialect: Dialect, chainId: string, barcodes: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const unique = [...new Set(barcodes)];
  for (let i = 0; i < unique.length; i += 1000) {
    const rows = await db
      .selectFrom('product_barcodes')
      .innerJoin('products', 'products.id', 'product_barcodes.product_id')
      .select(['product_barcodes.barcode', 'products.sku'])
      .where('product_barcodes.chain_id', '=', chainId)
      .where(inText(dialect, 'product_barcodes.barcode', unique.slice(i, i + 1000)))
      .execute();
    for (const r of rows) out.set(r.barcode, r.sku);
  }
  return out;
}

/** What order intake needs about a vendor's listing of a SKU (prices as integer thousandths). */
export interface VendorListing {
  productId: string;
  sku: string;
  barcodes: string[];
  title: LocaleMap;
  imageUrl: string | null;
  isSoldByWeight: boolean;
  weightSpecifications: WeightSpecifications | null;
  vatPercent: number;
  priceMilli: number;
  active: boolean;
  maximumSalesQuantity: number | null;
  salesBuffer: number;
}

/** Joined product + listing row as both dialects return it. */
interface JoinedRow {
  product_id: string;
  sku: string;
  barcodes: unknown;
  title: unknown;
  description: unknown;
  category_ids: unknown;
  brand: string | null;
  image_url: string | null;
  is_sold_by_weight: unknown;
  weight_specifications: unknown;
  vat_percent: unknown;
  price_milli: unknown;
  active: unknown;
  sales_buffer: unknown;
  maximum_sales_quantity: unknown;
  updated_at: unknown;
}

function joined(db: Executor) {
  return db
    .selectFrom('listings as l')
    .innerJoin('products as p', 'p.id', 'l.product_id')
    .select([
      'p.id as product_id',
      'l.sku',
      'p.barcodes',
      'p.title',
      'p.description',
      'p.category_ids',
      'p.brand',
      'p.image_url',
      'p.is_sold_by_weight',
      'p.weight_specifications',
      'p.vat_percent',
      'l.price_milli',
      'l.active',
      'l.sales_buffer',
      'l.maximum_sales_quantity',
      'l.updated_at',
    ]);
}

function toVendorListing(r: JoinedRow): VendorListing {
  return {
    productId: r.product_id,
    sku: r.sku,
    barcodes: json<string[]>(r.barcodes),
    title: json<LocaleMap>(r.title),
    imageUrl: r.image_url,
    isSoldByWeight: bool(r.is_sold_by_weight),
    weightSpecifications: r.weight_specifications === null ? null : json<WeightSpecifications>(r.weight_specifications),
    vatPercent: num(r.vat_percent),
    priceMilli: num(r.price_milli),
    active: bool(r.active),
    maximumSalesQuantity: r.maximum_sales_quantity === null ? null : num(r.maximum_sales_quantity),
    salesBuffer: num(r.sales_buffer),
  };
}

/**
 * The vendor's listings of these SKUs (missing SKUs are simply absent from the map). Works inside
 * the caller's transaction: order intake prices lines with it.
 */
export async function findListingsForVendor(db: Executor, vendorId: string, skus: readonly string[]): Promise<Map<string, VendorListing>> {
  const out = new Map<string, VendorListing>();
  const unique = [...new Set(skus)];
  for (let i = 0; i < unique.length; i += 1000) {
    const rows = await joined(db).where('l.vendor_id', '=', vendorId).where('l.sku', 'in', unique.slice(i, i + 1000)).execute();
    for (const r of rows) out.set(r.sku, toVendorListing(r as JoinedRow));
  }
  return out;
}

export interface CatalogEntry extends VendorListing {
  description: LocaleMap;
  categoryIds: string[];
  brand: string | null;
  updatedAt: string;
}

function toCatalogEntry(r: JoinedRow): CatalogEntry {
  return {
    ...toVendorListing(r),
    description: json<LocaleMap>(r.description),
    categoryIds: json<string[]>(r.category_ids),
    brand: r.brand,
    updatedAt: iso(r.updated_at),
  };
}

export interface CatalogFilter {
  queryTerm?: string;
  isActive?: boolean;
  /** Category paths: each one matches the category and its descendants; all of them must match. */
  categoryPaths?: Array<string | string[]>;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A page of a vendor's listed products with optional filters; sorted by SKU. */
export async function listVendorCatalog(db: Executor, vendorId: string, filter: CatalogFilter, page: number, pageSize: number): Promise<{ entries: CatalogEntry[]; total: number }> {
  const apply = <Q extends ReturnType<typeof joined>>(q: Q): Q => {
    let out = q.where('l.vendor_id', '=', vendorId) as Q;
    if (filter.isActive !== undefined) out = out.where('l.active', '=', filter.isActive) as Q;
    if (filter.queryTerm) {
      const term = `%${escapeLike(filter.queryTerm.toLowerCase())}%`;
      out = out.where(sql<boolean>`p.search_text like ${term} escape '\\'`) as Q;
    }
    // Each entry is one condition (a path, or a list of paths any of which matches); all must hold.
    for (const entry of filter.categoryPaths ?? []) {
      const paths = typeof entry === 'string' ? [entry] : entry;
      out = out.where(({ exists, selectFrom }) =>
        exists(
          selectFrom('product_categories as pc')
            .innerJoin('categories as c', 'c.id', 'pc.category_id')
            .select(sql`1`.as('one'))
            .whereRef('pc.product_id', '=', 'p.id')
            .where((eb) => eb.or(paths.flatMap((path) => [eb('c.path', '=', path), eb(sql`c.path`, 'like', sql`${`${escapeLike(path)}/%`} escape '\\'`)]))),
        ),
      ) as Q;
    }
    return out;
  };
  const rows = await apply(joined(db)).orderBy('l.sku').limit(pageSize).offset((page - 1) * pageSize).execute();
  const count = await apply(joined(db))
    .clearSelect()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return { entries: rows.map((r) => toCatalogEntry(r as JoinedRow)), total: num(count.n) };
}

/** The next `limit` listings of a vendor after `afterSku` in SKU order (exports walk the catalog with it). */
export async function listingsAfter(db: Executor, vendorId: string, afterSku: string | null, limit: number): Promise<CatalogEntry[]> {
  let q = joined(db).where('l.vendor_id', '=', vendorId);
  if (afterSku !== null) q = q.where('l.sku', '>', afterSku);
  const rows = await q.orderBy('l.sku').limit(limit).execute();
  return rows.map((r) => toCatalogEntry(r as JoinedRow));
}

/** Current listing prices (thousandths) of these SKUs at these vendors: vendorId → sku → price. */
export async function listingPrices(db: Executor, vendorIds: readonly string[], skus: readonly string[]): Promise<Map<string, Map<string, number>>> {
  const out = new Map<string, Map<string, number>>();
  for (const v of vendorIds) out.set(v, new Map());
  if (vendorIds.length === 0 || skus.length === 0) return out;
  const r = await sql<{ vendor_id: string; sku: string; price_milli: unknown }>`
    select vendor_id, sku, price_milli from listings
    where vendor_id in (${sql.join(vendorIds)}) and sku in (${sql.join(skus)})`.execute(db);
  for (const row of r.rows) out.get(row.vendor_id)?.set(row.sku, num(row.price_milli));
  return out;
}
