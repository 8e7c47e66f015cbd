/**
 * Vendor orders list: N orders of one store spread over 400 days (≈15 % in the latest 60), the first
 * page (page_size 20, with total_count) of a 60-day window, at 1 and 10 connections. The server
 * (`comanda serve --roles api`) and the load generator are separate processes; no ceiling.
 */
import { createContext } from '../../src/bootstrap.js';
import type { AppContext } from '../../src/platform/context.js';
import { toJson } from '../../src/db/rows.js';
import { createLogger } from '../../src/platform/logger.js';
import { placeOrder } from '../../src/orders/intake.service.js';
import { rebuildOrderStats } from '../../src/orders/order-stats.repository.js';
import type { Order } from '../../src/orders/orders.model.js';
import { uuid } from '../../src/platform/secrets.js';
import { seedChain } from '../../src/test-support/fixtures.js';
import { CUSTOMER, seedCatalog } from '../../src/test-support/order-fixtures.js';
import { createTestDatabase } from '../../src/test-support/test-db.js';
import { createVendor } from '../../src/vendors/vendors.service.js';
import { measure } from '../lib/measure.js';
import { startComanda } from '../lib/processes.js';
import { log } from '../lib/report.js';
import { comandaEnv } from './seed.js';

export interface ListBenchOptions {
  db: string;
  seconds: number;
  warmupSeconds: number;
  orders: number;
  rounds: number;
  serverFlags: string[];
}

export async function benchList(o: ListBenchOptions): Promise<void> {
  const tdb = await createTestDatabase({ logLevel: 'silent', rateLimitMax: 0 });
  const ctx = await createContext(tdb.config, { log: createLogger({ logLevel: 'silent' }) });
  const a = await seedChain(ctx, 'Bench list');
  await seedCatalog(ctx, [a.direct]);
  const { order: template } = await placeOrder(ctx, { vendor_id: a.direct.code, transport_type: 'LOGISTICS_DELIVERY', order_type: 'DELIVERY', customer: CUSTOMER, items: [{ sku: 'LECHE-1L', quantity: 2 }] }, { actor: 'bench' });
  const snap = (await ctx.db.selectFrom('orders').select('snapshot').where('id', '=', template.id).executeTakeFirstOrThrow()).snapshot;
  const big = await createVendor(ctx, a.chain.id, { name: 'Bench big store', integration_type: 'DIRECT_POS' }, 'bench');
  const t0 = Date.now();
  await bulkOrders(ctx, big.id, a.chain.id, o.orders, template, snap);
  await rebuildOrderStats(ctx.db, ctx.dialect, big.id);
  if (ctx.dialect === 'postgres') await ctx.db.executeQuery({ sql: 'analyze orders', parameters: [], query: { kind: 'RawNode' } } as never);
  await ctx.handle.close();
  log(`list: inserted ${o.orders.toLocaleString('en')} orders in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const server = await startComanda({ roles: 'api', env: comandaEnv(tdb.config), nodeFlags: o.serverFlags });
  try {
    const now = Date.now();
    const qs = `start_time=${new Date(now - 60 * 86_400_000).toISOString()}&end_time=${new Date(now).toISOString()}`;
    const path = `/v2/chains/${a.chain.id}/vendors/${big.code}/orders?${qs}`;
    const check = (await (await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${a.token}` } })).json()) as { orders: unknown[]; pagination: { total_count: number } };
    const extra = { orders: o.orders, window_total_count: check.pagination.total_count, first_page_items: check.orders.length };
    for (const connections of [1, 10]) {
      const side = { side: 'comanda', server, load: () => ({ url: server.url, connections, seconds: o.seconds, method: 'GET' as const, path, headers: { authorization: `Bearer ${a.token}` } }) };
      await measure(`list-c${connections}`, o.db, { ...side, load: () => ({ ...side.load(), seconds: o.warmupSeconds }) }, 0, 0);
      for (let r = 1; r <= o.rounds; r++) await measure(`list-c${connections}`, o.db, side, r, 0, extra);
    }
  } finally {
    await server.stop();
    await tdb.drop();
  }
}

/** Compact orders spread evenly over the last 400 days, multi-row inserts in big transactions. */
async function bulkOrders(ctx: AppContext, vendorId: string, chainId: string, n: number, template: Order, snap: string): Promise<void> {
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
