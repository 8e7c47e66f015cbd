import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../platform/context.js';
import { errors, sessionSecurity } from '../platform/http/schemas.js';
import { findChain, listChains } from './chains.repository.js';
import { Chain } from './chains.schemas.js';

const tags = ['Portal'];

/** Portal JSON API: the chains the session's user can open (inside the session hook scope). */
export function chainPortalRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/chains',
      { schema: { tags, summary: 'Chains this user can open (operators: all)', security: sessionSecurity, response: { 200: Type.Object({ chains: Type.Array(Chain) }), ...errors(401) } } },
      async (request) => {
        const user = request.portal!.user;
        if (user.is_operator) return { chains: await listChains(ctx.db) };
        const chains = await Promise.all(user.memberships.map((m) => findChain(ctx.db, m.chain_id)));
        return { chains: chains.filter((c): c is Chain => c !== undefined) };
      },
    );
  };
}
