import type { Bool, Json, Timestamp } from '../types.js';

export interface CatalogTables {
  categories: CategoriesTable;
  products: ProductsTable;
  product_barcodes: ProductBarcodesTable;
  product_categories: ProductCategoriesTable;
  listings: ListingsTable;
}

export interface CategoriesTable {
  id: string;
  chain_id: string;
  parent_id: string | null;
  path: string;
  name: string;
  created_at: Timestamp;
}

export interface ProductsTable {
  id: string;
  chain_id: string;
  sku: string;
  barcodes: Json;
  title: Json;
  description: Json;
  category_ids: Json;
  brand: string | null;
  image_url: string | null;
  is_sold_by_weight: Bool;
  weight_specifications: Json | null;
  vat_percent: number;
  search_text: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ProductBarcodesTable {
  chain_id: string;
  barcode: string;
  product_id: string;
}

export interface ProductCategoriesTable {
  product_id: string;
  category_id: string;
}

export interface ListingsTable {
  vendor_id: string;
  sku: string;
  product_id: string;
  chain_id: string;
  /** Integer thousandths of the currency unit. */
  price_milli: number;
  active: Bool;
  sales_buffer: number;
  maximum_sales_quantity: number | null;
  updated_at: Timestamp;
}
