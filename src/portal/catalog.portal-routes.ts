import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { vendorCatalogPage } from '../catalog/catalog.service.js';
import type { AppContext } from '../context.js';
import { requireChainRole } from '../http/auth.js';
import { AppError } from '../http/errors.js';
import { errors, sessionSecurity } from '../http/schemas.js';
import { findVendorById } from '../vendors/vendors.repository.js';

const Params = Type.Object({ chainId: Type.String({ format: 'uuid' }), vendorId: Type.String({ format: 'uuid' }) });
const Query = Type.Object(
  {
    query_term: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    is_active: Type.Optional(Type.Boolean()),
    page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
    page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);

/** Portal JSON API: one store's catalog listing (read-only; the Test Order SKU picker). */
export function catalogPortalRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/chains/:chainId/vendors/:vendorId/catalog',
      {
        schema: {
          tags: ['Portal: Catalog'],
          summary: "A store's listings (price, active, max quantity), searchable, paged",
          security: sessionSecurity,
          params: Params,
          querystring: Query,
          response: { 200: Type.Unknown({ description: 'the partner catalog page (GET /v2/chains/{chain_id}/vendors/{vendor_id}/catalog)' }), ...errors(401, 403, 404) },
        },
      },
      async (request) => {
        const { chainId, vendorId } = request.params;
        requireChainRole(request, chainId, 'staff');
        const vendor = await findVendorById(ctx.db, vendorId);
        if (!vendor || vendor.chain_id !== chainId) throw new AppError('VENDOR_NOT_FOUND');
        return vendorCatalogPage(ctx, vendor, request.query);
      },
    );
  };
}
