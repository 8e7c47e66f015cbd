import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../platform/context.js';

import { AppError } from '../platform/errors.js';
import { errors, sessionSecurity } from '../platform/http/schemas.js';
import { ORDER_STATUSES } from './orders.model.js';
import { findOrderSnapshot, listOrderEvents } from './orders.repository.js';
import { listVendors } from '../vendors/index.js';
import { getDelivery, listDeliveries, listEndpointRows, WebhookAttempt, WebhookDelivery } from '../webhooks/index.js';
import { csvLine } from '../platform/csv/quoted-csv.js';
import { countChainOrders, listChainOrders, type PortalOrderFilter } from './orders.portal-query.js';

const uuidParam = Type.String({ format: 'uuid' });
const ChainParams = Type.Object({ chainId: uuidParam });
const OrderParams = Type.Object({ chainId: uuidParam, orderId: Type.String({ minLength: 1, maxLength: 64 }) });

const FilterProps = {
  vendor_id: Type.Optional(Type.String({ format: 'uuid', description: 'one store (vendor id)' })),
  status: Type.Optional(Type.Union(ORDER_STATUSES.map((s) => Type.Literal(s)))),
  from: Type.Optional(Type.String({ format: 'date-time', description: 'created at or after' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'created before' })),
  code: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'order code, external order id or order id' })),
};
const ListQuery = Type.Object(
  { ...FilterProps, cursor: Type.Optional(Type.String({ maxLength: 200 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })) },
  { additionalProperties: false },
);
const ExportQuery = Type.Object(FilterProps, { additionalProperties: false });
const DetailQuery = Type.Object(
  {
    deliveries_cursor: Type.Optional(Type.String({ maxLength: 200, description: 'deliveries_next_cursor of the previous page of deliveries' })),
    deliveries_limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  },
  { additionalProperties: false },
);

const OrderRow = Type.Object({
  id: Type.String(),
  order_code: Type.String(),
  external_order_id: Type.String(),
  vendor_id: Type.String(),
  status: Type.String(),
  transport_type: Type.String(),
  order_type: Type.String(),
  is_test: Type.Boolean(),
  customer_name: Type.String(),
  comment: Type.String(),
  items: Type.Integer(),
  currency: Type.String(),
  sub_total: Type.Number(),
  order_total: Type.Number(),
  created_at: Type.String(),
  updated_at: Type.String(),
});
const OrderPage = Type.Object({
  orders: Type.Array(OrderRow),
  next_cursor: Type.Union([Type.String(), Type.Null()]),
  total_count: Type.Integer({ description: 'orders matching the filters, counted up to 10,000' }),
  total_capped: Type.Boolean({ description: 'true when more than total_count match' }),
});
const OrderDetail = Type.Object({
  order: Type.Unknown({ description: 'the order object of the partner API (§3.2)' }),
  timeline: Type.Array(Type.Object({ version: Type.Integer(), type: Type.String(), status: Type.String(), actor: Type.String(), webhook: Type.Boolean(), details: Type.Unknown(), created_at: Type.String() })),
  deliveries: Type.Array(
    Type.Object({
      delivery: WebhookDelivery,
      attempts: Type.Array(WebhookAttempt),
      endpoint: Type.Union([Type.Object({ id: Type.String(), url: Type.String(), description: Type.String() }), Type.Null()], { description: 'where it went; null once the endpoint is deleted' }),
    }),
    { description: "one page of the order's deliveries, newest first" },
  ),
  deliveries_next_cursor: Type.Union([Type.String(), Type.Null()], { description: 'pass as deliveries_cursor for the next page' }),
  deliveries_total_count: Type.Integer({ description: "the order's deliveries (all pages), counted up to 10,000" }),
  deliveries_total_capped: Type.Boolean({ description: 'true when more than deliveries_total_count exist' }),
});

const CSV_COLUMNS = ['order_id', 'order_code', 'external_order_id', 'store_code', 'store_name', 'status', 'transport_type', 'order_type', 'test', 'customer', 'comment', 'items', 'currency', 'sub_total', 'order_total', 'created_at', 'updated_at'];
const EXPORT_PAGE = 500;

/** Portal JSON API: the orders monitor (staff and admins): list, detail, CSV export. */
export function orderMonitorPortalRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['Portal: Orders'];
    const security = sessionSecurity;

    app.get(
      '/chains/:chainId/orders',
      { config: { chainRole: 'staff' }, schema: { tags, summary: "The chain's orders, newest first, filtered; cursor paging", security, params: ChainParams, querystring: ListQuery, response: { 200: OrderPage, ...errors(401, 403, 404) } } },
      async (request) => {
        const { cursor, limit, ...filter } = request.query;
        const [page, count] = await Promise.all([listChainOrders(ctx.db, request.params.chainId, filter, limit ?? 50, cursor), countChainOrders(ctx.db, request.params.chainId, filter)]);
        return { orders: page.rows, next_cursor: page.next_cursor, total_count: count.total, total_capped: count.capped };
      },
    );

    app.get(
      '/chains/:chainId/orders/export.csv',
      {
        config: { chainRole: 'staff' },
        schema: {
          tags,
          summary: 'The filtered orders as CSV (streamed; cells that a spreadsheet would read as formulas are prefixed with an apostrophe)',
          security,
          params: ChainParams,
          querystring: ExportQuery,
          response: { 200: Type.String({ contentMediaType: 'text/csv' }), ...errors(401, 403, 404) },
        },
      },
      async (request, reply) => {
        const chainId = request.params.chainId;
        const vendors = new Map((await listVendors(ctx.db, chainId)).map((v) => [v.id, v]));
        const stream = Readable.from(exportRows(ctx, chainId, request.query, vendors));
        const day = ctx.clock.now().toISOString().slice(0, 10);
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="orders-${day}.csv"`)
          .header('cache-control', 'no-store')
          .send(stream as unknown as string);
      },
    );

    app.get(
      '/chains/:chainId/orders/:orderId',
      {
        config: { chainRole: 'staff' },
        schema: {
          tags,
          summary: 'One order with its timeline and a page of its webhook deliveries (with attempts), newest first',
          security,
          params: OrderParams,
          querystring: DetailQuery,
          response: { 200: OrderDetail, ...errors(401, 403, 404, 'INVALID_CURSOR') },
        },
      },
      async (request) => {
        const { chainId, orderId } = request.params;
        const snap = await findOrderSnapshot(ctx.db, ctx.dialect, orderId);
        if (!snap || snap.chain_id !== chainId) throw new AppError('ORDER_NOT_FOUND');
        const [timeline, page, endpointRows] = await Promise.all([listOrderEvents(ctx.db, orderId), listDeliveries(ctx, chainId, { order_id: orderId, limit: request.query.deliveries_limit ?? 20, cursor: request.query.deliveries_cursor }).catch((err: unknown) => {
            // The cursor has another name here: say which field.
            if (err instanceof AppError && err.code === 'INVALID_CURSOR') throw new AppError('INVALID_CURSOR', 'query.deliveries_cursor is malformed; pass deliveries_next_cursor from the previous page');
            throw err;
          }), listEndpointRows(ctx.db, chainId)]);
        const endpoints = new Map(endpointRows.map((e) => [e.id, { id: e.id, url: e.url, description: e.description }]));
        const deliveries = [];
        for (const d of page.deliveries) {
          const full = await getDelivery(ctx, chainId, d.id);
          deliveries.push({ delivery: full.delivery, attempts: full.attempts, endpoint: endpoints.get(d.endpoint_id) ?? null });
        }
        return {
          order: JSON.parse(snap.snapshot) as unknown,
          timeline,
          deliveries,
          deliveries_next_cursor: page.next_cursor,
          deliveries_total_count: page.total_count,
          deliveries_total_capped: page.total_capped,
        };
      },
    );
  };
}

/** CSV text, a header line and then one page of orders at a time (memory stays flat for any size). */
async function* exportRows(ctx: AppContext, chainId: string, filter: PortalOrderFilter, vendors: Map<string, { code: string; name: string }>): AsyncGenerator<string> {
  yield `\uFEFF${csvLine(CSV_COLUMNS)}`;
  let cursor: string | undefined;
  for (;;) {
    const page = await listChainOrders(ctx.db, chainId, filter, EXPORT_PAGE, cursor);
    let chunk = '';
    for (const o of page.rows) {
      const v = vendors.get(o.vendor_id);
      chunk += csvLine([o.id, o.order_code, o.external_order_id, v?.code ?? '', v?.name ?? '', o.status, o.transport_type, o.order_type, o.is_test ? 'yes' : 'no', o.customer_name, o.comment, o.items, o.currency, o.sub_total, o.order_total, o.created_at, o.updated_at]);
    }
    if (chunk) yield chunk;
    if (!page.next_cursor) return;
    cursor = page.next_cursor;
  }
}
