import { boundedCount } from '../db/bounded-count.js';
import type { Selectable } from 'kysely';
import { writeAudit } from '../audit/index.js';
import { findChain } from '../chains/index.js';
import type { AppContext } from '../platform/context.js';
import { bool, iso, isoOrNull, num } from '../db/rows.js';
import { AppError } from '../platform/errors.js';
import { findEndpointRow } from './endpoints.repository.js';
import { deliveryBody, emit, type EmittedEvent } from './events.js';
import type { DeliveryQuery, EmitBody, WebhookAttempt, WebhookDelivery } from './webhooks.schemas.js';
import type { WebhookDeliveriesTable } from '../db/tables/webhooks.js';
import { replayDeliveries } from './outbox.repository.js';
import { wakeAfterCommit } from '../platform/wake.js';

function toDelivery(r: Selectable<WebhookDeliveriesTable>): WebhookDelivery {
  const open = r.status === 'pending' || r.status === 'in_flight';
  return {
    id: r.id,
    event_id: r.event_id,
    endpoint_id: r.endpoint_id,
    event_type: r.event_type,
    order_id: r.order_key,
    sequence: r.sequence === null ? null : num(r.sequence),
    status: r.status,
    attempts: num(r.attempt_base) + num(r.attempts),
    next_attempt_at: open ? iso(r.next_attempt_at) : null,
    last_status_code: r.last_status_code === null ? null : num(r.last_status_code),
    last_error: r.last_error,
    created_at: iso(r.created_at),
    completed_at: isoOrNull(r.completed_at),
  };
}

function encodeCursor(createdAt: string, id: string): string {
  return Buffer.from(`${createdAt}|${id}`).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const [createdAt, id] = text.split('|');
  if (!createdAt || !id || Number.isNaN(Date.parse(createdAt))) throw new AppError('INVALID_CURSOR', 'query.cursor is malformed; pass next_cursor from the previous page');
  return { createdAt, id };
}

async function assertChain(ctx: AppContext, chainId: string): Promise<void> {
  if (!(await findChain(ctx.db, chainId))) throw new AppError('CHAIN_NOT_FOUND');
}

/** The delivery log, newest first, filtered, with keyset (cursor) paging and a bounded total. */
export async function listDeliveries(
  ctx: AppContext,
  chainId: string,
  q: DeliveryQuery,
): Promise<{ deliveries: WebhookDelivery[]; next_cursor: string | null; total_count: number; total_capped: boolean }> {
  await assertChain(ctx, chainId);
  const limit = q.limit ?? 50;
  let filtered = ctx.db.selectFrom('webhook_deliveries').where('chain_id', '=', chainId);
  if (q.endpoint_id) filtered = filtered.where('endpoint_id', '=', q.endpoint_id);
  if (q.status) filtered = filtered.where('status', '=', q.status);
  if (q.order_id) filtered = filtered.where('order_key', '=', q.order_id);
  if (q.event_type) filtered = filtered.where('event_type', '=', q.event_type);
  if (q.since) filtered = filtered.where('created_at', '>=', new Date(q.since).toISOString());
  if (q.until) filtered = filtered.where('created_at', '<', new Date(q.until).toISOString());
  let query = filtered.selectAll();
  if (q.cursor) {
    const c = decodeCursor(q.cursor);
    query = query.where((eb) => eb.or([eb('created_at', '<', c.createdAt), eb.and([eb('created_at', '=', c.createdAt), eb('id', '<', c.id)])]));
  }
  // The total ignores the cursor (all pages), bounded (COUNT_CAP).
  const [rows, count] = await Promise.all([query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute(), boundedCount(ctx.db, filtered)]);
  const page = rows.slice(0, limit).map(toDelivery);
  const last = page[page.length - 1];
  return {
    deliveries: page,
    next_cursor: rows.length > limit && last ? encodeCursor(last.created_at, last.id) : null,
    total_count: count.total,
    total_capped: count.capped,
  };
}

/** One delivery with its payload and every attempt. */
export async function getDelivery(ctx: AppContext, chainId: string, id: string): Promise<{ delivery: WebhookDelivery; payload: unknown; attempts: WebhookAttempt[] }> {
  const row = await ctx.db.selectFrom('webhook_deliveries').selectAll().where('chain_id', '=', chainId).where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('WEBHOOK_DELIVERY_NOT_FOUND');
  const event = await ctx.db.selectFrom('webhook_events').select('body').where('id', '=', row.event_id).executeTakeFirstOrThrow();
  const attempts = await ctx.db.selectFrom('webhook_attempts').selectAll().where('delivery_id', '=', id).orderBy('started_at').orderBy('attempt').execute();
  return {
    delivery: toDelivery(row),
    payload: JSON.parse(deliveryBody(event.body, row.sequence === null ? null : num(row.sequence))),
    attempts: attempts.map((a) => ({
      attempt: num(a.attempt),
      started_at: iso(a.started_at),
      duration_ms: num(a.duration_ms),
      status_code: a.status_code === null ? null : num(a.status_code),
      response_body: a.response_body,
      error: a.error,
      outcome: a.outcome,
    })),
  };
}

/**
 * Sends one delivery again with a fresh retry schedule (same webhook-id, attempt numbers continue):
 * now, or behind its order's delivery that is in flight, in sequence order with the order's others.
 */
export async function replayDelivery(ctx: AppContext, chainId: string, id: string, actor: string): Promise<WebhookDelivery> {
  const now = ctx.clock.now();
  const at = now.toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('webhook_deliveries').selectAll().where('chain_id', '=', chainId).where('id', '=', id).executeTakeFirst();
    if (!row) throw new AppError('WEBHOOK_DELIVERY_NOT_FOUND');
    if (row.status === 'in_flight') throw new AppError('WEBHOOK_DELIVERY_IN_FLIGHT');
    if (row.status === 'waiting') throw new AppError('WEBHOOK_DELIVERY_IN_FLIGHT', 'The delivery is still waiting for an earlier event of the same order');
    if (!(await findEndpointRow(trx, chainId, row.endpoint_id))) throw new AppError('WEBHOOK_ENDPOINT_NOT_FOUND', 'The delivery\'s endpoint was deleted');
    await replayDeliveries(ctx, trx, chainId, row.endpoint_id, [id], at);
    await writeAudit(trx, { chainId, actor, action: 'webhook.replayed', targetType: 'webhook_delivery', targetId: id, details: { endpoint_id: row.endpoint_id } }, now);
    await wakeAfterCommit(ctx, trx);
    return toDelivery((await trx.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirstOrThrow()));
  });
}

/**
 * Replays every failed delivery of an endpoint (dead-lettered, or waiting for a retry) created in
 * [since, until): each order's replayed events go out one at a time in their sequence order.
 */
export async function replayFailed(ctx: AppContext, chainId: string, endpointId: string, since: string, until: string | undefined, actor: string): Promise<{ replayed: number }> {
  const now = ctx.clock.now();
  const at = now.toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    if (!(await findEndpointRow(trx, chainId, endpointId))) throw new AppError('WEBHOOK_ENDPOINT_NOT_FOUND');
    let q = trx
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('endpoint_id', '=', endpointId)
      .where((eb) => eb.or([eb('status', '=', 'dead'), eb.and([eb('status', '=', 'pending'), eb('attempts', '>', 0)])]))
      .where('created_at', '>=', new Date(since).toISOString());
    if (until) q = q.where('created_at', '<', new Date(until).toISOString());
    const ids = (await q.execute()).map((r) => r.id);
    const replayed = await replayDeliveries(ctx, trx, chainId, endpointId, ids, at);
    await writeAudit(trx, { chainId, actor, action: 'webhook.replayed', targetType: 'webhook_endpoint', targetId: endpointId, details: { since, until: until ?? null, replayed } }, now);
    await wakeAfterCommit(ctx, trx);
    return { replayed };
  });
}

/** "Send test event": a TEST event to this endpoint only, now. */
export async function sendTestEvent(ctx: AppContext, chainId: string, endpointId: string): Promise<EmittedEvent> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await findEndpointRow(trx, chainId, endpointId);
    if (!row) throw new AppError('WEBHOOK_ENDPOINT_NOT_FOUND');
    if (!bool(row.enabled)) throw new AppError('WEBHOOK_ENDPOINT_DISABLED');
    const at = ctx.clock.now().toISOString();
    return emit(ctx, trx, { chainId, type: 'TEST', payload: { type: 'TEST', message: 'Test event from Comanda', sent_at: at, endpoint_id: endpointId } }, { onlyEndpointId: endpointId });
  });
}

/** Operator/test hook: emits events, each in its own transaction (as a real change would), or all in one when atomic. */
export async function emitEvents(ctx: AppContext, chainId: string, body: EmitBody): Promise<EmittedEvent[]> {
  await assertChain(ctx, chainId);
  if (body.atomic) {
    return ctx.db.transaction().execute(async (trx) => {
      const all: EmittedEvent[] = [];
      for (const e of body.events) all.push(await emit(ctx, trx, { chainId, type: e.type, orderKey: e.order_key, payload: e.payload }));
      return all;
    });
  }
  const out: EmittedEvent[] = [];
  for (const e of body.events) {
    out.push(await ctx.db.transaction().execute((trx) => emit(ctx, trx, { chainId, type: e.type, orderKey: e.order_key, payload: e.payload })));
  }
  return out;
}
