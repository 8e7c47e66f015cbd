import type { Bool, Json, NullableTimestamp, Timestamp } from '../db/types.js';

/** Tables of the orders domain (migration 0006_orders). */
export interface OrderTables {
  orders: OrdersTable;
  order_events: OrderEventsTable;
  order_idempotency_keys: OrderIdempotencyKeysTable;
  order_day_counts: OrderDayCountsTable;
}

/** Orders per vendor, UTC creation day and current status: the list's total_count without scanning a 60-day window. */
export interface OrderDayCountsTable {
  vendor_id: string;
  /** YYYY-MM-DD (UTC) of created_at. */
  day: string;
  status: string;
  n: number;
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
