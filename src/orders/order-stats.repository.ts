import { sql } from 'kysely';
import type { Dialect, Executor } from '../db/database.js';
import { READY_BUCKETS, READY_COLUMNS, READY_EDGES_S, rollupInsert, STATS_COLUMNS, STATS_STATUSES, statusColumn } from '../db/migrations/0016_order_stats.js';
import { num } from '../db/rows.js';
import { HOUR_MS, hourOf, splitWindow } from '../platform/time-buckets.js';
import type { OrderLine } from './orders.model.js';

/**
 * The hourly rollup of orders per store (`order_stats`, migration 0016): what one order contributes, the
 * deltas the order's transaction adds (order-writes.repository.ts `bumpOrderStats`), counts over a window
 * (whole hours here, partial hours from the orders index) and the repairs (rebuild, retention trim).
 */

/** The ready-time histogram bucket of a number of seconds (bounds: READY_EDGES_S). */
export function readyBucket(seconds: number): number {
  let b = 0;
  while (b < READY_EDGES_S.length && seconds >= READY_EDGES_S[b]!) b++;
  return b;
}

/** What one order adds to its row: its status, its sales (0 when cancelled) and whether a line was not found. */
export interface StatsContribution {
  status: string;
  sales_minor: number;
  not_found: boolean;
}

export const hasNotFoundLine = (lines: readonly Pick<OrderLine, 'status'>[]): boolean => lines.some((l) => l.status === 'NOT_FOUND');

export function contribution(status: string, orderTotal: number, lines: readonly Pick<OrderLine, 'status'>[]): StatsContribution {
  return { status, sales_minor: status === 'CANCELLED' ? 0 : orderTotal, not_found: hasNotFoundLine(lines) };
}

const COLUMN_INDEX = new Map(STATS_COLUMNS.map((c, i) => [c, i]));

/**
 * The values to add to the order's row (in STATS_COLUMNS order) when it goes from `before` (undefined for a
 * new order) to `after`, plus one ready time when this change is its READY_FOR_PICKUP; undefined when
 * nothing the rollup counts changed.
 */
export function statsDelta(before: StatsContribution | undefined, after: StatsContribution, readySeconds?: number): number[] | undefined {
  const d = new Array<number>(STATS_COLUMNS.length).fill(0);
  const add = (col: string, v: number) => (d[COLUMN_INDEX.get(col)!]! += v);
  if (!before) add('n', 1);
  if (before?.status !== after.status) {
    add(statusColumn(after.status), 1);
    if (before) add(statusColumn(before.status), -1);
  }
  add('sales_minor', after.sales_minor - (before?.sales_minor ?? 0));
  add('not_found', Number(after.not_found) - Number(before?.not_found ?? false));
  if (readySeconds !== undefined) add(READY_COLUMNS[readyBucket(readySeconds)]!, 1);
  return d.some((v) => v !== 0) ? d : undefined;
}

async function countRange(db: Executor, vendorId: string, from: string, to: string, status?: string): Promise<number> {
  if (from >= to) return 0;
  let q = db.selectFrom('orders').select(sql<number>`count(*)`.as('n')).where('vendor_id', '=', vendorId).where('created_at', '>=', from).where('created_at', '<', to);
  if (status) q = q.where('status', '=', status);
  return num((await q.executeTakeFirstOrThrow()).n);
}

/**
 * Orders of a vendor created in [from, to) (optionally in one status): whole UTC hours from the rollup, the
 * partial hours at both ends from the (vendor, created_at) index. A 60-day window over a busy store reads
 * 1,440 rollup rows and at most two hours of index entries instead of the window.
 */
export async function countVendorOrders(db: Executor, vendorId: string, from: string, to: string, status?: string): Promise<number> {
  const w = splitWindow(from, to);
  if (status && !(STATS_STATUSES as readonly string[]).includes(status)) throw new Error(`countVendorOrders: unknown status ${status}`);
  const col = status ? statusColumn(status) : 'n';
  const middle =
    w.toHour > w.fromHour
      ? db
          .selectFrom('order_stats')
          .select(sql<number>`coalesce(sum(${sql.ref(col)}), 0)`.as('n'))
          .where('vendor_id', '=', vendorId)
          .where('hour', '>=', w.fromHour)
          .where('hour', '<', w.toHour)
          .executeTakeFirstOrThrow()
          .then((r) => num(r.n))
      : Promise.resolve(0);
  const counts = await Promise.all([middle, ...w.edges.map((e) => countRange(db, vendorId, e.from, e.to, status))]);
  return counts.reduce((a, n) => a + n, 0);
}

/** Recomputes a vendor's rollup from its orders (bulk loads, repairs). */
export async function rebuildOrderStats(db: Executor, dialect: Dialect, vendorId: string): Promise<void> {
  await db.deleteFrom('order_stats').where('vendor_id', '=', vendorId).execute();
  await rollupInsert(dialect, sql`o.vendor_id = ${vendorId}`).execute(db);
}

/**
 * After the retention purge deleted orders created before `before`: drops the rollup rows of hours wholly
 * before it and recomputes the hour `before` falls in (store by store, through the (vendor, created_at) index).
 */
export async function trimOrderStats(db: Executor, dialect: Dialect, before: string): Promise<void> {
  const h = hourOf(before);
  const vendors = (await db.selectFrom('order_stats').select('vendor_id').distinct().where('hour', '=', h).execute()).map((r) => r.vendor_id);
  await db.deleteFrom('order_stats').where('hour', '<=', h).execute();
  const start = new Date(h * HOUR_MS).toISOString();
  const end = new Date((h + 1) * HOUR_MS).toISOString();
  for (const v of vendors) await rollupInsert(dialect, sql`o.vendor_id = ${v} and o.created_at >= ${start} and o.created_at < ${end}`).execute(db);
}

export { READY_BUCKETS, READY_COLUMNS, READY_EDGES_S, STATS_COLUMNS, STATS_STATUSES, statusColumn };
