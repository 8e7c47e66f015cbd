import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../platform/context.js';
import { actorOf } from '../platform/access.js';
import { errors, PageNumber, sessionSecurity } from '../platform/http/schemas.js';
import { type ActingUser, inviteMember, listMembers, memberPasswordLink, updateMember } from './chain-users.service.js';
import { inspectPasswordLink, usePasswordLink } from './password-links.service.js';
import { RoleSchema } from './users.schemas.js';

const tags = ['Portal: Users'];
const security = sessionSecurity;
const uuid = Type.String({ format: 'uuid' });
const ChainParams = Type.Object({ chainId: uuid });
const UserParams = Type.Object({ chainId: uuid, userId: uuid });
const Status = Type.Union([Type.Literal('active'), Type.Literal('invited'), Type.Literal('disabled')]);
const Member = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  role: RoleSchema,
  status: Status,
  created_at: Type.String({ format: 'date-time' }),
  disabled_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  other_chains: Type.Integer({ description: 'other chains this person works for' }),
});
const Link = Type.Object({
  url: Type.String({ description: 'one-time link to the set-password page; the secret is in the fragment' }),
  expires_at: Type.String({ format: 'date-time' }),
  purpose: Type.Union([Type.Literal('invite'), Type.Literal('reset')]),
});
const Pagination = Type.Object({ page: Type.Integer(), page_size: Type.Integer(), total_count: Type.Integer(), total_pages: Type.Integer() });
const Secret = Type.String({ minLength: 1, maxLength: 200 });

function actingUser(request: FastifyRequest): ActingUser {
  const user = request.portal!.user;
  return { actor: actorOf(request), userId: user.id, isOperator: user.is_operator };
}

/** Set-password links: public (the link is the credential), outside the session hook. */
export function passwordLinkRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/password-links/inspect',
      {
        schema: {
          tags,
          summary: 'Who a set-password link is for (before the person types a password); 404 when unknown, used or expired',
          body: Type.Object({ token: Secret }, { additionalProperties: false }),
          response: { 200: Type.Object({ email: Type.String(), name: Type.String(), purpose: Link.properties.purpose, expires_at: Type.String({ format: 'date-time' }) }), ...errors(404) },
        },
      },
      async (request) => inspectPasswordLink(ctx, request.body.token),
    );
    app.post(
      '/password-links/use',
      {
        schema: {
          tags,
          summary: 'Set the password with a one-time link (spends the link, ends every session of the user)',
          body: Type.Object({ token: Secret, password: Type.String({ maxLength: 1000 }) }, { additionalProperties: false }),
          response: { 200: Type.Object({ email: Type.String() }), ...errors(404) },
        },
      },
      async (request) => usePasswordLink(ctx, request.body.token, request.body.password),
    );
  };
}

/** Portal JSON API (chain admins): the chain's people — invite, role, deactivate, password links. */
export function userPortalRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/chains/:chainId/users',
      {
        config: { chainRole: 'admin' },
        schema: {
          tags,
          summary: "The chain's members with role and status, filtered and paged",
          security,
          params: ChainParams,
          querystring: Type.Object(
            {
              q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'part of the name or e-mail' })),
              role: Type.Optional(RoleSchema),
              status: Type.Optional(Status),
              page: Type.Optional(PageNumber()),
              page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ users: Type.Array(Member), pagination: Pagination }), ...errors(401, 403, 404) },
        },
      },
      async (request) => {
        const q = request.query;
        return listMembers(ctx, request.params.chainId, { q: q.q, role: q.role, status: q.status }, q.page ?? 1, q.page_size ?? 50);
      },
    );

    app.post(
      '/chains/:chainId/users',
      {
        config: { chainRole: 'admin' },
        schema: {
          tags,
          summary: 'Invite a person as staff or admin; a new person gets a one-time link to set their password (shown once, no e-mail is sent)',
          security,
          params: ChainParams,
          body: Type.Object(
            { email: Type.String({ format: 'email', maxLength: 254 }), name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), role: RoleSchema },
            { additionalProperties: false },
          ),
          response: { 201: Type.Object({ user: Member, link: Type.Union([Link, Type.Null()]) }), ...errors(401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        const out = await inviteMember(ctx, request.params.chainId, request.body, actingUser(request));
        return reply.status(201).send(out);
      },
    );

    app.patch(
      '/chains/:chainId/users/:userId',
      {
        config: { chainRole: 'admin' },
        schema: {
          tags,
          summary: "Change a member's role or (de)activate them in this chain; 409 LAST_ADMIN when no active admin would be left",
          security,
          params: UserParams,
          body: Type.Object({ role: Type.Optional(RoleSchema), active: Type.Optional(Type.Boolean()) }, { additionalProperties: false, minProperties: 1 }),
          response: { 200: Member, ...errors(401, 403, 404, 409) },
        },
      },
      async (request) => {
        return updateMember(ctx, request.params.chainId, request.params.userId, request.body, actingUser(request));
      },
    );

    app.post(
      '/chains/:chainId/users/:userId/password-link',
      {
        config: { chainRole: 'admin' },
        schema: {
          tags,
          summary: 'A one-time link for the member to set a new password (a fresh invitation if they never set one); older links stop working',
          security,
          params: UserParams,
          response: { 201: Link, ...errors(401, 403, 404) },
        },
      },
      async (request, reply) => {
        return reply.status(201).send(await memberPasswordLink(ctx, request.params.chainId, request.params.userId, actingUser(request)));
      },
    );
  };
}
