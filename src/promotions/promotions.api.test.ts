import { beforeAll, describe, expect, it } from 'vitest';
import { applyProductRows } from '../catalog/products.repository.js';
import { JobRunner } from '../jobs/job-runner.js';
import { ManualClock } from '../platform/clock.js';
import { JOB_TYPES } from '../jobs-list.js';
import { bearer } from '../test-support/fixtures.js';
import { useTestApp } from '../test-support/test-app.js';
import { createToken } from '../tokens/tokens.service.js';
import { effectivePromotions } from './effective.repository.js';

describe('promotions API: upsert job, job status, list', () => {
  let runner: JobRunner;
  const clock = new ManualClock('2026-11-29T12:00:00Z');

  // 4 pairs per step: a 5-SKU chunk goes one vendor per step, so slicing and resuming are exercised.
  const s = useTestApp({ chains: { f: null, other: null }, clock, config: { promotionPairsPerStep: 4 } });
  beforeAll(async () => {
    runner = new JobRunner(s.ctx, JOB_TYPES, { owner: 'test-runner' });
    const products = [
      { sku: 'A1', title: { es_AR: 'Agua' }, price: 10 },
      { sku: 'B2', title: { es_AR: 'Bizcochos' }, price: 5 },
      { sku: 'C3', title: { es_AR: 'Café' }, price: 7.5 },
      { sku: 'KG1', title: { es_AR: 'Queso' }, price: 1234.567, is_sold_by_weight: true },
    ];
    await s.ctx.db.transaction().execute(async (trx) => {
      await applyProductRows(s.ctx, trx, s.f.chain.id, [s.f.direct.id, s.f.test.id], products, 0);
      await applyProductRows(s.ctx, trx, s.f.chain.id, [s.f.indirect.id], products.slice(0, 1), 0);
    });
  });

  const put = (body: unknown, token = s.f.token, chainId = s.f.chain.id) =>
    s.app.inject({ method: 'PUT', url: `/v2/chains/${chainId}/promotion`, headers: bearer(token), payload: body as object });
  const job = async (jobId: string, token = s.f.token, chainId = s.f.chain.id) => s.app.inject({ method: 'GET', url: `/v2/chains/${chainId}/promotion/jobs/${jobId}`, headers: bearer(token) });
  const run = () => runner.runUntilIdle();

  const strike = (over: Record<string, unknown> = {}) => ({
    vendors: [s.f.direct.code, s.f.indirect.code, 'nope'],
    type: 'STRIKETHROUGH',
    active: true,
    reason: 'COMPETITIVENESS',
    display_name: { es_AR: 'Precios bajos' },
    conditions: { start_time: '2026-12-01T00:00:00Z', end_time: '2026-12-31T00:00:00Z' },
    discount: [
      { discount_subtype: 'FINAL_PRICE', discount_value: 8.5, active: true, sku: ['A1', 'B2', 'MISSING'] },
      { discount_subtype: 'PERCENTAGE', discount_value: 150, active: true, sku: ['C3'] },
      { discount_subtype: 'FINAL_PRICE', discount_value: 999.99, sku: ['KG1'] },
    ],
    ...over,
  });

  let promotionId: string;

  it('queues a job, then reports invalid vendors, missing and invalid SKUs per vendor', async () => {
    const res = await put(strike());
    expect(res.statusCode).toBe(202);
    const { job_id, job_status } = res.json();
    expect(job_status).toBe('QUEUED');
    expect((await job(job_id)).json().status).toBe('QUEUED');
    await run();
    const view = (await job(job_id)).json();
    expect(view.status).toBe('COMPLETED');
    expect(view.invalid_vendors).toEqual(['nope']);
    expect(view.missing_skus).toEqual({ [s.f.direct.code]: ['MISSING'], [s.f.indirect.code]: ['B2', 'C3', 'KG1', 'MISSING'] });
    // B2 lists at 5.00: a final price of 8.50 is not below it. C3: 150 % is out of range.
    expect(view.invalid_discounted_skus).toEqual({ [s.f.direct.code]: ['B2', 'C3'] });
    expect(view.counts).toMatchObject({ PAIRS_APPLIED: 3, MISSING_SKU: 5, INVALID_DISCOUNTED_SKU: 2 });
    expect(view.issues_truncated).toBe(false);
    promotionId = view.promotion_id;
    expect(promotionId).toMatch(/^[0-9a-f-]{36}$/);

    const eff = await effectivePromotions(s.ctx.db, s.f.direct.id, ['A1', 'B2', 'KG1'], new Date('2026-12-02T00:00:00Z'));
    expect(eff.get('A1')).toMatchObject({ promotionId, subtype: 'FINAL_PRICE', value: 8500 });
    expect(eff.get('KG1')).toMatchObject({ value: 999_990 });
    expect(eff.has('B2')).toBe(false);
    const atIndirect = await effectivePromotions(s.ctx.db, s.f.indirect.id, ['A1'], new Date('2026-12-02T00:00:00Z'));
    expect(atIndirect.get('A1')?.promotionId).toBe(promotionId);
  });

  it('the same body again is DUPLICATE and queues nothing', async () => {
    const res = await put(strike());
    expect(res.statusCode).toBe(202);
    expect(res.json().job_status).toBe('DUPLICATE');
    const view = (await job(res.json().job_id)).json();
    expect(view.status).toBe('DUPLICATE');
    expect(await run()).toBe(0);
  });

  it('the same key with other values modifies the promotion; active:false entries remove SKUs', async () => {
    clock.advance(1000);
    const res = await put(
      strike({
        reason: 'OVERSTOCK',
        discount: [
          { discount_subtype: 'FINAL_PRICE', discount_value: 7, sku: ['A1'] },
          { discount_subtype: 'FINAL_PRICE', active: false, sku: ['KG1'] },
        ],
      }),
    );
    expect(res.json().job_status).toBe('QUEUED');
    await run();
    const view = (await job(res.json().job_id)).json();
    expect(view.status).toBe('COMPLETED');
    expect(view.promotion_id).toBe(promotionId);
    expect(view.counts).toMatchObject({ PAIRS_APPLIED: 2, PAIRS_REMOVED: 1 });
    const eff = await effectivePromotions(s.ctx.db, s.f.direct.id, ['A1', 'KG1'], new Date('2026-12-02T00:00:00Z'));
    expect(eff.get('A1')?.value).toBe(7000);
    expect(eff.has('KG1')).toBe(false);
  });

  it('active:false at the top deactivates the promotion', async () => {
    clock.advance(1000);
    const res = await put(strike({ active: false }));
    await run();
    expect((await job(res.json().job_id)).json().status).toBe('COMPLETED');
    expect((await effectivePromotions(s.ctx.db, s.f.direct.id, ['A1'], new Date('2026-12-02T00:00:00Z'))).size).toBe(0);
    const list = await s.app.inject({ method: 'GET', url: `/v2/chains/${s.f.chain.id}/promotions?active=false`, headers: bearer(s.f.token) });
    expect(list.json().promotions.map((p: { promotion_id: string }) => p.promotion_id)).toEqual([promotionId]);
    expect(list.json().promotions[0]).toMatchObject({ state: 'INACTIVE', reason: 'COMPETITIVENESS', source: 'API', type: 'STRIKETHROUGH' });
  });

  it('a request naming no vendor of the chain ends FAILED with invalid_vendors', async () => {
    const res = await put(strike({ vendors: ['nope', s.other.direct.code] }));
    await run();
    const view = (await job(res.json().job_id)).json();
    expect(view.status).toBe('FAILED');
    expect(view.invalid_vendors).toEqual([s.other.direct.code, 'nope'].sort());
    expect(view.error).toMatch(/none of the vendors/);
  });

  it('bundles: lists with filters vendor, sku, time and active', async () => {
    clock.advance(1000);
    const res = await put({
      vendors: ['*'],
      type: 'SAME_ITEM_BUNDLE',
      reason: 'OVERSTOCK',
      display_name: { es_AR: '2x1 café' },
      conditions: { start_time: '2027-01-01T00:00:00Z', end_time: '2027-01-10T00:00:00Z', purchased_quantity: 2, discounted_quantity: 1 },
      limits: { global_limit: 100, max_items_per_order: 4 },
      discount: [{ discount_subtype: 'FREE_ITEM', sku: ['C3'] }],
    });
    expect(res.statusCode).toBe(202);
    await run();
    const view = (await job(res.json().job_id)).json();
    expect(view.status).toBe('COMPLETED');
    expect(view.counts.PAIRS_APPLIED).toBe(2); // direct + test store list C3; the Pelican store does not
    const q = (qs: string) => s.app.inject({ method: 'GET', url: `/v2/chains/${s.f.chain.id}/promotions?${qs}`, headers: bearer(s.f.token) });
    const bySku = (await q('sku=C3&active=true')).json();
    expect(bySku.promotions).toHaveLength(1);
    expect(bySku.promotions[0]).toMatchObject({
      type: 'SAME_ITEM_BUNDLE',
      vendors: ['*'],
      conditions: { purchased_quantity: 2, discounted_quantity: 1 },
      limits: { global_limit: 100, max_items_per_order: 4 },
      state: 'SCHEDULED',
    });
    expect((await q(`vendor=${s.f.indirect.code}&sku=C3`)).json().promotions).toHaveLength(0);
    expect((await q(`vendor=${s.f.direct.code}&sku=C3`)).json().promotions).toHaveLength(1);
    expect((await q('time=2027-01-05T00:00:00Z')).json().pagination.total_count).toBe(1);
    expect((await q('time=2026-12-05T00:00:00Z')).json().pagination.total_count).toBe(1); // the strikethrough one
    expect((await q('vendor=unknown')).statusCode).toBe(404);
  });

  it('sandbox tokens only reach test stores', async () => {
    const { secret } = await createToken(s.ctx, s.f.chain.id, { name: 'Sandbox', environment: 'test' }, 'test');
    const res = await put(strike({ vendors: ['*'], display_name: { es_AR: 'Sandbox' } }), secret);
    expect(res.statusCode).toBe(202);
    await run();
    const view = (await job(res.json().job_id, secret)).json();
    expect(view.status).toBe('COMPLETED');
    expect(Object.keys({ ...view.missing_skus, ...view.invalid_discounted_skus })).toEqual([s.f.test.code]);
    // …and cannot read a job that touched live stores.
    const live = await put(strike({ display_name: { es_AR: 'Live only' } }));
    expect((await job(live.json().job_id, secret)).statusCode).toBe(404);
    expect((await job(live.json().job_id)).statusCode).toBe(200);
  });

  it('refuses malformed bodies with 400 naming the field, and writes nothing', async () => {
    const before = await s.ctx.db.selectFrom('promotion_jobs').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    const cases: Array<[unknown, string]> = [
      [strike({ conditions: { start_time: '2026-12-02T00:00:00Z', end_time: '2026-12-01T00:00:00Z' } }), 'body.conditions.end_time'],
      [strike({ discount: [{ discount_subtype: 'FREE_ITEM', sku: ['A1'] }] }), 'body.discount[0].discount_subtype'],
      [strike({ discount: [{ discount_subtype: 'FINAL_PRICE', sku: ['A1'] }] }), 'body.discount[0].discount_value'],
      [strike({ type: 'SAME_ITEM_BUNDLE', discount: [{ discount_subtype: 'FREE_ITEM', sku: ['A1'] }] }), 'body.conditions.purchased_quantity'],
      [strike({ vendors: ['*', 'x'] }), 'body.vendors'],
      [strike({ reason: 'WHY_NOT' }), 'body.reason'],
      // An unknown field is ignored (partner-api.md §9); the known ones next to it stay strict.
      [{ ...strike({ reason: 'WHY_NOT' }), extra: 1 }, 'body.reason'],
      [strike({ discount: [{ discount_subtype: 'FINAL_PRICE', discount_value: '8', sku: ['A1'] }] }), 'body.discount[0].discount_value'],
    ];
    for (const [body, field] of cases) {
      const res = await put(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
      expect(res.json().error.message).toContain(field);
    }
    const after = await s.ctx.db.selectFrom('promotion_jobs').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it("another chain's token gets 404 on every route", async () => {
    const res = await put(strike(), s.other.token);
    expect(res.statusCode).toBe(404);
    const mine = await put(strike({ display_name: { es_AR: 'Isolation' } }));
    expect((await job(mine.json().job_id, s.other.token, s.other.chain.id)).statusCode).toBe(404);
    expect((await job(mine.json().job_id, s.other.token)).statusCode).toBe(404);
    expect((await s.app.inject({ method: 'GET', url: `/v2/chains/${s.f.chain.id}/promotions`, headers: bearer(s.other.token) })).statusCode).toBe(404);
    expect((await job('00000000-0000-0000-0000-000000000000')).json().error.code).toBe('PROMOTION_JOB_NOT_FOUND');
    await run();
  });
});
