import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { operatorKey, portalLogin, seedChain, type ChainFixture, type PortalLogin } from '../src/test-support/fixtures.js';
import { createTestContext, type TestContext } from '../src/test-support/test-db.js';

/** Bad input answers 4xx with a stable code and a message naming the field; never a 5xx, never a partial write. */
describe('bad input', () => {
  let t: TestContext;
  let app: FastifyInstance;
  let a: ChainFixture;
  let op: string;
  let admin: PortalLogin;

  beforeAll(async () => {
    t = await createTestContext({ config: { bodyLimitBytes: 64 * 1024 } });
    app = await buildApp(t.ctx);
    a = await seedChain(t.ctx, 'Bad Input');
    op = await operatorKey(t.ctx);
    admin = await portalLogin(app, a.admin.email, a.admin.password);
  });
  afterAll(async () => {
    await app.close();
    await t.close();
  });

  const opPost = (url: string, payload: string | object, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${op}`, 'content-type': 'application/json', ...headers }, payload });

  const cases: Array<{ name: string; payload: string | object; status: number; code: string; field?: string }> = [
    { name: 'malformed JSON', payload: '{"name": "x",', status: 400, code: 'INVALID_JSON' },
    { name: 'empty JSON body', payload: '', status: 400, code: 'INVALID_JSON' },
    { name: 'wrong type', payload: { name: 42 }, status: 400, code: 'VALIDATION_FAILED', field: 'body.name' },
    { name: 'missing required field', payload: { country_code: 'AR' }, status: 400, code: 'VALIDATION_FAILED', field: 'body.name' },
    { name: 'unknown field', payload: { name: 'X', colour: 'red' }, status: 400, code: 'VALIDATION_FAILED', field: 'body.colour' },
    { name: 'pattern mismatch', payload: { name: 'X', currency: 'pesos' }, status: 400, code: 'VALIDATION_FAILED', field: 'body.currency' },
    { name: 'array instead of object', payload: [1, 2], status: 400, code: 'VALIDATION_FAILED', field: 'body' },
  ];

  for (const c of cases) {
    it(`${c.name} → ${c.status} ${c.code}, nothing written`, async () => {
      const before = await t.ctx.db.selectFrom('chains').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const res = await opPost('/platform/v1/chains', c.payload);
      expect(res.statusCode).toBe(c.status);
      const err = res.json().error;
      expect(err.code).toBe(c.code);
      if (c.field) expect(err.message).toContain(c.field);
      const after = await t.ctx.db.selectFrom('chains').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n));
    });
  }

  it('oversize body → 413 BODY_TOO_LARGE', async () => {
    const res = await opPost('/platform/v1/chains', { name: 'x'.repeat(100 * 1024) });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('BODY_TOO_LARGE');
  });

  it('unsupported content type → 415', async () => {
    const res = await opPost('/platform/v1/chains', 'name=x', { 'content-type': 'text/csv' });
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('names nested and query fields', async () => {
    const q = await app.inject({ method: 'GET', url: `/portal/api/chains/${a.chain.id}/tokens?include_revoked=maybe`, headers: { cookie: admin.cookie } });
    expect(q.statusCode).toBe(400);
    expect(q.json().error.message).toContain('querystring.include_revoked');
    const p = await app.inject({ method: 'GET', url: '/platform/v1/chains/not-a-uuid', headers: { authorization: `Bearer ${op}` } });
    expect(p.statusCode).toBe(400);
    expect(p.json().error.message).toContain('params.chainId');
  });

  it('bad vendor input: unknown time zone, duplicate external id', async () => {
    const tz = await opPost(`/platform/v1/chains/${a.chain.id}/vendors`, { name: 'Tz', time_zone: 'Mars/Olympus' });
    expect(tz.statusCode).toBe(400);
    expect(tz.json().error.message).toContain('body.time_zone');
    const dup = await opPost(`/platform/v1/chains/${a.chain.id}/vendors`, { name: 'Dup', external_id: a.direct.external_id });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('EXTERNAL_ID_TAKEN');
  });

  it('unknown routes and methods are 404 with our error shape', async () => {
    const res = await app.inject({ method: 'GET', url: '/v2/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('ROUTE_NOT_FOUND');
  });

  it('operator API refuses a missing or wrong operator key', async () => {
    const none = await app.inject({ method: 'GET', url: '/platform/v1/chains' });
    expect(none.statusCode).toBe(401);
    expect(none.json().error.code).toBe('UNAUTHENTICATED');
    const partnerToken = await app.inject({ method: 'GET', url: '/platform/v1/chains', headers: { authorization: `Bearer ${a.token}` } });
    expect(partnerToken.statusCode).toBe(401);
    expect(partnerToken.json().error.code).toBe('INVALID_OPERATOR_KEY');
  });

  it('portal login: wrong password is 401, repeated failures are throttled with Retry-After', async () => {
    const attempt = () => app.inject({ method: 'POST', url: '/portal/api/session', payload: { email: a.staff.email, password: 'wrong-password' } });
    const first = await attempt();
    expect(first.statusCode).toBe(401);
    expect(first.json().error.code).toBe('INVALID_CREDENTIALS');
    let throttled;
    for (let i = 0; i < 10 && !throttled; i++) {
      const r = await attempt();
      if (r.statusCode === 429) throttled = r;
    }
    expect(throttled?.json().error.code).toBe('TOO_MANY_REQUESTS');
    expect(Number(throttled?.headers['retry-after'])).toBeGreaterThan(0);
  });
});
