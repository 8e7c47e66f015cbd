/**
 * Portal dashboard at N orders (default 1,000,000; bench/dashboard/seed.ts): first the query timings in
 * process (every figure of src/orders/dashboard.service.ts, chain and one store, today / 7 / 30 days, median
 * and max of 5 runs after a warm-up, with the plans), then `comanda serve --roles portal` (a logged-in staff
 * session) against bench/dashboard/ceiling.ts (the same database work through the raw driver, bare Fastify),
 * each in its own process, the load generator in a third: GET …/dashboard per scope and range, A B A B.
 * Both servers read the same database file / database (the bench writes nothing while they run).
 */
import path from 'node:path';
import { sql, type RawBuilder } from 'kysely';
import { secondsBetween } from '../../src/db/migrations/0016_order_stats.js';
import { splitWindow } from '../../src/platform/time-buckets.js';
import { endpointAlerts } from '../../src/webhooks/index.js';
import { dashboard, DASHBOARD_RANGES, orderFigures, rangeWindow, webhookHealth, type DashboardScope } from '../../src/orders/dashboard.service.js';
import { abab, type Side } from '../lib/measure.js';
import { spawnNode, startComanda, waitReady } from '../lib/processes.js';
import { emitLine, loadAverage, log } from '../lib/report.js';
import { comandaEnv } from '../orders/seed.js';
import { seedDashboardDb, STAFF } from './seed.js';

export interface DashboardBenchOptions {
  db: string;
  orders: number;
  deliveries: number;
  stores: number;
  seconds: number;
  warmupSeconds: number;
  connections: number;
  rounds: number;
  serverFlags: string[];
}

const RUNS = 5;

export async function benchDashboard(o: DashboardBenchOptions): Promise<void> {
  const seeded = await seedDashboardDb(o.orders, o.deliveries, o.stores);
  const { ctx, chainId, vendors } = seeded;
  const store = vendors[3 % vendors.length]!;
  try {
    // 1. Query timings in process.
    const q = { db: ctx.db, dialect: ctx.dialect };
    const ids = vendors.map((v) => v.id);
    const time = async (fn: () => Promise<unknown>) => {
      await fn();
      const ms: number[] = [];
      for (let r = 0; r < RUNS; r++) {
        const s = process.hrtime.bigint();
        await fn();
        ms.push(Number(process.hrtime.bigint() - s) / 1e6);
      }
      ms.sort((a, b) => a - b);
      return { median_ms: Math.round(ms[Math.floor(RUNS / 2)]! * 10) / 10, max_ms: Math.round(ms[RUNS - 1]! * 10) / 10 };
    };
    const tz = vendors[0]!.time_zone;
    for (const range of DASHBOARD_RANGES) {
      const w = rangeWindow(range, new Date(), tz);
      for (const scope of ['chain', 'store'] as const) {
        const s: DashboardScope = { chainId, vendorId: scope === 'store' ? store.id : undefined, ...w };
        const f = await orderFigures(q, s, ids);
        emitLine({
          bench: 'dashboard-queries',
          db: o.db,
          orders: o.orders,
          range,
          scope,
          orders_in_window: f.stores.reduce((a, x) => a + x.orders, 0),
          edges: splitWindow(w.from, w.to).edges.length,
          load_average_at_start: loadAverage(),
          order_figures: await time(() => orderFigures(q, s, ids)),
          webhook_health: await time(() => webhookHealth(q, chainId, w.from, w.to)),
          endpoint_alerts: await time(() => endpointAlerts(q, chainId)),
          whole_dashboard: await time(() => dashboard(ctx, chainId, range, s.vendorId)),
        });
      }
    }
    // Plans, chain over 30 days.
    const w = rangeWindow('30d', new Date(), tz);
    const sw = splitWindow(w.from, w.to);
    const pg = ctx.dialect === 'postgres';
    const inIds = sql`vendor_id in (${sql.join(ids)})`;
    const plans: Record<string, string[]> = {};
    const explain = async (name: string, text: RawBuilder<unknown>) => {
      const r = await (pg ? sql`explain ${text}` : sql`explain query plan ${text}`).execute(ctx.db);
      plans[name] = r.rows.map((x) => String((x as Record<string, unknown>)['QUERY PLAN'] ?? (x as Record<string, unknown>).detail)).slice(0, 4);
    };
    await explain('rollup_by_store', sql`select vendor_id, sum(n), sum(ready_20) from order_stats where ${inIds} and ${sql.ref('hour')} >= ${sw.fromHour} and ${sql.ref('hour')} < ${sw.toHour} group by vendor_id`);
    await explain('rollup_by_hour', sql`select ${sql.ref('hour')}, sum(n) from order_stats where ${inIds} and ${sql.ref('hour')} >= ${sw.fromHour} and ${sql.ref('hour')} < ${sw.toHour} group by ${sql.ref('hour')}`);
    const e = sw.edges[0] ?? { from: w.from, to: w.from };
    await explain('edge_counts', sql`select vendor_id, count(*) from orders ${pg ? sql`` : sql`indexed by orders_chain_created_idx`} where chain_id = ${chainId} and created_at >= ${e.from} and created_at < ${e.to} group by vendor_id`);
    await explain('edge_ready', sql`select ${secondsBetween(ctx.dialect, sql`o.created_at`, sql`e.created_at`)}, count(*) from orders o ${pg ? sql`join` : sql`indexed by orders_chain_created_idx cross join`} order_events e on e.order_id = o.id and e.type = 'READY_FOR_PICKUP' where o.chain_id = ${chainId} and o.created_at >= ${e.from} and o.created_at < ${e.to} group by 1`);
    // Webhook health (webhooks/webhook-stats.repository.ts): rollup range, live open count, the edges.
    await explain('webhook_rollup', sql`select sum(succeeded), sum(dead), sum(lat_30) from webhook_stats where chain_id = ${chainId} and ${sql.ref('hour')} >= ${sw.fromHour} and ${sql.ref('hour')} < ${sw.toHour}`);
    await explain('webhook_open', sql`select count(*) from webhook_deliveries ${pg ? sql`` : sql`indexed by webhook_deliveries_claim_idx`} where (status = 'pending' or status = 'in_flight') and chain_id = ${chainId} and created_at >= ${w.from} and created_at < ${w.to}`);
    await explain('webhook_edge_deliveries', sql`select status, count(*) from webhook_deliveries where chain_id = ${chainId} and created_at >= ${e.from} and created_at < ${e.to} and status in ('succeeded', 'dead') group by status`);
    await explain('webhook_edge_attempts', sql`select duration_ms, count(*) from webhook_attempts where chain_id = ${chainId} and started_at >= ${e.from} and started_at < ${e.to} group by duration_ms`);
    emitLine({ bench: 'dashboard-plans', db: o.db, plans });
  } finally {
    await ctx.handle.close();
  }

  // 2. The route against its ceiling, each server in its own process.
  const comanda = await startComanda({ roles: 'portal', env: comandaEnv(seeded.config), nodeFlags: o.serverFlags });
  const target = seeded.config.databaseUrl ?? seeded.config.sqlitePath;
  const ceilingProc = spawnNode({ name: 'ceiling', args: [path.join(path.dirname(new URL(import.meta.url).pathname), 'ceiling.ts'), target] });
  try {
    const ceilingUrl = await waitReady(ceilingProc);
    const login = await fetch(`${comanda.url}/portal/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(STAFF) });
    if (login.status !== 200) throw new Error(`portal login failed: ${login.status} ${await login.text()}`);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    for (const range of DASHBOARD_RANGES) {
      for (const scope of ['chain', 'store'] as const) {
        const qs = `range=${range}${scope === 'store' ? `&vendor_id=${store.id}` : ''}`;
        const check = (await (await fetch(`${comanda.url}/portal/api/chains/${chainId}/dashboard?${qs}`, { headers: { cookie } })).json()) as { totals: { orders: number } };
        const ceilingCheck = (await (await fetch(`${ceilingUrl}/chains/${chainId}/dashboard?${qs}`)).json()) as { totals: { orders: number } };
        log(`dashboard ${scope} ${range}: comanda ${check.totals.orders} orders, ceiling ${ceilingCheck.totals.orders}`);
        const side = (name: string, server: Side['server'], url: string, p: string, headers: Record<string, string>): Side => ({
          side: name,
          server,
          load: () => ({ url, connections: o.connections, seconds: o.seconds, method: 'GET', path: p, headers }),
        });
        await abab({
          bench: `dashboard-${scope}-${range}`,
          db: o.db,
          a: side('ceiling', ceilingProc, ceilingUrl, `/chains/${chainId}/dashboard?${qs}`, {}),
          b: side('comanda', comanda, comanda.url, `/portal/api/chains/${chainId}/dashboard?${qs}`, { cookie }),
          rounds: o.rounds,
          warmupSeconds: o.warmupSeconds,
        });
      }
    }
  } finally {
    await comanda.stop();
    await ceilingProc.stop();
    await seeded.tdb.drop();
  }
}
