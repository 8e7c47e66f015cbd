import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../context.js';
import { partnerChain } from '../http/auth.js';
import { bearerSecurity, ChainParams, ChainVendorParams, errors } from '../http/schemas.js';
import { canSeeVendor, partnerVendor } from './partner-vendor.js';
import { listVendors } from './vendors.repository.js';
import { Vendor } from './vendors.schemas.js';

/** Partner API: the chain's stores (our extension; the real platform lists them in the portal only). */
export function vendorPartnerRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/chains/:chain_id/vendors',
      {
        schema: {
          tags: ['Vendors'],
          summary: "List the chain's vendors (stores) with their platform codes and external ids",
          security: bearerSecurity,
          params: ChainParams,
          response: { 200: Type.Object({ vendors: Type.Array(Vendor) }), ...errors(401, 404) },
        },
      },
      async (request) => {
        const p = partnerChain(request, request.params.chain_id);
        const vendors = await listVendors(ctx.db, p.chainId);
        return { vendors: vendors.filter((v) => canSeeVendor(p, v)) };
      },
    );

    app.get(
      '/chains/:chain_id/vendors/:vendor_id',
      {
        schema: {
          tags: ['Vendors'],
          summary: 'One vendor, by platform code or external id',
          security: bearerSecurity,
          params: ChainVendorParams,
          response: { 200: Vendor, ...errors(401, 404) },
        },
      },
      async (request) => {
        return partnerVendor(ctx, request, request.params.chain_id, request.params.vendor_id);
      },
    );
  };
}
