import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../audit/audit.repository.js';
import { freePort } from '../test-support/webhook-receiver.js';
import { chainWithEndpoint, emitOne, FAST_WEBHOOKS, useReceivers } from '../test-support/webhooks.js';
import { createTestContext } from '../test-support/test-db.js';
import { uuid } from '../platform/secrets.js';
import { useTestContext } from '../test-support/test-app.js';
import { drainWebhooks } from './drain.js';
import { WebhookDispatcher } from './dispatcher.js';
import { getDelivery, listDeliveries, replayFailed } from './deliveries.service.js';
import { getEndpoint, rotateSigningSecret, updateEndpoint } from './endpoints.service.js';

describe('webhook delivery', () => {
  // Auto-disable far away: a slow machine must not switch an endpoint off in the middle of a retry test.
  const s = useTestContext({ config: { ...FAST_WEBHOOKS, webhookTimeoutMs: 700, webhookDisableAfterSeconds: 3600 } });
  let dispatcher: WebhookDispatcher;
  const { receiver } = useReceivers();

  beforeAll(async () => {
    dispatcher = new WebhookDispatcher(s.ctx);
    await dispatcher.start();
  });
  afterAll(async () => {
    await dispatcher.stop();
  });

  async function attemptsOf(chainId: string, eventId: string) {
    const page = await listDeliveries(s.ctx, chainId, {});
    const d = page.deliveries.find((x) => x.event_id === eventId)!;
    return getDelivery(s.ctx, chainId, d.id);
  }

  it('POSTs the payload signed (verified by standardwebhooks) with the Authorization secret verbatim and sys stamped', async () => {
    const r = await receiver();
    const { chainId, secret } = await chainWithEndpoint(s.ctx, r.url);
    r.setSecrets([secret]);
    const orderId = uuid();
    const e1 = await emitOne(s.ctx, chainId, 'RECEIVED', orderId, { sys: { created_by: 'platform' }, items: [{ sku: 'A' }] });
    const [got] = await r.waitFor(1);
    expect(got!.verified).toBe(true);
    expect(got!.headers.authorization).toBe('Basic dXNlcjpwYXNz');
    expect(got!.headers['content-type']).toBe('application/json');
    expect(got!.webhookId).toBe(e1.eventId);
    expect(got!.json).toEqual({ order_id: orderId, status: 'RECEIVED', items: [{ sku: 'A' }], sys: { created_by: 'platform', event_id: e1.eventId, sequence: 1 } });
    // The official library parses what we signed; a tampered body fails.
    expect(new Webhook(secret).verify(got!.body, got!.headers as Record<string, string>)).toEqual(got!.json);
    expect(() => new Webhook(secret).verify(got!.body.replace('RECEIVED', 'CANCELLED'), got!.headers as Record<string, string>)).toThrow();
    const e2 = await emitOne(s.ctx, chainId, 'DISPATCHED', orderId);
    const [, second] = await r.waitFor(2);
    expect(second!.sequence).toBe(2);
    expect(e2.sequence).toBe(2);
    await drainWebhooks(s.ctx, { chainId });
    const detail = await attemptsOf(chainId, e1.eventId);
    expect(detail.delivery.status).toBe('succeeded');
    expect(detail.attempts).toHaveLength(1);
    expect(detail.attempts[0]).toMatchObject({ attempt: 1, status_code: 200, outcome: 'success', response_body: 'ok' });
  });

  it('sends only subscribed events: ACCEPTED is opt-in', async () => {
    const r = await receiver();
    const { chainId, endpoint } = await chainWithEndpoint(s.ctx, r.url);
    const orderId = uuid();
    await emitOne(s.ctx, chainId, 'ACCEPTED', orderId);
    await emitOne(s.ctx, chainId, 'READY_FOR_PICKUP', orderId);
    await r.waitFor(1);
    await drainWebhooks(s.ctx, { chainId });
    expect(r.requests.map((x) => x.json.status)).toEqual(['READY_FOR_PICKUP']);
    // The sequence counts only the events this endpoint receives: no gap for the skipped ACCEPTED.
    expect(r.requests[0]!.sequence).toBe(1);
    await updateEndpoint(s.ctx, chainId, endpoint.id, { events: ['ACCEPTED', 'READY_FOR_PICKUP'] }, 'test');
    await emitOne(s.ctx, chainId, 'ACCEPTED', orderId);
    await r.waitFor(2);
    expect(r.requests[1]!.json.status).toBe('ACCEPTED');
    expect(r.requests[1]!.sequence).toBe(2);
  });

  it('retries on 500, on timeout and on connection refused, and stops at the first success', { timeout: 60_000 }, async () => {
    const r = await receiver();
    r.enqueue({ status: 500, body: 'boom' }, { status: 200, delayMs: 1500 });
    const { chainId } = await chainWithEndpoint(s.ctx, r.url);
    const e = await emitOne(s.ctx, chainId, 'RECEIVED', uuid());
    await r.waitFor(3, { timeoutMs: 20_000 });
    await drainWebhooks(s.ctx, { chainId, timeoutMs: 20_000 });
    await new Promise((res) => setTimeout(res, 300));
    expect(r.requests).toHaveLength(3);
    expect(new Set(r.requests.map((x) => x.webhookId))).toEqual(new Set([e.eventId]));
    const detail = await attemptsOf(chainId, e.eventId);
    expect(detail.attempts.map((a) => a.outcome)).toEqual(['http_error', 'timeout', 'success']);
    expect(detail.attempts[0]).toMatchObject({ status_code: 500, response_body: 'boom', error: 'HTTP 500' });

    // Connection refused until a receiver appears on the port.
    const port = await freePort();
    const since = new Date(Date.now() - 1000).toISOString();
    const { chainId: c2, endpoint: ep2 } = await chainWithEndpoint(s.ctx, `http://127.0.0.1:${port}/hook`);
    const e2 = await emitOne(s.ctx, c2, 'RECEIVED', uuid());
    await expect.poll(async () => (await attemptsOf(c2, e2.eventId)).attempts.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    const late = await receiver({ port });
    // The short test schedule may have dead-lettered it already: replay brings it back either way.
    await replayFailed(s.ctx, c2, ep2.id, since, undefined, 'test');
    await late.waitFor(1, { timeoutMs: 20_000 });
    await drainWebhooks(s.ctx, { chainId: c2, timeoutMs: 20_000 });
    const d2 = await attemptsOf(c2, e2.eventId);
    expect(d2.delivery.status).toBe('succeeded');
    expect(d2.attempts.slice(0, -1).every((a) => a.outcome === 'network_error' && /ECONNREFUSED/.test(a.error ?? ''))).toBe(true);
  });

  it('honours Retry-After', async () => {
    const r = await receiver();
    r.enqueue({ status: 429, headers: { 'retry-after': '1' } });
    const { chainId } = await chainWithEndpoint(s.ctx, r.url);
    await emitOne(s.ctx, chainId, 'RECEIVED', uuid());
    const [first, second] = await r.waitFor(2, { timeoutMs: 5000 });
    // The schedule says 0.1 s; Retry-After says 1 s.
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(950);
  });

  it('410 Gone disables the endpoint (audited) and nothing more is sent', async () => {
    const r = await receiver();
    r.respondWith(() => ({ status: 410 }));
    const { chainId, endpoint } = await chainWithEndpoint(s.ctx, r.url);
    await emitOne(s.ctx, chainId, 'RECEIVED', uuid());
    await r.waitFor(1);
    await expect.poll(async () => (await getEndpoint(s.ctx, chainId, endpoint.id)).enabled, { timeout: 3000 }).toBe(false);
    const ep = await getEndpoint(s.ctx, chainId, endpoint.id);
    expect(ep.disabled_reason).toBe('gone');
    expect((await listAudit(s.ctx.db, chainId)).map((a) => a.action)).toContain('webhook.auto_disabled');
    await emitOne(s.ctx, chainId, 'CANCELLED', uuid());
    await new Promise((res) => setTimeout(res, 400));
    expect(r.requests).toHaveLength(1);
    // Re-enabling resumes the paused delivery.
    r.respondWith(undefined);
    await updateEndpoint(s.ctx, chainId, endpoint.id, { enabled: true }, 'test');
    dispatcher.wake();
    await r.waitFor(2);
  });

  it('dead-letters after the schedule, shows it in the log, and replays failed deliveries since a time', async () => {
    const r = await receiver();
    r.respondWith(() => ({ status: 503 }));
    const since = new Date().toISOString();
    const { chainId, endpoint } = await chainWithEndpoint(s.ctx, r.url, { description: 'dead letters' });
    const e = await emitOne(s.ctx, chainId, 'RECEIVED', uuid());
    await r.waitFor(6, { timeoutMs: 5000 }); // 1 + 5 retries
    await expect.poll(async () => (await listDeliveries(s.ctx, chainId, { status: 'dead' })).deliveries.length, { timeout: 3000 }).toBe(1);
    const dead = (await listDeliveries(s.ctx, chainId, { status: 'dead' })).deliveries[0]!;
    expect(dead).toMatchObject({ event_id: e.eventId, attempts: 6, last_status_code: 503 });
    r.respondWith(undefined);
    expect(await replayFailed(s.ctx, chainId, endpoint.id, since, undefined, 'test')).toEqual({ replayed: 1 });
    const all = await r.waitFor(7);
    expect(all[6]!.webhookId).toBe(e.eventId);
    await drainWebhooks(s.ctx, { chainId });
    expect((await attemptsOf(chainId, e.eventId)).delivery.status).toBe('succeeded');
  });

  it('keeps each order in order while a slow order does not hold the others back', async () => {
    const r = await receiver();
    const slow = uuid();
    const fast = uuid();
    // The slow order's first event fails four times, then is slow; its later events must wait.
    r.enqueueForOrder(slow, { status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }, { status: 200, delayMs: 600 });
    const { chainId } = await chainWithEndpoint(s.ctx, r.url, { events: ['RECEIVED', 'ACCEPTED', 'READY_FOR_PICKUP', 'DISPATCHED', 'DELIVERED'] });
    const types = ['RECEIVED', 'ACCEPTED', 'READY_FOR_PICKUP', 'DISPATCHED', 'DELIVERED'] as const;
    for (const type of types) {
      await emitOne(s.ctx, chainId, type, slow);
      await emitOne(s.ctx, chainId, type, fast);
    }
    await r.waitFor(5 + 4, { filter: (x) => x.orderId === slow, timeoutMs: 20000 });
    await drainWebhooks(s.ctx, { chainId });
    // The fast order was done before the slow order's second event could even start.
    const fastDone = Math.max(...r.forOrder(fast).map((x) => x.receivedAt));
    const slowSecond = r.forOrder(slow).find((x) => x.sequence === 2)!.receivedAt;
    expect(fastDone).toBeLessThan(slowSecond);
    for (const order of [slow, fast]) {
      // At-least-once: a slow 200 that outlived our timeout is sent again with the same webhook-id; in order all the same.
      const ok = r.forOrder(order).filter((x, i, all) => x.status === 200 && !all.slice(0, i).some((y) => y.status === 200 && y.sequence === x.sequence));
      expect(ok.map((x) => x.sequence)).toEqual([1, 2, 3, 4, 5]);
      expect(ok.map((x) => x.json.status)).toEqual([...types]);
    }
    // Nothing of the slow order was sent out of turn: every request before its first success was sequence 1.
    const slowAll = r.forOrder(slow).map((x) => x.sequence);
    expect(slowAll.slice(0, 5)).toEqual([1, 1, 1, 1, 1]);
  });

  it('signs with old and new secret during a rotation grace period', async () => {
    const r = await receiver();
    const { chainId, endpoint, secret: oldSecret } = await chainWithEndpoint(s.ctx, r.url);
    const { signing_secret: newSecret, endpoint: rotated } = await rotateSigningSecret(s.ctx, chainId, endpoint.id, 'test');
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(oldSecret);
    expect(rotated.previous_secret_expires_at).not.toBeNull();
    await emitOne(s.ctx, chainId, 'RECEIVED', uuid());
    const [got] = await r.waitFor(1);
    expect(String(got!.headers['webhook-signature']).split(' ')).toHaveLength(2);
    const h = got!.headers as Record<string, string>;
    expect(() => new Webhook(oldSecret).verify(got!.body, h)).not.toThrow();
    expect(() => new Webhook(newSecret).verify(got!.body, h)).not.toThrow();
  });

  it('disables and flags an endpoint that keeps failing past the configured period', async () => {
    // Its own platform, with a 1 s disable period.
    const t1 = await createTestContext({ config: { ...FAST_WEBHOOKS, webhookTimeoutMs: 700, webhookDisableAfterSeconds: 1 } });
    const d1 = new WebhookDispatcher(t1.ctx);
    await d1.start();
    try {
      const r = await receiver();
      r.respondWith(() => ({ status: 500 }));
      const { chainId, endpoint } = await chainWithEndpoint(t1.ctx, r.url);
      // Keep it failing for longer than webhookDisableAfterSeconds (1 s).
      for (let i = 0; i < 4; i++) {
        await emitOne(t1.ctx, chainId, 'RECEIVED', uuid());
        await new Promise((res) => setTimeout(res, 350));
      }
      await expect.poll(async () => (await getEndpoint(t1.ctx, chainId, endpoint.id)).disabled_reason, { timeout: 10_000 }).toBe('failing');
      const ep = await getEndpoint(t1.ctx, chainId, endpoint.id);
      expect(ep.enabled).toBe(false);
      expect(ep.failing_since).not.toBeNull();
    } finally {
      await d1.stop();
      await t1.close();
    }
  });
});
