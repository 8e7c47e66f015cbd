import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../context.js';
import { actorOf, partnerChain } from '../http/auth.js';
import { bearerSecurity, ChainParams, errors } from '../http/schemas.js';
import { getPromotionJob, submitPromotionUpsert } from './promotion-jobs.js';
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
          tags: TAGS,
          summary: 'Create, modify or deactivate a promotion (upsert key: display_name + vendors + start_time + end_time) → 202 job',
          security: bearerSecurity,
          params: ChainParams,
          body: PromotionUpsertBody,
          response: { 202: PromotionJobAccepted, ...errors(401, 404, 413, 415, 429) },
        },
      },
      async (request, reply) => {
        const principal = partnerChain(request, request.params.chain_id);
        const input = upsertInputFromBody(request.body);
        const { jobId, status } = await submitPromotionUpsert(ctx, principal.chainId, input, {
          actor: actorOf(request),
          source: 'API',
          testStoresOnly: principal.environment === 'test',
        });
        return reply.status(202).send({ job_id: jobId, job_status: status });
      },
    );

    app.get(
      '/chains/:chain_id/promotion/jobs/:job_id',
      {
        schema: {
          tags: TAGS,
          summary: 'Promotion job: QUEUED | COMPLETED | FAILED | DUPLICATE, with invalid_vendors, missing_skus and invalid_discounted_skus per vendor',
          security: bearerSecurity,
          params: PromotionJobParams,
          response: { 200: PromotionJobView, ...errors(401, 404, 429) },
        },
      },
      async (request) => {
        const principal = partnerChain(request, request.params.chain_id);
        return getPromotionJob(ctx, principal.chainId, request.params.job_id, { testStoresOnly: principal.environment === 'test' });
      },
    );

    app.get(
      '/chains/:chain_id/promotions',
      {
        schema: {
          tags: TAGS,
          summary: "The chain's promotions (our extension), newest start first; filters active, vendor, sku, time (running at)",
          security: bearerSecurity,
          params: ChainParams,
          querystring: PromotionListQuery,
          response: { 200: PromotionList, ...errors(401, 404, 429) },
        },
      },
      async (request) => {
        const principal = partnerChain(request, request.params.chain_id);
        return listPromotionsFor(ctx, principal, request.query);
      },
    );
  };
}
