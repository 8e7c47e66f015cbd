import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { Dialect } from '../database.js';

/** The predicate "the order has a line not found while picking", spelled once per dialect (the partial indexes and the dashboard query must say the same). */
export const notFoundPredicate = (dialect: Dialect): RawBuilder<SqlBool> =>
  dialect === 'postgres' ? sql<SqlBool>`lines @> '[{"status":"NOT_FOUND"}]'::jsonb` : sql<SqlBool>`instr(lines, '"status":"NOT_FOUND"') > 0`;

/** Channel of the portal's live updates on Postgres (LISTEN/NOTIFY; payload `<chain_id>:<kind>`). */
export const LIVE_CHANNEL = 'comanda_live';

/**
 * Portal dashboard and live updates.
 *
 * Indexes: the dashboard figures (orders, sales, cancellations per chain or store over a window) are read
 * from covering indexes only; `orders_chain_created_idx` is a prefix of the new chain index and goes. Orders
 * with a line not found and the READY_FOR_PICKUP timeline rows get small partial indexes; webhook health reads
 * deliveries and attempts by chain and time, covered.
 *
 * Postgres: triggers NOTIFY `comanda_live` when an order, a delivery or an endpoint changes, so the portal's
 * event stream in any process hears what another process committed (identical payloads in one transaction
 * collapse into one notification). SQLite is one file read by this process: the stream watches rowids instead.
 */
export function dashboard(dialect: Dialect) {
  return {
    async up(db: Kysely<any>): Promise<void> {
      const s = db.schema;
      await s.createIndex('orders_dash_chain_idx').on('orders').columns(['chain_id', 'created_at', 'status', 'order_total', 'vendor_id', 'id']).execute();
      await s.dropIndex('orders_chain_created_idx').execute();
      await s.createIndex('orders_dash_vendor_idx').on('orders').columns(['vendor_id', 'created_at', 'status', 'order_total', 'id']).execute();
      await s.createIndex('orders_dash_chain_nf_idx').on('orders').columns(['chain_id', 'created_at', 'vendor_id']).where(notFoundPredicate(dialect)).execute();
      await s.createIndex('orders_dash_vendor_nf_idx').on('orders').columns(['vendor_id', 'created_at']).where(notFoundPredicate(dialect)).execute();
      await s.createIndex('order_events_ready_idx').on('order_events').columns(['order_id', 'created_at']).where(sql.ref('type'), '=', 'READY_FOR_PICKUP').execute();
      await s.createIndex('webhook_deliveries_health_idx').on('webhook_deliveries').columns(['chain_id', 'created_at', 'status']).execute();
      await s.createIndex('webhook_attempts_health_idx').on('webhook_attempts').columns(['chain_id', 'started_at', 'duration_ms']).execute();
      if (dialect !== 'postgres') return;
      await sql`
        create function comanda_live_notify() returns trigger language plpgsql as $$
        begin
          perform pg_notify('comanda_live', new.chain_id || ':' || tg_argv[0] || case when tg_op = 'INSERT' and tg_argv[0] = 'orders' then ':new' else '' end);
          return null;
        end $$`.execute(db);
      await sql`create trigger orders_live after insert or update on orders for each row execute function comanda_live_notify('orders')`.execute(db);
      await sql`create trigger webhook_deliveries_live after insert or update on webhook_deliveries for each row execute function comanda_live_notify('deliveries')`.execute(db);
      await sql`create trigger webhook_endpoints_live after insert or update on webhook_endpoints for each row execute function comanda_live_notify('endpoints')`.execute(db);
    },
  };
}
