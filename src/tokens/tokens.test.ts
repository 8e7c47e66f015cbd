import { describe, expect, it } from 'vitest';
import { listAudit } from '../audit/audit.repository.js';
import { bearer, portalLogin } from '../test-support/fixtures.js';
import { useTestApp } from '../test-support/test-app.js';

describe('API tokens', () => {
  const s = useTestApp({ chains: { a: 'Tokens A' }, logins: { admin: ['a', 'admin'] } });

  const create = (name: string, login = s.admin) =>
    s.app.inject({ method: 'POST', url: `/portal/api/chains/${s.a.chain.id}/tokens`, headers: { cookie: login.cookie, 'x-csrf-token': login.csrf }, payload: { name } });
  const list = () => s.app.inject({ method: 'GET', url: `/portal/api/chains/${s.a.chain.id}/tokens`, headers: { cookie: s.admin.cookie } });
  const revoke = (id: string) =>
    s.app.inject({ method: 'DELETE', url: `/portal/api/chains/${s.a.chain.id}/tokens/${id}`, headers: { cookie: s.admin.cookie, 'x-csrf-token': s.admin.csrf } });
  const callApi = (token: string) => s.app.inject({ method: 'GET', url: `/v2/chains/${s.a.chain.id}/vendors`, headers: bearer(token) });

  it('shows the secret once, in the create response only, in the checksummed format', async () => {
    const res = await create('Catalog management');
    expect(res.statusCode).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const { token, secret } = res.json();
    expect(secret).toMatch(/^cmd_live_[0-9A-Za-z]{43}_[0-9A-Za-z]{6}$/);
    expect(token.name).toBe('Catalog management');
    expect(token.display_prefix).toBe(secret.slice(0, 13));
    expect(token.last4).toBe(secret.slice(-4));
    expect(JSON.stringify(token)).not.toContain(secret);
    const listed = await list();
    expect(listed.statusCode).toBe(200);
    expect(listed.body).not.toContain(secret);
    expect(listed.body).not.toContain('token_hash');
    // The database holds a hash, never the secret.
    const rows = await s.ctx.db.selectFrom('api_tokens').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(secret);
    expect((await callApi(secret)).statusCode).toBe(200);
  });

  it('records last use', async () => {
    const { token, secret } = (await create('Order management 2')).json();
    expect(token.last_used_at).toBeNull();
    await callApi(secret);
    const found = (await list()).json().tokens.find((x: { id: string }) => x.id === token.id);
    expect(found.last_used_at).not.toBeNull();
  });

  it('allows at most 11 active tokens per chain; revoking one frees a slot', async () => {
    const active = (await list()).json().tokens.length;
    for (let i = active; i < 11; i++) expect((await create(`Token ${i}`)).statusCode).toBe(201);
    const twelfth = await create('One too many');
    expect(twelfth.statusCode).toBe(409);
    expect(twelfth.json().error.code).toBe('TOKEN_LIMIT_REACHED');
    const tokens = (await list()).json().tokens;
    expect(tokens).toHaveLength(11);
    expect((await revoke(tokens[0].id)).statusCode).toBe(200);
    expect((await create('Replacement')).statusCode).toBe(201);
    expect((await create('Again too many')).statusCode).toBe(409);
  });

  it('refuses a revoked token at once, and revoking twice is a 409', async () => {
    const tokens = (await list()).json().tokens;
    await revoke(tokens[1].id);
    const { secret } = (await create('Fresh')).json();
    expect((await callApi(secret)).statusCode).toBe(200);
    const id = (await list()).json().tokens.find((x: { name: string }) => x.name === 'Fresh').id;
    expect((await revoke(id)).statusCode).toBe(200);
    const refused = await callApi(secret);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.code).toBe('INVALID_TOKEN');
    const again = await revoke(id);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('TOKEN_ALREADY_REVOKED');
  });

  it('answers 401 with stable codes for missing, garbled and unknown tokens', async () => {
    const missing = await s.app.inject({ method: 'GET', url: `/v2/chains/${s.a.chain.id}/vendors` });
    expect(missing.statusCode).toBe(401);
    expect(missing.json().error.code).toBe('UNAUTHENTICATED');
    for (const bad of ['garbage', 'cmd_live_short_abc', `${s.a.token.slice(0, -1)}${s.a.token.endsWith('x') ? 'y' : 'x'}`, 'cmd_live_' + 'A'.repeat(43) + '_AAAAAA', '']) {
      const res = await s.app.inject({ method: 'GET', url: `/v2/chains/${s.a.chain.id}/vendors`, headers: { authorization: `Bearer ${bad}` } });
      expect(res.statusCode, bad).toBe(401);
      expect(['INVALID_TOKEN', 'UNAUTHENTICATED']).toContain(res.json().error.code);
    }
    const basic = await s.app.inject({ method: 'GET', url: `/v2/chains/${s.a.chain.id}/vendors`, headers: { authorization: 'Basic Zm9vOmJhcg==' } });
    expect(basic.statusCode).toBe(401);
  });

  it('writes audit rows for create and revoke, without secrets', async () => {
    const entries = await listAudit(s.ctx.db, s.a.chain.id, 500);
    const actions = entries.map((e) => e.action);
    expect(actions).toContain('token.create');
    expect(actions).toContain('token.revoke');
    expect(JSON.stringify(entries)).not.toMatch(/cmd_live_[0-9A-Za-z]{43}/);
    const res = await s.app.inject({ method: 'GET', url: `/portal/api/chains/${s.a.chain.id}/audit`, headers: { cookie: s.admin.cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.json().entries.some((e: { action: string }) => e.action === 'token.revoke')).toBe(true);
  });

  it('keeps staff users out of token management', async () => {
    const staff = await portalLogin(s.app, s.a.staff.email, s.a.staff.password);
    const res = await create('Staff attempt', staff);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
    expect((await s.app.inject({ method: 'GET', url: `/portal/api/chains/${s.a.chain.id}/tokens`, headers: { cookie: staff.cookie } })).statusCode).toBe(403);
  });

  it('refuses state-changing portal calls without the CSRF token', async () => {
    const noCsrf = await s.app.inject({ method: 'POST', url: `/portal/api/chains/${s.a.chain.id}/tokens`, headers: { cookie: s.admin.cookie }, payload: { name: 'x' } });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().error.code).toBe('CSRF_TOKEN_INVALID');
    const wrong = await s.app.inject({ method: 'POST', url: `/portal/api/chains/${s.a.chain.id}/tokens`, headers: { cookie: s.admin.cookie, 'x-csrf-token': 'nope' }, payload: { name: 'x' } });
    expect(wrong.statusCode).toBe(403);
    const noSession = await s.app.inject({ method: 'POST', url: `/portal/api/chains/${s.a.chain.id}/tokens`, payload: { name: 'x' } });
    expect(noSession.statusCode).toBe(401);
    expect(noSession.json().error.code).toBe('SESSION_REQUIRED');
  });

  it('requires a name', async () => {
    const res = await s.app.inject({ method: 'POST', url: `/portal/api/chains/${s.a.chain.id}/tokens`, headers: { cookie: s.admin.cookie, 'x-csrf-token': s.admin.csrf }, payload: {} });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    expect(res.json().error.message).toContain('body.name');
  });
});
