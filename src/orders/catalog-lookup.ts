import { findListingsForVendor, listingsAfter, type VendorListing } from '../catalog/index.js';
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

function toListed(v: VendorListing): ListedProduct {
  return {
    sku: v.sku,
    barcodes: v.barcodes,
    title: v.title,
    image_url: v.imageUrl,
    is_sold_by_weight: v.isSoldByWeight,
    weight_specifications: v.weightSpecifications,
    vat_percent: v.vatPercent,
    price: v.priceMilli,
    active: v.active,
    maximum_sales_quantity: v.maximumSalesQuantity,
  };
}

/** The vendor's listings of these SKUs (missing SKUs are absent from the map). The one place orders read the catalog. */
export async function findListings(db: Executor, vendorId: string, skus: readonly string[]): Promise<Map<string, ListedProduct>> {
  const found = await findListingsForVendor(db, vendorId, skus);
  return new Map([...found].map(([sku, v]) => [sku, toListed(v)]));
}

/** Up to `limit` listings of a vendor in SKU order (simulator baskets, test orders); callers keep the active ones. */
export async function sampleListings(db: Executor, vendorId: string, limit: number): Promise<ListedProduct[]> {
  return (await listingsAfter(db, vendorId, null, limit)).map(toListed);
}

/** The product's display name in the vendor's locale, falling back to any title. */
export function productName(p: ListedProduct, locale: string): string {
  return p.title[locale] ?? p.title[locale.slice(0, 2)] ?? Object.values(p.title)[0] ?? p.sku;
}
