import type { Bool, Json, NullableTimestamp, Timestamp } from '../types.js';

/** Tables of the orders domain (migration 0006_orders). */
export interface OrderTables {
  orders: OrdersTable;
  order_events: OrderEventsTable;
  order_idempotency_keys: OrderIdempotencyKeysTable;
  order_stats: OrderStatsTable;
}

/**
 * Hourly rollup of orders per store (migration 0016_order_stats): counts per status, sales, not-found, and a
 * RECEIVED → READY_FOR_PICKUP histogram (`ready_00` … `ready_43`, bounds READY_EDGES_S).
 */
export interface OrderStatsTable {
  vendor_id: string;
  /** UTC hour of created_at, hours since the epoch. */
  hour: number;
  chain_id: string;
  n: number;
  n_received: number;
  n_accepted: number;
  n_ready_for_pickup: number;
  n_dispatched: number;
  n_delivered: number;
  n_cancelled: number;
  sales_minor: number;
  not_found: number;
  [ready: `ready_${number}`]: number;
}

export interface OrdersTable {
  id: string;
  chain_id: string;
  vendor_id: string;
  external_order_id: string;
  order_code: string;
  status: string;
  transport_type: string;
  order_type: string;
  is_preorder: Bool;
  is_test: Bool;
  comment: string;
  promised_for: Timestamp;
  accepted_for: NullableTimestamp;
  currency: string;
  payment_type: string;
  customer: Json;
  /** Internal lines: integer money (thousandths / minor units), grams. */
  lines: Json;
  fees: Json;
  cancellation: Json | null;
  sub_total: number;
  order_total: number;
  created_at: Timestamp;
  updated_at: Timestamp;
  created_by: string;
  updated_by: string;
  version: number;
  event_sequence: number;
  last_event_id: string | null;
  webhook_status: string;
  /** The rendered order object (JSON text) as of the last write: GET answers with it as is. */
  snapshot: string;
}

/** The order's timeline: every status change and cart update, whether it went to the webhook or not. */
export interface OrderEventsTable {
  id: string;
  order_id: string;
  version: number;
  type: string;
  status: string;
  actor: string;
  /** True when a webhook event was emitted for this change. */
  webhook: Bool;
  details: Json;
  created_at: Timestamp;
}

/** PUT Idempotency-Key: the first successful response, replayed for the same key and body. */
export interface OrderIdempotencyKeysTable {
  chain_id: string;
  key: string;
  order_id: string;
  request_hash: string;
  status_code: number;
  response: Json;
  created_at: Timestamp;
}
