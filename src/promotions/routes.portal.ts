import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../platform/context.js';
import { actorOf } from '../platform/access.js';
import { AppError } from '../platform/errors.js';
import { errors, PageNumber, sessionSecurity } from '../platform/http/schemas.js';
import { chainPromotion, listChainPromotions, setPromotionActive, submitPortalPromotion } from './chain-promotions.service.js';
import { getPromotionJob } from './promotion-jobs.js';
import { PromotionJobAccepted, PromotionJobView, PromotionUpsertBody, PromotionView } from './promotions.schemas.js';
import { findVendorById } from '../vendors/index.js';

const tags = ['Portal: Promotions'];
const security = sessionSecurity;
const uuid = Type.String({ format: 'uuid' });
const ChainParams = Type.Object({ chainId: uuid });
const PromotionParams = Type.Object({ chainId: uuid, promotionId: uuid });
const Sku = Type.Object({
  sku: Type.String(),
  subtype: Type.String(),
  value: Type.Number({ description: 'money or percent (thousandths converted)' }),
  max_quantity: Type.Union([Type.Integer(), Type.Null()], { description: 'discount[].max_quantity: discounted units of this SKU per order (null: no cap)' }),
});
const PortalPromotion = Type.Object({
  ...PromotionView.properties,
  sku_vendor_id: Type.Union([Type.String(), Type.Null()], { description: 'the store whose SKU entries are listed' }),
  skus: Type.Array(Sku),
  skus_total: Type.Integer(),
});
const Pagination = Type.Object({ page: Type.Integer(), page_size: Type.Integer(), total_count: Type.Integer(), total_pages: Type.Integer() });
const State = Type.Union([Type.Literal('RUNNING'), Type.Literal('SCHEDULED'), Type.Literal('ENDED'), Type.Literal('INACTIVE')]);

/**
 * Portal JSON API: the chain's promotions (staff and admins) — list with filters, one promotion with
 * its SKUs, create/edit and switch off/on through the promotion job, and that job's outcome.
 */
export function promotionPortalRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/chains/:chainId/promotions',
      {
        config: { chainRole: 'staff' },
        schema: {
          tags,
          summary: 'Promotions by state (running, scheduled, ended, switched off), store and SKU, newest start first, paged, with their first SKUs',
          security,
          params: ChainParams,
          querystring: Type.Object(
            {
              state: Type.Optional(State),
              vendor_id: Type.Optional(uuid),
              sku: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
              page: Type.Optional(PageNumber()),
              page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ promotions: Type.Array(PortalPromotion), pagination: Pagination }), ...errors(401, 403, 404) },
        },
      },
      async (request) => {
        const chainId = request.params.chainId;
        const q = request.query;
        if (q.vendor_id) {
          const v = await findVendorById(ctx.db, q.vendor_id);
          if (!v || v.chain_id !== chainId) throw new AppError('VENDOR_NOT_FOUND', `query.vendor_id: no store ${q.vendor_id} in this chain`);
        }
        return listChainPromotions(ctx, chainId, { state: q.state, vendorId: q.vendor_id, sku: q.sku, page: q.page ?? 1, pageSize: q.page_size ?? 20 });
      },
    );

    app.get(
      '/chains/:chainId/promotions/:promotionId',
      {
        config: { chainRole: 'staff' },
        schema: {
          tags,
          summary: 'One promotion with its SKUs (up to 1,000: editable in the portal)',
          security,
          params: PromotionParams,
          response: { 200: Type.Object({ ...PortalPromotion.properties, editable: Type.Boolean() }), ...errors(401, 403, 404) },
        },
      },
      async (request) => {
        return chainPromotion(ctx, request.params.chainId, request.params.promotionId);
      },
    );

    app.put(
      '/chains/:chainId/promotion',
      {
        bodyLimit: ctx.config.promotionBodyLimitBytes,
        config: { chainRole: 'staff' },
        schema: {
          tags,
          summary: 'Create or modify a promotion (the PUT /v2 …/promotion body; upsert key: display_name + vendors + start_time + end_time) → promotion job',
          security,
          params: ChainParams,
          body: PromotionUpsertBody,
          response: { 202: PromotionJobAccepted, ...errors(401, 403, 404, 413, 422) },
        },
      },
      async (request, reply) => {
        const { jobId, status } = await submitPortalPromotion(ctx, request.params.chainId, request.body, actorOf(request));
        return reply.status(202).send({ job_id: jobId, job_status: status });
      },
    );

    app.post(
      '/chains/:chainId/promotions/:promotionId/active',
      {
        config: { chainRole: 'staff' },
        schema: {
          tags,
          summary: 'Switch a promotion off (active: false; its SKUs are kept) or on again → promotion job',
          security,
          params: PromotionParams,
          body: Type.Object({ active: Type.Boolean() }, { additionalProperties: false }),
          response: { 202: PromotionJobAccepted, ...errors(401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        const { jobId, status } = await setPromotionActive(ctx, request.params.chainId, request.params.promotionId, request.body.active, actorOf(request));
        return reply.status(202).send({ job_id: jobId, job_status: status });
      },
    );

    app.get(
      '/chains/:chainId/promotion-jobs/:jobId',
      {
        config: { chainRole: 'staff' },
        schema: {
          tags,
          summary: 'A promotion job: status, stores not found, SKUs missing or not discountable per store',
          security,
          params: Type.Object({ chainId: uuid, jobId: uuid }),
          response: { 200: PromotionJobView, ...errors(401, 403, 404) },
        },
      },
      async (request) => {
        return getPromotionJob(ctx, request.params.chainId, request.params.jobId);
      },
    );
  };
}
