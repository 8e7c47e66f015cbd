import { describe, expect, it } from 'vitest';
import { createToken } from '../tokens/tokens.service.js';
import { bearer } from '../test-support/fixtures.js';
import { useTestApp } from '../test-support/test-app.js';

describe('per-token rate limiting on /v2', () => {
  const s = useTestApp({ chains: { a: 'Limited' }, config: { rateLimitMax: 3, rateLimitWindowSeconds: 60 } });

  const call = (token: string) => s.app.inject({ method: 'GET', url: `/v2/chains/${s.a.chain.id}/vendors/${s.a.direct.code}/catalog`, headers: bearer(token) });

  it('answers 429 with Retry-After and RateLimit headers once a token exceeds its budget; other tokens are unaffected', async () => {
    for (let i = 0; i < 3; i++) {
      const ok = await call(s.a.token);
      expect(ok.statusCode).toBe(200);
      expect(ok.headers['ratelimit-limit']).toBe('3');
      expect(ok.headers['ratelimit-remaining']).toBe(String(2 - i));
    }
    const limited = await call(s.a.token);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('TOO_MANY_REQUESTS');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['ratelimit-remaining']).toBe('0');
    expect(Number(limited.headers['ratelimit-reset'])).toBeGreaterThan(0);
    const { secret } = await createToken(s.ctx, s.a.chain.id, { name: 'Catalog management' }, 'test');
    expect((await call(secret)).statusCode).toBe(200);
  });

  it('does not count requests without a valid token against anyone (401 first)', async () => {
    const res = await s.app.inject({ method: 'GET', url: `/v2/chains/${s.a.chain.id}/vendors`, headers: bearer('cmd_live_nope') });
    expect(res.statusCode).toBe(401);
  });

  it('documents the catalog routes in /openapi.json', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json().paths);
    expect(paths).toContain('/v2/chains/{chain_id}/vendors/{vendor_id}/catalog');
    expect(paths).toContain('/v2/chains/{chain_id}/catalog/jobs/{job_id}/results');
  });
});
