import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CATALOG_EXPORT_JOB } from './catalog.jobs.js';
import { ProductCreateItem } from './catalog.schemas.js';
import { enqueueExport, enqueueProductCreateFor } from './catalog.service.js';
import { listCategories } from './categories.repository.js';
import { checkProduct } from './product-input.js';
import type { AppContext } from '../platform/context.js';
import { actorOf } from '../platform/access.js';
import { AppError } from '../platform/errors.js';
import { errors, sessionSecurity } from '../platform/http/schemas.js';
import { findChainJob, outputStream } from '../jobs/index.js';
import { chainVendor, listVendors } from '../vendors/index.js';

const tags = ['Portal: Catalog'];
const security = sessionSecurity;
const uuid = Type.String({ format: 'uuid' });
const ChainParams = Type.Object({ chainId: uuid });
const VendorParams = Type.Object({ chainId: uuid, vendorId: uuid });
const JobParams = Type.Object({ chainId: uuid, jobId: uuid });
const Queued = Type.Object({ job_id: Type.String() });

/** Which field a product-check result is about, so a refusal names it. */
const FIELD_OF: Record<string, string> = {
  INVALID_SKU: 'sku',
  INVALID_TITLE: 'title',
  INVALID_PRICE: 'price',
  INVALID_BARCODE: 'barcode',
  INVALID_CATEGORY: 'categories',
  INVALID_VAT_PERCENT: 'vat_percent',
  INVALID_WEIGHT_SPECIFICATIONS: 'weight_specifications',
  INVALID_ACTIVE: 'active',
  INVALID_SALES_BUFFER: 'sales_buffer',
  INVALID_MAXIMUM_SALES_QUANTITY: 'maximum_sales_quantity',
  INVALID_IMAGE_URL: 'image_url',
};

/**
 * Portal JSON API for catalog work beyond single edits: the category list (filter), creating a
 * product on stores, exporting a store's catalog and downloading the file. Staff and admins;
 * everything goes through the catalog service and its jobs. (Uploading a CSV file is the SFTP
 * domain's: sftp/routes.portal.ts.)
 */
export function catalogEditPortalRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  const vendorOf = (chainId: string, vendorId: string) => chainVendor(ctx.db, chainId, vendorId);
  return async (app) => {
    // These routes shared a plugin with the CSV upload (now sftp/routes.portal.ts): a raw text/csv body is
    // still accepted (and ignored or refused by validation) rather than answered 415, as before.
    app.addContentTypeParser(['text/csv', 'application/octet-stream'], (_request, payload, done) => done(null, payload));

    app.get(
      '/chains/:chainId/catalog/categories',
      {
        config: { chainRole: 'staff' },
        schema: {
          tags,
          summary: "The chain's categories (flat, by path) for the catalog filter",
          security,
          params: ChainParams,
          response: { 200: Type.Object({ categories: Type.Array(Type.Object({ id: Type.String(), path: Type.String(), name: Type.String() })) }), ...errors(401, 403, 404) },
        },
      },
      async (request) => {
        const categories = await listCategories(ctx.db, request.params.chainId);
        return { categories: categories.map((c) => ({ id: c.id, path: c.path, name: c.name })).sort((a, b) => a.path.localeCompare(b.path)) };
      },
    );

    app.post(
      '/chains/:chainId/catalog/products',
      {
        config: { chainRole: 'staff' },
        schema: {
          tags,
          summary: 'Create (or update, by SKU) one product and list it on the given stores: queued as a product creation job',
          security,
          params: ChainParams,
          body: Type.Object({ vendor_ids: Type.Array(uuid, { minItems: 1, maxItems: 500 }), product: ProductCreateItem }, { additionalProperties: false }),
          response: { 202: Queued, ...errors(401, 403, 404, 422) },
        },
      },
      async (request, reply) => {
        const chainId = request.params.chainId;
        const checked = checkProduct(request.body.product);
        if (!checked.ok) {
          const field = `body.product.${FIELD_OF[checked.result] ?? 'sku'}`;
          throw new AppError('VALIDATION_FAILED', `${field}: ${checked.message}`, { fields: [{ field, problem: checked.message, result: checked.result }] });
        }
        const chainVendors = await listVendors(ctx.db, chainId);
        const unknown = request.body.vendor_ids.filter((id) => !chainVendors.some((v) => v.id === id));
        if (unknown.length) throw new AppError('UNKNOWN_VENDORS', `body.vendor_ids: not stores of this chain: ${unknown.slice(0, 20).join(', ')}`, { invalid_vendors: unknown });
        const vendors = chainVendors.filter((v) => request.body.vendor_ids.includes(v.id));
        const job = await enqueueProductCreateFor(ctx, chainId, vendors, [request.body.product], actorOf(request));
        return reply.status(202).send({ job_id: job.id });
      },
    );

    app.post(
      '/chains/:chainId/vendors/:vendorId/catalog/export',
      {
        config: { chainRole: 'staff' },
        schema: { tags, summary: "Export the store's whole catalog as CSV: queued as an export job; download the file once COMPLETED", security, params: VendorParams, response: { 202: Queued, ...errors(401, 403, 404) } },
      },
      async (request, reply) => {
        const vendor = await vendorOf(request.params.chainId, request.params.vendorId);
        const job = await enqueueExport(ctx, vendor, actorOf(request));
        return reply.status(202).send({ job_id: job.id });
      },
    );

    app.get(
      '/chains/:chainId/catalog/jobs/:jobId/file',
      {
        config: { chainRole: 'staff' },
        schema: {
          tags,
          summary: "A finished export's file (CSV in the `comanda catalog import` format); 404 JOB_FILE_NOT_FOUND for jobs without a file",
          security,
          params: JobParams,
          response: { 200: Type.String({ contentMediaType: 'text/csv' }), ...errors(401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        const job = await findChainJob(ctx.db, request.params.chainId, request.params.jobId);
        if (job.type !== CATALOG_EXPORT_JOB) throw new AppError('JOB_FILE_NOT_FOUND');
        if (job.status !== 'COMPLETED') throw new AppError('JOB_NOT_FINISHED');
        const code = String(job.params.vendor_code ?? 'store').replace(/[^A-Za-z0-9._-]/g, '_');
        reply.header('content-type', 'text/csv; charset=utf-8');
        reply.header('content-disposition', `attachment; filename="catalog-${code}-${job.id}.csv"`);
        return reply.send(outputStream(ctx.db, job.id) as never);
      },
    );
  };
}
