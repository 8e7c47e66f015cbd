import { sql, type Kysely } from 'kysely';
import type { ColumnTypes } from '../column-types.js';

/** Orders, their timeline, and PUT idempotency keys. */
export function orders(t: ColumnTypes) {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('orders')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('chain_id', 'text', (c) => c.notNull().references('chains.id'))
        .addColumn('vendor_id', 'text', (c) => c.notNull().references('vendors.id'))
        .addColumn('external_order_id', 'text', (c) => c.notNull().unique())
        .addColumn('order_code', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('transport_type', 'text', (c) => c.notNull())
        .addColumn('order_type', 'text', (c) => c.notNull())
        .addColumn('is_preorder', t.boolean, (c) => c.notNull())
        .addColumn('is_test', t.boolean, (c) => c.notNull())
        .addColumn('comment', 'text', (c) => c.notNull())
        .addColumn('promised_for', t.timestamp, (c) => c.notNull())
        .addColumn('accepted_for', t.timestamp)
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('payment_type', 'text', (c) => c.notNull())
        .addColumn('customer', t.json, (c) => c.notNull())
        .addColumn('lines', t.json, (c) => c.notNull())
        .addColumn('fees', t.json, (c) => c.notNull())
        .addColumn('cancellation', t.json)
        .addColumn('sub_total', t.bigint, (c) => c.notNull())
        .addColumn('order_total', t.bigint, (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('event_sequence', 'integer', (c) => c.notNull())
        .addColumn('last_event_id', 'text')
        .addColumn('webhook_status', 'text', (c) => c.notNull())
        .addColumn('snapshot', 'text', (c) => c.notNull())
        .execute();
      // The vendor orders list: a created_at window per vendor, newest first (1,000,000+ orders).
      await db.schema.createIndex('orders_vendor_created_idx').on('orders').columns(['vendor_id', 'created_at', 'id']).execute();
      // status= filter on the same window.
      await db.schema.createIndex('orders_vendor_status_created_idx').on('orders').columns(['vendor_id', 'status', 'created_at']).execute();
      // Chain-wide listings (portal) and retention purge.
      await db.schema.createIndex('orders_chain_created_idx').on('orders').columns(['chain_id', 'created_at']).execute();
      // Simulators look for orders waiting in an open status; finished orders (the vast majority) stay out of it.
      await db.schema
        .createIndex('orders_open_status_updated_idx')
        .on('orders')
        .columns(['status', 'updated_at'])
        .where(sql.ref('status'), 'in', ['RECEIVED', 'ACCEPTED', 'READY_FOR_PICKUP', 'DISPATCHED'])
        .execute();

      await db.schema
        .createTable('order_events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id').onDelete('cascade'))
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('webhook', t.boolean, (c) => c.notNull())
        .addColumn('details', t.json, (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('order_events_order_idx').on('order_events').columns(['order_id', 'version']).execute();

      await db.schema
        .createTable('order_idempotency_keys')
        .addColumn('chain_id', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id').onDelete('cascade'))
        .addColumn('request_hash', 'text', (c) => c.notNull())
        .addColumn('status_code', 'integer', (c) => c.notNull())
        .addColumn('response', t.json, (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addPrimaryKeyConstraint('order_idempotency_keys_pk', ['chain_id', 'key'])
        .execute();
      await db.schema
        .createTable('order_day_counts')
        .addColumn('vendor_id', 'text', (c) => c.notNull())
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('n', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('order_day_counts_pk', ['vendor_id', 'day', 'status'])
        .execute();

      await db.schema.createIndex('order_idempotency_keys_created_idx').on('order_idempotency_keys').column('created_at').execute();
    },
  };
}
