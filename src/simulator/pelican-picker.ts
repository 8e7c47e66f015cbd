import type { AppContext } from '../platform/context.js';
import { AppError } from '../platform/errors.js';
import { type Actor, commitOrderChange, findOrderForUpdate, findOrdersWaiting, freshVendor, planCartChange } from '../orders/index.js';
import { pollingService, type BackgroundService } from '../platform/background-service.js';
import { simulatorsEnabled } from './simulators-enabled.js';

const ACTOR = 'simulator:pelican-picker';

/**
 * The Pelican picking app picks one order: every line IN_CART except the given NOT_FOUND lines, then
 * READY_FOR_PICKUP (logistics delivery) or DISPATCHED (vendor delivery). Same rules engine as PUT.
 * `who` names the actor on the timeline (the demo's history picks partner stores' orders as the partner).
 */
export async function pelicanPick(ctx: AppContext, orderId: string, notFoundLineIds: readonly string[] = [], who: { name: string; role: Actor } = { name: ACTOR, role: 'PICKER' }): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const order = await findOrderForUpdate(trx, ctx.dialect, orderId);
    if (!order) throw new AppError('ORDER_NOT_FOUND');
    const vendor = await freshVendor(trx, order.vendor_id);
    const status = order.transport_type === 'LOGISTICS_DELIVERY' ? 'READY_FOR_PICKUP' : 'DISPATCHED';
    const items = notFoundLineIds.map((id) => ({ _id: id, status: 'NOT_FOUND' as const }));
    const next = await planCartChange(ctx, trx, order, vendor.locale, { status, items }, who.role);
    await commitOrderChange(ctx, trx, vendor, next, { type: status, actor: who.name, details: { not_found: notFoundLineIds.length }, previous: order });
  });
}

/**
 * One pass of the picker over INDIRECT_POS vendors' RECEIVED orders older than the picking delay.
 * With SIM_PICKER_NOT_FOUND_PERCENT chance, one line (of orders with two or more) is NOT_FOUND.
 */
export async function pickerTick(ctx: AppContext, random: () => number = Math.random, limit = 100): Promise<number> {
  const vendorIds = (await ctx.db.selectFrom('vendors').select('id').where('integration_type', '=', 'INDIRECT_POS').execute()).map((v) => v.id);
  const before = new Date(ctx.clock.now().getTime() - ctx.config.simPickerDelayMs).toISOString();
  const orders = await findOrdersWaiting(ctx.db, 'RECEIVED', before, limit, { vendorIds });
  let picked = 0;
  for (const o of orders) {
    const missing = o.lines.length > 1 && random() * 100 < ctx.config.simPickerNotFoundPercent ? [o.lines[Math.floor(random() * o.lines.length)]!.id] : [];
    try {
      await pelicanPick(ctx, o.id, missing);
      picked++;
    } catch (err) {
      if (err instanceof AppError && (err.code === 'INVALID_STATUS_TRANSITION' || err.code === 'ORDER_NOT_FOUND')) continue;
      throw err;
    }
  }
  return picked;
}

/** The Pelican picker as a background service (worker role), on in demo mode or with SIMULATORS=on. */
export function pelicanPickerFactory(ctx: AppContext): BackgroundService | undefined {
  if (!simulatorsEnabled(ctx)) return undefined;
  return pollingService(ctx, 'simulator:pelican-picker', ctx.config.simPollMs, () => pickerTick(ctx));
}
