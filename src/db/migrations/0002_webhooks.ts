import type { Kysely } from 'kysely';
import type { ColumnTypes } from '../column-types.js';

/** Webhook endpoints, the durable outbox (events + per-endpoint deliveries), attempts, per-order sequences. */
export function webhooks(t: ColumnTypes) {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('webhook_endpoints')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('chain_id', 'text', (c) => c.notNull().references('chains.id'))
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('auth_header', 'text', (c) => c.notNull())
        .addColumn('auth_secret', 'text', (c) => c.notNull())
        .addColumn('signing_secret', 'text', (c) => c.notNull())
        .addColumn('previous_signing_secret', 'text')
        .addColumn('previous_secret_expires_at', t.timestamp)
        .addColumn('events', t.json, (c) => c.notNull())
        .addColumn('enabled', t.boolean, (c) => c.notNull())
        .addColumn('disabled_reason', 'text')
        .addColumn('disabled_at', t.timestamp)
        .addColumn('failing_since', t.timestamp)
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addColumn('deleted_at', t.timestamp)
        .execute();
      await db.schema.createIndex('webhook_endpoints_chain_idx').on('webhook_endpoints').columns(['chain_id', 'created_at']).execute();

      // Body as text on both dialects: jsonb would reorder keys and break the signature over the exact bytes.
      await db.schema
        .createTable('webhook_events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('chain_id', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('order_key', 'text')
        .addColumn('sequence', t.bigint)
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('webhook_deliveries')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('event_id', 'text', (c) => c.notNull().references('webhook_events.id'))
        .addColumn('endpoint_id', 'text', (c) => c.notNull().references('webhook_endpoints.id'))
        .addColumn('chain_id', 'text', (c) => c.notNull())
        .addColumn('event_type', 'text', (c) => c.notNull())
        .addColumn('order_key', 'text')
        .addColumn('sequence', t.bigint)
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_at', t.timestamp, (c) => c.notNull())
        .addColumn('lease_until', t.timestamp)
        .addColumn('last_status_code', 'integer')
        .addColumn('last_error', 'text')
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addColumn('completed_at', t.timestamp)
        .execute();
      // The claim scans due work; ordering looks up an order's open deliveries and its next waiting one.
      await db.schema.createIndex('webhook_deliveries_due_idx').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute();
      await db.schema.createIndex('webhook_deliveries_order_idx').on('webhook_deliveries').columns(['endpoint_id', 'order_key', 'status', 'sequence']).execute();
      await db.schema.createIndex('webhook_deliveries_log_idx').on('webhook_deliveries').columns(['chain_id', 'created_at', 'id']).execute();
      await db.schema.createIndex('webhook_deliveries_event_idx').on('webhook_deliveries').column('event_id').execute();

      await db.schema
        .createTable('webhook_attempts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('delivery_id', 'text', (c) => c.notNull().references('webhook_deliveries.id'))
        .addColumn('endpoint_id', 'text', (c) => c.notNull())
        .addColumn('chain_id', 'text', (c) => c.notNull())
        .addColumn('attempt', 'integer', (c) => c.notNull())
        .addColumn('started_at', t.timestamp, (c) => c.notNull())
        .addColumn('duration_ms', 'integer', (c) => c.notNull())
        .addColumn('status_code', 'integer')
        .addColumn('response_body', 'text')
        .addColumn('error', 'text')
        .addColumn('outcome', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('webhook_attempts_delivery_idx').on('webhook_attempts').columns(['delivery_id', 'started_at']).execute();

      await db.schema
        .createTable('webhook_sequences')
        .addColumn('chain_id', 'text', (c) => c.notNull())
        .addColumn('order_key', 'text', (c) => c.notNull())
        .addColumn('last_sequence', t.bigint, (c) => c.notNull())
        .addPrimaryKeyConstraint('webhook_sequences_pk', ['chain_id', 'order_key'])
        .execute();
    },
    async down(db: Kysely<any>): Promise<void> {
      for (const table of ['webhook_attempts', 'webhook_deliveries', 'webhook_events', 'webhook_sequences', 'webhook_endpoints']) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}
