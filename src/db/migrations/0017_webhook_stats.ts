import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Dialect } from '../database.js';
import { hourSql } from './0016_order_stats.js';

/**
 * Attempt latency histogram: upper bounds (exclusive, whole milliseconds) of its buckets. 1 ms wide up to
 * 10 ms (1 … 9), then log-spaced 10 ms · 2^(k/4) for k = 0…52 (10 ms … 81.9 s). Bucket 0 is [0, 1 ms),
 * bucket b is [edge b−1, edge b), the last bucket (62) everything from 81,920 ms on. From 10 ms on each bucket
 * is 19 % wide: a percentile interpolated inside its bucket is off by less than one bucket width (19 %).
 */
export const LATENCY_EDGES_MS: readonly number[] = [
  ...Array.from({ length: 9 }, (_, i) => i + 1),
  ...Array.from({ length: 53 }, (_, k) => Math.round(10 * 2 ** (k / 4))),
];
export const LATENCY_BUCKETS = LATENCY_EDGES_MS.length + 1;
export const latencyColumn = (bucket: number) => `lat_${String(bucket).padStart(2, '0')}`;
export const LATENCY_COLUMNS: readonly string[] = Array.from({ length: LATENCY_BUCKETS }, (_, b) => latencyColumn(b));
/** Every counter column of webhook_stats, in table order. */
export const WEBHOOK_STATS_COLUMNS: readonly string[] = ['succeeded', 'dead', ...LATENCY_COLUMNS];

/** The latency bucket of a number of milliseconds, as SQL (the same bounds as `latencyBucket`). */
const latencyBucketSql = (ms: RawBuilder<unknown>): RawBuilder<number> =>
  sql<number>`case ${sql.join(LATENCY_EDGES_MS.map((e, k) => sql`when ${ms} < ${sql.lit(e)} then ${sql.lit(k)}`), sql` `)} else ${sql.lit(LATENCY_EDGES_MS.length)} end`;

/**
 * `insert into webhook_stats … select` the rollup of the deliveries and attempts matching `deliveries` (a
 * condition on `d`) and `attempts` (on `a`), grouped by chain, endpoint and hour: finished deliveries
 * (succeeded, dead) by the hour they were created, attempts by the hour they started, in latency buckets.
 */
export function webhookRollupInsert(dialect: Dialect, deliveries: RawBuilder<unknown>, attempts: RawBuilder<unknown>): RawBuilder<unknown> {
  const rows = sql`select d.chain_id, d.endpoint_id, ${hourSql(dialect, sql`d.created_at`)} as ${sql.ref('hour')}, d.status, null as lb
      from webhook_deliveries d where d.status in ('succeeded', 'dead') and ${deliveries}
    union all
    select a.chain_id, a.endpoint_id, ${hourSql(dialect, sql`a.started_at`)}, null, ${latencyBucketSql(sql`a.duration_ms`)}
      from webhook_attempts a where ${attempts}`;
  const cols = [
    sql`sum(case when status = 'succeeded' then 1 else 0 end)`,
    sql`sum(case when status = 'dead' then 1 else 0 end)`,
    ...LATENCY_COLUMNS.map((_, b) => sql`sum(case when lb = ${sql.lit(b)} then 1 else 0 end)`),
  ];
  return sql`insert into webhook_stats (chain_id, ${sql.ref('hour')}, endpoint_id, ${sql.join(WEBHOOK_STATS_COLUMNS.map((c) => sql.ref(c)))})
    select chain_id, ${sql.ref('hour')}, endpoint_id, ${sql.join(cols)} from (${rows}) x group by chain_id, ${sql.ref('hour')}, endpoint_id`;
}

/**
 * Hourly rollup of webhook health per chain and endpoint (`webhook_stats`), replacing the dashboard's scan of
 * a chain's deliveries and attempts over the window.
 *
 * One row per (chain, UTC hour, endpoint): deliveries created in that hour that are now succeeded or dead, and
 * the attempts started in that hour as a latency histogram (63 buckets, see LATENCY_EDGES_MS). Kept exact in
 * the dispatcher's store transaction (one multi-row upsert per batch, webhooks/webhook-stats.repository.ts
 * `bumpWebhookStats`) and by replay, which takes a replayed delivery out of succeeded / dead in the same
 * transaction that reopens it. Pending / in flight are counted live from the claim index (open rows only).
 * The dashboard reads whole hours here and the partial hours at both ends of its window from the tables.
 *
 * Dropped: `webhook_deliveries_health_idx (chain_id, created_at, status)`: nothing reads it any more (the
 * edges use `webhook_deliveries_log_idx (chain_id, created_at, id)`) and it moved on every status change.
 * `webhook_attempts_health_idx` stays: the edges read attempt latencies through it.
 */
export function webhookStats(dialect: Dialect) {
  return {
    async up(db: Kysely<any>): Promise<void> {
      let t = db.schema
        .createTable('webhook_stats')
        .addColumn('chain_id', 'text', (c) => c.notNull())
        .addColumn('hour', 'integer', (c) => c.notNull())
        .addColumn('endpoint_id', 'text', (c) => c.notNull());
      for (const c of WEBHOOK_STATS_COLUMNS) t = t.addColumn(c, 'integer', (col) => col.notNull().defaultTo(0));
      t = t.addPrimaryKeyConstraint('webhook_stats_pk', ['chain_id', 'hour', 'endpoint_id']);
      await (dialect === 'postgres' ? t : t.modifyEnd(sql`without rowid`)).execute();
      await webhookRollupInsert(dialect, sql`true`, sql`true`).execute(db);
      await db.schema.dropIndex('webhook_deliveries_health_idx').execute();
    },
  };
}
