import type { FastifyInstance } from 'fastify';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { JobRunner } from '../jobs/job-runner.js';
import { JOB_TYPES } from '../jobs-list.js';
import { bearer, seedChain, type ChainFixture } from '../test-support/fixtures.js';
import { createTestContext, type TestContext } from '../test-support/test-db.js';
import { WebhookReceiver } from '../test-support/webhook-receiver.js';
import { FAST_WEBHOOKS } from '../test-support/webhooks.js';
import { createEndpoint } from '../webhooks/endpoints.service.js';
import { WebhookDispatcher } from '../webhooks/dispatcher.js';

describe('job completion webhooks', () => {
  let t: TestContext;
  let app: FastifyInstance;
  let a: ChainFixture;
  let receiver: WebhookReceiver;
  let dispatcher: WebhookDispatcher;
  let secret: string;
  const runner = () => new JobRunner(t.ctx, JOB_TYPES, { owner: 'webhook-test' });

  beforeAll(async () => {
    t = await createTestContext({ config: FAST_WEBHOOKS });
    app = await buildApp(t.ctx);
    a = await seedChain(t.ctx, 'Catalog Hooks');
    receiver = await WebhookReceiver.start();
    const created = await createEndpoint(t.ctx, a.chain.id, { url: receiver.url, authorization: 'Basic cGFydG5lcjpzZWNyZXQ=' }, 'test');
    secret = created.signing_secret;
    receiver.setSecrets([secret]);
    dispatcher = new WebhookDispatcher(t.ctx);
    await dispatcher.start();
  });
  afterAll(async () => {
    await dispatcher.stop();
    await receiver.close();
    await app.close();
    await t.close();
  });

  const ofJob = (jobId: string) => (r: { json: any }) => r.json?.job_id === jobId;

  it('product, catalog and export jobs each announce completion, signed, with counts and download_url', async () => {
    const post = await app.inject({
      method: 'POST',
      url: `/v2/chains/${a.chain.id}/catalog`,
      headers: bearer(a.token),
      payload: { vendors: [a.direct.code], products: [{ sku: 'MATE-1', title: { es_AR: 'Mate de calabaza' }, price: 5500 }, { sku: 'BAD', title: { es_AR: 'x' }, price: -1 }] },
    });
    const productJob = post.json().job_id as string;
    await runner().runUntilIdle();
    const [product] = await receiver.waitFor(1, { filter: ofJob(productJob) });
    expect(product!.verified).toBe(true);
    expect(product!.headers.authorization).toBe('Basic cGFydG5lcjpzZWNyZXQ=');
    expect(new Webhook(secret).verify(product!.body, product!.headers as Record<string, string>)).toMatchObject({ job_id: productJob });
    expect(product!.json).toMatchObject({
      job_id: productJob,
      job_type: 'product_create',
      status: 'COMPLETED',
      processed_rows: 2,
      error_rows: 1,
      counts: { CREATED: 1, INVALID_PRICE: 1 },
      download_url: `${t.ctx.config.publicUrl}/v2/chains/${a.chain.id}/catalog/jobs/${productJob}/results`,
    });

    const put = await app.inject({ method: 'PUT', url: `/v2/chains/${a.chain.id}/vendors/${a.direct.code}/catalog`, headers: bearer(a.token), payload: { products: [{ sku: 'MATE-1', price: 5999.9999 }] } });
    const updateJob = put.json().job_id as string;
    const exp = await app.inject({ method: 'POST', url: `/v2/chains/${a.chain.id}/vendors/${a.direct.code}/catalog/export`, headers: bearer(a.token) });
    const exportJob = exp.json().job_id as string;
    await runner().runUntilIdle();
    const [update] = await receiver.waitFor(1, { filter: ofJob(updateJob) });
    expect(update!.verified).toBe(true);
    expect(update!.json).toMatchObject({ job_type: 'catalog_update', status: 'COMPLETED', counts: { UPDATED: 1 } });
    const [done] = await receiver.waitFor(1, { filter: ofJob(exportJob) });
    expect(done!.verified).toBe(true);
    expect(done!.json).toMatchObject({ job_type: 'catalog_export', status: 'COMPLETED', counts: { EXPORTED: 1 } });
    // The announced download_url works with the partner's token and holds the export.
    const file = await app.inject({ method: 'GET', url: new URL(done!.json.download_url).pathname, headers: bearer(a.token) });
    expect(file.statusCode).toBe(200);
    expect(file.body).toContain('MATE-1,,Mate de calabaza,');
    expect(file.body).toContain(',5999.999,true,');
  });
});
