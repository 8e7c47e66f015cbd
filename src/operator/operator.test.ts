import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, operatorKey, portalLogin } from '../test-support/fixtures.js';
import { useTestApp } from '../test-support/test-app.js';
import { createToken } from '../tokens/tokens.service.js';
import { revokeOperatorKey } from './operator-keys.service.js';

describe('operator API', () => {
  const s = useTestApp();
  let key: string;

  beforeAll(async () => {
    key = await operatorKey(s.ctx);
  });

  const op = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) => s.app.inject({ method, url: `/platform/v1${url}`, headers: bearer(key), payload });

  it('creates chains, vendors and users; maps an external id and sets the integration type', async () => {
    const chain = await op('POST', '/chains', { name: 'Super Norte', country_code: 'UY', currency: 'UYU' });
    expect(chain.statusCode).toBe(201);
    const chainId = chain.json().id;
    expect((await op('GET', '/chains')).json().chains.map((c: { id: string }) => c.id)).toContain(chainId);

    const vendor = await op('POST', `/chains/${chainId}/vendors`, { name: 'Pocitos', time_zone: 'America/Montevideo' });
    expect(vendor.statusCode).toBe(201);
    const v = vendor.json();
    expect(v.code).toMatch(/^[a-z][a-z0-9]{3}$/);
    expect(v).toMatchObject({ integration_type: 'DIRECT_POS', is_test: false, currency: 'UYU', country_code: 'UY', external_id: null });

    const patched = await op('PATCH', `/chains/${chainId}/vendors/${v.code}`, { integration_type: 'INDIRECT_POS', external_id: 'POC-7' });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ integration_type: 'INDIRECT_POS', external_id: 'POC-7' });
    // The external id now addresses the vendor, for operators and partners alike.
    expect((await op('PATCH', `/chains/${chainId}/vendors/POC-7`, { name: 'Pocitos Centro' })).json().name).toBe('Pocitos Centro');
    const { secret } = await createToken(s.ctx, chainId, { name: 'Orders' }, 'test');
    const partner = await s.app.inject({ method: 'GET', url: `/v2/chains/${chainId}/vendors/POC-7`, headers: bearer(secret) });
    expect(partner.json().code).toBe(v.code);

    const user = await op('POST', `/chains/${chainId}/users`, { email: 'Jefa@Norte.example', password: 'a-long-password', role: 'admin' });
    expect(user.statusCode).toBe(201);
    expect(user.json()).toMatchObject({ email: 'jefa@norte.example', memberships: [{ chain_id: chainId, role: 'admin' }] });
    expect(user.body).not.toContain('password');
    expect((await op('POST', `/chains/${chainId}/users`, { email: 'jefa@norte.example', password: 'another-password' })).json().error.code).toBe('EMAIL_TAKEN');
    expect((await op('GET', `/chains/${chainId}/users`)).json().users).toHaveLength(1);
    // The new admin can log in to the portal.
    const login = await portalLogin(s.app, 'jefa@norte.example', 'a-long-password');
    expect(login.csrf.length).toBeGreaterThan(10);
  });

  it('answers 404 for unknown chains and vendors', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    expect((await op('GET', `/chains/${missing}`)).statusCode).toBe(404);
    expect((await op('POST', `/chains/${missing}/vendors`, { name: 'x' })).json().error.code).toBe('CHAIN_NOT_FOUND');
    const chainId = (await op('POST', '/chains', { name: 'Other' })).json().id;
    expect((await op('PATCH', `/chains/${chainId}/vendors/zzzz`, { name: 'x' })).json().error.code).toBe('VENDOR_NOT_FOUND');
  });

  it('creates operator users who can open every chain in the portal', async () => {
    const res = await op('POST', '/users', { email: 'ops@market.example', password: 'operator-password' });
    expect(res.statusCode).toBe(201);
    expect(res.json().is_operator).toBe(true);
    const login = await portalLogin(s.app, 'ops@market.example', 'operator-password');
    const chains = await s.app.inject({ method: 'GET', url: '/portal/api/chains', headers: { cookie: login.cookie } });
    expect(chains.json().chains.length).toBeGreaterThanOrEqual(2);
  });

  it('refuses a revoked operator key at once', async () => {
    const other = await operatorKey(s.ctx);
    const call = () => s.app.inject({ method: 'GET', url: '/platform/v1/chains', headers: bearer(other) });
    expect((await call()).statusCode).toBe(200);
    const row = await s.ctx.db.selectFrom('operator_keys').select('id').orderBy('created_at', 'desc').executeTakeFirstOrThrow();
    await revokeOperatorKey(s.ctx, row.id);
    expect((await call()).statusCode).toBe(401);
  });
});
