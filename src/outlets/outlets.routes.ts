import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../platform/context.js';
import { actorOf } from '../platform/access.js';
import { bearerSecurity, ChainVendorParams, errors } from '../platform/http/schemas.js';
import { partnerVendor } from '../vendors/index.js';
import { PutOpeningHoursBody, PutStoreStatusBody, StoreStatusView } from './outlets.schemas.js';
import { getStoreStatus, putOpeningHours, putStoreStatus } from './outlets.service.js';

const tags = ['Outlets'];

/** Partner API: store status (partner-api.md §6) and opening hours. */
export function outletPartnerRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/chains/:chain_id/vendors/:vendor_id/status',
      { schema: {
      operationId: 'getStoreStatus', tags, summary: 'Store status: open/closed, why, opening hours, check-in', security: bearerSecurity, params: ChainVendorParams, response: { 200: StoreStatusView, ...errors() } } },
      async (request) => getStoreStatus(ctx, await partnerVendor(ctx, request, request.params.chain_id, request.params.vendor_id)),
    );
    app.put(
      '/chains/:chain_id/vendors/:vendor_id/status',
      {
        schema: {
          operationId: 'updateStoreStatus',
          tags,
          summary: 'Open, close for today, close until a time, or check in',
          description: 'OPEN only reopens inside the opening hours (vendor time zone). With check-in on, CHECKIN confirms the store up to 30 minutes before an opening.',
          security: bearerSecurity,
          params: ChainVendorParams,
          body: PutStoreStatusBody,
          response: { 200: StoreStatusView, ...errors('CLOSED_UNTIL_INVALID', 'OUTSIDE_OPENING_HOURS', 'CHECKIN_NOT_OPEN', 'CHECKIN_NOT_ENABLED') },
        },
      },
      async (request) => {
        const vendor = await partnerVendor(ctx, request, request.params.chain_id, request.params.vendor_id);
        return putStoreStatus(ctx, vendor, request.body, actorOf(request));
      },
    );
    app.put(
      '/chains/:chain_id/vendors/:vendor_id/opening-hours',
      {
        schema: {
          operationId: 'updateOpeningHours',
          tags,
          summary: 'Set the weekly opening hours and the check-in switch (our extension)',
          security: bearerSecurity,
          params: ChainVendorParams,
          body: PutOpeningHoursBody,
          response: { 200: StoreStatusView, ...errors() },
        },
      },
      async (request) => {
        const vendor = await partnerVendor(ctx, request, request.params.chain_id, request.params.vendor_id);
        return putOpeningHours(ctx, vendor, request.body, actorOf(request));
      },
    );
  };
}
