import { findChainByName } from '../chains/index.js';
import type { AppContext } from '../platform/context.js';
import { AppError } from '../platform/errors.js';
import { applyPlatformAction, countOrdersOfVendors, findOrdersWaiting, type ListedProduct, type Order, placeOrder, sampleListings, vendorsHaveOrders } from '../orders/index.js';
import { ManualClock } from '../platform/clock.js';
import { pelicanPick, randomIntakeBody, simulatorsEnabled } from '../simulator/index.js';
import { pollingService, type BackgroundService } from '../platform/background-service.js';
import { listVendors, type Vendor } from '../vendors/index.js';
import { DEMO_CHAIN_NAME } from './demo.seed.js';

/**
 * The demo's customers. `comanda start` is a marketplace with nobody ordering, so in demo mode:
 * - live traffic: orders arrive on the demo chain's stores (not its test store) at
 *   SIM_DEMO_ORDERS_PER_HOUR, through the normal intake (webhooks, rollups, live updates, all of it);
 *   the Pelican picker and the rider take them from there, as in production;
 * - an order on a partner-picking (DIRECT_POS) store that nobody answers within SIM_DEMO_UNANSWERED_MS
 *   is cancelled by the platform, as a marketplace does — the demo has no partner until one connects;
 * - history: the first start backfills SIM_DEMO_HISTORY_DAYS of orders (a daily curve, picks with some
 *   lines not found, deliveries, a few cancellations), so the dashboard opens on a past, not on zeros.
 */

const ACTOR = 'simulator:demo-customers';
const PARTNER = { name: 'demo:partner-picker', role: 'PARTNER' as const };
const TICK_MS = 5_000;
const MINUTE = 60_000;

/** Relative order volume per local hour of the day (lunch and dinner peaks, quiet nights). */
const DAY_CURVE = [0.2, 0.1, 0, 0, 0, 0, 0.1, 0.3, 0.6, 0.8, 1, 1.3, 1.8, 1.6, 1, 0.8, 0.8, 1, 1.4, 1.9, 2.2, 1.8, 1, 0.4];
const CURVE_MEAN = DAY_CURVE.reduce((a, b) => a + b, 0) / DAY_CURVE.length;

/** A Poisson-distributed count with mean `lambda` (Knuth; lambda stays small here). */
export function poisson(lambda: number, random: () => number): number {
  if (lambda <= 0) return 0;
  if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * (random() + random() + random() - 1.5) * 2));
  const limit = Math.exp(-lambda);
  let k = 0;
  for (let p = random(); p > limit; p *= random()) k++;
  return k;
}

interface DemoStore {
  vendor: Vendor;
  products: ListedProduct[];
}

/** The demo chain's stores that take customer orders (not its test store), with products to order. */
async function demoStores(ctx: AppContext): Promise<DemoStore[]> {
  const chain = await findChainByName(ctx.db, DEMO_CHAIN_NAME);
  if (!chain) return [];
  const stores: DemoStore[] = [];
  for (const vendor of await listVendors(ctx.db, chain.id)) {
    if (vendor.is_test) continue;
    const products = (await sampleListings(ctx.db, vendor.id, 500)).filter((p) => p.active);
    if (products.length) stores.push({ vendor, products });
  }
  return stores;
}

const localHour = (time: Date, timeZone: string): number => {
  try {
    return Number(new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', hourCycle: 'h23' }).format(time)) % 24;
  } catch {
    return time.getUTCHours();
  }
};

async function place(ctx: AppContext, store: DemoStore, random: () => number): Promise<Order | undefined> {
  try {
    return (await placeOrder(ctx, randomIntakeBody(store.vendor.code, store.products, random), { actor: ACTOR })).order;
  } catch (err) {
    // A listing deactivated since the store list was read, a closed store: that customer goes elsewhere.
    if (err instanceof AppError) return undefined;
    throw err;
  }
}

/** Moves that another actor made first (the live picker, a partner, an operator) are not errors here. */
async function tolerant(step: () => Promise<unknown>): Promise<void> {
  try {
    await step();
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
  }
}

type Step = { at: number; run: (ctx: AppContext) => Promise<void> };

/** What happens to one history order after it is placed at `at`: its picking and ride, or its cancellation. */
function lifeOf(store: DemoStore, placed: () => Order | undefined, at: number, random: () => number): Step[] {
  if (random() < 0.05) {
    return [{ at: at + (1 + random() * 3) * MINUTE, run: (c) => cancel(c, placed()?.id, 'CUSTOMER', 'OTHER') }];
  }
  const picked = at + (3 + 15 * random() ** 1.6) * MINUTE;
  const dispatched = picked + (3 + 7 * random()) * MINUTE;
  const who = store.vendor.integration_type === 'INDIRECT_POS' ? undefined : PARTNER;
  const notFound = random() < 0.15;
  return [
    {
      at: picked,
      run: async (c) => {
        const order = placed();
        if (!order) return;
        const missing = notFound && order.lines.length > 1 ? [order.lines[Math.floor(random() * order.lines.length)]!.id] : [];
        await tolerant(() => pelicanPick(c, order.id, missing, who));
      },
    },
    // A vendor-delivery order is DISPATCHED by its picking already; the rider only delivers it.
    { at: dispatched, run: (c) => rider(c, placed()?.id, 'DISPATCHED') },
    { at: dispatched + (10 + 15 * random()) * MINUTE, run: (c) => rider(c, placed()?.id, 'DELIVERED') },
  ];
}

async function rider(ctx: AppContext, orderId: string | undefined, action: 'DISPATCHED' | 'DELIVERED'): Promise<void> {
  if (!orderId) return;
  await tolerant(() => applyPlatformAction(ctx, orderId, { action, actor: 'PLATFORM', actorName: 'simulator:rider' }));
}

async function cancel(ctx: AppContext, orderId: string | undefined, by: 'CUSTOMER' | 'PLATFORM', reason: 'OTHER' | 'TOO_BUSY'): Promise<void> {
  if (!orderId) return;
  await tolerant(() => applyPlatformAction(ctx, orderId, { action: 'CANCELLED', actor: 'PLATFORM', actorName: ACTOR, reason, cancelledBy: by }));
}

/**
 * Backfills `days` of orders on the demo stores, in time order on a clock set to each step's time, so
 * every figure (rollups, timelines, webhook deliveries) is what the live system would have written.
 * Runs only while the demo chain has no orders at all (the first start). Returns how many it placed.
 */
export async function backfillDemoHistory(ctx: AppContext, opts: { days: number; ordersPerHour: number; random?: () => number }): Promise<number> {
  const random = opts.random ?? Math.random;
  if (opts.days <= 0 || opts.ordersPerHour <= 0) return 0;
  const stores = await demoStores(ctx);
  if (stores.length === 0) return 0;
  const vendorIds = stores.map((s) => s.vendor.id);
  if (await vendorsHaveOrders(ctx.db, vendorIds)) return 0;

  const now = ctx.clock.now().getTime();
  const start = now - opts.days * 24 * 60 * MINUTE;
  const perStoreHour = opts.ordersPerHour / stores.length / CURVE_MEAN;
  const steps: Step[] = [];
  for (let hour = start; hour < now; hour += 60 * MINUTE) {
    for (const store of stores) {
      const count = poisson(perStoreHour * DAY_CURVE[localHour(new Date(hour), store.vendor.time_zone)]!, random);
      for (let i = 0; i < count; i++) {
        const at = hour + random() * 60 * MINUTE;
        if (at >= now) continue;
        let order: Order | undefined;
        steps.push({ at, run: async (c) => void (order = await place(c, store, random)) });
        // Only what has already happened by now; the rest is left to the live picker, rider and partner.
        steps.push(...lifeOf(store, () => order, at, random).filter((s) => s.at < now));
      }
    }
  }
  steps.sort((a, b) => a.at - b.at);
  const clock = new ManualClock(new Date(start));
  const past: AppContext = { ...ctx, clock };
  for (const step of steps) {
    clock.set(new Date(step.at));
    await step.run(past);
  }
  const placed = await countOrdersOfVendors(ctx.db, vendorIds);
  ctx.log.info({ orders: placed, days: opts.days }, 'demo: order history backfilled');
  return placed;
}

/** One tick of the live demo: new customers' orders (Poisson arrivals), then unanswered partner-store orders cancelled. */
export async function demoTrafficTick(ctx: AppContext, tickMs: number, random: () => number = Math.random): Promise<number> {
  const stores = await demoStores(ctx);
  if (stores.length === 0) return 0;
  let placed = 0;
  const arrivals = poisson((ctx.config.simDemoOrdersPerHour * tickMs) / (60 * MINUTE), random);
  for (let i = 0; i < arrivals; i++) {
    if (await place(ctx, stores[Math.floor(random() * stores.length)]!, random)) placed++;
  }
  if (ctx.config.simDemoUnansweredMs > 0) {
    const partnerStores = stores.filter((s) => s.vendor.integration_type === 'DIRECT_POS').map((s) => s.vendor.id);
    const before = new Date(ctx.clock.now().getTime() - ctx.config.simDemoUnansweredMs).toISOString();
    for (const o of await findOrdersWaiting(ctx.db, 'RECEIVED', before, 100, { vendorIds: partnerStores })) {
      await cancel(ctx, o.id, 'PLATFORM', 'TOO_BUSY');
    }
  }
  return placed;
}

/** The demo's customers as a background service (worker role): in demo mode, or with SIMULATORS=on once the demo chain exists. */
export function demoTrafficFactory(ctx: AppContext): BackgroundService | undefined {
  if (!simulatorsEnabled(ctx) || ctx.config.simDemoOrdersPerHour <= 0) return undefined;
  const tickMs = Math.min(TICK_MS, ctx.config.simPollMs * 5);
  return pollingService(ctx, ACTOR, tickMs, () => demoTrafficTick(ctx, tickMs));
}
