import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { AppContext } from '../platform/context.js';
import { authenticateAccessToken, cachedAccessToken, looksLikeAccessToken } from '../oauth/index.js';
import { authenticateOperatorKey } from '../operator/index.js';
import { findSession, SESSION_COOKIE } from '../users/index.js';
import { safeEqual } from '../platform/secrets.js';
import { authenticateApiToken, cachedApiToken, looksLikeApiToken } from '../tokens/index.js';
import { partnerVendor } from '../vendors/index.js';
import { AppError } from '../platform/errors.js';
import { requireChainRole, type PartnerPrincipal } from '../platform/access.js';


/** The secret of an `Authorization: Bearer …` header: undefined without the header, '' when it is not a bearer. */
function bearerOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  return match ? match[1] : '';
}

function bearer(request: FastifyRequest): string | undefined {
  return bearerOf(request.headers.authorization);
}

/**
 * The partner an Authorization header speaks for when the credential cache already vouches for it
 * (no database access, no last_used_at write due), else undefined: then partnerAuth must run. What
 * partnerAuth would accept is a superset of what this accepts.
 */
export function cachedPartner(ctx: AppContext, authorization: string | undefined): PartnerPrincipal | undefined {
  const secret = bearerOf(authorization);
  if (!secret) return undefined;
  if (looksLikeApiToken(secret)) return cachedApiToken(ctx, secret);
  if (looksLikeAccessToken(secret)) return cachedAccessToken(ctx, secret);
  return undefined;
}

/** onRequest hook for /v2: a portal API token or an OAuth access token, both chain-scoped. */
export function partnerAuth(ctx: AppContext) {
  return async (request: FastifyRequest): Promise<void> => {
    const secret = bearer(request);
    if (secret === undefined) throw new AppError('UNAUTHENTICATED');
    let principal: PartnerPrincipal | undefined;
    if (looksLikeApiToken(secret)) principal = await authenticateApiToken(ctx, secret);
    else if (looksLikeAccessToken(secret)) principal = await authenticateAccessToken(ctx, secret);
    if (!principal) throw new AppError('INVALID_TOKEN', undefined, undefined, { 'www-authenticate': 'Bearer error="invalid_token"' });
    request.partner = principal;
    // Isolation before anything else looks at the request (even body validation): a path naming
    // another chain is a 404, whatever the route.
    const params = request.params as { chain_id?: string; vendor_id?: string } | undefined;
    if (params?.chain_id !== undefined && params.chain_id !== principal.chainId) throw new AppError('CHAIN_NOT_FOUND');
    if (params?.chain_id !== undefined && params.vendor_id !== undefined) await partnerVendor(ctx, request, params.chain_id, params.vendor_id);
  };
}

/** onRequest hook for /platform/v1: `Authorization: Bearer <operator key>`. */
export function operatorAuth(ctx: AppContext) {
  return async (request: FastifyRequest): Promise<void> => {
    const secret = bearer(request);
    if (secret === undefined) throw new AppError('UNAUTHENTICATED', 'Missing credentials: send Authorization: Bearer <operator key>');
    const principal = await authenticateOperatorKey(ctx, secret);
    if (!principal) throw new AppError('INVALID_OPERATOR_KEY');
    request.operator = principal;
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * onRequest hook for the portal JSON API: a session cookie, and on every state-changing call the
 * session's CSRF token in the x-csrf-token header (a cross-site form cannot set headers).
 */
export function sessionAuth(ctx: AppContext) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const sid = request.cookies[SESSION_COOKIE];
    const session = sid ? await findSession(ctx, sid) : undefined;
    if (!session) throw new AppError('SESSION_REQUIRED');
    if (!SAFE_METHODS.has(request.method)) {
      const sent = request.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !safeEqual(sent, session.csrfToken)) throw new AppError('CSRF_TOKEN_INVALID');
    }
    request.portal = session;
    // Non-members learn nothing about a chain, whatever the route: 404 before validation or handlers.
    const chainId = (request.params as { chainId?: string } | undefined)?.chainId;
    if (chainId !== undefined && !session.user.is_operator && !session.user.memberships.some((m) => m.chain_id === chainId)) {
      throw new AppError('CHAIN_NOT_FOUND');
    }
  };
}

/**
 * preHandler hook for the portal JSON API, after sessionAuth: the role the route declares
 * (`config: { chainRole }`) on the chain of its `:chainId` path parameter. A preHandler, so parameter
 * and body validation answer first, as they did when each handler checked the role itself; the
 * session (401) and the membership (404) are already settled by sessionAuth.
 */
export async function chainRoleGuard(request: FastifyRequest): Promise<void> {
  const role = request.routeOptions.config.chainRole;
  if (!role) return;
  const chainId = (request.params as { chainId?: string } | undefined)?.chainId;
  // A declared role without a chain to check it on is a programming error: refuse, never let it through.
  if (chainId === undefined) throw new Error(`${request.routeOptions.url ?? request.url}: chainRole declared on a route without :chainId`);
  requireChainRole(request, chainId, role);
}

/**
 * onRoute hook for the portal JSON API: fail closed at startup. A route whose URL names a chain
 * (`:chainId`) must declare the role it needs, so a new route cannot forget the guard.
 */
export function requireDeclaredChainRole(route: RouteOptions): void {
  if (route.url.includes(':chainId') && !route.config?.chainRole) {
    throw new Error(`Portal route ${route.method} ${route.url} has :chainId but declares no config.chainRole ('staff' or 'admin')`);
  }
}
