import { sql, type RawBuilder } from 'kysely';
import type { AppContext } from '../platform/context.js';
import type { Dialect, Executor } from '../db/database.js';
import { notFoundPredicate } from '../db/migrations/0014_dashboard.js';
import { secondsBetween } from '../db/migrations/0016_order_stats.js';
import { READY_COLUMNS, READY_EDGES_S, readyBucket } from './order-stats.repository.js';
import { HOUR_MS, hourOf, splitWindow } from '../platform/time-buckets.js';
import { AppError } from '../platform/errors.js';
import { minorDigits, scaled } from '../platform/money.js';
import { listVendors } from '../vendors/index.js';
import { endpointAlerts, latencyPercentile, webhookFigures } from '../webhooks/index.js';
import { bucketPercentile } from '../platform/histogram.js';

export const DASHBOARD_RANGES = ['today', '7d', '30d'] as const;
export type DashboardRange = (typeof DASHBOARD_RANGES)[number];

/** Where the figures come from: a chain, or one of its stores (`vendorId`), over [from, to). */
export interface DashboardScope {
  chainId: string;
  vendorId?: string;
  from: string;
  to: string;
}

type Q = { db: Executor; dialect: Dialect };

/** Start of the local day `now` falls in, in `timeZone` (an ISO instant). */
export function startOfLocalDay(now: Date, timeZone: string): string {
  const parts = (d: Date) => {
    const p = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(d).map((x) => [x.type, x.value]));
    return { y: Number(p.year), m: Number(p.month), d: Number(p.day), h: Number(p.hour), mi: Number(p.minute), s: Number(p.second) };
  };
  const offsetAt = (d: Date) => {
    const p = parts(d);
    return Date.UTC(p.y, p.m - 1, p.d, p.h, p.mi, p.s) - Math.floor(d.getTime() / 1000) * 1000;
  };
  const p = parts(now);
  const midnightUtc = Date.UTC(p.y, p.m - 1, p.d);
  // The zone's offset at local midnight (twice: a DST change between midnight and now moves it).
  let t = midnightUtc - offsetAt(now);
  t = midnightUtc - offsetAt(new Date(t));
  return new Date(t).toISOString();
}

/** The window of a range ending now: today (since local midnight), 7 or 30 days. */
export function rangeWindow(range: DashboardRange, now: Date, timeZone: string): { from: string; to: string } {
  const to = now.toISOString();
  if (range === 'today') return { from: startOfLocalDay(now, timeZone), to };
  const days = range === '7d' ? 7 : 30;
  return { from: new Date(now.getTime() - days * 86_400_000).toISOString(), to };
}

const num = (v: unknown) => Number(v ?? 0);

/** p-th percentile of a histogram of whole values (sorted by value). */
export function percentile(hist: Array<{ v: number; n: number }>, p: number): number | null {
  const total = hist.reduce((a, h) => a + h.n, 0);
  if (total === 0) return null;
  const rank = Math.ceil((p / 100) * total);
  let seen = 0;
  for (const h of hist) {
    seen += h.n;
    if (seen >= rank) return h.v;
  }
  return hist[hist.length - 1]!.v;
}

/**
 * p-th percentile (whole seconds) of a ready-time histogram (counts per READY_EDGES_S bucket): the bucket
 * holding the rank, interpolated linearly inside it (buckets are 19 % wide: within ±9 % of the true value);
 * the open last bucket answers its lower bound.
 */
export const histogramPercentile = (counts: readonly number[], p: number): number | null => bucketPercentile(READY_EDGES_S, counts, p);

/** Per store: orders, cancellations, sales (minor units, cancelled orders excluded), orders with a line not found. */
export interface StoreFigures {
  vendor_id: string;
  orders: number;
  cancelled: number;
  sales_minor: number;
  not_found: number;
}

/** Every order figure of the dashboard for a scope: per store, orders per hour, and the ready-time histogram. */
export interface OrderFigures {
  stores: StoreFigures[];
  perHour: Array<{ at: number; orders: number }>;
  /** RECEIVED → READY_FOR_PICKUP counts per READY_EDGES_S bucket, orders created in the window. */
  readyHistogram: number[];
}

/** The rollup rows of the scope's stores over whole hours [fromHour, toHour) (primary key ranges). */
const statsWhere = (vendorIds: readonly string[], fromHour: number, toHour: number): RawBuilder<unknown> =>
  sql`vendor_id in (${sql.join(vendorIds)}) and ${sql.ref('hour')} >= ${fromHour} and ${sql.ref('hour')} < ${toHour}`;

/**
 * Orders of the scope created in one partial hour at an end of the window, read from orders through the
 * (chain | vendor, created_at) index (SQLite pins it: with few chains in its statistics it would rather
 * skip-scan another one).
 */
const edgeFrom = (q: Q, s: DashboardScope, alias: string): RawBuilder<unknown> =>
  q.dialect === 'postgres' ? sql`orders as ${sql.ref(alias)}` : sql`orders as ${sql.ref(alias)} indexed by ${sql.ref(s.vendorId ? 'orders_vendor_created_idx' : 'orders_chain_created_idx')}`;
const edgeWhere = (s: DashboardScope, alias: string, from: string, to: string): RawBuilder<unknown> => {
  const col = (c: string) => sql.ref(`${alias}.${c}`);
  return sql`${s.vendorId ? sql`${col('vendor_id')} = ${s.vendorId}` : sql`${col('chain_id')} = ${s.chainId}`} and ${col('created_at')} >= ${from} and ${col('created_at')} < ${to}`;
};

/**
 * The order figures of a scope over [from, to): whole UTC hours summed from the hourly rollup `order_stats`
 * (two primary-key range reads: per store with the histogram, per hour), the partial hours at both ends
 * from orders (exact counts and sales; ready times bucketed like the rollup's).
 */
export async function orderFigures(q: Q, s: DashboardScope, vendorIds: readonly string[]): Promise<OrderFigures> {
  const ids = s.vendorId ? [s.vendorId] : vendorIds;
  const stores = new Map<string, StoreFigures>();
  const perHour = new Map<number, number>();
  const hist = new Array<number>(READY_COLUMNS.length).fill(0);
  const store = (id: string) => {
    let f = stores.get(id);
    if (!f) stores.set(id, (f = { vendor_id: id, orders: 0, cancelled: 0, sales_minor: 0, not_found: 0 }));
    return f;
  };
  if (ids.length === 0) return { stores: [], perHour: [], readyHistogram: hist };
  const w = splitWindow(s.from, s.to);
  const whole = w.toHour > w.fromHour;
  const secs = secondsBetween(q.dialect, sql`o.created_at`, sql`e.created_at`);
  const [byStore, byHour, ...edges] = await Promise.all([
    whole
      ? sql<Record<string, unknown>>`select vendor_id, sum(n) as n, sum(n_cancelled) as c, sum(sales_minor) as s, sum(not_found) as nf, ${sql.join(READY_COLUMNS.map((c) => sql`sum(${sql.ref(c)}) as ${sql.ref(c)}`))}
          from order_stats where ${statsWhere(ids, w.fromHour, w.toHour)} group by vendor_id`.execute(q.db)
      : undefined,
    whole ? sql<{ h: unknown; n: unknown }>`select ${sql.ref('hour')} as h, sum(n) as n from order_stats where ${statsWhere(ids, w.fromHour, w.toHour)} group by ${sql.ref('hour')}`.execute(q.db) : undefined,
    ...w.edges.map((e) =>
      Promise.all([
        sql<{ vendor_id: string; n: unknown; c: unknown; s: unknown; nf: unknown }>`
          select o.vendor_id, count(*) as n, sum(case when o.status = 'CANCELLED' then 1 else 0 end) as c,
            sum(case when o.status = 'CANCELLED' then 0 else o.order_total end) as s, sum(case when ${notFoundPredicate(q.dialect)} then 1 else 0 end) as nf
          from ${edgeFrom(q, s, 'o')} where ${edgeWhere(s, 'o', e.from, e.to)} group by o.vendor_id`.execute(q.db),
        sql<{ v: unknown; n: unknown }>`select ${secs} as v, count(*) as n
          from ${edgeFrom(q, s, 'o')} ${q.dialect === 'postgres' ? sql`join` : sql`cross join`} order_events e on e.order_id = o.id and e.type = 'READY_FOR_PICKUP'
          where ${edgeWhere(s, 'o', e.from, e.to)} group by 1`.execute(q.db),
        e,
      ]),
    ),
  ]);
  for (const r of byStore?.rows ?? []) {
    const f = store(r.vendor_id as string);
    f.orders += num(r.n);
    f.cancelled += num(r.c);
    f.sales_minor += num(r.s);
    f.not_found += num(r.nf);
    READY_COLUMNS.forEach((c, b) => (hist[b] = hist[b]! + num(r[c])));
  }
  for (const r of byHour?.rows ?? []) perHour.set(num(r.h), (perHour.get(num(r.h)) ?? 0) + num(r.n));
  for (const [counts, ready, e] of edges) {
    const h = hourOf(e.from);
    for (const r of counts.rows) {
      const f = store(r.vendor_id);
      f.orders += num(r.n);
      f.cancelled += num(r.c);
      f.sales_minor += num(r.s);
      f.not_found += num(r.nf);
      perHour.set(h, (perHour.get(h) ?? 0) + num(r.n));
    }
    for (const r of ready.rows) {
      const b = readyBucket(num(r.v));
      hist[b] = hist[b]! + num(r.n);
    }
  }
  return {
    stores: [...stores.values()].filter((f) => f.orders > 0),
    perHour: [...perHour.entries()].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]).map(([h, n]) => ({ at: h * HOUR_MS, orders: n })),
    readyHistogram: hist,
  };
}

/**
 * Webhook health of the chain over the window (webhooks/webhook-stats.repository.ts: the hourly rollup's whole
 * hours plus the partial hours from the tables): deliveries created in the window that succeeded, went dead or
 * are pending / in flight (exact counts), and the p99 of attempts started in it (from the latency histogram).
 * `deliveries` is succeeded + dead + pending: deliveries waiting behind an earlier event of their order and
 * cancelled ones (endpoint deleted) are not counted.
 */
export async function webhookHealth(q: Q, chainId: string, from: string, to: string) {
  const f = await webhookFigures(q, chainId, from, to);
  return {
    deliveries: f.succeeded + f.dead + f.open,
    succeeded: f.succeeded,
    dead: f.dead,
    pending: f.open,
    success_rate: f.succeeded + f.dead > 0 ? f.succeeded / (f.succeeded + f.dead) : null,
    attempts: f.latency.reduce((a, n) => a + n, 0),
    p99_ms: latencyPercentile(f.latency, 99),
  };
}

/** Everything the dashboard shows for a chain or one store over a range. */
export async function dashboard(ctx: AppContext, chainId: string, range: DashboardRange, vendorId?: string) {
  const vendors = await listVendors(ctx.db, chainId);
  const vendor = vendorId ? vendors.find((v) => v.id === vendorId) : undefined;
  if (vendorId && !vendor) throw new AppError('VENDOR_NOT_FOUND', `query.vendor_id: no store "${vendorId}" in this chain`);
  const timeZone = vendor?.time_zone ?? vendors[0]?.time_zone ?? 'UTC';
  const currency = vendor?.currency ?? vendors[0]?.currency ?? 'EUR';
  const digits = minorDigits(currency);
  const { from, to } = rangeWindow(range, ctx.clock.now(), timeZone);
  const scope: DashboardScope = { chainId, vendorId, from, to };
  const q = { db: ctx.db, dialect: ctx.dialect };
  const [figures, webhooks, endpoints] = await Promise.all([
    orderFigures(q, scope, vendors.map((v) => v.id)),
    webhookHealth(q, chainId, from, to),
    endpointAlerts(q, chainId),
  ]);
  const rate = (a: number, b: number) => (b > 0 ? a / b : null);
  const perStore = figures.stores;
  const stores = perStore
    .map((s) => ({ vendor_id: s.vendor_id, orders: s.orders, cancelled: s.cancelled, not_found: s.not_found, sales: scaled(s.sales_minor, digits) }))
    .sort((a, b) => b.orders - a.orders);
  const orders = stores.reduce((a, s) => a + s.orders, 0);
  const cancelled = stores.reduce((a, s) => a + s.cancelled, 0);
  const nf = stores.reduce((a, s) => a + s.not_found, 0);
  const salesMinor = perStore.reduce((a, s) => a + s.sales_minor, 0);
  const hist = figures.readyHistogram;
  const ready = { count: hist.reduce((a, n) => a + n, 0), p50_s: histogramPercentile(hist, 50), p90_s: histogramPercentile(hist, 90) };
  const perHour = figures.perHour;
  return {
    range,
    from,
    to,
    time_zone: timeZone,
    currency,
    vendor_id: vendorId ?? null,
    totals: {
      orders,
      sales: scaled(salesMinor, digits),
      cancelled,
      cancellation_rate: rate(cancelled, orders),
      not_found: nf,
      not_found_rate: rate(nf, orders),
      ready_count: ready.count,
      ready_p50_s: ready.p50_s,
      ready_p90_s: ready.p90_s,
    },
    stores: stores.map((s) => ({ ...s, cancellation_rate: rate(s.cancelled, s.orders), not_found_rate: rate(s.not_found, s.orders) })),
    per_hour: perHour,
    webhooks,
    endpoints,
  };
}
