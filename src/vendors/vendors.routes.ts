import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../platform/context.js';
import { partnerChain, partnerMaySee } from '../platform/access.js';
import { bearerSecurity, ChainParams, errors } from '../platform/http/schemas.js';
import { listVendors } from './vendors.repository.js';
import { Vendor } from './vendors.schemas.js';

/** Partner API: the chain's stores (our extension; the real platform lists them in the portal only). */
export function vendorPartnerRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/chains/:chain_id/vendors',
      {
        schema: {
          operationId: 'listVendors',
          tags: ['Vendors'],
          summary: "List the chain's vendors (stores) with their platform codes and external ids",
          security: bearerSecurity,
          params: ChainParams,
          response: { 200: Type.Object({ vendors: Type.Array(Vendor) }), ...errors() },
        },
      },
      async (request) => {
        const p = partnerChain(request, request.params.chain_id);
        const vendors = await listVendors(ctx.db, p.chainId);
        return { vendors: vendors.filter((v) => partnerMaySee(p, v)) };
      },
    );

    // GET /chains/:chain_id/vendors/:vendor_id (one vendor) lives in orders/compat.routes.ts: with
    // start_time/end_time the same path lists the vendor's orders, as the real platform documents it.
  };
}
