import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../platform/context.js';
import { partnerChain, partnerMaySee, seesOnlyTestStores } from '../platform/access.js';
import { AppError } from '../platform/errors.js';
import { bearerSecurity, errors } from '../platform/http/schemas.js';
import { findChainJob, type Job, jobResultsResponses, type JobTypes, jobView, JobView, markJobResultsRead, outputStream, resultsCsvStream, resultsJsonStream, wantsCsv } from '../jobs/index.js';
import { findVendorById } from '../vendors/index.js';
import { CATALOG_EXPORT_JOB, jobResultsUrl } from './catalog.jobs.js';
import { JobParams, JobQuery } from './catalog.schemas.js';

const TAGS = ['Catalog jobs'];

/** The job if it belongs to the caller's chain and concerns only vendors the caller may see; else 404. */
async function partnerJob(ctx: AppContext, request: FastifyRequest, chainId: string, jobId: string): Promise<{ job: Job; vendorCode: string | null }> {
  const principal = partnerChain(request, chainId);
  const job = await findChainJob(ctx.db, principal.chainId, jobId);
  const vendorIds = job.vendorId ? [job.vendorId] : ((job.params.vendor_ids as string[] | undefined) ?? []);
  let vendorCode: string | null = null;
  if (seesOnlyTestStores(principal) || job.vendorId) {
    for (const id of vendorIds) {
      const v = await findVendorById(ctx.db, id);
      if (!v || !partnerMaySee(principal, v)) throw new AppError('JOB_NOT_FOUND');
      if (id === job.vendorId) vendorCode = v.code;
    }
  }
  return { job, vendorCode };
}

/** GET job status + paged results, the full result log (CSV/JSON), and job files (exports). */
export function catalogJobRoutes(ctx: AppContext, jobTypes: JobTypes): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/chains/:chain_id/catalog/jobs/:job_id',
      {
        schema: {
          operationId: 'getCatalogJob',
          tags: TAGS,
          summary: 'Job status (QUEUED, PROCESSING, COMPLETED, FAILED), counts and one page of per-row results',
          security: bearerSecurity,
          params: JobParams,
          querystring: JobQuery,
          response: { 200: JobView, ...errors('JOB_NOT_FOUND') },
        },
      },
      async (request) => {
        const { job, vendorCode } = await partnerJob(ctx, request, request.params.chain_id, request.params.job_id);
        await markJobResultsRead(ctx.db, job, ctx.clock.now().toISOString());
        return jobView(ctx, jobTypes, job, vendorCode, jobResultsUrl(ctx, job), request.query.page ?? 1, request.query.page_size ?? 100);
      },
    );

    app.get(
      '/chains/:chain_id/catalog/jobs/:job_id/results',
      {
        schema: {
          operationId: 'getCatalogJobResults',
          tags: TAGS,
          summary: 'The per-row result log: CSV with `Accept: text/csv`, else JSON',
          description: 'Streams every row processed so far (complete once the job is COMPLETED). CSV columns: row,sku,barcode,result,message.',
          security: bearerSecurity,
          params: JobParams,
          response: jobResultsResponses('JOB_NOT_FOUND'),
        },
      },
      async (request, reply) => {
        const { job } = await partnerJob(ctx, request, request.params.chain_id, request.params.job_id);
        await markJobResultsRead(ctx.db, job, ctx.clock.now().toISOString());
        if (wantsCsv(request)) {
          reply.header('content-type', 'text/csv; charset=utf-8');
          reply.header('content-disposition', `attachment; filename="job-${job.id}-results.csv"`);
          return reply.send(resultsCsvStream(ctx.db, jobTypes, job) as never);
        }
        reply.header('content-type', 'application/json; charset=utf-8');
        return reply.send(resultsJsonStream(ctx.db, job) as never);
      },
    );

    app.get(
      '/chains/:chain_id/catalog/jobs/:job_id/download',
      {
        schema: {
          operationId: 'downloadCatalogJobFile',
          tags: TAGS,
          summary: "A finished export's file (CSV, the `comanda catalog import` format)",
          security: bearerSecurity,
          params: JobParams,
          response: { 200: { description: 'the file', content: { 'text/csv': { schema: Type.String() } } }, ...errors('JOB_NOT_FOUND', 'JOB_FILE_NOT_FOUND', 'JOB_NOT_FINISHED') },
        },
      },
      async (request, reply) => {
        const { job, vendorCode } = await partnerJob(ctx, request, request.params.chain_id, request.params.job_id);
        if (job.type !== CATALOG_EXPORT_JOB) throw new AppError('JOB_FILE_NOT_FOUND');
        if (job.status !== 'COMPLETED') throw new AppError('JOB_NOT_FINISHED');
        reply.header('content-type', 'text/csv; charset=utf-8');
        reply.header('content-disposition', `attachment; filename="catalog-${vendorCode ?? 'vendor'}-${job.id}.csv"`);
        return reply.send(outputStream(ctx.db, job.id) as never);
      },
    );
  };
}
