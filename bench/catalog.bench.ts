/**
 * Catalog bulk-path benchmark.
 *
 *   npx tsx bench/catalog.bench.ts                 # SQLite, 1,000,000 rows
 *   npx tsx bench/catalog.bench.ts --postgres      # PostgreSQL (TEST_PG_ADMIN_URL, default postgres://postgres@127.0.0.1:5432/postgres)
 *   BENCH_ROWS=200000 npx tsx bench/catalog.bench.ts
 *
 * Measures, in one run on one machine:
 *  1. `comanda catalog import FILE --vendor X` (the real CLI, a child process) on an N-row CSV,
 *     beside a bare "parse + batched upsert" script over the same file (same CSV parser, raw driver,
 *     multi-row upserts of products, barcodes and listings, one transaction per 1,000 rows).
 *  2. An N-row bulk update through the API (PUT vendor catalog, 10,000 rows per request as the cap
 *     requires) against a real `comanda serve --roles api,worker` child process, from the first request
 *     to every job COMPLETED, beside a bare "parse the same JSON bodies + batched UPDATE" script.
 * Reports rows/s, the ratio to the baseline, and the peak RSS (VmHWM) of the measured process.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createContext } from '../src/bootstrap.js';
import { catalogCsvParser } from '../src/catalog/catalog-import.js';
import { uuidv7 } from '../src/platform/ids.js';
import { toMilli } from '../src/platform/money.js';
import { createChain } from '../src/chains/chains.service.js';
import type { Config } from '../src/config.js';
import { openSqlite } from '../src/db/sqlite-driver.js';
import { createLogger } from '../src/platform/logger.js';
import { freePort } from '../src/test-support/processes.js';
import { createTestDatabase, type TestDatabase } from '../src/test-support/test-db.js';
import { createToken } from '../src/tokens/tokens.service.js';
import { createVendor } from '../src/vendors/vendors.service.js';

const POSTGRES = process.argv.includes('--postgres') || process.env.BENCH_DB === 'postgres';
process.env.COMANDA_TEST_DB = POSTGRES ? 'postgres' : 'sqlite';
const N = Number(process.env.BENCH_ROWS ?? 1_000_000);
const PER_REQUEST = 10_000;
const BATCH = 1000;
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const CATEGORIES = ['Almacén/Yerbas', 'Almacén/Aceites', 'Lácteos/Leches', 'Bebidas/Gaseosas', 'Bebidas/Cervezas', 'Limpieza/Hogar', 'Perfumería', 'Congelados', 'Panadería', 'Frutas y Verduras/Frutas'];
const BRANDS = ['Arcor', 'La Serenísima', 'Quilmes', 'Marolio', 'Ledesma', 'Molinos', 'Sancor', 'Bagley'];

const LOAD_AT_START = os.loadavg().map((x) => +x.toFixed(1));
const sku = (i: number) => `SKU-${String(i).padStart(8, '0')}`;

function log(msg: string): void {
  process.stderr.write(`[bench] ${msg}\n`);
}

async function writeCsv(file: string): Promise<void> {
  const out = fs.createWriteStream(file);
  out.write('sku,barcode,title,category,brand,price,active,sales_buffer\n');
  let buf = '';
  for (let i = 1; i <= N; i++) {
    buf += `${sku(i)},${7790000000000 + i},Producto de prueba ${i} 500 g,${CATEGORIES[i % 10]},${BRANDS[i % 8]},${(100 + (i % 5000) + 0.5).toFixed(2)},${i % 17 ? 'true' : 'false'},${i % 3}\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((r) => out.once('drain', () => r()));
      buf = '';
    }
  }
  out.write(buf);
  await new Promise((r) => out.end(r));
}

interface Setup {
  db: TestDatabase;
  config: Config;
  chainId: string;
  vendorId: string;
  vendorCode: string;
  token: string;
}

async function setup(label: string): Promise<Setup> {
  const db = await createTestDatabase({ rateLimitMax: 0, logLevel: 'warn' });
  const ctx = await createContext(db.config, { log: createLogger({ logLevel: 'warn' }) });
  const chain = await createChain(ctx, { name: `Bench ${label}`, country_code: 'AR', currency: 'ARS' }, 'bench');
  const vendor = await createVendor(ctx, chain.id, { name: `Bench ${label} store` }, 'bench');
  const { secret } = await createToken(ctx, chain.id, { name: 'Catalog management' }, 'bench');
  await ctx.handle.close();
  return { db, config: db.config, chainId: chain.id, vendorId: vendor.id, vendorCode: vendor.code, token: secret };
}

function childEnv(s: Setup, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    COMANDA_DATA_DIR: s.config.dataDir,
    ...(s.config.databaseUrl ? { DATABASE_URL: s.config.databaseUrl } : {}),
    LOG_LEVEL: 'warn',
    RATE_LIMIT_MAX: '0',
    ...extra,
  };
}

/**
 * Peak resident memory (VmHWM) and CPU seconds (utime + stime) of a child process, sampled every
 * 100 ms until it exits. CPU time is what we compare on a busy machine: wall time there mostly
 * measures the other tenants.
 */
function watchPeakRss(child: ChildProcess): { peakMb: () => number; cpuSeconds: () => number; stop: () => void } {
  let peak = 0;
  let cpu = 0;
  const sample = () => {
    try {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const m = /VmHWM:\s+(\d+) kB/.exec(status);
      if (m) peak = Math.max(peak, Number(m[1]) / 1024);
      const stat = fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      cpu = (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      /* exited */
    }
  };
  sample();
  const timer = setInterval(sample, 100);
  return { peakMb: () => (sample(), Math.round(peak)), cpuSeconds: () => (sample(), cpu), stop: () => clearInterval(timer) };
}

function cpuSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1e6;
}

// ---------------------------------------------------------------- baselines (raw driver, batched)

interface Bare {
  exec(text: string, params: unknown[]): Promise<void>;
  begin(): Promise<void>;
  commit(): Promise<void>;
  close(): Promise<void>;
  mark(i: number): string;
}

async function bare(s: Setup): Promise<Bare> {
  if (POSTGRES) {
    const client = new pg.Client({ connectionString: s.config.databaseUrl });
    await client.connect();
    return {
      exec: async (text, params) => void (await client.query(text, params)),
      begin: async () => void (await client.query('begin')),
      commit: async () => void (await client.query('commit')),
      close: () => client.end(),
      mark: (i) => `$${i}`,
    };
  }
  const { raw } = openSqlite(s.config.sqlitePath);
  const cache = new Map<string, ReturnType<typeof raw.prepare>>();
  return {
    exec: async (text, params) => {
      let st = cache.get(text);
      if (!st) cache.set(text, (st = raw.prepare(text)));
      st.run(params.map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v)));
    },
    begin: async () => void raw.exec('begin'),
    commit: async () => void raw.exec('commit'),
    close: async () => void raw.close(),
    mark: () => '?',
  };
}

function values(b: Bare, rows: number, width: number): string {
  const groups: string[] = [];
  for (let r = 0; r < rows; r++) groups.push(`(${Array.from({ length: width }, (_, c) => b.mark(r * width + c + 1)).join(',')})`);
  return groups.join(',');
}

async function baselineImport(s: Setup, file: string): Promise<{ seconds: number; cpu: number }> {
  const b = await bare(s);
  const now = new Date().toISOString();
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const parser = fs.createReadStream(file).pipe(catalogCsvParser());
  let batch: Array<Record<string, string>> = [];
  const categories = new Map<string, string>();
  const flush = async () => {
    if (!batch.length) return;
    const rows = batch;
    batch = [];
    const ids = rows.map(() => uuidv7());
    await b.begin();
    for (const r of rows) {
      if (categories.has(r.category!)) continue;
      const id = crypto.randomUUID();
      await b.exec(`insert into categories (id,chain_id,parent_id,path,name,created_at) values (${b.mark(1)},${b.mark(2)},null,${b.mark(3)},${b.mark(4)},${b.mark(5)})`, [id, s.chainId, r.category, r.category, now]);
      categories.set(r.category!, id);
    }
    await b.exec(
      `insert into products (id,chain_id,sku,barcodes,title,description,category_ids,brand,image_url,is_sold_by_weight,weight_specifications,vat_percent,search_text,created_at,updated_at) values ${values(b, rows.length, 15)} on conflict (chain_id, sku) do update set title = excluded.title, barcodes = excluded.barcodes, brand = excluded.brand, updated_at = excluded.updated_at`,
      rows.flatMap((r, i) => [ids[i], s.chainId, r.sku, JSON.stringify([r.barcode]), JSON.stringify({ es_AR: r.title }), '{}', JSON.stringify([categories.get(r.category!)]), r.brand, null, false, null, 21, r.title!.toLowerCase(), now, now]),
    );
    await b.exec(`insert into product_categories (product_id,category_id) values ${values(b, rows.length, 2)} on conflict do nothing`, rows.flatMap((r, i) => [ids[i], categories.get(r.category!)]));
    await b.exec(`insert into product_barcodes (chain_id,barcode,product_id) values ${values(b, rows.length, 3)} on conflict do nothing`, rows.flatMap((r, i) => [s.chainId, r.barcode, ids[i]]));
    await b.exec(
      `insert into listings (vendor_id,sku,product_id,chain_id,price_milli,active,sales_buffer,maximum_sales_quantity,updated_at) values ${values(b, rows.length, 9)} on conflict (vendor_id, sku) do update set price_milli = excluded.price_milli, active = excluded.active, updated_at = excluded.updated_at`,
      rows.flatMap((r, i) => [s.vendorId, r.sku, ids[i], s.chainId, toMilli(r.price!)!, r.active === 'true', Number(r.sales_buffer), null, now]),
    );
    await b.commit();
  };
  for await (const rec of parser as AsyncIterable<Record<string, string>>) {
    batch.push(rec);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuSince(cpu0);
  await b.close();
  return { seconds, cpu };
}

function updateBody(req: number): string {
  const products = [];
  for (let i = req * PER_REQUEST + 1; i <= Math.min(N, (req + 1) * PER_REQUEST); i++) products.push({ sku: sku(i), price: 200 + (i % 3000) + 0.25, active: i % 5 !== 0 });
  return JSON.stringify({ products });
}

async function baselineUpdate(s: Setup): Promise<{ seconds: number; cpu: number }> {
  const b = await bare(s);
  const now = new Date().toISOString();
  const requests = Math.ceil(N / PER_REQUEST);
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  for (let q = 0; q < requests; q++) {
    const rows = (JSON.parse(updateBody(q)) as { products: Array<{ sku: string; price: number; active: boolean }> }).products;
    for (let i = 0; i < rows.length; i += BATCH) {
      const part = rows.slice(i, i + BATCH);
      await b.begin();
      const v = values(b, part.length, 3);
      const cast = POSTGRES ? '::bigint' : '';
      const castB = POSTGRES ? '::boolean' : '';
      await b.exec(
        `update listings set price_milli = v.column2${cast}, active = v.column3${castB}, updated_at = ${b.mark(part.length * 3 + 1)} from (values ${v}) as v${POSTGRES ? '(column1, column2, column3)' : ''} where listings.vendor_id = ${b.mark(part.length * 3 + 2)} and listings.sku = v.column1`,
        [...part.flatMap((r) => [r.sku, toMilli(r.price)!, r.active]), now, s.vendorId],
      );
      await b.commit();
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuSince(cpu0);
  await b.close();
  return { seconds, cpu };
}

// ---------------------------------------------------------------- the real thing

async function cliImport(s: Setup, file: string): Promise<{ seconds: number; cpu: number; rssMb: number; summary: Record<string, unknown> }> {
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/comanda.js'), 'catalog', 'import', file, '--vendor', s.vendorCode], { env: childEnv(s), cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const rss = watchPeakRss(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  const seconds = (performance.now() - started) / 1000;
  const rssMb = rss.peakMb();
  const cpu = rss.cpuSeconds();
  rss.stop();
  if (code !== 0) throw new Error(`catalog import exited ${code}`);
  return { seconds, cpu, rssMb, summary: JSON.parse(out) as Record<string, unknown> };
}

async function apiUpdate(s: Setup): Promise<{ seconds: number; cpu: number; rssMb: number; counts: Record<string, number> }> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/comanda.js'), 'serve', '--roles', 'api,worker'], {
    env: childEnv(s, { PORT: String(port), JOB_POLL_MS: '20' }),
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${base}/health/ready`)).ok) break;
      } catch {
        /* not yet */
      }
      if (i > 300) throw new Error('server did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    const rss = watchPeakRss(child);
    const headers = { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' };
    const requests = Math.ceil(N / PER_REQUEST);
    const jobIds: string[] = [];
    const started = performance.now();
    const cpuStart = rss.cpuSeconds();
    for (let q = 0; q < requests; q++) {
      const res = await fetch(`${base}/v2/chains/${s.chainId}/vendors/${s.vendorCode}/catalog`, { method: 'PUT', headers, body: updateBody(q) });
      if (res.status !== 202) throw new Error(`PUT answered ${res.status}: ${await res.text()}`);
      jobIds.push(((await res.json()) as { job_id: string }).job_id);
    }
    const counts: Record<string, number> = {};
    for (const id of jobIds) {
      for (;;) {
        const res = await fetch(`${base}/v2/chains/${s.chainId}/catalog/jobs/${id}?page_size=1`, { headers });
        const job = (await res.json()) as { job_status: string; counts: Record<string, number> };
        if (job.job_status === 'COMPLETED' || job.job_status === 'FAILED') {
          if (job.job_status === 'FAILED') throw new Error(`job ${id} FAILED`);
          for (const [k, v] of Object.entries(job.counts)) counts[k] = (counts[k] ?? 0) + v;
          break;
        }
        await new Promise((r) => setTimeout(r, 25));
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const rssMb = rss.peakMb();
    const cpu = rss.cpuSeconds() - cpuStart;
    rss.stop();
    return { seconds, cpu, rssMb, counts };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.on('exit', r));
  }
}

/** The measured processes run the built CLI (bin/comanda.js → dist), exactly what `npx comanda` runs. */
function build(): void {
  log('building the server (tsc -p tsconfig.build.json)');
  const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error('build failed');
}

async function main(): Promise<void> {
  build();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'comanda-bench-'));
  const file = path.join(tmp, 'catalog.csv');
  log(`${POSTGRES ? 'postgres' : 'sqlite'}: writing ${N.toLocaleString()}-row CSV`);
  await writeCsv(file);
  const baseSetup = await setup('baseline');
  const realSetup = await setup('comanda');
  try {
    log('baseline import (parse + batched upsert)');
    const baseImport = await baselineImport(baseSetup, file);
    log(`  ${baseImport.seconds.toFixed(2)} s wall, ${baseImport.cpu.toFixed(2)} s CPU`);
    log('comanda catalog import');
    const imp = await cliImport(realSetup, file);
    log(`  ${imp.seconds.toFixed(2)} s wall, ${imp.cpu.toFixed(2)} s CPU, peak RSS ${imp.rssMb} MB, ${JSON.stringify(imp.summary.counts)}`);
    log('baseline bulk update (parse JSON + batched UPDATE)');
    const baseUpd = await baselineUpdate(baseSetup);
    log(`  ${baseUpd.seconds.toFixed(2)} s wall, ${baseUpd.cpu.toFixed(2)} s CPU`);
    log(`API bulk update: ${Math.ceil(N / PER_REQUEST)} × PUT (${PER_REQUEST} rows) until every job is COMPLETED`);
    const api = await apiUpdate(realSetup);
    log(`  ${api.seconds.toFixed(2)} s wall, ${api.cpu.toFixed(2)} s server CPU, peak RSS ${api.rssMb} MB, ${JSON.stringify(api.counts)}`);
    const rate = (sec: number) => Math.round(N / sec);
    const result = {
      database: POSTGRES ? 'postgres' : 'sqlite',
      rows: N,
      machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}`,
      load_average_at_start: LOAD_AT_START,
      import: {
        wall: { seconds: +imp.seconds.toFixed(2), rows_per_s: rate(imp.seconds), baseline_rows_per_s: rate(baseImport.seconds), ratio: +(baseImport.seconds / imp.seconds).toFixed(2) },
        cpu: { seconds: +imp.cpu.toFixed(2), rows_per_cpu_s: rate(imp.cpu), baseline_rows_per_cpu_s: rate(baseImport.cpu), ratio: +(baseImport.cpu / imp.cpu).toFixed(2) },
        import_only_seconds: imp.summary.seconds,
        peak_rss_mb: imp.rssMb,
        counts: imp.summary.counts,
      },
      api_update: {
        wall: { seconds: +api.seconds.toFixed(2), rows_per_s: rate(api.seconds), baseline_rows_per_s: rate(baseUpd.seconds), ratio: +(baseUpd.seconds / api.seconds).toFixed(2) },
        cpu: { server_seconds: +api.cpu.toFixed(2), rows_per_cpu_s: rate(api.cpu), baseline_rows_per_cpu_s: rate(baseUpd.cpu), ratio: +(baseUpd.cpu / api.cpu).toFixed(2) },
        peak_rss_mb: api.rssMb,
        counts: api.counts,
      },
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    if (process.env.BENCH_OUT) fs.writeFileSync(process.env.BENCH_OUT, JSON.stringify(result, null, 2));
  } finally {
    await baseSetup.db.drop();
    await realSetup.db.drop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
