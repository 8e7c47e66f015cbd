/**
 * The realistic ceiling for the portal dashboard (a child process of the bench), on the bench database,
 * through the raw driver with statements prepared once: GET /chains/:chainId/dashboard?range=&vendor_id=
 * does the same essential database work as comanda's route — the chain's stores, the rollup sums over the
 * window's whole hours (per store with the ready histogram, per hour), the two partial-hour edges from orders
 * (counts and ready times), webhook health (the webhook_stats rollup's whole hours, the open deliveries through
 * the claim index, finished deliveries and attempt latencies of the edges), failing endpoints — and
 * answers the figures as JSON. Bare Fastify 5: no session, no validation, no schema serialisation.
 * Usage: ceiling.ts <sqlite file | postgres URL>. Prints {"ready":true,"url":"…"} once listening.
 */
import BetterSqlite3 from 'better-sqlite3';
import Fastify from 'fastify';
import pg from 'pg';
import { READY_COLUMNS } from '../../src/db/migrations/0016_order_stats.js';
import { readyBucket } from '../../src/orders/order-stats.repository.js';
import { splitWindow } from '../../src/platform/time-buckets.js';
import { histogramPercentile, rangeWindow, type DashboardRange } from '../../src/orders/dashboard.service.js';
import { LATENCY_COLUMNS, latencyBucket, latencyPercentile, WEBHOOK_STATS_COLUMNS } from '../../src/webhooks/webhook-stats.repository.js';

const target = process.argv[2]!;
type Row = Record<string, unknown>;

interface Store {
  vendors(chainId: string): Promise<Row[]>;
  byStore(ids: string[], fromHour: number, toHour: number): Promise<Row[]>;
  byHour(ids: string[], fromHour: number, toHour: number): Promise<Row[]>;
  edge(scope: 'chain' | 'store', key: string, from: string, to: string): Promise<Row[]>;
  edgeReady(scope: 'chain' | 'store', key: string, from: string, to: string): Promise<Row[]>;
  webhookWhole(chainId: string, fromHour: number, toHour: number): Promise<Row[]>;
  webhookOpen(chainId: string, from: string, to: string): Promise<Row[]>;
  deliveries(chainId: string, from: string, to: string): Promise<Row[]>;
  attempts(chainId: string, from: string, to: string): Promise<Row[]>;
  endpoints(chainId: string): Promise<Row[]>;
}

const sums = READY_COLUMNS.map((c) => `sum(${c}) as ${c}`).join(', ');
const webhookSums = WEBHOOK_STATS_COLUMNS.map((c) => `sum(${c}) as ${c}`).join(', ');

function sqliteStore(file: string): Store {
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  db.pragma('query_only = true');
  db.pragma('busy_timeout = 5000');
  db.pragma('cache_size = -65536');
  const cache = new Map<string, BetterSqlite3.Statement>();
  const stmt = (text: string) => {
    let s = cache.get(text);
    if (!s) cache.set(text, (s = db.prepare(text)));
    return s;
  };
  const inList = (n: number) => Array.from({ length: n }, () => '?').join(', ');
  const col = (scope: 'chain' | 'store') => (scope === 'chain' ? 'chain_id' : 'vendor_id');
  const idx = (scope: 'chain' | 'store') => (scope === 'chain' ? 'orders_chain_created_idx' : 'orders_vendor_created_idx');
  const secs = 'cast(floor(round((julianday(e.created_at) - julianday(o.created_at)) * 86400000) / 1000.0) as integer)';
  return {
    vendors: async (c) => stmt('select id, time_zone, currency from vendors where chain_id = ? order by created_at').all(c) as Row[],
    byStore: async (ids, f, t) =>
      stmt(`select vendor_id, sum(n) as n, sum(n_cancelled) as c, sum(sales_minor) as s, sum(not_found) as nf, ${sums} from order_stats where vendor_id in (${inList(ids.length)}) and hour >= ? and hour < ? group by vendor_id`).all(...ids, f, t) as Row[],
    byHour: async (ids, f, t) => stmt(`select hour as h, sum(n) as n from order_stats where vendor_id in (${inList(ids.length)}) and hour >= ? and hour < ? group by hour`).all(...ids, f, t) as Row[],
    edge: async (scope, key, f, t) =>
      stmt(`select vendor_id, count(*) as n, sum(case when status = 'CANCELLED' then 1 else 0 end) as c, sum(case when status = 'CANCELLED' then 0 else order_total end) as s,
        sum(case when instr(lines, '"status":"NOT_FOUND"') > 0 then 1 else 0 end) as nf from orders indexed by ${idx(scope)} where ${col(scope)} = ? and created_at >= ? and created_at < ? group by vendor_id`).all(key, f, t) as Row[],
    edgeReady: async (scope, key, f, t) =>
      stmt(`select ${secs} as v, count(*) as n from orders o indexed by ${idx(scope)} cross join order_events e on e.order_id = o.id and e.type = 'READY_FOR_PICKUP'
        where o.${col(scope)} = ? and o.created_at >= ? and o.created_at < ? group by 1`).all(key, f, t) as Row[],
    webhookWhole: async (c, f, t) => stmt(`select ${webhookSums} from webhook_stats where chain_id = ? and hour >= ? and hour < ?`).all(c, f, t) as Row[],
    webhookOpen: async (c, f, t) =>
      stmt("select count(*) as n from webhook_deliveries indexed by webhook_deliveries_claim_idx where (status = 'pending' or status = 'in_flight') and chain_id = ? and created_at >= ? and created_at < ?").all(c, f, t) as Row[],
    deliveries: async (c, f, t) => stmt("select status, count(*) as n from webhook_deliveries where chain_id = ? and created_at >= ? and created_at < ? and status in ('succeeded', 'dead') group by status").all(c, f, t) as Row[],
    attempts: async (c, f, t) => stmt('select duration_ms as v, count(*) as n from webhook_attempts where chain_id = ? and started_at >= ? and started_at < ? group by duration_ms order by duration_ms').all(c, f, t) as Row[],
    endpoints: async (c) =>
      stmt('select id, description, url, enabled, disabled_reason, failing_since from webhook_endpoints where chain_id = ? and deleted_at is null and (failing_since is not null or enabled = 0) order by created_at').all(c) as Row[],
  };
}

function postgresStore(url: string): Store {
  // The same pool size as comanda's.
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const q = async (name: string, text: string, values: unknown[]) => (await pool.query({ name, text, values })).rows as Row[];
  const col = (scope: 'chain' | 'store') => (scope === 'chain' ? 'chain_id' : 'vendor_id');
  const secs = 'floor(extract(epoch from (e.created_at - o.created_at)))::int';
  return {
    vendors: (c) => q('vendors', 'select id, time_zone, currency from vendors where chain_id = $1 order by created_at', [c]),
    byStore: (ids, f, t) => q('by_store', `select vendor_id, sum(n) as n, sum(n_cancelled) as c, sum(sales_minor) as s, sum(not_found) as nf, ${sums} from order_stats where vendor_id = any($1) and hour >= $2 and hour < $3 group by vendor_id`, [ids, f, t]),
    byHour: (ids, f, t) => q('by_hour', 'select hour as h, sum(n) as n from order_stats where vendor_id = any($1) and hour >= $2 and hour < $3 group by hour', [ids, f, t]),
    edge: (scope, key, f, t) =>
      q(`edge_${scope}`, `select vendor_id, count(*) as n, sum(case when status = 'CANCELLED' then 1 else 0 end) as c, sum(case when status = 'CANCELLED' then 0 else order_total end) as s,
        sum(case when lines @> '[{"status":"NOT_FOUND"}]'::jsonb then 1 else 0 end) as nf from orders where ${col(scope)} = $1 and created_at >= $2 and created_at < $3 group by vendor_id`, [key, f, t]),
    edgeReady: (scope, key, f, t) =>
      q(`edge_ready_${scope}`, `select ${secs} as v, count(*) as n from orders o join order_events e on e.order_id = o.id and e.type = 'READY_FOR_PICKUP' where o.${col(scope)} = $1 and o.created_at >= $2 and o.created_at < $3 group by 1`, [key, f, t]),
    webhookWhole: (c, f, t) => q('webhook_whole', `select ${webhookSums} from webhook_stats where chain_id = $1 and hour >= $2 and hour < $3`, [c, f, t]),
    webhookOpen: (c, f, t) => q('webhook_open', "select count(*) as n from webhook_deliveries where (status = 'pending' or status = 'in_flight') and chain_id = $1 and created_at >= $2 and created_at < $3", [c, f, t]),
    deliveries: (c, f, t) => q('deliveries', "select status, count(*) as n from webhook_deliveries where chain_id = $1 and created_at >= $2 and created_at < $3 and status in ('succeeded', 'dead') group by status", [c, f, t]),
    attempts: (c, f, t) => q('attempts', 'select duration_ms as v, count(*) as n from webhook_attempts where chain_id = $1 and started_at >= $2 and started_at < $3 group by duration_ms order by duration_ms', [c, f, t]),
    endpoints: (c) => q('endpoints', 'select id, description, url, enabled, disabled_reason, failing_since from webhook_endpoints where chain_id = $1 and deleted_at is null and (failing_since is not null or enabled = false) order by created_at', [c]),
  };
}

const store = target.startsWith('postgres') ? postgresStore(target) : sqliteStore(target);
const num = (v: unknown) => Number(v ?? 0);
const app = Fastify();

app.get<{ Params: { chainId: string }; Querystring: { range?: DashboardRange; vendor_id?: string } }>('/chains/:chainId/dashboard', async (request) => {
  const { chainId } = request.params;
  const range = request.query.range ?? 'today';
  const vendorId = request.query.vendor_id;
  const vendors = await store.vendors(chainId);
  const { from, to } = rangeWindow(range, new Date(), String(vendors[0]?.time_zone ?? 'UTC'));
  const ids = vendorId ? [vendorId] : vendors.map((v) => String(v.id));
  const w = splitWindow(from, to);
  const scope = vendorId ? 'store' : 'chain';
  const key = vendorId ?? chainId;
  const [byStore, byHour, webhookWhole, webhookOpen, endpoints, ...edges] = await Promise.all([
    w.toHour > w.fromHour ? store.byStore(ids, w.fromHour, w.toHour) : [],
    w.toHour > w.fromHour ? store.byHour(ids, w.fromHour, w.toHour) : [],
    w.toHour > w.fromHour ? store.webhookWhole(chainId, w.fromHour, w.toHour) : [],
    store.webhookOpen(chainId, from, to),
    store.endpoints(chainId),
    ...w.edges.flatMap((e) => [store.edge(scope, key, e.from, e.to), store.edgeReady(scope, key, e.from, e.to), store.deliveries(chainId, e.from, e.to), store.attempts(chainId, e.from, e.to)]),
  ]);
  const stores = new Map<string, { vendor_id: string; orders: number; cancelled: number; sales_minor: number; not_found: number }>();
  const hist = new Array<number>(READY_COLUMNS.length).fill(0);
  const perHour = new Map<number, number>();
  const counts: Record<string, number> = {};
  const lat = new Array<number>(LATENCY_COLUMNS.length).fill(0);
  for (const r of webhookWhole) {
    counts.succeeded = (counts.succeeded ?? 0) + num(r.succeeded);
    counts.dead = (counts.dead ?? 0) + num(r.dead);
    LATENCY_COLUMNS.forEach((c, b) => (lat[b]! += num(r[c])));
  }
  const open = num(webhookOpen[0]?.n);
  const add = (r: Row) => {
    const s = stores.get(String(r.vendor_id)) ?? { vendor_id: String(r.vendor_id), orders: 0, cancelled: 0, sales_minor: 0, not_found: 0 };
    stores.set(s.vendor_id, s);
    s.orders += num(r.n);
    s.cancelled += num(r.c);
    s.sales_minor += num(r.s);
    s.not_found += num(r.nf);
  };
  for (const r of byStore) {
    add(r);
    READY_COLUMNS.forEach((c, b) => (hist[b]! += num(r[c])));
  }
  for (const r of byHour) perHour.set(num(r.h), num(r.n));
  for (let i = 0; i < w.edges.length; i++) {
    const h = Math.floor(Date.parse(w.edges[i]!.from) / 3_600_000);
    for (const r of edges[4 * i]!) {
      add(r);
      perHour.set(h, (perHour.get(h) ?? 0) + num(r.n));
    }
    for (const r of edges[4 * i + 1]!) hist[readyBucket(num(r.v))]! += num(r.n);
    for (const r of edges[4 * i + 2]!) counts[String(r.status)] = (counts[String(r.status)] ?? 0) + num(r.n);
    for (const r of edges[4 * i + 3]!) lat[latencyBucket(num(r.v))]! += num(r.n);
  }
  const list = [...stores.values()].sort((a, b) => b.orders - a.orders);
  const orders = list.reduce((a, s) => a + s.orders, 0);
  return {
    range,
    from,
    to,
    totals: {
      orders,
      sales: list.reduce((a, s) => a + s.sales_minor, 0) / 100,
      cancelled: list.reduce((a, s) => a + s.cancelled, 0),
      not_found: list.reduce((a, s) => a + s.not_found, 0),
      ready_count: hist.reduce((a, n) => a + n, 0),
      ready_p50_s: histogramPercentile(hist, 50),
      ready_p90_s: histogramPercentile(hist, 90),
    },
    stores: list.map((s) => ({ ...s, sales: s.sales_minor / 100 })),
    per_hour: [...perHour.entries()].sort((a, b) => a[0] - b[0]).map(([h, n]) => ({ at: h * 3_600_000, orders: n })),
    webhooks: { deliveries: (counts.succeeded ?? 0) + (counts.dead ?? 0) + open, succeeded: counts.succeeded ?? 0, dead: counts.dead ?? 0, pending: open, attempts: lat.reduce((a, n) => a + n, 0), p99_ms: latencyPercentile(lat, 99) },
    endpoints,
  };
});

await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ ready: true, url: `http://127.0.0.1:${(app.server.address() as { port: number }).port}` })}\n`);
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
