/**
 * The dashboard bench's database: one chain of STORES stores (a staff user, an enabled endpoint), one real
 * intake order as the template, then N orders and D webhook deliveries generated inside the database (one
 * INSERT … SELECT over a number series each: no rows travel through the driver) spread evenly over the last
 * 60 days — 8 % cancelled, 6 % with a line NOT_FOUND, a READY_FOR_PICKUP timeline row 2–20 min after every
 * order not cancelled, one attempt per delivery (3 % dead) — and the rollups rebuilt from the orders
 * (`rebuildOrderStats`) and the deliveries (`rebuildWebhookStats`), as any bulk load must. Stored snapshots are a stub: the dashboard never reads them.
 */
import { sql, type RawBuilder } from 'kysely';
import { createContext } from '../../src/bootstrap.js';
import { createChain } from '../../src/chains/chains.service.js';
import type { Config } from '../../src/config.js';
import type { AppContext } from '../../src/platform/context.js';
import { createLogger } from '../../src/platform/logger.js';
import { placeOrder } from '../../src/orders/intake.service.js';
import { rebuildOrderStats } from '../../src/orders/order-stats.repository.js';
import { rebuildWebhookStats } from '../../src/webhooks/webhook-stats.repository.js';
import { CUSTOMER, seedCatalog } from '../../src/test-support/order-fixtures.js';
import { createTestDatabase, type TestDatabase } from '../../src/test-support/test-db.js';
import { createUser } from '../../src/users/users.service.js';
import type { Vendor } from '../../src/vendors/vendors.schemas.js';
import { createVendor } from '../../src/vendors/vendors.service.js';
import { createEndpoint } from '../../src/webhooks/endpoints.service.js';
import { log } from '../lib/report.js';

export const DAYS = 60;
export const STAFF = { email: 'staff@bench-dashboard.test', password: 'bench-password-1' };

export interface DashboardDb {
  tdb: TestDatabase;
  config: Config;
  ctx: AppContext;
  chainId: string;
  vendors: Vendor[];
  seedSeconds: number;
}

/** A number series 0 … n−1 as a table `s(i)`, per dialect. */
const series = (ctx: AppContext, n: number): RawBuilder<unknown> =>
  ctx.dialect === 'postgres' ? sql`(select generate_series(0, ${sql.lit(n - 1)})::bigint as i) s` : sql`(with recursive c(i) as (select 0 union all select i + 1 from c where i < ${sql.lit(n - 1)}) select i from c) s`;

/** The ISO time / timestamptz of epoch milliseconds given as SQL. */
const at = (ctx: AppContext, ms: RawBuilder<unknown>): RawBuilder<unknown> =>
  ctx.dialect === 'postgres' ? sql`(timestamptz 'epoch' + (${ms}) * interval '1 millisecond')` : sql`strftime('%Y-%m-%dT%H:%M:%fZ', (${ms}) / 1000.0, 'unixepoch')`;

const pad = (ctx: AppContext, v: RawBuilder<unknown>, width: number) => (ctx.dialect === 'postgres' ? sql`lpad((${v})::text, ${sql.lit(width)}, '0')` : sql`printf(${sql.lit(`%0${width}d`)}, ${v})`);

export async function seedDashboardDb(orders: number, deliveries: number, stores: number): Promise<DashboardDb> {
  const tdb = await createTestDatabase({ logLevel: 'silent', webhookAllowedHosts: ['127.0.0.1'], rateLimitMax: 0 });
  const ctx = await createContext(tdb.config, { log: createLogger({ logLevel: 'silent' }) });
  const t0 = Date.now();
  const chain = await createChain(ctx, { name: 'Bench dashboard', country_code: 'AR', currency: 'ARS' }, 'bench');
  const vendors: Vendor[] = [];
  for (let i = 0; i < stores; i++) vendors.push(await createVendor(ctx, chain.id, { name: `Store ${i}`, integration_type: 'DIRECT_POS' }, 'bench'));
  await createUser(ctx, { ...STAFF, chainId: chain.id, role: 'staff' }, 'bench');
  await seedCatalog(ctx, [vendors[0]!]);
  const { endpoint } = await createEndpoint(ctx, chain.id, { url: 'http://127.0.0.1:9/hook', authorization: 'Basic YmVuY2g6YmVuY2g=' }, 'bench');
  const { order: template } = await placeOrder(
    ctx,
    { vendor_id: vendors[0]!.code, transport_type: 'LOGISTICS_DELIVERY', order_type: 'DELIVERY', customer: CUSTOMER, items: [{ sku: 'LECHE-1L', quantity: 2 }, { sku: 'PAN-LACTAL', quantity: 1 }] },
    { actor: 'bench' },
  );
  const stored = (await ctx.db.selectFrom('orders').selectAll().where('id', '=', template.id).executeTakeFirstOrThrow()) as Record<string, unknown>;
  const lines = typeof stored.lines === 'string' ? stored.lines : JSON.stringify(stored.lines);
  const nfLines = lines.replace(/"status":\s*"[A-Z_]+"/, '"status":"NOT_FOUND"');
  if (nfLines === lines) throw new Error('template lines carry no status');

  const pg = ctx.dialect === 'postgres';
  const now = Date.now();
  const span = DAYS * 86_400_000;
  const big = (v: number) => (pg ? sql`${sql.lit(v)}::bigint` : sql.lit(v));
  // Order i at now − span·(i + ½)/N (integer ms), store i mod STORES.
  const createdMs = (n: number) => sql`(${big(now)} - (${big(span)} * (2 * s.i + 1)) / ${big(2 * n)})`;
  const vendorValues = sql.join(vendors.map((v, k) => sql`(${sql.lit(k)}, ${v.id})`));
  const cancelled = sql`(s.i % 100 < 8)`;
  const notFound = sql`(s.i % 100 >= 8 and s.i % 100 < 14)`;
  const cols = Object.keys(stored);
  const override: Record<string, RawBuilder<unknown>> = {
    id: sql`'00000000-0000-4000-8000-' || ${pad(ctx, sql`s.i`, 12)}`,
    vendor_id: sql`v.id`,
    external_order_id: sql`'DB' || ${pad(ctx, sql`s.i`, 16)}`,
    status: sql`case when ${cancelled} then 'CANCELLED' else 'DELIVERED' end`,
    lines: pg ? sql`case when ${notFound} then ${nfLines}::jsonb else t.lines end` : sql`case when ${notFound} then ${nfLines} else t.lines end`,
    order_total: sql`1000 + s.i % 5000`,
    created_at: at(ctx, createdMs(orders)),
    updated_at: at(ctx, createdMs(orders)),
    snapshot: sql`'{}'`,
  };
  const inTx = (fn: (db: typeof ctx.db) => Promise<unknown>) =>
    ctx.db.transaction().execute(async (trx) => {
      // Seeding only: no NOTIFY per row, no FK checks (Postgres).
      if (pg) await sql`set local session_replication_role = replica`.execute(trx);
      await fn(trx as never);
    });
  await inTx(async (db) => {
    await sql`with v(k, id) as (values ${vendorValues})
      insert into orders (${sql.join(cols.map((c) => sql.ref(c)))})
      select ${sql.join(cols.map((c) => override[c] ?? sql.ref(`t.${c}`)))}
      from ${series(ctx, orders)} join v on v.k = s.i % ${sql.lit(stores)} cross join orders t where t.id = ${template.id}`.execute(db);
    log(`dashboard: ${orders.toLocaleString('en')} orders inserted (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    await sql`insert into order_events (id, order_id, version, type, status, actor, webhook, details, created_at)
      select 'e0000000-0000-4000-8000-' || ${pad(ctx, sql`s.i`, 12)}, '00000000-0000-4000-8000-' || ${pad(ctx, sql`s.i`, 12)}, 3, 'READY_FOR_PICKUP', 'READY_FOR_PICKUP', 'bench',
        ${pg ? sql`true` : sql`1`}, '{}', ${at(ctx, sql`${createdMs(orders)} + 120000 + (s.i * 7919) % 1080000`)}
      from ${series(ctx, orders)} where not ${cancelled}`.execute(db);
    log(`dashboard: timeline rows inserted (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  });
  if (deliveries > 0)
    await inTx(async (db) => {
      const d = (prefix: string) => sql`${prefix} || ${pad(ctx, sql`s.i`, 12)}`;
      const created = at(ctx, createdMs(deliveries));
      const dead = sql`(s.i % 100 < 3)`;
      await sql`insert into webhook_events (id, chain_id, type, order_key, sequence, body, created_at)
        select ${d('w0000000-0000-4000-8000-')}, ${chain.id}, 'READY_FOR_PICKUP', null, null, '{}', ${created} from ${series(ctx, deliveries)}`.execute(db);
      await sql`insert into webhook_deliveries (id, event_id, endpoint_id, chain_id, event_type, order_key, sequence, status, attempts, next_attempt_at, last_status_code, last_error, created_at, updated_at, completed_at)
        select ${d('d0000000-0000-4000-8000-')}, ${d('w0000000-0000-4000-8000-')}, ${endpoint.id}, ${chain.id}, 'READY_FOR_PICKUP', null, null, case when ${dead} then 'dead' else 'succeeded' end, 1,
          ${created}, case when ${dead} then 500 else 200 end, null, ${created}, ${created}, ${created} from ${series(ctx, deliveries)}`.execute(db);
      await sql`insert into webhook_attempts (id, delivery_id, endpoint_id, chain_id, attempt, started_at, duration_ms, status_code, response_body, error, outcome)
        select ${d('a0000000-0000-4000-8000-')}, ${d('d0000000-0000-4000-8000-')}, ${endpoint.id}, ${chain.id}, 1, ${created},
          20 + (s.i * 31) % 400 + case when s.i % 1000 = 0 then 4000 else 0 end, case when ${dead} then 500 else 200 end, null, null, case when ${dead} then 'http_error' else 'success' end
        from ${series(ctx, deliveries)}`.execute(db);
      log(`dashboard: ${deliveries.toLocaleString('en')} deliveries inserted (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    });
  // A bulk load bypasses the order writes: the rollup is rebuilt from the orders, store by store.
  for (const v of vendors) await rebuildOrderStats(ctx.db, ctx.dialect, v.id);
  await rebuildWebhookStats(ctx.db, ctx.dialect, chain.id);
  await sql`analyze`.execute(ctx.db);
  const seedSeconds = (Date.now() - t0) / 1000;
  log(`dashboard: seeded ${orders.toLocaleString('en')} orders, ${deliveries.toLocaleString('en')} deliveries on ${ctx.dialect} in ${seedSeconds.toFixed(0)} s`);
  return { tdb, config: tdb.config, ctx, chainId: chain.id, vendors, seedSeconds };
}
