import { describe, expect, it } from 'vitest';
import { listAudit } from '../audit/audit.repository.js';
import { ManualClock } from '../platform/clock.js';
import { bearer } from '../test-support/fixtures.js';
import { useTestApp } from '../test-support/test-app.js';

describe('OAuth client credentials', () => {
  const clock = new ManualClock('2026-03-01T12:00:00Z');
  const s = useTestApp({ chains: { a: 'OAuth A', b: 'OAuth B' }, logins: { admin: ['a', 'admin'] }, clock });

  async function newClient(name = 'ERP connector') {
    const res = await s.app.inject({
      method: 'POST',
      url: `/portal/api/chains/${s.a.chain.id}/oauth-clients`,
      headers: { cookie: s.admin.cookie, 'x-csrf-token': s.admin.csrf },
      payload: { name },
    });
    expect(res.statusCode).toBe(201);
    return res.json() as { client: { id: string; client_id: string }; client_secret: string };
  }

  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const tokenRequest = (body: string, headers: Record<string, string> = {}) =>
    s.app.inject({ method: 'POST', url: '/v2/oauth/token', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, payload: body });

  it('issues a 2-hour bearer token from a form body, usable on /v2 until it expires', async () => {
    const { client, client_secret } = await newClient();
    const res = await tokenRequest(form({ grant_type: 'client_credentials', client_id: client.client_id, client_secret }));
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json();
    expect(body).toEqual({ access_token: expect.stringMatching(/^cmd_at_/), token_type: 'Bearer', expires_in: 7200 });
    const call = () => s.app.inject({ method: 'GET', url: `/v2/chains/${s.a.chain.id}/vendors`, headers: bearer(body.access_token) });
    expect((await call()).statusCode).toBe(200);
    // Chain-scoped like a portal token: chain B is a 404.
    expect((await s.app.inject({ method: 'GET', url: `/v2/chains/${s.b.chain.id}/vendors`, headers: bearer(body.access_token) })).statusCode).toBe(404);
    clock.advance(7199 * 1000);
    expect((await call()).statusCode).toBe(200);
    clock.advance(2 * 1000);
    const expired = await call();
    expect(expired.statusCode).toBe(401);
    expect(expired.json().error.code).toBe('INVALID_TOKEN');
  });

  it('accepts HTTP Basic client authentication', async () => {
    const { client, client_secret } = await newClient('Basic client');
    const basic = Buffer.from(`${encodeURIComponent(client.client_id)}:${encodeURIComponent(client_secret)}`).toString('base64');
    const res = await tokenRequest(form({ grant_type: 'client_credentials' }), { authorization: `Basic ${basic}` });
    expect(res.statusCode).toBe(200);
    expect((await s.app.inject({ method: 'GET', url: `/v2/chains/${s.a.chain.id}/vendors`, headers: bearer(res.json().access_token) })).statusCode).toBe(200);
  });

  it('accepts a JSON body too', async () => {
    const { client, client_secret } = await newClient('JSON client');
    const res = await s.app.inject({ method: 'POST', url: '/v2/oauth/token', payload: { grant_type: 'client_credentials', client_id: client.client_id, client_secret } });
    expect(res.statusCode).toBe(200);
  });

  it('refuses a revoked client at once, and its live access tokens with it', async () => {
    const { client, client_secret } = await newClient('Soon revoked');
    const issued = (await tokenRequest(form({ grant_type: 'client_credentials', client_id: client.client_id, client_secret }))).json();
    const call = () => s.app.inject({ method: 'GET', url: `/v2/chains/${s.a.chain.id}/vendors`, headers: bearer(issued.access_token) });
    expect((await call()).statusCode).toBe(200);
    const revoke = await s.app.inject({ method: 'DELETE', url: `/portal/api/chains/${s.a.chain.id}/oauth-clients/${client.id}`, headers: { cookie: s.admin.cookie, 'x-csrf-token': s.admin.csrf } });
    expect(revoke.statusCode).toBe(200);
    expect((await call()).statusCode).toBe(401);
    const again = await tokenRequest(form({ grant_type: 'client_credentials', client_id: client.client_id, client_secret }));
    expect(again.statusCode).toBe(401);
    expect(again.json()).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
    const actions = (await listAudit(s.ctx.db, s.a.chain.id, 500)).map((e) => e.action);
    expect(actions).toContain('oauth_client.create');
    expect(actions).toContain('oauth_client.revoke');
  });

  it('answers OAuth-shaped errors for a wrong grant type, a wrong secret, an unknown client and missing fields', async () => {
    const { client, client_secret } = await newClient('Errors');
    const wrongGrant = await tokenRequest(form({ grant_type: 'password', client_id: client.client_id, client_secret }));
    expect(wrongGrant.statusCode).toBe(400);
    expect(wrongGrant.json().error).toBe('unsupported_grant_type');
    const wrongSecret = await tokenRequest(form({ grant_type: 'client_credentials', client_id: client.client_id, client_secret: `${client_secret.slice(0, -1)}${client_secret.endsWith('x') ? 'y' : 'x'}` }));
    expect(wrongSecret.statusCode).toBe(401);
    expect(wrongSecret.json().error).toBe('invalid_client');
    const unknown = await tokenRequest(form({ grant_type: 'client_credentials', client_id: 'cmd_client_nope', client_secret }));
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().error).toBe('invalid_client');
    const missing = await tokenRequest(form({ client_id: client.client_id }));
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error).toBe('invalid_request');
    const badJson = await s.app.inject({ method: 'POST', url: '/v2/oauth/token', headers: { 'content-type': 'application/json' }, payload: '{nope' });
    expect(badJson.statusCode).toBe(400);
    expect(badJson.json().error).toBe('invalid_request');
  });

  it('never lists secrets and keeps clients chain-scoped', async () => {
    const { client_secret } = await newClient('Listed');
    const list = await s.app.inject({ method: 'GET', url: `/portal/api/chains/${s.a.chain.id}/oauth-clients`, headers: { cookie: s.admin.cookie } });
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(client_secret);
    expect(list.json().clients.length).toBeGreaterThan(0);
    const other = await s.app.inject({ method: 'GET', url: `/portal/api/chains/${s.b.chain.id}/oauth-clients`, headers: { cookie: s.admin.cookie } });
    expect(other.statusCode).toBe(404);
  });
});
