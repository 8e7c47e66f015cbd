import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import crypto from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { AppContext } from './context.js';
import { operatorAuth, partnerAuth, sessionAuth } from './http/auth.js';
import { registerErrorHandler } from './http/error-handler.js';
import { registerOpenApi } from './http/openapi.js';
import { registerValidation } from './http/validation.js';
import { oauthClientPortalRoutes, oauthTokenRoute } from './oauth/oauth.routes.js';
import { operatorRoutes } from './operator/operator.routes.js';
import { opsRoutes } from './ops/ops.routes.js';
import { portalActorRoutes } from './portal/actors.routes.js';
import { portalLoginRoutes, portalSessionRoutes } from './portal/portal.routes.js';
import { registerWebApp } from './portal/web-app.js';
import { tokenPortalRoutes } from './tokens/tokens.routes.js';
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
      await v2.register(vendorPartnerRoutes(ctx));
    },
    { prefix: '/v2' },
  );

  // Operator API.
  await app.register(
    async (op) => {
      op.addHook('onRequest', operatorAuth(ctx));
      await op.register(operatorRoutes(ctx));
      await op.register(webhookOperatorRoutes(ctx));
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
      await portal.register(portalActorRoutes(ctx));
      await portal.register(webhookPortalRoutes(ctx));
    },
    { prefix: '/portal/api' },
  );

  // Partner Portal front end at / (after the APIs: it answers only paths none of them own).
  await registerWebApp(ctx, app);

  return app;
}
