import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChainRole, SessionUser } from '../platform/access.js';
import { registerErrorHandler } from '../platform/http/error-handler.js';
import { chainRoleGuard, requireDeclaredChainRole } from './auth.js';

const CHAIN = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';

function user(role: ChainRole | undefined, isOperator = false): SessionUser {
  return { id: 'u1', email: 'u@example.test', name: 'U', is_operator: isOperator, memberships: role ? [{ chain_id: CHAIN, role }] : [], created_at: '2026-01-01T00:00:00.000Z' };
}

/** A portal-like scope: a stand-in session hook (header `x-as`: staff, admin, operator), the guard and the startup check of app.ts. */
async function portalApp(routes: (portal: FastifyInstance) => void): Promise<FastifyInstance> {
  const app = Fastify();
  registerErrorHandler(app);
  await app.register(async (portal) => {
    portal.addHook('onRequest', async (request) => {
      const as = request.headers['x-as'];
      if (as === 'staff' || as === 'admin') request.portal = { user: user(as), csrfToken: 'x', expiresAt: '2099-01-01T00:00:00.000Z' };
      if (as === 'operator') request.portal = { user: user(undefined, true), csrfToken: 'x', expiresAt: '2099-01-01T00:00:00.000Z' };
    });
    portal.addHook('onRoute', requireDeclaredChainRole);
    portal.addHook('preHandler', chainRoleGuard);
    routes(portal);
  });
  await app.ready();
  return app;
}

describe('the chain role guard (config.chainRole)', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('lets admins and operators into an admin route; refuses staff (403), another chain (404) and no session (401)', async () => {
    app = await portalApp((p) => {
      p.get('/chains/:chainId/secret', { config: { chainRole: 'admin' } }, async () => ({ ok: true }));
    });
    const get = (chainId: string, as?: string) => app!.inject({ method: 'GET', url: `/chains/${chainId}/secret`, headers: as ? { 'x-as': as } : {} });
    expect((await get(CHAIN, 'admin')).statusCode).toBe(200);
    expect((await get(OTHER, 'operator')).statusCode).toBe(200);
    const staff = await get(CHAIN, 'staff');
    expect(staff.statusCode).toBe(403);
    expect(staff.json().error.code).toBe('FORBIDDEN');
    const other = await get(OTHER, 'admin');
    expect(other.statusCode).toBe(404);
    expect(other.json().error.code).toBe('CHAIN_NOT_FOUND');
    const none = await get(CHAIN);
    expect(none.statusCode).toBe(401);
    expect(none.json().error.code).toBe('SESSION_REQUIRED');
  });

  it('lets staff and admins into a staff route', async () => {
    app = await portalApp((p) => {
      p.get('/chains/:chainId/open', { config: { chainRole: 'staff' } }, async () => ({ ok: true }));
    });
    for (const as of ['staff', 'admin']) expect((await app.inject({ method: 'GET', url: `/chains/${CHAIN}/open`, headers: { 'x-as': as } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: `/chains/${OTHER}/open`, headers: { 'x-as': 'staff' } })).statusCode).toBe(404);
  });

  it('checks after parameter validation, as the handlers did', async () => {
    app = await portalApp((p) => {
      p.get('/chains/:chainId/secret', { config: { chainRole: 'admin' }, schema: { params: { type: 'object', properties: { chainId: { type: 'string', format: 'uuid' } } } } }, async () => ({ ok: true }));
    });
    expect((await app.inject({ method: 'GET', url: '/chains/not-a-uuid/secret', headers: { 'x-as': 'staff' } })).statusCode).toBe(400);
  });

  it('fails closed at startup: a route with :chainId and no chainRole makes the build throw', async () => {
    await expect(portalApp((p) => p.get('/chains/:chainId/forgotten', async () => ({ ok: true })))).rejects.toThrow(/GET \/chains\/:chainId\/forgotten has :chainId but declares no config\.chainRole/);
    // Routes without a chain need no role.
    app = await portalApp((p) => p.get('/session', async () => ({ ok: true })));
    expect((await app.inject({ method: 'GET', url: '/session' })).statusCode).toBe(200);
  });
});
