/**
 * Webhook delivery benchmark (issue 3). Run: `npx tsx bench/webhooks.bench.ts` (BENCH_DB=sqlite|postgres|both,
 * default both). Measures, against a receiver in a child process that answers 200 at once:
 *  1. a raw undici POST loop (keep-alive, same concurrency) — the baseline;
 *  2. dispatcher throughput: N events already committed → every attempt delivered and stored;
 *  3. commit → receipt latency at 100 events/s (p50/p99).
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent } from 'undici';
import { createContext } from '../src/bootstrap.js';
import { createChain } from '../src/chains/chains.service.js';
import type { AppContext } from '../src/context.js';
import { createLogger } from '../src/ops/logger.js';
import { createTestDatabase } from '../src/test-support/test-db.js';
import { WebhookDispatcher } from '../src/webhooks/dispatcher.js';
import { drainWebhooks } from '../src/webhooks/drain.js';
import { createEndpoint } from '../src/webhooks/endpoints.service.js';
import { emit } from '../src/webhooks/events.js';

const N = Number(process.env.BENCH_N ?? 20_000);
const ORDERS = Number(process.env.BENCH_ORDERS ?? 2_000);
const RATE = 100;
const LATENCY_EVENTS = Number(process.env.BENCH_LATENCY_EVENTS ?? 1_000);
const CONCURRENCY = Number(process.env.WEBHOOK_CONCURRENCY ?? 128);
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

class Sink {
  private constructor(private readonly child: ChildProcess, readonly port: number) {}
  static async start(): Promise<Sink> {
    const child = fork(path.join(here, 'webhook-sink.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const port = await new Promise<number>((resolve) => child.once('message', (m: { port: number }) => resolve(m.port)));
    return new Sink(child, port);
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

async function rawLoop(url: string, body: string): Promise<number> {
  const agent = new Agent({ connections: 256, keepAliveTimeout: 30_000 });
  const u = new URL(url);
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < N) {
        next++;
        const res = await agent.request({ origin: u.origin, path: u.pathname, method: 'POST', headers: { 'content-type': 'application/json' }, body });
        await res.body.dump();
      }
    }),
  );
  const rate = N / ((performance.now() - t0) / 1000);
  await agent.close();
  return rate;
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function runFor(dialect: 'sqlite' | 'postgres'): Promise<Record<string, number | string>> {
  process.env.COMANDA_TEST_DB = dialect;
  const db = await createTestDatabase({ webhookAllowedHosts: ['127.0.0.1'], webhookConcurrency: CONCURRENCY, logLevel: 'silent' });
  const ctx: AppContext = await createContext(db.config, { log: createLogger({ logLevel: 'silent' }) });
  const sink = await Sink.start();
  const url = `http://127.0.0.1:${sink.port}/hook`;
  try {
    const chain = await createChain(ctx, { name: 'Bench', country_code: 'AR', currency: 'ARS' }, 'bench');
    await createEndpoint(ctx, chain.id, { url, authorization: 'Basic YmVuY2g6YmVuY2g=' }, 'bench');
    const orders = Array.from({ length: ORDERS }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const sampleBody = JSON.stringify({ ...orderPayload(orders[0]!, 0), sys: { event_id: 'x', sequence: 1 } });

    // 1. Baseline.
    const raw = await rawLoop(url, sampleBody);
    await sink.reset();

    // 2. Throughput: commit N events (dispatcher stopped), then deliver them all.
    for (let i = 0; i < N; i += 500) {
      await ctx.db.transaction().execute(async (trx) => {
        for (let j = i; j < Math.min(N, i + 500); j++) await emit(ctx, trx, { chainId: chain.id, type: 'RECEIVED', orderKey: orders[j % ORDERS], payload: orderPayload(orders[j % ORDERS]!, j) });
      });
    }
    const dispatcher = new WebhookDispatcher(ctx);
    const t0 = performance.now();
    await dispatcher.start();
    await drainWebhooks(ctx, { chainId: chain.id, timeoutMs: 600_000 });
    const seconds = (performance.now() - t0) / 1000;
    const delivered = await sink.count();
    const attempts = Number((await ctx.db.selectFrom('webhook_attempts').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    if (delivered < N || attempts < N) throw new Error(`delivered ${delivered}, attempts stored ${attempts}, expected ${N}`);
    const throughput = N / seconds;
    await sink.reset();

    // 3. Latency at RATE events/s, each event its own transaction; commit time taken when the transaction resolved.
    const commits = new Map<string, number>();
    const start = performance.now();
    for (let i = 0; i < LATENCY_EVENTS; i++) {
      const due = start + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const order = orders[i % 100]!;
      const e = await ctx.db.transaction().execute((trx) => emit(ctx, trx, { chainId: chain.id, type: 'DISPATCHED', orderKey: order, payload: orderPayload(order, i) }));
      commits.set(e.eventId, performance.timeOrigin + performance.now());
    }
    await drainWebhooks(ctx, { chainId: chain.id, timeoutMs: 60_000 });
    const receipts = await sink.receipts();
    const lat = receipts.filter(([id]) => commits.has(id)).map(([id, at]) => at - commits.get(id)!).sort((a, b) => a - b);
    await dispatcher.stop();
    return {
      db: dialect,
      raw_posts_per_s: Math.round(raw),
      deliveries_per_s: Math.round(throughput),
      ratio_to_raw: Number((throughput / raw).toFixed(2)),
      latency_events: lat.length,
      commit_to_receipt_p50_ms: Number(pct(lat, 50).toFixed(2)),
      commit_to_receipt_p99_ms: Number(pct(lat, 99).toFixed(2)),
    };
  } finally {
    sink.stop();
    await ctx.handle.close();
    await db.drop();
  }
}

const which = process.env.BENCH_DB ?? 'both';
const dialects: Array<'sqlite' | 'postgres'> = which === 'both' ? ['sqlite', 'postgres'] : [which as 'sqlite' | 'postgres'];
console.log(`webhooks bench: N=${N} events over ${ORDERS} orders, concurrency ${CONCURRENCY}, latency ${LATENCY_EVENTS} events at ${RATE}/s`);
for (const d of dialects) console.log(JSON.stringify(await runFor(d)));
