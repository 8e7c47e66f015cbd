import { CompiledQuery, sql } from 'kysely';
import type { AppContext } from '../platform/context.js';
import type { Executor, Trx } from '../db/database.js';
import { bulkInsertQueries, type BulkSpec } from '../db/bulk.js';
import { compiledQuery } from '../db/compiled.js';
import { WriteBatch } from '../db/write-batch.js';
import { bool, json } from '../db/rows.js';
import { uuid } from '../platform/secrets.js';
import { endpointWants, type WebhookEventType } from './event-types.js';
import { wakeAfterCommit } from '../platform/wake.js';

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
  /** The order's own counter (every event of the order; what GET order shows as sys.sequence). */
  sequence: number | null;
  /** The stored body (sys last, its sequence null); absent when no endpoint gets the event. */
  body?: string;
}

export interface EmitOptions {
  onlyEndpointId?: string;
  /**
   * The caller's batch of writes: the event, its deliveries and the wake-up go into it (run by the
   * caller with its own writes, in this transaction) instead of being run here.
   */
  batch?: WriteBatch;
  /**
   * Postgres: the caller already holds the lock of this order's sequence row (taken in an earlier
   * statement of the transaction, see orders' findOrderWithVendorForUpdate): the sequence bump and the
   * endpoints read then go in one statement, whose snapshot follows every promotion that held the lock.
   */
  sequenceLocked?: boolean;
}

const bumpSequence = compiledQuery((db, chainId: string, orderKey: string) =>
  db
    .insertInto('webhook_sequences')
    .values({ chain_id: chainId, order_key: orderKey, last_sequence: 1 })
    .onConflict((oc) => oc.columns(['chain_id', 'order_key']).doUpdateSet({ last_sequence: sql`webhook_sequences.last_sequence + 1` }))
    .returning('last_sequence'),
);

/** Next per-key sequence; on Postgres the upsert row-locks the key until commit, so emits of one order serialise. */
async function nextSequence(ctx: AppContext, trx: Trx, chainId: string, orderKey: string): Promise<number> {
  return Number((await bumpSequence(trx, ctx.dialect, chainId, orderKey)).rows[0]!.last_sequence);
}

const OPEN_STATUSES = ['waiting', 'pending', 'in_flight'];

/**
 * The chain's enabled endpoints, each with whether it still has an open delivery of this order
 * (a new one must then wait behind it) and the last sequence it was given for this order (its
 * sys.sequence counts only the events it receives): one statement per emit. `orderKey` null: never busy.
 */
const endpointsOfChain = compiledQuery((db, chainId: string, orderKey: string | null) =>
  db
    .selectFrom('webhook_endpoints as e')
    .select((eb) => [
      'e.id',
      'e.events',
      eb
        .exists(
          eb
            .selectFrom('webhook_deliveries as d')
            .select('d.id')
            .whereRef('d.endpoint_id', '=', 'e.id')
            .where('d.order_key', '=', orderKey)
            .where('d.status', 'in', OPEN_STATUSES),
        )
        .as('busy'),
      eb
        .selectFrom('webhook_deliveries as s')
        .select((sb) => sb.fn.max('s.sequence').as('m'))
        .whereRef('s.endpoint_id', '=', 'e.id')
        .where('s.order_key', '=', orderKey)
        .as('last_sequence'),
    ])
    .where('e.chain_id', '=', chainId)
    .where('e.enabled', '=', true)
    .where('e.deleted_at', 'is', null),
);

/**
 * Postgres, caller holding the sequence row lock: nextSequence and endpointsOfChain in one statement
 * (one row per endpoint, or one row with a null id when the chain has none).
 */
const SEQUENCE_AND_ENDPOINTS = `with s as (
    insert into webhook_sequences (chain_id, order_key, last_sequence) values ($1, $2, 1)
    on conflict (chain_id, order_key) do update set last_sequence = webhook_sequences.last_sequence + 1 returning last_sequence)
  select s.last_sequence as order_sequence, e.id, e.events,
    exists (select 1 from webhook_deliveries d where d.endpoint_id = e.id and d.order_key = $2 and d.status in ('waiting', 'pending', 'in_flight')) as busy,
    (select max(x.sequence) from webhook_deliveries x where x.endpoint_id = e.id and x.order_key = $2) as last_sequence
  from s left join webhook_endpoints e on e.chain_id = $1 and e.enabled = true and e.deleted_at is null`;

interface EndpointRow {
  id: string;
  events: unknown;
  busy: unknown;
  last_sequence: number | string | null;
}

/** The order's next sequence and the chain's enabled endpoints (with busy / last_sequence for this order). */
async function sequenceAndEndpoints(ctx: AppContext, trx: Trx, event: WebhookEventInput, sequenceLocked: boolean): Promise<{ sequence: number | null; endpoints: EndpointRow[] }> {
  if (ctx.dialect === 'postgres' && sequenceLocked && event.orderKey !== undefined) {
    const rows = (await trx.executeQuery(CompiledQuery.raw(SEQUENCE_AND_ENDPOINTS, [event.chainId, event.orderKey]))).rows as Array<EndpointRow & { order_sequence: number | string }>;
    return { sequence: Number(rows[0]!.order_sequence), endpoints: rows.filter((r) => r.id !== null) };
  }
  // The per-order counter row: on Postgres its lock serialises emits (and promotions) of one order.
  const sequence = event.orderKey !== undefined ? await nextSequence(ctx, trx, event.chainId, event.orderKey) : null;
  return { sequence, endpoints: (await endpointsOfChain(trx, ctx.dialect, event.chainId, event.orderKey ?? null)).rows as EndpointRow[] };
}

/** What an order event's stored body carries in place of its sequence; each delivery puts its own in. */
const SEQUENCE_SLOT = '"sequence":null}}';
const SEQUENCE_AT_END = /"sequence":(?:null|-?\d+)\}\}$/;

/**
 * The exact body one delivery POSTs: the event's stored body with this delivery's sys.sequence (per
 * endpoint and order) in it. Bodies end with sys (last key) and its sequence (last key of sys).
 */
export function deliveryBody(body: string, sequence: number | null): string {
  if (sequence === null) return body;
  // The stored body's slot (what emit writes): a slice, no regular expression over the whole body.
  if (body.endsWith(SEQUENCE_SLOT)) return `${body.slice(0, body.length - SEQUENCE_SLOT.length)}"sequence":${sequence}}}`;
  if (SEQUENCE_AT_END.test(body)) return body.replace(SEQUENCE_AT_END, `"sequence":${sequence}}}`);
  const parsed = JSON.parse(body) as { sys?: Record<string, unknown> };
  parsed.sys = { ...(parsed.sys ?? {}), sequence };
  return JSON.stringify(parsed);
}

const EVENT_ROW: BulkSpec = { table: 'webhook_events', columns: ['id', 'chain_id', 'type', 'order_key', 'sequence', 'body', 'created_at'] };
const DELIVERY_ROW: BulkSpec = {
  table: 'webhook_deliveries',
  columns: ['id', 'event_id', 'endpoint_id', 'chain_id', 'event_type', 'order_key', 'sequence', 'status', 'attempts', 'next_attempt_at', 'last_status_code', 'last_error', 'created_at', 'updated_at', 'completed_at'],
};

/**
 * Records an event in the caller's transaction: one outbox delivery per enabled endpoint of the chain
 * whose filter matches (or only `onlyEndpointId`), each with its per-endpoint-and-order sequence, and
 * the body once with `sys.event_id` stamped in (`sys.sequence` is put in per delivery at send). Dispatchers are woken only once the transaction commits.
 */
export async function emit(ctx: AppContext, trx: Trx, event: WebhookEventInput, opts: EmitOptions = {}): Promise<EmittedEvent> {
  const eventId = uuid();
  const found = await sequenceAndEndpoints(ctx, trx, event, opts.sequenceLocked === true);
  const sequence = found.sequence;
  const endpoints = found.endpoints.filter((e) => (!opts.onlyEndpointId || e.id === opts.onlyEndpointId) && endpointWants(json<string[]>(e.events), event.type));
  if (endpoints.length === 0) return { eventId, sequence };

  // sys goes last with sequence as its last key: one stored body, each delivery's sequence spliced in at send.
  const { sys: prevSys, ...rest } = event.payload;
  const { event_id: _id, sequence: _seq, ...prevRest } = prevSys && typeof prevSys === 'object' && !Array.isArray(prevSys) ? (prevSys as Record<string, unknown>) : {};
  const body = JSON.stringify({ ...rest, sys: { ...prevRest, event_id: eventId, sequence: null } });
  if (sequence !== null && !body.endsWith(SEQUENCE_SLOT)) throw new Error('webhook body does not end with its sequence slot');
  const now = ctx.clock.now().toISOString();
  // Ordering: behind an open delivery of the same order (per endpoint) the new one waits; the
  // dispatcher promotes it when its predecessor finishes. The sequence row lock taken above makes
  // this check and that promotion (which takes the same lock) mutually exclusive on Postgres.
  const batch = opts.batch ?? new WriteBatch();
  for (const q of bulkInsertQueries(ctx.dialect, EVENT_ROW, [[eventId, event.chainId, event.type, event.orderKey ?? null, sequence, body, now]])) batch.add(q);
  const deliveries = endpoints.map((e) => {
    // Per endpoint and order: counts only the events this endpoint receives, so a gap means one was missed.
    const seq = event.orderKey !== undefined ? (e.last_sequence === null ? 0 : Number(e.last_sequence)) + 1 : null;
    return [uuid(), eventId, e.id, event.chainId, event.type, event.orderKey ?? null, seq, bool(e.busy) ? 'waiting' : 'pending', 0, now, null, null, now, now, null];
  });
  for (const q of bulkInsertQueries(ctx.dialect, DELIVERY_ROW, deliveries)) batch.add(q);
  await wakeAfterCommit(ctx, trx, batch);
  if (!opts.batch) await batch.run(trx, ctx.dialect);
  return { eventId, sequence, body };
}

/**
 * An order's first event of `type` exactly as the endpoint received it (its own sys.sequence in the
 * body), or undefined when there was none: what a redelivery of that event sends.
 */
export async function deliveredOrderEvent(db: Executor, endpointId: string, orderId: string, type: string): Promise<{ eventId: string; body: string } | undefined> {
  const row = await db
    .selectFrom('webhook_events as e')
    .leftJoin('webhook_deliveries as d', (j) => j.onRef('d.event_id', '=', 'e.id').on('d.endpoint_id', '=', endpointId))
    .select(['e.id', 'e.body', 'd.sequence'])
    .where('e.order_key', '=', orderId)
    .where('e.type', '=', type)
    .executeTakeFirst();
  return row ? { eventId: row.id, body: deliveryBody(row.body, row.sequence ?? null) } : undefined;
}
