import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import type { ServerRole } from '../src/platform/roles.js';
import { envFor, runComanda, startServerProcess, type ServerProcess } from '../src/test-support/processes.js';
import { createTestContext, createTestDatabase, testDialect, type TestContext, type TestDatabase } from '../src/test-support/test-db.js';
import { freePort } from '../src/test-support/webhook-receiver.js';

/** Paths of each HTTP surface, and what answers when the surface is served (anything but the JSON 404). */
const SURFACES: Record<string, Array<{ method: 'GET' | 'POST'; url: string }>> = {
  api: [
    { method: 'GET', url: '/v2/chains/00000000-0000-4000-8000-000000000000/vendors' },
    { method: 'POST', url: '/v2/oauth/token' },
    { method: 'GET', url: '/platform/v1/chains' },
    { method: 'GET', url: '/openapi.json' },
    { method: 'GET', url: '/docs/' },
  ],
  portal: [
    { method: 'GET', url: '/portal/api/session' },
    { method: 'POST', url: '/portal/api/session' },
    { method: 'GET', url: '/' },
    { method: 'GET', url: '/orders' },
  ],
};

function isRouteNotFound(status: number, body: string): boolean {
  return status === 404 && body.includes('ROUTE_NOT_FOUND');
}

describe('--roles limits the HTTP surface (buildApp per role set)', () => {
  let t: TestContext;
  const apps: FastifyInstance[] = [];

  beforeAll(async () => {
    t = await createTestContext();
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await t.close();
  });

  it.each<[string, ServerRole[]]>([
    ['worker', ['worker']],
    ['sftp', ['sftp']],
    ['api', ['api']],
    ['portal', ['portal']],
    ['api,portal', ['api', 'portal']],
    ['all', ['api', 'worker', 'sftp', 'portal']],
  ])('%s: serves exactly its surfaces, plus /health and /metrics', async (_name, roles) => {
    const app = await buildApp(t.ctx, roles);
    apps.push(app);
    for (const [surface, requests] of Object.entries(SURFACES)) {
      const served = roles.includes(surface as ServerRole);
      for (const r of requests) {
        const res = await app.inject({ method: r.method, url: r.url, ...(r.method === 'POST' ? { payload: {} } : {}) });
        expect(isRouteNotFound(res.statusCode, res.body), `${roles.join(',')} ${r.method} ${r.url} → ${res.statusCode}`).toBe(!served);
      }
    }
    expect((await app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(200);
  });

  it('the OpenAPI document of an api process describes the APIs it serves, not the portal', async () => {
    const apiOnly = await buildApp(t.ctx, ['api']);
    apps.push(apiOnly);
    const partner = Object.keys((await apiOnly.inject({ method: 'GET', url: '/openapi.json' })).json().paths as Record<string, unknown>);
    const platform = Object.keys((await apiOnly.inject({ method: 'GET', url: '/platform/openapi.json' })).json().paths as Record<string, unknown>);
    expect(partner.some((p) => p.startsWith('/v2/'))).toBe(true);
    expect(platform.some((p) => p.startsWith('/platform/v1/'))).toBe(true);
    expect([...partner, ...platform].some((p) => p.startsWith('/portal/api/'))).toBe(false);
  });
});

describe('comanda serve: roles and the one-process rule of SQLite (real processes)', { timeout: 300_000 }, () => {
  let tdb: TestDatabase;
  let env: Record<string, string>;
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    tdb = await createTestDatabase();
    env = envFor(tdb.config, { SFTP_PORT: '0' });
  });
  afterAll(async () => {
    for (const s of servers) await s.kill();
    await tdb.drop();
  });

  it('a worker process answers health and metrics only', async () => {
    const worker = await startServerProcess(env, 'worker');
    servers.push(worker);
    expect((await fetch(`${worker.url}/health/ready`)).status).toBe(200);
    expect((await fetch(`${worker.url}/metrics`)).status).toBe(200);
    for (const url of ['/v2/chains/x/vendors', '/platform/v1/chains', '/portal/api/session', '/', '/docs/', '/openapi.json']) {
      const res = await fetch(`${worker.url}${url}`);
      expect(res.status, url).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code, url).toBe('ROUTE_NOT_FOUND');
    }
    await worker.stop();
    servers.splice(servers.indexOf(worker), 1);
  });

  it('SQLite: a second serve on the same file is refused with a clear message; a dead one (kill -9) does not block a restart', async () => {
    if (testDialect() !== 'sqlite') return;
    const first = await startServerProcess(env, 'api');
    servers.push(first);
    const second = await runComanda(['serve', '--roles', 'api'], { ...env, PORT: String(await freePort()) });
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(new RegExp(`^error: ${tdb.config.sqlitePath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is already served by process ${first.child.pid}`, 'm'));
    expect(second.stderr).toMatch(/DATABASE_URL to PostgreSQL/);
    expect(second.stderr).not.toMatch(/database is locked|\n\s+at /);
    // The first one never noticed.
    expect((await fetch(`${first.url}/health/ready`)).status).toBe(200);
    // CLI commands still work beside the server (they are short, not a second server).
    expect((await runComanda(['chain', 'list'], env)).code).toBe(0);

    await first.kill();
    expect(fs.existsSync(`${tdb.config.sqlitePath}.lock`)).toBe(true);
    const restarted = await startServerProcess(env, 'api');
    servers.push(restarted);
    expect((await fetch(`${restarted.url}/health/ready`)).status).toBe(200);
    expect(fs.statSync(`${tdb.config.sqlitePath}.lock`).mode & 0o777).toBe(0o600);
  });

  it('PostgreSQL: several serve processes on one database is the supported way to scale', async () => {
    if (testDialect() !== 'postgres') return;
    const a = await startServerProcess(env, 'api');
    servers.push(a);
    const b = await startServerProcess(env, 'api,worker');
    servers.push(b);
    expect((await fetch(`${a.url}/health/ready`)).status).toBe(200);
    expect((await fetch(`${b.url}/health/ready`)).status).toBe(200);
  });
});
