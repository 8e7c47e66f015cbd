/**
 * Webhook dispatch benchmark (issues 3 and 13), run by `npm run bench -- --db sqlite|postgres --only webhooks`
 * (or `BENCH_DB=sqlite npx tsx bench/webhooks.bench.ts`). Every measured party is its own OS process:
 * the receiver (bench/webhook-sink.ts, answers 200 at once), the ceiling (bench/webhooks/raw-loop.ts: a
 * raw undici POST loop, same concurrency and body), the server (`comanda serve`, the built CLI) and the
 * intake load generator (bench/webhooks/intake-load.ts). One JSON line per measurement, each with the
 * load average at its start:
 *  - `raw`: the ceiling's POSTs/s (before and after each backlog: the ratio uses the mean of the two);
 *  - `backlog`: BENCH_BACKLOGS events (default 10000,100000) committed while no dispatcher runs, then
 *    `comanda serve --roles worker`; deliveries/s from the first receipt until the last delivery's
 *    state is stored (its completed_at), checked: every delivery succeeded with one attempt row;
 *  - `intake`: `comanda serve --roles api,worker`, orders placed through POST /platform/v1/orders at
 *    BENCH_RATE/s (100) for BENCH_SECONDS (5); event row written (inside the intake transaction, so
 *    commit time included) → receipt at the sink, p50/p99.
 * Knobs: BENCH_RAW_SECONDS (3), BENCH_INTAKE=0 (skip the intake measurement), WEBHOOK_CONCURRENCY (128), BENCH_CPU_PROF=dir (server under --cpu-prof).
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createContext } from '../src/bootstrap.js';
import type { AppContext } from '../src/platform/context.js';
import { createLogger } from '../src/platform/logger.js';
import { createOperatorKey } from '../src/operator/operator-keys.service.js';
import { seedChain } from '../src/test-support/fixtures.js';
import { CUSTOMER, seedCatalog } from '../src/test-support/order-fixtures.js';
import { createTestDatabase, type TestDatabase } from '../src/test-support/test-db.js';
import { createEndpoint } from '../src/webhooks/endpoints.service.js';
import { emit } from '../src/webhooks/events.js';
import { runNode, startComanda } from './lib/processes.js';
import { emitLine, loadAverage, log, round } from './lib/report.js';

const DB = (process.env.BENCH_DB ?? 'sqlite') as 'sqlite' | 'postgres';
const BACKLOGS = (process.env.BENCH_BACKLOGS ?? '10000,100000').split(',').map(Number).filter((n) => n > 0);
const RATE = Number(process.env.BENCH_RATE ?? 100);
const INTAKE_SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const RAW_SECONDS = Number(process.env.BENCH_RAW_SECONDS ?? 3);
const CONCURRENCY = Number(process.env.WEBHOOK_CONCURRENCY ?? 128);
const ORDERS = 2_000;
const CPU_PROF = process.env.BENCH_CPU_PROF;
const here = path.dirname(fileURLToPath(import.meta.url));

function orderPayload(orderId: string, n: number): Record<string, unknown> {
  // Roughly the size of a real order webhook body (~1.2 KB).
  return {
    order_id: orderId,
    external_order_id: String(100000 + n),
    order_code: `A${n % 1000}`,
    status: 'RECEIVED',
    client: { id: 'c1', chain_id: 'chain', store_id: 'store-1', vendor_id: 's8ym' },
    customer: { _id: 'cu1', first_name: 'Ana', last_name: 'Pérez', phone_number: '+5491100000000', delivery_address: { city: 'Buenos Aires', street: 'Av. Corrientes', number: '1234', latitude: -34.6, longitude: -58.4 } },
    items: Array.from({ length: 4 }, (_, i) => ({ _id: `l${i}`, sku: `SKU-${i}`, name: `Item ${i}`, status: 'NOT_PROCESSED', pricing: { pricing_type: 'UNIT', unit_price: 1000 + i, total_price: 2000 + 2 * i, quantity: 2, vat_percent: 21 } })),
    payment: { type: 'PAID', sub_total: 8012, order_total: 8512, delivery_fee: 500, service_fee: 0, discount: 0 },
  };
}

/** The receiver, a child process; reports counts and receipt times over IPC. */
class Sink {
  private constructor(private readonly child: ChildProcess, readonly port: number) {}
  static async start(): Promise<Sink> {
    const child = fork(path.join(here, 'webhook-sink.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const port = await new Promise<number>((resolve) => child.once('message', (m: { port: number }) => resolve(m.port)));
    return new Sink(child, port);
  }
  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }
  private ask<T>(cmd: string): Promise<T> {
    return new Promise((resolve) => {
      this.child.once('message', (m) => resolve(m as T));
      this.child.send({ cmd });
    });
  }
  count = async () => (await this.ask<{ count: number }>('count')).count;
  receipts = async () => (await this.ask<{ receipts: Array<[string, number]> }>('receipts')).receipts;
  reset = () => this.ask('reset');
  stop = () => this.child.send({ cmd: 'exit' });
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function rawCeiling(sink: Sink, bodyFile: string): Promise<number> {
  const load_average_at_start = loadAverage();
  const r = await runNode({ name: 'raw-loop', args: [path.join(here, 'webhooks/raw-loop.ts'), sink.url, String(RAW_SECONDS), String(CONCURRENCY), bodyFile] });
  if (r.code !== 0) throw new Error(`raw loop failed: ${r.stderr}`);
  const raw = (JSON.parse(r.stdout.trim().split('\n').pop()!) as { raw: { posts: number; seconds: number; rate: number; cpu_seconds: number } }).raw;
  await sink.reset();
  emitLine({ bench: 'webhooks', db: DB, side: 'ceiling', measure: 'raw_undici_loop', load_average_at_start, concurrency: CONCURRENCY, posts: raw.posts, seconds: round(raw.seconds), posts_per_s: Math.round(raw.rate), cpu_us_per_post: round((raw.cpu_seconds * 1e6) / raw.posts, 1) });
  return raw.rate;
}

async function freshDb(): Promise<{ tdb: TestDatabase; ctx: AppContext }> {
  const tdb = await createTestDatabase({ logLevel: 'silent', webhookAllowedHosts: ['127.0.0.1'], rateLimitMax: 0 });
  const ctx = await createContext(tdb.config, { log: createLogger({ logLevel: 'silent' }) });
  return { tdb, ctx };
}

function serverEnv(tdb: TestDatabase): Record<string, string | undefined> {
  return { COMANDA_DATA_DIR: tdb.config.dataDir, DATABASE_URL: tdb.config.databaseUrl, RATE_LIMIT_MAX: '0', WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_CONCURRENCY: String(CONCURRENCY) };
}

const nodeFlags = (name: string) => (CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(CPU_PROF)}`, `--cpu-prof-name=${name}-${DB}-${Date.now()}.cpuprofile`] : []);

async function backlog(sink: Sink, n: number, raw: number): Promise<number> {
  const { tdb, ctx } = await freshDb();
  try {
    const a = await seedChain(ctx, 'Bench hooks');
    await createEndpoint(ctx, a.chain.id, { url: sink.url, authorization: 'Basic YmVuY2g6YmVuY2g=' }, 'bench');
    const orders = Array.from({ length: ORDERS }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const t0 = Date.now();
    for (let i = 0; i < n; i += 1000) {
      await ctx.db.transaction().execute(async (trx) => {
        for (let j = i; j < Math.min(n, i + 1000); j++) await emit(ctx, trx, { chainId: a.chain.id, type: 'RECEIVED', orderKey: orders[j % ORDERS], payload: orderPayload(orders[j % ORDERS]!, j) });
      });
    }
    log(`webhooks/${DB}: ${n} events committed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    await ctx.handle.close();
    await sink.reset();
    const load_average_at_start = loadAverage();
    const server = await startComanda({ name: 'comanda-worker', roles: 'worker', env: serverEnv(tdb), nodeFlags: nodeFlags('backlog') });
    // Start-up (module loading, migrations check) is not dispatch: CPU is also reported from readiness on.
    const cpuReady = server.cpuSeconds();
    const sentReady = await sink.count();
    const deadline = Date.now() + 900_000;
    while ((await sink.count()) < n) {
      if (Date.now() > deadline) throw new Error(`backlog ${n}: only ${await sink.count()} received`);
      await new Promise((r) => setTimeout(r, 100));
    }
    // Until every delivery's new state is stored (or 60 s): SIGTERM lets the dispatcher flush the last batch.
    await new Promise((r) => setTimeout(r, 300));
    const cpu = server.cpuSeconds();
    await server.stop(60_000);
    const receipts = (await sink.receipts()).map(([, at]) => at).sort((x, y) => x - y);
    const check = await createContext(tdb.config, { log: createLogger({ logLevel: 'silent' }) });
    const row = (await check.db
      .selectFrom('webhook_deliveries')
      .select((eb) => [eb.fn.countAll().as('n'), eb.fn.max('completed_at').as('last')])
      .where('status', '=', 'succeeded')
      .executeTakeFirstOrThrow()) as { n: number | string; last: string | Date };
    const attempts = Number((await check.db.selectFrom('webhook_attempts').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    await check.handle.close();
    if (Number(row.n) !== n || attempts < n) throw new Error(`backlog ${n}: ${row.n} succeeded, ${attempts} attempts stored`);
    const seconds = (new Date(row.last).getTime() - receipts[0]!) / 1000;
    const rate = n / seconds;
    emitLine({ bench: 'webhooks', db: DB, side: 'comanda', measure: 'backlog_drain', load_average_at_start, backlog: n, seconds: round(seconds), deliveries_per_s: Math.round(rate), ratio_to_raw: round(rate / raw), duplicates: receipts.length - n, server_cpu_us_per_delivery: round((cpu * 1e6) / n, 1), server_cpu_us_per_delivery_after_ready: round(((cpu - cpuReady) * 1e6) / (n - sentReady), 1), sent_before_ready: sentReady });
    return rate;
  } finally {
    await tdb.drop().catch(() => {});
  }
}

async function intake(sink: Sink): Promise<void> {
  const { tdb, ctx } = await freshDb();
  try {
    const a = await seedChain(ctx, 'Bench intake');
    await seedCatalog(ctx, [a.direct]);
    await createEndpoint(ctx, a.chain.id, { url: sink.url, authorization: 'Basic YmVuY2g6YmVuY2g=' }, 'bench');
    const opKey = (await createOperatorKey(ctx, 'bench')).secret;
    await ctx.handle.close();
    const server = await startComanda({ name: 'comanda', roles: 'api,worker', env: serverEnv(tdb), nodeFlags: nodeFlags('intake') });
    const body = { vendor_id: a.direct.code, transport_type: 'LOGISTICS_DELIVERY', order_type: 'DELIVERY', customer: CUSTOMER, items: [{ sku: 'LECHE-1L', quantity: 2 }, { sku: 'PAN-LACTAL', quantity: 1 }, { sku: 'AGUA-500', quantity: 3 }] };
    const specFile = path.join(os.tmpdir(), `intake-${process.pid}.json`);
    // Warm-up (JIT, prepared statements, connections), not measured.
    fs.writeFileSync(specFile, JSON.stringify({ url: server.url, operatorKey: opKey, rate: RATE, seconds: 1, body }));
    await runNode({ name: 'intake-warmup', args: [path.join(here, 'webhooks/intake-load.ts'), specFile] });
    await new Promise((r) => setTimeout(r, 500));
    await sink.receipts();
    const load_average_at_start = loadAverage();
    const cpu0 = server.cpuSeconds();
    const since = new Date().toISOString();
    fs.writeFileSync(specFile, JSON.stringify({ url: server.url, operatorKey: opKey, rate: RATE, seconds: INTAKE_SECONDS, body }));
    const r = await runNode({ name: 'intake-load', args: [path.join(here, 'webhooks/intake-load.ts'), specFile] });
    if (r.code !== 0) throw new Error(`intake load failed: ${r.stderr}`);
    const load = (JSON.parse(r.stdout.trim().split('\n').pop()!) as { load: Record<string, unknown> & { orders: number } }).load;
    const deadline = Date.now() + 30_000;
    while ((await sink.count()) < load.orders && Date.now() < deadline) await new Promise((res) => setTimeout(res, 100));
    const cpu = server.cpuSeconds() - cpu0;
    await server.stop(30_000);
    fs.rmSync(specFile, { force: true });
    const receipts = new Map((await sink.receipts()).map(([id, at]) => [id, at]));
    const check = await createContext(tdb.config, { log: createLogger({ logLevel: 'silent' }) });
    const events = await check.db.selectFrom('webhook_events').select(['id', 'created_at']).where('created_at', '>=', since).execute();
    await check.handle.close();
    const lat = events.filter((e) => receipts.has(e.id)).map((e) => receipts.get(e.id)! - new Date(e.created_at).getTime()).sort((x, y) => x - y);
    emitLine({ bench: 'webhooks', db: DB, side: 'comanda', measure: 'intake_commit_to_receipt', load_average_at_start, rate: RATE, seconds: INTAKE_SECONDS, load, events: events.length, received: lat.length, p50_ms: round(pct(lat, 50), 1), p99_ms: round(pct(lat, 99), 1), max_ms: round(lat[lat.length - 1] ?? NaN, 1), server_cpu_ms_per_order: round((cpu * 1000) / load.orders, 2) });
  } finally {
    await tdb.drop().catch(() => {});
  }
}

log(`webhooks/${DB}: backlogs ${BACKLOGS.join(', ')}, concurrency ${CONCURRENCY}, intake ${RATE}/s for ${INTAKE_SECONDS} s`);
const sink = await Sink.start();
const bodyFile = path.join(os.tmpdir(), `webhook-body-${process.pid}.json`);
fs.writeFileSync(bodyFile, JSON.stringify({ ...orderPayload('00000000-0000-4000-8000-000000000000', 0), sys: { event_id: 'x', sequence: 1 } }));
try {
  const rates: Array<{ backlog: number; rate: number; raw: number }> = [];
  let raw = await rawCeiling(sink, bodyFile);
  for (const n of BACKLOGS) {
    const rate = await backlog(sink, n, raw);
    const after = await rawCeiling(sink, bodyFile);
    rates.push({ backlog: n, rate, raw: (raw + after) / 2 });
    raw = after;
  }
  if (process.env.BENCH_INTAKE !== '0') await intake(sink);
  const first = rates[0];
  emitLine({
    bench: 'webhooks',
    db: DB,
    measure: 'summary',
    ratios_to_raw: rates.map((x) => ({ backlog: x.backlog, deliveries_per_s: Math.round(x.rate), raw_posts_per_s: Math.round(x.raw), ratio: round(x.rate / x.raw) })),
    largest_backlog_rate_vs_first: first ? rates.map((x) => round(x.rate / first.rate - 1)) : [],
  });
} finally {
  sink.stop();
  fs.rmSync(bodyFile, { force: true });
}
