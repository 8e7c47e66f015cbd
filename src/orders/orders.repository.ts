import { sql, type Selectable } from 'kysely';
import type { Dialect, Executor, Trx } from '../db/database.js';
import { compiledQuery } from '../db/compiled.js';
import { bool, iso, isoOrNull, json, num, toJson } from '../db/rows.js';
import type { Cancellation, Customer, Order, OrderLine, OrderStatus, OrderType, TransportType } from './orders.model.js';
import { countVendorOrders } from './order-stats.repository.js';
import type { OrdersTable } from '../db/tables/orders.js';

export function toOrder(row: Selectable<OrdersTable>): Order {
  return {
    id: row.id,
    chain_id: row.chain_id,
    vendor_id: row.vendor_id,
    external_order_id: row.external_order_id,
    order_code: row.order_code,
    status: row.status as OrderStatus,
    transport_type: row.transport_type as TransportType,
    order_type: row.order_type as OrderType,
    is_preorder: bool(row.is_preorder),
    is_test: bool(row.is_test),
    comment: row.comment,
    promised_for: iso(row.promised_for),
    accepted_for: isoOrNull(row.accepted_for),
    currency: row.currency,
    payment_type: row.payment_type,
    customer: json<Customer>(row.customer),
    lines: json<OrderLine[]>(row.lines),
    fees: json<Order['fees']>(row.fees),
    cancellation: row.cancellation == null ? null : json<Cancellation>(row.cancellation),
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    created_by: row.created_by,
    updated_by: row.updated_by,
    version: num(row.version),
    event_sequence: num(row.event_sequence),
    last_event_id: row.last_event_id,
    webhook_status: row.webhook_status,
  };
}

type Totals = { sub_total: number; order_total: number };

function toRow(o: Order, totals: Totals, snapshot: string) {
  return {
    id: o.id,
    chain_id: o.chain_id,
    vendor_id: o.vendor_id,
    external_order_id: o.external_order_id,
    order_code: o.order_code,
    status: o.status,
    transport_type: o.transport_type,
    order_type: o.order_type,
    is_preorder: o.is_preorder,
    is_test: o.is_test,
    comment: o.comment,
    promised_for: o.promised_for,
    accepted_for: o.accepted_for,
    currency: o.currency,
    payment_type: o.payment_type,
    customer: toJson(o.customer),
    lines: toJson(o.lines),
    fees: toJson(o.fees),
    cancellation: o.cancellation ? toJson(o.cancellation) : null,
    sub_total: totals.sub_total,
    order_total: totals.order_total,
    created_at: o.created_at,
    updated_at: o.updated_at,
    created_by: o.created_by,
    updated_by: o.updated_by,
    version: o.version,
    event_sequence: o.event_sequence,
    last_event_id: o.last_event_id,
    webhook_status: o.webhook_status,
    snapshot,
  };
}

export async function insertOrder(db: Executor, o: Order, totals: Totals, snapshot: string): Promise<void> {
  await db.insertInto('orders').values(toRow(o, totals, snapshot)).execute();
}

const orderSnapshotById = compiledQuery((db, id: string) => db.selectFrom('orders').select(['chain_id', 'vendor_id', 'is_test', 'updated_at', 'snapshot']).where('id', '=', id));

/** What GET needs to answer from the snapshot: ownership, freshness and the JSON text (the hot read: compiled once). */
export async function findOrderSnapshot(db: Executor, dialect: Dialect, id: string) {
  return (await orderSnapshotById(db, dialect, id)).rows[0];
}

export async function findOrder(db: Executor, id: string): Promise<Order | undefined> {
  const row = await db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toOrder(row);
}

/** The order, locked for the rest of the transaction (Postgres FOR UPDATE; SQLite's single writer already serialises). */
export async function findOrderForUpdate(trx: Trx, dialect: Dialect, id: string): Promise<Order | undefined> {
  let q = trx.selectFrom('orders').selectAll().where('id', '=', id);
  if (dialect === 'postgres') q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row && toOrder(row);
}

export interface VendorOrdersFilter {
  vendorId: string;
  from: string;
  to: string;
  status?: OrderStatus;
  updatedSince?: string;
  limit: number;
  offset: number;
}

/**
 * One page of a vendor's orders created in [from, to), newest first, as stored snapshots (JSON text)
 * with their ids and update times, and the total count.
 */
export async function listVendorOrderSnapshots(db: Executor, f: VendorOrdersFilter): Promise<{ rows: Array<{ id: string; updated_at: string; snapshot: string }>; total: number }> {
  let base = db.selectFrom('orders').where('vendor_id', '=', f.vendorId).where('created_at', '>=', f.from).where('created_at', '<', f.to);
  if (f.status) base = base.where('status', '=', f.status);
  if (f.updatedSince) base = base.where('updated_at', '>=', f.updatedSince);
  const [rows, total] = await Promise.all([
    base.select(['id', 'updated_at', 'snapshot']).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit).offset(f.offset).execute(),
    // updated_since cannot use the day counters; it is the rarer, narrower query.
    f.updatedSince
      ? base.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow().then((c) => num(c.n))
      : countVendorOrders(db, f.vendorId, f.from, f.to, f.status),
  ]);
  return { rows: rows.map((r) => ({ id: r.id, updated_at: iso(r.updated_at), snapshot: r.snapshot })), total };
}

export interface OrderTimelineEntry {
  version: number;
  type: string;
  status: string;
  actor: string;
  webhook: boolean;
  details: unknown;
  created_at: string;
}

/** The order's timeline, oldest first. */
export async function listOrderEvents(db: Executor, orderId: string): Promise<OrderTimelineEntry[]> {
  const rows = await db.selectFrom('order_events').selectAll().where('order_id', '=', orderId).orderBy('version').orderBy('created_at').execute();
  return rows.map((r) => ({ version: num(r.version), type: r.type, status: r.status, actor: r.actor, webhook: bool(r.webhook), details: json(r.details), created_at: iso(r.created_at) }));
}

/** Orders waiting in `status` since before `before` (simulators), oldest first. */
export async function findOrdersWaiting(
  db: Executor,
  status: OrderStatus,
  before: string,
  limit: number,
  filter: { transport?: TransportType; vendorIds?: string[] } = {},
): Promise<Order[]> {
  // The literal IN list repeats the partial index's condition so SQLite's planner can use it.
  let q = db
    .selectFrom('orders')
    .selectAll()
    .where(sql<boolean>`status in ('RECEIVED', 'ACCEPTED', 'READY_FOR_PICKUP', 'DISPATCHED')`)
    .where('status', '=', status)
    .where('updated_at', '<=', before);
  if (filter.transport) q = q.where('transport_type', '=', filter.transport);
  if (filter.vendorIds) {
    if (filter.vendorIds.length === 0) return [];
    q = q.where('vendor_id', 'in', filter.vendorIds);
  }
  const rows = await q.orderBy('updated_at').limit(limit).execute();
  return rows.map(toOrder);
}

export async function findIdempotencyKey(db: Executor, chainId: string, key: string) {
  const row = await db.selectFrom('order_idempotency_keys').selectAll().where('chain_id', '=', chainId).where('key', '=', key).executeTakeFirst();
  return row && { order_id: row.order_id, request_hash: row.request_hash, status_code: num(row.status_code), response: json<unknown>(row.response) };
}

export async function insertIdempotencyKey(
  db: Executor,
  k: { chain_id: string; key: string; order_id: string; request_hash: string; status_code: number; response: unknown; created_at: string },
): Promise<void> {
  await db.insertInto('order_idempotency_keys').values({ ...k, response: toJson(k.response) }).execute();
}

/**
 * Deletes one batch of orders created before `before` (retention); returns how many went (0: none left).
 * Read chain by chain through `orders_chain_created_idx` (chain_id, created_at, id): a range of the index,
 * so the hourly run that finds nothing to purge does not scan the whole orders table.
 */
export async function purgeOrdersBefore(db: Executor, before: string, batch = 1000): Promise<number> {
  const chains = await db.selectFrom('chains').select('id').orderBy('id').execute();
  for (const chain of chains) {
    const ids = (await db.selectFrom('orders').select('id').where('chain_id', '=', chain.id).where('created_at', '<', before).limit(batch).execute()).map((r) => r.id);
    if (ids.length === 0) continue;
    await db.deleteFrom('order_idempotency_keys').where('order_id', 'in', ids).execute();
    await db.deleteFrom('order_events').where('order_id', 'in', ids).execute();
    await db.deleteFrom('orders').where('id', 'in', ids).execute();
    return ids.length;
  }
  return 0;
}
