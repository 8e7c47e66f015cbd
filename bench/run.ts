/**
 * The one entry point for Comanda's benchmarks:
 *
 *   npm run bench -- --db sqlite|postgres --only get,put,webhooks,sftp,list,catalog,promotions,dashboard
 *
 * Every measurement runs the server under test, its ceiling and the load generator as separate
 * processes, alternates ceiling / comanda (A B A B) after a warm-up, and prints one JSON line per
 * measurement (with the load average at its start) on stdout; progress goes to stderr.
 * Options: --seconds N (per measurement, default 10), --warmup N (default 3), --connections N
 * (default 50), --rounds N (A B pairs, default 2), --orders N (GET/PUT database, default 100000),
 * --list-orders N (default 1000000 SQLite / 200000 Postgres), --rows N (catalog and sftp rows),
 * --no-build (use dist/ as it is), --cpu-prof DIR (CPU profile of the comanda server).
 * promotions: BENCH_VENDORS × BENCH_SKUS pairs (default 50 × 8,000; the full run is 200 × 10,000).
 * dashboard: --list-orders N orders (default 1,000,000), BENCH_DELIVERIES (300,000), BENCH_STORES (20); 10 connections unless --connections.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { benchDashboard } from './dashboard/index.js';
import { benchGetPut } from './orders/get-put.js';
import { benchList } from './orders/list.js';
import { ROOT } from './lib/processes.js';
import { log, machine } from './lib/report.js';
import { runScriptBench } from './lib/script-bench.js';

interface Options {
  db: 'sqlite' | 'postgres';
  only: string[];
  seconds: number;
  warmupSeconds: number;
  connections: number;
  connectionsSet: boolean;
  rounds: number;
  orders: number;
  listOrders: number | undefined;
  rows: number | undefined;
  build: boolean;
  cpuProf: string | undefined;
}

/** A mistake in the command line: said in one line, without a stack. */
class UsageError extends Error {}

type Entry = { describe: string; run: (o: Options, only: ReadonlySet<string>) => Promise<void> };

const serverFlags = (o: Options) => (o.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(o.cpuProf)}`] : []);
const ordersBench = (o: Options, only: ReadonlySet<string>) =>
  benchGetPut({ db: o.db, only, seconds: o.seconds, warmupSeconds: o.warmupSeconds, connections: o.connections, orders: o.orders, rounds: o.rounds, serverFlags: serverFlags(o) });

/** Every bench the entry point knows; get and put share one seeded database when both run. */
const BENCHES: Record<string, Entry> = {
  get: { describe: 'GET order vs sha256(token) + token row + PK select (bare Fastify)', run: ordersBench },
  put: { describe: 'PUT order READY_FOR_PICKUP vs one transaction UPDATE + INSERT (bare Fastify)', run: ordersBench },
  list: { describe: 'vendor orders list, first page of a 60-day window, 1 and 10 connections', run: (o) => benchList({ db: o.db, seconds: o.seconds, warmupSeconds: o.warmupSeconds, orders: o.listOrders ?? (o.db === 'postgres' ? 200_000 : 1_000_000), rounds: o.rounds, serverFlags: serverFlags(o) }) },
  catalog: { describe: 'catalog import CLI and API bulk update vs bare batched upserts (bench/catalog.bench.ts)', run: (o) => runScriptBench('catalog', o.db, 'bench/catalog.bench.ts', { BENCH_ROWS: String(o.rows ?? 300_000) }) },
  promotions: { describe: 'a promotion job over vendors × SKUs vs a bare batched insert (bench/promotions.bench.ts)', run: (o) => runScriptBench('promotions', o.db, 'bench/promotions.bench.ts', { BENCH_VENDORS: process.env.BENCH_VENDORS ?? '50', BENCH_SKUS: process.env.BENCH_SKUS ?? '8000' }) },
  sftp: { describe: 'SFTP catalog file, upload closed → COMPLETED vs bare parse + UPDATE in its own process, A B per round (bench/sftp.bench.ts)', run: (o) => runScriptBench('sftp', o.db, 'bench/sftp.bench.ts', { BENCH_ROWS: String(o.rows ?? 200_000), BENCH_ROUNDS: String(o.rounds), ...(o.cpuProf ? { BENCH_CPU_PROF: path.resolve(o.cpuProf) } : {}) }) },
  dashboard: {
    describe: 'portal dashboard at 1,000,000 orders (--list-orders), chain and one store, today/7/30 days: query timings, then the route (staff session) vs the same database work on a bare Fastify route (bench/dashboard/)',
    run: (o) =>
      benchDashboard({
        db: o.db,
        orders: o.listOrders ?? 1_000_000,
        deliveries: Number(process.env.BENCH_DELIVERIES ?? 300_000),
        stores: Number(process.env.BENCH_STORES ?? 20),
        seconds: o.seconds,
        warmupSeconds: o.warmupSeconds,
        // A dashboard is a few staff members' page, not a partner fleet: 10 clients unless told.
        connections: o.connectionsSet ? o.connections : 10,
        rounds: o.rounds,
        serverFlags: serverFlags(o),
      }),
  },
  webhooks: { describe: 'webhook dispatch (10k and 100k backlogs) vs a raw undici loop, and commit → receipt at 100 orders/s through intake (bench/webhooks.bench.ts)', run: (o) => runScriptBench('webhooks', o.db, 'bench/webhooks.bench.ts', o.cpuProf ? { BENCH_CPU_PROF: o.cpuProf } : {}) },
};

function parseArgs(argv: string[]): Options {
  const o: Options = { db: 'sqlite', only: ['get', 'put'], seconds: 10, warmupSeconds: 3, connections: 50, connectionsSet: false, rounds: 2, orders: 100_000, listOrders: undefined, rows: undefined, build: true, cpuProf: undefined };
  const num = (name: string, v: string | undefined) => {
    const n = Number(v);
    if (!v || !Number.isFinite(n) || n <= 0) throw new UsageError(`${name} needs a positive number, got ${v ?? 'nothing'}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--db': {
        const v = value();
        if (v !== 'sqlite' && v !== 'postgres') throw new UsageError(`--db must be sqlite or postgres, got ${v}`);
        o.db = v;
        break;
      }
      case '--only':
        o.only = (value() ?? '').split(',').map((s) => s.trim()).filter(Boolean);
        break;
      case '--seconds': o.seconds = num(flag, value()); break;
      case '--warmup': o.warmupSeconds = num(flag, value()); break;
      case '--connections': o.connections = num(flag, value()); o.connectionsSet = true; break;
      case '--rounds': o.rounds = num(flag, value()); break;
      case '--orders': o.orders = num(flag, value()); break;
      case '--list-orders': o.listOrders = num(flag, value()); break;
      case '--rows': o.rows = num(flag, value()); break;
      case '--cpu-prof': o.cpuProf = value(); break;
      case '--no-build': o.build = false; break;
      case '--help':
        process.stdout.write(`npm run bench -- [--db sqlite|postgres] [--only ${Object.keys(BENCHES).join(',')}] [--seconds N] [--warmup N] [--connections N] [--rounds N] [--orders N] [--list-orders N] [--rows N] [--cpu-prof DIR] [--no-build]\n`);
        for (const [name, e] of Object.entries(BENCHES)) process.stdout.write(`  ${name.padEnd(11)} ${e.describe}\n`);
        return process.exit(0);
      default:
        throw new UsageError(`unknown option ${a} (see --help)`);
    }
  }
  return o;
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const unknown = o.only.filter((n) => !BENCHES[n]);
  if (unknown.length) throw new UsageError(`unknown bench ${unknown.join(', ')}; known: ${Object.keys(BENCHES).join(', ')}`);
  process.env.COMANDA_TEST_DB = o.db;
  if (o.build) {
    log('building the server (tsc -p tsconfig.build.json)');
    const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('build failed');
  } else if (!fs.existsSync(path.join(ROOT, 'dist/main.js'))) throw new Error('dist/ is missing: run without --no-build');
  if (o.cpuProf) fs.mkdirSync(o.cpuProf, { recursive: true });
  log(`${o.db}; ${machine()}; ${o.only.join(',')}`);
  const only = new Set(o.only);
  const done = new Set<Entry['run']>();
  for (const name of o.only) {
    const e = BENCHES[name]!;
    if (done.has(e.run)) continue;
    done.add(e.run);
    await e.run(o, only);
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`${err instanceof UsageError ? `bench: ${err.message}` : ((err as Error).stack ?? err)}\n`);
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
