/**
 * Service-level PUT loop (no HTTP): the orders bench database (an enabled webhook endpoint, N RECEIVED
 * orders), then N−1 sequential `putPartnerOrder` calls (READY_FOR_PICKUP, one line's quantity changed,
 * the bench's body) in this process. Prints one JSON line: CPU µs per PUT, statements (SQLite) or round
 * trips (Postgres, every `query` of a pg client, begin and commit included) per PUT and, on SQLite, WAL
 * frames per PUT (autocheckpoint off during the loop). Run with `node --cpu-prof` for a profile.
 *
 *   npx tsx bench/orders/put-loop.ts [orders]            (COMANDA_TEST_DB=postgres for Postgres)
 */
import fs from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { sql } from 'kysely';
import { createContext } from '../../src/bootstrap.js';
import { createLogger } from '../../src/platform/logger.js';
import { putPartnerOrder } from '../../src/orders/put-order.service.js';
import type { PutOrderBody } from '../../src/orders/orders.schemas.js';
import { seedOrdersDb } from './seed.js';

const orders = Number(process.argv[2] ?? 3000);
const seeded = await seedOrdersDb(orders);

// Count what reaches the database: SQLite statement executions, Postgres client queries (round trips).
let statements = 0;
// PUT_LOOP_TIMES=1: also the time spent in each SQLite statement text (synchronous calls only).
const times = process.env.PUT_LOOP_TIMES ? new Map<string, number>() : undefined;
const counting = <F extends (...a: never[]) => unknown>(f: F, text?: string): F => function (this: unknown, ...a: never[]) {
  statements++;
  if (!times || text === undefined) return f.apply(this, a);
  const t = performance.now();
  try {
    return f.apply(this, a);
  } finally {
    times.set(text, (times.get(text) ?? 0) + performance.now() - t);
  }
} as F;
const prepare = BetterSqlite3.prototype.prepare;
BetterSqlite3.prototype.prepare = function (this: BetterSqlite3.Database, text: string) {
  const stmt = prepare.call(this, text);
  for (const m of ['run', 'all', 'get', 'iterate'] as const) (stmt as unknown as Record<string, unknown>)[m] = counting((stmt[m] as (...a: never[]) => unknown).bind(stmt), text);
  return stmt;
} as typeof prepare;
pg.Client.prototype.query = counting(pg.Client.prototype.query) as typeof pg.Client.prototype.query;

const ctx = await createContext(seeded.config, { log: createLogger({ logLevel: 'silent' }) });
const principal = { kind: 'api_token' as const, chainId: seeded.chainId, tokenId: 'bench', environment: 'live' as const };
const body = (id: string): PutOrderBody => ({ order_id: id, status: 'READY_FOR_PICKUP', items: [{ _id: seeded.lineId, status: 'IN_CART', pricing: { quantity: 1 } }] }) as PutOrderBody;

const ids = seeded.ids.slice(1);
const warm = Math.min(200, Math.floor(ids.length / 10));
for (const id of ids.slice(0, warm)) await putPartnerOrder(ctx, principal, id, body(id), 'bench');

let walBefore = 0;
const walFile = `${seeded.config.sqlitePath}-wal`;
if (ctx.dialect === 'sqlite') {
  await sql`pragma wal_checkpoint(TRUNCATE)`.execute(ctx.db);
  await sql`pragma wal_autocheckpoint = 0`.execute(ctx.db);
  walBefore = fs.statSync(walFile).size;
}
const run = ids.slice(warm);
statements = 0;
times?.clear();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
for (const id of run) await putPartnerOrder(ctx, principal, id, body(id), 'bench');
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const perPut = statements / run.length;
let walFrames: number | undefined;
if (ctx.dialect === 'sqlite') {
  const pageSize = Number((await sql<{ page_size: number }>`pragma page_size`.execute(ctx.db)).rows[0]!.page_size);
  const bytes = fs.statSync(walFile).size - walBefore - (walBefore === 0 ? 32 : 0);
  walFrames = bytes / (pageSize + 24) / run.length;
  if (process.env.PUT_LOOP_PAGES) {
    // Which b-tree each WAL frame of the loop belongs to (dbstat), per PUT.
    const owner = new Map<number, string>();
    for (const r of (await sql<{ name: string; pageno: number }>`select name, pageno from dbstat`.execute(ctx.db)).rows) owner.set(Number(r.pageno), r.name);
    const wal = fs.readFileSync(walFile);
    const perName = new Map<string, number>();
    for (let off = Math.max(32, walBefore); off + 24 <= wal.length; off += pageSize + 24) {
      const name = owner.get(wal.readUInt32BE(off)) ?? '(free)';
      perName.set(name, (perName.get(name) ?? 0) + 1);
    }
    for (const [name, n] of [...perName].sort((a, b) => b[1] - a[1])) console.error(`${(n / run.length).toFixed(2).padStart(6)} frames/PUT  ${name}`);
  }
}
console.log(
  JSON.stringify({
    bench: 'put-loop',
    db: ctx.dialect,
    puts: run.length,
    cpu_us_per_put: Math.round((cpu.user + cpu.system) / run.length),
    wall_us_per_put: Math.round((wallMs * 1000) / run.length),
    [ctx.dialect === 'postgres' ? 'round_trips_per_put' : 'statements_per_put']: Math.round(perPut * 100) / 100,
    wal_frames_per_put: walFrames === undefined ? undefined : Math.round(walFrames * 10) / 10,
    load_average: (await import('node:os')).loadavg().map((x) => Math.round(x * 100) / 100),
  }),
);
if (times) for (const [text, ms] of [...times].sort((a, b) => b[1] - a[1])) console.error(`${((ms * 1000) / run.length).toFixed(0).padStart(6)} µs/PUT  ${text.slice(0, 110)}`);
await ctx.handle.close();
await seeded.drop();
