import { sql } from 'kysely';
import type { AppContext } from '../context.js';
import type { Trx } from '../db/database.js';
import { json } from '../db/rows.js';
import { uuid } from '../shared/secrets.js';
import { endpointWants, type WebhookEventType } from './event-types.js';
import { wakeAfterCommit } from './wake.js';

export { WEBHOOK_EVENT_TYPES, type WebhookEventType } from './event-types.js';

export interface WebhookEventInput {
  chainId: string;
  type: WebhookEventType;
  /** Events sharing a key (an order id) are delivered strictly in order and carry sys.sequence. */
  orderKey?: string;
  payload: Record<string, unknown>;
}

export interface EmittedEvent {
  eventId: string;
  sequence: number | null;
}

/** Next per-key sequence; on Postgres the upsert row-locks the key until commit, so emits of one order serialise. */
async function nextSequence(trx: Trx, chainId: string, orderKey: string): Promise<number> {
  const row = await sql<{ last_sequence: number | string }>`
    insert into webhook_sequences (chain_id, order_key, last_sequence) values (${chainId}, ${orderKey}, 1)
    on conflict (chain_id, order_key) do update set last_sequence = webhook_sequences.last_sequence + 1
    returning last_sequence`.execute(trx);
  return Number(row.rows[0]!.last_sequence);
}

/**
 * Records an event in the caller's transaction: one outbox delivery per enabled endpoint of the chain
 * whose filter matches (or only `onlyEndpointId`), a per-orderKey sequence, and the body with
 * `sys.event_id`/`sys.sequence` stamped in. Dispatchers are woken only once the transaction commits.
 */
export async function emit(ctx: AppContext, trx: Trx, event: WebhookEventInput, opts: { onlyEndpointId?: string } = {}): Promise<EmittedEvent> {
  const eventId = uuid();
  const sequence = event.orderKey !== undefined ? await nextSequence(trx, event.chainId, event.orderKey) : null;
  let q = trx
    .selectFrom('webhook_endpoints')
    .select(['id', 'events'])
    .where('chain_id', '=', event.chainId)
    .where('enabled', '=', true)
    .where('deleted_at', 'is', null);
  if (opts.onlyEndpointId) q = q.where('id', '=', opts.onlyEndpointId);
  const endpoints = (await q.execute()).filter((e) => endpointWants(json<string[]>(e.events), event.type));
  if (endpoints.length === 0) return { eventId, sequence };

  const prevSys = event.payload.sys;
  const sys = { ...(prevSys && typeof prevSys === 'object' && !Array.isArray(prevSys) ? (prevSys as Record<string, unknown>) : {}), event_id: eventId, sequence };
  const body = JSON.stringify({ ...event.payload, sys });
  const now = ctx.clock.now().toISOString();
  // Ordering: behind an open delivery of the same order (per endpoint) the new one waits; the
  // dispatcher promotes it when its predecessor finishes. The sequence row lock taken above makes
  // this check and that promotion (which takes the same lock) mutually exclusive on Postgres.
  const busy = new Set<string>();
  if (event.orderKey !== undefined) {
    const open = await trx
      .selectFrom('webhook_deliveries')
      .select('endpoint_id')
      .distinct()
      .where('endpoint_id', 'in', endpoints.map((e) => e.id))
      .where('order_key', '=', event.orderKey)
      .where('status', 'in', ['waiting', 'pending', 'in_flight'])
      .execute();
    for (const o of open) busy.add(o.endpoint_id);
  }
  await trx
    .insertInto('webhook_events')
    .values({ id: eventId, chain_id: event.chainId, type: event.type, order_key: event.orderKey ?? null, sequence, body, created_at: now })
    .execute();
  await trx
    .insertInto('webhook_deliveries')
    .values(
      endpoints.map((e) => ({
        id: uuid(),
        event_id: eventId,
        endpoint_id: e.id,
        chain_id: event.chainId,
        event_type: event.type,
        order_key: event.orderKey ?? null,
        sequence,
        status: busy.has(e.id) ? 'waiting' : 'pending',
        attempts: 0,
        next_attempt_at: now,
        lease_until: null,
        last_status_code: null,
        last_error: null,
        created_at: now,
        updated_at: now,
        completed_at: null,
      })),
    )
    .execute();
  await wakeAfterCommit(ctx, trx);
  return { eventId, sequence };
}
