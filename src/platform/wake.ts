import { CompiledQuery, sql } from 'kysely';
import type { AppContext } from './context.js';
import type { Trx } from '../db/database.js';
import type { WriteBatch } from '../db/write-batch.js';

/** Postgres channel every dispatcher LISTENs on; NOTIFY inside the emitting transaction is delivered only on commit. */
export const WEBHOOK_CHANNEL = 'comanda_webhooks';

const listeners = new WeakMap<AppContext, Set<() => void>>();

/** A dispatcher registers here to be woken when this process emitted events. Returns the unsubscribe. */
export function onWebhooksEmitted(ctx: AppContext, listener: () => void): () => void {
  let set = listeners.get(ctx);
  if (!set) listeners.set(ctx, (set = new Set()));
  set.add(listener);
  return () => set.delete(listener);
}

/** Wakes this process's dispatchers. */
export function wakeDispatchers(ctx: AppContext): void {
  const set = listeners.get(ctx);
  if (set) for (const l of set) l();
}

/**
 * Wakes dispatchers once `trx` commits: Postgres NOTIFY is delivered only on commit (to every
 * process); SQLite has one connection behind a mutex, so a woken dispatcher's claim can only run
 * after this transaction ended (and finds nothing if it rolled back).
 */
export async function wakeAfterCommit(ctx: AppContext, trx: Trx, batch?: WriteBatch): Promise<void> {
  if (ctx.dialect !== 'postgres') queueMicrotask(() => wakeDispatchers(ctx));
  else if (batch) batch.last(NOTIFY);
  else await sql`select pg_notify(${WEBHOOK_CHANNEL}, '')`.execute(trx);
}

const NOTIFY = CompiledQuery.raw(`select pg_notify($1, '')`, [WEBHOOK_CHANNEL]);
