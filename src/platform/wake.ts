import { CompiledQuery, sql } from 'kysely';
import type { AppContext } from './context.js';
import type { Trx } from '../db/database.js';
import type { WriteBatch } from '../db/write-batch.js';

/** Postgres channel every dispatcher LISTENs on; NOTIFY inside the emitting transaction is delivered only on commit. */
export const WEBHOOK_CHANNEL = 'comanda_webhooks';

/** What a process wakes its own workers for: events to deliver, jobs to run. */
export type WakeTopic = 'webhooks' | 'jobs';

const listeners: Record<WakeTopic, Set<() => void>> = { webhooks: new Set(), jobs: new Set() };

/**
 * A worker (dispatcher, job runner) registers here to be woken when this process produced work for it,
 * instead of waiting for its next poll. Returns the unsubscribe. Process-wide: a worker of another
 * context in the same process (tests) is woken too, and finds nothing of its own.
 */
export function onWake(topic: WakeTopic, listener: () => void): () => void {
  listeners[topic].add(listener);
  return () => listeners[topic].delete(listener);
}

/** Wakes this process's workers of `topic`. */
export function wake(topic: WakeTopic): void {
  for (const l of listeners[topic]) l();
}

/**
 * Wakes dispatchers once `trx` commits: Postgres NOTIFY is delivered only on commit (to every
 * process); SQLite has one connection behind a mutex, so a woken dispatcher's claim can only run
 * after this transaction ended (and finds nothing if it rolled back).
 */
export async function wakeAfterCommit(ctx: AppContext, trx: Trx, batch?: WriteBatch): Promise<void> {
  if (ctx.dialect !== 'postgres') queueMicrotask(() => wake('webhooks'));
  else if (batch) batch.last(NOTIFY);
  else await sql`select pg_notify(${WEBHOOK_CHANNEL}, '')`.execute(trx);
}

const NOTIFY = CompiledQuery.raw(`select pg_notify($1, '')`, [WEBHOOK_CHANNEL]);
