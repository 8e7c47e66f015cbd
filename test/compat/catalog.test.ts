/**
 * Catalog, the way existing integrations written for the real Partner API call it (partner-api.md §4,
 * §9). Where each request shape comes from:
 *  - [HS]  ryingapp/TRYING-POS server/hungerstation.ts — updateProducts (PUT …/catalog with
 *          `{ products: [{ sku, active, price, quantity, barcode, maximum_sales_quantity }] }`, its
 *          comment quoting the documented table: active=false → inactive regardless of quantity,
 *          active=true + quantity > sales_buffer → active, ≤ → inactive), getProducts (query_term,
 *          locale, page, page_size, category_global_ids, is_active; reads page_number/total_pages),
 *          getVendorCategories (`?only_leaves=true`, its default), addProducts (`{ vendors, products }`),
 *          getJobStatus (job_status + result).
 *  - [AM]  BeelBegins/aimatic aimatic/foodpanda_integration/catalog.py — build_update_payload sends
 *          `{"sku", "active", "price", "quantity"}` plus `"barcode"` as one string, every time;
 *          _job_succeeded reads the job's top-level `status`.
 *  - [DOC] partner-api.md §4 (from the real documentation): `max_sales_quantity` as another name of
 *          `maximum_sales_quantity`, `page_number` as another name of `page`, product creation with
 *          `barcodes` or `barcode`, categories by id or by path, quantity / maximum_sales_quantity on
 *          creation.
 * Each test reads the listing back: the request is not only accepted, it has the documented effect.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCompat, type CompatEnv } from './support.js';

describe('compatibility: catalog', () => {
  let env: CompatEnv;
  let vendor: string;
  /**
   * The job status once it is finished. With webhooks the server runs a worker too, which may hold the
   * job while runJobs() finds nothing left to claim (Postgres): poll the status as a client does.
   */
  async function finished(jobId: string): Promise<any> {
    for (let i = 0; i < 400; i++) {
      await env.runJobs();
      const res = await env.call('GET', `/v2/chains/${env.chainId}/catalog/jobs/${jobId}`);
      if (res.body?.job_status === 'COMPLETED' || res.body?.job_status === 'FAILED') return res.body;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`job ${jobId} did not finish`);
  }
  beforeAll(async () => {
    env = await startCompat({ webhooks: ['CATALOG_JOB_COMPLETED', 'PRODUCT_JOB_COMPLETED'] });
    vendor = env.fx.direct.code;
    // Our own contract's field: a listing whose sales_buffer is 5 (the table compares quantity with it).
    const res = await env.call('POST', `/v2/chains/${env.chainId}/catalog`, {
      json: { vendors: [vendor], products: [{ sku: 'BUFFER-5', title: { es_AR: 'Con reserva' }, price: 100, sales_buffer: 5, categories: ['Almacén/Yerbas'] }] },
    });
    expect(res.status, res.text).toBe(202);
    expect((await finished(res.body.job_id)).results[0].result).toBe('CREATED');
  });
  afterAll(async () => {
    await env?.close();
  });

  const base = () => `/v2/chains/${env.chainId}/vendors/${vendor}`;
  /** PUT the rows, run the job, answer the job status as the API gives it. */
  async function update(products: unknown[]): Promise<any> {
    const res = await env.call('PUT', `${base()}/catalog`, { json: { products } });
    expect(res.status, res.text).toBe(202);
    return finished(res.body.job_id);
  }
  async function listing(sku: string): Promise<any> {
    const res = await env.call('GET', `${base()}/catalog?query_term=${encodeURIComponent(sku)}`);
    expect(res.status, res.text).toBe(200);
    return res.body.products.find((p: any) => p.sku === sku);
  }

  describe('PUT vendor catalog: active together with quantity follows the documented table', () => {
    it('[HS] active:false with any quantity → inactive', async () => {
      const job = await update([{ sku: 'BUFFER-5', active: false, quantity: 50, price: 100 }]);
      expect(job.job_status).toBe('COMPLETED');
      expect(job.results[0]).toMatchObject({ sku: 'BUFFER-5', result: 'UPDATED' });
      expect(job.refused_rows).toEqual([]);
      expect((await listing('BUFFER-5')).active).toBe(false);
    });

    it('[HS] active:true with quantity > sales_buffer → active; ≤ sales_buffer → inactive', async () => {
      await update([{ sku: 'BUFFER-5', active: true, quantity: 6 }]);
      expect((await listing('BUFFER-5')).active).toBe(true);
      const job = await update([{ sku: 'BUFFER-5', active: true, quantity: 5 }]);
      expect(job.results[0].result).toBe('UPDATED');
      expect((await listing('BUFFER-5')).active).toBe(false);
    });

    it('[AM] the aimatic payload (sku, active, price, quantity, barcode as one string) applies and the job reads COMPLETED via `status`', async () => {
      const leche = await listing('LECHE-1L');
      const job = await update([{ sku: 'LECHE-1L', active: true, price: 1300.1, quantity: 12, barcode: leche.barcode[0] }]);
      expect(job.status).toBe('COMPLETED');
      expect(job.results[0]).toMatchObject({ sku: 'LECHE-1L', result: 'UPDATED' });
      expect(await listing('LECHE-1L')).toMatchObject({ active: true, price: 1300.1 });
      // Out of stock: active stays what the stock says (quantity 0 ≤ buffer 0 → inactive).
      await update([{ sku: 'LECHE-1L', active: false, price: 1300.1, quantity: 0, barcode: leche.barcode[0] }]);
      expect((await listing('LECHE-1L')).active).toBe(false);
      await update([{ sku: 'LECHE-1L', active: true, price: 1250.5, quantity: 3 }]);
      expect(await listing('LECHE-1L')).toMatchObject({ active: true, price: 1250.5 });
    });

    it('[DOC] max_sales_quantity is maximum_sales_quantity (and null removes the cap)', async () => {
      let job = await update([{ sku: 'PAN-LACTAL', max_sales_quantity: 4 }]);
      expect(job.results[0].result).toBe('UPDATED');
      expect((await listing('PAN-LACTAL')).maximum_sales_quantity).toBe(4);
      // Both sent: the full name wins.
      await update([{ sku: 'PAN-LACTAL', maximum_sales_quantity: 7, max_sales_quantity: 2 }]);
      expect((await listing('PAN-LACTAL')).maximum_sales_quantity).toBe(7);
      job = await update([{ sku: 'PAN-LACTAL', max_sales_quantity: 0 }]);
      expect(job.results[0]).toMatchObject({ result: 'INVALID_MAXIMUM_SALES_QUANTITY', message: expect.stringContaining('max_sales_quantity') });
      await update([{ sku: 'PAN-LACTAL', max_sales_quantity: null }]);
      expect((await listing('PAN-LACTAL')).maximum_sales_quantity).toBeNull();
    });

    it('a wrong type on a known field is still a 400 naming it, and nothing changes', async () => {
      const res = await env.call('PUT', `${base()}/catalog`, { json: { products: [{ sku: 'PAN-LACTAL', max_sales_quantity: 'many' }] } });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(res.body.error.message).toContain('max_sales_quantity');
    });
  });

  describe('no silent failure: refused rows are in the job status and in the webhook', () => {
    it('[HS] a row refused (unknown SKU) is named with sku, code and message; the webhook names its event type', async () => {
      const res = await env.call('PUT', `${base()}/catalog`, { json: { products: [{ sku: 'NO-SUCH-SKU', active: true, quantity: 3 }, { sku: 'GALLETITAS', price: 0 }, { sku: 'PAN-LACTAL', price: 2199.99 }] } });
      expect(res.status).toBe(202);
      const job = await finished(res.body.job_id);
      expect(job.job_status).toBe('COMPLETED');
      expect(job.refused_count).toBe(2);
      expect(job.refused_rows_truncated).toBe(false);
      expect(job.refused_rows).toEqual([
        { row: 1, sku: 'NO-SUCH-SKU', code: 'SKU_NOT_FOUND', message: expect.stringContaining('NO-SUCH-SKU') },
        { row: 2, sku: 'GALLETITAS', code: 'INVALID_PRICE', message: expect.stringContaining('price') },
      ]);
      expect(job.results_url).toBe(`${env.t.ctx.config.publicUrl}/v2/chains/${env.chainId}/catalog/jobs/${res.body.job_id}/results`);
      const [hook] = await env.receiver!.waitFor(1, { filter: (r) => r.json?.job_id === res.body.job_id });
      expect(hook!.headers['comanda-event-type']).toBe('CATALOG_JOB_COMPLETED');
      expect(hook!.json).toMatchObject({ event_type: 'CATALOG_JOB_COMPLETED', job_status: 'COMPLETED', status: 'COMPLETED', error_rows: 2, refused_count: 2, refused_rows: job.refused_rows, results_url: job.results_url });
    });
  });

  describe('GET vendor catalog', () => {
    it('[HS] query_term, locale, page, page_size, category_global_ids and is_active together', async () => {
      const cats = (await env.call('GET', `${base()}/categories`)).body.categories;
      const almacen = cats.find((c: any) => c.name === 'Almacén');
      const yerbas = almacen.children.find((c: any) => c.name === 'Yerbas');
      const test = cats.find((c: any) => c.name === 'Test');
      const q = new URLSearchParams({ query_term: 'BUFFER', locale: 'es_AR', page: '1', page_size: '10', category_global_ids: yerbas.id, is_active: 'false' });
      const res = await env.call('GET', `${base()}/catalog?${q}`);
      expect(res.status, res.text).toBe(200);
      expect(res.ignored).toEqual([]);
      expect(res.body).toMatchObject({ page_number: 1, page_size: 10, total_pages: 1 });
      expect(res.body.products.map((p: any) => p.sku)).toEqual(['BUFFER-5']);
      // Several ids, comma-separated: products in any of them.
      const both = await env.call('GET', `${base()}/catalog?category_global_ids=${yerbas.id},${test.id}&page_size=100`);
      expect(both.body.total_count).toBe(9);
      const unknown = await env.call('GET', `${base()}/catalog?category_global_ids=00000000-0000-4000-8000-000000000000`);
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.code).toBe('CATEGORY_NOT_FOUND');
      expect(unknown.body.error.message).toContain('query.category_global_ids');
    });

    it('[DOC] page_number is page; locale lists that locale first (es-AR spelled with a dash too)', async () => {
      const p2 = await env.call('GET', `${base()}/catalog?page_number=2&page_size=3`);
      expect(p2.status).toBe(200);
      expect(p2.body.page_number).toBe(2);
      const p2b = await env.call('GET', `${base()}/catalog?page=2&page_size=3`);
      expect(p2.body.products.map((p: any) => p.sku)).toEqual(p2b.body.products.map((p: any) => p.sku));
      // A product with two locales: pt_BR first when asked for it.
      const created = await env.call('POST', `/v2/chains/${env.chainId}/catalog`, { json: { vendors: [vendor], products: [{ sku: 'BILINGUE', title: { es_AR: 'Azúcar', pt_BR: 'Açúcar' }, price: 10 }] } });
      expect(created.status).toBe(202);
      await finished(created.body.job_id);
      const pt = await env.call('GET', `${base()}/catalog?query_term=BILINGUE&locale=pt-BR`);
      expect(Object.keys(pt.body.products[0].title)).toEqual(['pt_BR', 'es_AR']);
      const es = await env.call('GET', `${base()}/catalog?query_term=BILINGUE&locale=es_AR`);
      expect(Object.keys(es.body.products[0].title)).toEqual(['es_AR', 'pt_BR']);
    });
  });

  describe('GET categories', () => {
    it('[HS] only_leaves=true lists the leaves only, flat', async () => {
      const all = (await env.call('GET', `${base()}/categories`)).body.categories;
      expect(all.map((c: any) => c.path).sort()).toEqual(['Almacén', 'Test']);
      const res = await env.call('GET', `${base()}/categories?only_leaves=true`);
      expect(res.status).toBe(200);
      expect(res.ignored).toEqual([]);
      expect(res.body.categories.map((c: any) => c.path).sort()).toEqual(['Almacén/Yerbas', 'Test']);
      expect(res.body.categories.every((c: any) => c.children.length === 0)).toBe(true);
      const tree = await env.call('GET', `${base()}/categories?only_leaves=false`);
      expect(tree.body.categories).toEqual(all);
    });
  });

  describe('POST chain catalog (product creation)', () => {
    it('[HS][DOC] barcode as one code or barcodes as a list, categories by id or path, quantity and max_sales_quantity', async () => {
      const cats = (await env.call('GET', `${base()}/categories?only_leaves=true`)).body.categories;
      const yerbas = cats.find((c: any) => c.path === 'Almacén/Yerbas');
      const res = await env.call('POST', `/v2/chains/${env.chainId}/catalog`, {
        json: {
          vendors: [vendor],
          products: [
            { sku: 'NEW-1', barcode: '7790001000011', title: { es_AR: 'Nuevo 1' }, price: 10.5, categories: [yerbas.id], quantity: 0 },
            { sku: 'NEW-2', barcodes: ['7790001000028', '7790001000035'], title: { es_AR: 'Nuevo 2' }, price: 20, categories: ['Bebidas/Aguas'], quantity: 9, max_sales_quantity: 3 },
            { sku: 'NEW-3', barcode: ['7790001000042'], barcodes: '7790001000059', title: { es_AR: 'Nuevo 3' }, price: 30, active: false, quantity: 99, maximum_sales_quantity: 2 },
            { sku: 'NEW-4', title: { es_AR: 'Nuevo 4' }, price: 40, quantity: -1 },
          ],
        },
      });
      expect(res.status, res.text).toBe(202);
      expect(res.ignored).toEqual([]);
      const job = await finished(res.body.job_id);
      expect(job.results.map((r: any) => r.result)).toEqual(['CREATED', 'CREATED', 'CREATED', 'INVALID_QUANTITY']);
      expect(job.refused_rows).toEqual([{ row: 4, sku: 'NEW-4', code: 'INVALID_QUANTITY', message: expect.stringContaining('quantity') }]);
      expect(await listing('NEW-1')).toMatchObject({ barcode: ['7790001000011'], categories: ['Almacén/Yerbas'], category_ids: [yerbas.id], active: false });
      expect(await listing('NEW-2')).toMatchObject({ barcode: ['7790001000028', '7790001000035'], categories: ['Bebidas/Aguas'], active: true, maximum_sales_quantity: 3 });
      expect(await listing('NEW-3')).toMatchObject({ barcode: ['7790001000042', '7790001000059'], active: false, maximum_sales_quantity: 2 });
      expect(await listing('NEW-4')).toBeUndefined();
      const [hook] = await env.receiver!.waitFor(1, { filter: (r) => r.json?.job_id === res.body.job_id });
      expect(hook!.headers['comanda-event-type']).toBe('PRODUCT_JOB_COMPLETED');
      expect(hook!.json).toMatchObject({ event_type: 'PRODUCT_JOB_COMPLETED', refused_rows: job.refused_rows });
    });
  });
});
