import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../platform/context.js';
import { actorOf, type ChainRole } from '../platform/access.js';
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
  /** The route config of this surface: the portal's declares the chain role the guard checks (chainRoleGuard). */
  config: { chainRole?: ChainRole };
}

/** Endpoint management, delivery log and replay; the same routes for the portal (chain admins) and the operator. */
function webhookRoutes(ctx: AppContext, s: Surface): FastifyPluginAsyncTypebox {
  const { tags, security } = s;
  return async (app) => {
    webhookMetrics(ctx);
    const base = '/chains/:chainId/webhooks';

    app.get(base, { config: s.config, schema: { operationId: s.id('listWebhookEndpoints'), tags, summary: "List the chain's webhook endpoints (secrets never shown)", security, params: ChainParams, response: { 200: Type.Object({ endpoints: Type.Array(WebhookEndpoint) }), ...errors('CHAIN_NOT_FOUND') } } }, async (request) => {
      return { endpoints: await listEndpoints(ctx, request.params.chainId) };
    });

    app.post(
      base,
      {
        config: s.config,
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
        const created = await createEndpoint(ctx, request.params.chainId, request.body, actorOf(request));
        return reply.status(201).header('cache-control', 'no-store').send(created);
      },
    );

    app.get(`${base}/:endpointId`, { config: s.config, schema: { operationId: s.id('getWebhookEndpoint'), tags, summary: 'One webhook endpoint', security, params: EndpointParams, response: { 200: WebhookEndpoint, ...errors('CHAIN_NOT_FOUND', 'WEBHOOK_ENDPOINT_NOT_FOUND') } } }, async (request) => {
      return getEndpoint(ctx, request.params.chainId, request.params.endpointId);
    });

    app.patch(
      `${base}/:endpointId`,
      {
        config: s.config,
        schema: {
      operationId: s.id('updateWebhookEndpoint'), tags, summary: 'Change URL, Authorization secret or header, event filter, description; enable/disable', security, params: EndpointParams, body: UpdateEndpointBody, response: { 200: WebhookEndpoint, ...errors('CHAIN_NOT_FOUND', 'WEBHOOK_ENDPOINT_NOT_FOUND', 'WEBHOOK_URL_REFUSED') } },
      },
      async (request) => {
        return updateEndpoint(ctx, request.params.chainId, request.params.endpointId, request.body, actorOf(request));
      },
    );

    app.delete(`${base}/:endpointId`, { config: s.config, schema: { operationId: s.id('deleteWebhookEndpoint'), tags, summary: 'Delete an endpoint (its open deliveries are cancelled)', security, params: EndpointParams, response: { 204: Type.Null(), ...errors('CHAIN_NOT_FOUND', 'WEBHOOK_ENDPOINT_NOT_FOUND') } } }, async (request, reply) => {
      await deleteEndpoint(ctx, request.params.chainId, request.params.endpointId, actorOf(request));
      return reply.status(204).send(null);
    });

    app.post(
      `${base}/:endpointId/rotate-secret`,
      {
        config: s.config,
        schema: {
      operationId: s.id('rotateWebhookSigningSecret'), tags, summary: 'Rotate the whsec_ signing secret; the old one keeps signing during the grace period', security, params: EndpointParams, response: { 200: CreatedEndpoint, ...errors('CHAIN_NOT_FOUND', 'WEBHOOK_ENDPOINT_NOT_FOUND') } },
      },
      async (request, reply) => {
        const rotated = await rotateSigningSecret(ctx, request.params.chainId, request.params.endpointId, actorOf(request));
        return reply.header('cache-control', 'no-store').send(rotated);
      },
    );

    app.post(`${base}/:endpointId/test`, { config: s.config, schema: { operationId: s.id('sendWebhookTestEvent'), tags, summary: 'Send a test event to this endpoint now', security, params: EndpointParams, response: { 202: Emitted, ...errors('CHAIN_NOT_FOUND', 'WEBHOOK_ENDPOINT_NOT_FOUND', 'WEBHOOK_ENDPOINT_DISABLED') } } }, async (request, reply) => {
      const e = await sendTestEvent(ctx, request.params.chainId, request.params.endpointId);
      return reply.status(202).send({ event_id: e.eventId, sequence: e.sequence });
    });

    app.post(
      `${base}/:endpointId/replay`,
      {
        config: s.config,
        schema: {
      operationId: s.id('replayWebhookEndpoint'), tags, summary: 'Replay every failed delivery of the endpoint created since a time', security, params: EndpointParams, body: ReplayBody, response: { 200: Type.Object({ replayed: Type.Integer() }), ...errors('CHAIN_NOT_FOUND', 'WEBHOOK_ENDPOINT_NOT_FOUND') } },
      },
      async (request) => {
        return replayFailed(ctx, request.params.chainId, request.params.endpointId, request.body.since, request.body.until, actorOf(request));
      },
    );

    app.get(
      `${base}/deliveries`,
      { config: s.config, schema: {
      operationId: s.id('listWebhookDeliveries'), tags, summary: 'Delivery log: filter by endpoint, status, order, type, time; newest first, cursor paging', security, params: ChainParams, querystring: DeliveryQuery, response: { 200: DeliveryPage, ...errors('CHAIN_NOT_FOUND', 'INVALID_CURSOR') } } },
      async (request) => {
        return listDeliveries(ctx, request.params.chainId, request.query);
      },
    );

    app.get(
      `${base}/deliveries/:deliveryId`,
      { config: s.config, schema: {
      operationId: s.id('getWebhookDelivery'), tags, summary: 'One delivery with its payload and every attempt', security, params: DeliveryParams, response: { 200: DeliveryDetail, ...errors('CHAIN_NOT_FOUND', 'WEBHOOK_DELIVERY_NOT_FOUND') } } },
      async (request) => {
        return getDelivery(ctx, request.params.chainId, request.params.deliveryId);
      },
    );

    app.post(
      `${base}/deliveries/:deliveryId/replay`,
      { config: s.config, schema: {
      operationId: s.id('replayWebhookDelivery'), tags, summary: 'Send one delivery again now (same webhook-id)', security, params: DeliveryParams, response: { 200: WebhookDelivery, ...errors('CHAIN_NOT_FOUND', 'WEBHOOK_DELIVERY_NOT_FOUND', 'WEBHOOK_DELIVERY_IN_FLIGHT') } } },
      async (request) => {
        return replayDelivery(ctx, request.params.chainId, request.params.deliveryId, actorOf(request));
      },
    );
  };
}

/** Portal JSON API (chain admins), registered inside the session + CSRF scope under /portal/api. */
export function webhookPortalRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return webhookRoutes(ctx, { tags: ['Portal: Webhooks'], security: sessionSecurity, id: (name) => `portal${name[0]!.toUpperCase()}${name.slice(1)}`, config: { chainRole: 'admin' } });
}

/** Operator API under /platform/v1, plus the event hook used by tests, demos and benchmarks. */
export function webhookOperatorRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    await app.register(webhookRoutes(ctx, { tags: ['Operator: Webhooks'], security: operatorSecurity, id: (name) => name, config: {} }));
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
