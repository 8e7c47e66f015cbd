import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../platform/context.js';
import { actorOf } from '../platform/access.js';
import { errors, sessionSecurity } from '../platform/http/schemas.js';
import { CreatedOauthClient, CreateOauthClientBody, OauthClient, OauthErrorBody, TokenResponse } from './oauth.schemas.js';
import { createOauthClient, issueAccessToken, listOauthClients, OauthError, revokeOauthClient } from './oauth.service.js';

function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const m = header && /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  // RFC 6749 §2.3.1: both parts are form-urlencoded before Basic encoding.
  const dec = (s: string) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      return s;
    }
  };
  return { id: dec(decoded.slice(0, colon)), secret: dec(decoded.slice(colon + 1)) };
}

/** POST /v2/oauth/token — the client-credentials grant existing integrations use. Answers in RFC 6749 shape. */
export function oauthTokenRoute(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/oauth/token',
      {
        schema: {
          operationId: 'issueOAuthToken',
          tags: ['Authentication'],
          summary: 'OAuth 2.0 client credentials: exchange client_id + client_secret for a 2-hour bearer token',
          description: 'Form-encoded body (grant_type, client_id, client_secret) or HTTP Basic client authentication with grant_type in the body.',
          consumes: ['application/x-www-form-urlencoded', 'application/json'],
          // No bearer token: the client authenticates in the body or, optionally, with HTTP Basic.
          security: [{}, { clientBasic: [] }],
          response: { 200: TokenResponse, 400: OauthErrorBody, 401: OauthErrorBody },
        },
        // Errors of this route keep the OAuth shape, not ours.
        errorHandler: (err, _request, reply) => {
          // Our refusals (AppError: the text guard's INVALID_TEXT, …) carry `status`; Fastify's carry `statusCode`.
          const status = (err as { status?: number }).status ?? (err as { statusCode?: number }).statusCode ?? 500;
          if (status >= 500) {
            _request.log.error({ err }, 'oauth token endpoint failed');
            return reply.code(500 as 400).send({ error: 'server_error', error_description: 'internal error' });
          }
          return reply.status(400).send({ error: 'invalid_request', error_description: err.message });
        },
      },
      async (request, reply) => {
        const body = (request.body && typeof request.body === 'object' ? request.body : {}) as Record<string, unknown>;
        const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
        const basic = basicCredentials(request.headers.authorization);
        reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
        try {
          const token = await issueAccessToken(ctx, {
            grantType: str(body.grant_type),
            clientId: basic?.id ?? str(body.client_id),
            clientSecret: basic?.secret ?? str(body.client_secret),
          });
          return token;
        } catch (err) {
          if (!(err instanceof OauthError)) throw err;
          if (err.status === 401 && basic) reply.header('www-authenticate', 'Basic realm="comanda"');
          return reply.status(err.status).send({ error: err.error, error_description: err.description });
        }
      },
    );
  };
}

const Params = Type.Object({ chainId: Type.String({ format: 'uuid' }) });
const ClientParams = Type.Object({ chainId: Type.String({ format: 'uuid' }), clientId: Type.String({ format: 'uuid' }) });

/** Shops Integrations → OAuth clients (chain admins). */
export function oauthClientPortalRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/chains/:chainId/oauth-clients',
      {
        config: { chainRole: 'admin' },
        schema: {
          tags: ['Portal: Shops Integrations'],
          summary: 'List OAuth clients (never their secrets)',
          security: sessionSecurity,
          params: Params,
          response: { 200: Type.Object({ clients: Type.Array(OauthClient) }), ...errors(401, 403, 404) },
        },
      },
      async (request) => {
        return { clients: await listOauthClients(ctx, request.params.chainId) };
      },
    );

    app.post(
      '/chains/:chainId/oauth-clients',
      {
        config: { chainRole: 'admin' },
        schema: {
          tags: ['Portal: Shops Integrations'],
          summary: 'Create an OAuth client; the secret is in this response only',
          security: sessionSecurity,
          params: Params,
          body: CreateOauthClientBody,
          response: { 201: CreatedOauthClient, ...errors(401, 403, 404) },
        },
      },
      async (request, reply) => {
        const created = await createOauthClient(ctx, request.params.chainId, request.body.name, actorOf(request));
        reply.header('cache-control', 'no-store');
        return reply.status(201).send(created);
      },
    );

    app.delete(
      '/chains/:chainId/oauth-clients/:clientId',
      {
        config: { chainRole: 'admin' },
        schema: {
          tags: ['Portal: Shops Integrations'],
          summary: 'Revoke an OAuth client and every access token it holds',
          security: sessionSecurity,
          params: ClientParams,
          response: { 200: OauthClient, ...errors(401, 403, 404, 409) },
        },
      },
      async (request) => {
        return revokeOauthClient(ctx, request.params.chainId, request.params.clientId, actorOf(request));
      },
    );
  };
}
