import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../context.js';
import { num } from '../db/rows.js';
import { requireChainRole } from '../http/auth.js';
import { errors, sessionSecurity } from '../http/schemas.js';
import { PromotionListQuery, PromotionView } from '../promotions/promotions.schemas.js';
import { listPromotionsFor } from '../promotions/promotions.service.js';

const tags = ['Portal: Promotions'];
const ChainParams = Type.Object({ chainId: Type.String({ format: 'uuid' }) });
const Item = Type.Object({ vendor_id: Type.String(), sku: Type.String(), subtype: Type.String(), value: Type.Number({ description: 'money or percent (thousandths converted)' }) });
const PortalPromotion = Type.Object({ ...PromotionView.properties, items: Type.Array(Item), items_total: Type.Integer() });
const ITEMS_SHOWN = 50;

/** Portal JSON API: the chain's promotions (staff and admins) through the promotions list service, with their SKUs. */
export function promotionPortalRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/chains/:chainId/promotions',
      {
        schema: {
          tags,
          summary: 'Active, scheduled and past promotions with source, SKUs and discounts',
          security: sessionSecurity,
          params: ChainParams,
          querystring: PromotionListQuery,
          response: {
            200: Type.Object({ promotions: Type.Array(PortalPromotion), pagination: Type.Object({ page: Type.Integer(), page_size: Type.Integer(), total_count: Type.Integer(), total_pages: Type.Integer() }) }),
            ...errors(400, 401, 403, 404),
          },
        },
      },
      async (request) => {
        const chainId = request.params.chainId;
        requireChainRole(request, chainId, 'staff');
        // The portal sees every vendor of the chain, like a live token.
        const list = await listPromotionsFor(ctx, { kind: 'api_token', chainId, tokenId: 'portal', environment: 'live' }, request.query);
        const promotions = [];
        for (const p of list.promotions) {
          const rows = await ctx.db
            .selectFrom('promotion_items')
            .select(['vendor_id', 'sku', 'subtype', 'value'])
            .where('promotion_id', '=', p.promotion_id)
            .orderBy('sku')
            .orderBy('vendor_id')
            .limit(ITEMS_SHOWN)
            .execute();
          const count = await ctx.db.selectFrom('promotion_items').select((eb) => eb.fn.countAll().as('n')).where('promotion_id', '=', p.promotion_id).executeTakeFirstOrThrow();
          promotions.push({
            ...p,
            // Stored as thousandths (of the currency unit or of a percent).
            items: rows.map((r) => ({ vendor_id: r.vendor_id, sku: r.sku, subtype: r.subtype, value: num(r.value) / 1000 })),
            items_total: num(count.n as number),
          });
        }
        return { promotions, pagination: list.pagination };
      },
    );
  };
}
