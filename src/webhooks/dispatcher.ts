import pg from 'pg';
import type { Agent } from 'undici';
import type { AppContext } from '../platform/context.js';
import { openDatabase, type DatabaseHandle } from '../db/database.js';
import type { BackgroundService } from '../platform/background-service.js';
import { releaseAllLeases, storeAndClaim, type AttemptResult, type ClaimedDelivery } from './outbox.repository.js';
import { nextRetry, parseRetryAfter } from './retry.js';
import { createWebhookAgent, sendDelivery } from './sender.js';
import { webhookMetrics, type WebhookMetrics } from './webhooks.metrics.js';
import { onWake, WEBHOOK_CHANNEL } from '../platform/wake.js';

/** Most rows one claim takes; more in flight than this are claimed in several batches. */
const CLAIM_BATCH = 256;
/** Finished attempts stored at once when this many are waiting… */
const FLUSH_BATCH = 128;
/** …else at most this long after the first of them finished. */
const FLUSH_DELAY_MS = 2;

/** A wake-up flag that is never lost between checking for work and going to sleep. */
class Signal {
  private pending = false;
  private resolve: (() => void) | undefined;
  fire(): void {
    this.pending = true;
    const r = this.resolve;
    this.resolve = undefined;
    r?.();
  }
  async wait(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.resolve = undefined;
        resolve();
      }, ms);
      this.resolve = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.pending = false;
  }
}

/**
 * The webhook dispatcher: claims due deliveries in batches, POSTs them concurrently over a keep-alive
 * pool, and writes finished attempts back in batches. Woken on commit (in-process on SQLite, LISTEN/
 * NOTIFY on Postgres, so any number of processes), with a slow poll for retries that come due.
 */
export class WebhookDispatcher implements BackgroundService {
  readonly name = 'webhook-dispatcher';
  private readonly agent: Agent;
  private readonly metrics: WebhookMetrics;
  private readonly signal = new Signal();
  private running = false;
  private loopDone: Promise<void> | undefined;
  private inflight = 0;
  private results: AttemptResult[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private idleWaiters: Array<() => void> = [];
  private unsubscribe: (() => void) | undefined;
  private listener: pg.Client | undefined;
  private relistening = false;
  /** Postgres: the dispatcher's own small pool, so a claim never queues behind requests for a connection. */
  private ownDb: DatabaseHandle | undefined;
  /** The context the cycles run with (ctx, or ctx with the dispatcher's own pool). */
  private dbCtx: AppContext;

  constructor(private readonly ctx: AppContext) {
    this.agent = createWebhookAgent(ctx.config);
    this.metrics = webhookMetrics(ctx);
    this.dbCtx = ctx;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    if (this.ctx.dialect === 'sqlite') await releaseAllLeases(this.ctx);
    this.unsubscribe = onWake('webhooks', () => this.signal.fire());
    if (this.ctx.dialect === 'postgres') {
      // Commit → receipt under load: with the request pool, the claim after a NOTIFY waited behind every
      // request queued for one of its connections. SQLite has one connection (served first come, first served).
      this.ownDb = openDatabase(this.ctx.config, { poolSize: 2 });
      this.dbCtx = { ...this.ctx, handle: this.ownDb, db: this.ownDb.db };
      try {
        await this.listen();
      } catch (err) {
        await this.ownDb.close().catch(() => {});
        this.ownDb = undefined;
        this.dbCtx = this.ctx;
        this.running = false;
        this.unsubscribe();
        throw err;
      }
    }
    this.loopDone = this.loop();
  }

  /** Wakes the loop now (e.g. after a test moved the clock). */
  wake(): void {
    this.signal.fire();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.signal.fire();
    await this.loopDone;
    // Let in-flight POSTs finish (bounded by their timeout), then store their attempts.
    const deadline = setTimeout(() => void this.agent.destroy().catch(() => {}), this.ctx.config.webhookTimeoutMs);
    while (this.inflight > 0) await new Promise<void>((r) => this.idleWaiters.push(r));
    clearTimeout(deadline);
    await this.flushAll();
    this.clearFlushTimer();
    this.unsubscribe?.();
    const l = this.listener;
    this.listener = undefined;
    await l?.end().catch(() => {});
    const own = this.ownDb;
    this.ownDb = undefined;
    this.dbCtx = this.ctx;
    await own?.close().catch(() => {});
    await this.agent.close().catch(() => {});
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.ctx.config.databaseUrl });
    client.on('notification', () => this.signal.fire());
    client.on('error', (err) => {
      this.ctx.log.warn({ err }, 'webhook LISTEN connection lost; reconnecting');
      if (this.listener === client) this.listener = undefined;
      this.relisten();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${WEBHOOK_CHANNEL}`);
    } catch (err) {
      await client.end().catch(() => {});
      throw err;
    }
    this.listener = client;
    // Woken by nothing while it was away: look for work now.
    this.signal.fire();
  }

  /** Reconnects the LISTEN connection every second until the database is back (the poll covers the gap). */
  private relisten(): void {
    if (this.relistening) return;
    this.relistening = true;
    setTimeout(() => {
      this.relistening = false;
      if (this.running && !this.listener) this.listen().catch(() => this.relisten());
    }, 1000).unref();
  }

  /**
   * One cycle per turn, one transaction each: store the attempts finished so far and claim as many due
   * deliveries as there is room for (storeAndClaim). A cycle runs when woken (commit, a full batch of
   * results, FLUSH_DELAY_MS after the first unstored result, nothing left in flight) or every poll.
   */
  private async loop(): Promise<void> {
    const cfg = this.ctx.config;
    let failures = 0;
    while (this.running) {
      const room = cfg.webhookConcurrency - this.inflight;
      // Claim when there is real room (avoid one-row claims under load) or nothing is in flight.
      const limit = room > 0 && (this.inflight === 0 || room >= Math.min(CLAIM_BATCH, cfg.webhookConcurrency) / 4) ? Math.min(room, CLAIM_BATCH) : 0;
      let claimed = 0;
      if (limit > 0 || this.results.length > 0) {
        claimed = await this.cycle(limit);
        if (claimed < 0) {
          await new Promise((r) => setTimeout(r, Math.min(5000, 100 * 2 ** failures++)));
          continue;
        }
        failures = 0;
      }
      if (claimed > 0 && claimed === limit) continue; // probably more due
      await this.signal.wait(cfg.webhookPollMs);
    }
  }

  /** Stores every finished attempt gathered so far and claims up to `limit`; -1 when the transaction failed (nothing stored, nothing claimed). */
  private async cycle(limit: number): Promise<number> {
    const results = this.results;
    this.results = [];
    this.clearFlushTimer();
    const now = this.ctx.clock.now();
    try {
      const { disabled, claimed } = await storeAndClaim(this.dbCtx, results, limit, now, new Date(now.getTime() + this.ctx.config.webhookLeaseSeconds * 1000));
      for (const id of disabled) this.ctx.log.warn({ endpointId: id }, 'webhook endpoint disabled');
      for (const d of claimed) this.send(d);
      return claimed.length;
    } catch (err) {
      // Not stored means not acknowledged: keep them for the next cycle; if the process dies the lease expires and the delivery is sent again.
      this.results = results.length ? results.concat(this.results) : this.results;
      this.ctx.log.error({ err, results: results.length }, 'webhook store/claim failed; retrying');
      return -1;
    }
  }

  private send(d: ClaimedDelivery): void {
    this.inflight++;
    void sendDelivery(this.agent, this.ctx.config, this.ctx.clock, d).then((r) => {
      const now = this.ctx.clock.now();
      let next: AttemptResult['next'];
      if (r.outcome === 'success') next = { kind: 'succeeded' };
      else {
        const retryAfterMs = r.statusCode === 429 || r.statusCode === 503 || r.retryAfter ? parseRetryAfter(r.retryAfter, now) : undefined;
        const decision = nextRetry(this.ctx.config.webhookRetrySchedule, d.attempts + 1, now, retryAfterMs);
        next = decision.dead ? { kind: 'dead' } : { kind: 'retry', at: decision.at };
      }
      this.metrics.attempts.inc({ outcome: r.outcome });
      this.metrics.attemptDuration.observe(r.durationMs / 1000);
      if (r.outcome === 'success') this.metrics.endToEnd.observe(Math.max(0, Date.now() - Date.parse(d.createdAt)) / 1000);
      this.results.push({ delivery: d, startedAt: r.startedAt, durationMs: r.durationMs, statusCode: r.statusCode, responseBody: r.responseBody, error: r.error, outcome: r.outcome, next, gone: r.statusCode === 410 });
      this.inflight--;
      if (this.inflight === 0) for (const w of this.idleWaiters.splice(0)) w();
      this.scheduleFlush();
    });
  }

  /**
   * Finished attempts are stored in batches: the loop is woken at once when a batch is full or nothing
   * is left in flight, else FLUSH_DELAY_MS after the first of them finished (so one transaction carries
   * many attempts instead of one per event-loop turn).
   */
  private scheduleFlush(): void {
    if (this.results.length >= FLUSH_BATCH || this.inflight === 0) {
      this.clearFlushTimer();
      this.signal.fire();
    } else if (!this.flushTimer) {
      this.flushTimer = setTimeout(() => {
        this.flushTimer = undefined;
        this.signal.fire();
      }, FLUSH_DELAY_MS);
    }
  }

  private clearFlushTimer(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
  }

  /** After the loop stopped: stores what is left (retrying, as the loop would). */
  private async flushAll(): Promise<void> {
    for (let attempt = 0; this.results.length > 0; attempt++) {
      if ((await this.cycle(0)) >= 0) continue;
      if (attempt > 5) return;
      await new Promise((r) => setTimeout(r, Math.min(5000, 100 * 2 ** attempt)));
    }
  }
}

/** SERVICE_FACTORIES entry for the worker role. */
export function webhookDispatcherFactory(ctx: AppContext): BackgroundService {
  return new WebhookDispatcher(ctx);
}
