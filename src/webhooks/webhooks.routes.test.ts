import { beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../audit/audit.repository.js';
import { uuid } from '../platform/secrets.js';
import { bearer, operatorKey } from '../test-support/fixtures.js';
import { useTestApp } from '../test-support/test-app.js';
import { drainWebhooks } from '../test-support/webhook-receiver.js';
import { FAST_WEBHOOKS, useWebhooks } from '../test-support/webhooks.js';

describe('webhook endpoints API (portal + operator)', () => {
  const s = useTestApp({ chains: { a: 'Hooks A', b: 'Hooks B' }, logins: { admin: ['a', 'admin'], staff: ['a', 'staff'], otherAdmin: ['b', 'admin'] }, config: FAST_WEBHOOKS });
  let op: string;

  beforeAll(async () => {
    op = await operatorKey(s.ctx);
  });
  const w = useWebhooks(s);

  const portal = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, payload?: unknown, login = s.admin) =>
    s.app.inject({ method, url: `/portal/api/chains/${s.a.chain.id}${path}`, headers: { cookie: login.cookie, 'x-csrf-token': login.csrf }, ...(payload !== undefined ? { payload: payload as object } : {}) });
  const operator = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, payload?: unknown) =>
    s.app.inject({ method, url: `/platform/v1/chains/${s.a.chain.id}${path}`, headers: bearer(op), ...(payload !== undefined ? { payload: payload as object } : {}) });

  it('creates an endpoint: the whsec_ secret is shown once; secrets never appear in lists, audit or logs', async () => {
    const res = await portal('POST', '/webhooks', { url: w.receiver.url, authorization: 'Bearer partner-secret-123', description: 'Orders' });
    expect(res.statusCode).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const { endpoint, signing_secret } = res.json();
    expect(signing_secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(endpoint).toMatchObject({ url: w.receiver.url, enabled: true, authorization: { header: 'Authorization', last4: '-123' }, events: ['RECEIVED', 'READY_FOR_PICKUP', 'DISPATCHED', 'CANCELLED', 'CATALOG_JOB_COMPLETED', 'PRODUCT_JOB_COMPLETED', 'EXPORT_JOB_COMPLETED', 'PROMOTION_JOB_COMPLETED', 'SFTP_FILE_PROCESSED'] });
    const list = await portal('GET', '/webhooks');
    expect(list.statusCode).toBe(200);
    expect(list.json().endpoints).toHaveLength(1);
    expect(list.body).not.toContain(signing_secret);
    expect(list.body).not.toContain('partner-secret-123');
    const one = await operator('GET', `/webhooks/${endpoint.id}`);
    expect(one.statusCode).toBe(200);
    expect(one.body).not.toContain(signing_secret);
    const audit = await listAudit(s.ctx.db, s.a.chain.id);
    expect(audit.find((x) => x.action === 'webhook.created')).toMatchObject({ actor: `user:${s.admin ? (await s.app.inject({ method: 'GET', url: '/portal/api/session', headers: { cookie: s.admin.cookie } })).json().user.id : ''}`, target_id: endpoint.id });
    expect(JSON.stringify(audit)).not.toContain('partner-secret-123');
    expect(JSON.stringify(audit)).not.toContain(signing_secret);
    w.receiver.setSecrets([signing_secret]);
  });

  it('refuses bad input with 4xx naming the field, staff with 403, another chain with 404', async () => {
    const unknown = await portal('POST', '/webhooks', { url: w.receiver.url, authorization: 'x', colour: 'red' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.code).toBe('VALIDATION_FAILED');
    const missing = await portal('POST', '/webhooks', { url: w.receiver.url });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('authorization');
    const badEvent = await portal('POST', '/webhooks', { url: w.receiver.url, authorization: 'x', events: ['NOPE'] });
    expect(badEvent.statusCode).toBe(400);
    const internal = await portal('POST', '/webhooks', { url: 'http://169.254.169.254/latest', authorization: 'x' });
    expect(internal.statusCode).toBe(422);
    expect(internal.json().error).toMatchObject({ code: 'WEBHOOK_URL_REFUSED' });
    expect(internal.json().error.message).toContain('body.url');
    expect((await portal('GET', '/webhooks', undefined, s.staff)).statusCode).toBe(403);
    expect((await portal('GET', '/webhooks', undefined, s.otherAdmin)).statusCode).toBe(404);
    const noCsrf = await s.app.inject({ method: 'POST', url: `/portal/api/chains/${s.a.chain.id}/webhooks`, headers: { cookie: s.admin.cookie }, payload: { url: w.receiver.url, authorization: 'x' } });
    expect(noCsrf.statusCode).toBe(403);
    expect((await operator('GET', `/webhooks/${uuid()}`)).statusCode).toBe(404);
    expect((await s.app.inject({ method: 'GET', url: `/platform/v1/chains/${s.a.chain.id}/webhooks` })).statusCode).toBe(401);
  });

  it('updates, tests, and rotates an endpoint (audited); the test event arrives signed', async () => {
    const [ep] = (await portal('GET', '/webhooks')).json().endpoints;
    const patched = await portal('PATCH', `/webhooks/${ep.id}`, { authorization: 'Basic YTpi', authorization_header: 'X-Partner-Auth', events: ['RECEIVED', 'ACCEPTED'] });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ authorization: { header: 'X-Partner-Auth' }, events: ['RECEIVED', 'ACCEPTED'] });
    const test = await portal('POST', `/webhooks/${ep.id}/test`);
    expect(test.statusCode).toBe(202);
    const [got] = await w.receiver.waitFor(1);
    expect(got!.json).toMatchObject({ type: 'TEST', sys: { event_id: test.json().event_id } });
    expect(got!.headers['x-partner-auth']).toBe('Basic YTpi');
    expect(got!.verified).toBe(true);
    const rotated = await portal('POST', `/webhooks/${ep.id}/rotate-secret`);
    expect(rotated.statusCode).toBe(200);
    expect(rotated.json().signing_secret).toMatch(/^whsec_/);
    const actions = (await listAudit(s.ctx.db, s.a.chain.id)).map((x) => x.action);
    expect(actions).toEqual(expect.arrayContaining(['webhook.created', 'webhook.updated', 'webhook.secret_rotated']));
    const audit = JSON.stringify(await listAudit(s.ctx.db, s.a.chain.id));
    expect(audit).not.toContain('YTpi');
    expect(audit).not.toContain(rotated.json().signing_secret);
  });

  it('emits events via the operator hook; the delivery log filters, pages by cursor and replays one delivery', async () => {
    const orderA = uuid();
    const orderB = uuid();
    const events = [];
    for (let i = 0; i < 7; i++) events.push({ type: 'RECEIVED', order_key: i % 2 ? orderA : orderB, payload: { order_id: i % 2 ? orderA : orderB, n: i } });
    const res = await operator('POST', '/webhooks/events', { events });
    expect(res.statusCode).toBe(201);
    expect(res.json().events.map((e: { sequence: number }) => e.sequence)).toEqual([1, 1, 2, 2, 3, 3, 4]);
    await drainWebhooks(s.ctx, { chainId: s.a.chain.id });
    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await portal('GET', `/webhooks/deliveries?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.statusCode).toBe(200);
      for (const d of page.json().deliveries) seen.add(d.id);
      // The total counts every page, whichever page is asked for.
      expect(page.json()).toMatchObject({ total_count: 8, total_capped: false });
      cursor = page.json().next_cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen.size).toBe(8); // 7 + the test event
    expect(pages).toBe(3);
    const byOrder = (await portal('GET', `/webhooks/deliveries?order_id=${orderA}&status=succeeded`)).json().deliveries;
    expect(byOrder.map((d: { sequence: number }) => d.sequence)).toEqual([3, 2, 1]);
    expect((await portal('GET', `/webhooks/deliveries?order_id=${orderA}&status=succeeded&limit=1`)).json()).toMatchObject({ total_count: 3, total_capped: false });
    expect((await portal('GET', `/webhooks/deliveries?status=dead`)).json().deliveries).toEqual([]);
    expect((await portal('GET', `/webhooks/deliveries?cursor=bm9wZQ`)).statusCode).toBe(400);
    expect((await portal('GET', `/webhooks/deliveries?status=weird`)).statusCode).toBe(400);
    const future = new Date(Date.now() + 3600_000).toISOString();
    expect((await portal('GET', `/webhooks/deliveries?since=${future}`)).json()).toMatchObject({ deliveries: [], total_count: 0, total_capped: false });

    const detail = await portal('GET', `/webhooks/deliveries/${byOrder[0].id}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.json()).toMatchObject({ delivery: { status: 'succeeded', attempts: 1 }, payload: { order_id: orderA, n: 5 }, attempts: [{ status_code: 200, outcome: 'success' }] });
    const before = w.receiver.requests.length;
    const replay = await operator('POST', `/webhooks/deliveries/${byOrder[0].id}/replay`);
    expect(replay.statusCode).toBe(200);
    const all = await w.receiver.waitFor(before + 1);
    expect(all[before]!.webhookId).toBe(detail.json().delivery.event_id);
    // Another chain cannot see it.
    const foreign = await s.app.inject({ method: 'GET', url: `/portal/api/chains/${s.b.chain.id}/webhooks/deliveries/${byOrder[0].id}`, headers: { cookie: s.otherAdmin.cookie } });
    expect(foreign.statusCode).toBe(404);
  });

  it('deletes an endpoint: pending deliveries are cancelled', async () => {
    const created = (await operator('POST', '/webhooks', { url: 'http://127.0.0.1:9/never', authorization: 'x', enabled: false })).json();
    expect(created.endpoint).toMatchObject({ enabled: false, disabled_reason: 'manual' });
    const del = await portal('DELETE', `/webhooks/${created.endpoint.id}`);
    expect(del.statusCode).toBe(204);
    expect((await portal('GET', `/webhooks/${created.endpoint.id}`)).statusCode).toBe(404);
    expect((await listAudit(s.ctx.db, s.a.chain.id)).map((x) => x.action)).toContain('webhook.deleted');
  });

  it('exposes queue metrics', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.body).toContain('comanda_webhook_queue_depth{status="pending"}');
    expect(res.body).toMatch(/comanda_webhook_oldest_pending_age_seconds \d/);
  });
});
