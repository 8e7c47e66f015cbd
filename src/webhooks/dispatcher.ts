import pg from 'pg';
import type { Agent } from 'undici';
import type { AppContext } from '../context.js';
import type { BackgroundService } from '../server.js';
import { claimDue, recordAttempts, releaseAllLeases, type AttemptResult, type ClaimedDelivery } from './outbox.repository.js';
import { nextRetry, parseRetryAfter } from './retry.js';
import { createWebhookAgent, sendDelivery } from './sender.js';
import { webhookMetrics, type WebhookMetrics } from './webhooks.metrics.js';
import { onWebhooksEmitted, WEBHOOK_CHANNEL } from './wake.js';

/** Most rows one claim takes; more in flight than this are claimed in several batches. */
const CLAIM_BATCH = 256;

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
  private flushing: Promise<void> | undefined;
  private idleWaiters: Array<() => void> = [];
  private unsubscribe: (() => void) | undefined;
  private listener: pg.Client | undefined;

  constructor(private readonly ctx: AppContext) {
    this.agent = createWebhookAgent(ctx.config);
    this.metrics = webhookMetrics(ctx);
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    if (this.ctx.dialect === 'sqlite') await releaseAllLeases(this.ctx);
    this.unsubscribe = onWebhooksEmitted(this.ctx, () => this.signal.fire());
    if (this.ctx.dialect === 'postgres') await this.listen();
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
    await this.flushing;
    await this.flush();
    this.unsubscribe?.();
    const l = this.listener;
    this.listener = undefined;
    await l?.end().catch(() => {});
    await this.agent.close().catch(() => {});
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.ctx.config.databaseUrl });
    client.on('notification', () => this.signal.fire());
    client.on('error', (err) => {
      this.ctx.log.warn({ err }, 'webhook LISTEN connection lost; reconnecting');
      if (this.listener === client) this.listener = undefined;
      setTimeout(() => {
        if (this.running && !this.listener) this.listen().catch(() => {});
      }, 1000).unref();
    });
    await client.connect();
    await client.query(`LISTEN ${WEBHOOK_CHANNEL}`);
    this.listener = client;
  }

  private async loop(): Promise<void> {
    const cfg = this.ctx.config;
    while (this.running) {
      const room = cfg.webhookConcurrency - this.inflight;
      let claimed = 0;
      // Claim when there is real room (avoid one-row claims under load) or nothing is in flight.
      if (room > 0 && (this.inflight === 0 || room >= Math.min(CLAIM_BATCH, cfg.webhookConcurrency) / 4)) {
        try {
          const now = this.ctx.clock.now();
          const batch = await claimDue(this.ctx, Math.min(room, CLAIM_BATCH), now, new Date(now.getTime() + cfg.webhookLeaseSeconds * 1000));
          claimed = batch.length;
          for (const d of batch) this.send(d);
        } catch (err) {
          this.ctx.log.error({ err }, 'webhook claim failed');
          await new Promise((r) => setTimeout(r, 500));
        }
      }
      if (claimed > 0 && claimed === Math.min(room, CLAIM_BATCH)) continue; // probably more due
      await this.signal.wait(cfg.webhookPollMs);
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
      this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    if (this.flushing) return;
    this.flushing = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.flush());
  }

  /** Writes every finished attempt gathered so far in one transaction, then lets the loop claim again. */
  private async flush(): Promise<void> {
    try {
      while (this.results.length > 0) {
        const batch = this.results;
        this.results = [];
        for (let attempt = 0; ; attempt++) {
          try {
            const { disabled } = await recordAttempts(this.ctx, batch);
            for (const id of disabled) this.ctx.log.warn({ endpointId: id }, 'webhook endpoint disabled');
            break;
          } catch (err) {
            // Not stored means not acknowledged: keep retrying; if the process dies the lease expires and the delivery is sent again.
            this.ctx.log.error({ err, attempt }, 'storing webhook attempts failed; retrying');
            await new Promise((r) => setTimeout(r, Math.min(5000, 100 * 2 ** attempt)));
            if (!this.running && attempt > 5) return;
          }
        }
      }
    } finally {
      this.flushing = undefined;
      if (this.results.length > 0) this.scheduleFlush();
      this.signal.fire();
      if (this.inflight === 0) for (const w of this.idleWaiters.splice(0)) w();
    }
  }
}

/** SERVICE_FACTORIES entry for the worker role. */
export function webhookDispatcherFactory(ctx: AppContext): BackgroundService {
  return new WebhookDispatcher(ctx);
}
