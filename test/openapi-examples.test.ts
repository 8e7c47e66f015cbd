import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo, type DemoInfo } from '../src/demo/demo.seed.js';
import { EXAMPLE_IDS } from '../src/demo/demo.openapi-examples.js';
import { operationsOf } from '../src/platform/http/openapi-components.js';
import { JobRunner } from '../src/jobs/job-runner.js';
import { JOB_TYPES } from '../src/jobs-list.js';
import { putOpeningHours, putStoreStatus } from '../src/outlets/outlets.service.js';
import { startServer, type RunningServer } from '../src/server.js';
import { createTestContext, type TestContext } from '../src/test-support/test-db.js';
import { resolveVendor } from '../src/vendors/vendors.repository.js';

/**
 * Every request example of /openapi.json, sent as written to a real server seeded with the demo,
 * answers 2xx. Only the ids an installation makes itself (chain, order, job) are replaced by this
 * server's; everything else — stores, SKUs, bodies, query values — is the document's.
 */
describe('the partner OpenAPI examples work against the demo', () => {
  let t: TestContext;
  let server: RunningServer;
  let demo: DemoInfo;
  let runner: JobRunner;
  let doc: any;
  const jobs: Record<string, string> = {};

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.url}${path}`, {
      method: method.toUpperCase(),
      headers: { authorization: `Bearer ${demo.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, text, json: text.startsWith('{') ? JSON.parse(text) : undefined };
  };

  /** A fresh order with the example's lines (2 x ACE-0021, ACE-0022, 1 kg KG-FRU-0198) on the Palermo store. */
  const placeOrder = async (transport: 'LOGISTICS_DELIVERY' | 'VENDOR_DELIVERY') => {
    const res = await fetch(`${server.url}/platform/v1/orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${demo.operator_key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        vendor_id: 'PAL-001',
        chain_id: demo.chain_id,
        transport_type: transport,
        order_type: 'DELIVERY',
        items: [{ sku: 'ACE-0021', quantity: 2 }, { sku: 'ACE-0022', quantity: 1 }, { sku: 'KG-FRU-0198', weight: 1 }],
        customer: { first_name: 'María', last_name: 'González', phone_number: '+5491155550000' },
      }),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { order_id: string }).order_id;
  };

  beforeAll(async () => {
    t = await createTestContext({ config: { port: 0 } });
    demo = await seedDemo(t.ctx);
    await putStoreStatus(t.ctx, (await resolveVendor(t.ctx.db, demo.chain_id, 'PAL-001'))!, { status: 'OPEN' }, 'test');
    server = await startServer(t.ctx, ['api']);
    runner = new JobRunner(t.ctx, JOB_TYPES, { owner: 'examples-test' });
    doc = await (await fetch(`${server.url}/openapi.json`)).json();
  });
  afterAll(async () => {
    await server?.stop();
    await t?.db.drop();
  });

  it('sends each request example and gets 2xx', async () => {
    // Job producers before the job readers; the store-status change last (it closes the store).
    const rank = (id: string) => (/^(update|create|upsert|export)/.test(id) && !/StoreStatus|OpeningHours|Order$/.test(id) ? 0 : /StoreStatus|OpeningHours/.test(id) ? 2 : 1);
    const ops = operationsOf(doc)
      .filter(({ op }) => op.operationId !== 'issueOAuthToken')
      .sort((a, b) => rank(a.op.operationId) - rank(b.op.operationId));
    expect(ops.length).toBeGreaterThan(15);
    const failures: string[] = [];
    let sent = 0;
    for (const { path, method, op } of ops) {
      const examples = Object.entries(op.requestBody?.content?.['application/json']?.examples ?? { none: { value: undefined } }) as Array<[string, { value: unknown }]>;
      if (op.requestBody?.required && !op.requestBody.content['application/json']?.examples) failures.push(`${op.operationId}: a request body without examples`);
      for (const [name, example] of examples) {
        const body = example.value as { status?: string } | undefined;
        let url = path;
        const query = new URLSearchParams();
        for (const p of op.parameters ?? []) {
          if (p.in === 'header') continue;
          if (p.example === undefined) {
            if (p.required) failures.push(`${op.operationId}: parameter ${p.name} has no example`);
            continue;
          }
          let value = String(p.example);
          if (p.name === 'chain_id' && value === EXAMPLE_IDS.chain_id) value = demo.chain_id;
          if (p.name === 'order_id' && value === EXAMPLE_IDS.order_id) value = await placeOrder(body?.status === 'ACCEPTED' ? 'VENDOR_DELIVERY' : 'LOGISTICS_DELIVERY');
          if (p.name === 'job_id' && value === EXAMPLE_IDS.job_id) {
            await runner.runUntilIdle();
            value = path.includes('/promotion/') ? jobs.upsertPromotion! : path.endsWith('/download') ? jobs.exportVendorCatalog! : jobs.updateVendorCatalog!;
          }
          if (p.in === 'path') url = url.replace(`{${p.name}}`, encodeURIComponent(value));
          else query.set(p.name, value);
        }
        const res = await call(method, `${url}${query.size ? `?${query}` : ''}`, body);
        sent++;
        if (res.status >= 300) failures.push(`${op.operationId} (${name}): ${res.status} ${res.text.slice(0, 300)}`);
        if (res.json?.job_id && !jobs[op.operationId]) jobs[op.operationId] = res.json.job_id;
      }
    }
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThan(25);
  });

  it('webhook examples are what the server sends: an order example has every field GET answers', async () => {
    // The examples closed the store and set Monday–Saturday 08–22 hours: open all week again, whatever time it is.
    const store = (await resolveVendor(t.ctx.db, demo.chain_id, 'PAL-001'))!;
    await putOpeningHours(t.ctx, store, { opening_hours: [], checkin_required: false }, 'test');
    await putStoreStatus(t.ctx, store, { status: 'OPEN' }, 'test');
    const orderId = await placeOrder('LOGISTICS_DELIVERY');
    const real = (await call('get', `/v2/chains/${demo.chain_id}/orders/${orderId}`)).json;
    const example = doc.webhooks.RECEIVED.post.requestBody.content['application/json'].example;
    expect(Object.keys(example).sort()).toEqual(Object.keys(real).sort());
    expect(Object.keys(example.items[0]).sort()).toEqual(Object.keys(real.items[0]).sort());
    expect(Object.keys(doc.webhooks).sort()).toEqual(
      ['ACCEPTED', 'CANCELLED', 'CATALOG_JOB_COMPLETED', 'DELIVERED', 'DISPATCHED', 'EXPORT_JOB_COMPLETED', 'PRODUCT_JOB_COMPLETED', 'PROMOTION_JOB_COMPLETED', 'READY_FOR_PICKUP', 'RECEIVED', 'SFTP_FILE_PROCESSED', 'TEST', 'UPDATE_CART'],
    );
  });
});
