import { CompiledQuery, sql } from 'kysely';
import { compiledQuery } from '../db/compiled.js';
import type { Dialect, Executor, Trx } from '../db/database.js';
import { toJson } from '../db/rows.js';
import { toVendor, type Vendor } from '../vendors/index.js';
import { hourOf } from '../platform/time-buckets.js';
import { STATS_COLUMNS } from './order-stats.repository.js';
import type { Order } from './orders.model.js';
import type { OrdersTable } from '../db/tables/orders.js';
import { toOrder, type OrderTimelineEntry } from './orders.repository.js';

/**
 * The statements of an order change (PUT, platform actions), each built once and compiled once per
 * dialect: a change runs them on every request, inside the row lock.
 */

/** Every order column but the snapshot (a few KB of overflow pages the change rewrites, never reads). */
const ORDER_COLUMNS = [
  'id', 'chain_id', 'vendor_id', 'external_order_id', 'order_code', 'status', 'transport_type', 'order_type', 'is_preorder', 'is_test', 'comment', 'promised_for', 'accepted_for',
  'currency', 'payment_type', 'customer', 'lines', 'fees', 'cancellation', 'sub_total', 'order_total', 'created_at', 'updated_at', 'created_by', 'updated_by', 'version', 'event_sequence',
  'last_event_id', 'webhook_status',
] as const;

// A column added to the table must be added above (or the change would drop it): checked here.
type Unlisted = Exclude<Exclude<keyof OrdersTable, 'snapshot'>, (typeof ORDER_COLUMNS)[number]>;
const allListed: [Unlisted] extends [never] ? true : Unlisted = true;
void allListed;

const VENDOR_COLUMNS = ['id', 'chain_id', 'code', 'external_id', 'name', 'integration_type', 'is_test', 'time_zone', 'currency', 'country_code', 'locale', 'created_at', 'updated_at'] as const;

const orderWithVendor = compiledQuery((db, id: string) =>
  db
    .selectFrom('orders')
    .innerJoin('vendors', 'vendors.id', 'orders.vendor_id')
    .select(ORDER_COLUMNS.map((c) => `orders.${c}` as const))
    .select(VENDOR_COLUMNS.map((c) => `vendors.${c} as v_${c}` as const))
    .where('orders.id', '=', id),
);

/**
 * Postgres: the order row locked first (the materialized CTE), then its webhook sequence row when it
 * exists — the lock the outbox takes for the order's events (events.ts), held from here on, so that
 * the outbox can bump the sequence and read the endpoints' open deliveries in one statement whose
 * snapshot already follows every promotion that held that lock. Always order row, then sequence row:
 * promotions and replays take only the sequence row, so no two transactions wait on each other in a cycle.
 * Only the order row of orders: locking the vendor too would serialise every change of the store.
 */
const LOCKED_ORDER_WITH_VENDOR = `with o as materialized (select ${ORDER_COLUMNS.map((c) => `"${c}"`).join(', ')} from "orders" where "id" = $1 for update)
  select ${ORDER_COLUMNS.map((c) => `o."${c}"`).join(', ')}, ${VENDOR_COLUMNS.map((c) => `v."${c}" as "v_${c}"`).join(', ')},
    (select true from "webhook_sequences" s where s."chain_id" = o."chain_id" and s."order_key" = o."id" for update) as "sequence_locked"
  from o inner join "vendors" v on v."id" = o."vendor_id"`;

export interface LockedOrder {
  order: Order;
  vendor: Vendor;
  /** Postgres: this transaction holds the order's webhook sequence row lock (the row exists). */
  sequenceLocked: boolean;
}

/**
 * The order and its vendor (read now, never cached: a write must not act on a stale integration
 * type), the order row locked for the rest of the transaction — one statement instead of two.
 * Postgres: the order row and its webhook sequence row locked (above); SQLite's single writer already serialises.
 */
export async function findOrderWithVendorForUpdate(trx: Trx, dialect: Dialect, id: string): Promise<LockedOrder | undefined> {
  const result = dialect === 'postgres' ? await trx.executeQuery(CompiledQuery.raw(LOCKED_ORDER_WITH_VENDOR, [id])) : await orderWithVendor(trx, dialect, id);
  const row = result.rows[0] as Record<string, unknown> | undefined;
  if (!row) return undefined;
  const v: Record<string, unknown> = {};
  for (const c of VENDOR_COLUMNS) v[c] = row[`v_${c}`];
  return { order: toOrder(row as never), vendor: toVendor(v as never), sequenceLocked: row.sequence_locked === true };
}

const updateOrder = compiledQuery(
  (db, id: string, status: string, acceptedFor: string | null, lines: string, cancellation: string | null, subTotal: number, orderTotal: number, updatedAt: string, updatedBy: string, version: number, eventSequence: number, lastEventId: string | null, webhookStatus: string, snapshot: string) =>
    db
      .updateTable('orders')
      .set({
        status,
        accepted_for: acceptedFor,
        lines,
        cancellation,
        sub_total: subTotal,
        order_total: orderTotal,
        updated_at: updatedAt,
        updated_by: updatedBy,
        version,
        event_sequence: eventSequence,
        last_event_id: lastEventId,
        webhook_status: webhookStatus,
        snapshot,
      })
      .where('id', '=', id),
);

/** The write of the fields a status change or cart edit can touch (the caller holds the row lock), for a WriteBatch. */
export function saveOrderQuery(db: Executor, dialect: Dialect, o: Order, totals: { sub_total: number; order_total: number }, snapshot: string): CompiledQuery {
  return updateOrder.query(db, dialect, o.id, o.status, o.accepted_for, toJson(o.lines), o.cancellation ? toJson(o.cancellation) : null, totals.sub_total, totals.order_total, o.updated_at, o.updated_by, o.version, o.event_sequence, o.last_event_id, o.webhook_status, snapshot);
}

const insertEvent = compiledQuery((db, id: string, orderId: string, version: number, type: string, status: string, actor: string, webhook: boolean, details: string, createdAt: string) =>
  db.insertInto('order_events').values({ id, order_id: orderId, version, type, status, actor, webhook, details, created_at: createdAt }),
);

interface TimelineRow extends OrderTimelineEntry {
  id: string;
  order_id: string;
}

/** The insert of the order's timeline row for this change, for a WriteBatch. */
export function insertOrderEventQuery(db: Executor, dialect: Dialect, e: TimelineRow): CompiledQuery {
  return insertEvent.query(db, dialect, e.id, e.order_id, e.version, e.type, e.status, e.actor, e.webhook, toJson(e.details), e.created_at);
}

const upsertStats = compiledQuery((db, vendorId: string, hour: number, chainId: string, ...deltas: number[]) => {
  const row: Record<string, unknown> = { vendor_id: vendorId, hour, chain_id: chainId };
  const set: Record<string, unknown> = {};
  STATS_COLUMNS.forEach((c, i) => {
    row[c] = deltas[i];
    set[c] = sql`${sql.ref(`order_stats.${c}`)} + ${sql.ref(`excluded.${c}`)}`;
  });
  return db
    .insertInto('order_stats')
    .values(row as never)
    .onConflict((oc) => oc.columns(['vendor_id', 'hour']).doUpdateSet(set as never));
});

/**
 * Adds an order's contribution (a new order) or its change (new − old: a status move, a cart edit moving
 * sales or not-found, its READY_FOR_PICKUP time) to its store's hourly rollup row: one single-row upsert in
 * the order's transaction. `deltas` in STATS_COLUMNS order (order-stats.repository.ts `statsDelta`).
 */
export async function bumpOrderStats(db: Executor, dialect: Dialect, vendorId: string, chainId: string, createdAt: string, deltas: number[]): Promise<void> {
  await upsertStats(db, dialect, vendorId, hourOf(createdAt), chainId, ...deltas);
}
