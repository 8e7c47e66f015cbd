import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { bearer, portalLogin, seedChain, type ChainFixture, type PortalLogin } from '../src/test-support/fixtures.js';
import { createTestContext, type TestContext } from '../src/test-support/test-db.js';

/**
 * Tenant isolation on every route that exists, discovered from the generated OpenAPI of every route so a new route
 * is covered the day it is added: chain A's credentials on any path of chain B answer 404.
 */
describe('cross-chain isolation on every route', () => {
  let t: TestContext;
  let app: FastifyInstance;
  let a: ChainFixture;
  let b: ChainFixture;
  let adminA: PortalLogin;
  let paths: Record<string, Record<string, unknown>>;

  beforeAll(async () => {
    t = await createTestContext();
    app = await buildApp(t.ctx);
    a = await seedChain(t.ctx, 'Iso A');
    b = await seedChain(t.ctx, 'Iso B');
    adminA = await portalLogin(app, a.admin.email, a.admin.password);
    // Every route the app serves (the published documents leave the portal out): the generated whole.
    await app.ready();
    paths = app.swagger().paths as Record<string, Record<string, unknown>>;
  });
  afterAll(async () => {
    await app.close();
    await t.close();
  });

  const METHODS = ['get', 'put', 'post', 'patch', 'delete'];
  const RANDOM_ID = '6f1c1a52-8a43-4c39-9a53-6d0d6e3b1f00';

  /** Fills a templated path: the chain and vendor of `target`, a random UUID for every other id. */
  function fill(template: string, target: ChainFixture): string {
    return template.replace(/\{(\w+)\}/g, (_, name: string) => {
      if (name === 'chain_id' || name === 'chainId') return target.chain.id;
      if (name === 'vendor_id' || name === 'vendorRef') return target.direct.code;
      return RANDOM_ID;
    });
  }

  function routes(prefix: string, param: string): Array<{ method: string; path: string }> {
    const out: Array<{ method: string; path: string }> = [];
    for (const [path, ops] of Object.entries(paths)) {
      if (!path.startsWith(prefix) || !path.includes(`{${param}}`)) continue;
      for (const m of METHODS) if (ops[m]) out.push({ method: m.toUpperCase(), path });
    }
    return out;
  }

  it('discovers the partner and portal routes to check', () => {
    expect(routes('/v2/', 'chain_id').length).toBeGreaterThanOrEqual(2);
    expect(routes('/portal/api/', 'chainId').length).toBeGreaterThanOrEqual(6);
  });

  it("answers 404 to chain A's token on every /v2 path of chain B", async () => {
    for (const r of routes('/v2/', 'chain_id')) {
      const res = await app.inject({ method: r.method as 'GET', url: fill(r.path, b), headers: bearer(a.token), payload: ['GET', 'DELETE'].includes(r.method) ? undefined : {} });
      expect(res.statusCode, `${r.method} ${r.path}`).toBe(404);
      expect(res.json().error.code, `${r.method} ${r.path}`).toMatch(/_NOT_FOUND$/);
    }
  });

  it("answers 404 to chain A's token on chain A paths naming chain B's vendor", async () => {
    for (const r of routes('/v2/', 'vendor_id')) {
      const url = fill(r.path, a).replace(a.direct.code, b.direct.code);
      const res = await app.inject({ method: r.method as 'GET', url, headers: bearer(a.token), payload: ['GET', 'DELETE'].includes(r.method) ? undefined : {} });
      expect(res.statusCode, `${r.method} ${r.path}`).toBe(404);
      expect(res.json().error.code, `${r.method} ${r.path}`).toBe('VENDOR_NOT_FOUND');
    }
  });

  it("answers 404 to chain A's admin on every portal path of chain B", async () => {
    for (const r of routes('/portal/api/', 'chainId')) {
      const res = await app.inject({
        method: r.method as 'GET',
        url: fill(r.path, b),
        headers: { cookie: adminA.cookie, 'x-csrf-token': adminA.csrf },
        payload: ['GET', 'DELETE'].includes(r.method) ? undefined : {},
      });
      expect(res.statusCode, `${r.method} ${r.path}`).toBe(404);
    }
  });

  it('still serves the owner (the 404s above are isolation, not broken routes)', async () => {
    const own = await app.inject({ method: 'GET', url: `/v2/chains/${b.chain.id}/vendors/${b.direct.code}`, headers: bearer(b.token) });
    expect(own.statusCode).toBe(200);
    const byExternal = await app.inject({ method: 'GET', url: `/v2/chains/${b.chain.id}/vendors/${b.direct.external_id}`, headers: bearer(b.token) });
    expect(byExternal.json().code).toBe(b.direct.code);
  });
});
