import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { JobRunner } from '../jobs/job-runner.js';
import { JOB_TYPES } from '../jobs-list.js';
import { bearer } from '../test-support/fixtures.js';
import { useTestApp } from '../test-support/test-app.js';
import { importCatalogCsv } from './catalog-import.js';
import { findListingsForVendor } from './listings.repository.js';

describe('catalog (§4)', () => {
  const s = useTestApp({ chains: { a: 'Catalog A', b: 'Catalog B' } });
  let runner: JobRunner;

  beforeAll(async () => {
    runner = new JobRunner(s.ctx, JOB_TYPES, { owner: 'test' });
  });

  const base = () => `/v2/chains/${s.a.chain.id}`;
  const auth = (f = s.a) => bearer(f.token);

  async function runJob(jobId: string, f = s.a, query = '') {
    await runner.runUntilIdle();
    const res = await s.app.inject({ method: 'GET', url: `/v2/chains/${f.chain.id}/catalog/jobs/${jobId}${query}`, headers: auth(f) });
    expect(res.statusCode).toBe(200);
    return res.json();
  }

  async function createProducts(products: unknown[], vendors: string[] = ['*']) {
    const res = await s.app.inject({ method: 'POST', url: `${base()}/catalog`, headers: auth(), payload: { vendors, products } });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json().job_status).toBe('QUEUED');
    return runJob(res.json().job_id);
  }

  async function update(products: unknown[], vendor = s.a.direct.code) {
    const res = await s.app.inject({ method: 'PUT', url: `${base()}/vendors/${vendor}/catalog`, headers: auth(), payload: { products } });
    expect(res.statusCode, res.body).toBe(202);
    return runJob(res.json().job_id);
  }

  async function listing(sku: string, vendorId = s.a.direct.id) {
    return (await findListingsForVendor(s.ctx.db, vendorId, [sku])).get(sku);
  }

  const yerba = { sku: 'YER-1', barcode: ['7790387000016'], title: { es_AR: 'Yerba Mate Playadito 1 kg' }, categories: ['Almacén/Infusiones/Yerba'], brand: 'Playadito', vat_percent: 21, price: 4599.9999, sales_buffer: 5 };
  const banana = { sku: 'BAN-1', title: { es_AR: 'Banana Ecuador' }, categories: ['Frutas y Verduras/Frutas'], is_sold_by_weight: true, weight_specifications: { base_weight: 1, average_weight_per_piece: 0.18 }, vat_percent: 10.5, price: 1899.5 };
  const leche = { sku: 'LEC-1', barcode: ['7790742033202'], title: { es_AR: 'Leche entera La Serenísima 1 L', en_US: 'Whole milk 1 L' }, categories: ['Lácteos/Leches'], price: 1350, maximum_sales_quantity: 6 };

  it('POST chain catalog lists products on every vendor with "*", truncating prices to 3 decimals', async () => {
    const job = await createProducts([yerba, banana, leche, { ...yerba, sku: 'BAD-1', barcode: [], price: 0 }]);
    expect(job.job_status).toBe('COMPLETED');
    expect(job.job_type).toBe('product_create');
    expect(job.counts).toEqual({ CREATED: 3, INVALID_PRICE: 1 });
    expect(job.error_rows).toBe(1);
    expect(job.results.map((r: { result: string }) => r.result)).toEqual(['CREATED', 'CREATED', 'CREATED', 'INVALID_PRICE']);
    for (const v of [s.a.direct, s.a.indirect, s.a.test]) expect((await listing('YER-1', v.id))?.priceMilli).toBe(4599_999);
    const b1 = await listing('BAN-1');
    expect(b1).toMatchObject({ isSoldByWeight: true, weightSpecifications: { base_weight: 1, average_weight_per_piece: 0.18 }, vatPercent: 10.5, priceMilli: 1899_500, active: true, salesBuffer: 0 });
    expect(await listing('BAD-1')).toBeUndefined();
    // The same sku again updates the product.
    const again = await createProducts([{ ...leche, price: 1400 }], [s.a.direct.code]);
    expect(again.counts).toEqual({ UPDATED: 1 });
    expect((await listing('LEC-1'))?.priceMilli).toBe(1_400_000);
    expect((await listing('LEC-1', s.a.indirect.id))?.priceMilli).toBe(1_350_000);
  });

  it('POST chain catalog on named vendors (code or external id) only; unknown vendors refused', async () => {
    const job = await createProducts([{ ...yerba, sku: 'ONLY-D', barcode: [], title: { es_AR: 'Yerba "Playadito", 1\\2 kg {x}' } }], [s.a.direct.external_id!]);
    expect(job.counts).toEqual({ CREATED: 1 });
    expect((await listing('ONLY-D'))?.title).toEqual({ es_AR: 'Yerba "Playadito", 1\\2 kg {x}' });
    expect(await listing('ONLY-D', s.a.indirect.id)).toBeUndefined();
    const res = await s.app.inject({ method: 'POST', url: `${base()}/catalog`, headers: auth(), payload: { vendors: [s.a.direct.code, s.b.direct.code], products: [yerba] } });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('UNKNOWN_VENDORS');
    expect(res.json().error.details.invalid_vendors).toEqual([s.b.direct.code]);
  });

  it('refuses a barcode that belongs to another product, per row', async () => {
    const job = await createProducts([{ sku: 'STEAL', barcode: ['7790387000016'], title: { es_AR: 'x' }, price: 1 }], [s.a.direct.code]);
    expect(job.counts).toEqual({ BARCODE_TAKEN: 1 });
  });

  it('PUT vendor catalog: truncation, price ≤ 0 per row, unknown SKUs per row, both identifiers', async () => {
    const job = await update([
      { sku: 'YER-1', price: 10.9999 },
      { sku: 'LEC-1', price: 0 },
      { sku: 'BAN-1', price: -3 },
      { sku: 'NOPE', price: 5 },
      { barcode: '7790742033202', price: 1499.5 },
      { barcode: '0000000000000', price: 1 },
      { sku: 'BAN-1', barcode: '7790742033202', price: 2 },
      { sku: 'BAN-1' },
      { price: 3 },
    ]);
    expect(job.job_status).toBe('COMPLETED');
    expect(job.results.map((r: { result: string }) => r.result)).toEqual([
      'UPDATED',
      'INVALID_PRICE',
      'INVALID_PRICE',
      'SKU_NOT_FOUND',
      'UPDATED',
      'BARCODE_NOT_FOUND',
      'IDENTIFIER_MISMATCH',
      'NOTHING_TO_UPDATE',
      'MISSING_IDENTIFIER',
    ]);
    expect(job.results[3]).toMatchObject({ row: 4, sku: 'NOPE', result: 'SKU_NOT_FOUND' });
    expect(job.results[4]).toMatchObject({ sku: 'LEC-1', barcode: '7790742033202' });
    expect(job.processed_rows).toBe(9);
    expect(job.error_rows).toBe(7);
    expect((await listing('YER-1'))?.priceMilli).toBe(10_999);
    expect((await listing('LEC-1'))?.priceMilli).toBe(1_499_500);
    expect((await listing('BAN-1'))?.priceMilli).toBe(1_899_500);
    // Another vendor's listing is untouched.
    expect((await listing('YER-1', s.a.indirect.id))?.priceMilli).toBe(4_599_999);
  });

  it('quantity vs sales_buffer decides active; active and quantity together follow the table; UNCHANGED; max quantity', async () => {
    // YER-1 has sales_buffer 5.
    let job = await update([{ sku: 'YER-1', quantity: 5 }]);
    expect(job.results[0].result).toBe('UPDATED');
    expect((await listing('YER-1'))?.active).toBe(false);
    job = await update([{ sku: 'YER-1', quantity: 6 }]);
    expect((await listing('YER-1'))?.active).toBe(true);
    // active with quantity follows the documented table (partner-api.md §4): active:false wins.
    job = await update([{ sku: 'YER-1', quantity: 7 }, { sku: 'YER-1', active: false, quantity: 9 }, { sku: 'YER-1', quantity: -1 }]);
    expect(job.results.map((r: { result: string }) => r.result)).toEqual(['UNCHANGED', 'UPDATED', 'INVALID_QUANTITY']);
    expect((await listing('YER-1'))?.active).toBe(false);
    // active:true with quantity ≤ buffer → inactive; > buffer → active.
    job = await update([{ sku: 'YER-1', active: true, quantity: 5 }]);
    expect(job.results[0].result).toBe('UNCHANGED');
    expect((await listing('YER-1'))?.active).toBe(false);
    job = await update([{ sku: 'YER-1', active: true, quantity: 6 }]);
    expect((await listing('YER-1'))?.active).toBe(true);
    job = await update([{ sku: 'LEC-1', active: false, maximum_sales_quantity: 3 }]);
    expect(await listing('LEC-1')).toMatchObject({ active: false, maximumSalesQuantity: 3 });
    job = await update([{ sku: 'LEC-1', maximum_sales_quantity: null }, { sku: 'LEC-1', maximum_sales_quantity: 0 }]);
    expect(job.results.map((r: { result: string }) => r.result)).toEqual(['UPDATED', 'INVALID_MAXIMUM_SALES_QUANTITY']);
    expect((await listing('LEC-1'))?.maximumSalesQuantity).toBeNull();
    // A SKU repeated in one request is applied in row order.
    job = await update([{ sku: 'BAN-1', price: 1 }, { sku: 'BAN-1', price: 1899.5 }, { sku: 'BAN-1', price: 1899.5 }]);
    expect(job.results.map((r: { result: string }) => r.result)).toEqual(['UPDATED', 'UPDATED', 'UNCHANGED']);
    expect((await listing('BAN-1'))?.priceMilli).toBe(1_899_500);
  });

  it('known fields are strict, unknown ones ignored; documented caps answer 4xx naming the field', async () => {
    const put = (payload: unknown, headers: Record<string, string> = {}) =>
      s.app.inject({ method: 'PUT', url: `${base()}/vendors/${s.a.direct.code}/catalog`, headers: { ...auth(), ...headers }, payload: payload as object });
    let res = await put({ products: [{ sku: 'YER-1', price: '12' }] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('body.products[0].price');
    // Unknown fields are ignored and reported (partner-api.md §9), an own "__proto__" key included.
    res = await put({ products: [{ sku: 'YER-1', colour: 'red' }] });
    expect(res.statusCode).toBe(202);
    expect(res.headers['comanda-ignored-fields']).toBe('body.products[0].colour');
    res = await put('{"products":[{"sku":"YER-1","active":true,"__proto__":{"polluted":1}}]}', { 'content-type': 'application/json' });
    expect(res.statusCode).toBe(202);
    expect(res.headers['comanda-ignored-fields']).toBe('body.products[0].__proto__');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    res = await put('{"products": [', { 'content-type': 'application/json' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('INVALID_JSON');
    res = await put({ products: Array.from({ length: 10_001 }, (_, i) => ({ sku: `S${i}`, active: true })) });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('body.products');
    res = await put(JSON.stringify({ products: [{ sku: 'x'.repeat(60), active: true }], pad: 'x'.repeat(9 * 1024 * 1024) }), { 'content-type': 'application/json' });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('BODY_TOO_LARGE');
  });

  it('GET job pages its results; results download as JSON or CSV by Accept', async () => {
    const rows = Array.from({ length: 2500 }, (_, i) => ({ sku: i % 2 ? 'YER-1' : `MISSING-${i}`, price: 100 + (i % 7) }));
    const res = await s.app.inject({ method: 'PUT', url: `${base()}/vendors/${s.a.direct.code}/catalog`, headers: auth(), payload: { products: rows } });
    const id = res.json().job_id;
    const page2 = await runJob(id, s.a, '?page=2&page_size=1000');
    expect(page2.processed_rows).toBe(2500);
    expect(page2.counts.SKU_NOT_FOUND).toBe(1250);
    expect(page2.results).toHaveLength(1000);
    expect(page2.results[0].row).toBe(1001);
    expect(page2.pagination).toEqual({ page: 2, page_size: 1000, total_count: 2500, total_pages: 3 });
    expect(page2.download_url).toContain(`/catalog/jobs/${id}/results`);
    const json = await s.app.inject({ method: 'GET', url: `${base()}/catalog/jobs/${id}/results`, headers: auth() });
    expect(json.headers['content-type']).toContain('application/json');
    const body = json.json();
    expect(body.results).toHaveLength(2500);
    expect(body.results[2499]).toMatchObject({ row: 2500, sku: 'YER-1' });
    const csv = await s.app.inject({ method: 'GET', url: `${base()}/catalog/jobs/${id}/results`, headers: { ...auth(), accept: 'text/csv' } });
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe('row,sku,barcode,result,message');
    expect(lines).toHaveLength(2501);
    expect(lines[1]).toMatch(/^1,MISSING-0,,SKU_NOT_FOUND,/);
  });

  it('GET vendor catalog: listing fields, query_term, is_active, category_id (with sub-categories), paging', async () => {
    const get = async (q: string) => {
      const res = await s.app.inject({ method: 'GET', url: `${base()}/vendors/${s.a.direct.code}/catalog${q}`, headers: auth() });
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
    const all = await get('?page_size=2');
    expect(all.page_size).toBe(2);
    expect(all.total_count).toBe(4); // BAN-1, LEC-1, ONLY-D, YER-1
    expect(all.total_pages).toBe(2);
    expect(all.products.map((p: { sku: string }) => p.sku)).toEqual(['BAN-1', 'LEC-1']);
    expect(all.products[0]).toMatchObject({ sku: 'BAN-1', price: 1899.5, active: true, sales_buffer: 0, maximum_sales_quantity: null, is_sold_by_weight: true, categories: ['Frutas y Verduras/Frutas'] });
    expect((await get('?query_term=playadito')).products.map((p: { sku: string }) => p.sku)).toEqual(['ONLY-D', 'YER-1']);
    expect((await get('?query_term=7790742033202')).products.map((p: { sku: string }) => p.sku)).toEqual(['LEC-1']);
    expect((await get('?is_active=false')).products.map((p: { sku: string }) => p.sku)).toEqual(['LEC-1']);
    const cats = await s.app.inject({ method: 'GET', url: `${base()}/vendors/${s.a.direct.code}/categories`, headers: auth() });
    expect(cats.statusCode, cats.body).toBe(200);
    const tree = cats.json().categories as Array<{ name: string; id: string; children: Array<{ name: string; id: string; children: unknown[] }> }>;
    const almacen = tree.find((c) => c.name === 'Almacén')!;
    expect(almacen.children[0]!.name).toBe('Infusiones');
    expect((await get(`?category_id=${almacen.id}`)).products.map((p: { sku: string }) => p.sku)).toEqual(['ONLY-D', 'YER-1']);
    const bad = await s.app.inject({ method: 'GET', url: `${base()}/vendors/${s.a.direct.code}/catalog?category_id=nope`, headers: auth() });
    expect(bad.json().error.code).toBe('CATEGORY_NOT_FOUND');
  });

  it('export round-trips: the downloaded CSV re-imports into another vendor unchanged', async () => {
    const res = await s.app.inject({ method: 'POST', url: `${base()}/vendors/${s.a.direct.code}/catalog/export`, headers: auth() });
    expect(res.statusCode).toBe(202);
    const id = res.json().job_id;
    const early = await s.app.inject({ method: 'GET', url: `${base()}/catalog/jobs/${id}/download`, headers: auth() });
    expect(early.json().error.code).toBe('JOB_NOT_FINISHED');
    const job = await runJob(id);
    expect(job.job_status).toBe('COMPLETED');
    expect(job.counts).toEqual({ EXPORTED: 4 });
    expect(job.download_url).toBe(`${s.ctx.config.publicUrl}/v2/chains/${s.a.chain.id}/catalog/jobs/${id}/download`);
    const file = await s.app.inject({ method: 'GET', url: `${base()}/catalog/jobs/${id}/download`, headers: auth() });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toContain('text/csv');
    expect(file.body.split('\r\n')[0]).toMatch(/^sku,barcode,title,/);
    const noAuth = await s.app.inject({ method: 'GET', url: `${base()}/catalog/jobs/${id}/download` });
    expect(noAuth.statusCode).toBe(401);
    // Import into the (empty) test store, then compare both vendors' catalogs field by field.
    const summary = await importCatalogCsv(s.ctx, s.a.test, Readable.from([file.body]));
    expect(summary.counts).toEqual({ UPDATED: 4 });
    const strip = (x: { products: Array<Record<string, unknown>> }) => x.products.map(({ updated_at: _u, ...p }) => p);
    const one = await s.app.inject({ method: 'GET', url: `${base()}/vendors/${s.a.direct.code}/catalog`, headers: auth() });
    const two = await s.app.inject({ method: 'GET', url: `${base()}/vendors/${s.a.test.code}/catalog`, headers: auth() });
    expect(strip(two.json())).toEqual(strip(one.json()));
    expect(strip(one.json()).find((p) => p.sku === 'LEC-1')).toMatchObject({ title: leche.title, maximum_sales_quantity: null, active: false });
  });

  it('findListingsForVendor gives order intake what it needs, inside a transaction', async () => {
    const found = await s.ctx.db.transaction().execute((trx) => findListingsForVendor(trx, s.a.direct.id, ['LEC-1', 'BAN-1', 'NOPE']));
    expect([...found.keys()].sort()).toEqual(['BAN-1', 'LEC-1']);
    expect(found.get('LEC-1')).toMatchObject({ sku: 'LEC-1', barcodes: ['7790742033202'], title: leche.title, priceMilli: 1_499_500, active: false, maximumSalesQuantity: null, salesBuffer: 0, vatPercent: 21, isSoldByWeight: false, imageUrl: null });
  });

  it('another chain sees none of it: every catalog route answers 404', async () => {
    const before = (await listing('YER-1'))?.priceMilli;
    const job = await s.app.inject({ method: 'PUT', url: `${base()}/vendors/${s.a.direct.code}/catalog`, headers: auth(), payload: { products: [{ sku: 'YER-1', active: true }] } });
    const jobId = job.json().job_id;
    const other = bearer(s.b.token);
    const calls: Array<[string, string, unknown?]> = [
      ['PUT', `${base()}/vendors/${s.a.direct.code}/catalog`, { products: [{ sku: 'YER-1', active: true }] }],
      ['POST', `${base()}/catalog`, { vendors: ['*'], products: [yerba] }],
      ['GET', `${base()}/vendors/${s.a.direct.code}/catalog`],
      ['GET', `${base()}/vendors/${s.a.direct.code}/categories`],
      ['POST', `${base()}/vendors/${s.a.direct.code}/catalog/export`],
      ['GET', `${base()}/catalog/jobs/${jobId}`],
      ['GET', `${base()}/catalog/jobs/${jobId}/results`],
      ['GET', `${base()}/catalog/jobs/${jobId}/download`],
      // Own chain in the path, another chain's vendor or job.
      ['GET', `/v2/chains/${s.b.chain.id}/vendors/${s.a.direct.code}/catalog`],
      ['PUT', `/v2/chains/${s.b.chain.id}/vendors/${s.a.direct.code}/catalog`, { products: [{ sku: 'YER-1', active: true }] }],
      ['GET', `/v2/chains/${s.b.chain.id}/catalog/jobs/${jobId}`],
      ['GET', `/v2/chains/${s.b.chain.id}/catalog/jobs/${jobId}/results`],
    ];
    for (const [method, url, payload] of calls) {
      const res = await s.app.inject({ method: method as 'GET', url, headers: other, ...(payload ? { payload: payload as object } : {}) });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
    }
    const created = await s.app.inject({ method: 'POST', url: `/v2/chains/${s.b.chain.id}/catalog`, headers: other, payload: { vendors: ['*'], products: [{ ...yerba, barcode: [] }] } });
    expect(created.statusCode).toBe(202);
    await runner.runUntilIdle();
    expect((await findListingsForVendor(s.ctx.db, s.b.direct.id, ['YER-1'])).get('YER-1')?.priceMilli).toBe(4_599_999);
    expect((await listing('YER-1'))?.priceMilli).toBe(before);
  });
});
