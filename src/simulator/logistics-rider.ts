import type { AppContext } from '../platform/context.js';
import { AppError } from '../platform/errors.js';
import { applyPlatformAction, findOrdersWaiting } from '../orders/index.js';
import { pollingService, type BackgroundService } from '../platform/background-service.js';
import { simulatorsEnabled } from './simulators-enabled.js';

const ACTOR = 'simulator:rider';

/**
 * One pass of the logistics rider: collects READY_FOR_PICKUP logistics orders after the pickup
 * delay (→ DISPATCHED) and delivers DISPATCHED orders after the delivery delay (→ DELIVERED).
 * Returns how many orders moved. Another process moving an order first is not an error.
 */
export async function riderTick(ctx: AppContext, limit = 100): Promise<number> {
  const now = ctx.clock.now().getTime();
  let moved = 0;
  const toCollect = await findOrdersWaiting(ctx.db, 'READY_FOR_PICKUP', new Date(now - ctx.config.simRiderPickupDelayMs).toISOString(), limit, { transport: 'LOGISTICS_DELIVERY' });
  for (const o of toCollect) moved += await attempt(ctx, o.id, 'DISPATCHED');
  const toDeliver = await findOrdersWaiting(ctx.db, 'DISPATCHED', new Date(now - ctx.config.simRiderDeliveryDelayMs).toISOString(), limit);
  for (const o of toDeliver) moved += await attempt(ctx, o.id, 'DELIVERED');
  return moved;
}

async function attempt(ctx: AppContext, orderId: string, action: 'DISPATCHED' | 'DELIVERED'): Promise<number> {
  try {
    await applyPlatformAction(ctx, orderId, { action, actor: 'PLATFORM', actorName: ACTOR });
    return 1;
  } catch (err) {
    if (err instanceof AppError && (err.code === 'INVALID_STATUS_TRANSITION' || err.code === 'ORDER_NOT_FOUND')) return 0;
    throw err;
  }
}

/** The rider as a background service (worker role), on in demo mode or with SIMULATORS=on. */
export function logisticsRiderFactory(ctx: AppContext): BackgroundService | undefined {
  if (!simulatorsEnabled(ctx)) return undefined;
  return pollingService(ctx, 'simulator:rider', ctx.config.simPollMs, () => riderTick(ctx));
}
