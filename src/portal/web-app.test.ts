import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { ensureWebBuilt } from '../test-support/browser.js';
import { portalLogin, seedChain } from '../test-support/fixtures.js';
import { useTestApp } from '../test-support/test-app.js';
import { createTestContext, type TestContext } from '../test-support/test-db.js';

describe('portal front-end serving', () => {
  let t: TestContext;
  let app: FastifyInstance;

  beforeAll(async () => {
    t = await createTestContext();
    ensureWebBuilt(t.ctx.config.portalWebDir);
    app = await buildApp(t.ctx);
  });
  afterAll(async () => {
    await app.close();
    await t.close();
  });

  it('serves the app shell at / and at client-side routes, with a strict CSP and no caching', async () => {
    for (const url of ['/', '/login', '/chains/0b6c6f6e-0000-4000-8000-000000000000/integrations/tokens', '/index.html']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type'], url).toMatch(/^text\/html/);
      expect(res.body).toContain('<div id="root"></div>');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['x-frame-options']).toBe('DENY');
    }
  });

  it('serves hashed assets as immutable and answers missing files with a JSON 404, not the shell', async () => {
    const html = (await app.inject({ method: 'GET', url: '/' })).body;
    const js = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(js).toBeDefined();
    const asset = await app.inject({ method: 'GET', url: js! });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    for (const url of ['/assets/nope.js', '/favicon.ico', '/..%2f..%2fpackage.json', '/assets/..%2f..%2f..%2fpackage.json']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type'], url).toMatch(/json/);
    }
    expect((await app.inject({ method: 'GET', url: '/favicon.svg' })).statusCode).toBe(200);
  });

  it('never shadows the APIs, the docs or the ops endpoints', async () => {
    for (const url of ['/v2/nope', '/platform/v1/nope', '/portal/api/nope', '/health/nope', '/metrics/nope', '/docs/nope.js', '/v2']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code, url).toBe('ROUTE_NOT_FOUND');
    }
    expect((await app.inject({ method: 'GET', url: '/health/live' })).json()).toEqual({ status: 'ok' });
    expect((await app.inject({ method: 'GET', url: '/openapi.json' })).json().openapi).toBe('3.1.0');
    expect((await app.inject({ method: 'GET', url: '/docs' })).statusCode).not.toBe(404);
    expect((await app.inject({ method: 'GET', url: '/metrics' })).body).toContain('# HELP');
    // Non-GET to an app path is not the shell either.
    expect((await app.inject({ method: 'POST', url: '/chains/x/stores', payload: {} })).statusCode).toBe(404);
  });

  it('keeps the portal routes out of the OpenAPI document', async () => {
    for (const url of ['/openapi.json', '/platform/openapi.json']) {
      const paths = Object.keys((await app.inject({ method: 'GET', url })).json().paths);
      expect(paths, url).not.toContain('/*');
      expect(paths.filter((p) => p.startsWith('/portal/')), url).toEqual([]);
      expect(paths.length, url).toBeGreaterThan(3);
    }
  });
});

describe('portal front end not built', () => {
  it('answers / with a 503 that says how to build, and the APIs still work', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'comanda-noweb-'));
    const t = await createTestContext({ config: { portalWebDir: empty } });
    const app = await buildApp(t.ctx);
    try {
      const res = await app.inject({ method: 'GET', url: '/' });
      expect(res.statusCode).toBe(503);
      expect(res.body).toContain('npm run build');
      expect((await app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
    } finally {
      await app.close();
      await t.close();
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('GET /portal/api/chains/:chainId/actors', () => {
  const s = useTestApp({ chains: { a: 'Actors A' } });

  it("names the chain's actors for admins, and refuses staff and other chains", async () => {
    const admin = await portalLogin(s.app, s.a.admin.email, s.a.admin.password);
    const created = await s.app.inject({
      method: 'POST',
      url: `/portal/api/chains/${s.a.chain.id}/tokens`,
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
      payload: { name: 'by admin' },
    });
    expect(created.statusCode).toBe(201);
    const creator = created.json().token.created_by as string;
    expect(creator).toMatch(/^user:/);
    const res = await s.app.inject({ method: 'GET', url: `/portal/api/chains/${s.a.chain.id}/actors`, headers: { cookie: admin.cookie } });
    expect(res.statusCode).toBe(200);
    const actors = res.json().actors as Array<{ actor: string; kind: string; name: string | null; email: string | null }>;
    const me = actors.find((x) => x.actor === creator);
    expect(me).toMatchObject({ kind: 'user', email: s.a.admin.email });
    expect(me?.name).toBeTruthy();
    // Seed actors ('test') are listed without a name.
    expect(actors.find((x) => x.actor === 'test')).toMatchObject({ kind: 'other', name: null });
    expect(JSON.stringify(actors)).not.toContain('password');

    const staff = await portalLogin(s.app, s.a.staff.email, s.a.staff.password);
    const forbidden = await s.app.inject({ method: 'GET', url: `/portal/api/chains/${s.a.chain.id}/actors`, headers: { cookie: staff.cookie } });
    expect(forbidden.statusCode).toBe(403);
    const b = await seedChain(s.ctx, 'Actors B');
    const other = await s.app.inject({ method: 'GET', url: `/portal/api/chains/${b.chain.id}/actors`, headers: { cookie: admin.cookie } });
    expect(other.statusCode).toBe(404);
    expect((await s.app.inject({ method: 'GET', url: `/portal/api/chains/${s.a.chain.id}/actors` })).statusCode).toBe(401);
  });
});
