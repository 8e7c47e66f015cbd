import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../src/bootstrap.js';
import { createLogger } from '../src/platform/logger.js';
import { createToken } from '../src/tokens/tokens.service.js';
import { runCli, startProcess, type CliProcess } from '../src/test-support/processes.js';
import { createTestDatabase, type TestDatabase } from '../src/test-support/test-db.js';

/** The real thing: `comanda start` (what `npm start` runs) as a child process, called over HTTP. */
describe('comanda start (real server process)', { timeout: 120_000 }, () => {
  let tdb: TestDatabase;
  let server: CliProcess;
  let env: Record<string, string | undefined>;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    // A data directory that does not exist yet, as in a fresh clone (`./data`): `start` creates it.
    env = {
      COMANDA_DATA_DIR: path.join(tdb.dataDir, 'fresh', 'data'),
      DATABASE_URL: tdb.config.databaseUrl ?? '',
      PORT: '0',
      SFTP_PORT: '0',
      LOG_LEVEL: 'warn',
      // The demo's customers, faster than by default (about one order a second) and without the history
      // backfill (src/demo/demo-traffic.test.ts covers it), so the test sees them arrive in seconds.
      SIM_DEMO_ORDERS_PER_HOUR: '3600',
      SIM_DEMO_HISTORY_DAYS: '0',
      SIM_POLL_MS: '200',
    };
    server = startProcess(['start'], env);
  });
  afterAll(async () => {
    await server?.stop('SIGKILL');
    await tdb.drop();
  });

  it('boots on a fresh data dir, seeds the demo, prints the banner, and answers over HTTP', async () => {
    const [, url] = await server.waitFor(/API reference\s+(http:\/\/[\d.]+:\d+)\/docs/);
    const [, token] = await server.waitFor(/API token\s+(cmd_live_\S+)/);
    const [, chainId] = await server.waitFor(/Demo chain\s+(\S+)/);
    expect(server.output()).toMatch(/Portal login\s+admin@demo\.comanda\.dev/);
    expect(server.output()).toMatch(/curl -H "Authorization: Bearer cmd_live_/);
    const ready = await fetch(`${url}/health/ready`);
    expect(ready.status).toBe(200);
    const vendors = await fetch(`${url}/v2/chains/${chainId}/vendors`, { headers: { authorization: `Bearer ${token}` } });
    expect(vendors.status).toBe(200);
    const body = (await vendors.json()) as { vendors: Array<{ integration_type: string; is_test: boolean }> };
    expect(body.vendors.map((v) => v.integration_type).sort()).toEqual(['DIRECT_POS', 'DIRECT_POS', 'INDIRECT_POS']);
    expect(body.vendors.filter((v) => v.is_test)).toHaveLength(1);
    const docs = await fetch(`${url}/docs/`);
    expect(docs.status).toBe(200);
  });

  it("shows the demo customers' orders on the portal dashboard as they arrive", async () => {
    const [, url] = await server.waitFor(/API reference\s+(http:\/\/[\d.]+:\d+)\/docs/);
    const [, chainId] = await server.waitFor(/Demo chain\s+(\S+)/);
    const login = await fetch(`${url}/portal/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@demo.comanda.dev', password: 'comanda-demo-admin' }) });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const today = async () => {
      const res = await fetch(`${url}/portal/api/chains/${chainId}/dashboard?range=today`, { headers: { cookie } });
      expect(res.status).toBe(200);
      return (await res.json()) as { totals: { orders: number }; stores: Array<{ orders: number }> };
    };
    const first = (await today()).totals.orders;
    const deadline = Date.now() + 60_000;
    let now = first;
    while (now < first + 3 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      now = (await today()).totals.orders;
    }
    expect(now).toBeGreaterThanOrEqual(first + 3);
  });

  it('shuts down gracefully on SIGTERM', async () => {
    const code = await server.stop('SIGTERM');
    expect(code).toBe(0);
  });
});

describe('comanda CLI', { timeout: 180_000 }, () => {
  let tdb: TestDatabase;
  let env: Record<string, string | undefined>;
  beforeAll(async () => {
    tdb = await createTestDatabase();
    env = { COMANDA_DATA_DIR: tdb.dataDir, DATABASE_URL: tdb.config.databaseUrl ?? '', LOG_LEVEL: 'warn' };
  });
  afterAll(async () => tdb.drop());

  it('migrate, then demo --json twice gives the same working credentials and creates nothing twice', async () => {
    const migrated = await runCli(['migrate'], env);
    expect(migrated.code).toBe(0);
    const first = await runCli(['demo', '--json'], env);
    expect(first.code, first.stderr).toBe(0);
    const a = JSON.parse(first.stdout);
    expect(a).toMatchObject({ chain_id: expect.any(String), token: expect.stringMatching(/^cmd_live_/), operator_key: expect.stringMatching(/^cmd_op_/), admin: { email: 'admin@demo.comanda.dev' } });
    expect(a.vendors).toMatchObject({ direct: expect.any(String), indirect: expect.any(String), test: expect.any(String) });
    const second = JSON.parse((await runCli(['demo', '--json'], env)).stdout);
    expect(second.chain_id).toBe(a.chain_id);
    expect(second.vendors).toEqual(a.vendors);
    expect(second.token).toBe(a.token);
    const listed = JSON.parse((await runCli(['token', 'list', '--chain', a.chain_id], env)).stdout);
    expect(listed).toHaveLength(1);
  });

  it('token create prints only the secret; list never shows it; revoke works; the 12th is refused', async () => {
    const chain = JSON.parse((await runCli(['chain', 'create', '--name', 'CLI Chain'], env)).stdout);
    const created = await runCli(['token', 'create', '--chain', chain.id, '--name', 'Catalog management'], env);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^cmd_live_[0-9A-Za-z]{43}_[0-9A-Za-z]{6}\n$/);
    const secret = created.stdout.trim();
    const list = await runCli(['token', 'list', '--chain', chain.id], env);
    expect(list.stdout).not.toContain(secret);
    const [tok] = JSON.parse(list.stdout);
    expect(tok.name).toBe('Catalog management');
    const revoked = await runCli(['token', 'revoke', '--chain', chain.id, tok.id], env);
    expect(JSON.parse(revoked.stdout).status).toBe('revoked');
    const ctx = await createContext(tdb.config, { log: createLogger({ logLevel: 'silent' }) });
    for (let i = 0; i < 10; i++) await createToken(ctx, chain.id, { name: `t${i}` }, 'test');
    await ctx.handle.close();
    expect((await runCli(['token', 'create', '--chain', chain.id, '--name', 'the 11th'], env)).code).toBe(0);
    const twelfth = await runCli(['token', 'create', '--chain', chain.id, '--name', 'too many'], env);
    expect(twelfth.code).toBe(1);
    expect(twelfth.stderr).toContain('TOKEN_LIMIT_REACHED');
    expect(twelfth.stdout).toBe('');
  });

  it('creates vendors, users and operator keys from the command line', async () => {
    const chain = JSON.parse((await runCli(['chain', 'create', '--name', 'CLI Two', '--country', 'CL', '--currency', 'CLP'], env)).stdout);
    const vendor = JSON.parse((await runCli(['vendor', 'create', '--chain', chain.id, '--name', 'Providencia', '--type', 'INDIRECT_POS', '--external-id', 'PRV-1', '--test'], env)).stdout);
    expect(vendor).toMatchObject({ integration_type: 'INDIRECT_POS', external_id: 'PRV-1', is_test: true, currency: 'CLP' });
    const badType = await runCli(['vendor', 'create', '--chain', chain.id, '--name', 'X', '--type', 'SOMETHING'], env);
    expect(badType.code).not.toBe(0);
    const user = JSON.parse((await runCli(['user', 'create', '--email', 'boss@cli.example', '--password', 'long-enough-pw', '--chain', chain.id, '--role', 'admin'], env)).stdout);
    expect(user.memberships).toEqual([{ chain_id: chain.id, role: 'admin' }]);
    const key = await runCli(['operator-key', 'create', '--name', 'automation'], env);
    expect(key.stdout).toMatch(/^cmd_op_\S+\n$/);
    const client = JSON.parse((await runCli(['oauth-client', 'create', '--chain', chain.id, '--name', 'ERP'], env)).stdout);
    expect(client.client_secret).toMatch(/^cmd_cs_/);
  });
});
