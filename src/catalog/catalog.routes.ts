import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../context.js';
import { actorOf, partnerChain } from '../http/auth.js';
import { AppError } from '../http/errors.js';
import { bearerSecurity, ChainParams, ChainVendorParams, errors } from '../http/schemas.js';
import type { Job } from '../jobs/jobs.types.js';
import { partnerVendor } from '../vendors/partner-vendor.js';
import './catalog.jobs.js';
import { CatalogPage, CatalogQuery, CatalogUpdateBody, CATALOG_CAPS, CategoryNodeSchema, JobAccepted, ProductCreateBody } from './catalog.schemas.js';
import { categoryTree, enqueueCatalogUpdate, enqueueExport, enqueueProductCreate, vendorCatalogPage } from './catalog.service.js';

const TAGS = ['Catalog'];

function accepted(ctx: AppContext, job: Job) {
  return {
    job_id: job.id,
    job_status: 'QUEUED' as const,
    job_type: job.type,
    rows: job.totalRows,
    status_url: `${ctx.config.publicUrl}/v2/chains/${job.chainId}/catalog/jobs/${job.id}`,
  };
}

/** Partner API §4: the assortment (bulk updates, product creation, listing, categories, export). */
export function catalogPartnerRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    // Bulk bodies (up to 8 MiB) parse with plain JSON.parse, twice as fast as the default poisoning-safe
    // parser. Safe here: these schemas refuse unknown keys, so a "__proto__" key is a 400, never merged.
    app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: CATALOG_CAPS.bodyBytes }, (_request, body, done) => {
      try {
        done(null, JSON.parse(body as string));
      } catch {
        done(new AppError('INVALID_JSON'), undefined);
      }
    });

    app.put(
      '/chains/:chain_id/vendors/:vendor_id/catalog',
      {
        bodyLimit: CATALOG_CAPS.bodyBytes,
        schema: {
          tags: TAGS,
          summary: 'Bulk update listings of a vendor (price, active, quantity, maximum_sales_quantity) → job',
          description:
            `Up to ${CATALOG_CAPS.updateRowsPerRequest} rows and ${CATALOG_CAPS.bodyBytes / 1024 / 1024} MiB per request (split bigger updates). ` +
            'Each row names a product by `sku` or `barcode` and changes existing listings only. `price` > 0, truncated to 3 decimals. ' +
            '`quantity` is not stock: quantity ≤ sales_buffer makes the listing inactive, > makes it active (send `active` or `quantity`, not both). ' +
            'Every row gets a result (UPDATED, UNCHANGED, SKU_NOT_FOUND, BARCODE_NOT_FOUND, INVALID_PRICE, ACTIVE_AND_QUANTITY, …); a bad row never aborts the others.',
          security: bearerSecurity,
          params: ChainVendorParams,
          body: CatalogUpdateBody,
          response: { 202: JobAccepted, ...errors(401, 404, 413, 429) },
        },
      },
      async (request, reply) => {
        const vendor = await partnerVendor(ctx, request, request.params.chain_id, request.params.vendor_id);
        const job = await enqueueCatalogUpdate(ctx, vendor, request.body, actorOf(request));
        return reply.status(202).send(accepted(ctx, job));
      },
    );

    app.post(
      '/chains/:chain_id/catalog',
      {
        bodyLimit: CATALOG_CAPS.bodyBytes,
        schema: {
          tags: TAGS,
          summary: 'Create or update products and list them on vendors (or "*": all vendors) → job',
          description:
            `Up to ${CATALOG_CAPS.createRowsPerRequest} products, ${CATALOG_CAPS.vendorsPerRequest} vendors and ${CATALOG_CAPS.bodyBytes / 1024 / 1024} MiB per request. ` +
            'A product with a known sku is updated (CREATED / UPDATED per row); invalid rows are reported per row (INVALID_PRICE, BARCODE_TAKEN, …).',
          security: bearerSecurity,
          params: ChainParams,
          body: ProductCreateBody,
          response: { 202: JobAccepted, ...errors(401, 404, 413, 422, 429) },
        },
      },
      async (request, reply) => {
        const principal = partnerChain(request, request.params.chain_id);
        const job = await enqueueProductCreate(ctx, principal, request.body, actorOf(request));
        return reply.status(202).send(accepted(ctx, job));
      },
    );

    app.get(
      '/chains/:chain_id/vendors/:vendor_id/catalog',
      {
        schema: {
          tags: TAGS,
          summary: "A vendor's listed products with its price, active, maximum_sales_quantity and sales_buffer",
          description: `Filters: query_term (sku, barcode, title, brand), is_active, category_id (with sub-categories). page_size ≤ ${CATALOG_CAPS.catalogPageSizeMax}.`,
          security: bearerSecurity,
          params: ChainVendorParams,
          querystring: CatalogQuery,
          response: { 200: CatalogPage, ...errors(401, 404, 429) },
        },
      },
      async (request) => {
        const vendor = await partnerVendor(ctx, request, request.params.chain_id, request.params.vendor_id);
        return vendorCatalogPage(ctx, vendor, request.query);
      },
    );

    app.get(
      '/chains/:chain_id/vendors/:vendor_id/categories',
      {
        schema: {
          tags: TAGS,
          summary: "The chain's category tree, with this vendor's product count per category",
          security: bearerSecurity,
          params: ChainVendorParams,
          response: { 200: Type.Object({ categories: Type.Array(CategoryNodeSchema) }), ...errors(401, 404, 429) },
        },
      },
      async (request) => {
        const vendor = await partnerVendor(ctx, request, request.params.chain_id, request.params.vendor_id);
        return { categories: await categoryTree(ctx, vendor) };
      },
    );

    app.post(
      '/chains/:chain_id/vendors/:vendor_id/catalog/export',
      {
        schema: {
          tags: TAGS,
          summary: "Export the vendor's whole catalog as CSV → job; download_url once COMPLETED (also in the completion webhook)",
          security: bearerSecurity,
          params: ChainVendorParams,
          response: { 202: JobAccepted, ...errors(401, 404, 429) },
        },
      },
      async (request, reply) => {
        const vendor = await partnerVendor(ctx, request, request.params.chain_id, request.params.vendor_id);
        const job = await enqueueExport(ctx, vendor, actorOf(request));
        return reply.status(202).send(accepted(ctx, job));
      },
    );
  };
}
