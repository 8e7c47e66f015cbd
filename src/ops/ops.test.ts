import { describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { bearer, portalLogin } from '../test-support/fixtures.js';
import { captureLog } from '../test-support/log-capture.js';
import { useTestApp } from '../test-support/test-app.js';
import { testDialect } from '../test-support/test-db.js';

describe('operations: health, metrics, OpenAPI, docs, logs', () => {
  const log = captureLog('trace');

  const fx = useTestApp({ chains: { a: 'Ops' }, log: log.logger });

  it('runs on the database this test run is for (no silent fallback)', () => {
    expect(fx.ctx.dialect).toBe(testDialect());
    if (process.env.COMANDA_TEST_DB === 'postgres') expect(fx.ctx.config.databaseUrl).toMatch(/^postgres:\/\//);
  });

  it('reports liveness and readiness', async () => {
    expect((await fx.app.inject({ method: 'GET', url: '/health/live' })).json()).toEqual({ status: 'ok' });
    const ready = await fx.app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ok', database: testDialect() });
  });

  it('exposes Prometheus metrics including request latency by route', async () => {
    await fx.app.inject({ method: 'GET', url: `/v2/chains/${fx.a.chain.id}/vendors`, headers: bearer(fx.a.token) });
    const res = await fx.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toContain('comanda_http_request_duration_seconds_bucket');
    expect(res.body).toContain('route="/v2/chains/:chain_id/vendors"');
    expect(res.body).toContain('comanda_process_cpu_seconds_total');
  });

  it('serves OpenAPI 3.1 documents generated from the route schemas: the partner API and, apart, the operator API', async () => {
    const doc = (await fx.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/v2/oauth/token'].post).toBeDefined();
    expect(doc.paths['/v2/chains/{chain_id}/vendors/{vendor_id}'].get.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.components.securitySchemes.bearerAuth.scheme).toBe('bearer');
    const paths = Object.keys(doc.paths);
    expect(paths.every((p) => p.startsWith('/v2/'))).toBe(true);
    const platform = (await fx.app.inject({ method: 'GET', url: '/platform/openapi.json' })).json();
    expect(platform.paths['/platform/v1/orders'].post.security).toEqual([{ operatorKey: [] }]);
    expect(Object.keys(platform.paths).some((p) => p.startsWith('/v2/') || p.startsWith('/portal/'))).toBe(false);
    expect(platform.components.securitySchemes.bearerAuth).toBeUndefined();
  });

  it('serves the interactive reference at /docs with its assets bundled (works offline)', async () => {
    const page = await fx.app.inject({ method: 'GET', url: '/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('swagger-ui');
    expect(page.body).not.toMatch(/https?:\/\/(cdn|unpkg|cdnjs)/);
    const bundle = await fx.app.inject({ method: 'GET', url: '/docs/static/swagger-ui-bundle.js' });
    expect(bundle.statusCode).toBe(200);
    expect(bundle.body.length).toBeGreaterThan(100_000);
  });

  it('echoes a request id and never logs secrets', async () => {
    const res = await fx.app.inject({ method: 'GET', url: `/v2/chains/${fx.a.chain.id}/vendors`, headers: { ...bearer(fx.a.token), 'x-request-id': 'req-abc-123' } });
    expect(res.headers['x-request-id']).toBe('req-abc-123');
    const login = await portalLogin(fx.app, fx.a.admin.email, fx.a.admin.password);
    const created = await fx.app.inject({ method: 'POST', url: `/portal/api/chains/${fx.a.chain.id}/tokens`, headers: { cookie: login.cookie, 'x-csrf-token': login.csrf }, payload: { name: 'Logged?' } });
    const secret = created.json().secret as string;
    await fx.app.inject({ method: 'GET', url: `/v2/chains/${fx.a.chain.id}/vendors`, headers: bearer(secret) });
    expect(log.text()).toContain('req-abc-123');
    expect(log.text().length).toBeGreaterThan(0);
    for (const s of [fx.a.token, secret, fx.a.admin.password, login.csrf, login.cookie.split('=')[1]!]) expect(log.text()).not.toContain(s);
  });

  it('never leaks internals on a 5xx', async () => {
    const fresh = await buildApp(fx.ctx);
    fresh.get('/__boom', async () => {
      throw new Error('SELECT secret FROM internals');
    });
    const res = await fresh.inject({ method: 'GET', url: '/__boom' });
    await fresh.close();
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: { code: 'INTERNAL_ERROR', message: 'Internal error' } });
  });
});
