import { sql, type Kysely } from 'kysely';
import type { ColumnTypes } from '../column-types.js';
import type { Dialect } from '../database.js';

/**
 * Promotions (partner-api.md §5): the promotion header, its SKU×vendor entries (up to 2,000,000 per
 * request, so rows are narrow and keyed for the hot lookup), the promotion side of upsert jobs, the
 * per-pair problems a job reports, and which orders used a promotion (global_limit).
 */
export function promotions(t: ColumnTypes, dialect: Dialect) {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('promotions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('chain_id', 'text', (c) => c.notNull().references('chains.id'))
        // sha256 of display_name + vendors + start_time + end_time: "the same body again modifies".
        .addColumn('upsert_key', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('display_name', t.json, (c) => c.notNull())
        .addColumn('vendors', t.json, (c) => c.notNull())
        .addColumn('start_time', t.timestamp, (c) => c.notNull())
        .addColumn('end_time', t.timestamp, (c) => c.notNull())
        .addColumn('purchased_quantity', 'integer')
        .addColumn('discounted_quantity', 'integer')
        .addColumn('global_limit', 'integer')
        .addColumn('max_items_per_order', 'integer')
        .addColumn('used_count', 'integer', (c) => c.notNull())
        .addColumn('active', t.boolean, (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('body_hash', 'text', (c) => c.notNull())
        .addColumn('last_job_id', 'text')
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('promotions_upsert_key_uq').on('promotions').columns(['chain_id', 'upsert_key']).unique().execute();
      await db.schema.createIndex('promotions_chain_start_idx').on('promotions').columns(['chain_id', 'start_time']).execute();

      // One row per (vendor, sku) of a promotion. The primary key leads with (vendor_id, sku): "the
      // effective promotion of (vendor, sku) at time t" is a prefix range scan joined to a handful of
      // headers. SQLite stores it WITHOUT ROWID (one b-tree instead of table + index: faster bulk upserts).
      let items = db.schema
        .createTable('promotion_items')
        .addColumn('vendor_id', 'text', (c) => c.notNull())
        .addColumn('sku', 'text', (c) => c.notNull())
        .addColumn('promotion_id', 'text', (c) => c.notNull())
        .addColumn('subtype', 'text', (c) => c.notNull())
        // FINAL_PRICE / ABSOLUTE: thousandths of the currency unit; PERCENTAGE: thousandths of a percent.
        .addColumn('value', t.bigint, (c) => c.notNull())
        .addPrimaryKeyConstraint('promotion_items_pk', ['vendor_id', 'sku', 'promotion_id']);
      if (dialect === 'sqlite') items = items.modifyEnd(sql`without rowid`);
      // No secondary index: every other access (removing SKUs, the list's vendor/sku filters) knows the
      // vendor(s) and probes this key; a second b-tree would double the cost of a 2,000,000-pair upsert.
      await items.execute();

      await db.schema
        .createTable('promotion_jobs')
        .addColumn('job_id', 'text', (c) => c.primaryKey())
        .addColumn('chain_id', 'text', (c) => c.notNull().references('chains.id'))
        .addColumn('promotion_id', 'text')
        .addColumn('upsert_key', 'text', (c) => c.notNull())
        .addColumn('body_hash', 'text', (c) => c.notNull())
        // DUPLICATE requests never become a generic job; every other status lives on the jobs row.
        .addColumn('duplicate', t.boolean, (c) => c.notNull())
        .addColumn('invalid_vendors', t.json, (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('promotion_jobs_key_idx').on('promotion_jobs').columns(['chain_id', 'upsert_key', 'created_at']).execute();

      await db.schema
        .createTable('promotion_job_issues')
        .addColumn('job_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('vendor', 'text', (c) => c.notNull())
        .addColumn('sku', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('promotion_job_issues_pk', ['job_id', 'kind', 'vendor', 'sku'])
        .execute();

      // global_limit counts orders: one row per order that received the promotion.
      await db.schema
        .createTable('promotion_order_uses')
        .addColumn('promotion_id', 'text', (c) => c.notNull())
        .addColumn('order_id', 'text', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addPrimaryKeyConstraint('promotion_order_uses_pk', ['promotion_id', 'order_id'])
        .execute();
    },
  };
}
