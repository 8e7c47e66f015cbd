import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Dialect } from '../database.js';
import { notFoundPredicate } from './0014_dashboard.js';

/** The order statuses the rollup counts, one column each (the Partner API's fixed set, partner-api.md §3). */
export const STATS_STATUSES = ['RECEIVED', 'ACCEPTED', 'READY_FOR_PICKUP', 'DISPATCHED', 'DELIVERED', 'CANCELLED'] as const;
export const statusColumn = (status: string) => `n_${status.toLowerCase()}`;

/**
 * Ready-time histogram: upper bounds (exclusive, whole seconds) of log-spaced buckets, 30 s · 2^(k/4) for
 * k = 0…42 (30 s … 12 h 04 min). Bucket 0 is [0, 30 s), bucket k is [edge k−1, edge k), the last bucket (43)
 * everything from 12 h 04 min on. Each bucket is 19 % wide: a percentile interpolated inside its bucket is
 * within ±9 % of the true value (exact to the second only when the bucket holds one value).
 */
export const READY_EDGES_S: readonly number[] = Array.from({ length: 43 }, (_, k) => Math.round(30 * 2 ** (k / 4)));
export const READY_BUCKETS = READY_EDGES_S.length + 1;
export const readyColumn = (bucket: number) => `ready_${String(bucket).padStart(2, '0')}`;
export const READY_COLUMNS: readonly string[] = Array.from({ length: READY_BUCKETS }, (_, b) => readyColumn(b));
/** Every counter column of order_stats, in table order. */
export const STATS_COLUMNS: readonly string[] = ['n', ...STATS_STATUSES.map(statusColumn), 'sales_minor', 'not_found', ...READY_COLUMNS];

/** The UTC hour (hours since the epoch) of a timestamp column, per dialect. */
export const hourSql = (dialect: Dialect, col: RawBuilder<unknown>): RawBuilder<number> =>
  dialect === 'postgres' ? sql<number>`floor(extract(epoch from ${col}) / 3600)::int` : sql<number>`cast(strftime('%s', ${col}) as integer) / 3600`;

/** Whole seconds from `a` to `b` (floor of the millisecond difference), per dialect. */
export const secondsBetween = (dialect: Dialect, a: RawBuilder<unknown>, b: RawBuilder<unknown>): RawBuilder<number> =>
  dialect === 'postgres'
    ? sql<number>`floor(extract(epoch from (${b} - ${a})))::int`
    : // julianday resolves ~50 µs at today's dates: rounding to the millisecond first makes the floor exact.
      sql<number>`cast(floor(round((julianday(${b}) - julianday(${a})) * 86400000) / 1000.0) as integer)`;

/** The histogram bucket of a number of seconds, as SQL (the same bounds as `readyBucket`). */
const bucketSql = (secs: RawBuilder<unknown>): RawBuilder<number> =>
  sql<number>`case ${sql.join(READY_EDGES_S.map((e, k) => sql`when ${secs} < ${sql.lit(e)} then ${sql.lit(k)}`), sql` `)} else ${sql.lit(READY_EDGES_S.length)} end`;

/**
 * `insert into order_stats … select` the rollup of the orders matching `where` (a condition on `o`), grouped
 * by store and hour: counts per status, sales (order_total of orders not cancelled), orders with a line not
 * found, and the RECEIVED → READY_FOR_PICKUP histogram of the timeline's READY_FOR_PICKUP rows. Used by this
 * migration and by the repairs (rebuild, retention trim) in orders/order-stats.repository.ts.
 */
export function rollupInsert(dialect: Dialect, where: RawBuilder<unknown>): RawBuilder<unknown> {
  const hour = hourSql(dialect, sql`o.created_at`);
  // One row per order and one per READY_FOR_PICKUP timeline row (rb: its bucket), summed per store and hour.
  const rows = sql`select o.vendor_id, o.chain_id, ${hour} as ${sql.ref('hour')}, o.status,
      case when o.status = 'CANCELLED' then 0 else o.order_total end as sales,
      case when ${notFoundPredicate(dialect)} then 1 else 0 end as nf, null as rb
    from orders o where ${where}
    union all
    select o.vendor_id, o.chain_id, ${hour}, null, 0, 0, ${bucketSql(secondsBetween(dialect, sql`o.created_at`, sql`e.created_at`))}
    from orders o join order_events e on e.order_id = o.id and e.type = 'READY_FOR_PICKUP' where ${where}`;
  const cols = [
    sql`sum(case when status is null then 0 else 1 end)`,
    ...STATS_STATUSES.map((s) => sql`sum(case when status = ${sql.lit(s)} then 1 else 0 end)`),
    sql`sum(sales)`,
    sql`sum(nf)`,
    ...READY_COLUMNS.map((_, b) => sql`sum(case when rb = ${sql.lit(b)} then 1 else 0 end)`),
  ];
  return sql`insert into order_stats (vendor_id, ${sql.ref('hour')}, chain_id, ${sql.join(STATS_COLUMNS.map((c) => sql.ref(c)))})
    select vendor_id, ${sql.ref('hour')}, min(chain_id), ${sql.join(cols)} from (${rows}) x group by vendor_id, ${sql.ref('hour')}`;
}

/**
 * Hourly rollup of orders per store (`order_stats`), replacing the day counters and the dashboard's covering
 * indexes.
 *
 * One row per (store, UTC hour of created_at): orders in each status, sales (minor units, cancelled orders
 * excluded), orders with a line not found, and a histogram of RECEIVED → READY_FOR_PICKUP seconds (44
 * log-spaced buckets, see READY_EDGES_S). It is kept exact by ONE single-row upsert in the order's
 * transaction (`bumpOrderStats`): an intake adds the order's contribution, a change adds new − old (a status
 * move is −1 in one status column and +1 in another of the same row, a cart edit moves sales / not-found,
 * READY_FOR_PICKUP adds its bucket). Status is a column, not part of the key, so every change is one row
 * (a two-row upsert touching one key twice is an error on Postgres) and a chain's 30 days are 20 stores × 720
 * rows instead of 500,000 orders. The dashboard and the vendor list's total_count read whole hours here and
 * the partial hours at the ends of a window from the orders indexes, so every figure stays exact.
 *
 * A chain's rows are read by listing its stores (`vendor_id in (…)`, the primary key), so no chain index;
 * chain_id is kept for repairs and ad-hoc reading. Built here from the existing orders (both dialects).
 *
 * Dropped: `order_day_counts`; the covering `orders_dash_*` indexes and `order_events_ready_idx` (nothing
 * reads them any more; the covering ones changed on every status change and cart edit). The portal's chain
 * order list still needs `(chain_id, created_at)`: the narrow `orders_chain_created_idx` comes back, with id
 * for its keyset order.
 */
export function orderStats(dialect: Dialect) {
  return {
    async up(db: Kysely<any>): Promise<void> {
      const big = dialect === 'postgres' ? 'bigint' : 'integer';
      let t = db.schema
        .createTable('order_stats')
        .addColumn('vendor_id', 'text', (c) => c.notNull())
        .addColumn('hour', 'integer', (c) => c.notNull())
        .addColumn('chain_id', 'text', (c) => c.notNull());
      for (const c of STATS_COLUMNS) t = t.addColumn(c, c === 'sales_minor' ? big : 'integer', (col) => col.notNull().defaultTo(0));
      t = t.addPrimaryKeyConstraint('order_stats_pk', ['vendor_id', 'hour']);
      // SQLite: the rows live in the primary key's b-tree, so a store's hour range is one contiguous read.
      await (dialect === 'postgres' ? t : t.modifyEnd(sql`without rowid`)).execute();
      await rollupInsert(dialect, sql`true`).execute(db);

      await db.schema.dropTable('order_day_counts').execute();
      for (const i of ['orders_dash_chain_idx', 'orders_dash_vendor_idx', 'orders_dash_chain_nf_idx', 'orders_dash_vendor_nf_idx', 'order_events_ready_idx']) await db.schema.dropIndex(i).execute();
      await db.schema.createIndex('orders_chain_created_idx').on('orders').columns(['chain_id', 'created_at', 'id']).execute();
    },
  };
}
