import type { AppContext } from '../platform/context.js';
import { num } from '../db/rows.js';

/** Open deliveries (waiting, pending or in flight) of enabled endpoints, optionally of one chain. */
export async function openDeliveries(ctx: AppContext, chainId?: string): Promise<number> {
  let q = ctx.db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('d.status', 'in', ['waiting', 'pending', 'in_flight'])
    .where('e.enabled', '=', true);
  if (chainId) q = q.where('d.chain_id', '=', chainId);
  return num((await q.executeTakeFirstOrThrow()).n);
}

/**
 * Resolves once nothing is left to send (no pending/in-flight delivery of an enabled endpoint, of
 * `chainId` if given); a running dispatcher must be doing the sending. Throws after `timeoutMs`.
 */
export async function drainWebhooks(ctx: AppContext, opts: { chainId?: string; timeoutMs?: number } = {}): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  for (;;) {
    const open = await openDeliveries(ctx, opts.chainId);
    if (open === 0) return;
    if (Date.now() > deadline) throw new Error(`drainWebhooks: ${open} deliveries still open after ${opts.timeoutMs ?? 10_000} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
