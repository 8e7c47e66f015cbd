import client from 'prom-client';
import type { AppContext } from '../platform/context.js';
import { isoOrNull, num } from '../db/rows.js';

export interface WebhookMetrics {
  attempts: client.Counter<'outcome'>;
  attemptDuration: client.Histogram;
  endToEnd: client.Histogram;
}

const cache = new WeakMap<AppContext, WebhookMetrics>();

/** Webhook metrics on the context's registry (created once per context): queue depth and oldest pending age are read from the outbox at scrape time. */
export function webhookMetrics(ctx: AppContext): WebhookMetrics {
  const existing = cache.get(ctx);
  if (existing) return existing;
  const registers = [ctx.metrics.registry];
  const attempts = new client.Counter({ name: 'comanda_webhook_attempts_total', help: 'Webhook delivery attempts by outcome', labelNames: ['outcome'] as const, registers });
  const attemptDuration = new client.Histogram({
    name: 'comanda_webhook_attempt_duration_seconds',
    help: 'Webhook POST latency (request sent → response read)',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15],
    registers,
  });
  const endToEnd = new client.Histogram({
    name: 'comanda_webhook_delivery_latency_seconds',
    help: 'Event written → successful delivery',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5, 30, 300, 3600, 86400],
    registers,
  });
  new client.Gauge({
    name: 'comanda_webhook_queue_depth',
    help: 'Deliveries by open status (waiting behind an earlier event of the order, pending, in_flight) and dead-lettered',
    labelNames: ['status'] as const,
    registers,
    async collect() {
      const rows = await ctx.db
        .selectFrom('webhook_deliveries')
        .select(['status', (eb) => eb.fn.countAll().as('n')])
        .where('status', 'in', ['waiting', 'pending', 'in_flight', 'dead'])
        .groupBy('status')
        .execute();
      this.reset();
      for (const s of ['waiting', 'pending', 'in_flight', 'dead']) this.set({ status: s }, num(rows.find((r) => r.status === s)?.n ?? 0));
    },
  });
  new client.Gauge({
    name: 'comanda_webhook_oldest_pending_age_seconds',
    help: 'Age of the oldest delivery not yet delivered (0 when none)',
    registers,
    async collect() {
      const row = await ctx.db
        .selectFrom('webhook_deliveries')
        .select((eb) => eb.fn.min('created_at').as('oldest'))
        .where('status', 'in', ['waiting', 'pending', 'in_flight'])
        .executeTakeFirst();
      const oldest = isoOrNull(row?.oldest);
      this.set(oldest ? Math.max(0, (ctx.clock.now().getTime() - Date.parse(oldest)) / 1000) : 0);
    },
  });
  const m = { attempts, attemptDuration, endToEnd };
  cache.set(ctx, m);
  return m;
}
