/**
 * Promotion upsert benchmark.
 *
 *   npx tsx bench/promotions.bench.ts                # SQLite, 2,000,000 SKU×vendor pairs (200 vendors × 10,000 SKUs)
 *   npx tsx bench/promotions.bench.ts --postgres     # PostgreSQL (TEST_PG_ADMIN_URL, default postgres://postgres@127.0.0.1:5432/postgres)
 *   BENCH_VENDORS=20 BENCH_SKUS=5000 npx tsx bench/promotions.bench.ts
 *
 * Seeds a chain whose vendors all list the same SKUs, then in one run measures:
 *  1. the real path: `PUT /v2/chains/{id}/promotion` (inject) with vendors ["*"] and every SKU,
 *     then the job runner to COMPLETED (vendor resolution, durable streamed input, per-pair listing
 *     lookup and validation, batched upserts, per-step commits);
 *  2. the baseline: a bare batched insert of the same 2,000,000 rows, in the same order, into a table
 *     shaped like promotion_items (same key, the same pre-compiled 1,000-row statements, 20,000 rows
 *     per transaction): no request, no job bookkeeping, no listing lookup, no validation.
 * Reports pairs/s of both, the ratio, and the peak RSS sampled while the job ran.
 */
import { sql } from 'kysely';
import { buildApp } from '../src/app.js';
import { createContext } from '../src/bootstrap.js';
import { applyProductRows } from '../src/catalog/products.repository.js';
import { createChain } from '../src/chains/chains.service.js';
import { bulkInsert, type BulkSpec } from '../src/db/bulk.js';
import { JobRunner } from '../src/jobs/job-runner.js';
import { createLogger } from '../src/platform/logger.js';
import { JOB_TYPES } from '../src/jobs-list.js';
import { createTestDatabase } from '../src/test-support/test-db.js';
import { createToken } from '../src/tokens/tokens.service.js';
import { createVendor } from '../src/vendors/vendors.service.js';

const POSTGRES = process.argv.includes('--postgres') || process.env.BENCH_DB === 'postgres';
process.env.COMANDA_TEST_DB = POSTGRES ? 'postgres' : 'sqlite';
const VENDORS = Number(process.env.BENCH_VENDORS ?? 200);
const SKUS = Number(process.env.BENCH_SKUS ?? 10_000);
const PAIRS = VENDORS * SKUS;
const sku = (i: number) => `SKU-${String(i).padStart(8, '0')}`;
const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

async function main(): Promise<void> {
  const db = await createTestDatabase({ logLevel: 'warn' });
  const ctx = await createContext(db.config, { log: createLogger({ logLevel: 'warn' }) });
  try {
    log(`${POSTGRES ? 'postgres' : 'sqlite'}: seeding ${VENDORS} vendors × ${SKUS} SKUs (${PAIRS.toLocaleString('en')} listings)…`);
    const chain = await createChain(ctx, { name: 'Bench promotions', country_code: 'AR', currency: 'ARS' }, 'bench');
    const vendorIds: string[] = [];
    for (let v = 0; v < VENDORS; v++) vendorIds.push((await createVendor(ctx, chain.id, { name: `Store ${v}` }, 'bench')).id);
    const { secret } = await createToken(ctx, chain.id, { name: 'Promotions' }, 'bench');
    const products = Array.from({ length: SKUS }, (_, i) => ({ sku: sku(i), title: { es_AR: `Producto ${i}` }, price: 100 + (i % 500) }));
    for (let i = 0; i < SKUS; i += 1000) {
      await ctx.db.transaction().execute((trx) => applyProductRows(ctx, trx, chain.id, vendorIds, products.slice(i, i + 1000), i));
    }

    // 1. The real path.
    const app = await buildApp(ctx);
    await app.ready();
    const body = {
      vendors: ['*'],
      type: 'STRIKETHROUGH',
      reason: 'COMPETITIVENESS',
      display_name: { es_AR: 'Bench' },
      conditions: { start_time: '2030-01-01T00:00:00Z', end_time: '2030-02-01T00:00:00Z' },
      discount: [{ discount_subtype: 'PERCENTAGE', discount_value: 10, sku: products.map((p) => p.sku) }],
    };
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 25);
    const t0 = performance.now();
    const res = await app.inject({ method: 'PUT', url: `/v2/chains/${chain.id}/promotion`, headers: { authorization: `Bearer ${secret}` }, payload: body });
    if (res.statusCode !== 202) throw new Error(`PUT failed: ${res.statusCode} ${res.body}`);
    const tQueued = performance.now();
    await new JobRunner(ctx, JOB_TYPES, { owner: 'bench' }).runUntilIdle();
    const t1 = performance.now();
    clearInterval(sampler);
    const view = (await app.inject({ method: 'GET', url: `/v2/chains/${chain.id}/promotion/jobs/${res.json().job_id}`, headers: { authorization: `Bearer ${secret}` } })).json();
    if (view.status !== 'COMPLETED' || view.counts.PAIRS_APPLIED !== PAIRS) throw new Error(`job did not apply every pair: ${JSON.stringify(view).slice(0, 500)}`);
    await app.close();
    const jobSeconds = (t1 - t0) / 1000;
    const jobRate = PAIRS / jobSeconds;
    log(`job: ${jobSeconds.toFixed(1)} s (request ${((tQueued - t0) / 1000).toFixed(1)} s), ${Math.round(jobRate).toLocaleString('en')} pairs/s, peak RSS ${mb(peak)} MB (before ${mb(rssBefore)} MB)`);

    // 2. Baseline: the same rows, bare batched inserts into a table with the same key.
    const promotionId = String(view.promotion_id);
    await sql`create table bench_items (vendor_id text not null, sku text not null, promotion_id text not null, subtype text not null, value bigint not null, primary key (vendor_id, sku, promotion_id)) ${POSTGRES ? sql`` : sql`without rowid`}`.execute(ctx.db);
    const b0 = performance.now();
    const PER_TRX = 20_000;
    const BASELINE: BulkSpec = { table: 'bench_items', columns: ['vendor_id', 'sku', 'promotion_id', 'subtype', 'value'] };
    let batch: unknown[][] = [];
    const flush = async () => {
      const rows = batch;
      batch = [];
      await ctx.db.transaction().execute((trx) => bulkInsert(trx, ctx.dialect, BASELINE, rows));
    };
    // Same rows in the same order as the job: 1,000-SKU chunks, vendor by vendor.
    for (let c = 0; c < SKUS; c += 1000) {
      for (const v of vendorIds) {
        for (let s = c; s < Math.min(c + 1000, SKUS); s++) {
          batch.push([v, sku(s), promotionId, 'PERCENTAGE', 10_000]);
          if (batch.length >= PER_TRX) await flush();
        }
      }
    }
    if (batch.length) await flush();
    const baseSeconds = (performance.now() - b0) / 1000;
    const baseRate = PAIRS / baseSeconds;
    log(`baseline: ${baseSeconds.toFixed(1)} s, ${Math.round(baseRate).toLocaleString('en')} pairs/s`);
    const result = {
      database: POSTGRES ? 'postgres' : 'sqlite',
      pairs: PAIRS,
      vendors: VENDORS,
      skus: SKUS,
      job_seconds: Number(jobSeconds.toFixed(2)),
      job_pairs_per_s: Math.round(jobRate),
      baseline_seconds: Number(baseSeconds.toFixed(2)),
      baseline_pairs_per_s: Math.round(baseRate),
      ratio_to_baseline: Number((jobRate / baseRate).toFixed(2)),
      peak_rss_mb: mb(peak),
      rss_before_mb: mb(rssBefore),
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await ctx.handle.close();
    await db.drop();
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
