import { describe, expect, it } from 'vitest';
import { applyProductRows } from '../catalog/products.repository.js';
import { JobRunner } from '../jobs/job-runner.js';
import { JOB_TYPES } from '../jobs-list.js';
import { bearer, seedChain } from '../test-support/fixtures.js';
import { useTestApp } from '../test-support/test-app.js';
import { drainWebhooks } from '../test-support/webhook-receiver.js';
import { FAST_WEBHOOKS, useWebhooks } from '../test-support/webhooks.js';
import { createEndpoint } from '../webhooks/endpoints.service.js';

describe('promotion job completion webhook', () => {
  const s = useTestApp({ config: FAST_WEBHOOKS });

  const w = useWebhooks(s);

  it('a finished promotion job is announced to the chain endpoint (PROMOTION_JOB_COMPLETED), signed', async () => {
    const f = await seedChain(s.ctx);
    const { signing_secret } = await createEndpoint(s.ctx, f.chain.id, { url: w.receiver.url, authorization: 'Basic dXNlcjpwYXNz' }, 'test');
    w.receiver.setSecrets([signing_secret]);
    await s.ctx.db.transaction().execute((trx) => applyProductRows(s.ctx, trx, f.chain.id, [f.direct.id], [{ sku: 'A1', title: { es_AR: 'Agua' }, price: 10 }], 0));
    const res = await s.app.inject({
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
    await new JobRunner(s.ctx, JOB_TYPES, { owner: 'webhook-test' }).runUntilIdle();
    await drainWebhooks(s.ctx, { chainId: f.chain.id });
    const [hit] = await w.receiver.waitFor(1, { filter: (r) => r.body.includes(jobId) });
    expect(hit!.verified).toBe(true);
    expect(hit!.headers.authorization).toBe('Basic dXNlcjpwYXNz');
    expect(hit!.body).toContain('COMPLETED');
    expect(hit!.body).toContain('promotion_upsert');
    expect(hit!.body).toContain(`/promotion/jobs/${jobId}`);
  });
});
