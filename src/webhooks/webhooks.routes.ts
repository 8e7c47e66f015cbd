import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../platform/context.js';
import { actorOf, requireChainRole } from '../platform/access.js';
import { errors, operatorSecurity, sessionSecurity } from '../platform/http/schemas.js';
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
  /** The operationId of a route on this surface (the portal's differ from the operator's). */
  id: (name: string) => string;
  /** Throws unless the caller may manage webhooks of the chain. */
  guard: (request: FastifyRequest, chainId: string) => void;
}

/** Endpoint management, delivery log and replay; the same routes for the portal (chain admins) and the operator. */
function webhookRoutes(ctx: AppContext, s: Surface): FastifyPluginAsyncTypebox {
  const { tags, security } = s;
  return async (app) => {
    webhookMetrics(ctx);
    const base = '/chains/:chainId/webhooks';

    app.get(base, { schema: { operationId: s.id('listWebhookEndpoints'), tags, summary: "List the chain's webhook endpoints (secrets never shown)", security, params: ChainParams, response: { 200: Type.Object({ endpoints: Type.Array(WebhookEndpoint) }), ...errors('CHAIN_NOT_FOUND') } } }, async (request) => {
      s.guard(request, request.params.chainId);
      return { endpoints: await listEndpoints(ctx, request.params.chainId) };
    });

    app.post(
      base,
      {
        schema: {
          operationId: s.id('createWebhookEndpoint'),
          tags,
          summary: 'Create a webhook endpoint; the response carries the whsec_ signing secret, shown only once',
          security,
          params: ChainParams,
          body: CreateEndpointBody,
          response: { 201: CreatedEndpoint, ...errors('CHAIN_NOT_FOUND', 'WEBHOOK_URL_REFUSED') },
        },
      },
      async (request, reply) => {
        s.guard(request, request.params.chainId);
        const created = await createEndpoint(ctx, request.params.chainId, request.body, actorOf(request));
        return reply.status(201).header('cache-control', 'no-store').send(created);
      },
    );

    app.get(`${base}/:endpointId`, { schema: { operationId: s.id('getWebhookEndpoint'), tags, summary: 'One webhook endpoint', security, params: EndpointParams, response: { 200: WebhookEndpoint, ...errors('CHAIN_NOT_FOUND', 'WEBHOOK_ENDPOINT_NOT_FOUND') } } }, async (request) => {
      s.guard(request, request.params.chainId);
      return getEndpoint(ctx, request.params.chainId, request.params.endpointId);
    });

    app.patch(
      `${base}/:endpointId`,
      {
        schema: {
      operationId: s.id('updateWebhookEndpoint'), tags, summary: 'Change URL, Authorization secret or header, event filter, description; enable/disable', security, params: EndpointParams, body: UpdateEndpointBody, response: { 200: WebhookEndpoint, ...errors('CHAIN_NOT_FOUND', 'WEBHOOK_ENDPOINT_NOT_FOUND', 'WEBHOOK_URL_REFUSED') } },
      },
      async (request) => {
        s.guard(request, request.params.chainId);
        return updateEndpoint(ctx, request.params.chainId, request.params.endpointId, request.body, actorOf(request));
      },
    );

    app.delete(`${base}/:endpointId`, { schema: { operationId: s.id('deleteWebhookEndpoint'), tags, summary: 'Delete an endpoint (its open deliveries are cancelled)', security, params: EndpointParams, response: { 204: Type.Null(), ...errors('CHAIN_NOT_FOUND', 'WEBHOOK_ENDPOINT_NOT_FOUND') } } }, async (request, reply) => {
      s.guard(request, request.params.chainId);
      await deleteEndpoint(ctx, request.params.chainId, request.params.endpointId, actorOf(request));
      return reply.status(204).send(null);
    });

    app.post(
      `${base}/:endpointId/rotate-secret`,
      {
        schema: {
      operationId: s.id('rotateWebhookSigningSecret'), tags, summary: 'Rotate the whsec_ signing secret; the old one keeps signing during the grace period', security, params: EndpointParams, response: { 200: CreatedEndpoint, ...errors('CHAIN_NOT_FOUND', 'WEBHOOK_ENDPOINT_NOT_FOUND') } },
      },
      async (request, reply) => {
        s.guard(request, request.params.chainId);
        const rotated = await rotateSigningSecret(ctx, request.params.chainId, request.params.endpointId, actorOf(request));
        return reply.header('cache-control', 'no-store').send(rotated);
      },
    );

    app.post(`${base}/:endpointId/test`, { schema: { operationId: s.id('sendWebhookTestEvent'), tags, summary: 'Send a test event to this endpoint now', security, params: EndpointParams, response: { 202: Emitted, ...errors('CHAIN_NOT_FOUND', 'WEBHOOK_ENDPOINT_NOT_FOUND', 'WEBHOOK_ENDPOINT_DISABLED') } } }, async (request, reply) => {
      s.guard(request, request.params.chainId);
      const e = await sendTestEvent(ctx, request.params.chainId, request.params.endpointId);
      return reply.status(202).send({ event_id: e.eventId, sequence: e.sequence });
    });

    app.post(
      `${base}/:endpointId/replay`,
      {
        schema: {
      operationId: s.id('replayWebhookEndpoint'), tags, summary: 'Replay every failed delivery of the endpoint created since a time', security, params: EndpointParams, body: ReplayBody, response: { 200: Type.Object({ replayed: Type.Integer() }), ...errors('CHAIN_NOT_FOUND', 'WEBHOOK_ENDPOINT_NOT_FOUND') } },
      },
      async (request) => {
        s.guard(request, request.params.chainId);
        return replayFailed(ctx, request.params.chainId, request.params.endpointId, request.body.since, request.body.until, actorOf(request));
      },
    );

    app.get(
      `${base}/deliveries`,
      { schema: {
      operationId: s.id('listWebhookDeliveries'), tags, summary: 'Delivery log: filter by endpoint, status, order, type, time; newest first, cursor paging', security, params: ChainParams, querystring: DeliveryQuery, response: { 200: DeliveryPage, ...errors('CHAIN_NOT_FOUND', 'INVALID_CURSOR') } } },
      async (request) => {
        s.guard(request, request.params.chainId);
        return listDeliveries(ctx, request.params.chainId, request.query);
      },
    );

    app.get(
      `${base}/deliveries/:deliveryId`,
      { schema: {
      operationId: s.id('getWebhookDelivery'), tags, summary: 'One delivery with its payload and every attempt', security, params: DeliveryParams, response: { 200: DeliveryDetail, ...errors('CHAIN_NOT_FOUND', 'WEBHOOK_DELIVERY_NOT_FOUND') } } },
      async (request) => {
        s.guard(request, request.params.chainId);
        return getDelivery(ctx, request.params.chainId, request.params.deliveryId);
      },
    );

    app.post(
      `${base}/deliveries/:deliveryId/replay`,
      { schema: {
      operationId: s.id('replayWebhookDelivery'), tags, summary: 'Send one delivery again now (same webhook-id)', security, params: DeliveryParams, response: { 200: WebhookDelivery, ...errors('CHAIN_NOT_FOUND', 'WEBHOOK_DELIVERY_NOT_FOUND', 'WEBHOOK_DELIVERY_IN_FLIGHT') } } },
      async (request) => {
        s.guard(request, request.params.chainId);
        return replayDelivery(ctx, request.params.chainId, request.params.deliveryId, actorOf(request));
      },
    );
  };
}

/** Portal JSON API (chain admins), registered inside the session + CSRF scope under /portal/api. */
export function webhookPortalRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return webhookRoutes(ctx, { tags: ['Portal: Webhooks'], security: sessionSecurity, id: (name) => `portal${name[0]!.toUpperCase()}${name.slice(1)}`, guard: (request, chainId) => requireChainRole(request, chainId, 'admin') });
}

/** Operator API under /platform/v1, plus the event hook used by tests, demos and benchmarks. */
export function webhookOperatorRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    await app.register(webhookRoutes(ctx, { tags: ['Operator: Webhooks'], security: operatorSecurity, id: (name) => name, guard: () => {} }));
    app.post(
      '/chains/:chainId/webhooks/events',
      {
        schema: {
          operationId: 'emitWebhookEvents',
          tags: ['Operator: Webhooks'],
          summary: 'Emit events to the chain\'s endpoints (each in its own transaction, or all in one with atomic), as orders and jobs do',
          security: operatorSecurity,
          params: ChainParams,
          body: EmitBody,
          response: { 201: Type.Object({ events: Type.Array(Emitted) }), ...errors('CHAIN_NOT_FOUND') },
        },
      },
      async (request, reply) => {
        const emitted = await emitEvents(ctx, request.params.chainId, request.body);
        return reply.status(201).send({ events: emitted.map((e) => ({ event_id: e.eventId, sequence: e.sequence })) });
      },
    );
  };
}
