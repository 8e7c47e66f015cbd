import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { searchAudit } from '../audit/index.js';
import { Chain, findChain, listChains } from '../chains/index.js';
import type { AppContext } from '../platform/context.js';
import { actorOf } from '../platform/access.js';
import { AppError } from '../platform/errors.js';
import { errors, PageNumber, sessionSecurity } from '../platform/http/schemas.js';
import { publicUser, User } from '../users/index.js';
import { listVendors, updateVendor, Vendor } from '../vendors/index.js';
import { login, logout, SESSION_COOKIE } from './sessions.service.js';

const tags = ['Portal'];
const SessionInfo = Type.Object({ user: User, csrf_token: Type.String(), expires_at: Type.String({ format: 'date-time' }) });
const Params = Type.Object({ chainId: Type.String({ format: 'uuid' }) });
const AuditQuery = Type.Object(
  {
    actor: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'as stored: user:<id>, api-token:<id>, cli, …' })),
    action: Type.Optional(Type.String({ minLength: 1, maxLength: 100, pattern: '^[a-z_]+(\\.[a-z_]*)?$', description: 'an action (user.invite) or a family ending in a dot (catalog.)' })),
    from: Type.Optional(Type.String({ format: 'date-time', description: 'entries at or after' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'entries before' })),
    page: Type.Optional(PageNumber()),
    page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);

/** Login/logout: outside the session hook. */
export function portalLoginRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/session',
      {
        schema: {
          tags,
          summary: 'Log in with e-mail and password; sets the httpOnly session cookie',
          body: Type.Object({ email: Type.String({ minLength: 3, maxLength: 254 }), password: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
          response: { 200: SessionInfo, ...errors(401, 429) },
        },
      },
      async (request, reply) => {
        const { sessionId, session } = await login(ctx, request.body.email, request.body.password, request.ip);
        reply.setCookie(SESSION_COOKIE, sessionId, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: ctx.config.publicUrl.startsWith('https://'),
          expires: new Date(session.expiresAt),
        });
        return { user: publicUser(session.user), csrf_token: session.csrfToken, expires_at: session.expiresAt };
      },
    );
  };
}

/** The session's own routes; registered inside the session + CSRF hook scope. */
export function portalSessionRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/session',
      { schema: { tags, summary: 'Who am I; also returns the CSRF token for state-changing calls', security: sessionSecurity, response: { 200: SessionInfo, ...errors(401) } } },
      async (request) => {
        const s = request.portal!;
        return { user: publicUser(s.user), csrf_token: s.csrfToken, expires_at: s.expiresAt };
      },
    );

    app.delete(
      '/session',
      { schema: { tags, summary: 'Log out', security: sessionSecurity, response: { 204: Type.Null(), ...errors(401, 403) } } },
      async (request, reply) => {
        await logout(ctx, request.cookies[SESSION_COOKIE]!);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.status(204).send(null);
      },
    );

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

    app.get(
      '/chains/:chainId/vendors',
      { config: { chainRole: 'staff' }, schema: { tags, summary: "The chain's stores", security: sessionSecurity, params: Params, response: { 200: Type.Object({ vendors: Type.Array(Vendor) }), ...errors(401, 404) } } },
      async (request) => {
        return { vendors: await listVendors(ctx.db, request.params.chainId) };
      },
    );

    app.put(
      '/chains/:chainId/vendors/:vendorRef/external-id',
      {
        config: { chainRole: 'admin' }, schema: {
          tags: ['Portal: Shops Integrations'],
          summary: 'Vendor identifier mapping: set or clear the external id partners may use in paths and files',
          security: sessionSecurity,
          params: Type.Object({ chainId: Type.String({ format: 'uuid' }), vendorRef: Type.String({ minLength: 1, maxLength: 64 }) }),
          body: Type.Object({ external_id: Type.Union([Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._:-]+$' }), Type.Null()]) }, { additionalProperties: false }),
          response: { 200: Vendor, ...errors(401, 403, 404, 409) },
        },
      },
      async (request) => {
        return updateVendor(ctx, request.params.chainId, request.params.vendorRef, { external_id: request.body.external_id }, actorOf(request));
      },
    );

    app.get(
      '/chains/:chainId/audit',
      {
        config: { chainRole: 'admin' }, schema: {
          tags: ['Portal: Shops Integrations'],
          summary: 'Audit log: tokens, clients, webhooks, stores, users, catalog and promotion edits; filters actor, action, date; paged',
          security: sessionSecurity,
          params: Params,
          querystring: AuditQuery,
          response: {
            200: Type.Object({
              entries: Type.Array(
                Type.Object({
                  id: Type.String(),
                  actor: Type.String(),
                  action: Type.String(),
                  target_type: Type.String(),
                  target_id: Type.Union([Type.String(), Type.Null()]),
                  details: Type.Record(Type.String(), Type.Unknown()),
                  created_at: Type.String(),
                }),
              ),
              pagination: Type.Object({ page: Type.Integer(), page_size: Type.Integer(), total_count: Type.Integer(), total_pages: Type.Integer() }),
            }),
            ...errors(401, 403, 404),
          },
        },
      },
      async (request) => {
        const q = request.query;
        const page = q.page ?? 1;
        const pageSize = q.page_size ?? 50;
        if (q.from && q.to && Date.parse(q.from) >= Date.parse(q.to)) throw new AppError('INVALID_TIME_WINDOW', 'query.to must be after query.from', { fields: [{ field: 'query.to', problem: 'before query.from' }] });
        const iso = (v: string | undefined) => (v ? new Date(v).toISOString() : undefined);
        const { entries, total } = await searchAudit(ctx.db, request.params.chainId, { actor: q.actor, action: q.action, from: iso(q.from), to: iso(q.to) }, page, pageSize);
        return { entries, pagination: { page, page_size: pageSize, total_count: total, total_pages: Math.ceil(total / pageSize) } };
      },
    );
  };
}
