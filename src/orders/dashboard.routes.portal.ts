import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../platform/context.js';

import { errors, sessionSecurity } from '../platform/http/schemas.js';
import { endpointAlerts } from '../webhooks/index.js';
import { DASHBOARD_RANGES, dashboard } from './dashboard.service.js';
import { liveHub, type LiveKind } from './live.js';

const ChainParams = Type.Object({ chainId: Type.String({ format: 'uuid' }) });
const Rate = Type.Union([Type.Number(), Type.Null()]);
const Alert = Type.Object({
  id: Type.String(),
  description: Type.String(),
  url: Type.String(),
  enabled: Type.Boolean(),
  disabled_reason: Type.Union([Type.String(), Type.Null()]),
  failing_since: Type.Union([Type.String(), Type.Null()]),
});
const Dashboard = Type.Object({
  range: Type.String(),
  from: Type.String(),
  to: Type.String(),
  time_zone: Type.String(),
  currency: Type.String(),
  vendor_id: Type.Union([Type.String(), Type.Null()]),
  totals: Type.Object({
    orders: Type.Integer(),
    sales: Type.Number(),
    cancelled: Type.Integer(),
    cancellation_rate: Rate,
    not_found: Type.Integer(),
    not_found_rate: Rate,
    ready_count: Type.Integer(),
    ready_p50_s: Rate,
    ready_p90_s: Rate,
  }),
  stores: Type.Array(
    Type.Object({ vendor_id: Type.String(), orders: Type.Integer(), cancelled: Type.Integer(), not_found: Type.Integer(), sales: Type.Number(), cancellation_rate: Rate, not_found_rate: Rate }),
  ),
  per_hour: Type.Array(Type.Object({ at: Type.Number({ description: 'start of the hour, epoch ms' }), orders: Type.Integer() })),
  webhooks: Type.Object({
    deliveries: Type.Integer(),
    succeeded: Type.Integer(),
    dead: Type.Integer(),
    pending: Type.Integer(),
    success_rate: Rate,
    attempts: Type.Integer(),
    p99_ms: Rate,
  }),
  endpoints: Type.Array(Alert),
});

/** Heartbeat comment on open streams (proxies and idle timeouts). */
const HEARTBEAT_MS = 15_000;
/** Changes within this many ms go out as one event per kind. */
const COALESCE_MS = 100;

/** Portal JSON API: the dashboard, the failing-endpoint banner, and the live event stream. */
export function dashboardPortalRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['Portal: Dashboard'];
    const security = sessionSecurity;
    const streams = new Set<() => void>();
    // Open streams would keep close() waiting: end them first; then the feed.
    app.addHook('preClose', async () => {
      for (const end of [...streams]) end();
    });
    app.addHook('onClose', async () => liveHub(ctx).close());

    app.get(
      '/chains/:chainId/dashboard',
      {
        config: { chainRole: 'staff' },
        schema: {
          tags,
          summary: 'Dashboard figures for the chain or one store over today (chain time zone), 7 or 30 days',
          security,
          params: ChainParams,
          querystring: Type.Object(
            { range: Type.Optional(Type.Union(DASHBOARD_RANGES.map((r) => Type.Literal(r)), { default: 'today' })), vendor_id: Type.Optional(Type.String({ format: 'uuid' })) },
            { additionalProperties: false },
          ),
          response: { 200: Dashboard, ...errors(401, 403, 'VENDOR_NOT_FOUND', 'CHAIN_NOT_FOUND') },
        },
      },
      async (request) => {
        return dashboard(ctx, request.params.chainId, request.query.range ?? 'today', request.query.vendor_id);
      },
    );

    app.get(
      '/chains/:chainId/alerts',
      { config: { chainRole: 'staff' }, schema: { tags, summary: 'Webhook endpoints failing now or switched off (the banner on every page)', security, params: ChainParams, response: { 200: Type.Object({ endpoints: Type.Array(Alert) }), ...errors(401, 404) } } },
      async (request) => {
        return { endpoints: await endpointAlerts({ db: ctx.db, dialect: ctx.dialect }, request.params.chainId) };
      },
    );

    app.get(
      '/chains/:chainId/live',
      {
        config: { chainRole: 'staff' },
        schema: {
          tags,
          summary: 'Server-sent events: `orders`, `new_order`, `deliveries`, `endpoints` when the chain changes (across processes on Postgres); `ready` once listening',
          security,
          params: ChainParams,
          response: { 200: Type.String({ contentMediaType: 'text/event-stream' }), ...errors(401, 404) },
        },
      },
      async (request, reply) => {
        const chainId = request.params.chainId;
        const hub = liveHub(ctx);
        await hub.ready();
        reply.hijack();
        const res = reply.raw;
        res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no', connection: 'keep-alive' });
        res.write('retry: 2000\n\nevent: ready\ndata: {}\n\n');
        const pending = new Set<LiveKind>();
        let flush: NodeJS.Timeout | undefined;
        const unsubscribe = hub.subscribe(chainId, (kind) => {
          pending.add(kind);
          flush ??= setTimeout(() => {
            flush = undefined;
            for (const k of pending) res.write(`event: ${k}\ndata: {}\n\n`);
            pending.clear();
          }, COALESCE_MS);
        });
        const beat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
        const end = () => {
          if (!streams.delete(end)) return;
          unsubscribe();
          clearInterval(beat);
          if (flush) clearTimeout(flush);
          res.end();
        };
        streams.add(end);
        request.raw.on('close', end);
        res.on('error', end);
      },
    );
  };
}
