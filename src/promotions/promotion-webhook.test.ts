import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { applyProductRows } from '../catalog/products.repository.js';
import { JobRunner } from '../jobs/job-runner.js';
import { JOB_TYPES } from '../jobs-list.js';
import { bearer, seedChain } from '../test-support/fixtures.js';
import { createTestContext, type TestContext } from '../test-support/test-db.js';
import { drainWebhooks, WebhookReceiver } from '../test-support/webhook-receiver.js';
import { FAST_WEBHOOKS } from '../test-support/webhooks.js';
import { WebhookDispatcher } from '../webhooks/dispatcher.js';
import { createEndpoint } from '../webhooks/endpoints.service.js';

describe('promotion job completion webhook', () => {
  let t: TestContext;
  let app: FastifyInstance;
  let receiver: WebhookReceiver;
  let dispatcher: WebhookDispatcher;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    t = await createTestContext({ config: FAST_WEBHOOKS });
    app = await buildApp(t.ctx);
    dispatcher = new WebhookDispatcher(t.ctx);
    await dispatcher.start();
  });
  afterAll(async () => {
    await dispatcher.stop();
    await app.close();
    await t.close();
    await receiver.close();
  });

  it('a finished promotion job is announced to the chain endpoint (PROMOTION_JOB_COMPLETED), signed', async () => {
    const f = await seedChain(t.ctx);
    const { signing_secret } = await createEndpoint(t.ctx, f.chain.id, { url: receiver.url, authorization: 'Basic dXNlcjpwYXNz' }, 'test');
    receiver.setSecrets([signing_secret]);
    await t.ctx.db.transaction().execute((trx) => applyProductRows(t.ctx, trx, f.chain.id, [f.direct.id], [{ sku: 'A1', title: { es_AR: 'Agua' }, price: 10 }], 0));
    const res = await app.inject({
      method: 'PUT',
      url: `/v2/chains/${f.chain.id}/promotion`,
      headers: bearer(f.token),
      payload: {
        vendors: [f.direct.code],
        type: 'STRIKETHROUGH',
        reason: 'TRADING',
        display_name: { es_AR: 'Webhook' },
        conditions: { start_time: '2030-01-01T00:00:00Z', end_time: '2030-01-02T00:00:00Z' },
        discount: [{ discount_subtype: 'FINAL_PRICE', discount_value: 9, sku: ['A1', 'NOPE'] }],
      },
    });
    const jobId = res.json().job_id as string;
    await new JobRunner(t.ctx, JOB_TYPES, { owner: 'webhook-test' }).runUntilIdle();
    await drainWebhooks(t.ctx, { chainId: f.chain.id });
    const [hit] = await receiver.waitFor(1, { filter: (r) => r.body.includes(jobId) });
    expect(hit!.verified).toBe(true);
    expect(hit!.headers.authorization).toBe('Basic dXNlcjpwYXNz');
    expect(hit!.body).toContain('COMPLETED');
    expect(hit!.body).toContain('promotion_upsert');
    expect(hit!.body).toContain(`/promotion/jobs/${jobId}`);
  });
});
