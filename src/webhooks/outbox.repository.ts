import { sql } from 'kysely';
import { writeAudit } from '../audit/index.js';
import type { AppContext } from '../platform/context.js';
import type { Trx } from '../db/database.js';
import { bulkInsert, inText, type BulkSpec } from '../db/bulk.js';
import { isoOrNull, num } from '../db/rows.js';
import { openEndpointSecrets } from './endpoints.repository.js';
import { deliveryBody } from './events.js';
import { uuidv7 } from '../platform/ids.js';
import { bumpWebhookStats, unrollReplayed } from './webhook-stats.repository.js';

export type { AttemptOutcome, AttemptResult, ClaimedDelivery } from './delivery.types.js';
import type { AttemptResult, ClaimedDelivery } from './delivery.types.js';

/**
 * Claims up to `limit` due deliveries in one transaction: pending ones whose time has come and
 * in-flight ones whose lease (stored in next_attempt_at) expired. Postgres skips rows other
 * dispatchers hold (FOR UPDATE SKIP LOCKED); SQLite has one writer. Later events of an order are
 * `waiting`, not pending, so at most one delivery per order and endpoint is ever claimable.
 */
export async function claimDue(ctx: AppContext, limit: number, now: Date, leaseUntil: Date): Promise<ClaimedDelivery[]> {
  return ctx.db.transaction().execute((trx) => claimIn(ctx, trx, limit, now, leaseUntil));
}

/**
 * One dispatcher cycle in one transaction (one commit instead of two): stores the finished attempts
 * (recordAttempts), then claims up to `limit` due deliveries (claimDue), which sees the successors
 * the store just promoted. Nothing is claimed when `limit` is 0.
 */
export async function storeAndClaim(
  ctx: AppContext,
  results: AttemptResult[],
  limit: number,
  now: Date,
  leaseUntil: Date,
): Promise<{ disabled: string[]; claimed: ClaimedDelivery[] }> {
  return ctx.db.transaction().execute(async (trx) => {
    const disabled = results.length > 0 ? await recordIn(ctx, trx, results) : [];
    const claimed = limit > 0 ? await claimIn(ctx, trx, limit, now, leaseUntil) : [];
    return { disabled, claimed };
  });
}

async function claimIn(ctx: AppContext, trx: Trx, limit: number, now: Date, leaseUntil: Date): Promise<ClaimedDelivery[]> {
  const nowIso = now.toISOString();
  const leaseIso = leaseUntil.toISOString();
  const lock = ctx.dialect === 'postgres' ? sql`for update of d skip locked` : sql``;
  // One `update … returning` per status: the due rows of one index range, already in next_attempt_at
  // order (no sort of the backlog), leased in the same statement. The status is a literal so SQLite
  // sees that the claim index's predicate (pending or in_flight) is implied.
  const take = async (status: 'pending' | 'in_flight', n: number) =>
    (
      await sql<LeasedRow>`
        update webhook_deliveries set status = 'in_flight', next_attempt_at = ${leaseIso}, updated_at = ${nowIso}
        where id in (
          select d.id from webhook_deliveries d
          join webhook_endpoints e on e.id = d.endpoint_id
          where d.status = ${sql.lit(status)} and d.next_attempt_at <= ${nowIso} and e.enabled = ${true}
          order by d.next_attempt_at
          limit ${n} ${lock})
        returning id, event_id, event_type, endpoint_id, chain_id, order_key, attempts, attempt_base, sequence, created_at`.execute(trx)
    ).rows;
  const expired = await take('in_flight', limit);
  const leased = expired.length < limit ? [...expired, ...(await take('pending', limit - expired.length))] : expired;
  if (leased.length === 0) return [];
  // The body is stored once per event; endpoint secrets are read and decrypted once per endpoint.
  const bodies = new Map<string, string>();
  const eventIds = [...new Set(leased.map((r) => r.event_id))];
  for (const part of chunks(eventIds, 500)) {
    for (const r of (await sql<{ id: string; body: string }>`select id, body from webhook_events where ${inText(ctx.dialect, 'id', part)}`.execute(trx)).rows) bodies.set(r.id, r.body);
  }
  const endpointIds = [...new Set(leased.map((r) => r.endpoint_id))];
  const endpoints = await trx
    .selectFrom('webhook_endpoints')
    .select(['id', 'url', 'auth_header', 'auth_secret', 'signing_secret', 'previous_signing_secret', 'previous_secret_expires_at'])
    .where('id', 'in', endpointIds)
    .execute();
  const opened = new Map<string, { url: string; authHeader: string; authSecret: string; signingSecrets: string[] }>();
  for (const e of endpoints) {
    const prevUntil = isoOrNull(e.previous_secret_expires_at);
    const clear = openEndpointSecrets(ctx.secrets, e.id, e);
    const signingSecrets = [clear.signingSecret];
    if (clear.previousSigningSecret && prevUntil && prevUntil > nowIso) signingSecrets.push(clear.previousSigningSecret);
    opened.set(e.id, { url: e.url, authHeader: e.auth_header, authSecret: clear.authSecret, signingSecrets });
  }
  return leased.map((r) => {
    const ep = opened.get(r.endpoint_id)!;
    return {
      id: r.id,
      eventId: r.event_id,
      eventType: r.event_type,
      endpointId: r.endpoint_id,
      chainId: r.chain_id,
      orderKey: r.order_key,
      attempts: num(r.attempts),
      attemptBase: num(r.attempt_base),
      body: deliveryBody(bodies.get(r.event_id)!, r.sequence === null ? null : num(r.sequence)),
      url: ep.url,
      authHeader: ep.authHeader,
      authSecret: ep.authSecret,
      signingSecrets: ep.signingSecrets,
      createdAt: isoOrNull(r.created_at)!,
    };
  });
}

interface LeasedRow {
  id: string;
  event_id: string;
  event_type: string;
  endpoint_id: string;
  chain_id: string;
  order_key: string | null;
  attempts: number | string;
  attempt_base: number | string;
  sequence: number | string | null;
  created_at: string | Date;
}

const ATTEMPT_ROW: BulkSpec = {
  table: 'webhook_attempts',
  columns: ['id', 'delivery_id', 'endpoint_id', 'chain_id', 'attempt', 'started_at', 'duration_ms', 'status_code', 'response_body', 'error', 'outcome'],
  pgTypes: ['text', 'text', 'text', 'text', 'integer', 'timestamptz', 'integer', 'integer', 'text', 'text', 'text'],
};

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Stores a batch of finished attempts in one transaction: every attempt row, each delivery's new
 * state, the webhook_stats rollup (webhook-stats.repository.ts), and endpoint health (failing_since,
 * 410 → disabled, failing too long → disabled + flagged).
 */
export async function recordAttempts(ctx: AppContext, results: AttemptResult[]): Promise<{ disabled: string[] }> {
  if (results.length === 0) return { disabled: [] };
  return { disabled: await ctx.db.transaction().execute((trx) => recordIn(ctx, trx, results)) };
}

async function recordIn(ctx: AppContext, trx: Trx, results: AttemptResult[]): Promise<string[]> {
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  // Attempt ids sort by time (UUIDv7): the primary-key index is appended to, not split at random pages.
  await bulkInsert(
    trx,
    ctx.dialect,
    ATTEMPT_ROW,
    results.map((r) => [uuidv7(), r.delivery.id, r.delivery.endpointId, r.delivery.chainId, r.delivery.attemptBase + r.delivery.attempts + 1, r.startedAt.toISOString(), Math.round(r.durationMs), r.statusCode, r.responseBody, r.error, r.outcome]),
  );
  // Successes: one statement per status code (almost always one).
  const byCode = new Map<number | null, string[]>();
  for (const r of results) {
    if (r.next.kind !== 'succeeded') continue;
    const list = byCode.get(r.statusCode) ?? [];
    list.push(r.delivery.id);
    byCode.set(r.statusCode, list);
  }
  for (const [code, ids] of byCode) {
    for (const part of chunks(ids, 500)) {
      await sql`update webhook_deliveries set status = 'succeeded', attempts = attempts + 1, last_status_code = ${code}, last_error = null,
        updated_at = ${nowIso}, completed_at = ${nowIso} where ${inText(ctx.dialect, 'id', part)}`.execute(trx);
    }
  }
  for (const r of results) {
    if (r.next.kind === 'succeeded') continue;
    const dead = r.next.kind === 'dead';
    await trx
      .updateTable('webhook_deliveries')
      .set({
        status: dead ? 'dead' : 'pending',
        attempts: r.delivery.attempts + 1,
        next_attempt_at: r.next.kind === 'retry' ? r.next.at.toISOString() : nowIso,
        last_status_code: r.statusCode,
        last_error: r.error,
        updated_at: nowIso,
        completed_at: dead ? nowIso : null,
      })
      .where('id', '=', r.delivery.id)
      .execute();
  }
  await promoteSuccessors(ctx, trx, results, nowIso);
  await bumpWebhookStats(trx, results);
  return updateEndpointHealth(ctx, trx, results, now);
}

/**
 * For every order whose open delivery just finished (succeeded or dead-lettered), the next waiting
 * one of that order and endpoint becomes pending.
 */
async function promoteSuccessors(ctx: AppContext, trx: Trx, results: AttemptResult[], nowIso: string): Promise<void> {
  const done = new Map<string, OrderPair>();
  for (const r of results) {
    if (r.next.kind === 'retry' || r.delivery.orderKey === null) continue;
    done.set(`${r.delivery.endpointId}\u0000${r.delivery.orderKey}`, { chainId: r.delivery.chainId, endpointId: r.delivery.endpointId, orderKey: r.delivery.orderKey });
  }
  if (done.size === 0) return;
  const pairs = [...done.values()];
  await lockOrders(ctx, trx, pairs);
  await promoteHeads(ctx, trx, pairs, nowIso);
}

export interface OrderPair {
  chainId: string;
  endpointId: string;
  orderKey: string;
}

/**
 * Postgres: locks the orders' sequence rows (sorted, so two transactions cannot deadlock), which
 * serialises promotions, replays and emit()'s open-delivery check of one order. SQLite has one writer.
 */
export async function lockOrders(ctx: AppContext, trx: Trx, pairs: OrderPair[]): Promise<void> {
  if (ctx.dialect !== 'postgres' || pairs.length === 0) return;
  const keys = [...new Set(pairs.map((p) => `${p.chainId}\u0000${p.orderKey}`))].sort();
  for (const part of chunks(keys, 500)) {
    const rows = part.map((k) => k.split('\u0000') as [string, string]);
    await sql`select 1 from webhook_sequences where (chain_id, order_key) in (${sql.join(rows.map(([c, o]) => sql`(${c}, ${o})`))})
      order by chain_id, order_key for update`.execute(trx);
  }
}

/**
 * For each (endpoint, order) with nothing pending or in flight, its waiting delivery with the lowest
 * sequence becomes pending (the per-order FIFO). Callers hold the orders' locks (lockOrders).
 */
export async function promoteHeads(ctx: AppContext, trx: Trx, pairs: OrderPair[], nowIso: string): Promise<void> {
  for (const part of chunks(pairs, 300)) {
    const inPairs = sql.join(part.map((p) => sql`(${p.endpointId}, ${p.orderKey})`));
    const heads =
      ctx.dialect === 'postgres'
        ? sql`select distinct on (endpoint_id, order_key) id from webhook_deliveries
            where status = 'waiting' and (endpoint_id, order_key) in (${inPairs})
            order by endpoint_id, order_key, sequence`
        : sql`select id from (select id, min(sequence) from webhook_deliveries
            where status = 'waiting' and (endpoint_id, order_key) in (values ${inPairs})
            group by endpoint_id, order_key)`;
    // Never two open at once: skip an order whose other delivery is already open.
    await sql`update webhook_deliveries set status = 'pending', next_attempt_at = ${nowIso}, updated_at = ${nowIso}
      where id in (${heads}) and not exists (
        select 1 from webhook_deliveries o where o.endpoint_id = webhook_deliveries.endpoint_id
          and o.order_key = webhook_deliveries.order_key and o.status in ('pending', 'in_flight'))`.execute(trx);
  }
}

/**
 * Replays deliveries of one endpoint (ids chosen by the caller, none in flight or waiting): each starts
 * a fresh retry schedule with its attempt history kept (attempt numbers continue), and re-enters its
 * order's FIFO in sequence order — the order's replayed and not yet claimed deliveries all wait, and
 * per order the lowest sequence becomes pending unless one is in flight; a replayed delivery leaves the
 * rollup's succeeded / dead counts. Returns how many were replayed.
 */
export async function replayDeliveries(ctx: AppContext, trx: Trx, chainId: string, endpointId: string, ids: string[], nowIso: string): Promise<number> {
  if (ids.length === 0) return 0;
  let replayed = 0;
  const keys = new Set<string>();
  for (const part of chunks(ids, 500)) {
    const rows = await trx.selectFrom('webhook_deliveries').select(['order_key']).where('id', 'in', part).where('order_key', 'is not', null).execute();
    for (const r of rows) keys.add(r.order_key!);
  }
  const pairs: OrderPair[] = [...keys].map((orderKey) => ({ chainId, endpointId, orderKey }));
  await lockOrders(ctx, trx, pairs);
  await unrollReplayed(trx, ctx.dialect, endpointId, ids);
  for (const part of chunks(ids, 500)) {
    const res = await sql`update webhook_deliveries set
        status = case when order_key is null then 'pending' else 'waiting' end,
        attempt_base = attempt_base + attempts, attempts = 0, next_attempt_at = ${nowIso},
        completed_at = null, updated_at = ${nowIso}
      where id in (${sql.join(part)}) and endpoint_id = ${endpointId} and status in ('dead', 'pending', 'succeeded', 'cancelled')`.execute(trx);
    replayed += Number(res.numAffectedRows ?? 0);
  }
  for (const part of chunks([...keys], 500)) {
    // Later events of these orders not yet sent step back behind the replayed ones.
    await sql`update webhook_deliveries set status = 'waiting', updated_at = ${nowIso}
      where endpoint_id = ${endpointId} and status = 'pending' and order_key in (${sql.join(part)})`.execute(trx);
  }
  await promoteHeads(ctx, trx, pairs, nowIso);
  return replayed;
}

async function updateEndpointHealth(ctx: AppContext, trx: Trx, results: AttemptResult[], now: Date): Promise<string[]> {
  const nowIso = now.toISOString();
  const ok = new Set<string>();
  const failed = new Set<string>();
  const gone = new Set<string>();
  for (const r of results) {
    if (r.outcome === 'success') ok.add(r.delivery.endpointId);
    else failed.add(r.delivery.endpointId);
    if (r.gone) gone.add(r.delivery.endpointId);
  }
  if (ok.size) {
    await trx.updateTable('webhook_endpoints').set({ failing_since: null }).where('id', 'in', [...ok]).where('failing_since', 'is not', null).execute();
  }
  const stillFailing = [...failed].filter((id) => !ok.has(id));
  if (stillFailing.length === 0 && gone.size === 0) return [];
  if (stillFailing.length) {
    await trx.updateTable('webhook_endpoints').set({ failing_since: nowIso }).where('id', 'in', stillFailing).where('failing_since', 'is', null).execute();
  }
  const cutoff = new Date(now.getTime() - ctx.config.webhookDisableAfterSeconds * 1000).toISOString();
  const tooLong = stillFailing.length
    ? await trx.selectFrom('webhook_endpoints').select(['id', 'chain_id']).where('id', 'in', stillFailing).where('enabled', '=', true).where('failing_since', '<=', cutoff).execute()
    : [];
  const goneRows = gone.size ? await trx.selectFrom('webhook_endpoints').select(['id', 'chain_id']).where('id', 'in', [...gone]).where('enabled', '=', true).execute() : [];
  const disabled: string[] = [];
  for (const [rows, reason] of [
    [goneRows, 'gone'],
    [tooLong.filter((r) => !gone.has(r.id)), 'failing'],
  ] as const) {
    for (const row of rows) {
      await trx.updateTable('webhook_endpoints').set({ enabled: false, disabled_reason: reason, disabled_at: nowIso, updated_at: nowIso }).where('id', '=', row.id).execute();
      await writeAudit(trx, { chainId: row.chain_id, actor: 'system', action: 'webhook.auto_disabled', targetType: 'webhook_endpoint', targetId: row.id, details: { reason } }, now);
      disabled.push(row.id);
    }
  }
  return disabled;
}

/** SQLite runs one dispatcher: anything left in flight by a killed process is due again at once. */
export async function releaseAllLeases(ctx: AppContext): Promise<number> {
  const nowIso = ctx.clock.now().toISOString();
  const res = await ctx.db
    .updateTable('webhook_deliveries')
    .set({ status: 'pending', next_attempt_at: nowIso, updated_at: nowIso })
    .where('status', '=', 'in_flight')
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}
