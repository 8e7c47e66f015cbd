import type { Kysely } from 'kysely';
import type { ColumnTypes } from '../column-types.js';

/** Chain-level products (barcodes, categories) and per-vendor listings with prices in thousandths. */
export function catalog(t: ColumnTypes) {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('categories')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('chain_id', 'text', (c) => c.notNull().references('chains.id'))
        .addColumn('parent_id', 'text', (c) => c.references('categories.id'))
        // Full path of names joined by '/', unique per chain: how imports and bodies name a category.
        .addColumn('path', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('categories_path_uq').on('categories').columns(['chain_id', 'path']).unique().execute();

      await db.schema
        .createTable('products')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('chain_id', 'text', (c) => c.notNull().references('chains.id'))
        .addColumn('sku', 'text', (c) => c.notNull())
        .addColumn('barcodes', t.json, (c) => c.notNull())
        .addColumn('title', t.json, (c) => c.notNull())
        .addColumn('description', t.json, (c) => c.notNull())
        .addColumn('category_ids', t.json, (c) => c.notNull())
        .addColumn('brand', 'text')
        .addColumn('image_url', 'text')
        .addColumn('is_sold_by_weight', t.boolean, (c) => c.notNull())
        .addColumn('weight_specifications', t.json)
        // Percent, e.g. 21 or 10.5; not money, so a plain double.
        .addColumn('vat_percent', 'double precision', (c) => c.notNull())
        // Lower-cased sku, titles, brand and barcodes: one portable LIKE for query_term on both dialects.
        .addColumn('search_text', 'text', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('products_sku_uq').on('products').columns(['chain_id', 'sku']).unique().execute();

      await db.schema
        .createTable('product_barcodes')
        .addColumn('chain_id', 'text', (c) => c.notNull())
        .addColumn('barcode', 'text', (c) => c.notNull())
        .addColumn('product_id', 'text', (c) => c.notNull().references('products.id').onDelete('cascade'))
        .addPrimaryKeyConstraint('product_barcodes_pk', ['chain_id', 'barcode'])
        .execute();
      await db.schema.createIndex('product_barcodes_product_idx').on('product_barcodes').column('product_id').execute();

      await db.schema
        .createTable('product_categories')
        .addColumn('product_id', 'text', (c) => c.notNull().references('products.id').onDelete('cascade'))
        .addColumn('category_id', 'text', (c) => c.notNull().references('categories.id'))
        .addPrimaryKeyConstraint('product_categories_pk', ['product_id', 'category_id'])
        .execute();
      await db.schema.createIndex('product_categories_category_idx').on('product_categories').column('category_id').execute();

      await db.schema
        .createTable('listings')
        .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendors.id'))
        // Denormalised from products so the bulk path finds a listing by SKU with one index probe.
        .addColumn('sku', 'text', (c) => c.notNull())
        .addColumn('product_id', 'text', (c) => c.notNull().references('products.id').onDelete('cascade'))
        .addColumn('chain_id', 'text', (c) => c.notNull())
        // Money as integer thousandths of the currency unit (prices have at most 3 decimals).
        .addColumn('price_milli', t.bigint, (c) => c.notNull())
        .addColumn('active', t.boolean, (c) => c.notNull())
        .addColumn('sales_buffer', 'integer', (c) => c.notNull())
        .addColumn('maximum_sales_quantity', 'integer')
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addPrimaryKeyConstraint('listings_pk', ['vendor_id', 'sku'])
        .execute();
      await db.schema.createIndex('listings_product_idx').on('listings').columns(['product_id', 'vendor_id']).execute();
    },
  };
}
