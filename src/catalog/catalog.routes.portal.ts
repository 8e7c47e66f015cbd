import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CATALOG_EXPORT_JOB, CATALOG_UPDATE_JOB, PRODUCT_CREATE_JOB } from './catalog.jobs.js';
import { enqueueCatalogUpdate, vendorCatalogPage } from './catalog.service.js';
import { listVendorCatalog } from './listings.repository.js';
import { fromMilli } from '../platform/money.js';
import type { AppContext } from '../platform/context.js';
import { actorOf } from '../platform/access.js';
import { AppError } from '../platform/errors.js';
import { errors, PageNumber, sessionSecurity } from '../platform/http/schemas.js';
import { findChainJob, type JobTypes, jobView, JobView, listChainJobs, resultsCsvStream } from '../jobs/index.js';
import { chainVendor, findVendorById, listVendors } from '../vendors/index.js';

const tags = ['Portal: Catalog'];
const security = sessionSecurity;
const uuid = Type.String({ format: 'uuid' });
const ChainParams = Type.Object({ chainId: uuid });
const VendorParams = Type.Object({ chainId: uuid, vendorId: uuid });
const JobParams = Type.Object({ chainId: uuid, jobId: uuid });
const ListingQuery = Type.Object(
  {
    query_term: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    is_active: Type.Optional(Type.Boolean()),
    category_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'the category and its sub-categories' })),
    page: Type.Optional(PageNumber()),
    page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);
const SearchHit = Type.Object({
  vendor_id: Type.String(),
  sku: Type.String(),
  title: Type.Record(Type.String(), Type.String()),
  price: Type.Number(),
  active: Type.Boolean(),
  maximum_sales_quantity: Type.Union([Type.Integer(), Type.Null()]),
});
/**
 * One listing edit from the portal. Stricter than the partner row: a value is always a valid value
 * (a mistyped number is a 400 naming the field, never a silent null), and removing the per-order cap
 * is its own explicit instruction, `clear: ["maximum_sales_quantity"]`.
 */
const PortalListingPatch = Type.Object(
  {
    sku: Type.String({ minLength: 1, maxLength: 64 }),
    price: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000_000, description: '> 0; decimals beyond 3 are truncated' })),
    active: Type.Optional(Type.Boolean()),
    maximum_sales_quantity: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'units per order' })),
    clear: Type.Optional(Type.Array(Type.Literal('maximum_sales_quantity'), { minItems: 1, maxItems: 1, description: 'fields to remove' })),
  },
  { additionalProperties: false, minProperties: 2 },
);
const PortalCatalogPatch = Type.Object({ products: Type.Array(PortalListingPatch, { minItems: 1, maxItems: 1000 }) }, { additionalProperties: false });
/** The catalog's job types the catalog page follows (promotion jobs have their own page). */
const CATALOG_JOBS = [CATALOG_UPDATE_JOB, PRODUCT_CREATE_JOB, CATALOG_EXPORT_JOB];
const JobSummary = Type.Object({
  job_id: Type.String(),
  job_type: Type.String(),
  job_status: Type.String(),
  vendor_id: Type.Union([Type.String(), Type.Null()]),
  total_rows: Type.Integer(),
  processed_rows: Type.Integer(),
  error_rows: Type.Integer(),
  created_by: Type.String(),
  created_at: Type.String(),
  finished_at: Type.Union([Type.String(), Type.Null()]),
  file_name: Type.Union([Type.String(), Type.Null()], { description: 'the uploaded file (sftp_file jobs)' }),
  download: Type.Union([Type.Literal('file'), Type.Literal('results')], { description: 'file: the exported catalog (once COMPLETED); results: the per-row result log' }),
});
/** Per store, at most this many hits in a chain-wide search. */
const SEARCH_PER_STORE = 20;

/**
 * Portal JSON API: catalog search, per-store listings, single and bulk edits (as jobs), job history (staff and admins).
 * `uploadJobTypes`: the other domains' job types the catalog page also follows (the SFTP file job of an uploaded
 * file), given by the application so that the catalog does not import the SFTP domain, which builds on it.
 */
export function catalogPortalRoutes(ctx: AppContext, jobTypes: JobTypes, uploadJobTypes: readonly string[]): FastifyPluginAsyncTypebox {
  const pageJobs = [...CATALOG_JOBS, ...uploadJobTypes];
  const vendorOf = (chainId: string, vendorId: string) => chainVendor(ctx.db, chainId, vendorId);
  const jobOf = (chainId: string, jobId: string) => findChainJob(ctx.db, chainId, jobId);
  return async (app) => {
    app.get(
      '/chains/:chainId/vendors/:vendorId/catalog',
      {
        config: { chainRole: 'staff' },
        schema: {
          tags,
          summary: "A store's listings (price, active, max quantity), searchable, paged",
          security,
          params: VendorParams,
          querystring: ListingQuery,
          response: { 200: Type.Unknown({ description: 'the partner catalog page (GET /v2/chains/{chain_id}/vendors/{vendor_id}/catalog)' }), ...errors(401, 403, 404) },
        },
      },
      async (request) => vendorCatalogPage(ctx, await vendorOf(request.params.chainId, request.params.vendorId), request.query),
    );

    app.get(
      '/chains/:chainId/catalog/search',
      {
        config: { chainRole: 'staff' },
        schema: {
          tags,
          summary: `Search SKU, barcode or title across every store of the chain (up to ${SEARCH_PER_STORE} hits per store)`,
          security,
          params: ChainParams,
          querystring: Type.Object({ q: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }),
          response: { 200: Type.Object({ hits: Type.Array(SearchHit) }), ...errors(401, 403, 404) },
        },
      },
      async (request) => {
        const hits = [];
        for (const v of await listVendors(ctx.db, request.params.chainId)) {
          const { entries } = await listVendorCatalog(ctx.db, v.id, { queryTerm: request.query.q }, 1, SEARCH_PER_STORE);
          for (const e of entries) hits.push({ vendor_id: v.id, sku: e.sku, title: e.title, price: fromMilli(e.priceMilli), active: e.active, maximum_sales_quantity: e.maximumSalesQuantity });
        }
        return { hits };
      },
    );

    app.put(
      '/chains/:chainId/vendors/:vendorId/catalog',
      {
        config: { chainRole: 'staff' },
        schema: {
          tags,
          summary: 'Edit one or many listings (price, active, max quantity; clear removes the cap): queued as a catalog update job',
          security,
          params: VendorParams,
          body: PortalCatalogPatch,
          response: { 202: Type.Object({ job_id: Type.String() }), ...errors(401, 403, 404) },
        },
      },
      async (request, reply) => {
        const vendor = await vendorOf(request.params.chainId, request.params.vendorId);
        const products = request.body.products.map((p, i) => {
          const { clear, ...row } = p;
          if (clear && p.maximum_sales_quantity !== undefined) {
            const field = `body.products[${i}].maximum_sales_quantity`;
            throw new AppError('VALIDATION_FAILED', `${field} cannot be set and cleared at once`, { fields: [{ field, problem: 'set and cleared at once' }] });
          }
          return clear ? { ...row, maximum_sales_quantity: null } : row;
        });
        const job = await enqueueCatalogUpdate(ctx, vendor, { products }, actorOf(request));
        return reply.status(202).send({ job_id: job.id });
      },
    );

    app.get(
      '/chains/:chainId/catalog/jobs',
      {
        config: { chainRole: 'staff' },
        schema: {
          tags,
          summary: "The chain's catalog jobs (updates, product creation, exports, uploaded files), newest first, paged",
          security,
          params: ChainParams,
          querystring: Type.Object(
            {
              vendor_id: Type.Optional(uuid),
              page: Type.Optional(PageNumber()),
              page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({ jobs: Type.Array(JobSummary), pagination: Type.Object({ page: Type.Integer(), page_size: Type.Integer(), total_count: Type.Integer(), total_pages: Type.Integer() }) }),
            ...errors(401, 403, 404),
          },
        },
      },
      async (request) => {
        const page = request.query.page ?? 1;
        const pageSize = request.query.page_size ?? 20;
        const { jobs, total } = await listChainJobs(ctx.db, request.params.chainId, { types: pageJobs, vendorId: request.query.vendor_id }, page, pageSize);
        return {
          jobs: jobs.map((j) => ({
            job_id: j.id,
            job_type: j.type,
            job_status: j.status,
            vendor_id: j.vendorId,
            total_rows: j.totalRows,
            processed_rows: j.processedRows,
            error_rows: j.errorRows,
            created_by: j.createdBy,
            created_at: j.createdAt,
            finished_at: j.finishedAt,
            file_name: typeof j.params.file_name === 'string' ? j.params.file_name : null,
            // An export's product is its file; its per-row result log is empty by design.
            download: j.type === CATALOG_EXPORT_JOB ? ('file' as const) : ('results' as const),
          })),
          pagination: { page, page_size: pageSize, total_count: total, total_pages: Math.ceil(total / pageSize) },
        };
      },
    );

    app.get(
      '/chains/:chainId/catalog/jobs/:jobId',
      {
        config: { chainRole: 'staff' },
        schema: {
          tags,
          summary: 'One job: status, counts and a page of per-row results',
          security,
          params: JobParams,
          querystring: Type.Object({ page: Type.Optional(PageNumber()), page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })) }, { additionalProperties: false }),
          response: { 200: JobView, ...errors(401, 403, 404) },
        },
      },
      async (request) => {
        const job = await jobOf(request.params.chainId, request.params.jobId);
        const vendor = job.vendorId ? await findVendorById(ctx.db, job.vendorId) : undefined;
        const resultsUrl = `/portal/api/chains/${job.chainId}/catalog/jobs/${job.id}/results.csv`;
        const view = await jobView(ctx, jobTypes, job, vendor?.code ?? null, resultsUrl, request.query.page ?? 1, request.query.page_size ?? 100);
        // The partner URLs need a token; the portal offers its own results.csv instead.
        return { ...view, download_url: null };
      },
    );

    app.get(
      '/chains/:chainId/catalog/jobs/:jobId/results.csv',
      { config: { chainRole: 'staff' }, schema: { tags, summary: 'The full per-row result log as CSV (row,sku,barcode,result,message)', security, params: JobParams, response: { 200: Type.String({ contentMediaType: 'text/csv' }), ...errors(401, 403, 404) } } },
      async (request, reply) => {
        const job = await jobOf(request.params.chainId, request.params.jobId);
        reply.header('content-type', 'text/csv; charset=utf-8');
        reply.header('content-disposition', `attachment; filename="job-${job.id}-results.csv"`);
        return reply.send(resultsCsvStream(ctx.db, jobTypes, job) as never);
      },
    );
  };
}
