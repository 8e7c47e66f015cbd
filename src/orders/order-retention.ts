import type { AppContext } from '../platform/context.js';
import { pollingService, type BackgroundService } from '../platform/background-service.js';
import { trimOrderStats } from './order-stats.repository.js';
import { purgeOrdersBefore } from './orders.repository.js';

/** Deletes orders older than ORDER_RETENTION_DAYS (with their timeline and idempotency keys), in batches. */
export async function purgeExpiredOrders(ctx: AppContext): Promise<number> {
  const before = new Date(ctx.clock.now().getTime() - ctx.config.orderRetentionDays * 86_400_000).toISOString();
  let total = 0;
  for (;;) {
    const n = await ctx.db.transaction().execute((trx) => purgeOrdersBefore(trx, before));
    total += n;
    if (n === 0) {
      if (total > 0) await trimOrderStats(ctx.db, ctx.dialect, before);
      return total;
    }
  }
}

/** Hourly retention purge (worker role). */
export function orderRetentionFactory(ctx: AppContext): BackgroundService {
  return pollingService(ctx, 'orders:retention', 3_600_000, () => purgeExpiredOrders(ctx));
}
