import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../platform/context.js';
import { actorOf } from '../platform/access.js';
import { errors, sessionSecurity } from '../platform/http/schemas.js';
import { PutOpeningHoursBody, PutStoreStatusBody, StoreStatusView } from './outlets.schemas.js';
import { getStoreStatus, putOpeningHours, putStoreStatus } from './outlets.service.js';
import { chainVendor, listVendors } from '../vendors/index.js';

const tags = ['Portal: Stores'];
const ChainParams = Type.Object({ chainId: Type.String({ format: 'uuid' }) });
const VendorParams = Type.Object({ chainId: Type.String({ format: 'uuid' }), vendorId: Type.String({ format: 'uuid' }) });

/** Portal JSON API: store status, opening hours and check-in (staff and admins), through the outlets service. */
export function storePortalRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  const vendorOf = (chainId: string, vendorId: string) => chainVendor(ctx.db, chainId, vendorId);
  return async (app) => {
    app.get(
      '/chains/:chainId/store-status',
      {
        config: { chainRole: 'staff' },
        schema: {
          tags,
          summary: "Every store's status, keyed by vendor id",
          security: sessionSecurity,
          params: ChainParams,
          response: { 200: Type.Object({ statuses: Type.Record(Type.String(), StoreStatusView) }), ...errors(401, 403, 404) },
        },
      },
      async (request) => {
        const statuses: Record<string, StoreStatusView> = {};
        for (const v of await listVendors(ctx.db, request.params.chainId)) statuses[v.id] = await getStoreStatus(ctx, v);
        return { statuses };
      },
    );
    app.put(
      '/chains/:chainId/vendors/:vendorId/status',
      { config: { chainRole: 'staff' }, schema: { tags, summary: 'Open, close for today, close until a time, or check in', security: sessionSecurity, params: VendorParams, body: PutStoreStatusBody, response: { 200: StoreStatusView, ...errors(401, 403, 404, 409, 422) } } },
      async (request) => putStoreStatus(ctx, await vendorOf(request.params.chainId, request.params.vendorId), request.body, actorOf(request)),
    );
    app.put(
      '/chains/:chainId/vendors/:vendorId/opening-hours',
      { config: { chainRole: 'staff' }, schema: { tags, summary: 'Weekly opening hours and the check-in switch', security: sessionSecurity, params: VendorParams, body: PutOpeningHoursBody, response: { 200: StoreStatusView, ...errors(401, 403, 404, 422) } } },
      async (request) => putOpeningHours(ctx, await vendorOf(request.params.chainId, request.params.vendorId), request.body, actorOf(request)),
    );
  };
}
