import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import type { AppContext } from '../platform/context.js';
import { actorOf, partnerChain } from '../platform/access.js';
import { AppError } from '../platform/errors.js';
import { bearerSecurity, ChainVendorParams, errors, operatorSecurity, sessionSecurity } from '../platform/http/schemas.js';
import { noteIgnored } from '../platform/http/validation.js';
import { partnerVendor } from '../vendors/index.js';
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

/** What a PUT can refuse, besides the codes every partner route shares. */
const PUT_ORDER_ERRORS = [
  'ORDER_NOT_FOUND', 'ORDER_ID_MISMATCH', 'ACCEPTED_FOR_REQUIRED', 'CANCELLATION_REASON_REQUIRED', 'ITEMS_NOT_ALLOWED', 'DUPLICATE_LINE',
  'INDIRECT_POS_READ_ONLY', 'INVALID_STATUS_TRANSITION', 'ORDER_NOT_EDITABLE', 'STATUS_NOT_ALLOWED_FOR_TRANSPORT', 'UNKNOWN_LINE',
  'AMBIGUOUS_LINE', 'LINE_SKU_MISMATCH', 'SKU_NOT_IN_ASSORTMENT', 'PRODUCT_INACTIVE', 'QUANTITY_ABOVE_ORDERED', 'QUANTITY_INVALID',
  'MAX_SALES_QUANTITY_EXCEEDED', 'WEIGHT_REQUIRED', 'WEIGHT_NOT_ALLOWED', 'WEIGHT_OUT_OF_TOLERANCE', 'REPLACEMENT_WITHOUT_REPLACED_ID',
  'REPLACED_LINE_WITHOUT_REPLACEMENT', 'INVALID_REPLACEMENT', 'ALL_ITEMS_NOT_FOUND', 'IDEMPOTENCY_KEY_REUSED', 'PROMOTION_MAX_ITEMS_EXCEEDED',
] as const;

/** Partner API: orders (partner-api.md §3.3). */
export function orderPartnerRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/chains/:chain_id/orders/:order_id',
      { schema: {
      operationId: 'getOrder', tags: ['Orders'], summary: 'One order', security: bearerSecurity, params: OrderParams, response: { 200: OrderObject, ...errors('ORDER_NOT_FOUND') } } },
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
          operationId: 'listVendorOrders',
          tags: ['Orders'],
          summary: "A vendor's orders created in a window of at most 60 days (the recovery path when the webhook was down)",
          security: bearerSecurity,
          params: ChainVendorParams,
          querystring: VendorOrdersQuery,
          response: { 200: OrderList, ...errors('INVALID_TIME_WINDOW', 'TIME_WINDOW_TOO_LONG') },
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
          operationId: 'updateOrder',
          tags: ['Orders'],
          summary: 'Fulfil, modify, accept, dispatch or cancel an order',
          description: 'status UPDATE_CART edits items without a webhook; READY_FOR_PICKUP (logistics delivery) and DISPATCHED (vendor delivery) close the cart. Refusals are 4xx with a stable code and change nothing.',
          security: bearerSecurity,
          params: OrderParams,
          headers: PutHeaders,
          body: PutOrderBody,
          response: { 200: OrderObject, ...errors(...PUT_ORDER_ERRORS) },
        },
      },
      async (request, reply) => {
        const principal = partnerChain(request, request.params.chain_id);
        const result = await putPartnerOrder(ctx, principal, request.params.order_id, request.body, actorOf(request), request.headers['idempotency-key']);
        if (result.replayed) reply.header('idempotent-replayed', 'true');
        noteIgnored(request, ...result.ignored);
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
          operationId: 'placeOrder',
          tags,
          summary: 'Place an order (storefront): validated against the listings, priced from them, RECEIVED webhook in the same transaction',
          security: operatorSecurity,
          body: IntakeBody,
          response: { 201: OrderObject, ...errors('VENDOR_NOT_FOUND', 'CHAIN_NOT_FOUND', 'VENDOR_CLOSED', 'SKU_NOT_IN_ASSORTMENT', 'PRODUCT_INACTIVE', 'MAX_SALES_QUANTITY_EXCEEDED', 'WEIGHT_REQUIRED', 'WEIGHT_NOT_ALLOWED', 'PROMOTION_MAX_ITEMS_EXCEEDED', 'DUPLICATE_LINE') },
        },
      },
      async (request, reply) => {
        const { order, vendor } = await placeOrder(ctx, request.body, { actor: actorOf(request) });
        return reply.status(201).send(renderOrder(order, vendor));
      },
    );

    app.get(
      '/orders/:id',
      { schema: {
      operationId: 'getOperatorOrder', tags, summary: 'One order with its timeline', security: operatorSecurity, params: OperatorOrderParams, response: { 200: Timeline, ...errors('ORDER_NOT_FOUND') } } },
      async (request) => {
        const order = await findOrder(ctx.db, request.params.id);
        if (!order) throw new AppError('ORDER_NOT_FOUND');
        return { order: renderOrder(order, await vendorOf(ctx, ctx.db, order.vendor_id)), timeline: await listOrderEvents(ctx.db, order.id) };
      },
    );

    for (const [path, action, operationId, summary] of [
      ['dispatch', 'DISPATCHED', 'dispatchOrder', 'The rider collected the order (logistics delivery)'],
      ['deliver', 'DELIVERED', 'deliverOrder', 'The order was handed to the customer'],
    ] as const) {
      app.post(
        `/orders/:id/${path}`,
        { schema: {
        operationId, tags, summary, security: operatorSecurity, params: OperatorOrderParams, response: { 200: OrderObject, ...errors('ORDER_NOT_FOUND', 'INVALID_STATUS_TRANSITION', 'STATUS_NOT_ALLOWED_FOR_TRANSPORT') } } },
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
          operationId: 'cancelOrder',
          tags,
          summary: 'Cancel an order (customer, logistics or platform)',
          security: operatorSecurity,
          params: OperatorOrderParams,
          body: Type.Optional(OperatorCancelBody),
          response: { 200: OrderObject, ...errors('ORDER_NOT_FOUND', 'INVALID_STATUS_TRANSITION') },
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
          operationId: 'placeTestOrder',
          tags,
          summary: 'Sandbox: place a test order on a test store (chosen SKUs or a sample basket)',
          security: operatorSecurity,
          body: TestOrderBody,
          response: { 201: OrderObject, ...errors('VENDOR_NOT_FOUND', 'CHAIN_NOT_FOUND', 'NOT_A_TEST_STORE', 'NO_PRODUCTS_LISTED', 'VENDOR_CLOSED', 'SKU_NOT_IN_ASSORTMENT', 'PRODUCT_INACTIVE', 'MAX_SALES_QUANTITY_EXCEEDED', 'WEIGHT_REQUIRED', 'WEIGHT_NOT_ALLOWED', 'PROMOTION_MAX_ITEMS_EXCEEDED', 'DUPLICATE_LINE') },
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
        config: { chainRole: 'admin' },
        schema: {
          operationId: 'portalPlaceTestOrder',
          tags: ['Portal'],
          summary: 'Place a test order on one of the chain’s test stores',
          security: sessionSecurity,
          params: Type.Object({ chainId: Type.String({ minLength: 1, maxLength: 64 }) }),
          body: PortalTestOrderBody,
          response: { 201: OrderObject, ...errors(401, 403, 404, 422) },
        },
      },
      async (request, reply) => {
        const { order, vendor } = await createTestOrder(ctx, request.body, actorOf(request), request.params.chainId);
        return reply.status(201).send(renderOrder(order, vendor));
      },
    );
  };
}
