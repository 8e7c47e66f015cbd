import type { AppContext } from '../platform/context.js';
import type { Trx } from '../db/database.js';
import type { WriteBatch } from '../db/write-batch.js';
import type { IntegrationType } from '../vendors/index.js';
import { deliveryBody, emit } from '../webhooks/index.js';

/** Webhook event types of the orders domain. */
export type OrderEventType = 'RECEIVED' | 'ACCEPTED' | 'UPDATE_CART' | 'READY_FOR_PICKUP' | 'DISPATCHED' | 'DELIVERED' | 'CANCELLED';

/**
 * Which events a vendor's webhook gets (partner-api.md §2, §3.4). Partner Picking (DIRECT_POS):
 * RECEIVED, READY_FOR_PICKUP, DISPATCHED, CANCELLED, plus the opt-in ACCEPTED and DELIVERED.
 * Pelican Picking (INDIRECT_POS): READY_FOR_PICKUP and CANCELLED only. UPDATE_CART never.
 */
export const WEBHOOK_EVENTS: Record<IntegrationType, ReadonlySet<OrderEventType>> = {
  DIRECT_POS: new Set(['RECEIVED', 'ACCEPTED', 'READY_FOR_PICKUP', 'DISPATCHED', 'DELIVERED', 'CANCELLED']),
  INDIRECT_POS: new Set(['READY_FOR_PICKUP', 'CANCELLED']),
};

export interface EmittedEvent {
  /** Stamped by the outbox; absent when the outbox does not report them. */
  sequence?: number;
  event_id?: string;
  /**
   * The order object's JSON text with the stamped sys.event_id and sys.sequence: the event's stored
   * body with the order's sequence in it (one serialisation for both). Absent when no endpoint got it.
   */
  json?: string;
}

/**
 * Writes the webhook outbox row for this order change, in the caller's transaction (the one place
 * orders call the webhooks domain). The payload is the full order object; the outbox stamps
 * sys.sequence and sys.event_id. Returns what was stamped, or undefined when nothing is emitted.
 * With `batch`, the outbox rows are added to the caller's writes instead of being run here;
 * `sequenceLocked`: the caller's locked read took the order's sequence row lock (Postgres).
 */
export async function emitOrderEvent(
  ctx: AppContext,
  trx: Trx,
  integration: IntegrationType,
  type: OrderEventType,
  chainId: string,
  orderId: string,
  payload: Record<string, unknown>,
  batch?: WriteBatch,
  sequenceLocked = false,
): Promise<EmittedEvent | undefined> {
  if (!WEBHOOK_EVENTS[integration].has(type)) return undefined;
  // Endpoints filter further: ACCEPTED and DELIVERED reach only endpoints that opted in.
  const e = await emit(ctx, trx, { chainId, type, orderKey: orderId, payload }, { batch, sequenceLocked });
  return { sequence: e.sequence ?? undefined, event_id: e.eventId, json: e.body === undefined ? undefined : deliveryBody(e.body, e.sequence) };
}
