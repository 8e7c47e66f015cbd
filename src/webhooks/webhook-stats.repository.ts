import { sql, type RawBuilder } from 'kysely';
import type { Dialect, Executor, Trx } from '../db/database.js';
import { LATENCY_BUCKETS, LATENCY_COLUMNS, LATENCY_EDGES_MS, WEBHOOK_STATS_COLUMNS, webhookRollupInsert } from '../db/migrations/0017_webhook_stats.js';
import { isoOrNull, num } from '../db/rows.js';
import { hourOf, splitWindow } from '../platform/time-buckets.js';
import type { AttemptResult } from './delivery.types.js';
import { bucketPercentile } from '../platform/histogram.js';

/**
 * The hourly rollup of webhook health per chain and endpoint (`webhook_stats`, migration 0017): what the
 * dispatcher's store step adds (`bumpWebhookStats`), what a replay takes out (`unrollReplayed`), and the
 * dashboard's figures over a window (`webhookFigures`: whole hours here, partial hours from the tables) and
 * the repair after a bulk load (`rebuildWebhookStats`).
 */

/** The latency bucket of a number of milliseconds (bounds: LATENCY_EDGES_MS). */
export function latencyBucket(ms: number): number {
  let lo = 0;
  let hi = LATENCY_EDGES_MS.length;
  // First edge > ms (edges ascending).
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ms < LATENCY_EDGES_MS[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * p-th percentile (whole ms) of a latency histogram (counts per LATENCY_EDGES_MS bucket): the bucket holding
 * the rank, interpolated linearly inside it; the open last bucket answers its lower bound.
 */
export const latencyPercentile = (counts: readonly number[], p: number): number | null => bucketPercentile(LATENCY_EDGES_MS, counts, p);

const SUCCEEDED = 0;
const DEAD = 1;
const LAT0 = 2;

/** Deltas per (chain, hour, endpoint), in WEBHOOK_STATS_COLUMNS order. */
class Deltas {
  readonly rows = new Map<string, { chainId: string; hour: number; endpointId: string; d: number[] }>();
  add(chainId: string, endpointId: string, hour: number, col: number, v: number): void {
    const k = `${chainId}\u0000${hour}\u0000${endpointId}`;
    let r = this.rows.get(k);
    if (!r) this.rows.set(k, (r = { chainId, hour, endpointId, d: new Array<number>(WEBHOOK_STATS_COLUMNS.length).fill(0) }));
    r.d[col] = r.d[col]! + v;
  }
}

/**
 * Adds the deltas as one multi-row upsert (keys distinct: Postgres refuses a statement touching one row
 * twice). Counters are integer literals, so a batch of any size is one statement well inside the bind limit.
 */
async function upsert(trx: Trx, deltas: Deltas): Promise<void> {
  // In key order: two transactions upserting the same rows lock them in the same order (no deadlock).
  const rows = [...deltas.rows.entries()]
    .sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))
    .map(([, r]) => r)
    .filter((r) => r.d.some((v) => v !== 0));
  if (rows.length === 0) return;
  const cols = WEBHOOK_STATS_COLUMNS.map((c) => sql.ref(c));
  await sql`insert into webhook_stats (chain_id, ${sql.ref('hour')}, endpoint_id, ${sql.join(cols)})
    values ${sql.join(rows.map((r) => sql`(${r.chainId}, ${sql.lit(r.hour)}, ${r.endpointId}, ${sql.join(r.d.map((v) => sql.lit(v)))})`))}
    on conflict (chain_id, ${sql.ref('hour')}, endpoint_id) do update set
    ${sql.join(WEBHOOK_STATS_COLUMNS.map((c) => sql`${sql.ref(c)} = webhook_stats.${sql.ref(c)} + excluded.${sql.ref(c)}`))}`.execute(trx);
}

/**
 * The store step's part (recordAttempts, same transaction): every attempt into its start hour's latency
 * bucket, every delivery that reached succeeded or dead into its creation hour. One statement per batch,
 * called after the order locks (promoteSuccessors), as replay does: the chain's current-hour row is the one
 * every dispatcher touches, so it is locked last and held only until the commit.
 */
export async function bumpWebhookStats(trx: Trx, results: readonly AttemptResult[]): Promise<void> {
  const deltas = new Deltas();
  for (const r of results) {
    const { chainId, endpointId, createdAt } = r.delivery;
    deltas.add(chainId, endpointId, hourOf(r.startedAt.toISOString()), LAT0 + latencyBucket(Math.round(r.durationMs)), 1);
    if (r.next.kind === 'succeeded') deltas.add(chainId, endpointId, hourOf(createdAt), SUCCEEDED, 1);
    else if (r.next.kind === 'dead') deltas.add(chainId, endpointId, hourOf(createdAt), DEAD, 1);
  }
  await upsert(trx, deltas);
}

/**
 * Replay (before it reopens the deliveries, same transaction): the ones of `ids` on `endpointId` now succeeded
 * or dead leave those counts. Postgres locks them, so a concurrent replay of the same delivery sees it reopened
 * and does not take it out twice.
 */
export async function unrollReplayed(trx: Trx, dialect: Dialect, endpointId: string, ids: readonly string[]): Promise<void> {
  const deltas = new Deltas();
  for (let i = 0; i < ids.length; i += 500) {
    const part = ids.slice(i, i + 500);
    const rows = (
      await sql<{ chain_id: string; status: string; created_at: unknown }>`select chain_id, status, created_at from webhook_deliveries
        where id in (${sql.join(part)}) and endpoint_id = ${endpointId} and status in ('succeeded', 'dead') ${dialect === 'postgres' ? sql`for update` : sql``}`.execute(trx)
    ).rows;
    for (const r of rows) deltas.add(r.chain_id, endpointId, hourOf(isoOrNull(r.created_at as string)!), r.status === 'dead' ? DEAD : SUCCEEDED, -1);
  }
  await upsert(trx, deltas);
}

export interface WebhookFigures {
  succeeded: number;
  dead: number;
  /** pending + in flight, created in the window. */
  open: number;
  /** Attempts started in the window per LATENCY_EDGES_MS bucket. */
  latency: number[];
}

type Q = { db: Executor; dialect: Dialect };

/**
 * Webhook figures of a chain over [from, to): succeeded / dead deliveries created in the window and the
 * latency histogram of attempts started in it from the rollup's whole hours (one primary-key range) plus the
 * partial hours at both ends from the tables (deliveries through `webhook_deliveries_log_idx`, attempts through
 * `webhook_attempts_health_idx`); pending and in flight counted live through the claim index (open rows only;
 * SQLite pins it, it would rather range-scan the chain's log index).
 */
export async function webhookFigures(q: Q, chainId: string, from: string, to: string): Promise<WebhookFigures> {
  const w = splitWindow(from, to);
  const latency = new Array<number>(LATENCY_BUCKETS).fill(0);
  const out: WebhookFigures = { succeeded: 0, dead: 0, open: 0, latency };
  if (from >= to) return out;
  const claim: RawBuilder<unknown> = q.dialect === 'postgres' ? sql`webhook_deliveries` : sql`webhook_deliveries indexed by webhook_deliveries_claim_idx`;
  const [whole, open, ...edges] = await Promise.all([
    w.toHour > w.fromHour
      ? sql<Record<string, unknown>>`select ${sql.join(WEBHOOK_STATS_COLUMNS.map((c) => sql`sum(${sql.ref(c)}) as ${sql.ref(c)}`))}
          from webhook_stats where chain_id = ${chainId} and ${sql.ref('hour')} >= ${w.fromHour} and ${sql.ref('hour')} < ${w.toHour}`.execute(q.db)
      : undefined,
    sql<{ n: unknown }>`select count(*) as n from ${claim} where (status = 'pending' or status = 'in_flight')
      and chain_id = ${chainId} and created_at >= ${from} and created_at < ${to}`.execute(q.db),
    ...w.edges.map((e) =>
      Promise.all([
        sql<{ status: string; n: unknown }>`select status, count(*) as n from webhook_deliveries
          where chain_id = ${chainId} and created_at >= ${e.from} and created_at < ${e.to} and status in ('succeeded', 'dead') group by status`.execute(q.db),
        sql<{ v: unknown; n: unknown }>`select duration_ms as v, count(*) as n from webhook_attempts
          where chain_id = ${chainId} and started_at >= ${e.from} and started_at < ${e.to} group by duration_ms`.execute(q.db),
      ]),
    ),
  ]);
  const r = whole?.rows[0];
  if (r) {
    out.succeeded += num(r.succeeded);
    out.dead += num(r.dead);
    LATENCY_COLUMNS.forEach((c, b) => (latency[b] = latency[b]! + num(r[c])));
  }
  out.open = num(open.rows[0]?.n);
  for (const [byStatus, durations] of edges) {
    for (const x of byStatus.rows) {
      if (x.status === 'succeeded') out.succeeded += num(x.n);
      else out.dead += num(x.n);
    }
    for (const x of durations.rows) {
      const b = latencyBucket(num(x.v));
      latency[b] = latency[b]! + num(x.n);
    }
  }
  return out;
}

/** Recomputes a chain's rollup from its deliveries and attempts (bulk loads, repairs). */
export async function rebuildWebhookStats(db: Executor, dialect: Dialect, chainId: string): Promise<void> {
  await sql`delete from webhook_stats where chain_id = ${chainId}`.execute(db);
  await webhookRollupInsert(dialect, sql`d.chain_id = ${chainId}`, sql`a.chain_id = ${chainId}`).execute(db);
}

export { LATENCY_BUCKETS, LATENCY_COLUMNS, LATENCY_EDGES_MS, WEBHOOK_STATS_COLUMNS };
