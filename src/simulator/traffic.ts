import type { AppContext } from '../platform/context.js';
import { AppError } from '../platform/errors.js';
import { applyPlatformAction, type IntakeBody, type ListedProduct, placeOrder, resolveIntakeVendor, sampleListings } from '../orders/index.js';

const FIRST = ['María', 'Juan', 'Lucía', 'Martín', 'Sofía', 'Diego', 'Valentina', 'Carlos', 'Camila', 'Mateo'];
const LAST = ['González', 'Rodríguez', 'Gómez', 'Fernández', 'López', 'Díaz', 'Martínez', 'Pérez', 'Romero', 'Sosa'];
const STREETS = ['Av. Santa Fe', 'Honduras', 'Av. Cabildo', 'Thames', 'Gorriti', 'Av. Corrientes', 'Juramento', 'Arenales'];

/** "5/s", "300/m", "2" (per second) → orders per second. */
export function parseRate(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(?:\/(s|m|h))?$/.exec(text.trim());
  if (!m) throw new Error(`rate must look like 5/s, 300/m or 2, got "${text}"`);
  const per = { s: 1, m: 60, h: 3600 }[(m[2] ?? 's') as 's' | 'm' | 'h'];
  const rate = Number(m[1]) / per;
  if (rate <= 0 || rate > 10_000) throw new Error(`rate must be between 0 and 10000/s, got "${text}"`);
  return rate;
}

/** "10m", "30s", "1h", "500ms" → milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  if (!m) throw new Error(`duration must look like 30s, 10m or 1h, got "${text}"`);
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
}

/**
 * A realistic basket: 1–8 lines (mostly small), unit items in quantities 1–3 within
 * maximum_sales_quantity, and about a third of baskets with a weighted item of 0.2–2.5 kg.
 */
export function randomBasket(products: readonly ListedProduct[], random: () => number = Math.random): IntakeBody['items'] {
  const units = products.filter((p) => p.active && !p.is_sold_by_weight);
  const weighted = products.filter((p) => p.active && p.is_sold_by_weight);
  const size = 1 + Math.floor(random() ** 2 * 8);
  const chosen = new Map<string, { sku: string; quantity?: number; weight?: number }>();
  for (let i = 0; i < size * 2 && chosen.size < size && units.length; i++) {
    const p = units[Math.floor(random() * units.length)]!;
    if (chosen.has(p.sku)) continue;
    chosen.set(p.sku, { sku: p.sku, quantity: Math.max(1, Math.min(1 + Math.floor(random() * 3), p.maximum_sales_quantity ?? 3)) });
  }
  if (weighted.length && (random() < 0.35 || chosen.size === 0)) {
    const p = weighted[Math.floor(random() * weighted.length)]!;
    chosen.set(p.sku, { sku: p.sku, weight: Math.round((0.2 + random() * 2.3) * 1000) / 1000 });
  }
  return [...chosen.values()];
}

/** A customer's order at a vendor: a random basket, mostly logistics delivery, a Buenos Aires address. */
export function randomIntakeBody(vendorCode: string, products: readonly ListedProduct[], random: () => number = Math.random): IntakeBody {
  return {
    vendor_id: vendorCode,
    transport_type: random() < 0.8 ? 'LOGISTICS_DELIVERY' : 'VENDOR_DELIVERY',
    order_type: 'DELIVERY',
    items: randomBasket(products, random),
    customer: {
      first_name: FIRST[Math.floor(random() * FIRST.length)]!,
      last_name: LAST[Math.floor(random() * LAST.length)]!,
      phone_number: `+54911${String(Math.floor(random() * 1e8)).padStart(8, '0')}`,
      delivery_address: { city: 'Buenos Aires', street: STREETS[Math.floor(random() * STREETS.length)]!, number: String(100 + Math.floor(random() * 5000)) },
    },
  };
}

export interface SimulateOptions {
  vendor: string;
  chainId?: string;
  ratePerSecond: number;
  durationMs: number;
  /** Percent of orders the customer cancels right after placing them. */
  cancelPercent?: number;
  random?: () => number;
  /** Stop early (tests). */
  maxOrders?: number;
}

export interface SimulateSummary {
  vendor: string;
  created: number;
  cancelled: number;
  refused: Record<string, number>;
  elapsed_ms: number;
  achieved_rate_per_s: number;
}

/** `comanda simulate`: places orders on one vendor at a steady rate for a duration, through the normal intake. */
export async function simulateTraffic(ctx: AppContext, opts: SimulateOptions): Promise<SimulateSummary> {
  const random = opts.random ?? Math.random;
  const vendor = await resolveIntakeVendor(ctx.db, opts.vendor, opts.chainId);
  const products = (await sampleListings(ctx.db, vendor.id, 500)).filter((p) => p.active);
  if (products.length === 0) throw new AppError('NO_PRODUCTS_LISTED', `Vendor ${vendor.code} has no active listings to build baskets from`);
  const summary: SimulateSummary = { vendor: vendor.code, created: 0, cancelled: 0, refused: {}, elapsed_ms: 0, achieved_rate_per_s: 0 };
  const start = Date.now();
  const interval = 1000 / opts.ratePerSecond;
  for (let n = 0; ; n++) {
    const due = start + n * interval;
    if (due - start >= opts.durationMs || (opts.maxOrders !== undefined && n >= opts.maxOrders)) break;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const body = randomIntakeBody(vendor.code, products, random);
    try {
      const { order } = await placeOrder(ctx, body, { actor: 'simulator:traffic' });
      summary.created++;
      if (random() * 100 < (opts.cancelPercent ?? 5)) {
        await applyPlatformAction(ctx, order.id, { action: 'CANCELLED', actor: 'PLATFORM', actorName: 'simulator:traffic', reason: 'OTHER', cancelledBy: 'CUSTOMER' });
        summary.cancelled++;
      }
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      summary.refused[err.code] = (summary.refused[err.code] ?? 0) + 1;
    }
  }
  summary.elapsed_ms = Date.now() - start;
  summary.achieved_rate_per_s = Math.round((summary.created / Math.max(summary.elapsed_ms, 1)) * 1000 * 100) / 100;
  return summary;
}
