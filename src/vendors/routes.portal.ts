import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../platform/context.js';
import { actorOf } from '../platform/access.js';
import { errors, sessionSecurity } from '../platform/http/schemas.js';
import { listVendors } from './vendors.repository.js';
import { Vendor } from './vendors.schemas.js';
import { updateVendor } from './vendors.service.js';

const tags = ['Portal'];
const Params = Type.Object({ chainId: Type.String({ format: 'uuid' }) });

/** Portal JSON API: the chain's stores (staff and admins) and the vendor identifier mapping (Shops Integrations, chain admins). */
export function vendorPortalRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/chains/:chainId/vendors',
      { config: { chainRole: 'staff' }, schema: { tags, summary: "The chain's stores", security: sessionSecurity, params: Params, response: { 200: Type.Object({ vendors: Type.Array(Vendor) }), ...errors(401, 404) } } },
      async (request) => {
        return { vendors: await listVendors(ctx.db, request.params.chainId) };
      },
    );

    app.put(
      '/chains/:chainId/vendors/:vendorRef/external-id',
      {
        config: { chainRole: 'admin' }, schema: {
          tags: ['Portal: Shops Integrations'],
          summary: 'Vendor identifier mapping: set or clear the external id partners may use in paths and files',
          security: sessionSecurity,
          params: Type.Object({ chainId: Type.String({ format: 'uuid' }), vendorRef: Type.String({ minLength: 1, maxLength: 64 }) }),
          body: Type.Object({ external_id: Type.Union([Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._:-]+$' }), Type.Null()]) }, { additionalProperties: false }),
          response: { 200: Vendor, ...errors(401, 403, 404, 409) },
        },
      },
      async (request) => {
        return updateVendor(ctx, request.params.chainId, request.params.vendorRef, { external_id: request.body.external_id }, actorOf(request));
      },
    );
  };
}
