import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { num } from '../db/rows.js';
import { HOUR_MS } from '../platform/time-buckets.js';
import { percentile, webhookHealth } from '../orders/dashboard.service.js';
import type { Clock } from '../platform/clock.js';
import { uuid } from '../platform/secrets.js';
import { useTestContext } from '../test-support/test-app.js';
import { chainWithEndpoint, emitOne, FAST_WEBHOOKS, useWebhooks } from '../test-support/webhooks.js';
import { replayDelivery, replayFailed } from './deliveries.service.js';
import { drainWebhooks } from './drain.js';
import { LATENCY_BUCKETS, latencyBucket, latencyPercentile, rebuildWebhookStats, webhookFigures, type WebhookFigures } from './webhook-stats.repository.js';

/** Real time shifted by `offset` ms: the dispatcher's retries keep running while a test jumps hours. */
class ShiftClock implements Clock {
  offset = 0;
  now(): Date {
    return new Date(Date.now() + this.offset);
  }
}

describe('webhook_stats rollup: the dashboard webhook figures equal the ones counted from deliveries and attempts', () => {
  const clock = new ShiftClock();

  const s = useTestContext({ clock, config: { ...FAST_WEBHOOKS, webhookRetrySchedule: [0.05, 0.05, 0.05], webhookDisableAfterSeconds: 30 * 86_400 } });
  const w = useWebhooks(s, { dispatcher: 'create' });

  /** The figures straight from the tables (the dashboard's queries before the rollup). */
  async function reference(chainId: string, from: string, to: string): Promise<WebhookFigures & { exactP99: number | null }> {
    const byStatus = await sql<{ status: string; n: unknown }>`select status, count(*) as n from webhook_deliveries
      where chain_id = ${chainId} and created_at >= ${from} and created_at < ${to} group by status`.execute(s.ctx.db);
    const lat = await sql<{ v: unknown; n: unknown }>`select duration_ms as v, count(*) as n from webhook_attempts
      where chain_id = ${chainId} and started_at >= ${from} and started_at < ${to} group by duration_ms order by duration_ms`.execute(s.ctx.db);
    const c = (s: string) => num(byStatus.rows.find((r) => r.status === s)?.n ?? 0);
    const latency = new Array<number>(LATENCY_BUCKETS).fill(0);
    for (const r of lat.rows) latency[latencyBucket(num(r.v))]! += num(r.n);
    return { succeeded: c('succeeded'), dead: c('dead'), open: c('pending') + c('in_flight'), latency, exactP99: percentile(lat.rows.map((r) => ({ v: num(r.v), n: num(r.n) })), 99) };
  }

  /** The rollup's rows with any count (a replay can leave a row of zeros). */
  async function rollupRows(chainId: string) {
    const rows = (await sql<Record<string, unknown>>`select * from webhook_stats where chain_id = ${chainId} order by ${sql.ref('hour')}, endpoint_id`.execute(s.ctx.db)).rows;
    return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, k.endsWith('_id') ? v : num(v)]))).filter((r) => Object.entries(r).some(([k, v]) => k !== 'hour' && typeof v === 'number' && v !== 0));
  }

  it('successes, retries, dead letters and replays over several hours, the window cut anywhere', { timeout: 120_000 }, async () => {
    const { chainId, endpoint } = await chainWithEndpoint(s.ctx, w.receiver.url);
    const dead = new Set<string>();
    w.receiver.respondWith((r) => (r.orderId && dead.has(r.orderId) ? { status: 500 } : { status: 200, delayMs: Math.floor(Math.random() * 40) }));
    await w.dispatcher.start();

    const base = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
    /** Runs a phase at a time `hoursAgo` before now (20 minutes into that hour): emits and waits until sent. */
    const phases: string[] = [];
    async function phase(hoursAgo: number, opts: { ok: number; flaky: number; dead: number }) {
      clock.offset = base - hoursAgo * HOUR_MS + 20 * 60_000 - Date.now();
      phases.push(clock.now().toISOString());
      const orders: Record<'ok' | 'flaky' | 'dead', string[]> = { ok: [], flaky: [], dead: [] };
      for (const kind of ['ok', 'flaky', 'dead'] as const) for (let i = 0; i < opts[kind]; i++) orders[kind].push(uuid());
      for (const o of orders.flaky) w.receiver.enqueueForOrder(o, { status: 503 }, { status: 502, delayMs: 5 });
      for (const o of orders.dead) dead.add(o);
      for (const type of ['RECEIVED', 'READY_FOR_PICKUP'] as const) for (const o of [...orders.ok, ...orders.flaky, ...orders.dead]) await emitOne(s.ctx, chainId, type, o);
      await drainWebhooks(s.ctx, { chainId, timeoutMs: 30_000 });
      return orders;
    }

    const a = await phase(6, { ok: 5, flaky: 3, dead: 2 });
    // Two hours on: one dead order of the first phase now succeeds, the other stays dead; replaying both
    // (and one delivery that had succeeded) takes them out of their counts until they finish again.
    dead.delete(a.dead[0]!);
    const b = await phase(4, { ok: 4, flaky: 2, dead: 1 });
    const before = await webhookFigures(s.ctx, chainId, phases[0]!, clock.now().toISOString());
    expect(before.dead).toBe(2 * 2 + 2);
    expect((await replayFailed(s.ctx, chainId, endpoint.id, phases[0]!, undefined, 'test')).replayed).toBe(6);
    const okDelivery = await sql<{ id: string }>`select id from webhook_deliveries where chain_id = ${chainId} and status = 'succeeded' order by created_at limit 1`.execute(s.ctx.db);
    await replayDelivery(s.ctx, chainId, okDelivery.rows[0]!.id, 'test');
    await drainWebhooks(s.ctx, { chainId, timeoutMs: 30_000 });
    await phase(1, { ok: 3, flaky: 1, dead: 1 });

    // Now, dispatcher stopped: new deliveries stay pending (or waiting behind their order's first one), and a
    // replayed dead delivery leaves `dead` at once.
    await w.dispatcher.stop();
    clock.offset = 0;
    for (const o of [uuid(), uuid()]) for (const type of ['RECEIVED', 'READY_FOR_PICKUP'] as const) await emitOne(s.ctx, chainId, type, o);
    const deadNow = await sql<{ id: string }>`select id from webhook_deliveries where chain_id = ${chainId} and status = 'dead' and order_key = ${b.dead[0]!} order by sequence limit 1`.execute(s.ctx.db);
    const whole = [new Date(base - 7 * HOUR_MS).toISOString(), new Date(Date.now() + 60_000).toISOString()] as const;
    const deadBefore = (await webhookFigures(s.ctx, chainId, ...whole)).dead;
    await replayDelivery(s.ctx, chainId, deadNow.rows[0]!.id, 'test');
    const afterReplay = await webhookFigures(s.ctx, chainId, ...whole);
    expect(afterReplay.dead).toBe(deadBefore - 1);
    expect(afterReplay.open).toBe(2 + 1);

    // The data is real: several hours in the rollup, replays that succeeded, dead letters, retries, open rows.
    const all = await reference(chainId, ...whole);
    expect(all).toMatchObject({ succeeded: (5 + 3 + 1 + 4 + 2 + 3 + 1) * 2, dead: 2 + 2 + 1 * 2 - 1, open: 3 });
    expect(new Set((await rollupRows(chainId)).map((r) => r.hour)).size).toBeGreaterThanOrEqual(3);

    // Windows cut on hour boundaries, inside hours and between phases: every figure equals the reference.
    const points = [base - 7 * HOUR_MS, base - 6 * HOUR_MS, base - 6 * HOUR_MS + 20 * 60_000, base - 5 * HOUR_MS + 59 * 60_000, base - 4 * HOUR_MS, base - 4 * HOUR_MS + 20 * 60_000 + 300, base - HOUR_MS, base, Date.now() - 1, Date.now() + 60_000];
    for (const p of phases) points.push(Date.parse(p), Date.parse(p) + 1500, Date.parse(p) + 30_000);
    points.sort((x, y) => x - y);
    let checked = 0;
    for (const f of points) {
      for (const to of points) {
        if (f >= to) continue;
        const from = new Date(f).toISOString();
        const until = new Date(to).toISOString();
        const { exactP99, ...ref } = await reference(chainId, from, until);
        expect(await webhookFigures(s.ctx, chainId, from, until), `${from} … ${until}`).toEqual(ref);
        const health = await webhookHealth(s.ctx, chainId, from, until);
        expect(health).toMatchObject({ succeeded: ref.succeeded, dead: ref.dead, pending: ref.open, deliveries: ref.succeeded + ref.dead + ref.open, attempts: ref.latency.reduce((x, n) => x + n, 0) });
        // p99 from the histogram: in the same bucket as the exact p99 of the attempts.
        expect(health.p99_ms === null, `${from} … ${until}`).toBe(exactP99 === null);
        if (exactP99 !== null) expect(latencyBucket(health.p99_ms!), `${from} … ${until}: exact p99 ${exactP99}, got ${health.p99_ms}`).toBe(latencyBucket(exactP99));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);

    // What the dispatcher and replays kept equals a rebuild from the tables.
    const kept = await rollupRows(chainId);
    await rebuildWebhookStats(s.ctx.db, s.ctx.dialect, chainId);
    expect(await rollupRows(chainId)).toEqual(kept);
  });

  it('latency buckets and the percentile', () => {
    expect(latencyBucket(0)).toBe(0);
    expect(latencyBucket(1)).toBe(1);
    expect(latencyBucket(9)).toBe(9);
    expect(latencyBucket(10)).toBe(10);
    expect(latencyBucket(11)).toBe(10);
    expect(latencyBucket(12)).toBe(11);
    expect(latencyBucket(10_000_000)).toBe(LATENCY_BUCKETS - 1);
    const counts = new Array<number>(LATENCY_BUCKETS).fill(0);
    expect(latencyPercentile(counts, 99)).toBeNull();
    counts[5] = 99;
    counts[20] = 1;
    expect(latencyPercentile(counts, 99)).toBe(5);
    expect(latencyBucket(latencyPercentile(counts, 100)!)).toBe(20);
  });
});
