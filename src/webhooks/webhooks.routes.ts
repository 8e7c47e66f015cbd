import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../context.js';
import { actorOf, requireChainRole } from '../http/auth.js';
import { errors, operatorSecurity, sessionSecurity } from '../http/schemas.js';
import { emitEvents, getDelivery, listDeliveries, replayDelivery, replayFailed, sendTestEvent } from './deliveries.service.js';
import { createEndpoint, deleteEndpoint, getEndpoint, listEndpoints, rotateSigningSecret, updateEndpoint } from './endpoints.service.js';
import {
  CreatedEndpoint,
  CreateEndpointBody,
  DeliveryDetail,
  DeliveryPage,
  DeliveryQuery,
  EmitBody,
  ReplayBody,
  UpdateEndpointBody,
  WebhookDelivery,
  WebhookEndpoint,
} from './webhooks.schemas.js';
import { webhookMetrics } from './webhooks.metrics.js';

const uuidParam = Type.String({ format: 'uuid' });
const ChainParams = Type.Object({ chainId: uuidParam });
const EndpointParams = Type.Object({ chainId: uuidParam, endpointId: uuidParam });
const DeliveryParams = Type.Object({ chainId: uuidParam, deliveryId: uuidParam });
const Emitted = Type.Object({ event_id: Type.String(), sequence: Type.Union([Type.Integer(), Type.Null()]) });

interface Surface {
  tags: string[];
  security: Array<Record<string, string[]>>;
  /** Throws unless the caller may manage webhooks of the chain. */
  guard: (request: FastifyRequest, chainId: string) => void;
}

/** Endpoint management, delivery log and replay; the same routes for the portal (chain admins) and the operator. */
function webhookRoutes(ctx: AppContext, s: Surface): FastifyPluginAsyncTypebox {
  const { tags, security } = s;
  return async (app) => {
    webhookMetrics(ctx);
    const base = '/chains/:chainId/webhooks';

    app.get(base, { schema: { tags, summary: "List the chain's webhook endpoints (secrets never shown)", security, params: ChainParams, response: { 200: Type.Object({ endpoints: Type.Array(WebhookEndpoint) }), ...errors(401, 403, 404) } } }, async (request) => {
      s.guard(request, request.params.chainId);
      return { endpoints: await listEndpoints(ctx, request.params.chainId) };
    });

    app.post(
      base,
      {
        schema: {
          tags,
          summary: 'Create a webhook endpoint; the response carries the whsec_ signing secret, shown only once',
          security,
          params: ChainParams,
          body: CreateEndpointBody,
          response: { 201: CreatedEndpoint, ...errors(401, 403, 404, 422) },
        },
      },
      async (request, reply) => {
        s.guard(request, request.params.chainId);
        const created = await createEndpoint(ctx, request.params.chainId, request.body, actorOf(request));
        return reply.status(201).header('cache-control', 'no-store').send(created);
      },
    );

    app.get(`${base}/:endpointId`, { schema: { tags, summary: 'One webhook endpoint', security, params: EndpointParams, response: { 200: WebhookEndpoint, ...errors(401, 403, 404) } } }, async (request) => {
      s.guard(request, request.params.chainId);
      return getEndpoint(ctx, request.params.chainId, request.params.endpointId);
    });

    app.patch(
      `${base}/:endpointId`,
      {
        schema: { tags, summary: 'Change URL, Authorization secret or header, event filter, description; enable/disable', security, params: EndpointParams, body: UpdateEndpointBody, response: { 200: WebhookEndpoint, ...errors(401, 403, 404, 422) } },
      },
      async (request) => {
        s.guard(request, request.params.chainId);
        return updateEndpoint(ctx, request.params.chainId, request.params.endpointId, request.body, actorOf(request));
      },
    );

    app.delete(`${base}/:endpointId`, { schema: { tags, summary: 'Delete an endpoint (its open deliveries are cancelled)', security, params: EndpointParams, response: { 204: Type.Null(), ...errors(401, 403, 404) } } }, async (request, reply) => {
      s.guard(request, request.params.chainId);
      await deleteEndpoint(ctx, request.params.chainId, request.params.endpointId, actorOf(request));
      return reply.status(204).send(null);
    });

    app.post(
      `${base}/:endpointId/rotate-secret`,
      {
        schema: { tags, summary: 'Rotate the whsec_ signing secret; the old one keeps signing during the grace period', security, params: EndpointParams, response: { 200: CreatedEndpoint, ...errors(401, 403, 404) } },
      },
      async (request, reply) => {
        s.guard(request, request.params.chainId);
        const rotated = await rotateSigningSecret(ctx, request.params.chainId, request.params.endpointId, actorOf(request));
        return reply.header('cache-control', 'no-store').send(rotated);
      },
    );

    app.post(`${base}/:endpointId/test`, { schema: { tags, summary: 'Send a test event to this endpoint now', security, params: EndpointParams, response: { 202: Emitted, ...errors(401, 403, 404, 409) } } }, async (request, reply) => {
      s.guard(request, request.params.chainId);
      const e = await sendTestEvent(ctx, request.params.chainId, request.params.endpointId);
      return reply.status(202).send({ event_id: e.eventId, sequence: e.sequence });
    });

    app.post(
      `${base}/:endpointId/replay`,
      {
        schema: { tags, summary: 'Replay every failed delivery of the endpoint created since a time', security, params: EndpointParams, body: ReplayBody, response: { 200: Type.Object({ replayed: Type.Integer() }), ...errors(401, 403, 404) } },
      },
      async (request) => {
        s.guard(request, request.params.chainId);
        return replayFailed(ctx, request.params.chainId, request.params.endpointId, request.body.since, request.body.until, actorOf(request));
      },
    );

    app.get(
      `${base}/deliveries`,
      { schema: { tags, summary: 'Delivery log: filter by endpoint, status, order, type, time; newest first, cursor paging', security, params: ChainParams, querystring: DeliveryQuery, response: { 200: DeliveryPage, ...errors(401, 403, 404) } } },
      async (request) => {
        s.guard(request, request.params.chainId);
        return listDeliveries(ctx, request.params.chainId, request.query);
      },
    );

    app.get(
      `${base}/deliveries/:deliveryId`,
      { schema: { tags, summary: 'One delivery with its payload and every attempt', security, params: DeliveryParams, response: { 200: DeliveryDetail, ...errors(401, 403, 404) } } },
      async (request) => {
        s.guard(request, request.params.chainId);
        return getDelivery(ctx, request.params.chainId, request.params.deliveryId);
      },
    );

    app.post(
      `${base}/deliveries/:deliveryId/replay`,
      { schema: { tags, summary: 'Send one delivery again now (same webhook-id)', security, params: DeliveryParams, response: { 200: WebhookDelivery, ...errors(401, 403, 404, 409) } } },
      async (request) => {
        s.guard(request, request.params.chainId);
        return replayDelivery(ctx, request.params.chainId, request.params.deliveryId, actorOf(request));
      },
    );
  };
}

/** Portal JSON API (chain admins), registered inside the session + CSRF scope under /portal/api. */
export function webhookPortalRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return webhookRoutes(ctx, { tags: ['Portal: Webhooks'], security: sessionSecurity, guard: (request, chainId) => requireChainRole(request, chainId, 'admin') });
}

/** Operator API under /platform/v1, plus the event hook used by tests, demos and benchmarks. */
export function webhookOperatorRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    await app.register(webhookRoutes(ctx, { tags: ['Operator: Webhooks'], security: operatorSecurity, guard: () => {} }));
    app.post(
      '/chains/:chainId/webhooks/events',
      {
        schema: {
          tags: ['Operator: Webhooks'],
          summary: 'Emit events to the chain\'s endpoints (each in its own transaction, or all in one with atomic), as orders and jobs do',
          security: operatorSecurity,
          params: ChainParams,
          body: EmitBody,
          response: { 201: Type.Object({ events: Type.Array(Emitted) }), ...errors(401, 404) },
        },
      },
      async (request, reply) => {
        const emitted = await emitEvents(ctx, request.params.chainId, request.body);
        return reply.status(201).send({ events: emitted.map((e) => ({ event_id: e.eventId, sequence: e.sequence })) });
      },
    );
  };
}
