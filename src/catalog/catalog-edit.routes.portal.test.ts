import { beforeAll, describe, expect, it } from 'vitest';
import { searchAudit } from '../audit/audit.repository.js';
import { JobRunner } from '../jobs/job-runner.js';
import { ManualClock } from '../platform/clock.js';
import { JOB_TYPES } from '../jobs-list.js';
import { bearer, operatorKey, portalLogin } from '../test-support/fixtures.js';
import { placeOrderVia, seedCatalog } from '../test-support/order-fixtures.js';
import { useTestApp } from '../test-support/test-app.js';

/** The portal's catalog and promotion editing routes: strict input, jobs, export file, CSV upload, roles, isolation, audit. */
describe('portal catalog and promotion editing API', () => {
  let runner: JobRunner;
  const clock = new ManualClock('2026-03-10T12:00:00Z');

  const s = useTestApp({ chains: { a: 'Edit API A', b: 'Edit API B' }, logins: { staff: ['a', 'staff'], other: ['b', 'admin'] }, clock });
  beforeAll(async () => {
    await seedCatalog(s.ctx, [s.a.direct, s.a.test]);
    await seedCatalog(s.ctx, [s.b.direct]);
    runner = new JobRunner(s.ctx, JOB_TYPES, { owner: 'edit-api' });
  });

  const url = (path: string, chainId = s.a.chain.id) => `/portal/api/chains/${chainId}${path}`;
  const get = (path: string, login = s.staff, chainId = s.a.chain.id) => s.app.inject({ method: 'GET', url: url(path, chainId), headers: { cookie: login.cookie } });
  const send = (method: 'PUT' | 'POST' | 'PATCH', path: string, payload: object, login = s.staff, chainId = s.a.chain.id) =>
    s.app.inject({ method, url: url(path, chainId), headers: { cookie: login.cookie, 'x-csrf-token': login.csrf }, payload });
  const listing = async (sku: string, vendorId = s.a.test.id) => (await get(`/vendors/${vendorId}/catalog?query_term=${sku}`)).json().products[0];
  const jobCount = async () => Number((await s.ctx.db.selectFrom('jobs').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('refuses a listing edit that is not a valid value (400 naming the field) and queues nothing', async () => {
    const before = await jobCount();
    const cases: Array<[object, string]> = [
      [{ sku: 'LECHE-1L', maximum_sales_quantity: null }, 'body.products[0].maximum_sales_quantity'],
      [{ sku: 'LECHE-1L', maximum_sales_quantity: 'abc' }, 'body.products[0].maximum_sales_quantity'],
      [{ sku: 'LECHE-1L', maximum_sales_quantity: 0 }, 'body.products[0].maximum_sales_quantity'],
      [{ sku: 'LECHE-1L', maximum_sales_quantity: 2.5 }, 'body.products[0].maximum_sales_quantity'],
      [{ sku: 'LECHE-1L', price: 0 }, 'body.products[0].price'],
      [{ sku: 'LECHE-1L', price: null }, 'body.products[0].price'],
      [{ sku: 'LECHE-1L', maximum_sales_quantity: 3, clear: ['maximum_sales_quantity'] }, 'body.products[0].maximum_sales_quantity'],
      [{ sku: 'LECHE-1L', clear: ['price'] }, 'body.products[0].clear[0]'],
    ];
    for (const [row, field] of cases) {
      const res = await send('PUT', `/vendors/${s.a.test.id}/catalog`, { products: [row] });
      expect(res.statusCode, JSON.stringify(row)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
      expect(res.json().error.message).toContain(field);
    }
    expect(await jobCount()).toBe(before);
    await runner.runUntilIdle();
    expect((await listing('LECHE-1L')).maximum_sales_quantity).toBe(6);
  });

  it('sets and then explicitly clears the per-order cap, and audits both edits', async () => {
    expect((await send('PUT', `/vendors/${s.a.test.id}/catalog`, { products: [{ sku: 'LECHE-1L', maximum_sales_quantity: 3, price: 1300.25 }] })).statusCode).toBe(202);
    await runner.runUntilIdle();
    expect(await listing('LECHE-1L')).toMatchObject({ maximum_sales_quantity: 3, price: 1300.25 });
    expect((await send('PUT', `/vendors/${s.a.test.id}/catalog`, { products: [{ sku: 'LECHE-1L', clear: ['maximum_sales_quantity'] }] })).statusCode).toBe(202);
    await runner.runUntilIdle();
    expect((await listing('LECHE-1L')).maximum_sales_quantity).toBeNull();
    const { entries } = await searchAudit(s.ctx.db, s.a.chain.id, { action: 'catalog.update' }, 1, 10);
    expect(entries).toHaveLength(2);
    expect(entries.find((e) => (e.details.fields as string[]).length === 1)).toMatchObject({ actor: expect.stringMatching(/^user:/), target_type: 'vendor', target_id: s.a.test.id, details: { rows: 1, fields: ['maximum_sales_quantity'], skus: ['LECHE-1L'] } });
  });

  it('filters the listing by category (with sub-categories) and pages it with the total', async () => {
    const cats = (await get('/catalog/categories')).json().categories;
    const test = cats.find((c: { path: string }) => c.path === 'Test');
    expect(test).toBeTruthy();
    const page = (await get(`/vendors/${s.a.test.id}/catalog?category_id=${test.id}&page_size=3&page=2`)).json();
    expect(page).toMatchObject({ total_count: 8, page_size: 3, page_number: 2, total_pages: 3 });
    expect(page.products).toHaveLength(3);
    expect((await get(`/vendors/${s.a.test.id}/catalog?category_id=nope`)).json().error.code).toBe('CATEGORY_NOT_FOUND');
    // Another chain's categories and catalog stay hidden.
    expect((await get('/catalog/categories', s.other)).statusCode).toBe(404);
  });

  it('creates a product on chosen stores through the product job; bad input names the field', async () => {
    const bad = await send('POST', '/catalog/products', { vendor_ids: [s.a.test.id], product: { sku: 'NUEVO-1', title: { es_AR: 'Nuevo' }, price: -1 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('body.product.price');
    const foreign = await send('POST', '/catalog/products', { vendor_ids: [s.b.direct.id], product: { sku: 'NUEVO-1', title: { es_AR: 'Nuevo' }, price: 10 } });
    expect(foreign.statusCode).toBe(422);
    expect(foreign.json().error.code).toBe('UNKNOWN_VENDORS');
    const ok = await send('POST', '/catalog/products', {
      vendor_ids: [s.a.test.id, s.a.direct.id],
      product: { sku: 'NUEVO-1', title: { es_AR: 'Producto nuevo' }, price: 123.45, categories: ['Almacén/Nuevos'], maximum_sales_quantity: 2 },
    });
    expect(ok.statusCode).toBe(202);
    await runner.runUntilIdle();
    const job = (await get(`/catalog/jobs/${ok.json().job_id}`)).json();
    expect(job).toMatchObject({ job_type: 'product_create', job_status: 'COMPLETED', results: [{ sku: 'NUEVO-1', result: 'CREATED' }] });
    expect(await listing('NUEVO-1', s.a.direct.id)).toMatchObject({ price: 123.45, maximum_sales_quantity: 2, categories: ['Almacén/Nuevos'] });
    expect((await searchAudit(s.ctx.db, s.a.chain.id, { action: 'catalog.create' }, 1, 10)).entries[0]).toMatchObject({ target_id: 'NUEVO-1', details: { vendor_count: 2 } });
  });

  it('exports a store catalog and serves the file itself (not the empty per-row log)', async () => {
    const res = await send('POST', `/vendors/${s.a.test.id}/catalog/export`, {});
    expect(res.statusCode).toBe(202);
    const jobId = res.json().job_id;
    expect((await get(`/catalog/jobs/${jobId}/file`)).statusCode).toBe(409);
    await runner.runUntilIdle();
    const jobs = (await get('/catalog/jobs')).json();
    expect(jobs.jobs.find((j: { job_id: string }) => j.job_id === jobId)).toMatchObject({ job_type: 'catalog_export', download: 'file', job_status: 'COMPLETED' });
    const file = await get(`/catalog/jobs/${jobId}/file`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-disposition']).toMatch(/^attachment; filename="catalog-/);
    const lines = file.body.trim().split(/\r?\n/);
    expect(lines[0]).toMatch(/^"?sku"?,/);
    expect(lines).toHaveLength(1 + 9);
    expect(file.body).toContain('YERBA-1K');
    // A job without a file says so; another chain's job is not found.
    const update = jobs.jobs.find((j: { job_type: string }) => j.job_type === 'catalog_update');
    expect(update.download).toBe('results');
    expect((await get(`/catalog/jobs/${update.job_id}/file`)).json().error.code).toBe('JOB_FILE_NOT_FOUND');
    expect((await get(`/catalog/jobs/${jobId}/file`, s.other, s.b.chain.id)).statusCode).toBe(404);
    expect((await get(`/catalog/jobs/${jobId}/file`, s.other)).statusCode).toBe(404);
  });

  it('pages the job history with the total and leaves promotion jobs to the promotions page', async () => {
    const all = (await get('/catalog/jobs?page_size=2')).json();
    expect(all.pagination.total_count).toBeGreaterThanOrEqual(4);
    expect(all.jobs).toHaveLength(2);
    const second = (await get('/catalog/jobs?page_size=2&page=2')).json();
    expect(second.jobs[0].job_id).not.toBe(all.jobs[0].job_id);
  });

  it('uploads a CSV that runs as an SFTP file job, with per-row results and the results file', async () => {
    const csv = 'sku,price,active\nLECHE-1L,1400,true\nNO-EXISTE,10,true\nPAN-LACTAL,abc,true\n';
    const post = (query: string, body: string, type = 'text/csv', login = s.staff) =>
      s.app.inject({ method: 'POST', url: url(`/catalog/uploads${query}`), headers: { cookie: login.cookie, 'x-csrf-token': login.csrf, 'content-type': type }, payload: body });
    expect((await post('?name=..%2Fx.csv', csv)).statusCode).toBe(400);
    expect((await post('?name=precios.txt', csv)).json().error.message).toContain('query.name');
    expect((await post('?name=precios.csv', '{}', 'application/json')).statusCode).toBe(415);
    expect((await post(`?name=precios.csv&vendor_id=${s.b.direct.id}`, csv)).statusCode).toBe(404);
    const res = await post(`?name=precios.csv&vendor_id=${s.a.test.id}`, csv);
    expect(res.statusCode).toBe(202);
    expect(res.json().file_name).toBe(`precios_${s.a.test.code}.csv`);
    await runner.runUntilIdle();
    const job = (await get(`/catalog/jobs/${res.json().job_id}`)).json();
    expect(job.job_type).toBe('sftp_file');
    expect(job.results.map((r: { sku: string; result: string }) => [r.sku, r.result])).toEqual([
      ['LECHE-1L', 'UPDATED'],
      ['NO-EXISTE', 'SKU_NOT_FOUND'],
      ['PAN-LACTAL', 'INVALID_PRICE'],
    ]);
    expect((await listing('LECHE-1L')).price).toBe(1400);
    const results = await get(`/catalog/jobs/${res.json().job_id}/results.csv`);
    expect(results.body).toContain('SKU_NOT_FOUND');
    expect((await searchAudit(s.ctx.db, s.a.chain.id, { action: 'catalog.upload' }, 1, 10)).entries[0]).toMatchObject({ actor: expect.stringMatching(/^user:/), details: { file: `Assortment/precios_${s.a.test.code}.csv` } });
    // The same file shows up in the SFTP history (one path for both).
    const admin = await portalLogin(s.app, s.a.admin.email, s.a.admin.password);
    expect((await get('/sftp/files', admin)).json().files[0]).toMatchObject({ name: `precios_${s.a.test.code}.csv`, job_status: 'COMPLETED' });
  });

  const promo = (over: object = {}) => ({
    vendors: [s.a.direct.code, s.a.test.code],
    type: 'STRIKETHROUGH',
    reason: 'COMPETITIVENESS',
    display_name: { es_AR: 'Lácteos' },
    conditions: { start_time: '2026-03-01T00:00:00Z', end_time: '2026-04-01T00:00:00Z' },
    discount: [{ discount_subtype: 'PERCENTAGE', discount_value: 10, sku: ['LECHE-1L', 'YERBA-1K'] }],
    ...over,
  });

  it('creates, edits and switches off a promotion through the promotion job, filtered by state, store and SKU', async () => {
    const bad = await send('PUT', '/promotion', promo({ conditions: { start_time: '2026-03-05T00:00:00Z', end_time: '2026-03-01T00:00:00Z' } }));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('body.conditions.end_time');
    const foreign = await send('PUT', '/promotion', promo({ vendors: [s.b.direct.code] }));
    expect(foreign.statusCode).toBe(422);
    expect(foreign.json().error.details.invalid_vendors).toEqual([s.b.direct.code]);

    const created = await send('PUT', '/promotion', promo());
    expect(created.statusCode).toBe(202);
    expect((await send('PUT', '/promotion', promo({ display_name: { es_AR: 'Futura' }, conditions: { start_time: '2026-05-01T00:00:00Z', end_time: '2026-06-01T00:00:00Z' } }))).statusCode).toBe(202);
    await runner.runUntilIdle();
    const job = (await get(`/promotion-jobs/${created.json().job_id}`)).json();
    expect(job).toMatchObject({ status: 'COMPLETED', missing_skus: {} });

    const running = (await get('/promotions?state=RUNNING')).json();
    expect(running.pagination.total_count).toBe(1);
    const p = running.promotions[0];
    expect(p).toMatchObject({ source: 'PORTAL', state: 'RUNNING', skus_total: 2, skus: [{ sku: 'LECHE-1L', subtype: 'PERCENTAGE', value: 10 }, { sku: 'YERBA-1K' }] });
    expect((await get('/promotions?state=SCHEDULED')).json().promotions.map((x: { display_name: Record<string, string> }) => x.display_name.es_AR)).toEqual(['Futura']);
    expect((await get('/promotions?state=ENDED')).json().pagination.total_count).toBe(0);
    expect((await get('/promotions?sku=YERBA-1K')).json().pagination.total_count).toBe(2);
    expect((await get('/promotions?sku=GALLETITAS')).json().pagination.total_count).toBe(0);
    expect((await get(`/promotions?vendor_id=${s.a.indirect.id}`)).json().pagination.total_count).toBe(0);
    expect((await get(`/promotions?vendor_id=${s.b.direct.id}`)).statusCode).toBe(404);
    expect((await get('/promotions?page_size=1&page=2')).json()).toMatchObject({ pagination: { total_count: 2, page: 2 }, promotions: [{}] });

    // Edit: same key, another discount and one SKU removed.
    const edit = promo({ discount: [{ discount_subtype: 'PERCENTAGE', discount_value: 15, sku: ['LECHE-1L'] }, { discount_subtype: 'PERCENTAGE', active: false, sku: ['YERBA-1K'] }] });
    expect((await send('PUT', '/promotion', edit)).statusCode).toBe(202);
    await runner.runUntilIdle();
    const one = (await get(`/promotions/${p.promotion_id}`)).json();
    expect(one).toMatchObject({ editable: true, skus_total: 1, skus: [{ sku: 'LECHE-1L', value: 15 }] });

    // Switch off, then on again: the SKUs survive.
    expect((await send('POST', `/promotions/${p.promotion_id}/active`, { active: false })).statusCode).toBe(202);
    await runner.runUntilIdle();
    expect((await get(`/promotions/${p.promotion_id}`)).json()).toMatchObject({ state: 'INACTIVE', skus_total: 1 });
    expect((await get('/promotions?state=INACTIVE')).json().pagination.total_count).toBe(1);
    expect((await send('POST', `/promotions/${p.promotion_id}/active`, { active: true })).statusCode).toBe(202);
    await runner.runUntilIdle();
    expect((await get(`/promotions/${p.promotion_id}`)).json()).toMatchObject({ state: 'RUNNING', skus: [{ sku: 'LECHE-1L', value: 15 }] });

    // The clock stands still here: same instant, so compare as a set.
    const actions = (await searchAudit(s.ctx.db, s.a.chain.id, { action: 'promotion.' }, 1, 20)).entries.map((e) => e.action).sort();
    expect(actions).toEqual(['promotion.deactivate', 'promotion.upsert', 'promotion.upsert', 'promotion.upsert', 'promotion.upsert']);

    // Another chain sees none of it.
    expect((await get(`/promotions/${p.promotion_id}`, s.other, s.b.chain.id)).statusCode).toBe(404);
    expect((await get(`/promotions/${p.promotion_id}`, s.other)).statusCode).toBe(404);
    expect((await send('POST', `/promotions/${p.promotion_id}/active`, { active: false }, s.other, s.b.chain.id)).statusCode).toBe(404);
    expect((await get(`/promotion-jobs/${created.json().job_id}`, s.other, s.b.chain.id)).statusCode).toBe(404);
  });

  it('keeps discount[].max_quantity (set through PUT /v2) when the portal switches the promotion off and on and edits it', async () => {
    const body = promo({
      display_name: { es_AR: 'Tope por pedido' },
      vendors: [s.a.direct.code],
      conditions: { start_time: '2026-03-02T00:00:00Z', end_time: '2026-04-02T00:00:00Z' },
      discount: [
        { discount_subtype: 'PERCENTAGE', discount_value: 10, max_quantity: 2, sku: ['AGUA-500'] },
        { discount_subtype: 'PERCENTAGE', discount_value: 10, sku: ['GALLETITAS'] },
      ],
      limits: { max_discount_per_order: 1000 },
    });
    const put = await s.app.inject({ method: 'PUT', url: `/v2/chains/${s.a.chain.id}/promotion`, headers: bearer(s.a.token), payload: body });
    expect(put.statusCode).toBe(202);
    await runner.runUntilIdle();
    const id = (await get('/promotions?sku=AGUA-500&state=RUNNING')).json().promotions.find((x: { display_name: Record<string, string> }) => x.display_name.es_AR === 'Tope por pedido').promotion_id;
    const caps = async () =>
      (await s.ctx.db.selectFrom('promotion_items').select(['sku', 'max_quantity']).where('promotion_id', '=', id).orderBy('sku').execute()).map((r) => [r.sku, r.max_quantity === null ? null : Number(r.max_quantity)]);
    const capped = [['AGUA-500', 2], ['GALLETITAS', null]];
    expect(await caps()).toEqual(capped);
    const view = (await get(`/promotions/${id}`)).json();
    expect(view).toMatchObject({ limits: { max_discount_per_order: 1000 }, skus: [{ sku: 'AGUA-500', value: 10, max_quantity: 2 }, { sku: 'GALLETITAS', value: 10, max_quantity: null }] });

    // Off and on again through the portal: the cap is sent back with the SKUs.
    expect((await send('POST', `/promotions/${id}/active`, { active: false })).statusCode).toBe(202);
    await runner.runUntilIdle();
    expect((await get(`/promotions/${id}`)).json()).toMatchObject({ state: 'INACTIVE' });
    expect((await send('POST', `/promotions/${id}/active`, { active: true })).statusCode).toBe(202);
    await runner.runUntilIdle();
    expect((await get(`/promotions/${id}`)).json()).toMatchObject({ state: 'RUNNING', limits: { max_discount_per_order: 1000 } });
    expect(await caps()).toEqual(capped);

    // An edit from the portal form (the groups it builds from the view) keeps it too.
    const again = (await get(`/promotions/${id}`)).json();
    const groups = again.skus.map((s: { sku: string; subtype: string; value: number; max_quantity: number | null }) => ({
      discount_subtype: s.subtype,
      discount_value: 15,
      ...(s.max_quantity === null ? {} : { max_quantity: s.max_quantity }),
      sku: [s.sku],
    }));
    expect((await send('PUT', '/promotion', { ...body, discount: groups })).statusCode).toBe(202);
    await runner.runUntilIdle();
    expect(await caps()).toEqual(capped);
    expect((await get(`/promotions/${id}`)).json().skus).toMatchObject([{ value: 15, max_quantity: 2 }, { value: 15, max_quantity: null }]);

    // And it still applies: of 3 bottles only 2 are discounted (2 × 15 % of 650.755 = 195.23, not 292.84).
    const order = await placeOrderVia(s.app, await operatorKey(s.ctx), s.a.direct, [{ sku: 'AGUA-500', quantity: 3 }]);
    expect(order.items[0].promotion).toEqual([expect.objectContaining({ promotion_id: id, discount_amount: 195.23 })]);
  });
});
