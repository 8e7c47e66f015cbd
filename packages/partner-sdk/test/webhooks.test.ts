import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPartnerClient,
  parseWebhookEvent,
  SequenceTracker,
  unwrap,
  verifyAuthorization,
  verifySignature,
  verifyWebhook,
  WebhookVerificationError,
  type WebhookEvent,
} from '../src/index.js';
import { WebhookReceiver } from '../../../src/test-support/webhook-receiver.js';
import { startSdkEnv, type SdkEnv } from './support.js';

const AUTHORIZATION = 'Basic cGFydG5lcjpzM2NyZXQ=';

interface Received {
  body: string;
  headers: Record<string, string | string[] | undefined>;
  event?: WebhookEvent;
  refused?: WebhookVerificationError;
}

describe('partner SDK webhook helpers against the deliveries of a real Comanda server', () => {
  let env: SdkEnv;
  let receiver: WebhookReceiver;
  let signingSecret = '';
  let endpointId = '';
  const received: Received[] = [];

  const waitFor = async (pred: (r: Received) => boolean, timeoutMs = 20_000): Promise<Received> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = received.find(pred);
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`no matching webhook; got ${received.map((r) => r.event?.type ?? r.refused?.reason).join(', ')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  beforeAll(async () => {
    env = await startSdkEnv();
    // The partner's endpoint verifies with the SDK and answers 401 to anything that does not verify.
    receiver = await WebhookReceiver.start();
    receiver.respondWith(({ body, headers }) => {
      const r: Received = { body, headers };
      received.push(r);
      try {
        r.event = verifyWebhook({ body, headers, authorization: AUTHORIZATION, signingSecret });
        return { status: 200 };
      } catch (err) {
        if (!(err instanceof WebhookVerificationError)) throw err;
        r.refused = err;
        return { status: 401 };
      }
    });
    const created = await env.operator('POST', `/platform/v1/chains/${env.demo.chain_id}/webhooks`, { url: receiver.url, authorization: AUTHORIZATION });
    expect(created.status).toBe(201);
    signingSecret = created.body.signing_secret;
    endpointId = created.body.endpoint.id;
  });
  afterAll(async () => {
    await env?.close();
    await receiver?.close();
  });

  it('order events verify (Authorization + signature), parse into the typed union, and run 1, 2 per order', async () => {
    const placed = await env.operator('POST', '/platform/v1/test-orders', { vendor_id: 'TEST-900', chain_id: env.demo.chain_id });
    expect(placed.status).toBe(201);
    const orderId = placed.body.order_id as string;
    const got = await waitFor((r) => r.event?.kind === 'order' && r.event.order.order_id === orderId);
    const event = got.event!;
    if (event.kind !== 'order') throw new Error('not an order event');
    expect(event.type).toBe('RECEIVED');
    expect(event.sequence).toBe(1);
    expect(event.eventId).toBe(got.headers['webhook-id']);
    const tracker = new SequenceTracker();
    expect(await tracker.observe(event)).toEqual({ status: 'next', orderId, sequence: 1 });

    const client = createPartnerClient({ baseUrl: env.url, auth: { token: env.demo.token } });
    unwrap(await client.PUT('/v2/chains/{chain_id}/orders/{order_id}', { params: { path: { chain_id: env.demo.chain_id, order_id: orderId } }, body: { status: 'READY_FOR_PICKUP' } }));
    const ready = (await waitFor((r) => r.event?.kind === 'order' && r.event.order.order_id === orderId && r.event.type === 'READY_FOR_PICKUP')).event!;
    expect(await tracker.observe(ready as never)).toEqual({ status: 'next', orderId, sequence: 2 });
    // A redelivery of the first event is a duplicate, not a gap.
    expect(await tracker.observe(event)).toMatchObject({ status: 'duplicate', sequence: 1, last: 2 });

    // The SDK and the official Standard Webhooks library agree on the real delivery.
    expect(() => new Webhook(signingSecret).verify(got.body, got.headers as Record<string, string>)).not.toThrow();
    expect(verifySignature({ body: got.body, headers: got.headers, secret: signingSecret })).toBe(got.headers['webhook-id']);
  });

  it('refuses a wrong Authorization, a tampered body, an old timestamp and another signing secret', async () => {
    const placed = await env.operator('POST', '/platform/v1/test-orders', { vendor_id: 'TEST-900', chain_id: env.demo.chain_id });
    const got = await waitFor((r) => r.event?.kind === 'order' && r.event.order.order_id === placed.body.order_id);
    const { body, headers } = got;
    const base = { body, headers, authorization: AUTHORIZATION, signingSecret };
    const reason = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        return (err as WebhookVerificationError).reason;
      }
      return 'accepted';
    };
    expect(reason(() => verifyWebhook(base))).toBe('accepted');
    expect(reason(() => verifyWebhook({ ...base, authorization: 'Basic d3Jvbmc=' }))).toBe('authorization');
    expect(reason(() => verifyWebhook({ ...base, headers: { ...headers, authorization: undefined } }))).toBe('authorization');
    expect(reason(() => verifyWebhook({ ...base, body: body.replace('"RECEIVED"', '"CANCELLED"') }))).toBe('signature');
    expect(reason(() => verifyWebhook({ ...base, now: new Date(Date.now() + 3600_000) }))).toBe('timestamp');
    expect(reason(() => verifyWebhook({ ...base, signingSecret: 'whsec_' + Buffer.alloc(32, 7).toString('base64') }))).toBe('signature');
    expect(reason(() => verifyWebhook({ ...base, signingSecret: ['whsec_' + Buffer.alloc(32, 7).toString('base64'), signingSecret] }))).toBe('accepted');
    expect(reason(() => verifyWebhook({ ...base, headers: { ...headers, 'webhook-signature': undefined } }))).toBe('missing_headers');
    expect(verifyAuthorization(AUTHORIZATION, AUTHORIZATION)).toBe(true);
    expect(verifyAuthorization(`${AUTHORIZATION} `, AUTHORIZATION)).toBe(false);
    expect(verifyAuthorization(undefined, AUTHORIZATION)).toBe(false);
  });

  it('a catalog job completion and a test event parse as their kinds', async () => {
    const client = createPartnerClient({ baseUrl: env.url, auth: { token: env.demo.token } });
    const job = await client.PUT('/v2/chains/{chain_id}/vendors/{vendor_id}/catalog', {
      params: { path: { chain_id: env.demo.chain_id, vendor_id: 'TEST-900' } },
      body: { products: [{ sku: 'NO-SUCH-SKU', price: 10 }] },
    });
    expect(job.response.status).toBe(202);
    const jobId = (job.data as { job_id: string }).job_id;
    const done = (await waitFor((r) => r.event?.kind === 'job' && r.event.job.job_id === jobId)).event!;
    expect(done).toMatchObject({ kind: 'job', type: 'CATALOG_JOB_COMPLETED', job: { job_type: 'catalog_update', status: 'COMPLETED', error_rows: 1 } });

    const test = await env.operator('POST', `/platform/v1/chains/${env.demo.chain_id}/webhooks/${endpointId}/test`);
    expect(test.status).toBeLessThan(300);
    const t = (await waitFor((r) => r.event?.kind === 'test')).event!;
    expect(t).toMatchObject({ kind: 'test', type: 'TEST', test: { endpoint_id: endpointId } });
  });

  it('an event the endpoint does not subscribe to leaves no gap: the sequence counts what this endpoint receives', async () => {
    const orderId = `sdk-seq-${Date.now()}`;
    const events = ['RECEIVED', 'ACCEPTED', 'READY_FOR_PICKUP'].map((type) => ({ type, order_key: orderId, payload: { order_id: orderId, status: type } }));
    const emitted = await env.operator('POST', `/platform/v1/chains/${env.demo.chain_id}/webhooks/events`, { events });
    expect(emitted.status).toBeLessThan(300);
    const ready = (await waitFor((r) => r.event?.kind === 'order' && r.event.order.order_id === orderId && r.event.type === 'READY_FOR_PICKUP')).event!;
    const received = (await waitFor((r) => r.event?.kind === 'order' && r.event.order.order_id === orderId && r.event.type === 'RECEIVED')).event!;
    // ACCEPTED is opt-in, so this endpoint (default filter) never gets it and its READY_FOR_PICKUP is number 2.
    expect(received.kind === 'order' && received.sequence).toBe(1);
    expect(ready.kind === 'order' && ready.sequence).toBe(2);
    const tracker = new SequenceTracker();
    expect(await tracker.observe(received as never)).toMatchObject({ status: 'next', sequence: 1 });
    expect(await tracker.observe(ready as never)).toMatchObject({ status: 'next', sequence: 2 });
  });

  it('detects a gap per order and tells which sequences are missing', async () => {
    const tracker = new SequenceTracker();
    const order = (id: string, sequence: number) => parseWebhookEvent({ order_id: id, status: 'RECEIVED', sys: { event_id: `e${sequence}`, sequence } }) as never;
    expect(await tracker.observe(order('a', 1))).toMatchObject({ status: 'next' });
    expect(await tracker.observe(order('b', 1))).toMatchObject({ status: 'next' });
    expect(await tracker.observe(order('a', 4))).toEqual({ status: 'gap', orderId: 'a', sequence: 4, last: 1, missing: [2, 3] });
    expect(await tracker.observe(order('a', 5))).toMatchObject({ status: 'next' });
    // The first event seen for an order that is not 1 is a gap too (1..n-1 never arrived).
    expect(await tracker.observe(order('c', 3))).toMatchObject({ status: 'gap', missing: [1, 2] });
    // A missing one replayed later is late (new, but older than the last), not a duplicate; seen again, it is one.
    expect(await tracker.observe(order('a', 3))).toEqual({ status: 'late', orderId: 'a', sequence: 3, last: 5, stillMissing: [2] });
    expect(await tracker.observe(order('a', 3))).toMatchObject({ status: 'duplicate', sequence: 3, last: 5 });
    expect(await tracker.observe(order('a', 2))).toEqual({ status: 'late', orderId: 'a', sequence: 2, last: 5, stillMissing: [] });
    expect(await tracker.observe(order('a', 2))).toMatchObject({ status: 'duplicate' });
    // A later gap adds to what is still missing.
    expect(await tracker.observe(order('c', 5))).toEqual({ status: 'gap', orderId: 'c', sequence: 5, last: 3, missing: [4] });
    expect(await tracker.observe(order('c', 1))).toMatchObject({ status: 'late', stillMissing: [2, 4] });
    // A store of an earlier version (the last sequence as a number) still works: below it is a duplicate.
    const legacy = new Map<string, unknown>([['d', 4]]);
    const old = new SequenceTracker({ get: (id) => legacy.get(id) as number | undefined, set: (id, v) => void legacy.set(id, v) });
    expect(await old.observe(order('d', 2))).toMatchObject({ status: 'duplicate', last: 4 });
    expect(await old.observe(order('d', 5))).toMatchObject({ status: 'next' });
    expect(legacy.get('d')).toEqual({ last: 5 });
    expect(() => parseWebhookEvent('not json')).toThrow(WebhookVerificationError);
    expect(() => parseWebhookEvent({ hello: 'world' })).toThrow(/unknown webhook event/);
  });
});
