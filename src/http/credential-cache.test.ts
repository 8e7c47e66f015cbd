import { describe, expect, it } from 'vitest';
import { iso } from '../db/rows.js';
import { ManualClock } from '../platform/clock.js';
import { bearer } from '../test-support/fixtures.js';
import { createToken } from '../tokens/tokens.service.js';
import { credentialCache } from '../platform/credential-cache.js';
import { useTestApp } from '../test-support/test-app.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One process: the cache is used, and revocation, expiry and the TTL all still hold. */
describe('credential cache (one process)', () => {
  const clock = new ManualClock(new Date());
  // A long TTL: only an explicit forget can explain a refusal within these tests.
  const s = useTestApp({ chains: { a: 'Cache A' }, logins: { admin: ['a', 'admin'] }, clock, config: { tokenCacheTtlMs: 60_000 } });

  const call = (secret: string) => s.app.inject({ method: 'GET', url: `/v2/chains/${s.a.chain.id}/vendors`, headers: bearer(secret) });
  const portal = { cookie: () => s.admin.cookie, csrf: () => s.admin.csrf };

  it('answers from the cache: a revocation written behind its back is not seen until the TTL', async () => {
    const { token, secret } = await createToken(s.ctx, s.a.chain.id, { name: 'Cached' }, 'test');
    expect((await call(secret)).statusCode).toBe(200);
    // Not through the service (as a process that does not broadcast would): the cache still trusts it.
    await s.ctx.db.updateTable('api_tokens').set({ revoked_at: clock.now().toISOString() }).where('id', '=', token.id).execute();
    expect((await call(secret)).statusCode).toBe(200);
    credentialCache(s.ctx).clear();
    expect((await call(secret)).statusCode).toBe(401);
  });

  it('refuses a token revoked through the portal at once, though it was cached', async () => {
    const { token, secret } = await createToken(s.ctx, s.a.chain.id, { name: 'Revoked at once' }, 'test');
    expect((await call(secret)).statusCode).toBe(200);
    expect((await call(secret)).statusCode).toBe(200);
    const res = await s.app.inject({ method: 'DELETE', url: `/portal/api/chains/${s.a.chain.id}/tokens/${token.id}`, headers: { cookie: portal.cookie(), 'x-csrf-token': portal.csrf() } });
    expect(res.statusCode).toBe(200);
    const refused = await call(secret);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.code).toBe('INVALID_TOKEN');
  });

  it('refuses an OAuth access token at once when its client is revoked, though it was cached', async () => {
    const created = await s.app.inject({ method: 'POST', url: `/portal/api/chains/${s.a.chain.id}/oauth-clients`, headers: { cookie: portal.cookie(), 'x-csrf-token': portal.csrf() }, payload: { name: 'Cached client' } });
    const { client, client_secret } = created.json();
    const issued = await s.app.inject({ method: 'POST', url: '/v2/oauth/token', payload: { grant_type: 'client_credentials', client_id: client.client_id, client_secret } });
    const access = issued.json().access_token as string;
    expect((await call(access)).statusCode).toBe(200);
    expect((await call(access)).statusCode).toBe(200);
    const res = await s.app.inject({ method: 'DELETE', url: `/portal/api/chains/${s.a.chain.id}/oauth-clients/${client.id}`, headers: { cookie: portal.cookie(), 'x-csrf-token': portal.csrf() } });
    expect(res.statusCode).toBe(200);
    expect((await call(access)).statusCode).toBe(401);
  });

  it('refuses a cached token the moment it expires', async () => {
    const { secret } = await createToken(s.ctx, s.a.chain.id, { name: 'Expiring', expires_at: new Date(clock.now().getTime() + 60_000).toISOString() }, 'test');
    expect((await call(secret)).statusCode).toBe(200);
    clock.advance(59_000);
    expect((await call(secret)).statusCode).toBe(200);
    clock.advance(1_000);
    expect((await call(secret)).statusCode).toBe(401);
  });

  it('writes last_used_at at most once a minute on cache hits', async () => {
    const { token, secret } = await createToken(s.ctx, s.a.chain.id, { name: 'Last used' }, 'test');
    const lastUsed = async () => (await s.ctx.db.selectFrom('api_tokens').select('last_used_at').where('id', '=', token.id).executeTakeFirstOrThrow()).last_used_at;
    expect((await call(secret)).statusCode).toBe(200);
    const first = await lastUsed();
    expect(first).not.toBeNull();
    clock.advance(30_000);
    expect((await call(secret)).statusCode).toBe(200);
    expect(await lastUsed()).toEqual(first);
    clock.advance(31_000);
    expect((await call(secret)).statusCode).toBe(200);
    expect(new Date(iso(await lastUsed())).getTime()).toBe(clock.now().getTime());
  });
});

describe('credential cache TTL', () => {
  const TTL = 1500;

  const s = useTestApp({ chains: { a: 'Cache TTL' }, config: { tokenCacheTtlMs: TTL } });

  it('never lets a token revoked without a broadcast through after the TTL', async () => {
    const { token, secret } = await createToken(s.ctx, s.a.chain.id, { name: 'TTL' }, 'test');
    const call = () => s.app.inject({ method: 'GET', url: `/v2/chains/${s.a.chain.id}/vendors`, headers: bearer(secret) });
    expect((await call()).statusCode).toBe(200);
    // Revoked the way another process on SQLite would: no message reaches this one.
    await s.ctx.db.updateTable('api_tokens').set({ revoked_at: new Date().toISOString() }).where('id', '=', token.id).execute();
    const revokedAt = performance.now();
    const seen: Array<{ sentAfterMs: number; status: number }> = [];
    while (performance.now() - revokedAt < TTL + 700) {
      const sentAfterMs = performance.now() - revokedAt;
      seen.push({ sentAfterMs, status: (await call()).statusCode });
      await sleep(10);
    }
    // Within the bound the cached answer may stand (and here it does: the cache is in use)…
    expect(seen.some((s) => s.status === 200)).toBe(true);
    // …but nothing sent after the bound gets through.
    const late = seen.filter((s) => s.sentAfterMs >= TTL);
    expect(late.length).toBeGreaterThan(0);
    expect(late.filter((s) => s.status !== 401)).toEqual([]);
  });
});
