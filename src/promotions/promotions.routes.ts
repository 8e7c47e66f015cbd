import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../platform/context.js';
import { actorOf, partnerChain, seesOnlyTestStores } from '../platform/access.js';
import { bearerSecurity, ChainParams, errors } from '../platform/http/schemas.js';
import { jobResultsResponses, wantsCsv } from '../jobs/index.js';
import { getPromotionJob, promotionResultsStream, submitPromotionUpsert } from './promotion-jobs.js';
import { upsertInputFromBody } from './promotion-input.js';
import { PromotionJobAccepted, PromotionJobParams, PromotionJobView, PromotionList, PromotionListQuery, PromotionUpsertBody } from './promotions.schemas.js';
import { listPromotionsFor } from './promotions.service.js';

const TAGS = ['Promotions'];

/** Partner API promotions (partner-api.md §5): upsert as a job, job status, and the list (our extension). */
export function promotionPartnerRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.put(
      '/chains/:chain_id/promotion',
      {
        bodyLimit: ctx.config.promotionBodyLimitBytes,
        schema: {
          operationId: 'upsertPromotion',
          tags: TAGS,
          summary: 'Create, modify or deactivate a promotion (upsert key: display_name + vendors + start_time + end_time) → 202 job',
          security: bearerSecurity,
          params: ChainParams,
          body: PromotionUpsertBody,
          response: { 202: PromotionJobAccepted, ...errors() },
        },
      },
      async (request, reply) => {
        const principal = partnerChain(request, request.params.chain_id);
        const input = upsertInputFromBody(request.body);
        const { jobId, status } = await submitPromotionUpsert(ctx, principal.chainId, input, {
          actor: actorOf(request),
          source: 'API',
          testStoresOnly: seesOnlyTestStores(principal),
        });
        return reply.status(202).send({ job_id: jobId, job_status: status });
      },
    );

    app.get(
      '/chains/:chain_id/promotion/jobs/:job_id',
      {
        schema: {
          operationId: 'getPromotionJob',
          tags: TAGS,
          summary: 'Promotion job: QUEUED | COMPLETED | FAILED | DUPLICATE, with invalid_vendors, missing_skus and invalid_discounted_skus per vendor',
          security: bearerSecurity,
          params: PromotionJobParams,
          response: { 200: PromotionJobView, ...errors('PROMOTION_JOB_NOT_FOUND') },
        },
      },
      async (request) => {
        const principal = partnerChain(request, request.params.chain_id);
        return getPromotionJob(ctx, principal.chainId, request.params.job_id, { testStoresOnly: seesOnlyTestStores(principal) });
      },
    );

    app.get(
      '/chains/:chain_id/promotion/jobs/:job_id/results',
      {
        schema: {
          operationId: 'getPromotionJobResults',
          tags: TAGS,
          summary: 'Every refused (vendor, SKU) pair of a promotion job: CSV with `Accept: text/csv`, else JSON',
          description: 'The job status lists the first 1,000 refused pairs (`refused_rows`); this lists them all. CSV columns: code,vendor,sku,message.',
          security: bearerSecurity,
          params: PromotionJobParams,
          response: jobResultsResponses('PROMOTION_JOB_NOT_FOUND'),
        },
      },
      async (request, reply) => {
        const principal = partnerChain(request, request.params.chain_id);
        const job = await getPromotionJob(ctx, principal.chainId, request.params.job_id, { testStoresOnly: seesOnlyTestStores(principal) });
        const csv = wantsCsv(request);
        reply.header('content-type', csv ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8');
        if (csv) reply.header('content-disposition', `attachment; filename="promotion-job-${job.job_id}-results.csv"`);
        return reply.send(promotionResultsStream(ctx.db, job.job_id, job.job_status, csv) as never);
      },
    );

    app.get(
      '/chains/:chain_id/promotions',
      {
        schema: {
          operationId: 'listPromotions',
          tags: TAGS,
          summary: "The chain's promotions (our extension), newest start first; filters active, vendor, sku, time (running at)",
          security: bearerSecurity,
          params: ChainParams,
          querystring: PromotionListQuery,
          response: { 200: PromotionList, ...errors() },
        },
      },
      async (request) => {
        const principal = partnerChain(request, request.params.chain_id);
        return listPromotionsFor(ctx, principal, request.query);
      },
    );
  };
}
