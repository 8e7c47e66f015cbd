import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOauthClient, issueAccessToken, revokeOauthClient } from '../oauth/oauth.service.js';
import { envFor, startServerProcess, type ServerProcess } from '../test-support/processes.js';
import { useTestContext } from '../test-support/test-app.js';
import { testDialect } from '../test-support/test-db.js';
import { createToken, revokeToken } from '../tokens/tokens.service.js';

/**
 * Two processes: a real `comanda serve --roles api` child caches a credential, and this test process
 * revokes it. On Postgres the revocation is broadcast (NOTIFY): the child refuses well within a TTL
 * set far longer than the test. On SQLite nothing is broadcast: the TTL is the bound, and nothing
 * sent to the child after it gets through.
 */
describe('credential cache across processes', () => {
  const postgres = testDialect() === 'postgres';
  const TTL = postgres ? 60_000 : 1500;
  /** Postgres: how soon after the commit the broadcast must have reached the other process. */
  const BROADCAST_MS = 3000;
  const s = useTestContext({ chains: { a: 'Cache processes' } });
  let server: ServerProcess;

  beforeAll(async () => {
    server = await startServerProcess(envFor(s.ctx.config, { TOKEN_CACHE_TTL_MS: String(TTL), RATE_LIMIT_MAX: '0' }), 'api');
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
  });

  const call = async (secret: string) => (await fetch(`${server.url}/v2/chains/${s.a.chain.id}/vendors`, { headers: { authorization: `Bearer ${secret}` } })).status;

  /** Calls until `untilMs` after `from`, recording when each request was sent (ms after `from`) and its status. */
  async function hammer(secret: string, from: number, untilMs: number): Promise<Array<{ sentAfterMs: number; status: number }>> {
    const seen: Array<{ sentAfterMs: number; status: number }> = [];
    while (performance.now() - from < untilMs) {
      const sentAfterMs = performance.now() - from;
      seen.push({ sentAfterMs, status: await call(secret) });
      await new Promise((r) => setTimeout(r, 10));
    }
    return seen;
  }

  function expectRefusedAfter(seen: Array<{ sentAfterMs: number; status: number }>, boundMs: number): void {
    const late = seen.filter((s) => s.sentAfterMs >= boundMs);
    expect(late.length).toBeGreaterThan(0);
    expect(late.filter((s) => s.status !== 401)).toEqual([]);
  }

  it('a revoked API token is refused by the other process within the bound', async () => {
    const { token, secret } = await createToken(s.ctx, s.a.chain.id, { name: 'Other process' }, 'test');
    for (let i = 0; i < 3; i++) expect(await call(secret)).toBe(200);
    await revokeToken(s.ctx, s.a.chain.id, token.id, 'test');
    const committed = performance.now();
    const bound = postgres ? BROADCAST_MS : TTL;
    expectRefusedAfter(await hammer(secret, committed, bound + 800), bound);
  }, 60_000);

  it('an OAuth access token is refused by the other process within the bound once its client is revoked', async () => {
    const { client, client_secret } = await createOauthClient(s.ctx, s.a.chain.id, 'Other process client', 'test');
    const { access_token } = await issueAccessToken(s.ctx, { grantType: 'client_credentials', clientId: client.client_id, clientSecret: client_secret });
    for (let i = 0; i < 3; i++) expect(await call(access_token)).toBe(200);
    await revokeOauthClient(s.ctx, s.a.chain.id, client.id, 'test');
    const committed = performance.now();
    const bound = postgres ? BROADCAST_MS : TTL;
    expectRefusedAfter(await hammer(access_token, committed, bound + 800), bound);
  }, 60_000);
});
