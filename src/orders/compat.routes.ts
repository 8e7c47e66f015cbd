import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import type { AppContext } from '../platform/context.js';
import { partnerChain } from '../platform/access.js';
import { AppError } from '../platform/errors.js';
import { bearerSecurity, ChainVendorParams, errors } from '../platform/http/schemas.js';
import { partnerVendor, Vendor } from '../vendors/index.js';
import { OrderList, OrderObject, OrderStatusSchema, VendorOrdersQuery } from './orders.schemas.js';
import { getPartnerOrderJson, listPartnerVendorOrdersJson } from './orders.service.js';

const q = VendorOrdersQuery.properties;
/** The list's parameters, all optional here: without any of them the path is the vendor read. */
const VendorOrListQuery = Type.Object(
  {
    start_time: Type.Optional(q.start_time),
    end_time: Type.Optional(q.end_time),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })),
    page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    status: Type.Optional(OrderStatusSchema),
    updated_since: Type.Optional(q.updated_since),
  },
  { additionalProperties: false },
);
type VendorOrListQuery = Static<typeof VendorOrListQuery>;

function missing(field: 'start_time' | 'end_time'): AppError {
  const name = `querystring.${field}`;
  return new AppError('VALIDATION_FAILED', `${name} is required to list orders (with start_time and end_time this path lists the vendor's orders)`, {
    fields: [{ field: name, problem: 'is required' }],
  });
}

async function sendList(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, params: { chain_id: string; vendor_id: string }, query: VendorOrListQuery) {
  if (query.start_time === undefined) throw missing('start_time');
  if (query.end_time === undefined) throw missing('end_time');
  const vendor = await partnerVendor(ctx, request, params.chain_id, params.vendor_id);
  const json = await listPartnerVendorOrdersJson(ctx, vendor, { ...query, start_time: query.start_time, end_time: query.end_time, page: query.page ?? 1, page_size: query.page_size ?? 20 });
  return reply.type('application/json; charset=utf-8').send(json);
}

/**
 * Order paths in the shapes the real platform's documentation shows besides §3.3's own:
 * the vendor path without `/orders` (GET, and POST because the documented curl example sends
 * `--data ''`, which makes curl POST), and `/v2/orders/{order_id}` without the chain (the token names it).
 */
export function orderCompatRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/chains/:chain_id/vendors/:vendor_id',
      {
        schema: {
          operationId: 'getVendorOrListOrders',
          tags: ['Vendors', 'Orders'],
          summary: 'One vendor, by platform code or external id; with start_time and end_time, its orders (the documented path without /orders)',
          description: 'Without query parameters: the vendor. With start_time/end_time (and page, page_size, status, updated_since): exactly the list of GET …/vendors/{vendor_id}/orders.',
          security: bearerSecurity,
          params: ChainVendorParams,
          querystring: VendorOrListQuery,
          response: { 200: Type.Union([Vendor, OrderList]), ...errors() },
        },
      },
      async (request, reply) => {
        const asked = Object.values(request.query).some((v) => v !== undefined);
        if (!asked) return reply.send(await partnerVendor(ctx, request, request.params.chain_id, request.params.vendor_id));
        return sendList(ctx, request, reply, request.params, request.query);
      },
    );

    app.post(
      '/chains/:chain_id/vendors/:vendor_id',
      {
        schema: {
          operationId: 'listVendorOrdersByPost',
          tags: ['Orders'],
          summary: "A vendor's orders in a window: the same list answered to the documentation's curl example, which POSTs an empty body",
          security: bearerSecurity,
          params: ChainVendorParams,
          querystring: VendorOrListQuery,
          response: { 200: OrderList, ...errors() },
        },
      },
      async (request, reply) => sendList(ctx, request, reply, request.params, request.query),
    );

    app.get(
      '/orders/:order_id',
      {
        schema: {
          operationId: 'getOrderOfToken',
          tags: ['Orders'],
          summary: 'One order, without the chain in the path (the token names the chain)',
          security: bearerSecurity,
          params: Type.Object({ order_id: Type.String({ minLength: 1, maxLength: 64 }) }),
          response: { 200: OrderObject, ...errors('ORDER_NOT_FOUND') },
        },
      },
      async (request, reply) => {
        const principal = partnerChain(request, request.partner!.chainId);
        const json = await getPartnerOrderJson(ctx, principal, request.params.order_id);
        return reply.type('application/json; charset=utf-8').send(json as unknown as OrderObject);
      },
    );
  };
}
