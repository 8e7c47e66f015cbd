/**
 * The orders benches' database: one chain (DIRECT_POS store, catalog, token, an enabled webhook
 * endpoint so every change writes its outbox rows), one real intake order and N−1 clones of it with
 * fresh ids (each with the webhook sequence row its RECEIVED event would have left), and an identical
 * copy of the whole database for the ceiling server.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { createContext } from '../../src/bootstrap.js';
import type { Config } from '../../src/config.js';
import { createLogger } from '../../src/platform/logger.js';
import { placeOrder } from '../../src/orders/intake.service.js';
import { rebuildOrderStats } from '../../src/orders/order-stats.repository.js';
import { uuid } from '../../src/platform/secrets.js';
import { seedChain } from '../../src/test-support/fixtures.js';
import { CUSTOMER, seedCatalog } from '../../src/test-support/order-fixtures.js';
import { createTestDatabase, TEST_PG_ADMIN_URL, type TestDatabase } from '../../src/test-support/test-db.js';
import { log } from '../lib/report.js';
import { benchWebhookEndpoint } from './webhook-endpoint.js';

export interface OrdersDb {
  config: Config;
  /** The ceiling's own copy of the same data: a SQLite file path or a Postgres URL. */
  ceilingDb: string;
  chainId: string;
  vendorCode: string;
  token: string;
  /** Every order id, all RECEIVED. */
  ids: string[];
  /** The first line's id (the same in every clone). */
  lineId: string;
  drop(): Promise<void>;
}

export async function seedOrdersDb(orders: number): Promise<OrdersDb> {
  const tdb: TestDatabase = await createTestDatabase({ logLevel: 'silent', webhookAllowedHosts: ['127.0.0.1'], rateLimitMax: 0 });
  const ctx = await createContext(tdb.config, { log: createLogger({ logLevel: 'silent' }) });
  const t0 = Date.now();
  const a = await seedChain(ctx, 'Bench');
  await seedCatalog(ctx, [a.direct]);
  await benchWebhookEndpoint(ctx, a.chain.id);
  const { order: template } = await placeOrder(
    ctx,
    { vendor_id: a.direct.code, transport_type: 'LOGISTICS_DELIVERY', order_type: 'DELIVERY', customer: CUSTOMER, items: [{ sku: 'LECHE-1L', quantity: 2 }, { sku: 'PAN-LACTAL', quantity: 1 }, { sku: 'QUESO-TYBO', weight: 0.8 }, { sku: 'AGUA-500', quantity: 3 }] },
    { actor: 'bench' },
  );
  // Clones of the template's stored row, multi-row inserts (fast on both databases).
  const stored = (await ctx.db.selectFrom('orders').selectAll().where('id', '=', template.id).executeTakeFirstOrThrow()) as Record<string, unknown>;
  for (const c of ['customer', 'lines', 'fees', 'cancellation']) if (stored[c] !== null && typeof stored[c] !== 'string') stored[c] = JSON.stringify(stored[c]);
  const snap = stored.snapshot as string;
  // Every real order has its webhook sequence row from the RECEIVED event of its intake: the clones too.
  const sequence = await ctx.db.selectFrom('webhook_sequences').select('last_sequence').where('order_key', '=', template.id).executeTakeFirstOrThrow();
  const ids: string[] = [template.id];
  const perStatement = 200;
  while (ids.length < orders) {
    await ctx.db.transaction().execute(async (trx) => {
      for (let k = 0; k < 10 && ids.length < orders; k++) {
        const rows = [];
        for (let j = 0; j < perStatement && ids.length < orders; j++) {
          const id = uuid();
          rows.push({ ...stored, id, external_order_id: `B${String(ids.length).padStart(17, '0')}`, snapshot: snap.replaceAll(template.id, id) });
          ids.push(id);
        }
        await trx.insertInto('orders').values(rows as never).execute();
        await trx.insertInto('webhook_sequences').values(rows.map((r) => ({ chain_id: a.chain.id, order_key: r.id, last_sequence: sequence.last_sequence }))).execute();
      }
    });
  }
  await rebuildOrderStats(ctx.db, ctx.dialect, template.vendor_id);
  if (ctx.dialect === 'postgres') await ctx.db.executeQuery({ sql: 'analyze', parameters: [], query: { kind: 'RawNode' } } as never);
  await ctx.handle.close();
  log(`seeded ${orders.toLocaleString('en')} orders on ${ctx.dialect} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  let ceilingDb: string;
  let dropCeiling: () => Promise<void>;
  if (tdb.config.databaseUrl) {
    const source = new URL(tdb.config.databaseUrl).pathname.slice(1);
    const name = `${source}_ceiling`;
    const admin = new pg.Client({ connectionString: TEST_PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`create database ${name} template ${source}`);
    await admin.end();
    const url = new URL(TEST_PG_ADMIN_URL);
    url.pathname = `/${name}`;
    ceilingDb = url.toString();
    dropCeiling = async () => {
      const c = new pg.Client({ connectionString: TEST_PG_ADMIN_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  } else {
    // Closed cleanly above, so the WAL is checkpointed into the main file.
    ceilingDb = path.join(tdb.dataDir, 'ceiling.sqlite');
    fs.copyFileSync(tdb.config.sqlitePath, ceilingDb);
    dropCeiling = async () => {};
  }
  return {
    config: tdb.config,
    ceilingDb,
    chainId: a.chain.id,
    vendorCode: a.direct.code,
    token: a.token,
    ids,
    lineId: template.lines[0]!.id,
    drop: async () => {
      await dropCeiling();
      await tdb.drop();
    },
  };
}

/** Environment for a `comanda serve` child on this database. */
export function comandaEnv(config: Config): Record<string, string | undefined> {
  return { COMANDA_DATA_DIR: config.dataDir, DATABASE_URL: config.databaseUrl, RATE_LIMIT_MAX: '0', WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' };
}
