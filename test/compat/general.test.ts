/**
 * The general rules of partner-api.md §9 on every /v2 route, with requests as existing clients send
 * them. Where each shape comes from:
 *  - [HS] ryingapp/TRYING-POS server/hungerstation.ts — hsApiCall always sends
 *         `Content-Type: application/json`, and exportProducts POSTs …/catalog/export with no body.
 *  - [AM] BeelBegins/aimatic aimatic/foodpanda_integration/orders.py (resolve_outlet: the store is
 *         `client.external_partner_config_id`) and outlet.py / test_foodpanda_integration.py (that id is
 *         then the `{vendor_id}` of `/v2/chains/{chain_id}/vendors/{vendor_id}/status` and the catalog).
 *  - [DF] LuckyFSChen/DineFlow app/Services/FoodpandaOrderSyncService.php — resolveLocalStoreFromPayload
 *         and extractWebhookStoreId key the store on `client.external_partner_config_id`, then store_id.
 *  - [CURL] `curl -d ''` (and the foodpanda documentation's own `--data ''` examples) POST an empty body
 *         with `Content-Type: application/x-www-form-urlencoded` or whatever header the example sets.
 *  - [§9] partner-api.md §9 itself for the generic cases: unknown fields at any depth and unknown query
 *         parameters are ignored and reported; known ones stay strict.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderPartnerConfigId } from '../../src/db/migrations/0009_order_partner_config_id.js';
import { portalLogin } from '../../src/test-support/fixtures.js';
import { startCompat, type CompatEnv } from './support.js';

describe('compatibility: general rules (tolerant reader, empty POST bodies, external_partner_config_id)', () => {
  let env: CompatEnv;
  const logLines: any[] = [];
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _enc, done) {
        for (const line of String(chunk).split('\n')) if (line.trim()) logLines.push(JSON.parse(line));
        done();
      },
    });
    env = await startCompat({ webhooks: true, log: pino({ level: 'debug' }, sink) });
  });
  afterAll(async () => {
    await env?.close();
  });

  const vendorPath = (ref: string) => `/v2/chains/${env.chainId}/vendors/${ref}`;

  describe('tolerant reader', () => {
    it('[§9] a body echoing the GET status object: unknown fields ignored and listed, nulls count as not sent, the change applies', async () => {
      const current = (await env.call('GET', `${vendorPath(env.fx.direct.code)}/status`)).body;
      const res = await env.call('PUT', `${vendorPath(env.fx.direct.code)}/status`, { json: { ...current, status: 'CLOSED_TODAY', closed_reason: 'TOO_BUSY_KITCHEN' } });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({ status: 'CLOSED_TODAY', closed_reason: 'TOO_BUSY_KITCHEN', is_open: false });
      expect(res.ignored).toEqual(expect.arrayContaining(['body.vendor_id', 'body.is_open', 'body.opening_hours', 'body.checkin', 'body.closed_until']));
      expect(res.headers.get('comanda-ignored-fields')).toContain('body.vendor_id');
      const reopen = await env.call('PUT', `${vendorPath(env.fx.direct.code)}/status`, { json: { status: 'OPEN' } });
      expect(reopen.status).toBe(200);
      expect(reopen.headers.get('comanda-ignored-fields')).toBeNull();
    });

    it('[§9] unknown query parameters are ignored and listed; known ones are still validated, naming the field', async () => {
      const qs = `start_time=2026-01-01T00:00:00Z&end_time=2026-01-02T00:00:00Z&locale=es_AR&sort=desc`;
      const res = await env.call('GET', `${vendorPath(env.fx.direct.code)}/orders?${qs}`);
      expect(res.status, res.text).toBe(200);
      expect(res.ignored).toEqual(['query.locale', 'query.sort']);
      const bad = await env.call('GET', `${vendorPath(env.fx.direct.code)}/orders?${qs}&page_size=500`);
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('VALIDATION_FAILED');
      expect(bad.body.error.message).toContain('querystring.page_size');
      expect(bad.ignored).toEqual(['query.locale', 'query.sort']);
      // A route without query parameters ignores (and lists) whatever it gets.
      const status = await env.call('GET', `${vendorPath(env.fx.direct.code)}/status?lang=es`);
      expect(status.status).toBe(200);
      expect(status.ignored).toEqual(['query.lang']);
    });

    it('[§9] a known field of the wrong type is refused with the field named, next to ignored unknown ones; nothing changes', async () => {
      const res = await env.call('PUT', `${vendorPath(env.fx.direct.code)}/status`, { json: { status: 'CLOSED_TODAY', closed_reason: 'LUNCH', source: 'pos' } });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(res.body.error.message).toContain('body.closed_reason');
      expect(res.ignored).toEqual(['body.source']);
      expect((await env.call('GET', `${vendorPath(env.fx.direct.code)}/status`)).body.status).toBe('OPEN');
    });

    it('caps the header and writes one debug log line naming the fields', async () => {
      const products = [{ sku: 'LECHE-1L', price: 1250.5, ...Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`custom_field_${i}`, i])) }];
      const res = await env.call('PUT', `${vendorPath(env.fx.direct.code)}/catalog`, { json: { products } });
      expect(res.status, res.text).toBe(202);
      const header = res.headers.get('comanda-ignored-fields')!;
      expect(header.length).toBeLessThanOrEqual(1100);
      expect(header).toMatch(/^body\.products\[0\]\.custom_field_0, .*, \.\.\. \(\+\d+ more\)$/);
      const line = logLines.find((l) => l.msg === 'ignored request fields the route does not know' && l.count === 300);
      expect(line).toBeDefined();
      expect(line.level).toBe(20);
      expect(line.ignored_fields).toHaveLength(100);
      expect(line.ignored_fields[0]).toBe('body.products[0].custom_field_0');
    });

    it('the operator and portal APIs stay strict', async () => {
      const op = await env.call('POST', '/platform/v1/chains', { token: env.op, json: { name: 'Strict', colour: 'red' } });
      expect(op.status).toBe(400);
      expect(op.body.error.message).toContain('body.colour');
      expect(op.headers.get('comanda-ignored-fields')).toBeNull();
      const login = await portalLogin(env.server.app, env.fx.admin.email, env.fx.admin.password);
      const portal = await env.server.app.inject({
        method: 'POST',
        url: `/portal/api/chains/${env.chainId}/tokens`,
        headers: { cookie: login.cookie, 'x-csrf-token': login.csrf },
        payload: { name: 'Strict', colour: 'red' },
      });
      expect(portal.statusCode).toBe(400);
      expect(portal.json().error.message).toContain('body.colour');
    });
  });

  describe('POST routes that need no body', () => {
    const exportPath = () => `${vendorPath(env.fx.direct.code)}/catalog/export`;
    it('[HS] accept Content-Type: application/json with no body at all', async () => {
      const res = await env.call('POST', exportPath(), { headers: { 'content-type': 'application/json', accept: 'application/json' } });
      expect(res.status, res.text).toBe(202);
      expect(res.body).toMatchObject({ job_status: 'QUEUED', job_type: 'catalog_export' });
    });
    it('[CURL] accept no Content-Type, a form content type, text/plain, or whitespace, when the body is empty', async () => {
      for (const headers of [{}, { 'content-type': 'application/x-www-form-urlencoded' }, { 'content-type': 'text/plain' }, { 'content-type': 'application/xml' }]) {
        const res = await env.call('POST', exportPath(), { raw: '', headers });
        expect(res.status, `${JSON.stringify(headers)} ${res.text}`).toBe(202);
      }
      const blank = await env.call('POST', exportPath(), { raw: ' \n', headers: { 'content-type': 'application/json' } });
      expect(blank.status, blank.text).toBe(202);
      const obj = await env.call('POST', exportPath(), { json: {} });
      expect(obj.status).toBe(202);
      expect(obj.ignored).toEqual([]);
    });
    it('still refuse a body they cannot read, and a route that needs a body still says so', async () => {
      const xml = await env.call('POST', exportPath(), { raw: '<export/>', headers: { 'content-type': 'application/xml' } });
      expect(xml.status).toBe(415);
      expect(xml.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      const broken = await env.call('POST', exportPath(), { raw: '{"format":', headers: { 'content-type': 'application/json' } });
      expect(broken.status).toBe(400);
      expect(broken.body.error.code).toBe('INVALID_JSON');
      const proto = await env.call('PUT', `${vendorPath(env.fx.direct.code)}/status`, { raw: '{"status":"OPEN","__proto__":{"polluted":1}}', headers: { 'content-type': 'application/json' } });
      expect(proto.status).toBe(400);
      expect(proto.body.error.code).toBe('INVALID_JSON');
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      const empty = await env.call('PUT', `${vendorPath(env.fx.direct.code)}/catalog`, { raw: '', headers: { 'content-type': 'application/json' } });
      expect(empty.status).toBe(400);
      expect(empty.body.error).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(empty.body.error.message).toContain('body');
    });
  });

  describe('client.external_partner_config_id', () => {
    /** The id as the integrations above read it from the RECEIVED webhook. */
    async function configIdFromWebhook(vendorCode: string): Promise<{ id: string; orderId: string }> {
      const o = await env.placeOrder([{ sku: 'LECHE-1L', quantity: 1 }], { vendorCode });
      const [hook] = await env.receiver!.waitFor(1, { filter: (r) => r.orderId === o.order_id && r.json?.status === 'RECEIVED' });
      return { id: hook!.json.client.external_partner_config_id, orderId: o.order_id };
    }

    it('[AM][DF] names the partner-side store: the external id when mapped, else the platform code', async () => {
      const mapped = await configIdFromWebhook(env.fx.direct.code);
      expect(mapped.id).toBe(env.fx.direct.external_id);
      const plain = await configIdFromWebhook(env.fx.test.code);
      expect(env.fx.test.external_id).toBeNull();
      expect(plain.id).toBe(env.fx.test.code);
      const order = (await env.call('GET', `/v2/chains/${env.chainId}/orders/${mapped.orderId}`)).body;
      expect(order.client).toMatchObject({ external_partner_config_id: env.fx.direct.external_id, store_id: env.fx.direct.external_id, vendor_id: env.fx.direct.code });
    });

    it('[AM] works as {vendor_id} in every /v2 path that has one (from the OpenAPI document), for both kinds of id', async () => {
      const doc = (await env.call('GET', '/openapi.json')).body;
      const routes: Array<[string, string]> = [];
      for (const [p, ops] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
        if (!p.startsWith('/v2/') || !p.includes('{vendor_id}')) continue;
        for (const method of Object.keys(ops)) if (['get', 'put', 'post', 'patch', 'delete'].includes(method)) routes.push([method.toUpperCase(), p]);
      }
      expect(routes.length).toBeGreaterThanOrEqual(9);
      for (const vendorCode of [env.fx.direct.code, env.fx.test.code]) {
        const { id } = await configIdFromWebhook(vendorCode);
        for (const [method, p] of routes) {
          const url = p.replace('{chain_id}', env.chainId).replace('{vendor_id}', encodeURIComponent(id));
          // No body, no query: the vendor is resolved before validation, so anything but 404 proves the id works.
          const res = await env.call(method, url);
          expect(res.status, `${method} ${url} ${res.text}`).not.toBe(404);
          const unknown = await env.call(method, p.replace('{chain_id}', env.chainId).replace('{vendor_id}', 'no-such-store'));
          expect(unknown.status, `${method} ${p} with an unknown store`).toBe(404);
        }
        const status = await env.call('GET', `${vendorPath(encodeURIComponent(id))}/status`);
        expect(status.body.vendor_id).toBe(vendorCode);
      }
    });

    it('orders stored before this rule are rewritten by the migration (GET answers the new value)', async () => {
      const { orderId } = await configIdFromWebhook(env.fx.direct.code);
      const db = env.t.ctx.db;
      const row = await db.selectFrom('orders').select(['snapshot']).where('id', '=', orderId).executeTakeFirstOrThrow();
      const old = row.snapshot.replace(`"external_partner_config_id":"${env.fx.direct.external_id}"`, `"external_partner_config_id":"${env.chainId}"`);
      expect(old).not.toBe(row.snapshot);
      await db.updateTable('orders').set({ snapshot: old }).where('id', '=', orderId).execute();
      expect((await env.call('GET', `/v2/chains/${env.chainId}/orders/${orderId}`)).body.client.external_partner_config_id).toBe(env.chainId);
      await orderPartnerConfigId().up(db);
      expect((await env.call('GET', `/v2/chains/${env.chainId}/orders/${orderId}`)).body.client.external_partner_config_id).toBe(env.fx.direct.external_id);
    });
  });
});
