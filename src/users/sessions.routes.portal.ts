import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../platform/context.js';
import { errors, sessionSecurity } from '../platform/http/schemas.js';
import { login, logout, SESSION_COOKIE } from './sessions.service.js';
import { publicUser } from './users.repository.js';
import { User } from './users.schemas.js';

const tags = ['Portal'];
const SessionInfo = Type.Object({ user: User, csrf_token: Type.String(), expires_at: Type.String({ format: 'date-time' }) });
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
  };
}
