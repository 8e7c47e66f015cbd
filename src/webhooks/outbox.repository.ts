import { sql } from 'kysely';
import { writeAudit } from '../audit/audit.repository.js';
import type { AppContext } from '../context.js';
import type { Trx } from '../db/database.js';
import { isoOrNull, num } from '../db/rows.js';
import { uuid } from '../shared/secrets.js';

/** A delivery claimed by one dispatcher, with everything needed to POST it. */
export interface ClaimedDelivery {
  id: string;
  eventId: string;
  endpointId: string;
  chainId: string;
  orderKey: string | null;
  /** Attempts already made in the current schedule. */
  attempts: number;
  body: string;
  url: string;
  authHeader: string;
  authSecret: string;
  /** Secrets that sign (current first; the previous one during its grace period). */
  signingSecrets: string[];
  /** When the event was written (commit → receipt latency). */
  createdAt: string;
}

export type AttemptOutcome = 'success' | 'http_error' | 'timeout' | 'network_error' | 'ssrf_blocked';

/** One finished attempt and what it means for its delivery. */
export interface AttemptResult {
  delivery: ClaimedDelivery;
  startedAt: Date;
  durationMs: number;
  statusCode: number | null;
  responseBody: string | null;
  error: string | null;
  outcome: AttemptOutcome;
  /** What to do next: done, retry at a time, or dead-letter. */
  next: { kind: 'succeeded' } | { kind: 'retry'; at: Date } | { kind: 'dead' };
  /** 410 Gone: the endpoint asked to be disabled. */
  gone: boolean;
}

/**
 * Claims up to `limit` due deliveries in one transaction: pending ones whose time has come and
 * in-flight ones whose lease (stored in next_attempt_at) expired. Postgres skips rows other
 * dispatchers hold (FOR UPDATE SKIP LOCKED); SQLite has one writer. Later events of an order are
 * `waiting`, not pending, so at most one delivery per order and endpoint is ever claimable.
 */
export async function claimDue(ctx: AppContext, limit: number, now: Date, leaseUntil: Date): Promise<ClaimedDelivery[]> {
  const nowIso = now.toISOString();
  const leaseIso = leaseUntil.toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const lock = ctx.dialect === 'postgres' ? sql`for update of d skip locked` : sql``;
    // One index range per status, each already in next_attempt_at order (no sort of the backlog).
    const due = async (status: 'pending' | 'in_flight', n: number) =>
      (
        await sql<{ id: string }>`
          select d.id from webhook_deliveries d
          join webhook_endpoints e on e.id = d.endpoint_id
          where d.status = ${status} and d.next_attempt_at <= ${nowIso} and e.enabled = ${true}
          order by d.next_attempt_at
          limit ${n} ${lock}`.execute(trx)
      ).rows.map((r) => r.id);
    const expired = await due('in_flight', limit);
    const ids = expired.length < limit ? [...expired, ...(await due('pending', limit - expired.length))] : expired;
    if (ids.length === 0) return [];
    await trx
      .updateTable('webhook_deliveries')
      .set({ status: 'in_flight', next_attempt_at: leaseIso, lease_until: leaseIso, updated_at: nowIso })
      .where('id', 'in', ids)
      .execute();
    const rows = await trx
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhook_events as ev', 'ev.id', 'd.event_id')
      .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
      .select([
        'd.id',
        'd.event_id',
        'd.endpoint_id',
        'd.chain_id',
        'd.order_key',
        'd.attempts',
        'ev.body',
        'ev.created_at',
        'e.url',
        'e.auth_header',
        'e.auth_secret',
        'e.signing_secret',
        'e.previous_signing_secret',
        'e.previous_secret_expires_at',
      ])
      .where('d.id', 'in', ids)
      .execute();
    return rows.map((r) => {
      const prevUntil = isoOrNull(r.previous_secret_expires_at);
      const secrets = [r.signing_secret];
      if (r.previous_signing_secret && prevUntil && prevUntil > nowIso) secrets.push(r.previous_signing_secret);
      return {
        id: r.id,
        eventId: r.event_id,
        endpointId: r.endpoint_id,
        chainId: r.chain_id,
        orderKey: r.order_key,
        attempts: num(r.attempts),
        body: r.body,
        url: r.url,
        authHeader: r.auth_header,
        authSecret: r.auth_secret,
        signingSecrets: secrets,
        createdAt: isoOrNull(r.created_at)!,
      };
    });
  });
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Stores a batch of finished attempts in one transaction: every attempt row, each delivery's new
 * state, and endpoint health (failing_since, 410 → disabled, failing too long → disabled + flagged).
 */
export async function recordAttempts(ctx: AppContext, results: AttemptResult[]): Promise<{ disabled: string[] }> {
  if (results.length === 0) return { disabled: [] };
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    for (const part of chunks(results, 500)) {
      await trx
        .insertInto('webhook_attempts')
        .values(
          part.map((r) => ({
            id: uuid(),
            delivery_id: r.delivery.id,
            endpoint_id: r.delivery.endpointId,
            chain_id: r.delivery.chainId,
            attempt: r.delivery.attempts + 1,
            started_at: r.startedAt.toISOString(),
            duration_ms: Math.round(r.durationMs),
            status_code: r.statusCode,
            response_body: r.responseBody,
            error: r.error,
            outcome: r.outcome,
          })),
        )
        .execute();
    }
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
        await trx
          .updateTable('webhook_deliveries')
          .set((eb) => ({ status: 'succeeded', attempts: eb('attempts', '+', 1), last_status_code: code, last_error: null, lease_until: null, updated_at: nowIso, completed_at: nowIso }))
          .where('id', 'in', part)
          .execute();
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
          lease_until: null,
          last_status_code: r.statusCode,
          last_error: r.error,
          updated_at: nowIso,
          completed_at: dead ? nowIso : null,
        })
        .where('id', '=', r.delivery.id)
        .execute();
    }
    await promoteSuccessors(ctx, trx, results, nowIso);
    return { disabled: await updateEndpointHealth(ctx, trx, results, now) };
  });
}

/**
 * For every order whose open delivery just finished (succeeded or dead-lettered), the next waiting
 * one of that order and endpoint becomes pending. On Postgres the orders' sequence rows are locked
 * first (sorted, so two dispatchers cannot deadlock), which serialises this with emit()'s check.
 */
async function promoteSuccessors(ctx: AppContext, trx: Trx, results: AttemptResult[], nowIso: string): Promise<void> {
  const done = new Map<string, { chainId: string; endpointId: string; orderKey: string }>();
  for (const r of results) {
    if (r.next.kind === 'retry' || r.delivery.orderKey === null) continue;
    done.set(`${r.delivery.endpointId}\u0000${r.delivery.orderKey}`, { chainId: r.delivery.chainId, endpointId: r.delivery.endpointId, orderKey: r.delivery.orderKey });
  }
  if (done.size === 0) return;
  const pairs = [...done.values()];
  if (ctx.dialect === 'postgres') {
    const keys = [...new Set(pairs.map((p) => `${p.chainId}\u0000${p.orderKey}`))].sort();
    for (const part of chunks(keys, 500)) {
      const rows = part.map((k) => k.split('\u0000') as [string, string]);
      await sql`select 1 from webhook_sequences where (chain_id, order_key) in (${sql.join(rows.map(([c, o]) => sql`(${c}, ${o})`))})
        order by chain_id, order_key for update`.execute(trx);
    }
  }
  for (const part of chunks(pairs, 300)) {
    const inPairs = sql.join(part.map((p) => sql`(${p.endpointId}, ${p.orderKey})`));
    const heads =
      ctx.dialect === 'postgres'
        ? sql<{ id: string }>`select distinct on (endpoint_id, order_key) id from webhook_deliveries
            where status = 'waiting' and (endpoint_id, order_key) in (${inPairs})
            order by endpoint_id, order_key, sequence`
        : sql<{ id: string }>`select id from (select id, min(sequence) from webhook_deliveries
            where status = 'waiting' and (endpoint_id, order_key) in (values ${inPairs})
            group by endpoint_id, order_key)`;
    const ids = (await heads.execute(trx)).rows.map((r) => r.id);
    if (ids.length === 0) continue;
    // Never two open at once: skip an order whose other delivery is already open (e.g. a replay).
    await sql`update webhook_deliveries set status = 'pending', next_attempt_at = ${nowIso}, updated_at = ${nowIso}
      where id in (${sql.join(ids)}) and not exists (
        select 1 from webhook_deliveries o where o.endpoint_id = webhook_deliveries.endpoint_id
          and o.order_key = webhook_deliveries.order_key and o.status in ('pending', 'in_flight'))`.execute(trx);
  }
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
    .set({ status: 'pending', next_attempt_at: nowIso, lease_until: null, updated_at: nowIso })
    .where('status', '=', 'in_flight')
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}
