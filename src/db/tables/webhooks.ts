import type { ColumnType } from 'kysely';
import type { Bool, Json, NullableTimestamp, Timestamp } from '../types.js';

/** Webhook tables (migration 0002_webhooks). */
export interface WebhookTables {
  webhook_endpoints: WebhookEndpointsTable;
  webhook_events: WebhookEventsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  webhook_sequences: WebhookSequencesTable;
}

export interface WebhookEndpointsTable {
  id: string;
  chain_id: string;
  url: string;
  description: string;
  /** Header that carries auth_secret verbatim (default `Authorization`). */
  auth_header: string;
  auth_secret: string;
  signing_secret: string;
  /** The secret before the last rotation; still signs until previous_secret_expires_at. */
  previous_signing_secret: string | null;
  previous_secret_expires_at: NullableTimestamp;
  events: Json;
  enabled: Bool;
  /** Why the platform disabled it: `gone` (410), `failing` (failed continuously), `manual`. */
  disabled_reason: string | null;
  disabled_at: NullableTimestamp;
  /** Start of the current run of failed attempts; null after any success. */
  failing_since: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
  deleted_at: NullableTimestamp;
}

export interface WebhookEventsTable {
  id: string;
  chain_id: string;
  type: string;
  order_key: string | null;
  sequence: number | null;
  /** The exact JSON text POSTed (signed byte for byte), stored as text on both dialects. */
  body: string;
  created_at: Timestamp;
}

export interface WebhookDeliveriesTable {
  id: string;
  event_id: string;
  endpoint_id: string;
  chain_id: string;
  event_type: string;
  order_key: string | null;
  /** Per endpoint and order: 1, 2, 3… over the events this endpoint receives (the body's sys.sequence). */
  sequence: number | null;
  /** waiting (an earlier event of the same order is still open) | pending | in_flight | succeeded | dead | cancelled */
  status: string;
  /** Attempts in the current retry schedule (a replay starts a new one). */
  attempts: number;
  /** Attempts made before the current schedule (a replay adds `attempts` here): attempt numbers continue. */
  attempt_base: ColumnType<number, number | undefined, number>;
  next_attempt_at: Timestamp;
  last_status_code: number | null;
  last_error: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  completed_at: NullableTimestamp;
}

export interface WebhookAttemptsTable {
  id: string;
  delivery_id: string;
  endpoint_id: string;
  chain_id: string;
  attempt: number;
  started_at: Timestamp;
  duration_ms: number;
  status_code: number | null;
  /** First 2 KB of the response body. */
  response_body: string | null;
  error: string | null;
  /** success | http_error | timeout | network_error | ssrf_blocked */
  outcome: string;
}

export interface WebhookSequencesTable {
  chain_id: string;
  order_key: string;
  last_sequence: number;
}
