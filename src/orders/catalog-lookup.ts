import type { Executor } from '../db/database.js';

/** What an order line needs from the catalog: the chain's product and this vendor's listing of it. */
export interface ListedProduct {
  sku: string;
  barcodes: string[];
  title: Record<string, string>;
  image_url: string | null;
  is_sold_by_weight: boolean;
  weight_specifications: { base_weight?: number | null; average_weight_per_piece?: number | null } | null;
  vat_percent: number;
  /** Integer thousandths of the currency unit (per kg when sold by weight). */
  price: number;
  active: boolean;
  maximum_sales_quantity: number | null;
}

export interface CatalogSource {
  findListings(db: Executor, vendorId: string, skus: readonly string[]): Promise<Map<string, ListedProduct>>;
  /** Up to `limit` active listings of the vendor (simulator baskets, test orders). */
  sampleListings(db: Executor, vendorId: string, limit: number): Promise<ListedProduct[]>;
}

// The one place orders touch the catalog. Until the catalog domain lands this is a source tests install.
let source: CatalogSource | undefined;

/** Installs the catalog source (interim, before src/catalog lands). */
export function useCatalogSource(s: CatalogSource): void {
  source = s;
}

function current(): CatalogSource {
  if (!source) throw new Error('catalog source not wired');
  return source;
}

/** The vendor's listings of these SKUs (missing SKUs are absent from the map). */
export function findListings(db: Executor, vendorId: string, skus: readonly string[]): Promise<Map<string, ListedProduct>> {
  return current().findListings(db, vendorId, skus);
}

/** Active listings of a vendor, for generated baskets. */
export function sampleListings(db: Executor, vendorId: string, limit: number): Promise<ListedProduct[]> {
  return current().sampleListings(db, vendorId, limit);
}

/** The product's display name in the vendor's locale, falling back to any title. */
export function productName(p: ListedProduct, locale: string): string {
  return p.title[locale] ?? p.title[locale.slice(0, 2)] ?? Object.values(p.title)[0] ?? p.sku;
}
