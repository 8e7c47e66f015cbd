import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import type { AppContext } from '../context.js';
import { actorOf, partnerChain, requireChainRole } from '../http/auth.js';
import { AppError } from '../http/errors.js';
import { bearerSecurity, ChainVendorParams, errors, operatorSecurity, sessionSecurity } from '../http/schemas.js';
import { partnerVendor } from '../vendors/partner-vendor.js';
import { placeOrder } from './intake.service.js';
import { renderOrder } from './order-view.js';
import { findOrder, listOrderEvents } from './orders.repository.js';
import { IntakeBody, IntakeItem, OperatorCancelBody, OperatorOrderParams, OrderList, OrderObject, OrderParams, OrderTypeSchema, PutOrderBody, TransportTypeSchema, VendorOrdersQuery } from './orders.schemas.js';
import { applyPlatformAction, getPartnerOrderJson, listPartnerVendorOrdersJson, vendorOf } from './orders.service.js';
import { putPartnerOrder } from './put-order.service.js';
import { createTestOrder } from './test-orders.service.js';

const PutHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'same key + same body replays the first response; another body → 422' })),
});

/** Partner API: orders (partner-api.md §3.3). */
export function orderPartnerRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/chains/:chain_id/orders/:order_id',
      { schema: { tags: ['Orders'], summary: 'One order', security: bearerSecurity, params: OrderParams, response: { 200: OrderObject, ...errors(401, 404) } } },
      async (request, reply) => {
        const json = await getPartnerOrderJson(ctx, partnerChain(request, request.params.chain_id), request.params.order_id);
        // Already JSON text (the snapshot): sent as is, not serialised again.
        return reply.type('application/json; charset=utf-8').send(json as unknown as OrderObject);
      },
    );

    app.get(
      '/chains/:chain_id/vendors/:vendor_id/orders',
      {
        schema: {
          tags: ['Orders'],
          summary: "A vendor's orders created in a window of at most 60 days (the recovery path when the webhook was down)",
          security: bearerSecurity,
          params: ChainVendorParams,
          querystring: VendorOrdersQuery,
          response: { 200: OrderList, ...errors(401, 404) },
        },
      },
      async (request, reply) => {
        const vendor = await partnerVendor(ctx, request, request.params.chain_id, request.params.vendor_id);
        const json = await listPartnerVendorOrdersJson(ctx, vendor, request.query);
        return reply.type('application/json; charset=utf-8').send(json as unknown as Static<typeof OrderList>);
      },
    );

    app.put(
      '/chains/:chain_id/orders/:order_id',
      {
        schema: {
          tags: ['Orders'],
          summary: 'Fulfil, modify, accept, dispatch or cancel an order',
          description: 'status UPDATE_CART edits items without a webhook; READY_FOR_PICKUP (logistics delivery) and DISPATCHED (vendor delivery) close the cart. Refusals are 4xx with a stable code and change nothing.',
          security: bearerSecurity,
          params: OrderParams,
          headers: PutHeaders,
          body: PutOrderBody,
          response: { 200: OrderObject, ...errors(401, 403, 404, 409, 422) },
        },
      },
      async (request, reply) => {
        const principal = partnerChain(request, request.params.chain_id);
        const result = await putPartnerOrder(ctx, principal, request.params.order_id, request.body, actorOf(request), request.headers['idempotency-key']);
        if (result.replayed) reply.header('idempotent-replayed', 'true');
        return reply.status(200).type('application/json; charset=utf-8').send(result.json as unknown as OrderObject);
      },
    );
  };
}

const TestOrderBody = Type.Object(
  {
    vendor_id: Type.String({ minLength: 1, maxLength: 64, description: 'a test store: platform code or external id' }),
    chain_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    transport_type: Type.Optional(TransportTypeSchema),
    order_type: Type.Optional(OrderTypeSchema),
    items: Type.Optional(Type.Array(IntakeItem, { maxItems: 50, description: 'omitted: a sample basket from the listings' })),
    comment: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
const PortalTestOrderBody = Type.Object(
  {
    vendor_id: Type.String({ minLength: 1, maxLength: 64 }),
    transport_type: Type.Optional(TransportTypeSchema),
    order_type: Type.Optional(OrderTypeSchema),
    items: Type.Optional(Type.Array(IntakeItem, { maxItems: 50 })),
    comment: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

const Timeline = Type.Object({
  order: OrderObject,
  timeline: Type.Array(Type.Object({ version: Type.Integer(), type: Type.String(), status: Type.String(), actor: Type.String(), webhook: Type.Boolean(), details: Type.Unknown(), created_at: Type.String() })),
});

/** Operator / storefront API: order intake and the platform's own transitions. */
export function orderOperatorRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['Operator orders'];
    app.post(
      '/orders',
      {
        schema: {
          tags,
          summary: 'Place an order (storefront): validated against the listings, priced from them, RECEIVED webhook in the same transaction',
          security: operatorSecurity,
          body: IntakeBody,
          response: { 201: OrderObject, ...errors(401, 404, 409, 422) },
        },
      },
      async (request, reply) => {
        const { order, vendor } = await placeOrder(ctx, request.body, { actor: actorOf(request) });
        return reply.status(201).send(renderOrder(order, vendor));
      },
    );

    app.get(
      '/orders/:id',
      { schema: { tags, summary: 'One order with its timeline', security: operatorSecurity, params: OperatorOrderParams, response: { 200: Timeline, ...errors(401, 404) } } },
      async (request) => {
        const order = await findOrder(ctx.db, request.params.id);
        if (!order) throw new AppError('ORDER_NOT_FOUND');
        return { order: renderOrder(order, await vendorOf(ctx, ctx.db, order.vendor_id)), timeline: await listOrderEvents(ctx.db, order.id) };
      },
    );

    for (const [path, action, summary] of [
      ['dispatch', 'DISPATCHED', 'The rider collected the order (logistics delivery)'],
      ['deliver', 'DELIVERED', 'The order was handed to the customer'],
    ] as const) {
      app.post(
        `/orders/:id/${path}`,
        { schema: { tags, summary, security: operatorSecurity, params: OperatorOrderParams, response: { 200: OrderObject, ...errors(401, 404, 409, 422) } } },
        async (request) => {
          const { order, vendor } = await applyPlatformAction(ctx, request.params.id, { action, actor: 'PLATFORM', actorName: actorOf(request) });
          return renderOrder(order, vendor);
        },
      );
    }

    app.post(
      '/orders/:id/cancel',
      {
        schema: {
          tags,
          summary: 'Cancel an order (customer, logistics or platform)',
          security: operatorSecurity,
          params: OperatorOrderParams,
          body: Type.Optional(OperatorCancelBody),
          response: { 200: OrderObject, ...errors(401, 404, 409, 422) },
        },
      },
      async (request) => {
        const b = request.body ?? {};
        const { order, vendor } = await applyPlatformAction(ctx, request.params.id, {
          action: 'CANCELLED',
          actor: 'PLATFORM',
          actorName: actorOf(request),
          reason: b.reason ?? 'OTHER',
          cancelledBy: b.cancelled_by ?? 'CUSTOMER',
        });
        return renderOrder(order, vendor);
      },
    );

    app.post(
      '/test-orders',
      {
        schema: {
          tags,
          summary: 'Sandbox: place a test order on a test store (chosen SKUs or a sample basket)',
          security: operatorSecurity,
          body: TestOrderBody,
          response: { 201: OrderObject, ...errors(401, 404, 422) },
        },
      },
      async (request, reply) => {
        const { order, vendor } = await createTestOrder(ctx, request.body, actorOf(request));
        return reply.status(201).send(renderOrder(order, vendor));
      },
    );
  };
}

/** Portal JSON API: the Test Order button (chain admins, test stores only). */
export function orderPortalRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/chains/:chainId/test-orders',
      {
        schema: {
          tags: ['Portal'],
          summary: 'Place a test order on one of the chain’s test stores',
          security: sessionSecurity,
          params: Type.Object({ chainId: Type.String({ minLength: 1, maxLength: 64 }) }),
          body: PortalTestOrderBody,
          response: { 201: OrderObject, ...errors(401, 403, 404, 422) },
        },
      },
      async (request, reply) => {
        requireChainRole(request, request.params.chainId, 'admin');
        const { order, vendor } = await createTestOrder(ctx, request.body, actorOf(request), request.params.chainId);
        return reply.status(201).send(renderOrder(order, vendor));
      },
    );
  };
}
