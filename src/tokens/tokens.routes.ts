import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../platform/context.js';
import { actorOf } from '../platform/access.js';
import { errors, sessionSecurity } from '../platform/http/schemas.js';
import { ApiToken, CreatedApiToken, CreateTokenBody, MAX_ACTIVE_TOKENS } from './tokens.schemas.js';
import { createToken, listTokens, revokeToken } from './tokens.service.js';

const Params = Type.Object({ chainId: Type.String({ format: 'uuid' }) });
const TokenParams = Type.Object({ chainId: Type.String({ format: 'uuid' }), tokenId: Type.String({ format: 'uuid' }) });

/** Shops Integrations → Token management (chain admins). */
export function tokenPortalRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/chains/:chainId/tokens',
      {
        config: { chainRole: 'admin' },
        schema: {
          tags: ['Portal: Shops Integrations'],
          summary: 'List API tokens (never their secrets)',
          security: sessionSecurity,
          params: Params,
          querystring: Type.Object({ include_revoked: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
          response: { 200: Type.Object({ tokens: Type.Array(ApiToken), max_active: Type.Integer() }), ...errors(401, 403, 404) },
        },
      },
      async (request) => {
        const tokens = await listTokens(ctx, request.params.chainId, { includeRevoked: request.query.include_revoked ?? false });
        return { tokens, max_active: MAX_ACTIVE_TOKENS };
      },
    );

    app.post(
      '/chains/:chainId/tokens',
      {
        config: { chainRole: 'admin' },
        schema: {
          tags: ['Portal: Shops Integrations'],
          summary: 'Create an API token; the secret is in this response only',
          security: sessionSecurity,
          params: Params,
          body: CreateTokenBody,
          response: { 201: CreatedApiToken, ...errors(401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        const created = await createToken(ctx, request.params.chainId, request.body, actorOf(request));
        reply.header('cache-control', 'no-store');
        return reply.status(201).send(created);
      },
    );

    app.delete(
      '/chains/:chainId/tokens/:tokenId',
      {
        config: { chainRole: 'admin' },
        schema: {
          tags: ['Portal: Shops Integrations'],
          summary: 'Revoke an API token, effective immediately',
          security: sessionSecurity,
          params: TokenParams,
          response: { 200: ApiToken, ...errors(401, 403, 404, 409) },
        },
      },
      async (request) => {
        return revokeToken(ctx, request.params.chainId, request.params.tokenId, actorOf(request));
      },
    );
  };
}
