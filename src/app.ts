import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import { auditPortalRoutes } from './audit/index.js';
import { catalogEditPortalRoutes, catalogJobRoutes, catalogPartnerRoutes, catalogPortalRoutes } from './catalog/index.js';
import { chainPortalRoutes } from './chains/index.js';
import type { AppContext } from './platform/context.js';
import { cachedPartner, chainRoleGuard, operatorAuth, partnerAuth, requireDeclaredChainRole, sessionAuth } from './http/auth.js';
import { registerErrorHandler } from './platform/http/error-handler.js';
import { createPartnerRateLimit, partnerRateLimitKey, sharedStoreCtor, type PartnerRateLimit } from './platform/http/rate-limit-store.js';
import { requestIdOf } from './platform/http/request-id.js';
import { AppError } from './platform/errors.js';
import { registerOpenApi } from './http/openapi.js';
import { registerTextGuard } from './platform/http/text-guard.js';
import { registerTolerantReader, registerValidation } from './platform/http/validation.js';
import { oauthClientPortalRoutes, oauthTokenRoute } from './oauth/index.js';
import { operatorRoutes } from './operator/index.js';
import { lazyChildLogger } from './platform/logger.js';
import { opsRoutes } from './ops/index.js';
import { JOB_TYPES } from './jobs-list.js';
import { dashboardPortalRoutes, installHotGetOrder, orderCompatRoutes, orderMonitorPortalRoutes, orderOperatorRoutes, orderPartnerRoutes, orderPortalRoutes } from './orders/index.js';
import { outletPartnerRoutes, storePortalRoutes } from './outlets/index.js';
import { SFTP_FILE_JOB, sftpOperatorRoutes, sftpPortalRoutes, sftpUploadPortalRoutes } from './sftp/index.js';
import { registerWebApp } from './portal/index.js';
import { certificationPortalRoutes } from './certify/index.js';
import { ROLES, type ServerRole } from './platform/roles.js';
import { tokenPortalRoutes } from './tokens/index.js';
import { promotionPartnerRoutes, promotionPortalRoutes } from './promotions/index.js';
import { passwordLinkRoutes, portalActorRoutes, portalLoginRoutes, portalSessionRoutes, userPortalRoutes } from './users/index.js';
import { vendorPartnerRoutes, vendorPortalRoutes } from './vendors/index.js';
import { webhookOperatorRoutes, webhookPortalRoutes } from './webhooks/index.js';

/**
 * Builds the HTTP app from the modules: only the surface of `roles` (see roles.ts), with /health and
 * /metrics always. No listen(): tests use inject() or listen themselves.
 */
export interface BuildOptions {
  /** false: every GET order goes through the generic route (tests compare the two). Default true. */
  hotGetOrder?: boolean;
}

export async function buildApp(ctx: AppContext, roles: readonly ServerRole[] = ROLES, options: BuildOptions = {}): Promise<FastifyInstance> {
  const servesApi = roles.includes('api');
  const servesPortal = roles.includes('portal');
  // The /v2 per-token counters: the rate-limit plugin's and the hot GET route's.
  const partnerLimit = createPartnerRateLimit(ctx.config);
  const app = Fastify({
    loggerInstance: ctx.log as FastifyBaseLogger,
    childLoggerFactory: lazyChildLogger as never,
    bodyLimit: ctx.config.bodyLimitBytes,
    genReqId: (req) => requestIdOf(req.headers['x-request-id']),
    requestIdHeader: false,
    routerOptions: { ignoreTrailingSlash: true },
    forceCloseConnections: true,
    // A URL the router cannot decode (`/chains/%ED%A0%80`) or an async-constraint failure: our error shape, never Fastify's.
    frameworkErrors: (err, _request, reply) => {
      (reply as FastifyReply).status(400).send({ error: { code: 'VALIDATION_FAILED', message: err.code === 'FST_ERR_BAD_URL' ? 'The URL path has an invalid percent-encoding (not UTF-8)' : err.message } });
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  registerValidation(app);
  registerTextGuard(app);
  registerErrorHandler(app);
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 64 * 1024 });
  if (servesApi) await registerOpenApi(app, ctx.config);

  // Callback-style hooks: no promise per request on the hot paths.
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    done(null, payload);
  });
  app.addHook('onResponse', (request, reply, done) => {
    ctx.metrics.httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    done();
  });

  await app.register(opsRoutes(ctx));

  // Partner API: OAuth token endpoint is public; everything else needs a bearer token.
  if (servesApi) await app.register(oauthTokenRoute(ctx), { prefix: '/v2' });
  if (servesApi) await app.register(
    async (v2) => {
      v2.addHook('onRequest', partnerAuth(ctx));
      // Unknown fields and query parameters are ignored and reported, never refused (partner-api.md §9).
      registerTolerantReader(v2);
      await registerRateLimit(v2, ctx, partnerLimit);
      await v2.register(vendorPartnerRoutes(ctx));
      await v2.register(catalogPartnerRoutes(ctx));
      await v2.register(catalogJobRoutes(ctx, JOB_TYPES));
      await v2.register(orderPartnerRoutes(ctx));
      await v2.register(orderCompatRoutes(ctx));
      await v2.register(outletPartnerRoutes(ctx));
      await v2.register(promotionPartnerRoutes(ctx));
    },
    { prefix: '/v2' },
  );

  // Operator API.
  if (servesApi) await app.register(
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
  if (servesPortal) await app.register(portalLoginRoutes(ctx), { prefix: '/portal/api' });
  if (servesPortal) await app.register(passwordLinkRoutes(ctx), { prefix: '/portal/api' });
  if (servesPortal) await app.register(
    async (portal) => {
      portal.addHook('onRequest', sessionAuth(ctx));
      // The role each route declares (config.chainRole), checked once here; a :chainId route without one fails the build.
      portal.addHook('onRoute', requireDeclaredChainRole);
      portal.addHook('preHandler', chainRoleGuard);
      await portal.register(portalSessionRoutes(ctx));
      await portal.register(chainPortalRoutes(ctx));
      await portal.register(vendorPortalRoutes(ctx));
      await portal.register(auditPortalRoutes(ctx));
      await portal.register(tokenPortalRoutes(ctx));
      await portal.register(oauthClientPortalRoutes(ctx));
      await portal.register(orderPortalRoutes(ctx));
      await portal.register(portalActorRoutes(ctx));
      await portal.register(webhookPortalRoutes(ctx));
      await portal.register(orderMonitorPortalRoutes(ctx));
      await portal.register(dashboardPortalRoutes(ctx));
      await portal.register(catalogPortalRoutes(ctx, JOB_TYPES, [SFTP_FILE_JOB]));
      await portal.register(catalogEditPortalRoutes(ctx));
      await portal.register(sftpUploadPortalRoutes(ctx));
      await portal.register(storePortalRoutes(ctx));
      await portal.register(promotionPortalRoutes(ctx));
      await portal.register(sftpPortalRoutes(ctx));
      await portal.register(userPortalRoutes(ctx));
      await portal.register(certificationPortalRoutes(ctx));
    },
    { prefix: '/portal/api' },
  );

  // Partner Portal front end at / (after the APIs: it answers only paths none of them own).
  if (servesPortal) await registerWebApp(ctx, app);

  // GET order, the hottest read, answered in front of the hook chain when its answer is the plain one.
  if (servesApi && options.hotGetOrder !== false) installHotGetOrder(ctx, app, partnerLimit, cachedPartner);

  return app;
}

/**
 * Per-token rate limit for /v2 (RATE_LIMIT_MAX per RATE_LIMIT_WINDOW_SECONDS; 0 = off). Runs as a
 * route onRequest hook, i.e. after partnerAuth, so the key is the token (or OAuth client), not the IP.
 * Answers 429 with Retry-After and RateLimit-Limit/-Remaining/-Reset. Counters live in the process:
 * with several API processes each enforces the limit on its own.
 */
async function registerRateLimit(scope: FastifyInstance, ctx: AppContext, limit: PartnerRateLimit | undefined): Promise<void> {
  if (!limit) return;
  const seconds = ctx.config.rateLimitWindowSeconds;
  await scope.register(rateLimit, {
    global: true,
    max: limit.max,
    timeWindow: limit.windowMs,
    hook: 'onRequest',
    enableDraftSpec: true,
    // This app's counters, shared with the hot GET route (orders/get-order.hot.ts).
    store: sharedStoreCtor(limit) as never,
    keyGenerator: (request) => {
      const p = request.partner;
      return p ? partnerRateLimitKey(p) : `ip:${request.ip}`;
    },
    errorResponseBuilder: (_request, context) =>
      new AppError('TOO_MANY_REQUESTS', `Rate limit exceeded: at most ${context.max} requests per ${seconds} s per token; retry after ${Math.max(1, Math.ceil(context.ttl / 1000))} s`),
  });
}
