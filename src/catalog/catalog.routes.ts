import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../platform/context.js';
import { actorOf, partnerChain } from '../platform/access.js';
import { AppError } from '../platform/errors.js';
import { bearerSecurity, ChainParams, ChainVendorParams, errors } from '../platform/http/schemas.js';
import { isEmptyBody } from '../platform/http/validation.js';
import type { Job } from '../jobs/index.js';
import { partnerVendor } from '../vendors/index.js';
import { CatalogPage, CatalogQuery, CategoriesQuery, CatalogUpdateBody, CATALOG_CAPS, CategoryNodeSchema, JobAccepted, ProductCreateBody } from './catalog.schemas.js';
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
    // parser. Safe here: the tolerant reader removes every key these schemas do not declare (an own
    // "__proto__" included) before anything reads the body. An empty body is no body (the export POST).
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: CATALOG_CAPS.bodyBytes }, (_request, body, done) => {
      try {
        done(null, isEmptyBody(body) ? undefined : JSON.parse(body as string));
      } catch {
        done(new AppError('INVALID_JSON'), undefined);
      }
    });

    app.put(
      '/chains/:chain_id/vendors/:vendor_id/catalog',
      {
        bodyLimit: CATALOG_CAPS.bodyBytes,
        schema: {
          operationId: 'updateVendorCatalog',
          tags: TAGS,
          summary: 'Bulk update listings of a vendor (price, active, quantity, maximum_sales_quantity) → job',
          description:
            `Up to ${CATALOG_CAPS.updateRowsPerRequest} rows and ${CATALOG_CAPS.bodyBytes / 1024 / 1024} MiB per request (split bigger updates). ` +
            'Each row names a product by `sku` or `barcode` and changes existing listings only. `price` > 0, truncated to 3 decimals. ' +
            '`quantity` is not stock: quantity ≤ sales_buffer makes the listing inactive, > makes it active. With `active`: `active:false` → inactive whatever the quantity; `active:true` → the quantity decides. ' +
            '`max_sales_quantity` is another name of `maximum_sales_quantity`. ' +
            'Every row gets a result (UPDATED, UNCHANGED, SKU_NOT_FOUND, BARCODE_NOT_FOUND, INVALID_PRICE, …); a bad row never aborts the others.',
          security: bearerSecurity,
          params: ChainVendorParams,
          body: CatalogUpdateBody,
          response: { 202: JobAccepted, ...errors() },
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
          operationId: 'createProducts',
          tags: TAGS,
          summary: 'Create or update products and list them on vendors (or "*": all vendors) → job',
          description:
            `Up to ${CATALOG_CAPS.createRowsPerRequest} products, ${CATALOG_CAPS.vendorsPerRequest} vendors and ${CATALOG_CAPS.bodyBytes / 1024 / 1024} MiB per request. ` +
            'A product with a known sku is updated (CREATED / UPDATED per row); invalid rows are reported per row (INVALID_PRICE, BARCODE_TAKEN, …).',
          security: bearerSecurity,
          params: ChainParams,
          body: ProductCreateBody,
          response: { 202: JobAccepted, ...errors('UNKNOWN_VENDORS') },
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
          operationId: 'listVendorCatalog',
          tags: TAGS,
          summary: "A vendor's listed products with its price, active, maximum_sales_quantity and sales_buffer",
          description:
            `Filters: query_term (sku, barcode, title, brand), is_active, category_id (with sub-categories), category_global_ids (comma-separated ids, any of them). ` +
            `page_size ≤ ${CATALOG_CAPS.catalogPageSizeMax}; page_number is another name of page; locale lists that locale first in titles and descriptions.`,
          security: bearerSecurity,
          params: ChainVendorParams,
          querystring: CatalogQuery,
          response: { 200: CatalogPage, ...errors('CATEGORY_NOT_FOUND') },
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
          operationId: 'listVendorCategories',
          tags: TAGS,
          summary: "The chain's category tree, with this vendor's product count per category",
          description: '`only_leaves=true`: the categories without sub-categories, as a flat list (each with `children: []`).',
          security: bearerSecurity,
          params: ChainVendorParams,
          querystring: CategoriesQuery,
          response: { 200: Type.Object({ categories: Type.Array(CategoryNodeSchema) }), ...errors() },
        },
      },
      async (request) => {
        const vendor = await partnerVendor(ctx, request, request.params.chain_id, request.params.vendor_id);
        return { categories: await categoryTree(ctx, vendor, { onlyLeaves: request.query.only_leaves === true }) };
      },
    );

    app.post(
      '/chains/:chain_id/vendors/:vendor_id/catalog/export',
      {
        schema: {
          operationId: 'exportVendorCatalog',
          tags: TAGS,
          summary: "Export the vendor's whole catalog as CSV → job; download_url once COMPLETED (also in the completion webhook)",
          security: bearerSecurity,
          params: ChainVendorParams,
          response: { 202: JobAccepted, ...errors() },
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
