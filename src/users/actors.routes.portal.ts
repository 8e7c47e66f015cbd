import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../platform/context.js';

import { errors, sessionSecurity } from '../platform/http/schemas.js';
import { chainActors } from './actors.service.js';

const ActorLabel = Type.Object({
  actor: Type.String({ description: 'as stored: user:<id>, operator-key:<id>, api-token:<id>, oauth-client:<id>, cli, system' }),
  kind: Type.Union([
    Type.Literal('user'),
    Type.Literal('operator-key'),
    Type.Literal('api-token'),
    Type.Literal('oauth-client'),
    Type.Literal('cli'),
    Type.Literal('system'),
    Type.Literal('other'),
  ]),
  name: Type.Union([Type.String(), Type.Null()]),
  email: Type.Union([Type.String(), Type.Null()]),
});

/** Shops Integrations helper: readable names for "created by" and audit actors. */
export function portalActorRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/chains/:chainId/actors',
      {
        config: { chainRole: 'admin' },
        schema: {
          tags: ['Portal: Shops Integrations'],
          summary: 'Names of the people and keys that created tokens, clients or audit entries of this chain',
          security: sessionSecurity,
          params: Type.Object({ chainId: Type.String({ format: 'uuid' }) }),
          response: { 200: Type.Object({ actors: Type.Array(ActorLabel) }), ...errors(401, 403, 404) },
        },
      },
      async (request) => {
        return { actors: await chainActors(ctx, request.params.chainId) };
      },
    );
  };
}
