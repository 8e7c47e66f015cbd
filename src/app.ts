import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import crypto from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { catalogJobRoutes } from './catalog/catalog-jobs.routes.js';
import { catalogPartnerRoutes } from './catalog/catalog.routes.js';
import type { AppContext } from './context.js';
import { operatorAuth, partnerAuth, sessionAuth } from './http/auth.js';
import { registerErrorHandler } from './http/error-handler.js';
import { AppError } from './http/errors.js';
import { registerOpenApi } from './http/openapi.js';
import { registerValidation } from './http/validation.js';
import { oauthClientPortalRoutes, oauthTokenRoute } from './oauth/oauth.routes.js';
import { operatorRoutes } from './operator/operator.routes.js';
import { opsRoutes } from './ops/ops.routes.js';
import { orderOperatorRoutes, orderPartnerRoutes, orderPortalRoutes } from './orders/orders.routes.js';
import { outletPartnerRoutes } from './outlets/outlets.routes.js';
import { sftpOperatorRoutes } from './sftp/sftp.routes.js';
import { portalActorRoutes } from './portal/actors.routes.js';
import { catalogPortalRoutes } from './portal/catalog.portal-routes.js';
import { orderMonitorPortalRoutes } from './portal/orders.portal-routes.js';
import { storePortalRoutes } from './portal/stores.portal-routes.js';
import { promotionPortalRoutes } from './portal/promotions.portal-routes.js';
import { sftpPortalRoutes } from './portal/sftp.portal-routes.js';
import { portalLoginRoutes, portalSessionRoutes } from './portal/portal.routes.js';
import { registerWebApp } from './portal/web-app.js';
import { tokenPortalRoutes } from './tokens/tokens.routes.js';
import { promotionPartnerRoutes } from './promotions/promotions.routes.js';
import { vendorPartnerRoutes } from './vendors/vendors.routes.js';
import { webhookOperatorRoutes, webhookPortalRoutes } from './webhooks/webhooks.routes.js';

/** Builds the HTTP app from the modules. No listen(): tests use inject() or listen themselves. */
export async function buildApp(ctx: AppContext): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.log as FastifyBaseLogger,
    bodyLimit: ctx.config.bodyLimitBytes,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : crypto.randomUUID();
    },
    requestIdHeader: false,
    routerOptions: { ignoreTrailingSlash: true },
    forceCloseConnections: true,
  }).withTypeProvider<TypeBoxTypeProvider>();

  registerValidation(app);
  registerErrorHandler(app);
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 64 * 1024 });
  await registerOpenApi(app, ctx.config);

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    ctx.metrics.httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  await app.register(opsRoutes(ctx));

  // Partner API: OAuth token endpoint is public; everything else needs a bearer token.
  await app.register(oauthTokenRoute(ctx), { prefix: '/v2' });
  await app.register(
    async (v2) => {
      v2.addHook('onRequest', partnerAuth(ctx));
      await registerRateLimit(v2, ctx);
      await v2.register(vendorPartnerRoutes(ctx));
      await v2.register(catalogPartnerRoutes(ctx));
      await v2.register(catalogJobRoutes(ctx));
      await v2.register(orderPartnerRoutes(ctx));
      await v2.register(outletPartnerRoutes(ctx));
      await v2.register(promotionPartnerRoutes(ctx));
    },
    { prefix: '/v2' },
  );

  // Operator API.
  await app.register(
    async (op) => {
      op.addHook('onRequest', operatorAuth(ctx));
      await op.register(operatorRoutes(ctx));
      await op.register(webhookOperatorRoutes(ctx));
      await op.register(orderOperatorRoutes(ctx));
      await op.register(sftpOperatorRoutes(ctx));
    },
    { prefix: '/platform/v1' },
  );

  // Portal JSON API.
  await app.register(portalLoginRoutes(ctx), { prefix: '/portal/api' });
  await app.register(
    async (portal) => {
      portal.addHook('onRequest', sessionAuth(ctx));
      await portal.register(portalSessionRoutes(ctx));
      await portal.register(tokenPortalRoutes(ctx));
      await portal.register(oauthClientPortalRoutes(ctx));
      await portal.register(orderPortalRoutes(ctx));
      await portal.register(portalActorRoutes(ctx));
      await portal.register(webhookPortalRoutes(ctx));
      await portal.register(orderMonitorPortalRoutes(ctx));
      await portal.register(catalogPortalRoutes(ctx));
      await portal.register(storePortalRoutes(ctx));
      await portal.register(promotionPortalRoutes(ctx));
      await portal.register(sftpPortalRoutes(ctx));
    },
    { prefix: '/portal/api' },
  );

  // Partner Portal front end at / (after the APIs: it answers only paths none of them own).
  await registerWebApp(ctx, app);

  return app;
}

/**
 * Per-token rate limit for /v2 (RATE_LIMIT_MAX per RATE_LIMIT_WINDOW_SECONDS; 0 = off). Runs as a
 * route onRequest hook, i.e. after partnerAuth, so the key is the token (or OAuth client), not the IP.
 * Answers 429 with Retry-After and RateLimit-Limit/-Remaining/-Reset. Counters live in the process:
 * with several API processes each enforces the limit on its own.
 */
async function registerRateLimit(scope: FastifyInstance, ctx: AppContext): Promise<void> {
  const { rateLimitMax: max, rateLimitWindowSeconds: seconds } = ctx.config;
  if (max <= 0) return;
  await scope.register(rateLimit, {
    global: true,
    max,
    timeWindow: seconds * 1000,
    hook: 'onRequest',
    enableDraftSpec: true,
    keyGenerator: (request) => {
      const p = request.partner;
      if (!p) return `ip:${request.ip}`;
      return p.kind === 'api_token' ? `token:${p.tokenId}` : `oauth:${p.clientPk}`;
    },
    errorResponseBuilder: (_request, context) =>
      new AppError('TOO_MANY_REQUESTS', `Rate limit exceeded: at most ${context.max} requests per ${seconds} s per token; retry after ${Math.max(1, Math.ceil(context.ttl / 1000))} s`),
  });
}
