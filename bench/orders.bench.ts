/**
 * Orders benchmarks (issue 5), each beside a bare Fastify hello-world measured in the same run:
 *   GET order throughput and p99 at 50 connections; PUT fulfilment (totals + outbox row) throughput and p99;
 *   vendor orders list, 60-day window over 1,000,000 stored orders, first page p99.
 * Run: npx tsx bench/orders.bench.ts            (SQLite)
 *      BENCH_DB=postgres npx tsx bench/orders.bench.ts   (Postgres at TEST_PG_ADMIN_URL, a fresh database)
 * Knobs: BENCH_SECONDS (default 10), BENCH_LIST_ORDERS (default 1000000), BENCH_CONNECTIONS (default 50),
 *        BENCH_ONLY=list (skip the PUT part).
 */
import os from 'node:os';
import Fastify from 'fastify';
import { createContext } from '../src/bootstrap.js';
import { toJson } from '../src/db/rows.js';
import { createLogger } from '../src/ops/logger.js';
import { placeOrder } from '../src/orders/intake.service.js';
import { rebuildDayCounts } from '../src/orders/order-counts.repository.js';
import { insertOrder } from '../src/orders/orders.repository.js';
import { orderTotals } from '../src/orders/order-view.js';
import { startServer } from '../src/server.js';
import { uuid } from '../src/shared/secrets.js';
import { operatorKey, seedChain } from '../src/test-support/fixtures.js';
import { CUSTOMER, seedCatalog } from '../src/test-support/order-fixtures.js';
import { createTestDatabase } from '../src/test-support/test-db.js';
import { createVendor } from '../src/vendors/vendors.service.js';
import { benchWebhookEndpoint } from './orders.bench-support.js';
import { fmt, load } from './load.js';

process.env.COMANDA_TEST_DB = process.env.BENCH_DB === 'postgres' ? 'postgres' : 'sqlite';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const LIST_ORDERS = Number(process.env.BENCH_LIST_ORDERS ?? 1_000_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);

async function main() {
  const hello = Fastify();
  hello.get('/hello', async () => ({ hello: 'world' }));
  await hello.listen({ port: 0, host: '127.0.0.1' });
  const helloUrl = `http://127.0.0.1:${(hello.server.address() as { port: number }).port}`;

  const tdb = await createTestDatabase({ port: 0, logLevel: 'silent', webhookAllowedHosts: ['127.0.0.1'], rateLimitMax: 0 });
  const ctx = await createContext(tdb.config, { log: createLogger({ logLevel: 'silent' }) });
  const server = await startServer(ctx, ['api']);
  const a = await seedChain(ctx, 'Bench');
  await operatorKey(ctx);
  await seedCatalog(ctx, [a.direct]);
  await benchWebhookEndpoint(ctx, a.chain.id);
  const auth = { authorization: `Bearer ${a.token}` };
  const dialect = ctx.dialect;
  const results: Record<string, unknown> = { dialect, machine: `${os.cpus().length} × ${os.cpus()[0]?.model}, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}` };
  console.error(`bench on ${dialect}; ${results.machine}`);

  // Orders to read and to fulfil: one real intake, then clones with fresh ids (fast, same shape).
  const { order: template } = await placeOrder(
    ctx,
    { vendor_id: a.direct.code, transport_type: 'LOGISTICS_DELIVERY', order_type: 'DELIVERY', customer: CUSTOMER, items: [{ sku: 'LECHE-1L', quantity: 2 }, { sku: 'PAN-LACTAL', quantity: 1 }, { sku: 'QUESO-TYBO', weight: 0.8 }, { sku: 'AGUA-500', quantity: 3 }] },
    { actor: 'bench' },
  );
  const totals = orderTotals(template);
  const snap = (await ctx.db.selectFrom('orders').select('snapshot').where('id', '=', template.id).executeTakeFirstOrThrow()).snapshot;
  const cloneIds: string[] = [];
  const clones = Math.max(40_000, Math.ceil(SECONDS * 6000));
  for (let done = 0; done < clones; ) {
    await ctx.db.transaction().execute(async (trx) => {
      for (let k = 0; k < 2000 && done < clones; k++, done++) {
        const id = uuid();
        cloneIds.push(id);
        await insertOrder(trx, { ...template, id, external_order_id: `B${String(done).padStart(17, '0')}` }, totals, snap.replaceAll(template.id, id));
      }
    });
  }

  const run = async (label: string, origin: string, o: Parameters<typeof load>[1]) => {
    await load(origin, { ...o, seconds: Math.min(2, SECONDS / 4) }); // warm-up
    const r = await load(origin, o);
    console.error(`${label}: ${fmt(r)}`);
    return r;
  };

  const only = process.env.BENCH_ONLY;
  // GET order vs hello-world.
  const helloGet = await run('hello-world', helloUrl, { connections: CONNECTIONS, seconds: SECONDS, next: () => ({ method: 'GET', path: '/hello' }) });
  const getOrder = await run('GET order', server.url, {
    connections: CONNECTIONS,
    seconds: SECONDS,
    next: (i) => ({ method: 'GET', path: `/v2/chains/${a.chain.id}/orders/${cloneIds[(i * 7919) % 5000]}`, headers: auth }),
  });
  results.get = { hello_rps: helloGet.rps, order_rps: getOrder.rps, ratio: getOrder.rps / helloGet.rps, p99_ms: getOrder.p99, errors: getOrder.errors };

  if (only !== 'list') {
  // PUT fulfilment: each request fulfils a different RECEIVED order (one line edited), totals recomputed, outbox row.
  const lineId = template.lines[0]!.id;
  let next = 5000;
  const putOrder = await load(server.url, {
    connections: CONNECTIONS,
    seconds: SECONDS,
    next: () => {
      const id = cloneIds[next++];
      if (!id) return undefined;
      return {
        method: 'PUT',
        path: `/v2/chains/${a.chain.id}/orders/${id}`,
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ order_id: id, status: 'READY_FOR_PICKUP', items: [{ _id: lineId, status: 'IN_CART', pricing: { quantity: 1 } }] }),
      };
    },
  });
  console.error(`PUT order: ${fmt(putOrder)}`);
  const outbox = await countOutbox(ctx);
  results.put = { rps: putOrder.rps, p99_ms: putOrder.p99, errors: putOrder.errors, hello_rps: helloGet.rps, ratio: putOrder.rps / helloGet.rps, outbox_rows: outbox };
  }

  // List: LIST_ORDERS orders of one vendor over 400 days; first page of the latest 60 days.
  const big = await createVendor(ctx, a.chain.id, { name: 'Bench big store', integration_type: 'DIRECT_POS' }, 'bench');
  const t0 = Date.now();
  await bulkOrders(ctx, big.id, a.chain.id, LIST_ORDERS, template, snap);
  await rebuildDayCounts(ctx.db, ctx.dialect, big.id);
  console.error(`inserted ${LIST_ORDERS} orders in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  if (dialect === 'postgres') await ctx.db.executeQuery({ sql: 'analyze orders', parameters: [], query: { kind: 'RawNode' } } as never).catch(() => undefined);
  const now = Date.now();
  const qs = `start_time=${new Date(now - 60 * 86_400_000).toISOString()}&end_time=${new Date(now).toISOString()}`;
  const listReq = () => ({ method: 'GET' as const, path: `/v2/chains/${a.chain.id}/vendors/${big.code}/orders?${qs}`, headers: auth });
  const firstPage = await run('list first page (1 connection)', server.url, { connections: 1, seconds: SECONDS, next: listReq });
  const firstPage10 = await run('list first page (10 connections)', server.url, { connections: 10, seconds: SECONDS, next: listReq });
  const check = await server.app.inject({ method: 'GET', url: `/v2/chains/${a.chain.id}/vendors/${big.code}/orders?${qs}`, headers: auth });
  results.list = { orders: LIST_ORDERS, window_total_count: check.json().pagination.total_count, first_page_items: check.json().orders.length, rps_1: firstPage.rps, p50_ms: firstPage.p50, p99_ms: firstPage.p99, rps_10: firstPage10.rps, p99_ms_10: firstPage10.p99, errors: firstPage.errors + firstPage10.errors };

  console.log(JSON.stringify(results, null, 2));
  await server.stop();
  await hello.close();
  await tdb.drop();
}

async function countOutbox(ctx: Awaited<ReturnType<typeof createContext>>): Promise<number | null> {
  try {
    const r = await (ctx.db as any).selectFrom('webhook_deliveries').select((eb: any) => eb.fn.countAll().as('n')).executeTakeFirst();
    return Number(r.n);
  } catch {
    return null;
  }
}

/** LIST_ORDERS compact orders spread evenly over the last 400 days, multi-row inserts in big transactions. */
async function bulkOrders(ctx: Awaited<ReturnType<typeof createContext>>, vendorId: string, chainId: string, n: number, template: Parameters<typeof orderTotals>[0], snap: string) {
  const span = 400 * 86_400_000;
  const end = Date.now() - 60_000;
  const lines = toJson(template.lines.slice(0, 1));
  const customer = toJson(template.customer);
  const fees = toJson(template.fees);
  const batch = ctx.dialect === 'postgres' ? 1000 : 500;
  for (let done = 0; done < n; ) {
    await ctx.db.transaction().execute(async (trx) => {
      for (let k = 0; k < 100 && done < n; k++) {
        const rows = [];
        for (let j = 0; j < batch && done < n; j++, done++) {
          const created = new Date(end - Math.floor((done / n) * span)).toISOString();
          const id = uuid();
          rows.push({
            id, chain_id: chainId, vendor_id: vendorId, external_order_id: `L${String(done).padStart(17, '0')}`, order_code: 'BE-001', status: done % 10 === 0 ? 'CANCELLED' : 'DELIVERED',
            transport_type: 'LOGISTICS_DELIVERY', order_type: 'DELIVERY', is_preorder: false, is_test: false, comment: '', promised_for: created, accepted_for: null,
            currency: 'ARS', payment_type: 'PAID', customer, lines, fees, cancellation: null, sub_total: 250100, order_total: 250100,
            created_at: created, updated_at: created, created_by: 'bench', updated_by: 'bench', version: 1, event_sequence: 0, last_event_id: null, webhook_status: 'SENT', snapshot: snap.replaceAll(template.id, id),
          });
        }
        await trx.insertInto('orders').values(rows).execute();
      }
    });
  }
}

await main();
