import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuid } from '../platform/secrets.js';
import { bearer, operatorKey } from '../test-support/fixtures.js';
import { useTestApp } from '../test-support/test-app.js';
import type { ReceivedWebhook, WebhookReceiver } from '../test-support/webhook-receiver.js';
import { chainWithEndpoint, emitOne, FAST_WEBHOOKS, useReceivers } from '../test-support/webhooks.js';
import { getDelivery, listDeliveries } from './deliveries.service.js';
import { drainWebhooks } from './drain.js';
import { WebhookDispatcher } from './dispatcher.js';
import { createEndpoint, updateEndpoint } from './endpoints.service.js';

const TYPES = ['RECEIVED', 'READY_FOR_PICKUP', 'DISPATCHED', 'CANCELLED'] as const;

/** Successful requests of one order, first arrival of each event (a slow 200 may be sent twice). */
function firstSuccesses(reqs: ReceivedWebhook[]): ReceivedWebhook[] {
  return reqs.filter((x, i, all) => x.status === 200 && !all.slice(0, i).some((y) => y.status === 200 && y.webhookId === x.webhookId));
}

describe('webhook replay keeps the per-order FIFO; sys.sequence is contiguous per endpoint and order', () => {
  const s = useTestApp({ config: { ...FAST_WEBHOOKS, webhookTimeoutMs: 3000 } });
  let op: string;
  let dispatcher: WebhookDispatcher;
  const { receiver } = useReceivers();

  beforeAll(async () => {
    op = await operatorKey(s.ctx);
    dispatcher = new WebhookDispatcher(s.ctx);
    await dispatcher.start();
  });
  afterAll(async () => {
    await dispatcher.stop();
  });

  it('POST …/replay sends each order\'s dead deliveries one at a time in sequence order, attempt numbers continuing', { timeout: 60_000 }, async () => {
    const r = await receiver();
    r.respondWith(() => ({ status: 503 }));
    const since = new Date(Date.now() - 1000).toISOString();
    const { chainId, endpoint } = await chainWithEndpoint(s.ctx, r.url);
    const orders = [uuid(), uuid(), uuid()];
    for (const type of TYPES) for (const o of orders) await emitOne(s.ctx, chainId, type, o);
    // 4 events × 3 orders, each 1 + 5 retries before it is dead and the next one is promoted.
    await expect.poll(async () => (await listDeliveries(s.ctx, chainId, { status: 'dead', limit: 100 })).deliveries.length, { timeout: 30_000, interval: 100 }).toBe(12);
    const failedBefore = r.requests.length;
    expect(failedBefore).toBe(72);

    // Now slow successes: a replay that let an order's events out at once would overlap them.
    r.respondWith(() => ({ status: 200, delayMs: 80 }));
    const res = await s.app.inject({ method: 'POST', url: `/platform/v1/chains/${chainId}/webhooks/${endpoint.id}/replay`, headers: bearer(op), payload: { since } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ replayed: 12 });
    await r.waitFor(failedBefore + 12, { timeoutMs: 20_000 });
    await drainWebhooks(s.ctx, { chainId, timeoutMs: 20_000 });

    for (const o of orders) {
      const replayed = firstSuccesses(r.forOrder(o));
      expect(replayed.map((x) => x.json.status)).toEqual([...TYPES]);
      expect(replayed.map((x) => x.sequence)).toEqual([1, 2, 3, 4]);
      // One at a time: each was sent only after the previous one's (80 ms) answer.
      for (let i = 1; i < replayed.length; i++) expect(replayed[i]!.receivedAt - replayed[i - 1]!.receivedAt).toBeGreaterThanOrEqual(75);
    }

    // The attempt history survived: six failures, then the replayed success as attempt 7.
    const page = await listDeliveries(s.ctx, chainId, { order_id: orders[0], limit: 10 });
    expect(page.deliveries).toHaveLength(4);
    for (const d of page.deliveries) {
      expect(d).toMatchObject({ status: 'succeeded', attempts: 7 });
      const detail = await getDelivery(s.ctx, chainId, d.id);
      expect(detail.attempts.map((a) => a.attempt)).toEqual([1, 2, 3, 4, 5, 6, 7]);
      expect(detail.attempts.map((a) => a.outcome)).toEqual([...Array(6).fill('http_error'), 'success']);
    }
  });

  it('replaying one dead delivery while a later event of its order is open waits its turn', { timeout: 30_000 }, async () => {
    const r = await receiver();
    const o = uuid();
    r.enqueueForOrder(o, ...Array(6).fill({ status: 500 }));
    const { chainId } = await chainWithEndpoint(s.ctx, r.url);
    await emitOne(s.ctx, chainId, 'RECEIVED', o);
    await expect.poll(async () => (await listDeliveries(s.ctx, chainId, { status: 'dead' })).deliveries.length, { timeout: 10_000, interval: 50 }).toBe(1);
    const dead = (await listDeliveries(s.ctx, chainId, { status: 'dead' })).deliveries[0]!;
    // The next event is slow to answer: replaying the first one meanwhile must not overlap it.
    r.enqueueForOrder(o, { status: 200, delayMs: 400 });
    await emitOne(s.ctx, chainId, 'READY_FOR_PICKUP', o);
    await r.waitFor(7);
    const replay = await s.app.inject({ method: 'POST', url: `/platform/v1/chains/${chainId}/webhooks/deliveries/${dead.id}/replay`, headers: bearer(op) });
    expect(replay.statusCode).toBe(200);
    expect(replay.json().status).toBe('waiting');
    await r.waitFor(8, { timeoutMs: 10_000 });
    await drainWebhooks(s.ctx, { chainId });
    const [ready, received] = r.requests.slice(6);
    expect([ready!.json.status, received!.json.status]).toEqual(['READY_FOR_PICKUP', 'RECEIVED']);
    expect(received!.receivedAt - ready!.receivedAt).toBeGreaterThanOrEqual(390);
    expect((await getDelivery(s.ctx, chainId, dead.id)).attempts.map((a) => a.attempt)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('counts only the events each endpoint receives: the default filter sees 1, 2, 3 where an opt-in endpoint sees 1…5', { timeout: 30_000 }, async () => {
    const all = ['RECEIVED', 'ACCEPTED', 'READY_FOR_PICKUP', 'DISPATCHED', 'DELIVERED'] as const;
    const rDefault = await receiver();
    const rAll = await receiver();
    const rLate = await receiver();
    const { chainId, secret } = await chainWithEndpoint(s.ctx, rDefault.url);
    rDefault.setSecrets([secret]);
    await createEndpoint(s.ctx, chainId, { url: rAll.url, authorization: 'x', events: [...all] }, 'test');
    // Joins after the first event and is disabled for one: its count starts at its first event and skips nothing it missed.
    const late = await createEndpoint(s.ctx, chainId, { url: rLate.url, authorization: 'x', events: [...all], enabled: false }, 'test');
    const o = uuid();
    const other = uuid();
    for (const [i, type] of all.entries()) {
      if (i === 1) await updateEndpoint(s.ctx, chainId, late.endpoint.id, { enabled: true }, 'test');
      if (i === 3) await updateEndpoint(s.ctx, chainId, late.endpoint.id, { enabled: false }, 'test');
      if (i === 4) await updateEndpoint(s.ctx, chainId, late.endpoint.id, { enabled: true }, 'test');
      await emitOne(s.ctx, chainId, type, o);
      if (i < 2) await emitOne(s.ctx, chainId, type, other);
    }
    await drainWebhooks(s.ctx, { chainId });
    await rDefault.waitFor(4);
    await rAll.waitFor(7);
    await rLate.waitFor(4);
    const seen = (rec: WebhookReceiver, order: string) => rec.forOrder(order).map((x) => [x.json.status, x.sequence]);
    expect(seen(rDefault, o)).toEqual([['RECEIVED', 1], ['READY_FOR_PICKUP', 2], ['DISPATCHED', 3]]);
    expect(seen(rAll, o)).toEqual(all.map((s, i) => [s, i + 1]));
    expect(seen(rLate, o)).toEqual([['ACCEPTED', 1], ['READY_FOR_PICKUP', 2], ['DELIVERED', 3]]);
    // Per order: the other order counts on its own.
    expect(seen(rDefault, other)).toEqual([['RECEIVED', 1]]);
    expect(seen(rAll, other)).toEqual([['RECEIVED', 1], ['ACCEPTED', 2]]);
    // The delivery log says the same number the endpoint got; the payload shown is the body sent.
    const d = (await listDeliveries(s.ctx, chainId, { order_id: o, event_type: 'DISPATCHED', limit: 10 })).deliveries;
    const byEndpoint = Object.fromEntries(await Promise.all(d.map(async (x) => [x.endpoint_id, [x.sequence, ((await getDelivery(s.ctx, chainId, x.id)).payload as any).sys.sequence]])));
    expect(Object.values(byEndpoint).sort()).toEqual([[3, 3], [4, 4]]);
    // Every body received verifies against what was signed (the sequence is spliced in before signing).
    expect(rDefault.requests.every((x) => x.verified)).toBe(true);
    for (const rec of [rDefault, rAll]) for (const x of rec.requests) expect(JSON.parse(x.body).sys.event_id).toBe(x.webhookId);
  });
});
