import { randomUUID } from 'node:crypto';
import type { Insertable } from 'kysely';
import type { AppContext } from '../platform/context.js';
import { rebuildWebhookStats } from '../webhooks/webhook-stats.repository.js';
import type { WebhookDeliveriesTable } from '../db/tables/webhooks.js';

/**
 * `count` finished (succeeded) deliveries of one TEST event to `endpointId`, inserted straight into
 * webhook_deliveries in a few multi-row statements (10,000 in well under a second, not 10,000 emits).
 * Created one second apart ending `endAt`, newest last; returns their ids newest first (the log's order).
 * Nothing dispatches them: they are already succeeded.
 */
export async function seedDeliveries(ctx: AppContext, chainId: string, endpointId: string, count: number, opts: { endAt?: Date; orderKey?: string } = {}): Promise<string[]> {
  const end = (opts.endAt ?? new Date()).getTime();
  const eventId = randomUUID();
  const at = new Date(end).toISOString();
  const body = JSON.stringify({ type: 'TEST', payload: { bulk: true } });
  const rows: Array<Insertable<WebhookDeliveriesTable>> = [];
  for (let i = 0; i < count; i++) {
    const created = new Date(end - (count - 1 - i) * 1000).toISOString();
    rows.push({
      id: randomUUID(),
      event_id: eventId,
      endpoint_id: endpointId,
      chain_id: chainId,
      event_type: 'TEST',
      order_key: opts.orderKey ?? null,
      sequence: null,
      status: 'succeeded',
      attempts: 1,
      next_attempt_at: created,
      last_status_code: 200,
      created_at: created,
      updated_at: created,
      completed_at: created,
    });
  }
  await ctx.db.transaction().execute(async (trx) => {
    await trx.insertInto('webhook_events').values({ id: eventId, chain_id: chainId, type: 'TEST', order_key: opts.orderKey ?? null, sequence: null, body, created_at: at }).execute();
    // 500 rows × 15 columns stays under both dialects' bound-parameter limits.
    for (let i = 0; i < rows.length; i += 500) await trx.insertInto('webhook_deliveries').values(rows.slice(i, i + 500)).execute();
    // A bulk load bypasses the dispatcher: the chain's webhook rollup is rebuilt (as every bulk load must).
    await rebuildWebhookStats(trx, ctx.dialect, chainId);
  });
  return rows.map((r) => r.id).reverse();
}
