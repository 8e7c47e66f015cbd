import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import { createToken } from '../tokens/tokens.service.js';
import { bearer, seedChain, type ChainFixture } from '../test-support/fixtures.js';
import { createTestContext, type TestContext } from '../test-support/test-db.js';

describe('per-token rate limiting on /v2', () => {
  let t: TestContext;
  let app: FastifyInstance;
  let a: ChainFixture;

  beforeAll(async () => {
    t = await createTestContext({ config: { rateLimitMax: 3, rateLimitWindowSeconds: 60 } });
    app = await buildApp(t.ctx);
    a = await seedChain(t.ctx, 'Limited');
  });
  afterAll(async () => {
    await app.close();
    await t.close();
  });

  const call = (token: string) => app.inject({ method: 'GET', url: `/v2/chains/${a.chain.id}/vendors/${a.direct.code}/catalog`, headers: bearer(token) });

  it('answers 429 with Retry-After and RateLimit headers once a token exceeds its budget; other tokens are unaffected', async () => {
    for (let i = 0; i < 3; i++) {
      const ok = await call(a.token);
      expect(ok.statusCode).toBe(200);
      expect(ok.headers['ratelimit-limit']).toBe('3');
      expect(ok.headers['ratelimit-remaining']).toBe(String(2 - i));
    }
    const limited = await call(a.token);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('TOO_MANY_REQUESTS');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['ratelimit-remaining']).toBe('0');
    expect(Number(limited.headers['ratelimit-reset'])).toBeGreaterThan(0);
    const { secret } = await createToken(t.ctx, a.chain.id, { name: 'Catalog management' }, 'test');
    expect((await call(secret)).statusCode).toBe(200);
  });

  it('does not count requests without a valid token against anyone (401 first)', async () => {
    const res = await app.inject({ method: 'GET', url: `/v2/chains/${a.chain.id}/vendors`, headers: bearer('cmd_live_nope') });
    expect(res.statusCode).toBe(401);
  });

  it('documents the catalog routes in /openapi.json', async () => {
    const res = await app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json().paths);
    expect(paths).toContain('/v2/chains/{chain_id}/vendors/{vendor_id}/catalog');
    expect(paths).toContain('/v2/chains/{chain_id}/catalog/jobs/{job_id}/results');
  });
});
