import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { JobRunner } from '../jobs/job-runner.js';
import { JOB_TYPES } from '../jobs-list.js';
import { bearer } from '../test-support/fixtures.js';
import { useTestApp } from '../test-support/test-app.js';
import { FAST_WEBHOOKS, useWebhooks } from '../test-support/webhooks.js';

describe('job completion webhooks', () => {
  const s = useTestApp({ chains: { a: 'Catalog Hooks' }, config: FAST_WEBHOOKS });
  const runner = () => new JobRunner(s.ctx, JOB_TYPES, { owner: 'webhook-test' });

  const w = useWebhooks(s, { endpointFor: () => s.a.chain.id, authorization: 'Basic cGFydG5lcjpzZWNyZXQ=' });

  const ofJob = (jobId: string) => (r: { json: any }) => r.json?.job_id === jobId;

  it('product, catalog and export jobs each announce completion, signed, with counts and download_url', async () => {
    const post = await s.app.inject({
      method: 'POST',
      url: `/v2/chains/${s.a.chain.id}/catalog`,
      headers: bearer(s.a.token),
      payload: { vendors: [s.a.direct.code], products: [{ sku: 'MATE-1', title: { es_AR: 'Mate de calabaza' }, price: 5500 }, { sku: 'BAD', title: { es_AR: 'x' }, price: -1 }] },
    });
    const productJob = post.json().job_id as string;
    await runner().runUntilIdle();
    const [product] = await w.receiver.waitFor(1, { filter: ofJob(productJob) });
    expect(product!.verified).toBe(true);
    expect(product!.headers.authorization).toBe('Basic cGFydG5lcjpzZWNyZXQ=');
    expect(new Webhook(w.secret).verify(product!.body, product!.headers as Record<string, string>)).toMatchObject({ job_id: productJob });
    expect(product!.json).toMatchObject({
      job_id: productJob,
      job_type: 'product_create',
      status: 'COMPLETED',
      processed_rows: 2,
      error_rows: 1,
      counts: { CREATED: 1, INVALID_PRICE: 1 },
      download_url: `${s.ctx.config.publicUrl}/v2/chains/${s.a.chain.id}/catalog/jobs/${productJob}/results`,
    });

    const put = await s.app.inject({ method: 'PUT', url: `/v2/chains/${s.a.chain.id}/vendors/${s.a.direct.code}/catalog`, headers: bearer(s.a.token), payload: { products: [{ sku: 'MATE-1', price: 5999.9999 }] } });
    const updateJob = put.json().job_id as string;
    const exp = await s.app.inject({ method: 'POST', url: `/v2/chains/${s.a.chain.id}/vendors/${s.a.direct.code}/catalog/export`, headers: bearer(s.a.token) });
    const exportJob = exp.json().job_id as string;
    await runner().runUntilIdle();
    const [update] = await w.receiver.waitFor(1, { filter: ofJob(updateJob) });
    expect(update!.verified).toBe(true);
    expect(update!.json).toMatchObject({ job_type: 'catalog_update', status: 'COMPLETED', counts: { UPDATED: 1 } });
    const [done] = await w.receiver.waitFor(1, { filter: ofJob(exportJob) });
    expect(done!.verified).toBe(true);
    expect(done!.json).toMatchObject({ job_type: 'catalog_export', status: 'COMPLETED', counts: { EXPORTED: 1 } });
    // The announced download_url works with the partner's token and holds the export.
    const file = await s.app.inject({ method: 'GET', url: new URL(done!.json.download_url).pathname, headers: bearer(s.a.token) });
    expect(file.statusCode).toBe(200);
    expect(file.body).toContain('MATE-1,,Mate de calabaza,');
    expect(file.body).toContain(',5999.999,true,');
  });
});
